"""Grading speed: latency of one ~300-word answer against a 7-point rubric, next to one bare
`rapidfuzz.fuzz.token_set_ratio` call on the same texts, and batch throughput on the shared
human-graded files (`../shared/asag/`, skipped when absent).

    /work/venv/bin/python bench/bench_grading.py
"""

from __future__ import annotations

import csv
import statistics
import sys
import time
from pathlib import Path

from rapidfuzz import fuzz

from mockinterview.bank import load_bank
from mockinterview.grading.offline.grader import OfflineGrader
from mockinterview.models import Question
from mockinterview.rubrics.derive import derive_rubric

REPO = Path(__file__).resolve().parents[1]
ASAG = REPO.parent / "shared" / "asag"
QUESTION_ID = "ML0031"  # linear regression: 7 rubric points
ANSWER = """
Linear regression fits a straight line, or a hyperplane, through the data by least squares, so
the prediction is a weighted sum of the features plus an intercept. Its first advantage is that
it is simple and interpretable: each coefficient tells you the direction and the strength of the
effect of one feature on the target when the others are held fixed, which makes it easy to
explain to stakeholders and to debug. It is also computationally cheap. There is a closed-form
solution, and gradient descent converges quickly, so it trains fast even on very large datasets
and predictions cost almost nothing. When the relationship between the independent variables and
the dependent variable really is close to linear it performs well and is hard to beat.
The drawbacks follow from the same simplicity. It assumes linearity, so if the true relationship
is curved or has interactions the model performs poorly unless you engineer features by hand. It
is sensitive to outliers, because squared errors let a few extreme values pull the fitted line
towards them and distort every coefficient. Multicollinearity is another problem: when two
predictors are highly correlated the individual coefficient estimates become unstable and
unreliable, even if the overall predictions stay reasonable. Finally it tends to underfit complex
data, since a single linear function cannot capture the nuances of intricate datasets, so its
bias is high when the problem is not linear. In practice I would start with it as a baseline,
check residual plots for curvature and heteroscedasticity, use regularisation such as ridge when
features are correlated, and move to a more flexible model only if the baseline clearly falls
short on validation data.
"""


def median_ns(func, repeat: int = 2000) -> float:
    func()  # warm caches: rubric keywords and the question's words are compiled once
    samples = []
    for _ in range(repeat):
        start = time.perf_counter_ns()
        func()
        samples.append(time.perf_counter_ns() - start)
    return statistics.median(samples)


def latency() -> None:
    bank = load_bank(REPO / "bank")
    question = bank.get(QUESTION_ID)
    rubric = bank.rubric_for(QUESTION_ID)
    grader = OfflineGrader()
    words = len(ANSWER.split())
    ours = median_ns(lambda: grader.grade(question, rubric, ANSWER))
    bare = median_ns(lambda: fuzz.token_set_ratio(question.answer, ANSWER))
    print(f"latency: {words}-word answer, {len(rubric.points)}-point rubric ({QUESTION_ID})")
    print(f"  OfflineGrader.grade          median {ours / 1e3:8.1f} us")
    print(f"  fuzz.token_set_ratio (bare)  median {bare / 1e3:8.1f} us")
    print(f"  ratio                        {ours / bare:8.1f} x")


def throughput(path: Path) -> None:
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    grader = OfflineGrader()
    start = time.perf_counter()
    rubrics = {}
    for row in rows:
        qid = row["question_id"]
        if qid not in rubrics:
            question = Question(
                id=qid, title="", question=row["question"], answer=row["reference_answer"]
            )
            rubrics[qid] = (question, derive_rubric(question))
        question, rubric = rubrics[qid]
        grader.grade(question, rubric, row["answer"])
    elapsed = time.perf_counter() - start
    print(
        f"throughput: {path.name}: {len(rows)} answers, {len(rubrics)} rubrics derived, "
        f"{elapsed:.2f} s, {len(rows) / elapsed:,.0f} answers/s"
    )


def main() -> int:
    latency()
    if not ASAG.is_dir():
        print(f"throughput: skipped ({ASAG} not found)")
        return 0
    for name in ("mohler-dev.csv", "saf-dev.csv"):
        throughput(ASAG / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
