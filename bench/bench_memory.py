"""Peak memory and time of `export` and `history --format json` on a big history.

Run: `python bench/bench_memory.py [--attempts 100000] [--pythonpath DIR]`. Fills a temporary
data dir with a synthetic, deterministic history (`mockinterview.review.sample`, 200 questions,
written as a bank of Markdown files so titles are looked up as for a real bank), then runs each
command as its own process (`python -m mockinterview ...`), its output going to a file, and
prints its peak resident memory (the child's own `ru_maxrss`, from `os.wait4`) and wall time.
The history is filled by a child process too: Linux keeps a parent's high-water mark in a
forked child's `ru_maxrss`, so the bench itself stays small (the `--version` line shows that
floor).
`--pythonpath` runs another copy of the code (say `git archive <rev> src | tar -x -C DIR`, then
`--pythonpath DIR/src`) on the same history, for a before/after.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = {
    "export --format json": ["export", "--format", "json"],
    "export --format csv": ["export", "--format", "csv"],
    "export --format md": ["export", "--format", "md"],
    "history --format json": ["history", "--format", "json"],
}


def fill(home: Path, bank_root: Path, attempts: int, questions: int) -> None:
    """The synthetic history and its bank as question files (`bank/<topic>/<ID>.md`)."""
    from mockinterview import locations
    from mockinterview.review import sample
    from mockinterview.store import Store

    bank = sample.SampleBank(questions)
    store = Store.open(locations.database_path(home))
    sample.fill_store(store, bank, attempts)
    store.close()
    for question in bank.questions.values():
        folder = bank_root / question.topic
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{question.id}.md").write_text(
            f'+++\nid = "{question.id}"\ntitle = "{question.title}"\n'
            f'topic = "{question.topic}"\ndifficulty = "medium"\n+++\n\n'
            f"## Question\n\n{question.question}\n\n## Answer\n\n{question.answer}\n",
            encoding="utf-8",
        )


def run(argv: list[str], env: dict[str, str], out: Path) -> tuple[float, float, int]:
    """(peak RSS in MiB, wall seconds, bytes written) of one command in its own process."""
    start = time.perf_counter()
    with out.open("wb") as sink:
        child = subprocess.Popen([sys.executable, "-m", "mockinterview", *argv], stdout=sink,
                                 stderr=subprocess.PIPE, env=env)  # fmt: skip
        _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    err = child.stderr.read().decode() if child.stderr else ""
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({child.returncode}): {err}")
    return usage.ru_maxrss / 1024, wall, out.stat().st_size  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=100_000)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--runs", type=int, default=1, help="runs per command (median shown)")
    parser.add_argument("--pythonpath", help="run this copy of the code instead")
    parser.add_argument("--fill", metavar="DIR", help=argparse.SUPPRESS)  # the child's job
    args = parser.parse_args()
    if args.fill:
        fill(Path(args.fill) / "home", Path(args.fill) / "bank", args.attempts, args.questions)
        return
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        start = time.perf_counter()
        filler = [sys.executable, __file__, "--fill", folder, "--attempts", str(args.attempts)]
        subprocess.run([*filler, "--questions", str(args.questions)], check=True)
        size = (home / "attempts.sqlite3").stat().st_size / 2**20
        print(f"{args.attempts:,} attempts on {args.questions} questions ({size:.0f} MiB "
              f"database), filled in {time.perf_counter() - start:.1f} s; load average "
              f"{os.getloadavg()[0]:.1f}")  # fmt: skip
        env = {**os.environ, "MOCKINTERVIEW_HOME": str(home),
               "MOCKINTERVIEW_BANK": str(Path(folder) / "bank")}  # fmt: skip
        if args.pythonpath:
            env["PYTHONPATH"] = args.pythonpath
        baseline = run(["--version"], env, Path(folder) / "version.txt")
        print(f"  {'python -m mockinterview --version':<26} {baseline[0]:7.0f} MiB "
              f"{baseline[1] * 1000:7.0f} ms  (the interpreter and the CLI alone)")  # fmt: skip
        for name, argv in COMMANDS.items():
            figures = sorted(run(argv, env, Path(folder) / "out") for _ in range(max(1, args.runs)))
            peak = max(f[0] for f in figures)
            wall = sorted(f[1] for f in figures)[len(figures) // 2]
            written = figures[0][2] / 2**20
            print(f"  {name:<26} {peak:7.0f} MiB {wall * 1000:7.0f} ms  ({written:.0f} MiB "
                  f"written)")  # fmt: skip


if __name__ == "__main__":
    main()
