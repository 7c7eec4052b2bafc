# -c and -p reach the interactive session as they reach a one-shot run (bpftrace: -c CMD runs the command
# after attaching, cpid is its pid, the run ends when it ends; -p PID traces that process only and ends
# when it exits). Each run of the session's blocks does so; a BEGIN-only block runs once without them.
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
import re, sys
from pty_session import Session, check
etrace, home, cmd = sys.argv[1:4]
s = Session(etrace, ["-i", "-c", cmd], home)
s.read_until(r"etrace> ")
s.typed('tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @n = count(); }')
out = s.read_until(r"etrace> ", 30)
check("-c: the run ends with the command; @n counts its 300 calls (pid == cpid)",
      "Attached 1 probe" in out and re.search(r"^@n: 300$", out, re.M) is not None)
s.typed(".run")
out = s.read_until(r"etrace> ", 30)
check(".run starts the command again: @n: 600 (maps persist)", re.search(r"^@n: 600$", out, re.M) is not None)
s.typed('BEGIN { print(@n); }')
out = s.read_until(r"etrace> ", 30)
check("a BEGIN-only block prints at once, without the command", re.search(r"^@n: 600$", out, re.M) is not None)
s.leave()
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
out = s.read_until(r"etrace> ", 30)
counted = re.search(r"^@n: 300$", out, re.M) is not None
if not counted:
    print("the run showed:\n" + out)
check("-p: the run ends when the process exits; @n counts only its 300 calls", counted)
s.leave()
PYEOF
status=$?
cat "$TMP/p.log"
check "-p in the session" test $status = 0
check "nothing left behind" nothing_left_behind
finish
