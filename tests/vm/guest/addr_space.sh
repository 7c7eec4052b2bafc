# Address spaces in kprobes and fentry (the host kernel runs neither): a pointer is read as kernel or
# user memory according to where it came from, never according to the probe. Exact values: the
# executable's name through curtask->mm->exe_file; the opened file's name through vfs_open's struct path
# (a kprobe's integer argument cast to a kernel struct, fentry's typed argument); do_sys_openat2's user
# filename, also through uptr(), and nothing through kptr(); kaddr() in a uprobe is kernel memory.
# bpftrace behaviour pinned down: "address spaces" in today's docs/language.md: BTF-typed kernel structs,
# curtask, kaddr() and kptr() are kernel memory, uptr() user memory, and a pointer member read out of
# kernel memory points into kernel memory.
. "$(dirname "$0")/lib.sh"
require_root
require_btf
require_kprobes
require_kfunc vfs_open
require_kfunc do_sys_openat2
require_kfunc __x64_sys_getppid
EXE='curtask->mm->exe_file->f_path.dentry->d_name.name'
loop=$(build_prog getppid_loop etr_as_loop)
cp "$(command -v cat)" "$TMP/etr_as_cat"
f="$TMP/etr-as-file-$$"
: >"$f"
N=200

# 1. kprobe: the exe name (kernel memory) on every call
start_etrace -e "kprobe:__x64_sys_getppid /comm == \"etr_as_loop\"/ { @[str($EXE)] = count(); }"
"$loop" $N
stop_etrace
check "kprobe: str(curtask->...->d_name.name) is the exe name on every call" grep -qx "@\[etr_as_loop\]: $N" "$ET_OUT"

# 2. kprobe: an integer argument cast to a kernel struct; a user string argument, plain and through
# uptr(); the same user address through kptr() reads nothing
start_etrace -e "kprobe:vfs_open /comm == \"etr_as_cat\"/ {
	@v[str(((struct path *)arg0)->dentry->d_name.name), str($EXE)] = count(); }
kprobe:do_sys_openat2 /comm == \"etr_as_cat\"/ { @o[str(arg1), str(uptr(arg1)), str(kptr(arg1))] = count(); }"
"$TMP/etr_as_cat" "$f"
stop_etrace
check "kprobe: ((struct path *)arg0)->dentry->d_name.name is the opened file's name" \
	grep -qx "@v\[$(basename "$f"), etr_as_cat\]: 1" "$ET_OUT"
check "kprobe: str(arg1) and str(uptr(arg1)) are the user filename, str(kptr(arg1)) empty" \
	grep -qx "@o\[$f, $f, \]: 1" "$ET_OUT"

# 3. fentry: typed arguments; a char * member of a kernel struct is kernel memory
if "$ETRACE" --info 2>&1 | grep -qE '^  fentry/fexit +yes'; then
	start_etrace -e "fentry:vfs_open /comm == \"etr_as_cat\"/ { @v[str(args.path->dentry->d_name.name), str($EXE)] = count(); }
fentry:do_sys_openat2 /comm == \"etr_as_cat\"/ { @o[str(args.filename), str(uptr(args.filename))] = count(); }"
	"$TMP/etr_as_cat" "$f"
	stop_etrace
	check "fentry: args.path->dentry->d_name.name is the opened file's name" \
		grep -qx "@v\[$(basename "$f"), etr_as_cat\]: 1" "$ET_OUT"
	check "fentry: str(args.filename) and str(uptr(args.filename)) are the user filename" \
		grep -qx "@o\[$f, $f\]: 1" "$ET_OUT"
else
	echo "note: this kernel cannot run fentry/fexit (etrace --info): the fentry cases are left out"
fi

# 4. kaddr() is a kernel address even in a uprobe (needs data symbols in /proc/kallsyms)
if [ -d /sys/bus/event_source/devices/uprobe ] && grep -qE ' [dDrR] linux_banner$' /proc/kallsyms; then
	build_uprobe_progs
	run_etrace -c "$UT 1" -e "uprobe:$UT:et_greet {
		printf(\"k [%s] [%s]\n\", str(kaddr(\"linux_banner\"), 14), ((struct task_struct *)kaddr(\"init_task\"))->comm); }"
	check "uprobe: str(kaddr(\"linux_banner\"), 14) and init_task's comm read as kernel memory" \
		grep -qx 'k \[Linux version\] \[swapper/0\]' "$ET_OUT"
else
	echo "note: no uprobes or no data symbols in /proc/kallsyms: the kaddr() case is left out"
fi
finish
