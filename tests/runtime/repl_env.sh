# bpftrace's environment variables reach the interactive session as they reach a one-shot run:
# BPFTRACE_MAX_STRLEN cuts str() at that length, BPFTRACE_MAP_KEYS_MAX caps a map's keys (each update it
# refuses is reported at the call, as bpftrace does). The session is driven through a pseudo-terminal
# (tests/runtime/pty_session.py).
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
require_tracepoint syscalls/sys_enter_openat
require_session_python
loop=$(build_prog getppid_loop etr_renv)
cp "$(command -v cat)" "$TMP/etr_renv_cat" # its comm names it
echo text >"$TMP/abcdefghijklmnop"
mkdir -p "$TMP/home"
snapshot_bpf

BPFTRACE_MAX_STRLEN=8 BPFTRACE_MAP_KEYS_MAX=5 session_python - "$ETRACE" "$loop" "$TMP" <<'PYEOF' >"$TMP/session.log" 2>&1
import os, re, subprocess, sys, time
from pty_session import Session, check
etrace, loop, tmp = sys.argv[1:4]
s = Session(etrace, ["-i"], os.path.join(tmp, "home"))

s.read_until(r"etrace> ")
# BPFTRACE_MAX_STRLEN=8: str() keeps 8 characters and, the name being longer, no NUL: printed with ".."
s.typed('tracepoint:syscalls:sys_enter_openat /comm == "etr_renv_cat"/ { printf("<%s>\\n", str(args.filename)); }')
s.read_until(r"Attached 1 probe\n")
subprocess.run([os.path.join(tmp, "etr_renv_cat"), "abcdefghijklmnop"], cwd=tmp, check=True,
               stdout=subprocess.DEVNULL)
out = s.read_until(r"<abcdefg[^\n]*\n")
check("str(args.filename) cut at BPFTRACE_MAX_STRLEN=8: <abcdefgh..>", out.endswith("<abcdefgh..>\n"))

# BPFTRACE_MAP_KEYS_MAX=5: 8 threads of 100 calls each, one key per thread; 5 keys fit, the 3 other
# threads' 300 updates fail, each reported at the call as it happens (bpftrace's helper error)
s.typed('tracepoint:syscalls:sys_enter_getppid /comm == "etr_renv"/ { @k[tid] = count(); }')
s.read_until(r"Attached 1 probe\n.*etrace> ")
subprocess.run([loop, "800", "8"], check=True)
out = "".join(s.read_until(r"Additional Info - helper: map_update_elem, retcode: -7\n") for _ in range(300))
check("300 failed updates reported: Map full (got %d)" % out.count("warning: Map full; can't update element."),
      out.count("warning: Map full; can't update element.") == 300)
s.typed(".print @k")
out = s.read_until(r"\.print @k\n.*etrace> ")
keys = re.findall(r"^@k\[\d+\]: (\d+)$", out, re.M)
check("@k holds BPFTRACE_MAP_KEYS_MAX=5 keys of 100 calls each (got %s)" % keys, keys == ["100"] * 5)
check("no more failures reported", "Map full" not in out)
s.key(b"\x04")
s.ended("Ctrl-D ends the session")
PYEOF
status=$?
cat "$TMP/session.log"
check "the session honours BPFTRACE_MAX_STRLEN and BPFTRACE_MAP_KEYS_MAX" test $status = 0
check "nothing left behind" nothing_left_behind
finish
