# The live interactive session driven through a pseudo-terminal (tests/runtime/pty_session.py): a counting
# block runs in the background and the prompt stays; its map read twice while it runs grows; a second
# block reads a map the first fills (one map shared by both objects); .detach 1 stops the first while the
# second goes on counting; .stop/.start pause and resume; .zero/.clear; .top refreshes until a key; Ctrl-D
# prints the maps as a script's exit does, and nothing stays in the kernel. Then: printf output of a
# background probe does not corrupt a half-typed line (it is shown above the line, which is drawn again
# and runs as typed), nor does a runtime warning; exit() ends its block alone; -f json. A block that fails
# to attach leaves nothing.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
require_tracepoint syscalls/sys_exit_getppid
require_session_python
loop=$(build_prog getppid_loop etr_live)
mkdir -p "$TMP/home"
snapshot_bpf

session_python - "$ETRACE" "$loop" "$TMP/home" <<'PYEOF' >"$TMP/live.log" 2>&1
import os, re, subprocess, sys, time
import pty_session
from pty_session import Session, check
etrace, loop, home = sys.argv[1:4]
s = Session(etrace, [], home)

def ask(line):
    s.typed(line)
    return s.read_until(re.escape(line) + r"\n(.*?)etrace> ")

def value(out, name):
    m = re.search(r"^%s: (\d+)$" % re.escape(name), out, re.M)
    return int(m.group(1)) if m else None

s.read_until(r"etrace> ")
out = ask('tracepoint:syscalls:sys_enter_getppid /comm == "etr_live"/ { @calls = count(); @last = pid; }')
check("a block attaches and the prompt comes back at once", "Attached 1 probe" in out and "[1] running" in out)
subprocess.run([loop, "300"], check=True)
first = value(ask(".print @calls"), "@calls")
check(".print @calls while it runs: 300", first == 300)
subprocess.run([loop, "200"], check=True)
second = value(ask(".print @calls"), "@calls")
check(".print @calls again: it grew to 500, the block still attached", second == 500)

# a second block reading @last, which the first block fills: the same kernel map
out = ask('tracepoint:syscalls:sys_exit_getppid /comm == "etr_live"/ { @exits = count(); @copy = @last; }')
check("a second block attaches its 1 probe only", "Attached 1 probe\n" in out and "[2] running" in out)
p = subprocess.Popen([loop, "100"]); p.wait()
out = ask(".maps")
check("both count: @calls 600, @exits 100", value(out, "@calls") == 600 and value(out, "@exits") == 100)
check("the second block read the map the first fills: @copy is the loop's pid", value(out, "@copy") == p.pid)

out = ask(".detach 1")
check(".detach 1", "detached [1]" in out)
out = ask(".probes")
check(".probes: block 2 only", "[2] " in out and "[1] " not in out)
q = subprocess.Popen([loop, "100"]); q.wait()
out = ask(".maps")
check("after .detach 1: @calls stays 600, @exits goes on to 200, @copy keeps the last pid block 1 saw",
      value(out, "@calls") == 600 and value(out, "@exits") == 200 and value(out, "@copy") == p.pid)

out = ask(".stop")
check(".stop pauses 1 block", "paused 1 block" in out)
subprocess.run([loop, "50"], check=True)
check("paused: @exits stays 200", value(ask(".print @exits"), "@exits") == 200)
ask(".start")
subprocess.run([loop, "50"], check=True)
check(".start: @exits counts again, 250", value(ask(".print @exits"), "@exits") == 250)

ask(".zero @exits")
out = ask(".print @exits")
check(".zero @exits: 0", value(out, "@exits") == 0)
ask(".clear @copy")
out = ask(".maps")
check(".clear @copy: gone from .maps, the others stay", "@copy" not in out and value(out, "@calls") == 600)

# .top: a frame now, the cursor moved back up over it for the next; any key returns to the prompt
s.typed(".top @calls 5 0.2")
s.read_until(r"@calls: the top 5, every 0.2s.*@calls: 600\n")
s.read_until(r"\x1b\[\d+A")  # the next frame goes back over this one (in place)
s.key(b"\x03")
s.read_until(r"etrace> ")
check(".top refreshes in place; Ctrl-C returns to the prompt", True)

# Ctrl-C at the prompt clears the line being typed
s.key(b"BEGIN { printf(\"never\\n\"); ")
time.sleep(0.3)
s.key(b"\x03")
s.read_until(r"etrace> ")
out = ask('BEGIN { printf("after %d\\n", 6 * 7); }')
check("Ctrl-C dropped the half-typed line; the next block runs alone", "after 42" in out and "never" not in out)

s.key(b"\x04")
s.read_until(r"\n\n")
rest = s.read_until(r"@last: \d+\n")
status = s.ended("Ctrl-D ends the session")
check("Ctrl-D printed every map like a script's exit",
      value(rest, "@calls") == 600 and value(rest, "@exits") == 0 and value(rest, "@last") == p.pid)
check("exit status 0", os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0)
print("session checks: %d" % pty_session.checks)
PYEOF
status=$?
cat "$TMP/live.log"
check "a live session: blocks run in the background, maps read while they run" test $status = 0
check "nothing left behind after the live session" nothing_left_behind

# a block that fails to attach (ETRACE_TEST_FAIL_ATTACH=2: the second probe of a block fails after the
# first is attached) leaves nothing of itself: not its attached probe, not its new map; the running
# block is untouched
ETRACE_TEST_FAIL_ATTACH=2 session_python - "$ETRACE" "$loop" "$TMP/home" <<'PYEOF' >"$TMP/fail.log" 2>&1
import os, re, subprocess, sys
from pty_session import Session, check
etrace, loop, home = sys.argv[1:4]
s = Session(etrace, [], home)

def owned():
    """the kernel objects the session holds: the ids of its BPF programs, maps and links (its fds'
    fdinfo) and its perf events (tracepoint attachments)"""
    held = {"prog_id": set(), "map_id": set(), "link_id": set(), "perf_event": 0}
    fds = "/proc/%d/fd" % s.pid
    for fd in os.listdir(fds):
        try:
            target = os.readlink(os.path.join(fds, fd))
            info = open("/proc/%d/fdinfo/%s" % (s.pid, fd)).read()
        except OSError:
            continue
        if target == "anon_inode:[perf_event]":
            held["perf_event"] += 1
        for key in ("prog_id", "map_id", "link_id"):
            m = re.search(r"^%s:\s*(\d+)$" % key, info, re.M)
            if m and target.startswith("anon_inode:bpf"):
                held[key].add(int(m.group(1)))
    return held

s.read_until(r"etrace> ")
s.typed('tracepoint:syscalls:sys_enter_getppid /comm == "etr_live"/ { @a = count(); }')
s.read_until(r"\[1\] running\n.*etrace> ")
before = owned()
s.typed('tracepoint:syscalls:sys_enter_getppid, tracepoint:syscalls:sys_exit_getppid { @b = count(); }')
out = s.read_until(r"etrace> ")
check("the failed block is reported at its probe", re.search(r"<2>:1:\d+: error: cannot attach", out) is not None)
after = owned()
check("block 1 holds its program, maps and tracepoint (%s)" % before,
      before["prog_id"] and before["map_id"] and before["perf_event"] == 1)
check("nothing of the failed block stays in the kernel (%s, then %s)" % (before, after), before == after)
subprocess.run([loop, "70"], check=True)
s.typed(".maps")
out = s.read_until(r"\.maps\n.*etrace> ")
check("block 1 counts on, and the failed block's map is not the session's", "@a: 70" in out and "@b" not in out)
s.leave()
PYEOF
status=$?
cat "$TMP/fail.log"
check "a block that fails to attach leaves nothing behind" test $status = 0

# printf of a background probe while a line is half typed: the output goes above the line, the line is
# drawn again, and the line runs exactly as typed
session_python - "$ETRACE" "$TMP/home" <<'PYEOF' >"$TMP/half.log" 2>&1
import re, sys, time
from pty_session import Session, check, screen_lines
etrace, home = sys.argv[1:3]
s = Session(etrace, [], home)
s.read_until(r"etrace> ")
s.typed('interval:ms:100 { printf("tick %d\\n", 7); }')
s.read_until(r"tick 7\n")
s.key(b'BEGIN { printf("half')
mark = len(s.raw)
s.read_until(r"(tick 7\netrace> BEGIN \{ printf\(\"half.*){3}")
shown = screen_lines(s.raw[mark:])  # what the terminal displays since the half line was typed
last = shown[-1]
ticks = [l for l in shown[:-1] if l]
check("background printf is shown as whole lines above the prompt: %r" % ticks[-3:],
      len(ticks) >= 3 and all(l == "tick 7" for l in ticks))
check("the half-typed line is drawn again under them: %r" % last, last == 'etrace> BEGIN { printf("half')
s.key(b'-typed\\n"); }\n')
s.read_until(r"half-typed\n")
check("the line runs as typed (half-typed)", True)
# a warning found while a probe runs (division by zero) is rendered at the typed block's line, above the
# half-typed line, which is drawn again
s.typed('interval:ms:300 { $z = 0; @q = 10 / $z; }')
n = re.search(r"\[(\d+)\] running\n", s.read_until(r"\[\d+\] running\n")).group(1)
s.key(b"BEGIN { @w")
mark = len(s.raw)
s.read_until(r"<%s>:1:\d+: warning: [^\n]*\n.*\^[^\n]*\n(.*\n)?.*etrace> BEGIN \{ @w" % n)
shown = screen_lines(s.raw[mark:])
check("a runtime warning of the block is shown at its line (<%s>:1:...), the half line drawn again under "
      "it: %r" % (n, shown[-1]), shown[-1] == "etrace> BEGIN { @w" and
      any(re.match(r"<%s>:1:\d+: warning: " % n, l) for l in shown))
s.key(b"\x15")  # erase the line (Ctrl-U)
s.typed(".detach " + n)
s.read_until(r"detached \[%s\]\n" % n)

# exit() in a block ends that block alone (its END runs); the others go on
s.typed('interval:ms:50 { exit(); } END { printf("its end\\n"); }')
n = re.search(r"\[(\d+)\] running\n", s.read_until(r"\[\d+\] running\n")).group(1)
out = s.read_until(r"\[%s\] ended by exit\(\)\n" % n)
check("exit() ends its block, whose END runs", "its end" in out)
s.drain(0.3)
s.typed(".probes")
out = s.read_until(r"\.probes\n.*etrace> ")
check(".probes: block 1 runs on, the ended block is gone", "[1] interval" in out and "[%s]" % n not in out)
s.leave()
PYEOF
status=$?
cat "$TMP/half.log"
check "background printf does not corrupt a half-typed line" test $status = 0

# -f json: what the probes print and the maps .print reads are bpftrace's JSON lines
session_python - "$ETRACE" "$TMP/home" <<'PYEOF' >"$TMP/json.log" 2>&1
import re, sys
from pty_session import Session, check
etrace, home = sys.argv[1:3]
s = Session(etrace, ["-f", "json"], home)
s.read_until(r"etrace> ")
s.typed('interval:ms:100 { @ticks = count(); printf("t%d\\n", 1); }')
s.read_until(r'\{"type": "printf", "data": "t1\\n"\}\n')
s.typed(".print @ticks")
out = s.read_until(r"\.print @ticks\n.*etrace> ")
check(".print in JSON: {\"type\": \"map\", \"data\": {\"@ticks\": N}}",
      re.search(r'^\{"type": "map", "data": \{"@ticks": \d+\}\}$', out, re.M) is not None)
s.leave()
PYEOF
status=$?
cat "$TMP/json.log"
check "-f json in the live session" test $status = 0
check "nothing left behind" nothing_left_behind
finish
