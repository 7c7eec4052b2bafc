# Address spaces: a pointer is read as kernel or user memory according to where it came from, never
# according to the probe as a whole. Exact values from real events, in every probe type this kernel runs:
# the executable's name read through curtask->mm->exe_file (kernel BTF structs) in a syscall tracepoint,
# a tp_btf raw tracepoint, a uprobe and a USDT probe; user strings (a syscall's __user argument, a
# uprobe's and a USDT probe's arguments) in the same probes; the kptr()/uptr() overrides.
# bpftrace behaviour pinned down: "address spaces" in today's docs/language.md: BTF-typed kernel structs
# and curtask are kernel memory, syscall arguments and uprobe/USDT arguments user memory, and a pointer
# member read out of kernel (user) memory points into kernel (user) memory.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/uprobe_lib.bash"
require_root
require_btf "curtask has no type"
require_tracepoint syscalls/sys_enter_openat
EXE='curtask->mm->exe_file->f_path.dentry->d_name.name'
loop=$(build_prog getppid_loop etr_as_loop)
renamer=$(build_prog prctl_name etr_prctl)
build_uprobe_progs
snapshot_bpf
# no str()/buf() read failed (etrace reports failed user-memory reads on stderr); only where nothing is
# read from user memory: a user string in a page the process has not touched yet fails to read at times
no_failed_reads() { ! grep -q 'failed' "$ET_ERR"; }

# 1. syscall tracepoint: the kernel pointer through curtask, the __user filename, in one probe
f="$TMP/etr-as-file"
: >"$f"
cp "$(command -v cat)" "$TMP/etr_as_cat"
start_etrace -e "tracepoint:syscalls:sys_enter_openat /comm == \"etr_as_cat\"/ {
	@[str(args.filename), str($EXE)] = count(); }" || fail "attach sys_enter_openat"
"$TMP/etr_as_cat" "$f"
stop_etrace INT
check "sys_enter_openat: str(args.filename) is the file, str(d_name.name) the exe name" \
	grep -qx "@\[$f, etr_as_cat\]: 1" "$ET_OUT"

# the same pointer held in a variable, counted exactly; printed with %p it is a kernel address
start_etrace -e "tracepoint:syscalls:sys_enter_getppid /comm == \"etr_as_loop\"/ {
	\$p = $EXE; @n[str(\$p)] = count(); @k[(uint64)\$p > 0xffff800000000000] = count(); }" ||
	fail "attach sys_enter_getppid"
"$loop" 1000
stop_etrace INT
check "sys_enter_getppid: str() of the exe name through a variable, every call" \
	grep -qx '@n\[etr_as_loop\]: 1000' "$ET_OUT"
check "sys_enter_getppid: the pointer is a kernel address" grep -qx '@k\[true\]: 1000' "$ET_OUT"
check "sys_enter_getppid: no failed reads" no_failed_reads

# a user address held in an integer argument (prctl's arg2), cast to a pointer to a script struct:
# read as user memory (the cast keeps the argument's address space)
start_etrace -e "struct etr_name { char s[16]; }
tracepoint:syscalls:sys_enter_prctl /comm == \"etr_prctl\"/ {
	@[((struct etr_name *)args.arg2)->s, str(args.arg2), str($EXE)] = count(); }" || fail "attach sys_enter_prctl"
"$renamer" etr_renamed
stop_etrace INT
check "sys_enter_prctl: a cast integer argument read as user memory" \
	grep -qx '@\[etr_renamed, etr_renamed, etr_prctl\]: 1' "$ET_OUT"

# 2. rawtracepoint attached as tp_btf: args typed from BTF; a char * member of a kernel struct
if "$ETRACE" --info 2>&1 | grep -qE '^  tp_btf +yes'; then
	start_etrace -e "rawtracepoint:sched_process_exec /comm == \"etr_as_loop\"/ {
		@[str(args.bprm->filename), str($EXE)] = count(); }" || fail "attach rawtracepoint:sched_process_exec"
	"$loop" 1
	stop_etrace INT
	check "tp_btf: str(args.bprm->filename) is the exec path, str(d_name.name) the exe name" \
		grep -qx "@\[$loop, etr_as_loop\]: 1" "$ET_OUT"
	check "tp_btf: no failed reads" no_failed_reads
else
	echo "note: this kernel does not load tp_btf programs: the rawtracepoint case is left out"
fi

# 3. uprobe: arg0 is a user string; the exe name is kernel memory; a script struct cast from arg0 is
# user memory, in a variable too; uptr()/kptr() say the same explicitly, and override the wrong way
run_etrace -c "$UT 2" -e "struct etr_s { char c[6]; }
uprobe:$UT:et_greet { \$s = (struct etr_s *)arg0;
	printf(\"u %s|%s|%s|%s|%s|%s\n\", str(arg0), str($EXE), ((struct etr_s *)arg0)->c, \$s->c,
		str(uptr(arg0)), str(kptr($EXE)));
	printf(\"w [%s][%s]\n\", str(kptr(arg0)), str(uptr($EXE)));
	printf(\"k %rx %rx\n\", buf(kaddr(\"vfs_read\"), 4), buf(kptr(kaddr(\"vfs_read\")), 4)); }"
check "uprobe: user string, exe name, struct cast from arg0, uptr(), kptr()" \
	test "$(grep -cx 'u hello|ut|hello|hello|hello|ut' "$ET_OUT")" = 2
check "uprobe: kptr(user address) and uptr(kernel address) read nothing" \
	test "$(grep -cx 'w \[\]\[\]' "$ET_OUT")" = 2
# kaddr() is a kernel address: the first bytes of vfs_read's code, the same as through kptr(), not zeros
read -r _ k1 k2 < <(grep -m1 '^k ' "$ET_OUT")
kernel_bytes() { [ -n "$k1" ] && [ "$k1" = "$k2" ] && [ "$k1" != '\x00\x00\x00\x00' ]; }
check "uprobe: buf(kaddr(\"vfs_read\"), 4) reads kernel memory (${k1:-nothing})" kernel_bytes

# 4. USDT: a user string argument beside the exe name
run_etrace -c "$UT 2" -e "usdt:$UT:ettest:str { @[str(arg0), str($EXE)] = count(); }"
check "usdt: str(arg0) and the exe name" grep -qx '@\[usdt-string, ut\]: 2' "$ET_OUT"

check "nothing left behind" nothing_left_behind
finish
