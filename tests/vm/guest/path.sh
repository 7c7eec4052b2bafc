# path() through bpf_d_path, which the kernel allows in fentry/fexit of a few functions (filp_close,
# vfs_getattr, ...): the full path of a file cat closes (args.filp->f_path) and of a file stat asks
# about (vfs_getattr's `const struct path *`), with a size.
. "$(dirname "$0")/lib.sh"
require_root
require_btf
require_kfunc filp_close
require_kfunc vfs_getattr
require_etrace_probe fentry:filp_close
"$ETRACE" --info 2>&1 | grep -qE '^  fentry/fexit +yes' || skip "this kernel cannot run fentry/fexit (etrace --info)"
F=/tmp/etr-path-$$.txt
echo hello >"$F"

start_etrace -e 'fentry:filp_close /comm == "cat"/ { @c[path(args.filp->f_path)] = count(); }
fentry:vfs_getattr /comm == "stat"/ { @g[path(args.path, 128)] = count(); }' || fail "attach fentry:filp_close and fentry:vfs_getattr"
cat "$F" >/dev/null
stat "$F" >/dev/null
stop_etrace INT
rm -f "$F"
check "exits 0 (status $ET_STATUS)" test "$ET_STATUS" = 0
check "path(args.filp->f_path) of the file cat closed is $F" grep -qE "^@c\[$F\]: [0-9]+$" "$ET_OUT"
check "path(args.path, 128) of the file stat looked at is $F" grep -qE "^@g\[$F\]: [0-9]+$" "$ET_OUT"
finish
