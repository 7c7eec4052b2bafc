# -c and -p reach the interactive session as they reach a one-shot run (bpftrace: -c CMD runs the command
# after attaching, cpid is its pid, the run ends when it ends; -p PID traces that process only and ends
# when it exits). In the live session the command starts once the first block is attached, and the
# session ends (printing the maps, as .quit does) when the command or the -p process ends.
# Driven through a pseudo-terminal (tests/runtime/pty_session.py).
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
require_session_python
loop=$(build_prog getppid_loop etr_rtarget)
mkdir -p "$TMP/home"
snapshot_bpf

# -c: each run starts the command after attaching and ends when it exits; cpid is its pid
session_python - "$ETRACE" "$TMP/home" "$loop 300" <<'PYEOF' >"$TMP/c.log" 2>&1
import os, re, sys
from pty_session import Session, check
etrace, home, cmd = sys.argv[1:4]
s = Session(etrace, ["-i", "-c", cmd], home)
s.read_until(r"etrace> ")
s.typed('BEGIN { printf("cpid known at begin: %d\\n", cpid > 0); }')
out = s.read_until(r"etrace> ")
check("a BEGIN-only block runs at once, before the command starts", "cpid known at begin: 1" in out)
s.typed('tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @n = count(); }')
out = s.read_until(r"@n: \d+\n", 30)
check("-c: the command starts once the block is attached; the session ends with it, @n counts its 300 calls",
      "Attached 1 probe" in out and "the traced process ended" in out and re.search(r"^@n: 300$", out, re.M))
status = s.ended("the session ends when the -c command ends")
check("... with exit status 0", os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0)
PYEOF
status=$?
cat "$TMP/c.log"
check "-c in the session" test $status = 0

# -p: the run traces that process only (the block has no predicate) and ends when it exits. The target
# waits on a fifo, then execs the loop under the same pid, so its 300 calls come after the attach; a
# second loop's 500 calls meanwhile are another process's. bash itself calls getppid() three times as it
# starts (for $PPID): the session starts only once the target says it is past that, or under load those
# calls could come after the attach and count too.
mkfifo "$TMP/go"
bash -c ': >"$3"; read -r _ <"$1"; exec "$2" 300' _ "$TMP/go" "$loop" "$TMP/target-ready" &
target=$!
BG_PIDS+=("$target")
end=$((SECONDS + 15 * TIME_SCALE))
while [ ! -e "$TMP/target-ready" ] && [ "$SECONDS" -le "$end" ]; do nap 0.05; done
session_python - "$ETRACE" "$TMP/home" "$target" "$loop" "$TMP/go" <<'PYEOF' >"$TMP/p.log" 2>&1
import re, subprocess, sys
from pty_session import Session, check
etrace, home, target, loop, go = sys.argv[1:6]
s = Session(etrace, ["-i", "-p", target], home)
s.read_until(r"etrace> ")
s.typed('tracepoint:syscalls:sys_enter_getppid { @n = count(); }')
s.read_until(r"Attached 1 probe\n")
subprocess.run([loop, "500"], check=True)
open(go, "w").write("go\n")
out = s.read_until(r"@n: \d+\n", 30)
counted = re.search(r"^@n: 300$", out, re.M) is not None
if not counted:
    print("the session showed:\n" + out)
check("-p: the session ends when the process exits; @n counts only its 300 calls", counted)
s.ended("the session ends when the -p process exits")
PYEOF
status=$?
cat "$TMP/p.log"
check "-p in the session" test $status = 0
check "nothing left behind" nothing_left_behind
finish
