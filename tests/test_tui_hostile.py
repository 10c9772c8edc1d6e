"""The app shows hostile text, never runs it: a question, a rubric and an answer carrying escape
sequences (screen clear, window title, OSC-8 link), C0/C1 controls and bidi overrides reach the
screen as visible stand-ins (`␛[2J`, `<U+202E>`) on the question, result and attempt screens; no
ESC byte reaches the rendered output. SVG snapshots keep the look (update with
--snapshot-update)."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import TextArea

from hostile_text import HOSTILE, assert_inert
from mockinterview.bank import Bank
from mockinterview.models import Evidence, Grade, PointResult, Question, Rubric, RubricPoint
from mockinterview.practice.plan import SessionPlan
from mockinterview.store import Store
from mockinterview.tui.app import make_app
from mockinterview.tui.settings import AppSettings
from mockinterview.tui.widgets.answer_editor import editable
from mockinterview.tui.widgets.grade_view import highlighted_answer
from test_review_support import review_app
from tui_helpers import FakeGrader, fixed_clock, wait_until, workers_done

ANSWER = f"Sigmoid saturates {HOSTILE} and the chain rule multiplies small factors."
QUESTION = Question(
    id="hx-001",
    title=f"Vanishing gradients {HOSTILE}",
    question=f"Why do gradients vanish in deep networks? {HOSTILE}",
    answer=f"1. Sigmoid saturates. {HOSTILE}\n2. The chain rule multiplies small factors.",
    topic=f"deep-learning {HOSTILE}",
)
POINTS = [
    ("p1", f"Saturation {HOSTILE}", ["saturates"]),
    ("p2", f"Chain rule {HOSTILE}", ["chain"]),
    ("p3", f"Fixes such as ReLU {HOSTILE}", ["relu"]),
]


class HostileBank(Bank):
    """One question whose every field carries escape sequences."""

    def __init__(self) -> None:
        rubric = Rubric(
            QUESTION.id,
            QUESTION.answer_hash,
            [RubricPoint(pid, title, f"Reference {HOSTILE}", keywords=[words])
             for pid, title, words in POINTS],
        )  # fmt: skip
        root = Path("/nonexistent/bank")
        super().__init__(
            root=root,
            rubrics_root=root.parent / "rubrics",
            questions={QUESTION.id: QUESTION},
            rubrics={QUESTION.id: rubric},
        )


class HostileGrader(FakeGrader):
    """The fake grader, with feedback, a warning and notes as hostile as the answer."""

    def grade(self, question: Question, rubric: Rubric, answer: str) -> Grade:
        grade = super().grade(question, rubric, answer)
        grade.feedback = f"Feedback {HOSTILE}"
        grade.warnings = [f"Warning {HOSTILE}"]
        for point in grade.points:
            point.note = f"note {HOSTILE}"
        return grade


def _app() -> object:
    settings = AppSettings(
        plan=SessionPlan(mode="all", follow_ups=False), clock=fixed_clock, seed=7
    )
    return make_app(
        bank=HostileBank(), store=Store.open(":memory:"), grader=HostileGrader(),
        settings=settings,
    )  # fmt: skip


def test_evidence_stays_on_its_words_once_controls_are_shown() -> None:
    at = ANSWER.index("chain")
    points = [PointResult("p2", "Chain", 1.0, "hit", 1.0, [Evidence("chain", at, at + 5)])]
    text = highlighted_answer(ANSWER, points)
    assert_inert(text.plain, "the highlighted answer")
    [span] = text.spans
    assert text.plain[span.start : span.end] == "chain"


def test_a_pasted_or_restored_answer_enters_the_editor_inert() -> None:
    text = editable(f"line one\r\nline two\r{HOSTILE}")
    assert text.startswith("line one\nline two\n")
    assert_inert(text, "the editor's text")


def test_result_screen_shows_a_hostile_answer_inert(snap_compare) -> None:
    async def answer(pilot) -> None:
        await pilot.pause()
        assert_inert(pilot.app.export_screenshot(), "the question screen")
        editor = pilot.app.screen.query_one("#answer", TextArea)
        editor.cursor_blink = False
        pilot.app.post_message(events.Paste(ANSWER))  # as the terminal's driver sends it
        await wait_until(pilot, lambda: "saturates" in editor.text, "the paste")
        assert_inert(pilot.app.export_screenshot(), "the question screen, answer typed")
        await pilot.press("ctrl+s")
        await workers_done(pilot)
        assert type(pilot.app.screen).__name__ == "ResultScreen"
        await pilot.press("r")  # the reference answer too
        await pilot.pause()
        assert_inert(pilot.app.export_screenshot(), "the result screen")

    assert snap_compare(_app(), terminal_size=(100, 40), run_before=answer)


def test_attempt_screen_shows_a_hostile_answer_inert(snap_compare) -> None:
    store = Store.open(":memory:")
    at = ANSWER.index("chain")
    grade = Grade(
        QUESTION.id, "offline", 33.3,
        [PointResult("p1", POINTS[0][1], 1.0, "partial", 0.5, [Evidence(ANSWER[:7], 0, 7)],
                     f"note {HOSTILE}"),
         PointResult("p2", POINTS[1][1], 1.0, "hit", 1.0, [Evidence("chain", at, at + 5)]),
         PointResult("p3", POINTS[2][1], 1.0, "miss", 0.0, [], f"missing {HOSTILE}")],
        feedback=f"Feedback {HOSTILE}", warnings=[f"Warning {HOSTILE}"],
    )  # fmt: skip
    store.record_attempt(question_id=QUESTION.id, answer=ANSWER, grade=grade, rubric_hash="h",
                         started_at="2026-03-01T09:00:00+00:00", seconds=95.0)  # fmt: skip
    store.conn.execute("UPDATE attempts SET submitted_at = '2026-03-01T09:01:35+00:00'")
    store.conn.commit()

    async def open_attempt(pilot) -> None:
        await pilot.pause()
        assert_inert(pilot.app.export_screenshot(), "the review screen")
        await pilot.press("enter")
        await pilot.pause()
        assert type(pilot.app.screen).__name__ == "AttemptScreen"
        assert_inert(pilot.app.export_screenshot(), "the attempt screen")

    assert snap_compare(review_app(store, HostileBank()), terminal_size=(100, 50),
                        run_before=open_attempt)  # fmt: skip
