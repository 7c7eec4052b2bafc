# The mission one-liner counts a child's getppid() calls by comm and prints the table on Ctrl-C.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint raw_syscalls/sys_enter
loop=$(build_prog getppid_loop etr_getppid)
N=20000
snapshot_bpf

for form in '< @[comm]=count(); >' '{ @[comm] = count(); }'; do
	start_etrace -e "tracepoint:raw_syscalls:sys_enter $form" || { fail "attach ($form)"; continue; }
	check "says 'Attached 1 probe' on stderr ($form)" grep -qx "Attached 1 probe" "$ET_ERR"
	"$loop" $N
	stop_etrace INT
	check "exit status 0 after SIGINT ($form)" test "$ET_STATUS" = 0
	count=$(sed -n 's/^@\[etr_getppid\]: \([0-9]*\)$/\1/p' "$ET_OUT")
	check "count for the child >= $N (got '${count}') ($form)" test "${count:-0}" -ge $N
	# every map line has the form @[comm]: N and the lines are sorted ascending by value
	check "every line is '@[comm]: N' ($form)" \
		bash -c "grep -v '^\$' '$ET_OUT' | grep -qvE '^@\[[^]]*\]: [0-9]+\$' && exit 1 || exit 0"
	check "sorted ascending by value ($form)" \
		bash -c "grep '^@' '$ET_OUT' | sed 's/.*: //' | sort -n -c"
	check "nothing left behind ($form)" nothing_left_behind
done
finish
