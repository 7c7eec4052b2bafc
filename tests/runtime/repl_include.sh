# The interactive session reads -I DIR and --include FILE for every block, as a script does: a macro
# of the --include'd header (which #includes a header found only through -I) weighs real getppid events.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
require_session_python
loop=$(build_prog getppid_loop etr_repl_inc)
mkdir -p "$TMP/home" "$TMP/inc" "$TMP/top"
echo '#define BASE_WEIGHT 3' >"$TMP/inc/base.h"
printf '#include "base.h"\n#define WEIGHT (BASE_WEIGHT + 1)\n' >"$TMP/top/weights.h"
snapshot_bpf

session_python - "$ETRACE" "$loop" "$TMP/home" "$TMP/inc" "$TMP/top/weights.h" <<'PYEOF' >"$TMP/session.log" 2>&1
import re, subprocess, sys
from pty_session import Session, check
etrace, loop, home, inc, weights = sys.argv[1:6]
s = Session(etrace, ["-I", inc, "--include", weights], home)
s.read_until(r"etrace> ")
s.typed('tracepoint:syscalls:sys_enter_getppid /comm == "etr_repl_inc"/ { @w = sum(WEIGHT); }')
out = s.read_until(r"etrace> ")
check("the block using the --include'd macro attaches", "Attached 1 probe" in out)
subprocess.run([loop, "5"], check=True)
s.typed(".print @w")
out = s.read_until(r"\.print @w\n.*etrace> ")
check("WEIGHT from --include, BASE_WEIGHT through -I: 5 x 4 = 20", re.search(r"^@w: 20$", out, re.M) is not None)
s.leave()
PYEOF
status=$?
cat "$TMP/session.log"
check "-I and --include in the interactive session" test $status = 0
check "nothing left behind" nothing_left_behind
finish
