# Failed helper calls are reported at the call each time, as bpftrace does (its helper_error): a map
# update that fails because the map is full (E2BIG) is a located warning with the helper's name and
# code in text, a "helper_error" line under -f json, and nothing under --no-warnings; with -k a user
# read by str() or buf() that faults, a kernel read of a field, through a pointer, of a string or of
# join()'s pointers that faults and a lookup of a missing key (also of a count()) are reported the same way. signal() of a number computed at run
# time is range-checked in the program (bpftrace's errorf) and a failed send is a warning (its warnf). The maps hold
# max_map_keys = 2 keys and the script writes 3 keys with each kind of update: an assignment, an
# aggregation and an update in place.
. "$(dirname "$0")/lib.sh"
require_root

script=$TMP/full.bt
printf '%s\n' 'config = { max_map_keys = 2 }' \
	'BEGIN {' \
	'	$i = 0;' \
	'	while ($i < 3) { @m[$i] = $i; @c[$i] = count(); @s[$i] += 1; $i++; }' \
	'	exit();' \
	'}' >"$script"
full="warning: Map full; can't update element. Try increasing max_map_keys config or manually setting the max entries in a map declaration e.g. \`let @a = hash(5000)\`"

# ---- text ----
run_etrace "$script"
check "text: exit 0" test "$ET_STATUS" = 0
cat >"$TMP/want" <<WANT
$script:4:19: $full
Additional Info - helper: map_update_elem, retcode: -7
	while (\$i < 3) { @m[\$i] = \$i; @c[\$i] = count(); @s[\$i] += 1; \$i++; }
WANT
grep -A2 -F "$script:4:19: " "$ET_ERR" >"$TMP/got"
check "text: the failed assignment, located, with the helper and its code" diff "$TMP/want" "$TMP/got"
check "text: the aggregation's failure at count()" test "$(grep -cxF "$script:4:41: $full" "$ET_ERR")" = 1
check "text: the update in place's failure" test "$(grep -cxF "$script:4:50: $full" "$ET_ERR")" = 1
check "text: three failures in all" test "$(grep -cxF 'Additional Info - helper: map_update_elem, retcode: -7' "$ET_ERR")" = 3
check "text: two keys kept in @m" test "$(grep -c '^@m\[' "$ET_OUT")" = 2

# ---- JSON ----
run_etrace -f json "$script"
check "json: exit 0" test "$ET_STATUS" = 0
for col in 19 41 50; do
	check "json: the helper_error at column $col" grep -qxF \
		"{\"type\": \"helper_error\", \"msg\": \"Argument list too long\", \"helper\": \"map_update_elem\", \"retcode\": -7, \"filename\": \"$script\", \"line\": 4, \"col\": $col}" "$ET_OUT"
done
check "json: three helper_error lines" test "$(grep -c '"helper_error"' "$ET_OUT")" = 3

# ---- --no-warnings: the same maps, nothing reported ----
run_etrace --no-warnings "$script"
check "--no-warnings: exit 0" test "$ET_STATUS" = 0
check "--no-warnings: no failure reported" sh -c "! grep -q 'Map full' '$ET_ERR'"
check "--no-warnings: two keys kept in @m" test "$(grep -c '^@m\[' "$ET_OUT")" = 2

# ---- a program with no event of its own still reports (the ring buffer is there for it) ----
run_etrace -e 'config = { max_map_keys = 1 } BEGIN { @a[1] = 1; @a[2] = 2; }'
check "no other event: the failure reported at @a[2] = 2" \
	grep -qxF -- "-e:1:50: $full" "$ET_ERR"

# ---- -k: a str() and a buf() of a bad user address, each call reported (bpftrace's -k) ----
require_tracepoint syscalls/sys_enter_getppid
loop=$(build_prog getppid_loop etr_kread)
kscript=$TMP/k.bt
printf '%s\n' 'tracepoint:syscalls:sys_enter_getppid /comm == "etr_kread"/ {' \
	'	@s[str((uint64)1)] = count();' \
	'	$b = buf((uint64)8, 4);' \
	'}' >"$kscript"
start_etrace -k "$kscript" || { fail "-k: attach"; finish; }
"$loop" 3
stop_etrace INT
cat >"$TMP/want" <<WANT
$kscript:2:5: warning: Bad address
Additional Info - helper: probe_read_user_str, retcode: -14
	@s[str((uint64)1)] = count();
WANT
grep -m1 -A2 -F "$kscript:2:5: " "$ET_ERR" >"$TMP/got"
check "-k: the failed str() read, located, with the helper and its code" diff "$TMP/want" "$TMP/got"
check "-k: str() reported for each of the 3 calls" test "$(grep -cxF "$kscript:2:5: warning: Bad address" "$ET_ERR")" = 3
check "-k: buf() reported at the call for each of the 3 calls" \
	test "$(grep -A1 -xF "$kscript:3:7: warning: Bad address" "$ET_ERR" | grep -cxF 'Additional Info - helper: probe_read_user, retcode: -14')" = 3
check "-k: the map still counts the 3 calls" grep -qx '@s\[\]: 3' "$ET_OUT"
start_json -k "$kscript" || { fail "-k json: attach"; finish; }
"$loop" 2
stop_etrace INT
check "-k json: the str() helper_error, twice" test "$(grep -cxF "{\"type\": \"helper_error\", \"msg\": \"Bad address\", \"helper\": \"probe_read_user_str\", \"retcode\": -14, \"filename\": \"$kscript\", \"line\": 2, \"col\": 5}" "$ET_OUT")" = 2
check "-k json: the buf() helper_error, twice" test "$(grep -cxF "{\"type\": \"helper_error\", \"msg\": \"Bad address\", \"helper\": \"probe_read_user\", \"retcode\": -14, \"filename\": \"$kscript\", \"line\": 3, \"col\": 7}" "$ET_OUT")" = 2
# without -k the reads are not reported one by one (bpftrace's default)
start_etrace "$kscript" || { fail "no -k: attach"; finish; }
"$loop" 2
stop_etrace INT
check "without -k: no per-call report" sh -c "! grep -q 'Bad address' '$ET_ERR'"

# ---- -k: kernel reads that fault (a field of, and a dereference of, a pointer cast from an int: below
# the kernel's addresses, so the read fails with ERANGE) and a lookup of a missing key, each reported
# at its expression; the values read as 0. Without -k none is reported (bpftrace's default). kptr()
# makes the pointers kernel ones (in a syscall tracepoint a bare cast is user memory) ----
rscript=$TMP/kread.bt
printf '%s\n' 'tracepoint:syscalls:sys_enter_getppid /comm == "etr_kread"/ {' \
	'	$t = kptr((struct task_struct *)1);' \
	'	@pid = $t->pid;' \
	'	@v = *kptr((uint64 *)16);' \
	'	@w = @none[3];' \
	'	@none[4] = 1;' \
	'}' >"$rscript"
start_etrace -k "$rscript" || { fail "-k reads: attach"; finish; }
"$loop" 1
stop_etrace INT
cat >"$TMP/want" <<WANT
$rscript:3:9: warning: Numerical result out of range
Additional Info - helper: probe_read_kernel, retcode: -34
	@pid = \$t->pid;
--
$rscript:4:7: warning: Numerical result out of range
Additional Info - helper: probe_read_kernel, retcode: -34
	@v = *kptr((uint64 *)16);
--
$rscript:5:7: warning: Can't lookup map element because it does not exist.
Additional Info - helper: map_lookup_elem, retcode: 0
	@w = @none[3];
WANT
grep -A2 -F "$rscript:" "$ET_ERR" >"$TMP/got"
check "-k reads: the field read, the dereference and the lookup, located, in order" diff "$TMP/want" "$TMP/got"
check "-k reads: the values read as 0" sh -c "grep -qx '@pid: 0' '$ET_OUT' && grep -qx '@v: 0' '$ET_OUT' && grep -qx '@w: 0' '$ET_OUT'"
start_json -k "$rscript" || { fail "-k reads json: attach"; finish; }
"$loop" 1
stop_etrace INT
check "-k reads json: the field read" grep -qxF \
	"{\"type\": \"helper_error\", \"msg\": \"Numerical result out of range\", \"helper\": \"probe_read_kernel\", \"retcode\": -34, \"filename\": \"$rscript\", \"line\": 3, \"col\": 9}" "$ET_OUT"
check "-k reads json: the dereference" grep -qxF \
	"{\"type\": \"helper_error\", \"msg\": \"Numerical result out of range\", \"helper\": \"probe_read_kernel\", \"retcode\": -34, \"filename\": \"$rscript\", \"line\": 4, \"col\": 7}" "$ET_OUT"
check "-k reads json: the lookup" grep -qxF \
	"{\"type\": \"helper_error\", \"msg\": \"Success\", \"helper\": \"map_lookup_elem\", \"retcode\": 0, \"filename\": \"$rscript\", \"line\": 5, \"col\": 7}" "$ET_OUT"
check "-k reads json: three helper_error lines" test "$(grep -c '"helper_error"' "$ET_OUT")" = 3
start_etrace "$rscript" || { fail "reads without -k: attach"; finish; }
"$loop" 1
stop_etrace INT
check "reads without -k: nothing reported" sh -c "! grep -q 'warning' '$ET_ERR'"
check "reads without -k: the same values" sh -c "grep -qx '@pid: 0' '$ET_OUT' && grep -qx '@v: 0' '$ET_OUT' && grep -qx '@w: 0' '$ET_OUT'"

# ---- -k: join() of a pointer array it cannot read, str() of a kernel address it cannot read (both below
# the kernel's addresses: ERANGE) and a count() read at a key that is not there (bpftrace reports its
# map_lookup_percpu_elem with code 0, worded by strerror(0)), each at its expression; without -k none ----
jscript=$TMP/kjoin.bt
printf '%s\n' 'tracepoint:syscalls:sys_enter_getppid /comm == "etr_kread"/ {' \
	'	join(kptr((int8 **)16));' \
	'	@s = str(kptr((int8 *)16));' \
	'	@c[1] = count();' \
	'	@n = @c[2];' \
	'}' >"$jscript"
start_etrace -k "$jscript" || { fail "-k join: attach"; finish; }
"$loop" 1
stop_etrace INT
cat >"$TMP/want" <<WANT
$jscript:2:2: warning: Numerical result out of range
Additional Info - helper: probe_read_kernel, retcode: -34
	join(kptr((int8 **)16));
--
$jscript:3:7: warning: Numerical result out of range
Additional Info - helper: probe_read_kernel_str, retcode: -34
	@s = str(kptr((int8 *)16));
--
$jscript:5:7: warning: Success
Additional Info - helper: map_lookup_percpu_elem, retcode: 0
	@n = @c[2];
WANT
grep -A2 -F "$jscript:" "$ET_ERR" >"$TMP/got"
check "-k join: the pointer read, the kernel string read and the count() read, located, in order" \
	diff "$TMP/want" "$TMP/got"
check "-k join: the values read as empty and 0" sh -c "grep -qx '@s: ' '$ET_OUT' && grep -qx '@n: 0' '$ET_OUT'"
start_json -k "$jscript" || { fail "-k join json: attach"; finish; }
"$loop" 1
stop_etrace INT
check "-k join json: the pointer read" grep -qxF \
	"{\"type\": \"helper_error\", \"msg\": \"Numerical result out of range\", \"helper\": \"probe_read_kernel\", \"retcode\": -34, \"filename\": \"$jscript\", \"line\": 2, \"col\": 2}" "$ET_OUT"
check "-k join json: the kernel string read" grep -qxF \
	"{\"type\": \"helper_error\", \"msg\": \"Numerical result out of range\", \"helper\": \"probe_read_kernel_str\", \"retcode\": -34, \"filename\": \"$jscript\", \"line\": 3, \"col\": 7}" "$ET_OUT"
check "-k join json: the count() read" grep -qxF \
	"{\"type\": \"helper_error\", \"msg\": \"Success\", \"helper\": \"map_lookup_percpu_elem\", \"retcode\": 0, \"filename\": \"$jscript\", \"line\": 5, \"col\": 7}" "$ET_OUT"
check "-k join json: three helper_error lines" test "$(grep -c '"helper_error"' "$ET_OUT")" = 3
start_etrace "$jscript" || { fail "join without -k: attach"; finish; }
"$loop" 1
stop_etrace INT
check "join without -k: nothing reported" sh -c "! grep -q 'warning' '$ET_ERR'"
check "join without -k: the same values" sh -c "grep -qx '@s: ' '$ET_OUT' && grep -qx '@n: 0' '$ET_OUT'"

# ---- signal() with a number computed at run time: checked in the program (an errorf, nothing sent); a
# send that fails (a kernel thread refuses signals: EPERM) is a warning each time. A kworker runs the
# workqueue tracepoint, and it fires on a busy machine too, where the idle task may never be sampled ----
run_etrace --unsafe -e 'BEGIN { @z = 0; } interval:ms:100 { $s = @z + 65; signal($s); signal_thread(@z); exit(); }'
check "signal(65): the range error at the call" \
	grep -qxF -- "-e:1:51: error: signal() expects an integer between 1 and 64 (inclusive). Got 65" "$ET_ERR"
check "signal_thread(0): the range error at the call" \
	grep -qxF -- "-e:1:63: error: signal_thread() expects an integer between 1 and 64 (inclusive). Got 0" "$ET_ERR"
run_etrace -f json --unsafe -e 'BEGIN { @z = 0; } interval:ms:100 { $s = @z + 65; signal($s); exit(); }'
check "signal(65) json: an errorf line" grep -qxF \
	'{"type": "errorf", "msg": "signal() expects an integer between 1 and 64 (inclusive). Got 65", "filename": "-e", "line": 1, "col": 51}' "$ET_OUT"
for sig in '28' '@z + 28'; do
	run_etrace --unsafe -e "BEGIN { @z = 0; } tracepoint:workqueue:workqueue_execute_start { signal($sig); @n = count(); exit(); }"
	# events that land after exit() still count in @n (until the stop flag is set) but their warnings
	# come after the exit record, which ends the output: at least the first one is shown, at most @n
	sent=$(sed -n 's/^@n: //p' "$ET_OUT")
	warned=$(grep -cxF -- "-e:1:66: warning: signal call failed with error -1" "$ET_ERR")
	check "signal($sig) to a kworker: $warned of the ${sent:-no} failed sends warned, the first one at least" \
		test "$warned" -ge 1 -a "$warned" -le "${sent:-0}"
done
finish
