"""How far word matching can go on the human-graded files: the figures behind the SAF miss in
bench/README.md, so they can be re-measured rather than taken on trust.

For each file of `../shared/asag/` (skipped when absent) it prints:
- the offline grader's Pearson r, as `mockinterview eval` reports it;
- r if each question's grades were shifted to the human mean of that question (a calibration
  no grader can know) and to one common mean (the best a grader blind to difficulty can do);
- the pooled within-question r of the grade and of plain lexical similarities to the reference:
  how well each orders the answers to one question;
- r when the best-graded answers to a question serve as extra references (pseudo-relevance
  feedback from the cohort), which would need the whole class's answers at grading time.

    /work/venv/bin/python bench/agreement_ceiling.py
"""

from __future__ import annotations

import csv
import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from mockinterview.grading.offline.grader import OfflineGrader
from mockinterview.models import Question
from mockinterview.rubrics.derive import derive_rubric
from mockinterview.text.analysis import content_roots

ASAG = Path(__file__).resolve().parents[1].parent / "shared" / "asag"


@dataclass(slots=True)
class Row:
    question_id: str
    question: str
    reference: str
    answer: str
    human: float
    grade: float


def graded_rows(path: Path) -> list[Row]:
    grader = OfflineGrader()
    known: dict[str, tuple] = {}
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
            grade = grader.grade(question, rubric, fields["answer"]).score / 100
            human = float(fields["score"]) / float(fields["max_score"])
            rows.append(
                Row(qid, question.question, question.answer, fields["answer"], human, grade)
            )
    return rows


def by_question(rows: list[Row]) -> dict[str, list[Row]]:
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        groups[row.question_id].append(row)
    return groups


def calibrated(rows: list[Row]) -> tuple[float, float]:
    """r with each question's mean grade moved to its human mean, and to one common mean."""
    groups = by_question(rows)
    shifted, centred, human = [], [], []
    for group in groups.values():
        grade_mean = statistics.fmean(r.grade for r in group)
        human_mean = statistics.fmean(r.human for r in group)
        for row in group:
            shifted.append(row.grade - grade_mean + human_mean)
            centred.append(row.grade - grade_mean)
            human.append(row.human)
    return statistics.correlation(shifted, human), statistics.correlation(centred, human)


def within(rows: list[Row], feature: Callable[[Row], float]) -> float:
    """Pooled within-question r: feature z-scored and human grade centred per question."""
    xs, ys = [], []
    for group in by_question(rows).values():
        values = [feature(r) for r in group]
        mean, spread = statistics.fmean(values), statistics.pstdev(values) or 1.0
        human_mean = statistics.fmean(r.human for r in group)
        xs += [(v - mean) / spread for v in values]
        ys += [r.human - human_mean for r in group]
    return statistics.correlation(xs, ys)


def _roots(text: str) -> set[str]:
    return set(content_roots(text, frozenset()))


def root_recall(row: Row) -> float:
    reference = _roots(row.reference)
    return len(reference & _roots(row.answer)) / max(1, len(reference))


def token_sort(row: Row) -> float:
    return fuzz.token_sort_ratio(row.reference.lower(), row.answer.lower())


def char_grams(row: Row, size: int = 4) -> float:
    """Share of the reference's character 4-grams (over its content-word roots) in the answer."""

    def grams(text: str) -> Counter[str]:
        joined = " ".join(sorted(_roots(text)))
        return Counter(joined[i : i + size] for i in range(len(joined) - size + 1))

    reference = grams(row.reference)
    return sum((grams(row.answer) & reference).values()) / max(1, sum(reference.values()))


def idf_recall(rows: list[Row]) -> Callable[[Row], float]:
    """Root recall of the reference weighted by rarity among all answers of the file."""
    frequency: Counter[str] = Counter()
    for row in rows:
        frequency.update(_roots(row.answer))

    def recall(row: Row) -> float:
        weights = {r: math.log(len(rows) / (1 + frequency[r])) for r in _roots(row.reference)}
        said = _roots(row.answer)
        return sum(w for r, w in weights.items() if r in said) / max(1e-9, sum(weights.values()))

    return recall


def log_length(row: Row) -> float:
    return math.log1p(len(row.answer.split()))


def cohort(rows: list[Row], top: int = 10, share: float = 0.5) -> float:
    """r when each answer's grade is blended with its root recall of the `top` best-graded
    other answers to the same question."""
    blended, human = [], []
    for group in by_question(rows).values():
        best = sorted(group, key=lambda r: -r.grade)[: top + 1]
        roots = {id(r): _roots(r.answer) for r in group}
        for row in group:
            peers = [p for p in best if p is not row][:top]
            overlap = [
                len(roots[id(row)] & roots[id(p)]) / max(1, len(roots[id(p)])) for p in peers
            ]
            peer = statistics.fmean(overlap) if overlap else 0.0
            blended.append((1 - share) * row.grade + share * peer)
            human.append(row.human)
    return statistics.correlation(blended, human)


def report(path: Path) -> None:
    rows = graded_rows(path)
    grades, human = [r.grade for r in rows], [r.human for r in rows]
    shifted, centred = calibrated(rows)
    print(f"{path.name}: {len(rows)} answers, {len(by_question(rows))} questions")
    print(f"  offline grader r                         {statistics.correlation(grades, human):.3f}")
    print(f"  each question shifted to its human mean  {shifted:.3f}")
    print(f"  each question shifted to one mean        {centred:.3f}")
    print("  within-question r:")
    for name, feature in (
        ("offline grade", lambda r: r.grade),
        ("root recall of the reference", root_recall),
        ("token_sort_ratio with the reference", token_sort),
        ("character 4-grams of the reference", char_grams),
        ("idf-weighted root recall", idf_recall(rows)),
        ("log answer length", log_length),
        ("grade + token_sort_ratio / 100", lambda r: r.grade + token_sort(r) / 100),
    ):
        print(f"    {name:38} {within(rows, feature):.3f}")
    print(f"  cohort answers as extra references r     {cohort(rows):.3f}")


def main() -> None:
    files = [ASAG / "mohler-dev.csv", ASAG / "saf-dev.csv"]
    present = [f for f in files if f.exists()]
    if not present:
        print(f"{ASAG}: not found; nothing to measure")
    for path in present:
        report(path)


if __name__ == "__main__":
    main()
