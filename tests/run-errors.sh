#!/bin/bash
# run-errors.sh: golden tests for semantic errors. Each tests/errors/NAME.et is analysed by sema_tool;
# its stderr must equal NAME.err byte for byte, and its exit code NAME.code (default 1).
# NAME.dump, when present, also checks what sema built: sema_tool --dump prints the maps, events and
# probes to stdout, which must equal NAME.dump.
# NAME.requires, when present, names what the case needs ("tracefs": readable tracepoint formats;
# "nokprobes": a kernel without kprobes, so that the unsupported-probe message is predictable; "btf":
# the kernel's BTF in /sys/kernel/btf/vmlinux; "breakpoints": hardware breakpoints, as etrace --info
# reports them, so that watchpoint specs are checked rather than refused as a whole);
# cases whose requirement is missing are skipped.
# NAME.args, when present, holds extra sema_tool arguments: options before the file (--unsafe, --cpid),
# then "--" and positional parameters, e.g. "--unsafe -- 7 abc".
# Usage: run-errors.sh SEMA_TOOL [SOURCE_DIR]
#   SEMA_TOOL may also be the etrace binary: then tests/sema_tool beside it in the build tree is used.
# Prints one line per failure and "errors: N passed, M failed"; exits 1 when any failed, 77 when there
# is no sema_tool. Set UPDATE=1 to (re)write the .err/.code files from the current output.
tool=$1
src=${2:-$(cd "$(dirname "$0")/.." && pwd)}
if [ -z "$tool" ]; then
	echo "usage: $0 SEMA_TOOL [SOURCE_DIR]" >&2
	exit 2
fi
if [ "$(basename "$tool")" != sema_tool ]; then
	cand=$(dirname "$tool")/tests/sema_tool
	if [ -x "$cand" ]; then
		tool=$cand
	else
		echo "SKIP: sema_tool not built (looked for $cand)"
		exit 77
	fi
fi
tool=$(cd "$(dirname "$tool")" && pwd)/$(basename "$tool")
cd "$src/tests/errors" || exit 2

have_tracefs=0
for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
	[ -r "$d/events/sched/sched_switch/format" ] && have_tracefs=1
done

have_kprobes=0
if [ -e /sys/bus/event_source/devices/kprobe ] || [ -e /sys/kernel/tracing/kprobe_events ] ||
   [ -e /sys/kernel/debug/tracing/kprobe_events ]; then
	have_kprobes=1
fi

# etrace beside the build tree's tests/ directory says whether perf breakpoint events open here
have_breakpoints=0
"$(dirname "$tool")/../etrace" --info 2>&1 | grep -qE 'hardware breakpoints +yes' && have_breakpoints=1

pass=0
fail=0
skip=0
for et in *.et; do
	name=${et%.et}
	if [ -f "$name.requires" ]; then
		if { grep -qx tracefs "$name.requires" && [ "$have_tracefs" = 0 ]; } ||
		   { grep -qx nokprobes "$name.requires" && [ "$have_kprobes" = 1 ]; } ||
		   { grep -qx btf "$name.requires" && [ ! -r /sys/kernel/btf/vmlinux ]; } ||
		   { grep -qx breakpoints "$name.requires" && [ "$have_breakpoints" = 0 ]; }; then
			skip=$((skip + 1))
			continue
		fi
	fi
	opts=()
	pos=()
	if [ -f "$name.args" ]; then
		read -r -a words < "$name.args"
		seen=0
		for w in "${words[@]}"; do
			if [ "$seen" = 0 ] && [ "$w" = "--" ]; then seen=1; continue; fi
			if [ "$seen" = 0 ]; then opts+=("$w"); else pos+=("$w"); fi
		done
	fi
	dumpfile=/dev/null
	dumped=""
	if [ -f "$name.dump" ] || { [ -n "$UPDATE" ] && [ -f "$name.dump" ]; }; then
		dumpfile=$(mktemp)
		opts+=(--dump)
	fi
	out=$("$tool" "${opts[@]}" "$et" "${pos[@]}" 2>&1 >"$dumpfile")
	code=$?
	if [ "$dumpfile" != /dev/null ]; then
		dumped=$(cat "$dumpfile")
		rm -f "$dumpfile"
		[ -n "$UPDATE" ] && printf '%s\n' "$dumped" > "$name.dump"
	fi
	want_code=1
	[ -f "$name.code" ] && want_code=$(cat "$name.code")
	if [ -n "$UPDATE" ]; then
		printf '%s\n' "$out" > "$name.err"
		[ "$code" != 1 ] && echo "$code" > "$name.code"
	fi
	dump_ok=1
	if [ -f "$name.dump" ] && [ "$dumped" != "$(cat "$name.dump")" ]; then
		dump_ok=0
		echo "FAIL: $name (--dump output differs)"
		diff "$name.dump" <(printf '%s\n' "$dumped") | head -20
	fi
	if [ "$out" == "$(cat "$name.err" 2>/dev/null)" ] && [ "$code" == "$want_code" ] && [ "$dump_ok" = 1 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		[ "$dump_ok" = 1 ] && echo "FAIL: $name (exit $code, expected $want_code)"
		diff <(cat "$name.err" 2>/dev/null) <(printf '%s\n' "$out") | head -20
	fi
done
echo "errors: $pass passed, $fail failed$([ "$skip" != 0 ] && echo ", $skip skipped (requirement missing)")"
[ "$fail" = 0 ]
