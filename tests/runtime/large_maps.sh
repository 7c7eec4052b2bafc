# Large maps (a big max_map_keys) are created without preallocation where the kernel allows it (--info
# "map no-prealloc"; see choose_prealloc in src/runtime/load.c): they still hold every key they are given,
# count exactly, and say "Map full" as preallocated ones do when one more key comes.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
loop=$(build_prog getppid_loop etr_largemap)
snapshot_bpf
no_prealloc=0
"$ETRACE" --info 2>/dev/null | grep -qE '^  map no-prealloc +yes' && no_prealloc=1
body='/comm == "etr_largemap"/ { $t = nsecs; @c[$t] = count(); @h[$t] = 1; @n = count(); }'

# ---- N distinct keys (every call's own nsecs) into maps of 100 000 (no preallocation for either) ----
N=20000
start_etrace -e "config = { max_map_keys = 100000 } tracepoint:syscalls:sys_enter_getppid $body" ||
	fail "attach (100 000 keys)"
if [ "$no_prealloc" = 1 ]; then
	# both maps of 100 000 keys: flags 0x1 (BPF_F_NO_PREALLOC) in the kernel's own description
	flags=$(for f in /proc/"$ET_PID"/fdinfo/*; do
		grep -q '^max_entries:[[:space:]]*100000$' "$f" 2>/dev/null && sed -n 's/^map_flags:[[:space:]]*//p' "$f"
	done | sort | tr '\n' ' ')
	check "both 100 000-key maps created without preallocation (got '$flags')" test "$flags" = "0x1 0x1 "
fi
"$loop" $N
stop_etrace INT
check "100 000 keys: exit 0" test "$ET_STATUS" = 0
check "100 000 keys: @n is $N" grep -qx "@n: $N" "$ET_OUT"
check "100 000 keys: $N keys in @c" test "$(grep -c '^@c\[[0-9]*\]: 1$' "$ET_OUT")" = $N
check "100 000 keys: $N keys in @h" test "$(grep -c '^@h\[[0-9]*\]: 1$' "$ET_OUT")" = $N
check "100 000 keys: nothing reported" sh -c "! grep -q 'warning' '$ET_ERR'"

# ---- 20 100 keys into maps of 20 000: the per-CPU @c without preallocation, the plain @h with it (see
# load.c's thresholds); both refuse the last 100 with bpftrace's warning, the same for both kinds ----
full="-e:1:121: warning: Map full; can't update element. Try increasing max_map_keys config or manually setting the max entries in a map declaration e.g. \`let @a = hash(5000)\`"
start_etrace -e "config = { max_map_keys = 20000 } tracepoint:syscalls:sys_enter_getppid $body" ||
	fail "attach (20 000 keys)"
if [ "$no_prealloc" = 1 ]; then
	flags=$(for f in /proc/"$ET_PID"/fdinfo/*; do
		grep -q '^max_entries:[[:space:]]*20000$' "$f" 2>/dev/null &&
			echo "$(sed -n 's/^map_type:[[:space:]]*//p' "$f"):$(sed -n 's/^map_flags:[[:space:]]*//p' "$f")"
	done | sort | tr '\n' ' ')
	# map types 1 (hash) and 5 (per-CPU hash)
	check "20 000 keys: per-CPU map without preallocation, plain one with (got '$flags')" test "$flags" = "1:0x0 5:0x1 "
fi
"$loop" 20100
stop_etrace INT
check "full: exit 0" test "$ET_STATUS" = 0
check "full: @n is 20100" grep -qx "@n: 20100" "$ET_OUT"
check "full: 20000 keys in @c" test "$(grep -c '^@c\[[0-9]*\]: 1$' "$ET_OUT")" = 20000
check "full: 20000 keys in @h" test "$(grep -c '^@h\[[0-9]*\]: 1$' "$ET_OUT")" = 20000
check "full: @c's 100 refused inserts reported (at count())" test "$(grep -cxF -- "$full" "$ET_ERR")" = 100
check "full: @h's 100 refused inserts reported" \
	test "$(grep -cxF -- "${full/1:121:/1:130:}" "$ET_ERR")" = 100
check "full: the helper and its code (E2BIG) said" \
	test "$(grep -cx 'Additional Info - helper: map_update_elem, retcode: -7' "$ET_ERR")" = 200
check "nothing left behind" nothing_left_behind
finish
