"""A small fixed bank and a transparent fake grader for the TUI tests.

The bank is the real `Bank` class filled with hand-made questions and rubrics, so the tests
do not move when the shipped bank grows. The fake grader credits a point when one of its
keywords occurs verbatim, with the span as evidence: easy to predict, like the real one.

Pilot tests wait on the app's own state, never on a fixed sleep: `workers_done` (grading, hints,
figures computed in a thread), `wait_until` (a timer's effect, a screen shown), or one
`pilot.pause()` (the next refresh) when that is all a step needs.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import WorkerCancelled, WorkerFailed

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
        self.finished = 0  # gradings whose thread has returned (late ones included)

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
        self.finished += 1
        return Grade(question.id, "fake", score, points, feedback="")


def fixed_clock() -> float:
    return 1000.0


def text_of(app: MockInterviewApp, selector: str) -> str:
    """The text of one `Static` on the current screen, as the candidate reads it."""
    return str(app.screen.query_one(selector, Static).render())


def build_app(
    store: Store | None = None,
    *,
    plan: SessionPlan | None = None,
    grader: FakeGrader | None = None,
    autosave_seconds: float = 0.2,
    clock=fixed_clock,
    follow_ups: bool = False,
) -> MockInterviewApp:
    """The app on the fixed bank, an in-memory store and the fake grader, time frozen.

    Follow-up questions (on by default in the real app) are off unless `follow_ups`: most
    tests are about one answer and its result; tests/test_tui_follow_ups.py turns them on."""
    if plan is not None:
        plan = replace(plan, follow_ups=follow_ups)
    settings = AppSettings(
        plan=plan,
        clock=clock,
        autosave_seconds=autosave_seconds,
        seed=7,
        follow_ups=follow_ups,
    )
    return make_app(
        bank=make_bank(),
        store=store or Store.open(":memory:"),
        grader=grader or FakeGrader(),
        settings=settings,
    )


# --- waiting on the app ----------------------------------------------------------------------

REFRESHES = 250  # each `pilot.pause()` lasts 20 ms at least: 250 of them outlast a 1 s timer

ScreenT = TypeVar("ScreenT", bound=Screen[Any])


async def wait_until(
    pilot: Pilot[Any], condition: Callable[[], object], what: str, *, refreshes: int = REFRESHES
) -> None:
    """Let the app run, one refresh at a time, until `condition()` holds; else fail naming
    `what`. Bounded by a number of refreshes rather than seconds: a pass returns at the first
    true check, and only a broken app waits for the whole bound."""
    for _ in range(refreshes):
        if condition():
            return
        await pilot.pause()
    assert condition(), f"gave up waiting for {what} after {refreshes} refreshes"


async def wait_for_screen(pilot: Pilot[Any], kind: type[ScreenT]) -> ScreenT:
    """The app's current screen once it is a `kind` and mounted (its `on_mount` has run)."""

    def shown() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, kind) and screen.is_mounted

    await wait_until(pilot, shown, f"the {kind.__name__} mounted")
    screen = pilot.app.screen
    assert isinstance(screen, kind)
    return screen


async def workers_done(pilot: Pilot[Any]) -> None:
    """Every background job (a grading, a hint, the progress figures, the grader's warm-up) has
    ended and the app has taken its result. A job that failed or was cancelled is the app's to
    report, so it is not raised here: the test checks what the app made of it."""
    await pilot.pause()  # jobs asked for by the last key have started
    for worker in list(pilot.app.workers):
        with contextlib.suppress(WorkerFailed, WorkerCancelled):
            await worker.wait()
    await pilot.pause()  # their results are handled (a screen pushed, a notice shown)
