"""A small fixed bank and a transparent fake grader for the TUI tests.

The bank is the real `Bank` class filled with hand-made questions and rubrics, so the tests
do not move when the shipped bank grows. The fake grader credits a point when one of its
keywords occurs verbatim, with the span as evidence: easy to predict, like the real one.
"""

from __future__ import annotations

import threading
from pathlib import Path

from mockinterview.bank import Bank
from mockinterview.models import Evidence, Grade, PointResult, Question, Rubric, RubricPoint
from mockinterview.practice.plan import SessionPlan
from mockinterview.store import Store
from mockinterview.tui.app import MockInterviewApp, make_app
from mockinterview.tui.settings import AppSettings


def _question(
    qid: str, topic: str, title: str, text: str, answer: str, tags: list[str]
) -> Question:
    return Question(id=qid, title=title, question=text, answer=answer, topic=topic, tags=tags)


QUESTIONS = [
    _question(
        "ml-001",
        "machine-learning",
        "Bias and variance",
        "Explain the **bias-variance trade-off**.",
        "1. Bias: error from wrong assumptions; underfitting.\n"
        "2. Variance: error from sensitivity to the training data; overfitting.\n"
        "3. Trade-off: reducing one tends to raise the other.",
        ["basics"],
    ),
    _question(
        "ml-002",
        "machine-learning",
        "Regularisation",
        "Why does **L2 regularisation** help?",
        "1. Penalises large weights.\n2. Reduces overfitting.",
        ["basics", "training"],
    ),
    _question(
        "sys-001",
        "systems",
        "Database sharding",
        "What is database sharding and when would you use it?",
        "1. Splits data across machines by a key.\n2. Scales writes beyond one machine.",
        ["databases"],
    ),
]

RUBRICS = {
    "ml-001": [
        ("p1", "Bias means underfitting", "Bias: error from wrong assumptions.", ["underfit"]),
        ("p2", "Variance means overfitting", "Variance: sensitivity to data.", ["overfit"]),
        ("p3", "The trade-off", "Reducing one tends to raise the other.", ["trade-off"]),
    ],
    "ml-002": [
        ("p1", "Penalises large weights", "Penalises large weights.", ["weights"]),
        ("p2", "Reduces overfitting", "Reduces overfitting.", ["overfit"]),
    ],
    "sys-001": [
        ("p1", "Split by key", "Splits data across machines by a key.", ["key"]),
        ("p2", "Scales writes", "Scales writes beyond one machine.", ["writes"]),
    ],
}


def make_bank(root: Path | None = None) -> Bank:
    root = root or Path("/nonexistent/bank")
    questions = {q.id: q for q in QUESTIONS}
    rubrics = {
        qid: Rubric(
            question_id=qid,
            answer_hash=questions[qid].answer_hash,
            points=[
                RubricPoint(id=pid, title=title, text=text, keywords=[words])
                for pid, title, text, words in points
            ],
        )
        for qid, points in RUBRICS.items()
    }
    return Bank(
        root=root, rubrics_root=root.parent / "rubrics", questions=questions, rubrics=rubrics
    )


class FakeGrader:
    """Credits a point when one of its keywords occurs in the answer (case-insensitive).

    `gate`, when set, makes `grade` wait until it is released: tests of the "grading..."
    state and of cancelling use it.
    """

    name = "fake"

    def __init__(self, gate: threading.Event | None = None) -> None:
        self.gate = gate
        self.calls = 0

    def grade(self, question: Question, rubric: Rubric, answer: str) -> Grade:
        self.calls += 1
        if self.gate is not None:
            self.gate.wait(10)
        lowered = answer.lower()
        points = []
        for point in rubric.points:
            evidence = []
            for word in (w for group in point.keywords for w in group):
                at = lowered.find(word.lower())
                if at >= 0:
                    evidence.append(Evidence(answer[at : at + len(word)], at, at + len(word)))
                    break
            hit = bool(evidence)
            points.append(
                PointResult(
                    point.id,
                    point.title,
                    point.weight,
                    "hit" if hit else "miss",
                    1.0 if hit else 0.0,
                    evidence,
                )
            )
        total = sum(p.weight for p in points) or 1.0
        score = round(100 * sum(p.weight * p.credit for p in points) / total, 1)
        return Grade(question.id, "fake", score, points, feedback="")


def fixed_clock() -> float:
    return 1000.0


def build_app(
    store: Store | None = None,
    *,
    plan: SessionPlan | None = None,
    grader: FakeGrader | None = None,
    autosave_seconds: float = 0.2,
    clock=fixed_clock,
) -> MockInterviewApp:
    """The app on the fixed bank, an in-memory store and the fake grader, time frozen."""
    settings = AppSettings(plan=plan, clock=clock, autosave_seconds=autosave_seconds, seed=7)
    return make_app(
        bank=make_bank(),
        store=store or Store.open(":memory:"),
        grader=grader or FakeGrader(),
        settings=settings,
    )
