# bpftrace's `config` builtin (also `config()`): a record of the configuration in effect, in bpftrace's
# fields and order; the script's config block and the BPFTRACE_* environment show in it, the
# environment winning. The values are constants, read in a real probe: a child's getppid() calls.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
loop=$(build_prog getppid_loop etr_cfgrec)
snapshot_bpf

probe='tracepoint:syscalls:sys_enter_getppid /pid == cpid/ {
	printf("max_strlen: %d, stack_mode: %s\n", config.max_strlen, config.stack_mode);
	$c = config(); print(($c.missing_probes, $c.print_maps_on_exit, $c.max_map_keys)); exit(); }'

BPFTRACE_MAX_MAP_KEYS=77 run_etrace -c "$loop 1" -e "config = { max_strlen = 99; stack_mode = perf; max_map_keys = 5 } $probe"
check "printf of two fields, as set by the config block" grep -qx 'max_strlen: 99, stack_mode: perf' "$ET_OUT"
check "config(): a tuple of three fields, the environment's max_map_keys winning" grep -qx '(error, true, 77)' "$ET_OUT"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

run_etrace -c "$loop 1" -e "config = { missing_probes = warn; print_maps_on_exit = false } $probe"
check "defaults: max_strlen and stack_mode" grep -qx 'max_strlen: 64, stack_mode: bpftrace' "$ET_OUT"
check "the config block's missing_probes and print_maps_on_exit" grep -qx '(warn, false, 4096)' "$ET_OUT"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

run_etrace -f json -c "$loop 1" -e "config = { print_maps_on_exit = false } tracepoint:syscalls:sys_enter_getppid /pid == cpid/ {
	print(config); exit(); }"
check "-f json: the whole record, bpftrace's fields in its order" grep -qxF '{"type": "value", "data": {"cpp_demangle": true, "lazy_symbolication": true, "print_maps_on_exit": false, "use_blazesym": false, "show_debug_info": true, "log_size": 1000000, "max_bpf_progs": 1024, "max_cat_bytes": 10240, "max_map_keys": 4096, "max_probes": 1024, "max_strlen": 64, "on_stack_limit": 32, "perf_rb_pages": 0, "str_trunc_trailer": "..", "unstable_import_statement": "error", "unstable_tseries": "warn", "unstable_typeinfo": "error", "unstable_dw_ustack": "warn", "missing_probes": "error", "stack_mode": "bpftrace", "license": "GPL"}}' "$ET_OUT"
[ "$FAILS" = 0 ] || cat "$ET_OUT" "$ET_ERR"

nothing_left_behind
finish
