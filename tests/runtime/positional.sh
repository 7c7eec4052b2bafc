#!/bin/bash
# Positional parameters as bpftrace has them: $N in attach points (a uprobe's binary and function, a
# tracepoint's event, an interval's count), as integers and strings in expressions, $#, a missing $N
# (0 with a warning; "" in str()), and str($N + K) / "text" + K (the text from offset K on).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/uprobe_lib.bash"
require_root
require_tracepoint syscalls/sys_enter_getppid
build_uprobe_progs
GP=$(build_prog getppid_loop etr_getppid)
snapshot_bpf

# uprobe:$1:$2: the binary and the function from the command line
run_etrace -c "$UT 5" -e 'uprobe:$1:$2 { @n = count(); @a = sum(arg0); }' "$UT" et_add
check "uprobe:\$1:\$2 counts the 5 calls of et_add" grep -qx '@n: 5' "$ET_OUT"
check "uprobe:\$1:\$2 reads arg0 0+1+2+3+4" grep -qx '@a: 10' "$ET_OUT"

# tracepoint:syscalls:$1 and a numeric $2 in the predicate; probe names the expanded point
run_etrace -c "$GP 7" -e 'tracepoint:syscalls:$1 /comm == str($2)/ { @[probe] = count(); }' sys_enter_getppid etr_getppid
check "tracepoint:syscalls:\$1: 7 getppid calls under the expanded probe name" \
	grep -qx '@\[tracepoint:syscalls:sys_enter_getppid\]: 7' "$ET_OUT"
# a parameter holding several parts of the point
run_etrace -c "$GP 3" -e 'tracepoint:$1 /comm == "etr_getppid"/ { @ = count(); }' syscalls:sys_enter_getppid
check "tracepoint:\$1 with \$1 = syscalls:sys_enter_getppid counts 3" grep -qx '@: 3' "$ET_OUT"

# interval:ms:$1 fires every $1 ms; $2 ends it after that many ticks
run_etrace -e 'interval:ms:$1 { @t = count(); $n = @c + 1; @c = $n; if ($n == $2) { exit(); } }' 20 4
check "interval:ms:\$1 ran until tick \$2 = 4" grep -qx '@c: 4' "$ET_OUT"

# values: integers, strings, $#, missing ones, str($N + K)
run_etrace -e 'BEGIN { printf("%d %d %s %d|%d|%s|%s|%s|%s|%s\n", $1 + 1, $2 * 2, str($3), $#, $5, str($5),
	str($3 + 2), str($1 + 1), $3 + 4, "literal" + 3); exit(); }' -- 41 -3 hello 0x10
check "values: 42 -6 hello, 4 parameters, \$5 is 0 and \"\", str(\$3 + 2), str(\$1 + 1), \$3 + 4, \"literal\" + 3" \
	grep -qx '42 -6 hello 4|0||llo|1|o|eral' "$ET_OUT"
check "a missing \$5 is warned about once, at its column" \
	bash -c "[ \$(grep -c 'warning: positional parameter \$5 is empty or not given; using 0' '$ET_ERR') = 1 ]"
run_etrace -e 'BEGIN { @x = $1 + 1; exit(); }' abc
check "\$1 + 1 of a string parameter is its text from offset 1" grep -qx '@x: bc' "$ET_OUT"
# str(s, n) of a string keeps n - 1 characters, as of memory (today's bpftrace); the cut string is a key
# equal to the literal of its text
run_etrace -e 'BEGIN { $n = 4; printf("%s|%s|%s|%s|%s|%s\n", str($1, 3), str($1 + 1, 3), str("abcdefgh", 3),
	str("abc", 1), str("abc", 10), str("wxyz", $n)); @k[str($1, 5)] = 1; @k["hell"] += 1; exit(); }' hello
check "str(s, n) keeps n - 1 characters" test "$(grep . "$ET_OUT")" = "he|el|ab||abc|wxy
@k[hell]: 2"

check "nothing left behind" nothing_left_behind
finish
