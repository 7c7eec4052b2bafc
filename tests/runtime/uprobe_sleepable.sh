# uprobe.s (sleepable): a user string on a page that is not resident yet is read (bpf_copy_from_user
# faults it in), where a plain uprobe's bpf_probe_read_user_str cannot fault and may give "".
. "$(dirname "$0")/lib.sh"
require_root
BIN=$(build_prog fresh_string etr_fresh)
for i in 1 2 3; do
	run_etrace -c "$BIN" -e "uprobe.s:$BIN:take { @s[str(arg0)] = count(); }"
	check "uprobe.s run $i: the fresh .rodata string is read" grep -qx '@s\[fresh-rodata-string\]: 1' "$ET_OUT"
done
run_etrace -c "$BIN" -e "uretprobe.s:$BIN:take { @r = count(); }"
check "uretprobe.s attaches and fires" grep -qx '@r: 1' "$ET_OUT"
finish
