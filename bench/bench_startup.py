"""Time from process launch to the first question on screen, beside a bare Textual app.

Both programs run in a real pseudo-terminal (100x30) and write the wall-clock time to a marker
file once their first screen has been painted (`call_after_refresh` after mount); the figure is
that time minus the moment just before the process was spawned. Each run gets a fresh data dir,
so the attempts database is created every time, as on a first launch.

    /work/venv/bin/python bench/bench_startup.py [--runs 9]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

BARE_APP = """
import os, time
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("What is the bias-variance trade-off?")

    def on_mount(self):
        self.call_after_refresh(self.mark)

    def mark(self):
        with open(os.environ["MOCKINTERVIEW_READY_MARKER"], "w") as f:
            f.write(f"{time.time():.6f}")

Bare().run()
"""


def time_to_marker(argv: list[str], env: dict[str, str], marker: Path, timeout: float) -> float:
    """Seconds from spawn to the marker's timestamp; the process is killed afterwards."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    started = time.time()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    try:
        deadline = started + timeout
        while not marker.exists() or not marker.read_text().strip():
            if time.time() > deadline or proc.poll() is not None:
                raise RuntimeError(f"{argv[0]}: no first screen within {timeout}s")
            ready, _, _ = select.select([master], [], [], 0.01)
            if ready:
                try:
                    os.read(master, 65536)  # keep the terminal drained so the app never blocks
                except OSError:
                    pass
        return float(marker.read_text()) - started
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(master)


def measure(argv: list[str], runs: int, timeout: float) -> list[float]:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            marker = Path(tmp) / "ready"
            env = {
                **os.environ,
                "MOCKINTERVIEW_HOME": str(Path(tmp) / "home"),
                "MOCKINTERVIEW_READY_MARKER": str(marker),
                "TERM": "xterm-256color",
            }
            times.append(time_to_marker(argv, env, marker, timeout))
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--timeout", type=float, default=20.0)
    args = parser.parse_args()
    exe = Path(sys.executable).with_name("mockinterview")
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare_app.py"
        bare.write_text(BARE_APP, encoding="utf-8")
        measure([sys.executable, str(bare)], 1, args.timeout)  # warm the OS file cache
        measure([str(exe), "practice", "--count", "1"], 1, args.timeout)
        programs = {
            "bare Textual app (one Static)": [sys.executable, str(bare)],
            "mockinterview practice --count 1": [str(exe), "practice", "--count", "1"],
        }
        results: dict[str, list[float]] = {name: [] for name in programs}
        for _ in range(args.runs):  # interleaved, so a busy moment hits both alike
            for name, argv in programs.items():
                results[name] += measure(argv, 1, args.timeout)
    for name, times in results.items():
        print(
            f"{name:<34} median {statistics.median(times) * 1000:6.0f} ms   "
            f"min {min(times) * 1000:6.0f} ms   max {max(times) * 1000:6.0f} ms   "
            f"({len(times)} runs)"
        )
    bare_median, app_median = (statistics.median(t) for t in results.values())
    print(f"ratio {app_median / bare_median:.2f}x the bare app (target: within 1.5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
