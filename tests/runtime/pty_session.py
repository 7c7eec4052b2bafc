"""pty_session: etrace's interactive session driven through a pseudo-terminal, for the runtime tests
(repl.sh, repl_env.sh, repl_target.sh; lib.sh's session_python runs their Python with this module on its
path). Session(etrace, args, home) starts `etrace ARGS...` on a new pty with HOME=home and TERM=dumb;
read_until() waits for a regex in what the terminal shows next, typed() types a line, key() types raw
bytes (Ctrl-C is b"\\x03"), leave() types one Ctrl-D and checks that the session ends, ended() only
checks that it ends; Session.raw keeps all the terminal showed, and screen_lines() turns it into the
lines a terminal displays (carriage returns overwrite). check() prints "ok: DESC" or "FAIL: DESC" and
exits 1 on a failure; a session is killed when the script exits (a failed check leaves no process
behind). Waits are in seconds times ETRACE_TEST_TIME_SCALE (see lib.sh)."""
import atexit
import os
import pty
import re
import select
import signal
import sys
import time

TIME_SCALE = float(os.environ.get("ETRACE_TEST_TIME_SCALE") or 1)
checks = 0  # the number of check() calls so far


def check(desc, cond):
    global checks
    checks += 1
    print(("ok: " if cond else "FAIL: ") + desc, flush=True)
    if not cond:
        sys.exit(1)


def screen_lines(raw):
    """the lines a terminal shows for `raw`: a carriage return goes back to the line's start and what
    follows overwrites it, "ESC [ K" erases to the line's end"""
    lines = []
    for text in raw.split("\n"):
        line, col = [], 0
        for part in re.split(r"(\r|\x1b\[K)", text):
            if part == "\r":
                col = 0
            elif part == "\x1b[K":
                del line[col:]
            else:
                for ch in part:
                    if col < len(line):
                        line[col] = ch
                    else:
                        line.append(ch)
                    col += 1
        lines.append("".join(line).rstrip())
    return lines


class Session:
    def __init__(self, etrace, args, home):
        self.buf = ""  # what the terminal showed that no read_until() has returned yet ("\r" dropped)
        self.raw = ""  # everything the terminal showed, "\r" and escapes kept (screen_lines)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.environ["HOME"] = home
            os.environ["TERM"] = "dumb"
            os.execv(etrace, ["etrace"] + list(args))
        atexit.register(self._reap)

    def _reap(self):
        """a failed check must not leave the session running (tests leave no processes behind)"""
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except OSError:
            pass

    def _read(self, seconds):
        """what the terminal shows within `seconds` (one read): "" when nothing, None when it is closed"""
        if select.select([self.fd], [], [], seconds)[0]:
            try:
                return os.read(self.fd, 65536).decode(errors="replace")
            except OSError:  # EIO: the session ended
                return None
        return ""

    def read_until(self, pattern, timeout=15):
        """read the terminal until `pattern` (a regex) appears in the new text; return that text"""
        end = time.time() + timeout * TIME_SCALE
        while time.time() < end:
            m = re.search(pattern, self.buf, re.S)
            if m:
                got, self.buf = self.buf[:m.end()], self.buf[m.end():]
                return got
            got = self._read(0.1)
            if got is None:
                break
            self.raw += got
            self.buf += got.replace("\r", "")
        print("TIMEOUT waiting for %r; got:\n%s" % (pattern, self.buf), flush=True)
        sys.exit(1)

    def drain(self, seconds=0.5):
        """forget everything the terminal shows for a moment (redraws after editing keys)"""
        end = time.time() + seconds
        while time.time() < end and self._read(0.05) is not None:
            pass
        self.buf = ""

    def key(self, data):
        """type raw bytes (editing keys, Tab, Ctrl-C)"""
        os.write(self.fd, data)

    def typed(self, line):
        """type a line and Enter"""
        os.write(self.fd, line.encode() + b"\n")

    def leave(self, timeout=10):
        """type Ctrl-D once; check that the session ends within `timeout` s; return its wait status"""
        os.write(self.fd, b"\x04")
        return self.ended("Ctrl-D ends the session", timeout)

    def ended(self, desc, timeout=10):
        """check (as `desc`) that the session ends within `timeout` s; return its wait status"""
        end = time.time() + timeout * TIME_SCALE
        status = None
        while status is None and time.time() < end:
            done, st = os.waitpid(self.pid, os.WNOHANG)
            if done:
                status = st
            else:
                time.sleep(0.1)
        check("%s (within %g s of one Ctrl-D)" % (desc, timeout * TIME_SCALE), status is not None)
        return status
