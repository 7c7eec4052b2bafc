# uprobe.s (sleepable): a user string on a page that is not resident yet is read (bpf_copy_from_user
# faults it in), where a plain uprobe's bpf_probe_read_user_str cannot fault and may give "".
# A user read that fails all the same is not lost silently: it is counted and reported at exit.
. "$(dirname "$0")/lib.sh"
require_root
BIN=$(build_prog fresh_string etr_fresh)
for i in 1 2 3; do
	run_etrace -c "$BIN" -e "uprobe.s:$BIN:take { @s[str(arg0)] = count(); }"
	check "uprobe.s run $i: the fresh .rodata string is read" grep -qx '@s\[fresh-rodata-string\]: 1' "$ET_OUT"
done
run_etrace -c "$BIN" -e "uretprobe.s:$BIN:take { @r = count(); }"
check "uretprobe.s attaches and fires" grep -qx '@r: 1' "$ET_OUT"

# every failed user read is reported: a bad address, once per call of a child making exactly 37 calls
LOOP=$(build_prog getppid_loop etr_readfault)
run_etrace -c "$LOOP 37" -e 'tracepoint:syscalls:sys_enter_getppid /comm == "etr_readfault"/ { @s[str((uint64)1)] = count(); }'
check "str() of a bad user address gives an empty string, 37 times" grep -qx '@s\[\]: 37' "$ET_OUT"
check "the 37 failed user reads are reported at exit" \
	grep -qx '37 user-memory reads by str()/buf() failed and gave an empty value (.*)' "$ET_ERR"
run_etrace -c "$LOOP 5" -f json -e 'tracepoint:syscalls:sys_enter_getppid /comm == "etr_readfault"/ { @b = count(); $b = buf((uint64)8, 4); }'
check "buf() failures are counted too, and reported in JSON" \
	grep -qx '{"type": "read_faults", "data": {"reads": 5}}' "$ET_OUT"
# a plain uprobe on the fresh string: whatever it could not read is reported, never silently empty
run_etrace -c "$BIN" -e "uprobe:$BIN:take { @s[str(arg0)] = count(); }"
if grep -qx '@s\[\]: 1' "$ET_OUT"; then
	check "uprobe: the empty string is reported as a failed read" grep -q '^1 user-memory read by' "$ET_ERR"
else
	check "uprobe: the string was read and no failure reported" \
		bash -c "grep -qx '@s\[fresh-rodata-string\]: 1' '$ET_OUT' && ! grep -q 'user-memory read' '$ET_ERR'"
fi
finish
