"""Time from process launch to the first question on screen, beside a bare Textual app.

Both programs run in a real pseudo-terminal (100x30) and write the wall-clock time to a marker
file once their first screen has been painted (`call_after_refresh` after mount); the figure is
that time minus the moment just before the process was spawned. Each run gets a fresh data dir,
so the attempts database is created every time, as on a first launch.

Compiled bytecode is kept between runs (in a temporary PYTHONPYCACHEPREFIX, written by the
warm-up runs), as it is for an installed package (pip compiles at install) or a checkout after
its first run; `--no-bytecode-cache` measures every module compiled from source on every launch
instead (what PYTHONDONTWRITEBYTECODE=1 with an editable install gives).

    /work/venv/bin/python bench/bench_startup.py [--runs 9] [--no-bytecode-cache]
"""

from __future__ import annotations

import argparse
import contextlib
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
from dataclasses import dataclass
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
            line = f"{time.time():.6f} {time.process_time():.6f}"
            f.write(f"question {line}\\ncontrols {line}\\n")

Bare().run()
"""


@dataclass
class Run:
    """Seconds from spawn to the question on screen, to the buttons and footer on screen, and
    the CPU seconds the process had used by the first (less swayed by a busy machine)."""

    question: float
    controls: float
    cpu: float


def read_marker(marker: Path) -> dict[str, tuple[float, float]]:
    """`what wall cpu` lines -> {what: (wall, cpu)}; a half-written line is ignored."""
    found = {}
    with contextlib.suppress(OSError):
        for line in marker.read_text().splitlines():
            parts = line.split()
            if len(parts) == 3:
                found[parts[0]] = (float(parts[1]), float(parts[2]))
    return found


def time_to_marker(argv: list[str], env: dict[str, str], marker: Path, timeout: float) -> Run:
    """Spawn in a pty, wait for both marker lines, kill the process."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    started = time.time()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    try:
        deadline = started + timeout
        while "controls" not in (seen := read_marker(marker)):
            if time.time() > deadline or proc.poll() is not None:
                raise RuntimeError(f"{argv[0]}: no first screen within {timeout}s")
            ready, _, _ = select.select([master], [], [], 0.01)
            if ready:
                with contextlib.suppress(OSError):
                    os.read(master, 65536)  # keep the terminal drained so the app never blocks
        return Run(
            seen["question"][0] - started, seen["controls"][0] - started, seen["question"][1]
        )
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(master)


def measure(
    argv: list[str], runs: int, timeout: float, base_env: dict[str, str] | None = None
) -> list[Run]:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            marker = Path(tmp) / "ready"
            env = {
                **(base_env if base_env is not None else os.environ),
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
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="compile every module from source on every launch (PYTHONDONTWRITEBYTECODE=1)",
    )
    args = parser.parse_args()
    exe = Path(sys.executable).with_name("mockinterview")
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        if args.no_bytecode_cache:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        else:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        bare = Path(tmp) / "bare_app.py"
        bare.write_text(BARE_APP, encoding="utf-8")
        for _ in range(2):  # warm the OS file cache (and write the bytecode cache)
            measure([sys.executable, str(bare)], 1, args.timeout, env)
            measure([str(exe), "practice", "--count", "1"], 1, args.timeout, env)
        programs = {
            "bare Textual app (one Static)": [sys.executable, str(bare)],
            "mockinterview practice --count 1": [str(exe), "practice", "--count", "1"],
        }
        results: dict[str, list[Run]] = {name: [] for name in programs}
        for _ in range(args.runs):  # interleaved, so a busy moment hits both alike
            for name, argv in programs.items():
                results[name] += measure(argv, 1, args.timeout, env)
    medians = {}
    for name, runs in results.items():
        question = [r.question for r in runs]
        medians[name] = (statistics.median(question), statistics.median(r.cpu for r in runs))
        print(
            f"{name:<34} question on screen: median {medians[name][0] * 1000:4.0f} ms "
            f"(min {min(question) * 1000:4.0f}, max {max(question) * 1000:4.0f}), "
            f"CPU {medians[name][1] * 1000:4.0f} ms; "
            f"buttons+footer: median {statistics.median(r.controls for r in runs) * 1000:4.0f} ms"
        )
    (bare_wall, bare_cpu), (app_wall, app_cpu) = medians.values()
    print(
        f"question on screen vs the bare app: wall {app_wall / bare_wall:.2f}x, "
        f"CPU {app_cpu / bare_cpu:.2f}x (target: within 1.5x); {len(runs)} interleaved runs, "
        f"bytecode {'compiled every launch' if args.no_bytecode_cache else 'cached'}, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
