#!/usr/bin/env python3
"""Runs a test command, passing its output through, and ends it if it goes silent.

A test that awaits something that never comes leaves the test process idle: nothing fails, and CI
only stops at its own time limit, with no word of which test hung. When the command prints nothing
for --silence seconds, this names the tests that started and never finished, prints the threads of
the test process (gdb, when installed), kills the command and exits 1.

    scripts/test-watchdog.py [--silence SECONDS] -- swift test --skip-build
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

STARTED = re.compile(r"^◇ Test (.*) started\.")
ENDED = re.compile(r"^[✔✘] Test (.*?)(?: with \d+ test cases?)? (?:passed|failed|skipped)")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--silence", type=float, default=600)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command to run")

    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    running: dict[str, None] = {}
    last_output = [time.monotonic()]

    def read() -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            last_output[0] = time.monotonic()
            sys.stdout.buffer.write(raw)
            sys.stdout.buffer.flush()
            line = raw.decode("utf-8", "replace")
            if match := STARTED.match(line):
                running[match.group(1)] = None
            elif match := ENDED.match(line):
                running.pop(match.group(1), None)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    while process.poll() is None:
        time.sleep(5)
        if time.monotonic() - last_output[0] < args.silence:
            continue
        print(f"\ntest-watchdog: nothing printed for {args.silence:.0f} s; these tests started and never finished:",
              flush=True)
        for name in running:
            print(f"  {name}", flush=True)
        dump_threads(process.pid)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return 1
    reader.join(timeout=10)
    return process.returncode


def dump_threads(parent: int) -> None:
    """The threads of every test process under `parent`, so a hang shows what it waits on."""
    if shutil.which("gdb") is None:
        print("test-watchdog: gdb is not installed; no thread dump", flush=True)
        return
    children = subprocess.run(["pgrep", "-g", str(parent)], capture_output=True, text=True).stdout.split()
    for pid in children:
        name = open(f"/proc/{pid}/comm").read().strip() if os.path.exists(f"/proc/{pid}/comm") else "?"
        if "xctest" not in name and "Package" not in name:
            continue
        print(f"test-watchdog: threads of {pid} ({name}):", flush=True)
        dump = subprocess.run(["gdb", "-p", pid, "-batch", "-ex", "thread apply all bt 25"],
                              capture_output=True, text=True, timeout=120).stdout
        print("\n".join(line for line in dump.splitlines() if line.startswith(("Thread", "#"))), flush=True)


if __name__ == "__main__":
    sys.exit(main())
