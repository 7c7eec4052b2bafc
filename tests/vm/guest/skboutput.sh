# skboutput() in an fentry probe (the host kernel refuses fentry with EPERM; runtime/stdlib_skboutput
# covers tp_btf there and here): fentry on __dev_queue_xmit (dev_queue_xmit on kernels where that is the
# function) takes args.skb, the BTF-typed sk_buff leaving through lo. Three UDP datagrams become three
# records of the pcap file: its header, the records' lengths, the IPv4 header and each datagram's payload
# in order, skboutput()'s result 0. The same through fexit:__ip_local_out, where the skb starts at its
# IP header (offset 0).
. "$(dirname "$0")/lib.sh"
require_root
require_btf
command -v python3 >/dev/null || skip "needs python3 for the sockets and to read the pcap file"
fn=__dev_queue_xmit
grep -qE " [tT] $fn\$" /proc/kallsyms || fn=dev_queue_xmit
require_kfunc "$fn"
"$ETRACE" --info 2>&1 | grep -qE '^  fentry/fexit +yes' || skip "this kernel cannot run fentry/fexit (etrace --info)"
require_etrace_probe "fentry:$fn"
tok="etr$$x$RANDOM"
cat >"$TMP/send.py" <<PY
import socket
r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); r.bind(("127.0.0.1", 0))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(3):
    s.sendto(b"$tok-%d" % i, r.getsockname())
PY
cat >"$TMP/pcap.py" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
print("header %08x %d.%d %d %d %d %d" % struct.unpack("=IHHiIII", d[:24]))
off = 24
while off < len(d):
    sec, usec, incl, orig = struct.unpack("=IIII", d[off:off + 16])
    print("record %d %d %s" % (incl, orig, d[off + 16:off + 16 + incl].hex()))
    off += 16 + incl
print("end %d" % (off - len(d)))
PY
run_etrace -c "python3 $TMP/send.py" -e "fentry:$fn /pid == cpid/ {
	@r[skboutput(\"$TMP/f.pcap\", args.skb, args.skb->len, 14)] = count(); @len[args.skb->len] = count(); }"
plen=$((${#tok} + 2))
check "fentry:$fn: exits 0 (status $ET_STATUS)" test "$ET_STATUS" = 0
check "fentry:$fn: skboutput returns 0 for each datagram" grep -qx '@r\[0\]: 3' "$ET_OUT"
check "fentry:$fn: skb->len is 14 + 28 + $plen" grep -qx "@len\[$((42 + plen))\]: 3" "$ET_OUT"
python3 "$TMP/pcap.py" "$TMP/f.pcap" >"$TMP/f.txt" 2>&1
check "pcap header: a1b2c3d4, 2.4, zone 0, sigfigs 0, snaplen 65535, link type RAW (101)" \
	grep -qx 'header a1b2c3d4 2.4 0 0 65535 101' "$TMP/f.txt"
check "records end at the end of the file" grep -qx 'end 0' "$TMP/f.txt"
check "3 records" test "$(grep -c '^record' "$TMP/f.txt")" = 3
i=0
while read -r _ incl orig hex; do
	hexpay=$(printf '%s' "$tok-$i" | od -An -tx1 | tr -d ' \n')
	check "record $i: the IP packet ($((28 + plen)) bytes), IPv4 UDP, datagram $i's payload at its end" \
		test "$incl $orig ${hex:0:2} $((16#${hex:4:4})) ${hex:18:2} ${hex: -${#hexpay}}" = \
		"$((28 + plen)) $((28 + plen)) 45 $((28 + plen)) 11 $hexpay"
	i=$((i + 1))
done < <(grep '^record' "$TMP/f.txt")
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR" "$TMP/f.txt"

# fexit: __ip_local_out has filled in the IP header and returns with the skb still to be sent (no
# netfilter hook here steals it); skb->data is the IP header, so offset 0 writes the IP packet
if grep -qE " [tT] __ip_local_out\$" /proc/kallsyms; then
	run_etrace -c "python3 $TMP/send.py" -e "fexit:__ip_local_out /pid == cpid/ {
		@r[skboutput(\"$TMP/x.pcap\", args.skb, args.skb->len, 0)] = count(); }"
	check "fexit:__ip_local_out: exits 0 (status $ET_STATUS)" test "$ET_STATUS" = 0
	check "fexit:__ip_local_out: skboutput returns 0 for each datagram" grep -qx '@r\[0\]: 3' "$ET_OUT"
	python3 "$TMP/pcap.py" "$TMP/x.pcap" >"$TMP/x.txt" 2>&1
	check "fexit: the same header, 3 records to the end of the file" \
		test "$(grep -c '^record' "$TMP/x.txt") $(grep -c -x -e 'header a1b2c3d4 2.4 0 0 65535 101' -e 'end 0' "$TMP/x.txt")" = "3 2"
	i=0
	while read -r _ incl _ hex; do
		hexpay=$(printf '%s' "$tok-$i" | od -An -tx1 | tr -d ' \n')
		check "fexit record $i: the IP packet ($((28 + plen)) bytes, IPv4 UDP) with datagram $i's payload" \
			test "$incl ${hex:0:2} $((16#${hex:4:4})) ${hex:18:2} ${hex: -${#hexpay}}" = \
			"$((28 + plen)) 45 $((28 + plen)) 11 $hexpay"
		i=$((i + 1))
	done < <(grep '^record' "$TMP/x.txt")
	[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR" "$TMP/x.txt"
fi
finish
