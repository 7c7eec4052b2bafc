# The interactive session driven through a pseudo-terminal (python3's pty): a one-liner is attached at once,
# events fire, Ctrl-C prints its map and returns to the prompt; a second block reads the map the first one
# fills (maps persist across runs); .maps .print .clear .probes .detach .save .help; a syntax error and a
# type error mid-session show a caret under the typed block and the session goes on; a block spread over
# several lines; Tab completion; Ctrl-C at the prompt; history saved in $HOME/.etrace_history; Ctrl-D leaves.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
command -v python3 >/dev/null || skip "needs python3 for the pseudo-terminal"
loop=$(build_prog getppid_loop etr_repl)
mkdir -p "$TMP/home"
snapshot_bpf

python3 - "$ETRACE" "$loop" "$TMP/home" "$TMP/saved.et" <<'PYEOF' >"$TMP/session.log" 2>&1
import os, pty, re, select, subprocess, sys, time
etrace, loop, home, saved = sys.argv[1:5]
pid, fd = pty.fork()
if pid == 0:
    os.environ["HOME"] = home
    os.environ["TERM"] = "dumb"
    os.execv(etrace, ["etrace"])   # no program, on a terminal: the session

import atexit, signal
def reap():
    """a failed check must not leave the session running (tests leave no processes behind)"""
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except OSError:
        pass
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
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                buf += os.read(fd, 65536).decode(errors="replace").replace("\r", "")
            except OSError:
                break
    print("TIMEOUT waiting for %r; got:\n%s" % (pattern, buf))
    sys.exit(1)
checks = 0
def check(desc, cond):
    global checks
    checks += 1
    print(("ok: " if cond else "FAIL: ") + desc)
    if not cond:
        sys.exit(1)
def drain(seconds=0.5):
    """forget everything the terminal shows for a moment (redraws after editing keys)"""
    global buf
    end = time.time() + seconds
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                os.read(fd, 65536)
            except OSError:
                break
    buf = ""
def typed(line):
    os.write(fd, line.encode() + b"\n")

read_until(r"etrace> ")
# 1. a one-liner: attached at once; events; Ctrl-C prints the map and returns to the prompt
typed('tracepoint:syscalls:sys_enter_getppid /comm == "etr_repl"/ { @calls[comm] = count(); }')
read_until(r"Attached 1 probe\n")
subprocess.run([loop, "500"], check=True)
time.sleep(0.3)
os.write(fd, b"\x03")
out = read_until(r"etrace> ")
check("Ctrl-C prints the map: @calls[etr_repl]: 500", re.search(r"^@calls\[etr_repl\]: 500$", out, re.M) is not None)

# 2. a second block reading the map the first one fills (both attached; the count goes on from 500)
typed('tracepoint:syscalls:sys_enter_getppid /comm == "etr_repl"/ { @seen = max(pid); }')
read_until(r"Attached 2 probes\n")
p = subprocess.Popen([loop, "300"]); p.wait()
time.sleep(0.3)
os.write(fd, b"\x03")
out = read_until(r"etrace> ")
check("maps persist across runs: @calls[etr_repl]: 800", re.search(r"^@calls\[etr_repl\]: 800$", out, re.M) is not None)
check("the second block's map: @seen is the loop's pid", re.search(r"^@seen: %d$" % p.pid, out, re.M) is not None)

# 3. a begin-only block runs once on its own and can print the session's maps
typed("BEGIN { print(@calls); printf(\"one-shot\\n\"); }")
out = read_until(r"etrace> ")
check("BEGIN block: attached alone, printed @calls and its text",
      "Attached 1 probe\n" in out and "@calls[etr_repl]: 800" in out and "one-shot" in out)

# 4. commands
typed(".maps")
out = read_until(r"etrace> ")
check(".maps lists both maps", "@calls[etr_repl]: 800" in out and re.search(r"^@seen: \d+$", out, re.M) is not None)
typed(".print @seen")
out = read_until(r"etrace> ")
check(".print @seen prints only @seen", "@seen:" in out and "@calls" not in out)
typed(".probes")
out = read_until(r"etrace> ")
check(".probes lists blocks [1] and [2]", "[1] tracepoint:syscalls:sys_enter_getppid" in out and "[2] " in out)
typed(".clear @calls")
read_until(r"etrace> ")
typed(".maps")
out = read_until(r"etrace> ")
check(".clear @calls empties it", "@calls" not in out and "@seen" in out)

# 5. errors mid-session: a caret under the typed block, and the session goes on
typed("BEGIN { @x = 1 +; }")
out = read_until(r"etrace> ")
check("syntax error: located in the typed block, with the line and a caret",
      re.search(r"<\d+>:1:17: error: .*\nBEGIN \{ @x = 1 \+; \}\n {16}\^", out) is not None)
typed('tracepoint:syscalls:sys_enter_getppid { @calls[comm] = "str"; }')
out = read_until(r"etrace> ")
check("type clash with an earlier block's map: an error, nothing attached",
      "error" in out and "Attached" not in out)

# 6. a block over several lines (continued until the braces balance)
typed("BEGIN {")
read_until(r"\.\.\.> ")
typed('  printf("multi %d\\n", 6 * 7);')
read_until(r"\.\.\.> ")
typed("}")
out = read_until(r"etrace> ")
check("a block typed over three lines runs", "multi 42" in out)

# 7. .detach 2, then a run attaches only block 1 (and the new one)
typed(".detach 2")
read_until(r"etrace> ")
typed(".probes")
out = read_until(r"etrace> ")
check(".detach 2 removes block 2", "[1] " in out and "[2] " not in out)
# a map whose type changes (its block is detached) starts empty instead of restoring the old values
typed('BEGIN { @seen = "text"; }')
out = read_until(r"etrace> ")
check("@seen reused as a string after .detach: a new empty map, no error",
      re.search(r"^@seen: text$", out, re.M) is not None and "error" not in out)
typed(".save " + saved)
read_until(r"etrace> ")
check(".save writes a script with a shebang and block 1",
      open(saved).read().startswith("#!/usr/bin/env etrace") and "@calls[comm] = count()" in open(saved).read())

# 8. Tab completion: a tracepoint event, a map name
os.write(fd, b"tracepoint:sched:sched_proc\t")
read_until(r"sched_process_")    # (read_until fails the test when this never shows)
os.write(fd, b"\x15")            # erase the line (Ctrl-U)
drain()
os.write(fd, b"BEGIN { print(@se\t")
read_until(r"@seen")
check("Tab completes a tracepoint event (sched_proc -> sched_process_) and a map name (@se -> @seen)", True)
os.write(fd, b"\x15\n")
drain()

# 9. Ctrl-C at the prompt does not end the session
os.write(fd, b"\x03")
time.sleep(0.3)
typed(".help")
out = read_until(r"\.quit.*etrace> ")
check("Ctrl-C at the prompt keeps the session; .help answers", ".detach N" in out)

# 9b. printf output streams while the probes run (before Ctrl-C)
typed('interval:ms:200 { printf("tick %d\\n", 1); }')
read_until(r"tick 1\n.*tick 1\n")
check("printf output streams during the run", True)
os.write(fd, b"\x03")
read_until(r"etrace> ")

# 10. Ctrl-D leaves with status 0; the history is saved
os.write(fd, b"\x04")
status = None
for i in range(100):  # bounded: a session that stays after one Ctrl-D fails the check instead of hanging
    done, st = os.waitpid(pid, os.WNOHANG)
    if done:
        status = st
        break
    time.sleep(0.1)
check("Ctrl-D ends the session (within 10 s of one Ctrl-D)", status is not None)
check("Ctrl-D: exit status 0", os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0)
hist = open(os.path.join(home, ".etrace_history"), errors="replace").read()
check("history in $HOME/.etrace_history", "sys_enter_getppid" in hist and ".maps" in hist)
print("session checks: %d" % checks)
PYEOF
status=$?
cat "$TMP/session.log"
check "interactive session through a pseudo-terminal" test $status = 0

# -o FILE in the session: what the blocks print, and .print, go to the file; the prompt stays on the terminal
python3 - "$ETRACE" "$TMP/home" "$TMP/session.out" <<'PYEOF' >"$TMP/session-o.log" 2>&1
import os, pty, select, sys, time
etrace, home, outfile = sys.argv[1:4]
pid, fd = pty.fork()
if pid == 0:
    os.environ["HOME"] = home
    os.environ["TERM"] = "dumb"
    os.execv(etrace, ["etrace", "-o", outfile])
import atexit, signal
def reap():
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except OSError:
        pass
atexit.register(reap)
seen = ""
def until(text, timeout=15):
    global seen
    end = time.time() + timeout
    while text not in seen and time.time() < end:
        if select.select([fd], [], [], 0.1)[0]:
            try:
                seen += os.read(fd, 65536).decode(errors="replace")
            except OSError:
                break
    if text not in seen:
        print("TIMEOUT waiting for %r; got:\n%s" % (text, seen))
        sys.exit(1)
until("etrace> ")
seen = ""
os.write(fd, b'BEGIN { printf("to-file %d\\n", 6 * 7); @x = 3; exit(); }\n')
until("etrace> ")
shown, seen = seen, ""
os.write(fd, b".print @x\n")
until(".print @x")
until("etrace> ")  # the next prompt: .print is done (what it showed on the terminal is in `seen`)
shown += seen
os.write(fd, b"\x04")
for _ in range(100):
    if os.waitpid(pid, os.WNOHANG)[0]:
        break
    time.sleep(0.1)
else:
    print("Ctrl-D did not end the session within 10 s")
    sys.exit(1)
# the typed line is echoed (6 * 7), the result (42) and the map are not
print("terminal:", "to-file 42" in shown or "@x: 3" in shown)
PYEOF
check "-o FILE in the session: the session ran" test $? = 0
check "-o FILE in the session: printf output and maps in the file" \
	bash -c "grep -qx 'to-file 42' '$TMP/session.out' && test \$(grep -cx '@x: 3' '$TMP/session.out') = 2"
check "-o FILE in the session: nothing of it on the terminal" grep -qx 'terminal: False' "$TMP/session-o.log"
check "nothing left behind" nothing_left_behind
finish
