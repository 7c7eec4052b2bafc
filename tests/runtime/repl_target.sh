# -c and -p reach the interactive session as they reach a one-shot run (bpftrace: -c CMD runs the command
# after attaching, cpid is its pid, the run ends when it ends; -p PID traces that process only and ends
# when it exits). Each run of the session's blocks does so; a BEGIN-only block runs once without them.
# Driven through a pseudo-terminal as in repl.sh.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
command -v python3 >/dev/null || skip "needs python3 for the pseudo-terminal"
loop=$(build_prog getppid_loop etr_rtarget)
mkdir -p "$TMP/home"
snapshot_bpf

# The python side: start `etrace -i ARGS...` on a pty, then run the checks given as a second file.
cat >"$TMP/drive_session.py" <<'PYEOF'
import os, pty, re, select, signal, subprocess, sys, time
etrace, home, checks_file, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
pid, fd = pty.fork()
if pid == 0:
    os.environ["HOME"] = home
    os.environ["TERM"] = "dumb"
    os.execv(etrace, ["etrace", "-i"] + args)
def reap():
    """a failed check must not leave the session running"""
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except OSError:
        pass
import atexit
atexit.register(reap)
buf = ""
def read_until(pattern, timeout=15):
    """read the terminal until `pattern` (a regex) appears in the new text; return that text"""
    global buf
    end = time.time() + timeout
    while time.time() < end:
        m = re.search(pattern, buf, re.S)
        if m:
            got, buf = buf[:m.end()], buf[m.end():]
            return got
        if select.select([fd], [], [], 0.1)[0]:
            try:
                buf += os.read(fd, 65536).decode(errors="replace").replace("\r", "")
            except OSError:
                break
    print("TIMEOUT waiting for %r; got:\n%s" % (pattern, buf))
    sys.exit(1)
def check(desc, cond):
    print(("ok: " if cond else "FAIL: ") + desc)
    if not cond:
        sys.exit(1)
def typed(line):
    os.write(fd, line.encode() + b"\n")
exec(open(checks_file).read())
os.write(fd, b"\x04")
for i in range(100):
    if os.waitpid(pid, os.WNOHANG)[0]:
        sys.exit(0)
    time.sleep(0.1)
check("Ctrl-D ends the session (within 10 s of one Ctrl-D)", False)
PYEOF

# -c: each run starts the command after attaching and ends when it exits; cpid is its pid
cat >"$TMP/c.py" <<'PYEOF'
read_until(r"etrace> ")
typed('tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { @n = count(); }')
out = read_until(r"etrace> ", 30)
check("-c: the run ends with the command; @n counts its 300 calls (pid == cpid)",
      "Attached 1 probe" in out and re.search(r"^@n: 300$", out, re.M) is not None)
typed(".run")
out = read_until(r"etrace> ", 30)
check(".run starts the command again: @n: 600 (maps persist)", re.search(r"^@n: 600$", out, re.M) is not None)
typed('BEGIN { print(@n); }')
out = read_until(r"etrace> ", 30)
check("a BEGIN-only block prints at once, without the command", re.search(r"^@n: 600$", out, re.M) is not None)
PYEOF
python3 "$TMP/drive_session.py" "$ETRACE" "$TMP/home" "$TMP/c.py" -c "$loop 300" >"$TMP/c.log" 2>&1
status=$?
cat "$TMP/c.log"
check "-c in the session" test $status = 0

# -p: the run traces that process only (the block has no predicate) and ends when it exits. The target
# waits on a fifo, then execs the loop under the same pid, so its 300 calls come after the attach; a
# second loop's 500 calls meanwhile are another process's.
mkfifo "$TMP/go"
bash -c 'read -r _ <"$1"; exec "$2" 300' _ "$TMP/go" "$loop" &
target=$!
BG_PIDS+=("$target")
cat >"$TMP/p.py" <<PYEOF
read_until(r"etrace> ")
typed('tracepoint:syscalls:sys_enter_getppid { @n = count(); }')
read_until(r"Attached 1 probe\n")
subprocess.run(["$loop", "500"], check=True)
open("$TMP/go", "w").write("go\n")
out = read_until(r"etrace> ", 30)
check("-p: the run ends when the process exits; @n counts only its 300 calls",
      re.search(r"^@n: 300$", out, re.M) is not None)
PYEOF
python3 "$TMP/drive_session.py" "$ETRACE" "$TMP/home" "$TMP/p.py" -p "$target" >"$TMP/p.log" 2>&1
status=$?
cat "$TMP/p.log"
check "-p in the session" test $status = 0
check "nothing left behind" nothing_left_behind
finish
