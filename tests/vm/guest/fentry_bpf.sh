# fentry:bpf:ID:FUNC / fexit:bpf:FUNC (bpftrace's forms) on a running BPF program: a first etrace counts
# a workload's getppid calls through a tracepoint; -l 'fentry:bpf:*' lists its program's function, and a
# second etrace traces that function by id (fentry, args typed from the program's BTF) and by name
# alone (fexit): every count exact; fexit's retval there is refused. The host kernel refuses tracing
# programs.
. "$(dirname "$0")/lib.sh"
require_root
require_btf
"$ETRACE" --info 2>&1 | grep -qE '^  fentry/fexit +yes' || skip "this kernel cannot run fentry/fexit (etrace --info)"
BIN=$(build_prog getppid_loop etr_fbpf)
N=200

"$ETRACE" -l 'fentry:bpf:*' >"$TMP/before" 2>&1
"$ETRACE" -e 'tracepoint:syscalls:sys_enter_getppid /comm == "etr_fbpf"/ { @n = count(); }' >"$TMP/a.out" 2>"$TMP/a.err" &
A=$!
BG_PIDS+=("$A")
for _ in $(seq 100); do grep -q '^Attached' "$TMP/a.err" && break; nap 0.2; done
"$ETRACE" -l 'fentry:bpf:*' >"$TMP/after" 2>&1
target=$(grep -vxF -f "$TMP/before" "$TMP/after" | grep ':sys_enter' | head -1)
check "-l 'fentry:bpf:*': the new program's function as fentry:bpf:ID:NAME" \
	bash -c "[[ '$target' =~ ^fentry:bpf:[0-9]+:sys_enter[a-z_0-9]*\$ ]]"
id=$(echo "$target" | cut -d: -f3)
fn=$(echo "$target" | cut -d: -f4)

start_etrace -e "fentry:bpf:$id:$fn /comm == \"etr_fbpf\"/ { @e[probe] = count(); @c = args.ctx != 0; }
fexit:bpf:$fn /comm == \"etr_fbpf\"/ { @x = count(); }"
"$BIN" $N
stop_etrace
cp "$ET_OUT" "$TMP/b.out"
# retval of a BPF program's function is refused (on 6.1 the slot after the arguments did not hold it)
run_etrace -e "fexit:bpf:$fn { @r[retval] = count(); }"
check "fexit:bpf: retval refused with a located error" \
	grep -qF "error: retval of a BPF program's function (fexit:bpf:...) is not available in etrace yet" "$ET_ERR"
kill -INT "$A"
wait "$A"
check "the traced program counted every call ($N)" grep -qxF "@n: $N" "$TMP/a.out"
check "fentry:bpf:ID:FUNC fires on each of its runs ($N), named as written" grep -qxF "@e[fentry:bpf:$id:$fn]: $N" "$TMP/b.out"
check "fentry:bpf: args.ctx from the program's BTF, not NULL" grep -qxF "@c: true" "$TMP/b.out"
check "fexit:bpf:FUNC (any program): each return ($N)" grep -qxF "@x: $N" "$TMP/b.out"
finish
