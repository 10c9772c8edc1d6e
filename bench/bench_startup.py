"""Time from launch to the question's text reaching the terminal, beside a bare Textual app.

What the user sees, measured from outside: each program runs in a real pseudo-terminal (100x30)
and the bench reads what it writes there, strips the escape sequences and notes the moment the
opening words of a question arrive (compared without spaces and Markdown marks, so a line break
or a question shown as Markdown, its `code` unquoted, still counts). For `mockinterview practice
--count 1` (a question picked at random) that is any question of the bank; for the bare Textual
app (one `Static` showing a question of the bank) it is that question. For the app it also
notes the footer's keys (`^q Quit`): the screen is then fully built. Nothing in the app is
instrumented.

Runs are paired, the two programs back to back with the order alternating (ABBA), so a busy
moment hits both alike; the ratio is the median of the per-pair ratios. Each run gets a fresh
data dir, so the attempts database is created every time, as on a first launch. "CPU" is the
user+system time of the process when the question arrived (from /proc, 10 ms ticks).

Compiled bytecode is kept between runs (in a temporary PYTHONPYCACHEPREFIX, written by the
warm-up runs), as it is for an installed package (pip compiles at install) or a checkout after
its first run; `--no-bytecode-cache` measures every module compiled from source on every launch
instead (what PYTHONDONTWRITEBYTECODE=1 with an editable install gives).

    .venv/bin/python bench/bench_startup.py [--pairs 9] [--no-bytecode-cache]
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import fcntl
import os
import pty
import re
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

ROWS, COLUMNS = 30, 100
NEEDLE_CHARS = 24  # the opening words of a question (spaces and Markdown marks left out)
FOOTER = "^qQuit"  # the footer's keys, squeezed: the app's screen is fully built

BARE_APP = """
import sys
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static(sys.argv[1], markup=False)

Bare().run()
"""

# CSI (colours, cursor moves, modes), OSC (titles, clipboard), DCS/PM/APC strings, and the
# other escapes (never a lone `ESC [`: that is a CSI cut short); then the C0 controls.
ESCAPES = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\"
    r"|(?![\[\]PX^_])[ -/]*[0-~])"
)
CONTROLS = re.compile(r"[\x00-\x08\x0a-\x1a\x1c-\x1f\x7f]")
SQUEEZED = re.compile(r"[\s`*_]")  # spaces (line breaks, padding) and Markdown's inline marks


def squeeze(text: str) -> str:
    """`text` without spaces or Markdown marks: the same on the terminal and in the bank."""
    return SQUEEZED.sub("", text)


class TerminalText:
    """The text a program writes to its terminal, escape sequences removed, fed as it comes
    (an escape sequence or a UTF-8 character cut between two reads is held back); `squeezed`
    is the same text through `squeeze`."""

    def __init__(self) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._held = ""
        self.text = ""
        self.squeezed = ""

    def feed(self, data: bytes) -> str:
        """Add `data`; return the squeezed text it completed."""
        raw = self._held + self._decoder.decode(data)
        cut = raw.rfind("\x1b")
        if cut != -1 and not ESCAPES.match(raw, cut):
            raw, self._held = raw[:cut], raw[cut:]
        else:
            self._held = ""
        plain = CONTROLS.sub("", ESCAPES.sub("", raw))
        self.text += plain
        new = squeeze(plain)
        self.squeezed += new
        return new


def needle(question_text: str) -> str:
    """The opening words of a question, squeezed (see `squeeze`)."""
    return squeeze(question_text)[:NEEDLE_CHARS]


@dataclass
class Run:
    """Seconds from spawn to the question's opening words on the terminal and to the footer
    (None for the bare app), and the CPU seconds the process had used at the question."""

    question: float
    controls: float | None
    cpu: float


def cpu_seconds(pid: int) -> float:
    """User + system time of a running process, from /proc (0 where /proc is missing)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_to_text(
    argv: list[str], env: dict[str, str], questions: re.Pattern[str], wait_for_footer: bool,
    timeout: float,
) -> Run:  # fmt: skip
    """Spawn in a pty, read it until a question (and the footer if asked) arrives, kill it."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    screen = TerminalText()
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    question_at = controls_at = None
    cpu = 0.0
    try:
        deadline = started + timeout
        while question_at is None or (wait_for_footer and controls_at is None):
            if time.perf_counter() > deadline:
                tail = screen.text[-300:]
                raise RuntimeError(f"{argv[-1]}: no question within {timeout}s; saw {tail!r}")
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # the program exited: its side of the pty is gone
                data = b""
            now = time.perf_counter()
            if not data:
                raise RuntimeError(f"{argv[-1]}: exited ({proc.wait()}): {screen.text[-300:]!r}")
            new = screen.feed(data)
            recent = screen.squeezed[-(len(new) + NEEDLE_CHARS) :]  # with a match cut by a read
            if question_at is None and questions.search(recent):
                question_at, cpu = now, cpu_seconds(proc.pid)
            if wait_for_footer and controls_at is None and FOOTER in recent:
                controls_at = now
        return Run(
            question_at - started,
            None if controls_at is None else controls_at - started,
            cpu,
        )
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(master)


def one_run(
    argv: list[str], env: dict[str, str], questions: re.Pattern[str], app: bool, timeout: float
) -> Run:
    with tempfile.TemporaryDirectory() as tmp:
        run_env = {**env, "MOCKINTERVIEW_HOME": str(Path(tmp) / "home"), "TERM": "xterm-256color"}
        return time_to_text(argv, run_env, questions, app, timeout)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:4.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pairs", type=int, default=9, help="paired runs (default 9)")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per run")
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="compile every module from source on every launch (PYTHONDONTWRITEBYTECODE=1)",
    )
    parser.add_argument(
        "--baseline-bank",
        metavar="DIR",
        help="pair the app against itself on this bank instead of the bare app (does a larger "
        "bank slow the first question? e.g. a checkout of an older bank/)",
    )
    args = parser.parse_args()

    from mockinterview import locations
    from mockinterview.bank import load_bank

    bank = load_bank(locations.bank_dir())
    texts = sorted({needle(q.question) for q in bank.questions.values() if q.question.strip()})
    if not texts:
        print(f"{bank.root}: no questions to look for", file=sys.stderr)
        return 1
    any_question = re.compile("|".join(map(re.escape, texts)))
    shown_by_bare = next(q.question for q in bank.questions.values() if q.question.strip())
    bare_question = re.compile(re.escape(needle(shown_by_bare)))

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
        bare_argv = [sys.executable, str(bare), shown_by_bare]
        app_argv = [str(exe), "practice", "--count", "1"]
        base_name = "bare Textual app (one Static)"
        if args.baseline_bank:
            old = load_bank(Path(args.baseline_bank))
            old_texts = sorted({needle(q.question) for q in old.questions.values()})
            bare_question = re.compile("|".join(map(re.escape, old_texts)))
            bare_argv = [str(exe), "--bank", args.baseline_bank, "practice", "--count", "1"]
            base_name = f"app on {len(old.questions)} questions"

        def bare_run() -> Run:
            return one_run(bare_argv, env, bare_question, False, args.timeout)

        def app_run() -> Run:
            return one_run(app_argv, env, any_question, True, args.timeout)

        for _ in range(2):  # warm the OS file cache (and write the bytecode cache)
            bare_run()
            app_run()
        pairs: list[tuple[Run, Run]] = []
        for i in range(args.pairs):
            if i % 2 == 0:
                b = bare_run()
                a = app_run()
            else:
                a = app_run()
                b = bare_run()
            pairs.append((b, a))

    bares, apps = [b for b, _ in pairs], [a for _, a in pairs]
    app_name = f"app on {len(bank.questions)} questions"
    for name, runs in ((base_name, bares), (app_name, apps)):
        seen = [r.question for r in runs]
        line = (
            f"{name:<30} question on the terminal: median {ms(statistics.median(seen))} ms "
            f"(min {ms(min(seen))}, max {ms(max(seen))}), "
            f"CPU {ms(statistics.median(r.cpu for r in runs))} ms"
        )
        controls = [r.controls for r in runs if r.controls is not None]
        if controls:
            line += f"; footer (fully built): median {ms(statistics.median(controls))} ms"
        print(line)
    wall = statistics.median(a.question / b.question for b, a in pairs)
    cpus = [a.cpu / b.cpu for b, a in pairs if b.cpu > 0]
    cpu = f"{statistics.median(cpus):.2f}x" if cpus else "n/a"
    print(
        f"{app_name} vs {base_name}, median of {len(pairs)} paired ratios: "
        f"wall {wall:.2f}x, CPU {cpu} (target: within 1.5x); bytecode "
        f"{'compiled every launch' if args.no_bytecode_cache else 'cached'}, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
