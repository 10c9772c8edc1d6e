"""Batch grading on every core: `grade --batch` of a generated CSV with --jobs 1 and --jobs 2.

Rows are answers made from the bank's own reference answers (a random subset of their
sentences, some words dropped), so every rubric point can be hit, missed or half-met. For each
run: wall time, CPU time of the command and its worker processes (user + sys, from
`resource.getrusage(RUSAGE_CHILDREN)`), and cores used (CPU / wall). The outputs must be
byte-identical.

    .venv/bin/python bench/bench_batch.py [ROWS]   (default 20000)
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mockinterview.bank import load_bank

REPO = Path(__file__).resolve().parents[1]
CLI = Path(sys.executable).with_name("mockinterview")


def answer_from(reference: str, rng: random.Random) -> str:
    """Some of the reference's sentences, in order, with a few words left out."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+|\n+", reference) if s.strip()]
    keep = [s for s in sentences if rng.random() < 0.6] or sentences[:1]
    words = " ".join(keep).split()
    return " ".join(w for w in words if rng.random() > 0.1)


def write_rows(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    bank = load_bank(REPO / "bank")
    questions = [bank.questions[qid] for qid in sorted(bank.questions)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["question_id", "answer", "row"])
        for number in range(rows):
            question = rng.choice(questions)
            writer.writerow([question.id, answer_from(question.answer, rng), number])


def run(source: Path, out: Path, jobs: int) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + sys of the command and its workers)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    argv = [str(CLI), "--bank", str(REPO / "bank"), "grade", "--batch", str(source)]
    done = subprocess.run(
        [*argv, "--out", str(out), "--jobs", str(jobs)], capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"--jobs {jobs} failed ({done.returncode}):\n{done.stderr}")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="?", type=int, default=20000, help="rows (default 20000)")
    rows = parser.parse_args().rows
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "answers.csv"
        write_rows(source, rows)
        size = source.stat().st_size / 1e6
        print(f"{rows} rows, {size:.1f} MB, from {CLI.name} grade --batch")
        outputs = {}
        for jobs in (1, 2):
            out = Path(tmp) / f"graded-{jobs}.csv"
            wall, cpu = run(source, out, jobs)
            outputs[jobs] = out.read_bytes()
            print(
                f"  --jobs {jobs}: wall {wall:6.2f} s   cpu {cpu:6.2f} s   "
                f"cores used {cpu / wall:4.2f}   {rows / wall:7.0f} rows/s"
            )
        same = outputs[1] == outputs[2]
        print(f"  outputs byte-identical: {'yes' if same else 'NO'}")
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
