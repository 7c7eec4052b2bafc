# fentry (a BTF-typed context, like tp_btf) with its struct pointer arguments read through directly and
# used as numbers: members read directly through args.file (vfs_read's `struct file *`) equal the same
# members read with bpf_probe_read_kernel through a copy of the pointer taken as a number; masking and
# truncating the pointer load (the verifier refuses both on a kernel pointer, so etrace copies the
# argument out as a number there); the direct chain needs fewer instructions.
. "$(dirname "$0")/lib.sh"
require_root
require_btf
require_kfunc vfs_read
require_etrace_probe fentry:vfs_read
"$ETRACE" --info 2>&1 | grep -qE '^  fentry/fexit +yes' || skip "this kernel cannot run fentry/fexit (etrace --info)"

start_etrace -e 'fentry:vfs_read /comm == "cat"/ { $p = (struct file *)((uint64)args.file + 0);
	@eq[args.file->f_flags == $p->f_flags, args.file->f_inode->i_ino == $p->f_inode->i_ino,
	    args.file->f_path.dentry->d_inode->i_ino == $p->f_inode->i_ino] = count();
	@mask[(uint64)args.file & 7] = count(); @trunc[(uint32)args.file == (uint32)((uint64)args.file & 0xffffffff)] = count();
	@ino[args.file->f_inode->i_ino] = count(); }' || fail "attach fentry:vfs_read"
ino=$(stat -c %i /etc/hostname)
cat /etc/hostname >/dev/null
stop_etrace INT
check "fentry:vfs_read runs (status $ET_STATUS)" test "$ET_STATUS" = 0
check "direct loads equal probe reads" bash -c "grep -qE '^@eq\[true, true, true\]: [0-9]+$' '$ET_OUT' && [ \$(grep -c '^@eq' '$ET_OUT') = 1 ]"
check "the pointer argument masked as a number" grep -qE '^@mask\[0\]: [0-9]+$' "$ET_OUT"
check "the pointer argument truncated to 32 bits" grep -qE '^@trunc\[true\]: [0-9]+$' "$ET_OUT"
check "args.file->f_inode->i_ino is /etc/hostname's inode ($ino)" grep -qE "^@ino\[$ino\]: [0-9]+$" "$ET_OUT"

insns() { "$ETRACE" -v -e "fentry:vfs_read { @ = $1; } interval:ms:50 { exit(); }" 2>&1 >/dev/null |
	sed -n 's/^probe fentry:vfs_read: .* \([0-9]*\) xlated insns.*/\1/p'; }
direct=$(insns 'args.file->f_inode->i_sb->s_dev')
read=$(insns '((struct file *)((uint64)args.file + 0))->f_inode->i_sb->s_dev')
check "three hops: direct loads ${direct:-?} insns < probe reads ${read:-?} insns" test "${direct:-999}" -lt "${read:-0}"
finish
