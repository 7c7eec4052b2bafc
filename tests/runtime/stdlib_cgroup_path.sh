# cgroup_path(id[, filter]): a -c child moves itself into a cgroup v2 directory made for the test (a
# subdirectory of one), then calls getppid; cgroup_path(cgroup, "unified") of its events prints
# "unified:/DIR/sub" through printf %s, print() of a tuple, as a map key and as a map value; the
# unfiltered form lists every mounted hierarchy holding that id, cgroup2 first, then the v1 ones by name
# (what the test expects is found with find -inum in each mount of /proc/mounts); a filter that matches
# no hierarchy prints ""; cgroup_path(1, "unified") is the root, "unified:/". Text and -f json.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
snapshot_bpf

cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
[ -n "$cg2" ] || skip "no cgroup v2 hierarchy mounted"
cgdir="$cg2/etr_cgpath_$$"
mkdir "$cgdir" 2>/dev/null || skip "cannot make a cgroup in $cg2"
mkdir "$cgdir/sub" || { rmdir "$cgdir"; skip "cannot make a nested cgroup in $cgdir"; }
trap 'rmdir "$cgdir/sub" "$cgdir" 2>/dev/null; cleanup' EXIT
cgid=$(stat -c %i "$cgdir/sub")
rel="/etr_cgpath_$$/sub"
loop=$(build_prog getppid_loop etr_cgpath)
child="sh -c 'echo \$\$ >$cgdir/sub/cgroup.procs && exec $loop 3'"

# every hierarchy holding the id, as bpftrace lists them: cgroup2 ("unified") first, then v1 by name
expect_all() {
	local id=$1 out="" type dir path name
	for type in cgroup2 cgroup; do
		while read -r name dir; do
			if [ "$(stat -c %i "$dir")" = "$id" ]; then
				path=/
			else
				path=$(find "$dir" -mindepth 1 -inum "$id" -print -quit 2>/dev/null)
				[ -n "$path" ] && path=${path#"$dir"}
			fi
			[ -n "$path" ] && out+="${out:+,}$name:$path"
		done < <(awk -v t=$type '$3 == t { n = $2; sub(/.*\//, "", n); if (t == "cgroup2") n = "unified";
			print n, $2 }' /proc/mounts | LC_ALL=C sort -s -k1,1)
	done
	printf '%s' "$out"
}

prog='tracepoint:syscalls:sys_enter_getppid /pid == cpid && comm == "etr_cgpath"/ {
	printf("p=%s|%s|[%s]\n", cgroup_path(cgroup, "unified"), cgroup_path(cgroup, "unif*"), cgroup_path(cgroup, "nope"));
	printf("all=%s\n", cgroup_path(cgroup));
	@k[cgroup_path(cgroup, "unified"), cgroup] = count();
	@v = cgroup_path(cgroup, "unified");
	$t = (cgroup_path(cgroup, "unified"), 7);
	print($t);
}
END { print(cgroup_path(1, "unified")); }'
start_etrace -c "$child" -e "$prog" || exit 1
wait_etrace
all=$(expect_all "$cgid")
check "printf %s: unified:$rel, with a wildcard filter too, \"\" for a filter matching nothing" \
	test "$(grep -c "^p=unified:$rel|unified:$rel|\[\]\$" "$ET_OUT")" = 3
check "without a filter: every hierarchy holding id $cgid ($all)" \
	test "$(grep -cxF "all=$all" "$ET_OUT")" = 3
check "print() of a tuple" test "$(grep -cxF "(unified:$rel, 7)" "$ET_OUT")" = 3
check "a map key" grep -qxF "@k[unified:$rel, $cgid]: 3" "$ET_OUT"
check "a map value" grep -qxF "@v: unified:$rel" "$ET_OUT"
check "the root cgroup (id 1)" grep -qxF "unified:/" "$ET_OUT"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

start_json -c "$child" -e 'tracepoint:syscalls:sys_enter_getppid /pid == cpid && comm == "etr_cgpath"/ {
	printf("%s\n", cgroup_path(cgroup, "unified"));
	@k[cgroup_path(cgroup, "unified")] = count();
	@v = cgroup_path(cgroup, "unified");
	print(cgroup_path(cgroup, "unified"));
}' || exit 1
wait_etrace
check "-f json: printf, print(), map key and value" jcheck "$ET_OUT" \
	"of('printf') == ['unified:$rel\\n'] * 3" \
	"of('value') == ['unified:$rel'] * 3" \
	"one('map', '@k') == {'unified:$rel': 3}" \
	"one('map', '@v') == 'unified:$rel'"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

check "nothing left behind" nothing_left_behind
finish
