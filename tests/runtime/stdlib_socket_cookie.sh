#!/bin/bash
# socket_cookie(args.sk) in a BTF-typed raw tracepoint (inet_sock_set_state): the cookies of a listening
# socket and of a client connected to it equal what Python's getsockopt(SO_COOKIE) gives for the same
# sockets, in text and -f json. Where the kernel has no tp_btf, the located error says what is needed.
. "$(dirname "$0")/lib.sh"
require_root
require_python "for the sockets and SO_COOKIE"
[ -r /sys/kernel/btf/vmlinux ] || skip "needs the kernel's BTF (/sys/kernel/btf/vmlinux)"
require_tracepoint sock/inet_sock_set_state
snapshot_bpf
cat >"$TMP/sockets.py" <<'PY'
import socket, struct, sys
def cookie(s): return struct.unpack("Q", s.getsockopt(socket.SOL_SOCKET, 57, 8))[0]  # SO_COOKIE
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(1)
c = socket.socket(); c.connect(l.getsockname())
open(sys.argv[1], "w").write("%d %d\n" % (cookie(l), cookie(c)))
PY

# TCP states: 7 CLOSE -> 10 LISTEN for the listener, 2 SYN_SENT -> 1 ESTABLISHED for the client
script='rawtracepoint:inet_sock_set_state /pid == cpid/ {
	if (args.oldstate == 7 && args.newstate == 10) { @listen = socket_cookie(args.sk); }
	if (args.oldstate == 2 && args.newstate == 1) { @client = socket_cookie(args.sk); } }'
"$ETRACE" --info 2>&1 | grep -qE '^  tp_btf +yes' || {
	run_etrace -c "python3 $TMP/sockets.py $TMP/c" -e "$script"
	check "without tp_btf: a located error names the probes socket_cookie() needs" \
		grep -q "socket_cookie() needs bpf_get_socket_cookie on a BTF-typed socket" "$ET_ERR"
	finish
}
run_etrace -c "python3 $TMP/sockets.py $TMP/c" -e "$script"
check "exits 0 (status $ET_STATUS)" test "$ET_STATUS" = 0
read -r lc cc <"$TMP/c"
check "@listen is the listener's SO_COOKIE ($lc)" grep -qx "@listen: $lc" "$ET_OUT"
check "@client is the client's SO_COOKIE ($cc)" grep -qx "@client: $cc" "$ET_OUT"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

start_json -c "python3 $TMP/sockets.py $TMP/j" -e "$script" || exit 1
wait_etrace
read -r lc cc <"$TMP/j"
check "-f json: socket_cookie values" jcheck "$ET_OUT" "one('map', '@listen') == $lc" "one('map', '@client') == $cc"

check "nothing left behind" nothing_left_behind
finish
