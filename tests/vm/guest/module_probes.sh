# Probes on a module's functions (the host has no modules to probe): the dummy network driver, loaded
# here, whose init and uninit run once per device added and deleted. In one run: kprobe with a wildcard
# module part, kretprobe wildcards over the module's functions (probe and retval), fentry:MODULE:FUNC
# with its BTF-typed argument, and fexit:FUNC finding the module by itself (as bpftrace), with retval.
# Each count is exact: two devices added, two deleted.
. "$(dirname "$0")/lib.sh"
require_root
require_kprobes
require_btf
command -v ip >/dev/null || skip "no ip(8) in this guest"
modprobe dummy 2>/dev/null || skip "no dummy module for this kernel"
grep -qE " [tT] dummy_dev_init\s+\[dummy\]" /proc/kallsyms || skip "this dummy module has no dummy_dev_init"
[ -r /sys/kernel/btf/dummy ] || skip "the dummy module has no BTF"
"$ETRACE" --info 2>&1 | grep -qE '^  fentry/fexit +yes' || skip "this kernel cannot run fentry/fexit (etrace --info)"

start_etrace -e 'kprobe:dumm?:dummy_setup { @setup = count(); }
kretprobe:dummy:dummy_dev_*init { @ret[probe] = count(); }
kretprobe:dummy:dummy_dev_init { @r[retval] = count(); }
fentry:dummy:dummy_dev_init { @fe[str(args.dev->name)] = count(); }
fexit:dummy_dev_init { @fx[str(args.dev->name), retval] = count(); }'
ip link add etr_mod0 type dummy && ip link add etr_mod1 type dummy
ip link del etr_mod0
ip link del etr_mod1
stop_etrace
has_line() { grep -qxF -- "$1" "$ET_OUT"; }
check "kprobe:dumm?:dummy_setup: once per device added" has_line '@setup: 2'
check "kretprobe:dummy:dummy_dev_*init: init twice, with the module in the probe name" \
	has_line '@ret[kretprobe:dummy:dummy_dev_init]: 2'
check "kretprobe:dummy:dummy_dev_*init: uninit twice" has_line '@ret[kretprobe:dummy:dummy_dev_uninit]: 2'
check "kretprobe:dummy:dummy_dev_init: retval 0 each time" has_line '@r[0]: 2'
check "fentry:dummy:dummy_dev_init: args.dev typed from the module's BTF (device names)" \
	bash -c "grep -qxF '@fe[etr_mod0]: 1' '$ET_OUT' && grep -qxF '@fe[etr_mod1]: 1' '$ET_OUT'"
check "fexit:dummy_dev_init (module found by itself): name and retval 0" \
	bash -c "grep -qxF '@fx[etr_mod0, 0]: 1' '$ET_OUT' && grep -qxF '@fx[etr_mod1, 0]: 1' '$ET_OUT'"
check "nothing else counted" test "$(grep -c '^@' "$ET_OUT")" = 8
ip link del etr_mod0 2>/dev/null
ip link del etr_mod1 2>/dev/null
finish
