# watchpoint:ADDR:LEN:MODE probes (hardware breakpoints) on a global of tests/progs/watch_target.c, as
# today's bpftrace runs them: with -c (named after the command's program), with -p (named after
# /proc/PID/exe, every thread watched), without either (every CPU); unwatch(ADDR) detaches them; several
# blocks on one address run in script order; -l lists no watchpoints. Text and -f json, exact output.
# Where the machine gives no breakpoint registers (a VM without debug registers), the located error
# instead. watch_target prints its variable's address on stderr, then writes 10, 20, 30 ... to it, each
# write after a byte of stdin.
. "$(dirname "$0")/lib.sh"
require_root
snapshot_bpf
W=$(build_prog watch_target etr_watch -no-pie -fno-pie)
# the variable's address in the non-PIE program, for -c (its address is fixed before it runs)
ADDR=0x$(nm "$W" | while read -r a _ s; do [ "$s" = watched ] && echo "$a"; done)
DEC=$((ADDR))

if ! "$ETRACE" --info 2>&1 | grep -qE 'hardware breakpoints +yes'; then
	run_etrace -e "watchpoint:$ADDR:8:w { exit(); }"
	check "no breakpoint registers: refused (status $ET_STATUS)" test "$ET_STATUS" = 1
	check "no breakpoint registers: located error saying why" \
		grep -q "^-e:1:1: error: watchpoint:$ADDR:8:w: this kernel cannot run watchpoint probes: " "$ET_ERR"
	check "no breakpoint registers: hint names what to use instead" grep -q '^hint: ' "$ET_ERR"
	check "nothing left behind" nothing_left_behind
	finish
fi

# -c: the kernel writes the fresh .bss page while it loads the program (kernel mode), then the program
# writes three times; /usermode/ keeps the program's writes. The value read is the one just written.
run_etrace -c "$W 3" -e "watchpoint:$ADDR:8:w /usermode/ { printf(\"%s %d\\n\", probe, *(uint64 *)uptr($ADDR)); @[probe] = count(); }" </dev/null
printf 'watchpoint:%s:%d:8:w %d\n' "$W" "$DEC" 10 "$W" "$DEC" 20 "$W" "$DEC" 30 >"$TMP/want"
printf '\n\n@[watchpoint:%s:%d:8:w]: 3\n' "$W" "$DEC" >>"$TMP/want"
check "-c: every write, its value, the probe named after the command (status $ET_STATUS)" \
	diff "$TMP/want" "$ET_OUT"

run_etrace -f json -c "$W 3" -e "watchpoint:$ADDR:8:w /usermode/ { printf(\"%s %d\\n\", probe, *(uint64 *)uptr($ADDR)); @[probe] = count(); }" </dev/null
{
	echo '{"type": "attached_probes", "count": 1, "data": {"probes": 1}}'
	for v in 10 20 30; do printf '{"type": "printf", "data": "watchpoint:%s:%d:8:w %d\\n"}\n' "$W" "$DEC" "$v"; done
	printf '{"type": "map", "data": {"@": {"watchpoint:%s:%d:8:w": 3}}}\n' "$W" "$DEC"
} >"$TMP/want"
check "-c -f json: the same, line for line" diff "$TMP/want" "$ET_OUT"

# several blocks on one address: each access runs them in script order (as bpftrace attaches them).
# Each block's event takes a debug register of its own and the kernel runs them in register order, the
# order they were attached in; a CPU reports every register an access hits, but qemu's TCG (the VM
# lane) only the first: there the first block alone runs, which still tells the order.
run_etrace -c "$W 2" -e "w:$ADDR:8:w /usermode/ { printf(\"a\\n\"); } watchpoint:$ADDR:8:w /usermode/ { printf(\"b\\n\"); }" </dev/null
printf 'a\nb\na\nb\n\n\n' >"$TMP/want"
printf 'a\na\n\n\n' >"$TMP/want1"
check "two blocks on one address: a then b at each write ($(tr '\n' ' ' <"$ET_OUT"))" \
	bash -c "diff -q '$TMP/want' '$ET_OUT' >/dev/null || diff -q '$TMP/want1' '$ET_OUT' >/dev/null"

# -p, mode rw on 4 bytes, paced through a fifo: unwatch() in the first hit detaches the watchpoint, so
# the two writes made after its output was seen fire nothing; reg("ip") is where the write was made
# (the target is alive, waiting, when its symbol is looked up)
mkfifo "$TMP/in"
"$W" 3 <"$TMP/in" 2>"$TMP/addr" &
target=$!
BG_PIDS+=("$target")
exec {feed}>"$TMP/in"
for ((i = 0; i < 100 * TIME_SCALE; i++)); do [ -s "$TMP/addr" ] && break; nap 0.05; done
paddr=$(<"$TMP/addr")
start_etrace -p "$target" -e "watchpoint:$paddr:4:rw { unwatch($paddr); printf(\"%s %d %s\\n\", probe, *(uint32 *)uptr($paddr), usym(reg(\"ip\"))); @n = count(); }"
printf x >&"$feed"
for ((i = 0; i < 100 * TIME_SCALE; i++)); do [ -s "$ET_OUT" ] && break; nap 0.05; done
printf xx >&"$feed"
exec {feed}>&-
wait_etrace
printf 'watchpoint:/proc/%d/exe:%d:4:rw 10 main\n\n\n@n: 1\n' "$target" "$((paddr))" >"$TMP/want"
check "-p: unwatch() stops the watchpoint after its first hit (status $ET_STATUS)" diff "$TMP/want" "$ET_OUT"

# neither -p nor -c: the address of whatever runs, watched on every CPU; the program started afterwards.
# The address is written in decimal with _ separators, as bpftrace reads attach point numbers
start_etrace -e "watchpoint:${DEC:0:1}_${DEC:1}:8:w /comm == \"etr_watch\" && usermode/ { printf(\"%s %d\\n\", probe, *(uint64 *)uptr($ADDR)); }"
"$W" 2 </dev/null 2>/dev/null
stop_etrace
printf 'watchpoint:%d:8:w %d\n' "$DEC" 10 "$DEC" 20 >"$TMP/want"
printf '\n\n' >>"$TMP/want"
check "no -p/-c: every CPU, the probe named without a target" diff "$TMP/want" "$ET_OUT"

# -l: bpftrace lists no watchpoints (they name addresses, not things to find), nor a script's
run_etrace -l 'watchpoint:*'
check "-l 'watchpoint:*': nothing, status 0" test "$ET_STATUS" = 0 -a ! -s "$ET_OUT"
echo "watchpoint:$ADDR:8:w { exit(); }" >"$TMP/w.bt"
run_etrace -l "$TMP/w.bt"
check "-l FILE with a watchpoint: nothing, status 0" test "$ET_STATUS" = 0 -a ! -s "$ET_OUT"

check "nothing left behind" nothing_left_behind
finish
