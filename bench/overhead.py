#!/usr/bin/env python3
"""bench/overhead.py: what the mission one-liner costs each traced system call, etrace against bpftrace.

Builds tests/progs/getppid_loop.c, times CALLS getppid() calls with nothing attached, then while each tool
runs `tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }` (which etrace attaches as a raw
tracepoint), and prints the nanoseconds added per call (best of RUNS timings each, to keep noise from
other processes out). Needs root and cc.

usage: bench/overhead.py [--etrace PATH] [--calls N] [--runs N] [--no-bpftrace]
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MISSION = "tracepoint:raw_syscalls:sys_enter { @[comm] = count(); }"


def best_time(loop, calls, runs):
    best = None
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([loop, str(calls)], check=True)
        t = time.perf_counter() - start
        best = t if best is None else min(best, t)
    return best


def traced(argv, loop, calls, runs):
    """Start a tool, wait until it attached, time the loop, stop the tool; the best time."""
    proc = subprocess.Popen(argv + ["-B", "line", "-e", MISSION], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for line in proc.stdout:
            if line.startswith(b"Attach"):
                break
        else:
            raise RuntimeError(f"{argv[0]} exited before attaching")
        time.sleep(1.0)  # bpftrace prints its message before it attaches
        return best_time(loop, calls, runs)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--etrace", default=os.path.join(ROOT, "build", "etrace"))
    ap.add_argument("--calls", type=int, default=2_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-bpftrace", action="store_true", help="measure etrace only")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("overhead.py: needs root (it loads BPF programs)")
    if not os.access(args.etrace, os.X_OK):
        sys.exit(f"overhead.py: no etrace binary at {args.etrace} (run scripts/build)")

    with tempfile.TemporaryDirectory(prefix="etrace-bench.") as tmp:
        loop = os.path.join(tmp, "etr_bench")
        subprocess.run(["cc", "-O2", "-pthread", "-o", loop,
                        os.path.join(ROOT, "tests", "progs", "getppid_loop.c")], check=True)
        base = best_time(loop, args.calls, args.runs)
        print(f"{'untraced':10} {base / args.calls * 1e9:8.1f} ns/call")
        tools = [("etrace", [args.etrace])]
        if not args.no_bpftrace and shutil.which("bpftrace"):
            tools.append(("bpftrace", ["bpftrace"]))
        for name, argv in tools:
            t = traced(argv, loop, args.calls, args.runs)
            print(f"{name:10} {t / args.calls * 1e9:8.1f} ns/call  (+{(t - base) / args.calls * 1e9:.1f})")


if __name__ == "__main__":
    main()
