# Scripts run directly through their #!/usr/bin/env etrace line, with positional parameters: $#, str($1),
# $2 as a number, options after the script name; and examples/opensnoop.et COMM filters by its argument.
. "$(dirname "$0")/lib.sh"
require_root
BIN="$TMP/bin"
mkdir -p "$BIN"
ln -s "$(readlink -f "$ETRACE")" "$BIN/etrace"
export PATH="$BIN:$PATH"

cat >"$TMP/args.et" <<'EOS'
#!/usr/bin/env etrace
// prints its arguments
BEGIN {
	printf("argc=%d first=%s second+1=%d\n", $#, str($1), $2 + 1);
	exit();
}
EOS
chmod +x "$TMP/args.et"
"$TMP/args.et" hello 41 >"$TMP/o1" 2>"$TMP/e1"
check "shebang script exits 0" test $? = 0
check "\$# = 2, str(\$1) = hello, \$2 + 1 = 42" grep -qx "argc=2 first=hello second+1=42" "$TMP/o1"
"$TMP/args.et" -q only -- -1 >"$TMP/o2" 2>"$TMP/e2"
check "option after the script name (-q): no Attached line" test -z "$(grep Attached "$TMP/e2")"
check "-- then a negative number argument: \$2 + 1 = 0" grep -qx "argc=2 first=only second+1=0" "$TMP/o2"
(cd "$TMP" && ./args.et a 5 >"$TMP/o4" 2>&1)
check "run by a relative path" grep -qx "argc=2 first=a second+1=6" "$TMP/o4"
"$TMP/args.et" one >"$TMP/o5" 2>"$TMP/e5"
check "a missing parameter used as a number is 0 (bpftrace): exit 0" test $? = 0
check "... second+1 = 1" grep -qx "argc=1 first=one second+1=1" "$TMP/o5"
check "... with a located warning" grep -q 'args.et:4:.*warning: positional parameter \$2 is empty or not given' "$TMP/e5"

# an example with an argument: opensnoop.et COMM shows only COMM's opens
require_tracepoint syscalls/sys_enter_openat
"$SRC/examples/opensnoop.et" etr_opener >"$TMP/o3" 2>"$TMP/e3" &
pid=$!
BG_PIDS+=("$pid")
for i in $(seq 1 100); do grep -q "^Attached" "$TMP/e3" && break; sleep 0.05; done
cp /bin/cat "$TMP/etr_opener"
"$TMP/etr_opener" /etc/hostname >/dev/null
cat /etc/passwd >/dev/null
sleep 0.5
kill -INT "$pid"
wait "$pid"
check "./examples/opensnoop.et etr_opener exits 0" test $? = 0
check "it shows etr_opener opening /etc/hostname" grep -qE "etr_opener +[0-9]+ +0 /etc/hostname$" "$TMP/o3"
check "and no other process" bash -c "! grep -vE '^(PID|\$)' '$TMP/o3' | grep -v etr_opener"
finish
