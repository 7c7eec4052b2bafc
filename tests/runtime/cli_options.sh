# bpftrace's command line options, run for real: the long forms (--pid, --cmd, --output, --quiet,
# --verbose, --list), --dry-run (attached, then nothing runs), --probe-filter (only matching probes load,
# with exact counts of real system calls), -d ast / codegen / codegen-opt / verifier / libbpf, --emit-llvm,
# --fmt and --mode format / codegen / compiler-bench, --traceable-functions, -V's version line,
# --usdt-file-activation / --no-feature / --verify-llvm-ir / -b accepted, and --help naming every option.
# Bad values of each are goldens in tests/bad/cli.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls sys_enter_getppid
loop=$(build_prog getppid_loop etr_cli_loop)
snapshot_bpf

# -V: one line "etrace vX.Y.Z" a script can parse
"$ETRACE" -V >"$TMP/v"
check "-V: etrace vMAJOR.MINOR.PATCH" grep -qxE 'etrace v[0-9]+\.[0-9]+\.[0-9]+' "$TMP/v"
"$ETRACE" --version >"$TMP/v2"
check "--version: the same line" cmp "$TMP/v" "$TMP/v2"

# --help names every long option bpftrace has (and etrace's own)
"$ETRACE" --help >"$TMP/help"
missing=
for o in --list --verbose --help --version --info --pid --cmd --usdt-file-activation --output --quiet --warnings \
	--no-warnings --include --debuginfo --traceable-functions --unsafe --no-feature --mode --test --bench --dwarf-pid \
	--probe-filter --fmt --dry-run --verify-llvm-ir --debug --emit-elf --emit-llvm --dump-ast --stats --metrics; do
	grep -qe "$o\b" "$TMP/help" || missing="$missing $o"
done
check "--help lists every long option${missing:+ (missing:$missing)}" test -z "$missing"

# --cmd, --output, --quiet: the counts of a command's real calls, written to the file
run_etrace --quiet --output "$TMP/o.txt" --cmd "$loop 7" -e 'tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @n = count(); }'
check "--cmd/--output/--quiet: exit 0" test "$ET_STATUS" = 0
check "--output: the map in the file" grep -qxF '@n: 7' "$TMP/o.txt"
check "--quiet: nothing on stderr" test ! -s "$ET_ERR"
check "--output: nothing on stdout" test ! -s "$ET_OUT"

# --pid: the probes stop with the process
"$loop" 0 &
sleep 30 &
spid=$!
BG_PIDS+=("$spid")
(sleep 0.5; kill "$spid") &
run_etrace --pid "$spid" -e 'tracepoint:syscalls:sys_enter_getppid { @n = count(); }'
check "--pid PID: ends when the process does (exit 0)" test "$ET_STATUS" = 0
check "--pid: Attached 1 probe" grep -qxF 'Attached 1 probe' "$ET_ERR"

# --verbose: the verbose report
run_etrace --verbose -e 'begin { exit(); }'
check "--verbose: how the probes attached" grep -q 'begin' "$ET_ERR"

# --list FILE: the probes of a script
printf 'tracepoint:syscalls:sys_enter_getppid { }\n' >"$TMP/s.bt"
"$ETRACE" --list "$TMP/s.bt" >"$TMP/l"
check "--list FILE: its probes" test "$(cat "$TMP/l")" = "tracepoint:syscalls:sys_enter_getppid"

# --dry-run: loaded and attached, then nothing runs: no begin output, no maps, exit 0
run_etrace --dry-run -e 'begin { printf("hello\n"); @ = 0; } tracepoint:syscalls:sys_enter_getppid { @n = count(); }'
check "--dry-run: exit 0" test "$ET_STATUS" = 0
check "--dry-run: begin does not run, no maps" test ! -s "$ET_OUT"
check "--dry-run: no Attached message (bpftrace stops before it)" test ! -s "$ET_ERR"
run_etrace --dry-run -e 'begin { } tracepoint:syscalls:sys_enter_getppid { @n = count(); } tracepoint:etr_no_such:ev { }'
check "--dry-run: a probe that does not exist still fails" test "$ET_STATUS" = 1

# --probe-filter: only the matching probes load and count; begin and end always run
run_etrace -c "$loop 5" --probe-filter 'sys_enter' -e '
begin { printf("begin\n"); }
tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @enter = count(); }
tracepoint:syscalls:sys_exit_getppid /pid == cpid/ { @exit = count(); }
end { printf("end\n"); }'
check "--probe-filter: the matching probe counted 5 calls" has_line '@enter: 5'
check "--probe-filter: the other probe did not run" bash -c "! grep -q '^@exit' '$ET_OUT'"
check "--probe-filter: begin and end ran" bash -c "grep -qxF begin '$ET_OUT' && grep -qxF end '$ET_OUT'"
check "--probe-filter: Attached counts the kept probes (begin, end, one)" grep -qxF 'Attached 3 probes' "$ET_ERR"

# -d STAGE: each stage's output on stderr, the run goes on
run_etrace -q -d ast -e 'begin { @x = 1 + 2; exit(); }'
check "-d ast: the program as parsed" grep -qF '@x = (1 + 2);' "$ET_ERR"
check "-d ast: the run goes on" has_line '@x: 3'
run_etrace -q -d codegen -e 'begin { @x = 1; exit(); }'
check "-d codegen: the IR before optimisation" grep -q '^define .*@begin' "$ET_ERR"
run_etrace -q -d codegen-opt -e 'begin { @x = 1; exit(); }'
check "-d codegen-opt: the IR after optimisation" grep -q '^define .*@begin' "$ET_ERR"
run_etrace -q -d verifier -e 'begin { @x = 1; exit(); }'
check "-d verifier: the verifier's log of each program" grep -q '^processed [0-9]* insns' "$ET_ERR"
run_etrace -q --debug libbpf -e 'begin { exit(); }'
check "--debug libbpf: libbpf's messages" grep -q '^libbpf: ' "$ET_ERR"
run_etrace -q -d all -e 'begin { @x = 1; exit(); }'
check "-d all: every stage" bash -c "grep -q '^libbpf: ' '$ET_ERR' && grep -q '^processed' '$ET_ERR' && grep -qF '@x = 1;' '$ET_ERR'"

# --emit-llvm FILE: FILE.original.ll and FILE.optimized.ll, and the program runs
run_etrace -q --emit-llvm "$TMP/ir" -e 'begin { @x = 5; exit(); }'
check "--emit-llvm: the program ran" has_line '@x: 5'
check "--emit-llvm: FILE.original.ll" grep -q '^define .*@begin' "$TMP/ir.original.ll"
check "--emit-llvm: FILE.optimized.ll" grep -q '^define .*@begin' "$TMP/ir.optimized.ll"

# --fmt and --mode format: etrace's canonical form (--dump-ast), nothing runs
printf 'begin{@x=1+2;exit()}\n' >"$TMP/f.bt"
"$ETRACE" --fmt "$TMP/f.bt" >"$TMP/fmt" 2>&1
printf 'begin\n{\n  @x = (1 + 2);\n  exit();\n}\n' >"$TMP/fmt.want"
check "--fmt FILE: the script formatted" diff "$TMP/fmt.want" "$TMP/fmt"
"$ETRACE" --mode format "$TMP/f.bt" >"$TMP/fmt" 2>&1
check "--mode format: the same" diff "$TMP/fmt.want" "$TMP/fmt"

# --mode codegen / compiler-bench: compile and stop (nothing runs)
run_etrace --mode codegen -e 'begin { printf("ran\n"); }'
check "--mode codegen: exit 0, nothing runs" bash -c "test $ET_STATUS = 0 && test ! -s '$ET_OUT' && test ! -s '$ET_ERR'"
run_etrace --mode compiler-bench -e 'begin { printf("ran\n"); }'
check "--mode compiler-bench: each phase's time" bash -c "grep -qE '^parse: [0-9.]+ ms$' '$ET_OUT' && grep -qE '^codegen: [0-9.]+ ms$' '$ET_OUT' && ! grep -q ran '$ET_OUT'"

# --traceable-functions FILE: kprobe listing reads that file
printf 'vfs_read\netr_no_such_fn [etr_mod]\n' >"$TMP/funcs"
"$ETRACE" --traceable-functions "$TMP/funcs" -l 'kprobe:*' >"$TMP/l" 2>&1
check "--traceable-functions: the functions of the file, sorted as bpftrace" test "$(cat "$TMP/l")" = "$(printf 'kprobe:etr_no_such_fn\nkprobe:vfs_read')"

# options bpftrace accepts that change nothing here
run_etrace -q -b --verify-llvm-ir --usdt-file-activation --no-feature kprobe_multi,uprobe_multi,kprobe_session -k \
	-e 'begin { @x = 1; exit(); }'
check "-b, --verify-llvm-ir, --usdt-file-activation, --no-feature, -k: accepted, the run as usual" has_line '@x: 1'

check "nothing left behind" nothing_left_behind
finish
