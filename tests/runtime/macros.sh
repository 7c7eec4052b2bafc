#!/bin/bash
# bpftrace macros expanded and run: a child makes exactly 7 getppid() calls and every value the probe
# stores through a macro is checked exactly: variables and maps passed by reference and changed,
# expression parameters (evaluated once per use), nested calls, a bare name for a macro without
# parameters, overloading by arity and by kind, a user macro hiding the builtin of its name, hygiene
# (the macro's own $y is not the caller's), a macro looping over a map it was given, typeof(T) type arguments (sizeof, struct t, casts, let, offsetof). Nothing is left
# behind.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
loop=$(build_prog getppid_loop etr_macros)
snapshot_bpf

cat >"$TMP/macros.bt" <<'EOF'
struct pair { int a; char m; }
macro inc($x) { $x += 1; }
macro add_one(x) { x + 1 }
macro add_two(x) { add_one(add_one(x)) }
macro twice(x) { x * 2 }
macro bump(@m, k) { @m[k] += 1; }
macro is_me() { comm == "etr_macros" }
macro three_times(x) { x; x; x; }
macro total(@m) { let $n = 0; for ($kv : @m) { $n += $kv.1; } $n }
macro own(x) { $y = x + 1; $y }
macro val($x) { 1000 + $x }
macro val(x) { x }
macro val(x, y) { x + y }
macro pid() { 4242 }
macro both($a, @b) { inc($a); @b = $a * 10; }

tracepoint:syscalls:sys_enter_getppid /is_me/ {
	$c = 0;
	inc($c);
	inc($c);
	@c = $c;
	bump(@calls, 1);
	@v = add_two(40);
	@t = twice(add_one(2));
	$z = 5;
	@kinds = (val(5), val($z), val(1, 2));
	@pid = (pid, pid());
	$y = 2;
	@hyg = ($y, own(5));
	three_times({ @side += 1 });
	$w = 3;
	both($w, @b);
	@w = $w;
}
macro sz(t) { sizeof(t) }
macro tagged(t) { sizeof(struct t) }
macro handed_on(z) { sz(z) }
macro narrow(t) { (t)257 }
macro as_ptr(t, v) { (t*)v }
macro sizes(a, b) { sizeof(a[2]) + sizeof(b*) + sizeof(b) }
macro typed(t) { let $x: t = 200; $x + 100 }
macro field_at(t) { offsetof(t, m) }
END {
	printf("total %d\n", total(@calls));
	printf("types %d %d %d %d\n", sz(typeof(uint64)), sz(typeof(struct task_struct)) == sizeof(struct task_struct),
	       tagged(typeof(task_struct)) == sizeof(struct task_struct), handed_on(typeof(uint16)));
	printf("casts %d %d\n", narrow(typeof(uint8)), as_ptr(typeof(uint16), 4096) == (uint16 *)4096);
	printf("typed %d %d %d\n", sizes(typeof(uint64*), typeof(struct pair)), typed(typeof(uint8)),
	       field_at(typeof(struct pair)));
}
EOF
start_etrace "$TMP/macros.bt"
"$loop" 7
stop_etrace INT
line() { grep -qxF -- "$1" "$ET_OUT"; }
check "\$x parameter changed twice: @c: 2" line "@c: 2"
check "@m parameter, 7 events: @calls[1]: 7" line "@calls[1]: 7"
check "nested expression macros: @v: 42" line "@v: 42"
check "a macro call as an argument: @t: 6" line "@t: 6"
check "overloads by kind and arity: (5, 1005, 3)" line "@kinds: (5, 1005, 3)"
check "a user macro hides the builtin pid, bare and called: (4242, 4242)" line "@pid: (4242, 4242)"
check "the macro's own \$y is not the caller's: (2, 6)" line "@hyg: (2, 6)"
check "an expression argument runs at each use: 3 x 7 = 21" line "@side: 21"
check "a macro calling a macro with a variable and a map: @w: 4, @b: 40" bash -c "grep -qxF '@w: 4' '$ET_OUT' && grep -qxF '@b: 40' '$ET_OUT'"
check "a macro looping over the map it was given, in END: total 7" line "total 7"
check "typeof(T) arguments: sizeof(t), sizeof(struct t), handed on: types 8 1 1 2" line "types 8 1 1 2"
check "type parameters in casts: (t)257 as uint8, (t*)v: casts 1 1" line "casts 1 1"
check "type parameters in sizeof(t[2]), sizeof(t*), let \$x: t, offsetof(t, f): typed 32 300 4" line "typed 32 300 4"
check "exit status 0 ($ET_STATUS)" test "$ET_STATUS" = 0

check "nothing left behind" nothing_left_behind
finish
