#!/bin/bash
# The cheap-per-event code shapes, read from what the kernel actually holds (bpftool prog dump xlated of
# the loaded program, found through the prog id that -v prints):
#  - count() and sum() on an existing key: the hit path after the map lookup makes no helper call at all
#    (the per-CPU value is incremented in place); the update call exists, on the miss branch only;
#  - a tracepoint body that reads no args attaches as a raw tracepoint (raw_tp section, program type
#    raw_tracepoint, -v says so), one that reads args as a perf tracepoint;
#  - --stats counts the events of each probe (a child makes a known number of getppid calls);
#  - `bpftool prog loadall` accepts --emit-elf output (pinned under a private bpffs mount, then removed).
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint raw_syscalls/sys_enter
command -v bpftool >/dev/null || skip "bpftool is not installed"
require_python

# The helper calls on the path a map-lookup hit takes: from the first map lookup call, r0 != 0 at each
# test of r0, jumps followed, until exit. Prints "calls-on-hit-path=N update-calls=M".
hit_path() { python3 -c '
import re, sys
ins = {}
for line in sys.stdin:
    m = re.match(r"\s*(\d+): \((\w\w)\) (.*)", line)
    if m:
        ins[int(m.group(1))] = m.group(3)
order = sorted(ins)
nxt = {a: b for a, b in zip(order, order[1:])}
updates = sum(1 for t in ins.values() if re.search(r"call \S*update_elem", t))
pc = next((a for a in order if re.search(r"call \S*lookup_elem", ins[a])), None)
if pc is None:
    print("no-lookup"); sys.exit()
pc, calls, steps = nxt[pc], 0, 0
while pc is not None and steps < 1000:
    steps += 1
    t = ins[pc]
    if t.startswith("exit"):
        break
    if t.startswith("call"):
        calls += 1
    m = re.match(r"(?:if r0 (==|!=) 0x0 )?goto pc([+-]\d+)", t)
    if m and (m.group(1) in (None, "!=")):
        pc = pc + 1 + int(m.group(2))  # indices count slots (ld_imm64 takes two), as offsets do
        continue
    pc = nxt.get(pc)
print(f"calls-on-hit-path={calls} update-calls={updates}")
'; }

prog_id() { grep -o "prog id [0-9]*" "$ET_ERR" | head -1 | cut -d' ' -f3; }

for agg in 'count()' 'sum(2)'; do
	if start_etrace -v -e "tracepoint:raw_syscalls:sys_enter { @[comm] = $agg; }"; then
		id=$(prog_id)
		shape=$(bpftool prog dump xlated id "$id" 2>&1 | hit_path)
		echo "$agg: $shape"
		check "$agg on an existing key: no helper call on the hit path" \
			grep -q "calls-on-hit-path=0 " <<<"$shape"
		check "$agg: the update call exists (miss branch)" grep -q "update-calls=[1-9]" <<<"$shape"
		check "-v says raw tracepoint because the body reads no args" \
			grep -q "sys_enter: raw tracepoint (body reads no args), section raw_tp/sys_enter" "$ET_ERR"
		check "the kernel holds a raw_tracepoint program" \
			grep -q "raw_tracepoint" <<<"$(bpftool prog show id "$id")"
		check "-v says the map is a per-CPU hash updated in place" \
			grep -q "^map @: per-CPU hash.*in-place updates" "$ET_ERR"
		stop_etrace
	else
		fail "$agg: etrace attached"
	fi
done

if start_etrace -v -e 'tracepoint:raw_syscalls:sys_enter { @[args->id] = count(); }'; then
	id=$(prog_id)
	check "-v says perf tracepoint when the body reads args" \
		grep -q "sys_enter: perf tracepoint (body reads args, or another block on it does), section tracepoint/raw_syscalls/sys_enter" "$ET_ERR"
	check "the kernel holds a tracepoint program" grep -q ": tracepoint " <<<"$(bpftool prog show id "$id")"
	stop_etrace
else
	fail "args-reading probe attached"
fi

# --stats: events per probe from run_cnt
loop=$(build_prog getppid_loop etr_shape)
run_etrace --stats -c "$loop 5000" -e 'tracepoint:syscalls:sys_enter_getppid /comm == "etr_shape"/ { @ = count(); }'
n=$(sed -n 's/^probe tracepoint:syscalls:sys_enter_getppid: \([0-9]*\) events.*/\1/p' "$ET_ERR")
check "--stats counts at least the 5000 events of the child (got ${n:-none})" test "${n:-0}" -ge 5000
check "--stats reports lost events, map-full drops and every phase" \
	bash -c "grep -q '^lost events: 0' '$ET_ERR' && grep -q '^map-full drops: 0' '$ET_ERR' &&
		 grep -q '^time parse:' '$ET_ERR' && grep -q '^time sema' '$ET_ERR' && grep -q '^time codegen:' '$ET_ERR' &&
		 grep -q '^time load:' '$ET_ERR' && grep -q '^time attach:' '$ET_ERR'"

# bpftool prog loadall accepts the emitted object
"$ETRACE" --emit-elf "$TMP/m.o" -e 'tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }
	tracepoint:syscalls:sys_enter_openat { printf("%s\n", str(args->filename)); @h = hist(args->flags); }'
fs="$TMP/bpffs"
mkdir -p "$fs"
if mount -t bpf bpf "$fs" 2>/dev/null; then
	if bpftool prog loadall "$TMP/m.o" "$fs/progs" >"$TMP/loadall.err" 2>&1; then
		pins=$(ls "$fs/progs" | wc -l)
		check "bpftool prog loadall pinned every program of --emit-elf output (got $pins)" test "$pins" = 2
	else
		cat "$TMP/loadall.err"
		fail "bpftool prog loadall accepts --emit-elf output"
	fi
	rm -rf "$fs/progs"
	umount "$fs"
else
	echo "note: cannot mount a private bpffs; loadall check skipped"
fi
finish
