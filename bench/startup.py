#!/usr/bin/env python3
"""bench/startup.py: how fast etrace starts and how much memory it needs, against bpftrace when installed.

Two programs, each run RUNS times per tool (root: they load BPF programs):
  begin-exit   `BEGIN { exit(); }`: the whole life of a trivial program (compile, load, run, unload).
  mission      the mission one-liner on raw_syscalls:sys_enter: the time until the tool reports that it
               attached (a line starting "Attach"; etrace prints it after attaching, bpftrace just before,
               so bpftrace's figure is a lower bound), then SIGINT half a second later; the peak memory
               of the whole run.
Prints, per tool and program, the median and minimum wall time in milliseconds and the median peak RSS in
MiB (ru_maxrss of the child, from wait4).

usage: bench/startup.py [--etrace PATH] [--runs N] [--no-bpftrace]
"""
import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROGRAMS = {
    "begin-exit": "BEGIN { exit(); }",
    "mission": "tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }",
}


def run_once(argv, wait_for_attach):
    """Run argv; return (wall seconds, peak RSS KiB). With wait_for_attach, the wall time ends when stderr
    shows the attach message, and the tool is then stopped with SIGINT."""
    start = time.perf_counter()
    # etrace says "Attached N probes" on stderr, bpftrace "Attaching N probes..." on stdout: read both
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    wall = None
    if wait_for_attach:
        for line in proc.stdout:
            if line.startswith(b"Attach"):
                wall = time.perf_counter() - start
                break
        # bpftrace prints its message before it attaches and loses a SIGINT that comes too early
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
    proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if wall is None:
        wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[0]} exited with {proc.returncode}")
    return wall, usage.ru_maxrss


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--etrace", default=os.path.join(ROOT, "build", "etrace"))
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--no-bpftrace", action="store_true", help="measure etrace only")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("startup.py: needs root (it loads BPF programs)")
    if not os.access(args.etrace, os.X_OK):
        sys.exit(f"startup.py: no etrace binary at {args.etrace} (run scripts/build)")

    # -B line: bpftrace buffers its stdout (where its attach message goes) when it is a pipe
    tools = [("etrace", [args.etrace, "-B", "line", "-e"])]
    if not args.no_bpftrace and shutil.which("bpftrace"):
        tools.append(("bpftrace", ["bpftrace", "-B", "line", "-e"]))

    print(f"{'tool':10} {'program':12} {'median ms':>10} {'min ms':>8} {'RSS MiB':>8}   ({args.runs} runs)")
    for name, argv in tools:
        for prog, text in PROGRAMS.items():
            walls, rss = [], []
            for _ in range(args.runs):
                w, r = run_once(argv + [text], wait_for_attach=(prog == "mission"))
                walls.append(w * 1000)
                rss.append(r / 1024)
            print(f"{name:10} {prog:12} {statistics.median(walls):10.1f} {min(walls):8.1f} "
                  f"{statistics.median(rss):8.1f}")


if __name__ == "__main__":
    main()
