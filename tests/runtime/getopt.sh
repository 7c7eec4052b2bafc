#!/bin/bash
# Named parameters: getopt("name", default[, "description"]) takes --name=value (or --name for a boolean)
# after the program, beside positional parameters; without the option, the default. Real getppid
# events, exact counts and sums.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
GP=$(build_prog getppid_loop etr_getppid)
snapshot_bpf

prog='tracepoint:syscalls:sys_enter_getppid /comm == getopt("comm", "nobody", "process name")/ {
	@n = count();
	@w = sum(getopt("weight", 1));
	if (getopt("verbose")) { @v = count(); }
	@off = min(getopt("off", -3) * $1);
	@on = count();
}
END { printf("verbose=%d quiet=%d comm=%s\n", getopt("verbose"), getopt("quiet", true), getopt("comm", "nobody")); }'
run_etrace -c "$GP 5" -e "$prog" 2 -- --comm=etr_getppid --weight=3 --verbose --off=-10 --quiet=off
check "--comm=etr_getppid filters: 5 calls" grep -qx '@n: 5' "$ET_OUT"
check "--weight=3: sum 15" grep -qx '@w: 15' "$ET_OUT"
check "--verbose (boolean, no value): true" grep -qx '@v: 5' "$ET_OUT"
check "--off=-10 (int64) times \$1 = 2: -20" grep -qx '@off: -20' "$ET_OUT"
check "values printed: verbose=1 quiet=0 comm=etr_getppid" grep -qx 'verbose=1 quiet=0 comm=etr_getppid' "$ET_OUT"

run_etrace -c "$GP 5" -e "$prog" 2
check "defaults: comm 'nobody' matches no event" bash -c "! grep -q '^@n' '$ET_OUT'"
check "defaults printed: verbose=0 quiet=1 comm=nobody" grep -qx 'verbose=0 quiet=1 comm=nobody' "$ET_OUT"

run_etrace -c "$GP 5" -e "$prog" 2 -- --comm=etr_getppid --wieght=3
check "a misspelt option is refused before anything attaches" \
	bash -c "[ $ET_STATUS = 1 ] && grep -q 'unexpected program command line options: --wieght' '$ET_ERR' && ! grep -q Attached '$ET_ERR'"

check "nothing left behind" nothing_left_behind
finish
