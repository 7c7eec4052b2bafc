# Pointers in kprobes, kretprobes and fentry/fexit (the host kernel runs none of them), with exact values
# from one `cat FILE`: vfs_open(const struct path *, struct file *) read through a kprobe's integer
# argument cast to a kernel struct pointer and through fentry's typed argument, with `.` (today's
# bpftrace: a pointer is dereferenced by `.`), `->`, unary `*` (an integer member, a whole struct copied
# into a map value), pointer arithmetic by sizeof(struct path) and comparisons; a kretprobe's return
# value, and fexit's typed argument read after the call.
. "$(dirname "$0")/lib.sh"
require_root
require_btf
require_kprobes
require_kfunc vfs_open
cp "$(command -v cat)" "$TMP/etr_ptr_cat"
f="$TMP/etr-ptr-file-$$"
: >"$f"
name=$(basename "$f")

# 1. kprobe: (struct path *)arg0 read with '.', '->', '*'; (struct file *)arg1
start_etrace -e "kprobe:vfs_open /comm == \"etr_ptr_cat\"/ {
	\$p = (struct path *)arg0; \$q = \$p + 1;
	@[str(\$p.dentry.d_name.name), str(\$p->dentry->d_name.name), (*\$p).dentry == \$p.dentry,
	  *(uint64 *)arg0 == (uint64)\$p.mnt, (uint64)\$q - (uint64)\$p, \$q > \$p] = count();
	@s = *\$p; @m = \$p.mnt; }
kretprobe:vfs_open /comm == \"etr_ptr_cat\"/ { @r[(int32)retval] = count(); }"
"$TMP/etr_ptr_cat" "$f"
stop_etrace
check "kprobe: '.', '->' and '*' through (struct path *)arg0; + 1 moves by sizeof(struct path)" \
	grep -qx "@\[$name, $name, true, true, 16, true\]: 1" "$ET_OUT"
check "kprobe: *(struct path *) copied into a map value, its mnt the member read through '.'" \
	bash -c "m=\$(sed -n 's/^@m: //p' '$ET_OUT'); [ -n \"\$m\" ] && grep -q \"^@s: { .mnt = \$m, .dentry = 0x\" '$ET_OUT'"
# cat opens its libraries too: every open returned 0
check "kretprobe: vfs_open returned 0 each time" \
	bash -c "grep -qE '^@r\[0\]: [1-9][0-9]*$' '$ET_OUT' && [ \$(grep -c '^@r\[' '$ET_OUT') = 1 ]"

# 2. fentry/fexit: the typed argument, read with '.' and '*'
if "$ETRACE" --info 2>&1 | grep -qE '^  fentry/fexit +yes'; then
	start_etrace -e "fentry:vfs_open /comm == \"etr_ptr_cat\"/ {
	@[str(args.path.dentry.d_name.name), (*args.path).dentry == args.path->dentry, args.file.f_path.dentry == 0,
	  args.path + 1 > args.path] = count(); }
fexit:vfs_open /comm == \"etr_ptr_cat\"/ { @x[str(args.file.f_path.dentry.d_name.name), retval] = count(); }"
	"$TMP/etr_ptr_cat" "$f"
	stop_etrace
	check "fentry: args.path.dentry.d_name.name, (*args.path).dentry, args.path + 1" \
		grep -qx "@\[$name, true, true, true\]: 1" "$ET_OUT"
	check "fexit: args.file.f_path is set when vfs_open returns 0" grep -qx "@x\[$name, 0\]: 1" "$ET_OUT"
else
	echo "note: this kernel cannot run fentry/fexit (etrace --info): the fentry cases are left out"
fi
finish
