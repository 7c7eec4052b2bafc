# The forms of today's bpftrace that tests/runtime (cdefs, pointers, arrays, tuples, int_convert) checks
# with uprobes and tracepoints, here in kprobes, kretprobes and fentry/fexit (the host kernel runs none of
# them), with exact values from one `cat etr-l15-file-x`: a script's C definitions (bitfields, an
# anonymous union in a union member, a 2-D array, a missing ';' before '}', a redefinition of the
# kernel's struct qstr that wins over BTF) laid over the opened file's name in kernel memory; the
# script's enum and a kernel enumerator as values, %s on an enum, an enum map key; '.' and '*' through
# pointers, `*args`, `&$x`, pointer arithmetic and indexing; $t[N] on a tuple; a typed let narrowing.
# The name's bytes: e t r - l 1 5 - f i l e - x = 101 116 114 45 108 49 53 45 102 105 108 101 45 120.
. "$(dirname "$0")/lib.sh"
require_root
require_btf
require_kprobes
require_kfunc vfs_open
cp "$(command -v cat)" "$TMP/etr_l15cat"
f="$TMP/etr-l15-file-x"
: >"$f"
has_line() { grep -qxF -- "$1" "$ET_OUT"; }

DEFS='struct etr_name {
	char c0;
	char c1;
	unsigned int lo4 : 4, hi4 : 4;
	union { uint16_t w; struct { uint8_t a, b; }; } u;
	int16_t m[2][2]
}
struct qstr { uint32_t hash; uint32_t len; const unsigned char *name; };
enum etr_c { ETR_E = 101, ETR_T = 116 };'

# 1. kprobe and kretprobe
cat >"$TMP/kprobe.bt" <<EOF
$DEFS
kprobe:vfs_open /comm == "etr_l15cat"/ {
	\$d = ((struct path *)arg0).dentry;
	\$q = (struct qstr *)((uint64)\$d + offsetof(struct dentry, d_name));
	\$n = (struct etr_name *)\$q.name;
	if (str(\$q.name) == "etr-l15-file-x") {
		printf("kprobe %d %d %d %d %d %d %d %d %d %s %d\n", \$n.c0, \$n->c1, \$n.lo4, \$n.hi4, \$n.u.w, \$n.u.a,
			\$n.u.b, \$n.m[1][0], (*\$n).m[0][1], str(\$q.name), \$q.len);
		@m = \$n.m;
		\$t = (\$n.c0, (enum etr_c)\$n.c1);
		printf("forms %s %s %d %d %d\n", (enum etr_c)\$n.c0, \$t[1], \$t[0], BPF_MAP_TYPE_HASH, ETR_T);
		@e[(enum etr_c)\$n.c1] = count();
		let \$u: uint8 = \$n.c0 + 200;
		\$a = \$n.u.w; \$b = &\$a; \$p = (int8 *)\$n;
		printf("ptr %d %d %d %d\n", \$u, *\$b, *(\$p + 2), \$p[3]);
	}
}
kretprobe:vfs_open /comm == "etr_l15cat"/ {
	\$c = (struct etr_name *)((uint64)curtask + offsetof(struct task_struct, comm));
	printf("kretprobe %d %d %d %d %d\n", \$c.c0, \$c.c1, \$c.lo4, \$c.hi4, (int32)retval);
}
EOF
start_etrace "$TMP/kprobe.bt"
"$TMP/etr_l15cat" "$f" </dev/null
stop_etrace
check "kprobe: exit status 0" test "$ET_STATUS" = 0
check "kprobe: script struct fields, bitfields, an anonymous union's members, a 2-D array; the script's struct qstr" \
	has_line 'kprobe 101 116 2 7 12652 108 49 25964 26982 etr-l15-file-x 14'
check "kprobe: a 2-D array of the script's struct into a map" has_line '@m: [[11573,26982],[25964,30765]]'
check "kprobe: %s on the script's enum, \$t[N], a kernel enumerator, the script's enumerator" \
	has_line 'forms ETR_E ETR_T 101 1 116'
check "kprobe: an enum-typed map key prints by name" has_line '@e[ETR_T]: 1'
check "kprobe: a typed let narrows; *&\$a; *(p + 2); p[3]" has_line 'ptr 45 12652 114 45'
check "kretprobe: a script struct over curtask's comm; retval" has_line 'kretprobe 101 116 2 7 0'
[ "$ET_STATUS" = 0 ] || cat "$ET_ERR"

# 2. fentry and fexit: typed arguments, *args
if "$ETRACE" --info 2>&1 | grep -qE '^  fentry/fexit +yes'; then
	cat >"$TMP/fentry.bt" <<EOF
$DEFS
fentry:vfs_open /comm == "etr_l15cat"/ {
	\$n = (struct etr_name *)(*args).path.dentry.d_name.name;
	if (str(args.path.dentry.d_name.name) == "etr-l15-file-x") {
		printf("fentry %d %d %d %d %d %s\n", \$n.c0, \$n.lo4, \$n.hi4, \$n.u.w, \$n.m[1][0], (enum etr_c)\$n.c1);
	}
}
fexit:vfs_open /comm == "etr_l15cat"/ {
	\$n = (struct etr_name *)args.path.dentry.d_name.name;
	if (str(args.path.dentry.d_name.name) == "etr-l15-file-x") {
		\$t = (\$n.u.b, (**args).file.f_path.dentry == args.path.dentry, retval);
		printf("fexit %d %d %d\n", \$t[0], \$t[1], \$t[2]);
	}
}
EOF
	start_etrace "$TMP/fentry.bt"
	"$TMP/etr_l15cat" "$f" </dev/null
	stop_etrace
	check "fentry: exit status 0" test "$ET_STATUS" = 0
	check "fentry: (*args).path..., script struct fields, bitfields, union, 2-D array, enum by name" \
		has_line 'fentry 101 2 7 12652 25964 ETR_T'
	check "fexit: (**args).file, \$t[N], retval" has_line 'fexit 49 1 0'
	[ "$ET_STATUS" = 0 ] || cat "$ET_ERR"
else
	echo "note: this kernel cannot run fentry/fexit (etrace --info): the fentry cases are left out"
fi
finish
