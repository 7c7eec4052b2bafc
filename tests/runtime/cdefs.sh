# C definitions in scripts and enums, on real events with exact values:
#  - uprobes on tests/progs/ctypes.c, whose struct the script defines again the way bpftrace users write
#    it: a nested struct, an anonymous struct with a member name, an anonymous union (its members read
#    as the parent's), bitfields (unsigned, signed, one of 40 bits in a 64-bit unit), a packed struct in
#    an array, an enum member, a function pointer, a 2-D array, a zero-length array, a forward
#    declaration, a typedef, a missing ';' before '}', __attribute__((packed)) after the '}'. The layout
#    (sizeof, offsetof) must equal the one the C compiler printed, and every value the fixed one;
#  - enums: the script's enumerators as values, %s on an enum value prints its name, an enum-typed map
#    key prints by name; the kernel's enumerators (BTF) as values and printed by name, compared with a
#    tracepoint field (signal_generate's result: TRACE_SIGNAL_DELIVERED, an anonymous kernel enum);
#  - tracepoint fields whose format names a struct pointer (clock_nanosleep's rqtp, user memory;
#    cap_capable's cred, kernel memory) typed from BTF: their members read with exact values; a script
#    definition of the pointee (struct __kernel_timespec) wins over BTF's, as in bpftrace;
#  - a script definition's `int __user *` (or btf_type_tag("user")) reads user memory.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint signal/signal_generate
CT=$(build_prog ctypes etr_ctypes)
have_tracepoint() { [ -d /sys/kernel/tracing/events/$1 ] || [ -d /sys/kernel/debug/tracing/events/$1 ]; }
snapshot_bpf

script=$TMP/ctypes.bt
cat >"$script" <<EOF
enum et_color { ET_RED = 1, ET_GREEN = ET_RED << 1, ET_BLUE = 40 };
struct et_inner;
struct et_inner { short x; long long y };
typedef struct et_flags {
	unsigned int a : 3, b : 7;
	int c : 5;
	unsigned long long d : 40;
	unsigned char e : 1;
} flags_t;
struct et_packed { char tag; int value; short s; } __attribute__((packed));
struct et_ctypes {
	char kind;
	struct et_inner in;
	struct { int lo; int hi; } range;
	union { unsigned int word; unsigned char byte[4]; };
	flags_t flags;
	struct et_packed pk[2];
	enum et_color color;
	int (*cb)(int);
	short grid[2][2];
	int tail_len;
	int tail[0]
};
uprobe:$CT:et_ctypes {
	\$s = (struct et_ctypes *)arg0;
	printf("layout %d %d %d %d %d\n", sizeof(struct et_ctypes), offsetof(struct et_ctypes, flags),
	       offsetof(struct et_ctypes, pk), offsetof(struct et_ctypes, color), offsetof(struct et_ctypes, tail));
	printf("kind %c in %d %lld range %d %d\n", \$s->kind, \$s->in.x, \$s->in.y, \$s->range.lo, \$s->range.hi);
	printf("union %x %d %d\n", \$s->word, \$s->byte[0], \$s->byte[3]);
	printf("flags %d %d %d %llx %d\n", \$s->flags.a, \$s->flags.b, \$s->flags.c, \$s->flags.d, \$s->flags.e);
	printf("packed %c %d %d %c %d %d\n", \$s->pk[0].tag, \$s->pk[0].value, \$s->pk[0].s,
	       \$s->pk[1].tag, \$s->pk[1].value, \$s->pk[1].s);
	printf("color %d %s %d %d %s\n", \$s->color, \$s->color, \$s->color == ET_BLUE, ET_GREEN, ET_RED);
	printf("grid %d %d %d cb %d\n", \$s->grid[0][1], \$s->grid[1][0], \$s->tail_len, \$s->cb != 0);
	\$f = \$s->flags;
	printf("copy %d %d\n", \$f.c, \$f.b);
	@colors[\$s->color] = count();
}
EOF
run_etrace "$script" -c "$CT 2"
check "uprobe: exit status 0" test "$ET_STATUS" = 0
layout=$(grep -m1 '^layout' "$ET_OUT")
check "uprobe: sizeof and offsetof equal the C compiler's ($layout)" \
	test "$(grep -c "^$layout\$" "$ET_OUT")" = 3
check "uprobe: the values read through the definitions" diff <(grep -v -e '^layout' -e '^$' -e '^done$' -e '^@' "$ET_OUT") \
	<(for i in 1 2; do printf '%s\n' "kind k in -7 1099511627776 range 10 20" "union 4030201 1 4" \
		"flags 5 100 -3 123456789a 1" "packed p -100000 300 q 7 -2" "color 40 ET_BLUE 1 2 ET_RED" \
		"grid 2 3 2 cb 1" "copy -3 100"; done)
check "uprobe: an enum map key prints by name" test "$(grep -c '^@colors\[ET_BLUE\]: 2$' "$ET_OUT")" = 1

# ---- the kernel's enumerators: a tracepoint field compared with one, printed by name ----
script=$TMP/kenum.bt
cat >"$script" <<'EOF'
tracepoint:signal:signal_generate /pid == cpid || args.pid == cpid/ {
	printf("sig %d %d %d %s\n", args.sig, args.result, args.result == TRACE_SIGNAL_DELIVERED,
	       TRACE_SIGNAL_IGNORED);
}
EOF
run_etrace "$script" -c "sh -c 'kill -USR1 \$\$; true'"
check "kernel enum: exit status 0" test "$ET_STATUS" = 0
check "kernel enum: SIGUSR1 delivered, compared with TRACE_SIGNAL_DELIVERED" \
	test "$(grep -c '^sig 10 0 1 TRACE_SIGNAL_IGNORED$' "$ET_OUT")" = 1

# ---- tracepoint fields that point to a kernel struct get its BTF type (user memory for syscalls) ----
if [ -r /sys/kernel/btf/vmlinux ] && have_tracepoint syscalls/sys_enter_clock_nanosleep; then
	run_etrace -e 'tracepoint:syscalls:sys_enter_clock_nanosleep /pid == cpid/ {
		printf("rqtp %d %d %d\n", args.rqtp->tv_sec, args.rqtp.tv_nsec, sizeof(*args.rqtp)); }' -c "sleep 1.25"
	check "tracepoint struct pointer: exit status 0" test "$ET_STATUS" = 0
	check "tracepoint struct pointer: a user __kernel_timespec read through args.rqtp" \
		test "$(grep -c '^rqtp 1 250000000 16$' "$ET_OUT")" = 1
	# the script defines the kernel's struct again: its definition wins, also through the BTF-typed field
	run_etrace -e 'struct __kernel_timespec { int lo; int hi; long long ns; }
tracepoint:syscalls:sys_enter_clock_nanosleep /pid == cpid/ {
		printf("redef %d %d %d %d\n", args.rqtp.lo, args.rqtp->hi, (*args.rqtp).ns, sizeof(*args.rqtp)); }' \
		-c "sleep 1.25"
	check "tracepoint struct pointer: the script's struct __kernel_timespec wins over BTF's" \
		test "$(grep -c '^redef 1 0 250000000 16$' "$ET_OUT")" = 1
fi
if [ -r /sys/kernel/btf/vmlinux ] && have_tracepoint capability/cap_capable && command -v setpriv >/dev/null; then
	echo secret >"$TMP/secret" && chmod 600 "$TMP/secret"
	run_etrace -e 'tracepoint:capability:cap_capable /pid == cpid/ {
		printf("cap %d uid %d euid %d same %d\n", args.cap, args.cred->uid.val, args.cred->euid.val,
		       args.cred->uid.val == uid); }' \
		-c "setpriv --reuid=65534 --regid=65534 --clear-groups cat $TMP/secret"
	check "tracepoint struct pointer: exit status 0 (cap_capable)" test "$ET_STATUS" = 0
	check "tracepoint struct pointer: a kernel struct cred read through args.cred" \
		grep -Eq '^cap [12] uid 65534 euid 65534 same 1$' "$ET_OUT"
	check "tracepoint struct pointer: the cred is the task's" test "$(grep -c 'same 0' "$ET_OUT")" = 0
fi

# ---- __user / btf_type_tag("user") in a script's definition: the pointer reads user memory ----
# struct fake lays a script pointer over task_struct's clear_child_tid (an `int __user *` that glibc's
# fork() points at the child's own tid); read out of kernel memory without the annotation, it would be
# a kernel pointer (bpftrace's rule), which reads nothing at that user address.
if [ -r /sys/kernel/btf/vmlinux ] && have_tracepoint syscalls/sys_enter_getppid; then
	loop=$(build_prog getppid_loop etr_cd_loop)
	run_etrace -e 'BEGIN { print(offsetof(struct task_struct, clear_child_tid)); exit(); }'
	off=$(grep -Ex '[0-9]+' "$ET_OUT")
	for ann in __user '__attribute__((btf_type_tag("user")))'; do
		run_etrace -e "struct fake { char pad[$off]; int $ann *ctid; };
			tracepoint:syscalls:sys_enter_getppid /comm == \"etr_cd_loop\"/ {
				printf(\"ctid %d %d\n\", *((struct fake *)curtask)->ctid == tid, tid > 0); exit(); }" \
			-c "sh -c '$loop 3; true'"
		check "$ann: exit status 0" test "$ET_STATUS" = 0
		check "$ann: the pointer reads the task's tid from user memory" grep -qx 'ctid 1 1' "$ET_OUT"
	done
fi
check "nothing left behind" nothing_left_behind

finish
