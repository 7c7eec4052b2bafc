# bpftrace's environment variables reach the interactive session as they reach a one-shot run:
# BPFTRACE_MAX_STRLEN cuts str() at that length, BPFTRACE_MAP_KEYS_MAX caps a map's keys (the updates it
# refuses are counted and reported). The session is driven through a pseudo-terminal as in repl.sh.
. "$(dirname "$0")/lib.sh"
require_root
require_tracepoint syscalls/sys_enter_getppid
require_tracepoint syscalls/sys_enter_openat
command -v python3 >/dev/null || skip "needs python3 for the pseudo-terminal"
loop=$(build_prog getppid_loop etr_renv)
cp "$(command -v cat)" "$TMP/etr_renv_cat" # its comm names it
echo text >"$TMP/abcdefghijklmnop"
mkdir -p "$TMP/home"
snapshot_bpf

BPFTRACE_MAX_STRLEN=8 BPFTRACE_MAP_KEYS_MAX=5 python3 - "$ETRACE" "$loop" "$TMP" <<'PYEOF' >"$TMP/session.log" 2>&1
import os, pty, re, select, subprocess, sys, time
etrace, loop, tmp = sys.argv[1:4]
pid, fd = pty.fork()
if pid == 0:
    os.environ["HOME"] = os.path.join(tmp, "home")
    os.environ["TERM"] = "dumb"
    os.execv(etrace, ["etrace", "-i"])

import atexit, signal
def reap():
    """a failed check must not leave the session running"""
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

read_until(r"etrace> ")
# BPFTRACE_MAX_STRLEN=8: str() keeps 8 characters and, the name being longer, no NUL: printed with ".."
typed('tracepoint:syscalls:sys_enter_openat /comm == "etr_renv_cat"/ { printf("<%s>\\n", str(args.filename)); }')
read_until(r"Attached 1 probe\n")
subprocess.run([os.path.join(tmp, "etr_renv_cat"), "abcdefghijklmnop"], cwd=tmp, check=True,
               stdout=subprocess.DEVNULL)
out = read_until(r"<abcdefg[^\n]*\n")
check("str(args.filename) cut at BPFTRACE_MAX_STRLEN=8: <abcdefgh..>", out.endswith("<abcdefgh..>\n"))
os.write(fd, b"\x03")
read_until(r"etrace> ")

# BPFTRACE_MAP_KEYS_MAX=5: 8 threads of 100 calls each, one key per thread; 5 keys fit, the 3 other
# threads' 300 updates are dropped and reported
typed('tracepoint:syscalls:sys_enter_getppid /comm == "etr_renv"/ { @k[tid] = count(); }')
read_until(r"Attached 2 probes\n")
subprocess.run([loop, "800", "8"], check=True)
time.sleep(0.3)
os.write(fd, b"\x03")
out = read_until(r"etrace> ")
keys = re.findall(r"^@k\[\d+\]: (\d+)$", out, re.M)
check("@k holds BPFTRACE_MAP_KEYS_MAX=5 keys of 100 calls each (got %s)" % keys, keys == ["100"] * 5)
check("the drop report: @k: 300 updates dropped, map full at 5 keys",
      re.search(r"^@k: 300 updates dropped, map full at 5 keys", out, re.M) is not None)

os.write(fd, b"\x04")
for i in range(100):
    if os.waitpid(pid, os.WNOHANG)[0]:
        break
    time.sleep(0.1)
else:
    check("Ctrl-D ends the session (within 10 s of one Ctrl-D)", False)
PYEOF
status=$?
cat "$TMP/session.log"
check "the session honours BPFTRACE_MAX_STRLEN and BPFTRACE_MAP_KEYS_MAX" test $status = 0
check "nothing left behind" nothing_left_behind
finish
