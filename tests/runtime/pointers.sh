# Pointers as today's bpftrace has them, with exact values from real events: `.` reads through a struct
# pointer as `->` does; unary `*` (a pointee of each integer width, a struct copied by value into a
# variable, a map value and a tuple; an integer read as a uint64 address); `&` of a variable; pointer
# arithmetic scaled by the pointee size (+, -, ++, --, +=, -=, on variables and maps); comparisons;
# casts between integers and pointers; the `(type)*p` cast of a dereference with a kernel typedef.
# Probes: a uprobe and a uretprobe on tests/progs/ptr_chain (fixed data, see its header), a USDT probe
# of tests/progs/uprobe_target (its "usdt-string" argument), a syscall tracepoint (a user
# pointer argument dereferenced, curtask chains with `.`), a tp_btf raw tracepoint (args.bprm.filename)
# and BEGIN (pointers that point nowhere readable: arithmetic only).
. "$(dirname "$0")/lib.sh"
require_root
require_btf "curtask has no type"
require_tracepoint syscalls/sys_enter_openat
prog=$(build_prog ptr_chain etr_ptr_chain)
loop=$(build_prog getppid_loop etr_ptr_loop)
snapshot_bpf

# 1. uprobe: the chain first -> second, leaf1, leaf2 and vals of tests/progs/ptr_chain.c
run_etrace -q -c "$prog 3" -e "$PTR_CHAIN_DEFS
uprobe:$prog:etp_visit {
	\$n = (struct etp_node *)arg0;
	printf(\"dot %d %d %d %lu %d %d\n\", \$n.id, \$n.next.id, \$n.leaf.i8, \$n.next.leaf.u64, \$n.leaf.u16,
		\$n.next.next == 0);
	printf(\"arrow %d %d %d %lu %d %d\n\", \$n->id, \$n->next->id, \$n->leaf->i8, \$n->next->leaf->u64,
		\$n->leaf->u16, \$n->next->next == 0);
	\$l = *\$n.leaf;
	@l = *\$n.leaf;
	@t = (*\$n.next.leaf, 7);
	printf(\"copy %d %lu %d %d\n\", \$l.i32, \$l.u64, (*\$n).id, (*\$n.next).vals[3]);
	\$p = (int8 *)\$n.leaf;
	printf(\"widths %d %u %d %u %d %u %ld %lu\n\", *\$p, *((uint8 *)\$p + 1), *((int16 *)\$p + 1),
		*((uint16 *)\$p + 2), *((int32 *)\$p + 2), *((uint32 *)\$p + 3), *((int64 *)\$p + 2),
		*((uint64 *)\$p + 3));
	printf(\"int %d %d\n\", *(int32 *)arg0, *arg1 & 0xffffffff);
	\$v = (int32 *)arg1; \$v++; \$v += 2;
	\$w = \$v - 1;
	\$x = \$w; \$x--; \$x -= 1;
	@m = (int32 *)arg1; @m++; @m += 2; @m--; @m -= 1;
	printf(\"arith %d %d %d %d %d %d\n\", *\$v, *\$w, *\$x, *@m, *(1 + \$w), *(\$v - 3));
	printf(\"bytes %d %d\n\", (uint64)\$v - (uint64)arg1, (uint64)(\$n.next + 1) - (uint64)\$n.next);
	printf(\"cmp %d %d %d %d %d\n\", \$v > \$w, \$w + 1 == \$v, \$w >= \$v, \$v != \$w, \$n.next != 0);
	\$a = 5; \$b = &\$a; \$a = 6;
	\$s = \"hey\"; \$c = (int8 *)&\$s;
	printf(\"addr %d %c%c %d\n\", *\$b, *\$c, *(\$c + 1), *(&\$a) == \$a);
	\$pick = \$n.id == 1 ? \$n.next : \$n;
	printf(\"ternary %d\n\", \$pick.id);
}"
check "uprobe: etrace ran (status $ET_STATUS)" test "$ET_STATUS" = 0
check "uprobe: '.' reads through struct pointers" test "$(grep -cx 'dot 1 2 -8 2 60000 1' "$ET_OUT")" = 3
check "uprobe: '->' reads the same" test "$(grep -cx 'arrow 1 2 -8 2 60000 1' "$ET_OUT")" = 3
check "uprobe: *p of a struct copied into a variable, *p.field" has_line 'copy -320000 18000000000000000000 1 80'
check "uprobe: *p of every integer width, pointer arithmetic scaled by the pointee" \
	has_line 'widths -8 200 -1600 60000 -320000 4000000000 -64000000000 18000000000000000000'
check "uprobe: *(int32 *)arg0, *arg1 (an integer: a uint64 read)" has_line 'int 1 10'
check "uprobe: ++ += - -- -= on variables and maps, int + pointer" has_line 'arith 40 30 10 20 40 10'
check "uprobe: int32 * moves by 4 bytes, struct etp_node * by sizeof" has_line 'bytes 12 40'
check "uprobe: pointer comparisons" has_line 'cmp 1 1 0 1 1'
check "uprobe: &\$x read back, also after \$x changed; (int8 *)&\$s" has_line 'addr 6 he 1'
check "uprobe: a ternary of pointers stays a pointer" has_line 'ternary 2'
check "uprobe: a struct copied into a map value" has_line \
	'@l: { .i8 = -8, .u8 = 200, .i16 = -1600, .u16 = 60000, .i32 = -320000, .u32 = 4000000000, .i64 = -64000000000, .u64 = 18000000000000000000 }'
check "uprobe: a struct copied into a tuple" has_line \
	'@t: ({ .i8 = 2, .u8 = 2, .i16 = 2, .u16 = 2, .i32 = 2, .u32 = 2, .i64 = 2, .u64 = 2 }, 7)'

# uretprobe: a returned pointer read through; USDT: a string argument read through pointers
run_etrace -q -c "$prog 2" -e "$PTR_CHAIN_DEFS
uretprobe:$prog:etp_next { @r[((struct etp_node *)retval).id, ((struct etp_node *)retval).leaf.i8,
	(*(struct etp_node *)retval).vals[2]] = count(); }"
check "uretprobe: ((struct etp_node *)retval).id, .leaf.i8, (*p).vals[2]" has_line '@r[2, 2, 70]: 2'
build_uprobe_progs
run_etrace -q -c "$UT 2" -e "usdt:$UT:ettest:str { @u[*(uint8 *)arg0, *((int8 *)arg0 + 5), str((int8 *)arg0 + 5)] = count(); }"
check "usdt: *(uint8 *)arg0, *((int8 *)arg0 + 5), str((int8 *)arg0 + 5)" has_line '@u[117, 115, string]: 2'

# 2. syscall tracepoint: *args.filename reads the first byte of a user string; curtask chains with '.'
f="$TMP/etr-ptr-file"
: >"$f"
cp "$(command -v cat)" "$TMP/etr_ptr_cat"
start_etrace -e "tracepoint:syscalls:sys_enter_openat /comm == \"etr_ptr_cat\"/ {
	@[*args.filename, (int8)*(uint64 *)args.filename, *(uint8 *)args.filename, str(args.filename + 1),
	  str(curtask.mm.exe_file.f_path.dentry.d_name.name), curtask.real_parent.pid == curtask->real_parent->pid,
	  curtask.pid == pid, str((*args).filename), (**args).flags == args.flags] = count(); }" ||
	fail "attach sys_enter_openat"
"$TMP/etr_ptr_cat" "$f"
stop_etrace INT
check "sys_enter_openat: *args.filename, (int8)*(uint64 *), *(uint8 *), args.filename + 1, curtask chains with '.'; *args, **args" \
	grep -qx "@\[47, 47, 47, ${f#/}, etr_ptr_cat, true, true, $f, true\]: 1" "$ET_OUT"

# the kernel typedef cast of a dereference; a pointer kept in a variable and read through with '.'
start_etrace -e "tracepoint:syscalls:sys_enter_getppid /comm == \"etr_ptr_loop\"/ {
	\$t = curtask; \$m = \$t.mm; \$pid = (pid_t *)((int8 *)\$t + offsetof(struct task_struct, pid));
	@[(fmode_t)*\$pid == pid, *\$pid == pid, str(\$m.exe_file.f_path.dentry.d_name.name)] = count(); }" ||
	fail "attach sys_enter_getppid"
"$loop" 100
stop_etrace INT
check "sys_enter_getppid: (fmode_t)*\$p (a kernel typedef) of a pointer into the task, '.' through a variable" \
	grep -qx '@\[true, true, etr_ptr_loop\]: 100' "$ET_OUT"

# 3. tp_btf: a struct pointer argument read through with '.'
if "$ETRACE" --info 2>&1 | grep -qE '^  tp_btf +yes'; then
	start_etrace -e "rawtracepoint:sched_process_exec /comm == \"etr_ptr_loop\"/ {
		@[str(args.bprm.filename), args.p.pid == pid, (*args.bprm).filename == args.bprm->filename,
		  (*args).p.pid == pid] = count(); }" ||
		fail "attach rawtracepoint:sched_process_exec"
	"$loop" 1
	stop_etrace INT
	check "tp_btf: args.bprm.filename, args.p.pid, (*args.bprm).filename, (*args).p.pid" \
		grep -qx "@\[$loop, true, true, true\]: 1" "$ET_OUT"
else
	echo "note: this kernel does not load tp_btf programs: the rawtracepoint case is left out"
fi

# 4. BEGIN: arithmetic and casts of pointers that are never read
run_etrace -q -e 'BEGIN {
	$p = (int32 *)0x1000; $q = (struct task_struct *)0x1000; $v = (void *)0x1000; $pp = (int64 **)0x1000;
	printf("%p %p %p %p %p\n", $p + 1, $q + 1 - 1, $v + 3, $pp + 2, 2 + $p);
	printf("%d %d %d %d\n", (uint64)($q + 1) - (uint64)$q == sizeof(struct task_struct), (int8)($p + 0x3f),
		(uint16)(int8 *)0x12345, (uint32)(int64 *)0x123456789);
	printf("%d %d %d\n", (int16 *)(uint8)0x1ff == (int16 *)0xff, (uint64)(int32 *)-1, $p == 0x1000);
	exit(); }'
check "BEGIN: pointer arithmetic by pointee size, void * by 1" has_line '0x1004 0x1000 0x1003 0x1010 0x1008'
check "BEGIN: pointers cast to each integer width" has_line '1 -4 9029 591751049'
check "BEGIN: integers cast to pointers; pointer == integer" has_line '1 -1 1'

check "nothing left behind" nothing_left_behind
finish
