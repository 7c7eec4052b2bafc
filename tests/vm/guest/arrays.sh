# Indexing in kprobes, kretprobes and fentry/fexit (the host kernel runs none of them), with exact
# values: the opened file's name "etr-ar-file-PID" through vfs_open's struct path, its bytes taken out
# of the dentry's inline name (a char array: a string, whose elements are int8) and out of
# d_name.name (a const unsigned char *, indexed like an array), with constant and variable indexes;
# a variable index past the array's end gives bpftrace's runtime warning and, as in bpftrace, reads the
# kernel memory there (the same byte as through a pointer to the dentry); curtask's comm indexed in a
# kretprobe; an array of structs (signal->rlim[]) and an array of pointers (fdt->fd, a struct file **).
. "$(dirname "$0")/lib.sh"
require_root
require_btf
require_kprobes
require_kfunc vfs_open
cp "$(command -v cat)" "$TMP/etr_ar_cat"
f="$TMP/etr-ar-file-$$"
: >"$f"
msg="warning: Array access out of bounds. This can lead to unexpected results."

# 1. kprobe: an integer argument cast to a kernel struct pointer, then indexed
script=$TMP/kprobe.bt
cat >"$script" <<'EOF'
kprobe:vfs_open /comm == "etr_ar_cat"/ {
	$d = ((struct path *)arg0)->dentry;
	$i = 1;
	$far = 100;
	@k0 = $d->d_iname[0];
	@k1 = $d->d_iname[$i];
	@n2 = $d->d_name.name[$i + 1];
	@past = $d->d_iname[$far] == ((int8 *)$d)[offsetof(struct dentry, d_iname) + $far];
	@lim = curtask->signal->rlim[7].rlim_max > 0;
	@fd0 = curtask->files->fdt->fd[0] != 0;
}
kretprobe:vfs_open /comm == "etr_ar_cat"/ { $i = 4; @r = curtask->comm[$i]; }
EOF
start_etrace "$script"
"$TMP/etr_ar_cat" "$f" </dev/null
stop_etrace
check "kprobe: exit status 0" test "$ET_STATUS" = 0
# "etr-ar-file-...": 'e' = 101, 't' = 116, 'r' = 114; "etr_ar_cat"[4] = 'a' = 97
for want in '@k0: 101' '@k1: 116' '@n2: 114' '@past: true' '@lim: true' '@fd0: true' '@r: 97'; do
	check "kprobe: $want" grep -qx "$want" "$ET_OUT"
done
check "kprobe: the out-of-bounds index is warned at its location" grep -qF "$script:8:10: $msg" "$ET_ERR"

# 2. fentry/fexit: typed arguments indexed the same way
if "$ETRACE" --info 2>&1 | grep -qE '^  fentry/fexit +yes'; then
	script=$TMP/fentry.bt
	cat >"$script" <<'EOF'
fentry:vfs_open /comm == "etr_ar_cat"/ {
	$i = 1;
	@f0 = args.path->dentry->d_iname[0];
	@f1 = args.path->dentry->d_iname[$i];
	@fn = args.path->dentry->d_name.name[$i + 1];
}
fexit:vfs_open /comm == "etr_ar_cat"/ { $i = 2; @x = args.path->dentry->d_iname[$i]; }
EOF
	start_etrace "$script"
	"$TMP/etr_ar_cat" "$f" </dev/null
	stop_etrace
	check "fentry: exit status 0" test "$ET_STATUS" = 0
	for want in '@f0: 101' '@f1: 116' '@fn: 114' '@x: 114'; do
		check "fentry: $want" grep -qx "$want" "$ET_OUT"
	done
else
	echo "note: this kernel cannot run fentry/fexit (etrace --info): the fentry cases are left out"
fi
finish
