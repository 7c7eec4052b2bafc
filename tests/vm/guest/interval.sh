# interval on this kernel: fires at its period; exit() from the Nth tick ends the run, END runs once.
. "$(dirname "$0")/lib.sh"
require_root
run_etrace -e 'BEGIN { @start = nsecs; @n = 0; } interval:ms:200 { @n++; if (@n == 5) { @ms = (nsecs - @start) / 1000000; exit(); } } END { printf("end\n"); delete(@start); }'
check "exit status 0" test "$ET_STATUS" = 0
check "exit() on the 5th tick: @n: 5" grep -qx '@n: 5' "$ET_OUT"
ms=$(map_value "$ET_OUT" '@ms')
check "5 ticks of 200 ms took 900..2500 ms (got '$ms')" test "${ms:-0}" -ge 900 -a "${ms:-0}" -le 2500
check "END ran once" test "$(grep -cx end "$ET_OUT")" = 1
finish
