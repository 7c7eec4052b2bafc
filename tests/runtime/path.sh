# path(): lowered to bpf_d_path only where the kernel allows it (fentry/fexit of the functions of its
# btf_allowlist_d_path); elsewhere a located error with a hint. Compiles here (--emit-elf: fentry does
# not load on every kernel); tests/vm/guest/path.sh runs it where fentry works.
. "$(dirname "$0")/lib.sh"
require_btf
grep -qE ' (filp_close|vfs_getattr)$' /proc/kallsyms || skip "no filp_close/vfs_getattr in this kernel"
emit() { "$ETRACE" --emit-elf "$TMP/p.o" -e "$1" >"$TMP/p.err" 2>&1; }
emit 'fentry:filp_close { printf("%s\n", path(args.filp->f_path)); } fexit:vfs_getattr { @[path(args.path, 128)] = count(); }'
check "path() of a struct path member and of a struct path * compile in allow-listed functions" test $? = 0
emit 'fentry:vfs_read { printf("%s\n", path(args.file->f_path)); }'
check "vfs_read is not allow-listed: located error" bash -c "grep -q '^-e:1:34: error: path() needs the bpf_d_path helper' '$TMP/p.err' && grep -q '^hint: print the file name with str' '$TMP/p.err'"
emit 'fentry:filp_close { printf("%s\n", path(args.filp)); }'
check "a struct file * is not a struct path" grep -q "path() expects a struct path of the kernel, such as args.file->f_path (struct file \* provided)" "$TMP/p.err"
emit 'tracepoint:syscalls:sys_enter_openat { printf("%s\n", path(curtask->fs->pwd)); }'
check "a tracepoint cannot call bpf_d_path" grep -q "error: path() needs the bpf_d_path helper" "$TMP/p.err"
finish
