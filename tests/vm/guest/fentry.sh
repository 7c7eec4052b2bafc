# fentry/fexit attached for real (the host kernel refuses tracing programs with EPERM): arguments by name
# with their BTF types, a user-space string argument (do_sys_openat2's filename, `const char __user *`)
# read as user memory, fexit's retval typed from the prototype, func, and raw tracepoint args from BTF.
. "$(dirname "$0")/lib.sh"
require_root
require_btf
require_kfunc do_sys_openat2
require_etrace_probe fentry:do_sys_openat2
"$ETRACE" --info 2>&1 | grep -qE '^  fentry/fexit +yes' || skip "this kernel cannot run fentry/fexit (etrace --info)"
F="/tmp/etr-fentry-$$-missing"

start_etrace -e "fentry:do_sys_openat2 /comm == \"cat\"/ { @o[str(args.filename), args.dfd] = count(); @f[func] = count(); }
fexit:do_sys_openat2 /comm == \"cat\"/ { @r[str(args.filename), retval] = count(); }"
cat "$F" 2>/dev/null
cat "$F" 2>/dev/null
stop_etrace
check "fentry: the user string argument is read (args.filename) and args.dfd is AT_FDCWD" grep -qx "@o\[$F, -100\]: 2" "$ET_OUT"
check "fentry: func names the function" grep -qE "^@f\[do_sys_openat2(\+0)?\]: [0-9]+$" "$ET_OUT"
check "fexit: retval is the typed (int) return value -ENOENT" grep -qx "@r\[$F, -2\]: 2" "$ET_OUT"

# aliases and the generated object's sections
"$ETRACE" --emit-elf "$TMP/k.o" -e 'kfunc:vfs_read { @ = count(); } kretfunc:vfs_read { @r = count(); }' >"$TMP/k.err" 2>&1
check "kfunc/kretfunc compile" test $? = 0
check "sections fentry/vfs_read and fexit/vfs_read" bash -c "readelf -W -S '$TMP/k.o' | grep -q 'fentry/vfs_read' && readelf -W -S '$TMP/k.o' | grep -q 'fexit/vfs_read'"

# rawtracepoint with typed args from BTF
run_etrace -e 'rawtracepoint:sched_switch { if (args.prev->pid == curtask->pid) { @same = count(); } else { @other = count(); } }
interval:ms:300 { exit(); }'
check "rawtracepoint:sched_switch args.prev is current" grep -qE '^@same: [0-9]+$' "$ET_OUT"
check "rawtracepoint:sched_switch args.prev never differs" bash -c "! grep -q '^@other' '$ET_OUT'"

# the module part, as bpftrace ("No matches for fentry X:FUNC"): a module that is not loaded is refused
run_etrace -e "fentry:etr_nonsense:do_sys_openat2 { @n = count(); }"
check "fentry on a module that is not loaded: refused (exit 1)" test "$ET_STATUS" = 1
check "fentry on a module that is not loaded: the located error names it" \
	grep -qx -- "-e:1:1: error: fentry probe: module 'etr_nonsense' is not loaded" "$ET_ERR"
# one block over functions that take the same argument at different positions: vfs_open(path, file)
# and security_file_open(file), which do_dentry_open calls for the file vfs_open was given; each program
# reads args.file from its own argument slot, so every file vfs_open saw reaches security_file_open
if grep -qE ' [tT] (vfs_open|security_file_open)$' /proc/kallsyms &&
	[ "$(grep -cE ' [tT] (vfs_open|security_file_open)$' /proc/kallsyms)" = 2 ]; then
	cp "$(command -v cat)" "$TMP/etr_ma_cat"
	run_etrace -e 'fentry:vfs_open, fentry:security_file_open /comm == "etr_ma_cat"/ {
		printf("%s %p\n", func, args.file); }' -c "$TMP/etr_ma_cat /etc/hostname"
	check "fentry list: etrace ran (status $ET_STATUS)" test "$ET_STATUS" = 0
	sed -n 's/^vfs_open\(+0\)\{0,1\} //p' "$ET_OUT" | sort -u >"$TMP/vo"
	sed -n 's/^security_file_open\(+0\)\{0,1\} //p' "$ET_OUT" | sort -u >"$TMP/sfo"
	check "fentry list: vfs_open saw files" test -s "$TMP/vo"
	check "fentry list: each vfs_open file is a security_file_open file" \
		bash -c "[ -z \"\$(comm -23 '$TMP/vo' '$TMP/sfo')\" ]"
fi
finish
