#!/bin/bash
# skboutput(path, skb, length, offset) in a BTF-typed raw tracepoint (net_dev_queue, whose argument is
# the struct sk_buff leaving through a device): three UDP datagrams sent over lo become three records of
# each pcap file. The files' headers (magic, version 2.4, snapshot length 65535, link type RAW), the
# records' lengths (with offset 14 the IP packet, with 0 the Ethernet header too), the bytes (the IP
# header's length and protocol, each datagram's payload in order), the timestamps (between the wall-clock
# times before and after the sends), skboutput()'s result (0; a length past the packet's end: the
# kernel's -EFAULT as a uint32 and no record; an offset past the bytes taken: no record), in text and
# -f json; two calls naming one file share it; a file that cannot be created is a located error, and so
# is skboutput() in the interactive session.
# fentry/fexit probes, the other place skboutput() works, run in the VM lane (tests/vm/guest/skboutput.sh).
. "$(dirname "$0")/lib.sh"
require_root
command -v python3 >/dev/null || skip "needs python3 for the sockets and to read the pcap files"
require_btf
require_tracepoint net/net_dev_queue
"$ETRACE" --info 2>&1 | grep -qE '^  tp_btf +yes' || skip "needs BTF-typed raw tracepoints (tp_btf, etrace --info)"
snapshot_bpf
tok="etr$$x$RANDOM"
cat >"$TMP/send.py" <<PY
import socket, sys, time
r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); r.bind(("127.0.0.1", 0))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
t0 = time.time()
for i in range(3):
    s.sendto(b"$tok-%d" % i, r.getsockname())
t1 = time.time()
open(sys.argv[1], "w").write("%d %d\n" % (int(t0 * 1e6), int(t1 * 1e6)))
PY
cat >"$TMP/pcap.py" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
magic, vmaj, vmin, zone, sigfigs, snap, link = struct.unpack("=IHHiIII", d[:24])
print("header %08x %d.%d %d %d %d %d" % (magic, vmaj, vmin, zone, sigfigs, snap, link))
off = 24
while off < len(d):
    sec, usec, incl, orig = struct.unpack("=IIII", d[off:off + 16])
    pkt = d[off + 16:off + 16 + incl]
    off += 16 + incl
    print("record %d %d %d %s" % (sec * 1000000 + usec, incl, orig, pkt.hex()))
print("end %d" % (off - len(d)))
PY

# a: the IP packet (offset 14 leaves the Ethernet header of lo out), b: the whole frame, c: a length past
# the packet's end (-EFAULT), d: an offset past the 10 bytes taken
run_etrace -c "python3 $TMP/send.py $TMP/times" -e "rawtracepoint:net_dev_queue /pid == cpid/ {
	@a[skboutput(\"$TMP/a.pcap\", args.arg0, args.arg0->len, 14)] = count();
	@b[skboutput(\"$TMP/b.pcap\", args.arg0, args.arg0->len, 0)] = count();
	@c[skboutput(\"$TMP/c.pcap\", args.arg0, args.arg0->len + 1, 0)] = count();
	@d[skboutput(\"$TMP/d.pcap\", args.arg0, 10, 20)] = count();
	@len[args.arg0->len] = count(); }"
check "exits 0 (status $ET_STATUS)" test "$ET_STATUS" = 0
check "skboutput returns 0 for each datagram" grep -qx '@a\[0\]: 3' "$ET_OUT"
check "offset 0: returns 0" grep -qx '@b\[0\]: 3' "$ET_OUT"
check "a length past the packet: -EFAULT as a uint32 (4294967282)" grep -qx '@c\[4294967282\]: 3' "$ET_OUT"
check "an offset past the bytes taken: returns 0" grep -qx '@d\[0\]: 3' "$ET_OUT"
# lo's frames: 14 (Ethernet) + 20 (IP) + 8 (UDP) + the payload
plen=$((${#tok} + 2))
check "the datagrams' skb->len is 14 + 28 + $plen" grep -qx "@len\[$((42 + plen))\]: 3" "$ET_OUT"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

for f in a b c d; do
	python3 "$TMP/pcap.py" "$TMP/$f.pcap" >"$TMP/$f.txt" 2>&1 || echo "unreadable" >>"$TMP/$f.txt"
	check "$f.pcap: header a1b2c3d4, version 2.4, zone 0, sigfigs 0, snaplen 65535, link type RAW (101)" \
		grep -qx 'header a1b2c3d4 2.4 0 0 65535 101' "$TMP/$f.txt"
	check "$f.pcap: records end at the end of the file" grep -qx 'end 0' "$TMP/$f.txt"
done
check "a.pcap: 3 records" test "$(grep -c '^record' "$TMP/a.txt")" = 3
check "b.pcap: 3 records" test "$(grep -c '^record' "$TMP/b.txt")" = 3
check "c.pcap: no record (-EFAULT sends nothing)" test "$(grep -c '^record' "$TMP/c.txt")" = 0
check "d.pcap: no record (offset 20 past 10 bytes)" test "$(grep -c '^record' "$TMP/d.txt")" = 0

read -r t0 t1 <"$TMP/times"
i=0
while read -r _ ts incl orig hex; do
	hexpay=$(printf '%s' "$tok-$i" | od -An -tx1 | tr -d ' \n')
	check "a.pcap record $i: $((28 + plen)) bytes captured and on the wire" \
		test "$incl $orig" = "$((28 + plen)) $((28 + plen))"
	# IPv4 header of 20 bytes, total length = the record, protocol 17 (UDP)
	check "a.pcap record $i: starts with the IPv4 header (45, total length $((28 + plen)), UDP)" \
		test "${hex:0:2} $((16#${hex:4:4})) ${hex:18:2}" = "45 $((28 + plen)) 11"
	check "a.pcap record $i: ends with datagram $i's payload" test "${hex: -${#hexpay}}" = "$hexpay"
	# the sender's clock, truncated to microseconds: the record falls between its two readings
	check "a.pcap record $i: time within the sends ($t0 <= $ts <= $t1 + 1 ms)" \
		test "$ts" -ge $((t0 - 1000)) -a "$ts" -le $((t1 + 1000))
	i=$((i + 1))
done < <(grep '^record' "$TMP/a.txt")
i=0
while read -r _ _ incl _ hex; do
	ahex=$(grep '^record' "$TMP/a.txt" | sed -n "$((i + 1))p" | cut -d' ' -f5)
	check "b.pcap record $i: 14 bytes more, an Ethernet header (type 0800) then a.pcap's packet" \
		test "$incl ${hex:24:4} ${hex:28}" = "$((42 + plen)) 0800 $ahex"
	i=$((i + 1))
done < <(grep '^record' "$TMP/b.txt")
[ "$FAILS" = 0 ] || cat "$TMP/a.txt" "$TMP/b.txt"

# -f json; two calls that name the same file write into it in turn
run_etrace -f json -c "python3 $TMP/send.py $TMP/times" -e "rawtracepoint:net_dev_queue /pid == cpid/ {
	@r = skboutput(\"$TMP/j.pcap\", args.arg0, args.arg0->len, 14);
	@s = skboutput(\"$TMP/j.pcap\", args.arg0, args.arg0->len, 0); }"
check "-f json: skboutput's results" jcheck "$ET_OUT" "one('map', '@r') == 0" "one('map', '@s') == 0"
python3 "$TMP/pcap.py" "$TMP/j.pcap" >"$TMP/j.txt" 2>&1
check "one file for two calls: 6 records, IP packet then frame for each datagram" \
	test "$(grep '^record' "$TMP/j.txt" | cut -d' ' -f3 | tr '\n' ' ')" = \
	"$(for i in 1 2 3; do printf '%s %s ' $((28 + plen)) $((42 + plen)); done)"

# a file that cannot be created: a located error, nothing attached
run_etrace -e 'rawtracepoint:net_dev_queue { skboutput("/nonexistent/dir/x.pcap", args.arg0, 20, 0); }'
check "an uncreatable pcap file: exits 1" test "$ET_STATUS" = 1
check "an uncreatable pcap file: the error names it" grep -q "^-e:1:31: error: skboutput(): cannot create \
the pcap file /nonexistent/dir/x.pcap: No such file or directory" "$ET_ERR"
# the interactive session refuses it (the perf buffer and the files belong to a run that ends)
printf '%s\n' "rawtracepoint:net_dev_queue { \$r = skboutput(\"$TMP/i.pcap\", args.arg0, 1, 0); }" .quit |
	timeout -s INT $((20 * TIME_SCALE)) "$ETRACE" -i >"$TMP/i.out" 2>&1
check "interactive session: a located error" grep -q "^<1>:1:36: error: skboutput() runs from the \
command line only (etrace -e 'fentry:...'), not in the interactive session" "$TMP/i.out"
check "interactive session: no pcap file made" test ! -e "$TMP/i.pcap"

# where the kernel refuses fentry (EPERM here), skboutput() in fentry stops at the probe's located error
if "$ETRACE" --info 2>&1 | grep -qE '^  fentry/fexit +no'; then
	run_etrace -e "fentry:__dev_queue_xmit { skboutput(\"$TMP/x.pcap\", args.skb, args.skb->len, 14); }"
	check "fentry refused by the kernel: exits 1 (status $ET_STATUS)" test "$ET_STATUS" = 1
	check "fentry refused by the kernel: the located error names the probe" grep -q \
		"^-e:1:1: error: fentry:__dev_queue_xmit: this kernel cannot run fentry probes" "$ET_ERR"
	check "fentry refused by the kernel: no pcap file made" test ! -e "$TMP/x.pcap"
fi
check "nothing left behind" nothing_left_behind
finish
