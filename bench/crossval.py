"""Question-level cross-validation of the offline grader on the human-graded files.

Why: a rule tuned on the dev files can raise their figure and still do nothing (or harm) on
questions it never saw. So the questions of each file are split into folds, and a change is
judged fold by fold: it stays only if it helps the held-out folds on average and costs no fold
more than 0.01 (Pearson r). With `--baseline REV` the same folds are graded by the code of
another commit (checked out in a temporary git worktree, run in a subprocess) and printed side
by side with the working tree's figures, so a change is always measured against its baseline
in one run.

Each fold's line shows r on that fold's questions (held out) beside r on the other folds'
questions (dev): a rule tuned to the dev questions shows up as a dev gain with no held-out gain.

    python bench/crossval.py [--folds 5] [--baseline HEAD] [--json]

Reads ../shared/asag/*.csv when present (public data, never copied into the repository);
prints a note and exits 0 without them.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ASAG = REPO.parent / "shared" / "asag"
FILES = ("mohler-dev.csv", "saf-dev.csv")


def fold_of(question_id: str, folds: int) -> int:
    """A question's fold: stable across runs and machines (a hash, not the row order)."""
    return int(hashlib.sha256(question_id.encode()).hexdigest(), 16) % folds


def grade_file(path: Path) -> list[tuple[str, float, float]]:
    """(question id, human 0..1, grade 0..1) for every row, rubrics derived on the spot."""
    try:
        from mockinterview.grading.offline.grader import OfflineGrader
    except ImportError:  # a baseline from before grading/offline/ was a package
        from mockinterview.grading.offline import OfflineGrader  # type: ignore[attr-defined,no-redef]
    from mockinterview.models import Question
    from mockinterview.rubrics.derive import derive_rubric

    grader = OfflineGrader()
    known: dict[str, tuple[object, object]] = {}
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for fields in csv.DictReader(handle):
            qid = fields["question_id"]
            if qid not in known:
                question = Question(
                    id=qid, title="", question=fields["question"], answer=fields["reference_answer"]
                )
                known[qid] = (question, derive_rubric(question))
            question, rubric = known[qid]
            grade = grader.grade(question, rubric, fields["answer"]).score / 100  # type: ignore[arg-type]
            human = float(fields["score"]) / float(fields["max_score"])
            rows.append((qid, human, grade))
    return rows


def pearson(pairs: list[tuple[float, float]]) -> float | None:
    if len(pairs) < 3:
        return None
    try:
        return statistics.correlation([p[0] for p in pairs], [p[1] for p in pairs])
    except statistics.StatisticsError:
        return None


def fold_figures(rows: list[tuple[str, float, float]], folds: int) -> dict[str, object]:
    by_fold: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for qid, human, grade in rows:
        by_fold[fold_of(qid, folds)].append((grade, human))
    figures = []
    for k in range(folds):
        held = by_fold.get(k, [])
        dev = [pair for j, pairs in by_fold.items() if j != k for pair in pairs]
        figures.append({"fold": k, "n": len(held), "held_out": pearson(held), "dev": pearson(dev)})
    every = [(grade, human) for _, human, grade in rows]
    zero_but_credited = sum(1 for _, human, grade in rows if grade == 0 and human >= 0.5)
    return {
        "all": pearson(every),
        "folds": figures,
        "zero_graded_but_human_half_or_more": zero_but_credited,
        "n": len(rows),
    }


def measure(folds: int) -> dict[str, object]:
    return {name: fold_figures(grade_file(ASAG / name), folds) for name in FILES}


def measure_at(revision: str, folds: int) -> dict[str, object]:
    """The same figures from the code of another commit, in a throwaway git worktree."""
    with tempfile.TemporaryDirectory(prefix="crossval-") as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(tree), revision],
            check=True,
        )
        try:
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--src",
                    str(tree / "src"),
                    "--folds",
                    str(folds),
                    "--json",
                ],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        finally:
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)], check=True
            )
    result: dict[str, object] = json.loads(out)
    return result


def _fmt(value: object) -> str:
    return "  n/a" if value is None else f"{value:.3f}"


def print_table(now: dict[str, object], base: dict[str, object] | None, label: str) -> None:
    for name in FILES:
        cur = now[name]
        assert isinstance(cur, dict)
        old = base[name] if base else None
        print(
            f"\n{name}: {cur['n']} answers, r {_fmt(cur['all'])}"
            + (f" (baseline {_fmt(old['all'])})" if isinstance(old, dict) else "")
            + f"; graded 0 although humans gave >= 0.5: "
            f"{cur['zero_graded_but_human_half_or_more']}"
            + (
                f" (baseline {old['zero_graded_but_human_half_or_more']})"
                if isinstance(old, dict)
                else ""
            )
        )
        head = f"{'fold':>4} {'n':>5} {'held-out':>9} {'dev':>7}"
        if isinstance(old, dict):
            head += f" | {label + ' held-out':>18} {'dev':>7} {'delta held-out':>15}"
        print(head)
        deltas = []
        for i, fig in enumerate(cur["folds"]):
            line = (
                f"{fig['fold']:>4} {fig['n']:>5} {_fmt(fig['held_out']):>9} {_fmt(fig['dev']):>7}"
            )
            if isinstance(old, dict):
                ofig = old["folds"][i]
                delta = None
                if fig["held_out"] is not None and ofig["held_out"] is not None:
                    delta = fig["held_out"] - ofig["held_out"]
                    deltas.append(delta)
                line += (
                    f" | {_fmt(ofig['held_out']):>18} {_fmt(ofig['dev']):>7} "
                    f"{'' if delta is None else f'{delta:+.3f}':>15}"
                )
            print(line)
        if deltas:
            if max(abs(d) for d in deltas) < 5e-5:
                verdict = "no change"
            elif statistics.mean(deltas) > 0 and min(deltas) >= -0.01:
                verdict = "keep"
            else:
                verdict = "drop"
            print(
                f"mean held-out delta {statistics.mean(deltas):+.4f}, worst fold "
                f"{min(deltas):+.4f}: {verdict}"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--baseline", metavar="REV", help="also grade with this commit's code")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--src", help=argparse.SUPPRESS)  # used for the baseline's subprocess
    args = parser.parse_args()
    if args.src:
        sys.path.insert(0, args.src)
    if not all((ASAG / name).exists() for name in FILES):
        print(f"crossval: {ASAG} is absent; nothing to measure")
        return 0
    now = measure(args.folds)
    if args.json:
        print(json.dumps(now))
        return 0
    base = measure_at(args.baseline, args.folds) if args.baseline else None
    print_table(now, base, args.baseline or "")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
