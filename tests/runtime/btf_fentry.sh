# fentry/fexit on this kernel: the probes compile with typed args and retval from BTF; where the kernel
# refuses tracing programs, etrace says so at the probe with a tracepoint suggestion, and the generated
# object is rejected by the kernel with EPERM (refused program type), not EINVAL (malformed program).
# Where fentry works (the VM lane's kernel), tests/vm/guest/fentry.sh attaches for real.
. "$(dirname "$0")/lib.sh"
require_root
require_btf
command -v bpftool >/dev/null || skip "bpftool is needed to load the generated object"
grep -q ' do_sys_openat2$' /proc/kallsyms || skip "no do_sys_openat2 in this kernel"

prog='fentry:do_sys_openat2 { printf("%s %d %s\n", str(args.filename), args.dfd, func); }
fexit:do_sys_openat2 { @r[retval] = count(); @h = hist(args.how->flags); }'
"$ETRACE" --emit-elf "$TMP/f.o" -e "$prog" >"$TMP/emit.out" 2>&1
check "fentry/fexit with typed args, retval and a BTF pointer chain compile (--emit-elf)" test $? = 0
check "sections fentry/do_sys_openat2 and fexit/do_sys_openat2" \
	bash -c "readelf -W -S '$TMP/f.o' | grep -q 'fentry/do_sys_openat2' && readelf -W -S '$TMP/f.o' | grep -q 'fexit/do_sys_openat2'"
# kfunc/kretfunc/f/fr are aliases
"$ETRACE" --emit-elf "$TMP/a.o" -e 'kfunc:vfs_read { @a = count(); } kretfunc:vfs_read { @b = count(); } f:vfs_write { @c = count(); } fr:vfs_write { @d = count(); }' >/dev/null 2>&1
check "kfunc, kretfunc, f, fr are accepted" test $? = 0
"$ETRACE" --emit-elf "$TMP/bad.o" -e 'fentry:do_sys_openat2 { @[args.filenme] = count(); }' >"$TMP/bad.err" 2>&1
check "an unknown argument name is an error naming the closest one" grep -q "did you mean" "$TMP/bad.err"

if "$ETRACE" --info 2>&1 | grep -qE '^  fentry/fexit +yes'; then
	start_etrace -e 'fentry:do_sys_openat2 { @n = count(); }' || fail "fentry attach where the kernel supports it"
	stop_etrace INT
	check "fentry runs where the kernel supports it" test "$ET_STATUS" = 0
else
	"$ETRACE" -e "$prog" >"$TMP/run.out" 2>"$TMP/run.err"
	check "refused: exit status 1" test $? = 1
	check "the error names the probe and the kernel's refusal" \
		grep -q "fentry:do_sys_openat2: this kernel cannot run fentry probes" "$TMP/run.err"
	check "a tracepoint is suggested" grep -q "hint: use tracepoint:syscalls:sys_enter_openat2" "$TMP/run.err"
	mkdir -p "$TMP/bpffs"
	pin=/sys/fs/bpf/etrace-fentry-$$
	bpftool prog loadall "$TMP/f.o" "$pin" >"$TMP/load.out" 2>&1
	rc=$?
	rm -rf "$pin"
	check "the kernel refuses the object (bpftool fails)" test $rc != 0
	check "with EPERM (program type refused), not a malformed program (EINVAL/verifier)" \
		bash -c "grep -q 'Operation not permitted' '$TMP/load.out' && ! grep -qE 'Invalid argument|invalid|R[0-9]+ ' '$TMP/load.out'"
fi
finish
