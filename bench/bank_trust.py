"""Does the offline score track understanding on the bundled questions? The figures the
grading-trust issue asks for, from answers an interviewer scored (tests/heldout/ by default).

Prints Pearson r with the interviewer, the mean score per answer style (own words, fluent
but wrong, true negations, opposite, keyword dump, ...), and every case that breaks an
ordering a candidate would expect: a wrong answer at or above a right one to the same
question, the opposite at or above a half answer, a keyword dump at or above the sentence
answer that says the same.

    python bench/bank_trust.py [ANSWERS.toml] [--show]

The held-out answers judge a change: never tune rubrics or rules on them.
"""

from __future__ import annotations

import argparse
import statistics
import tomllib
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT = REPO / "tests" / "heldout" / "bank_answers.toml"
CORRECT = ("own_words", "reference_words")


def graded(path: Path) -> list[dict[str, object]]:
    from mockinterview.bank import load_bank
    from mockinterview.grading.offline.grader import OfflineGrader

    bank = load_bank(REPO / "bank")
    grader = OfflineGrader()
    rows = []
    for answer in tomllib.loads(path.read_text(encoding="utf-8"))["answers"]:
        qid = answer["question_id"]
        question = bank.get(qid)
        if question is None:
            continue
        grade = grader.grade(question, bank.rubric_for(qid), answer["text"])
        rows.append({**answer, "grade": grade.score, "warnings": grade.warnings})
    return rows


def report(rows: list[dict[str, object]], show: bool) -> list[str]:
    lines = []
    grades = [float(r["grade"]) for r in rows]  # type: ignore[arg-type]
    humans = [float(r["score"]) for r in rows]  # type: ignore[arg-type]
    lines.append(
        f"{len(rows)} answers; Pearson r with the interviewer: "
        f"{statistics.correlation(grades, humans):.3f}"
    )
    by_style: dict[str, list[dict[str, object]]] = defaultdict(list)
    for row in rows:
        by_style[str(row["style"])].append(row)
    lines.append(f"{'style':<20}{'n':>4}{'grader':>8}{'human':>8}{'min':>6}{'max':>6}")
    for style, items in sorted(by_style.items()):
        g = [float(i["grade"]) for i in items]  # type: ignore[arg-type]
        h = [float(i["score"]) for i in items]  # type: ignore[arg-type]
        lines.append(
            f"{style:<20}{len(items):>4}{statistics.mean(g):>8.1f}"
            f"{statistics.mean(h):>8.1f}{min(g):>6.0f}{max(g):>6.0f}"
        )
    lines.append("")
    lines.extend(broken_orderings(rows))
    if show:
        for row in rows:
            lines.append(
                f"{row['question_id']} {row['style']:<18} human {row['score']:>5} "
                f"grader {row['grade']:>5}"
            )
    return lines


def broken_orderings(rows: list[dict[str, object]]) -> list[str]:
    """Each case where a worse answer scores at or above a better one to the same question."""
    by_question: dict[str, dict[str, list[dict[str, object]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for row in rows:
        by_question[str(row["question_id"])][str(row["style"])].append(row)
    broken = []
    for qid, styles in sorted(by_question.items()):
        correct = [float(r["grade"]) for s in CORRECT for r in styles.get(s, [])]  # type: ignore[arg-type]
        for wrong in styles.get("fluent_wrong", []):
            if correct and float(wrong["grade"]) >= min(correct):  # type: ignore[arg-type]
                broken.append(
                    f"{qid}: fluent_wrong {wrong['grade']} >= a correct answer ({min(correct)})"
                )
        halves = [float(r["grade"]) for r in styles.get("half", [])]  # type: ignore[arg-type]
        for opposite in styles.get("opposite", []):
            if halves and float(opposite["grade"]) >= min(halves):  # type: ignore[arg-type]
                broken.append(
                    f"{qid}: opposite {opposite['grade']} >= a half answer ({min(halves)})"
                )
        pairs: dict[str, dict[str, float]] = defaultdict(dict)
        for style, items in styles.items():
            for item in items:
                if "pair" in item:
                    pairs[str(item["pair"])][style] = float(item["grade"])  # type: ignore[arg-type]
        for name, pair in pairs.items():
            dump, prose = pair.get("keyword_dump"), pair.get("sentence_dump_pair")
            if dump is not None and prose is not None and dump >= prose:
                broken.append(f"{qid}: keyword dump {dump} >= its sentence answer {prose} ({name})")
    return broken or ["no broken ordering"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("answers", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--show", action="store_true", help="every answer's two scores")
    args = parser.parse_args()
    print("\n".join(report(graded(args.answers), args.show)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
