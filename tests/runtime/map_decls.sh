#!/bin/bash
# Map declarations (let @m = KIND(N)): each is created as that BPF map type with N entries (bpftool
# reads the kernel's maps while etrace runs), holds exactly what the probes stored, and an lruhash
# declared smaller than the keys written keeps at most N of them. Nothing is left behind.
. "$(dirname "$0")/lib.sh"
require_root
command -v bpftool >/dev/null || skip "bpftool is not installed"
snapshot_bpf

prog='let @h = hash(16); let @l = lruhash(8); let @p = percpuhash(32); let @pl = percpulruhash(64);
BEGIN { @h[1] = 10; @l[2] = 20; @p[3] = count(); @p[3] = count(); @pl[4] = sum(7); @pl[4] = sum(5); }
interval:ms:20 { @tick = 1; }'
start_etrace -e "$prog"
for i in $(seq 1 100); do grep -q '^Attached' "$ET_ERR" && break; nap 0.05; done
maps=$(for id in $(bpf_ids map | comm -13 "$TMP/maps.before" -); do bpftool -j map show id "$id" 2>/dev/null; echo; done)
stop_etrace INT
kind() { # kind NAME: "type max_entries" of the new map whose name is NAME
	echo "$maps" | python3 -c 'import json,sys
for l in sys.stdin:
	l=l.strip()
	if not l: continue
	m=json.loads(l)
	if m.get("name")==sys.argv[1]: print(m["type"], m["max_entries"])' "$1"
}
check "hash(16): $(kind AT_h)" test "$(kind AT_h)" = "hash 16"
check "lruhash(8): $(kind AT_l)" test "$(kind AT_l)" = "lru_hash 8"
check "percpuhash(32): $(kind AT_p)" test "$(kind AT_p)" = "percpu_hash 32"
check "percpulruhash(64): $(kind AT_pl)" test "$(kind AT_pl)" = "lru_percpu_hash 64"
check "the values: @h[1]: 10, @l[2]: 20, @p[3]: 2, @pl[4]: 12" bash -c "grep -qx '@h\[1\]: 10' '$ET_OUT' &&
	grep -qx '@l\[2\]: 20' '$ET_OUT' && grep -qx '@p\[3\]: 2' '$ET_OUT' && grep -qx '@pl\[4\]: 12' '$ET_OUT'"

# an LRU map never holds more than its size: 200 keys into lruhash(16)
run_etrace -e 'let @l = lruhash(16); BEGIN { $i = 0; while ($i < 200) { @l[$i] = $i; $i++; } exit(); }'
n=$(grep -c '^@l\[' "$ET_OUT")
check "lruhash(16) after 200 inserts holds 1..16 keys ($n), no drop reported" \
	bash -c "[ $n -ge 1 ] && [ $n -le 16 ] && ! grep -q dropped '$ET_ERR'"

check "nothing left behind" nothing_left_behind
finish
