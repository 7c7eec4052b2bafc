#!/bin/bash
# cat(namefmt, ...): the named file's bytes (at most 10240, bpftrace's max_cat_bytes default, or the
# config's or the environment's max_cat_bytes) in a real
# event, in text and -f json; a file that cannot be opened is a located error and tracing goes on.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
snapshot_bpf
GL=$(build_prog getppid_loop etr_getppid)

probe='tracepoint:syscalls:sys_enter_getppid /pid == cpid/'
run_etrace -c "$GL 1" -e "$probe { cat(\"/proc/%d/comm\", pid); cat(\"/proc/%d/nothere\", pid); @n = count(); }"
check "cat(\"/proc/%d/comm\", pid) prints the target's comm" grep -qx 'etr_getppid' "$ET_OUT"
check "the probe ran once" grep -qx '@n: 1' "$ET_OUT"
check "a missing file is a located error" \
	grep -qE "^-e:1:[0-9]+: error: cat\(\): cannot open '/proc/[0-9]+/nothere': No such file or directory$" "$ET_ERR"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

# 12000 bytes: the first 10240 and nothing after them
python3 -c 'import sys; sys.stdout.write("".join(chr(97 + i % 26) for i in range(12000)))' >"$TMP/big"
run_etrace -e "BEGIN { cat(\"$TMP/%s\", \"big\"); exit(); }"
head -c 10240 "$TMP/big" >"$TMP/big.want"
head -c 10240 "$ET_OUT" >"$TMP/big.got"
check "cat() of 12000 bytes prints the first 10240" cmp -s "$TMP/big.want" "$TMP/big.got"
check "and then only the end of the run's newlines" test "$(tail -c +10241 "$ET_OUT" | tr -d '\n' | wc -c)" = 0

# max_cat_bytes: the config block, and the environment (which wins over it, as in bpftrace)
run_etrace -e "config = { max_cat_bytes = 100 } BEGIN { cat(\"$TMP/big\"); exit(); }"
check "config max_cat_bytes = 100: the first 100 bytes" test "$(tr -d '\n' <"$ET_OUT")" = "$(head -c 100 "$TMP/big")"
BPFTRACE_MAX_CAT_BYTES=7 run_etrace -f json -e "config = { max_cat_bytes = 100 } BEGIN { cat(\"$TMP/big\"); exit(); }"
check "-f json, BPFTRACE_MAX_CAT_BYTES=7 over the config's 100: 7 bytes" grep -qxF '{"type": "cat", "data": "abcdefg"}' "$ET_OUT"

start_json -c "$GL 1" -e "$probe { cat(\"/proc/%d/comm\", pid); cat(\"/nothere\"); }" || exit 1
wait_etrace
check "-f json: a cat record with the file's bytes" grep -qxF '{"type": "cat", "data": "etr_getppid\n"}' "$ET_OUT"
check "-f json: the missing file is a runtime_error record at the call" grep -qxF \
	"{\"type\": \"runtime_error\", \"msg\": \"cat(): cannot open '/nothere': No such file or directory\", \"filename\": \"-e\", \"line\": 1, \"col\": 82}" "$ET_OUT"

check "nothing left behind" nothing_left_behind
finish
