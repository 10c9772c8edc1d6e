"""The graded-answer widget: evidence highlighted, LLM extras and grader disagreements shown."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

from mockinterview.models import Evidence, PointResult
from mockinterview.tui.widgets.grade_view import SHOWN_ANSWER_CHARS, GradeView, highlighted_answer
from tui_helpers import FakeGrader, make_bank


class Host(App[None]):
    def __init__(self, view: GradeView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        yield self.view


def texts(view: GradeView) -> str:
    return "\n".join(str(s.render()) for s in view.query(Static))


def test_evidence_spans_are_styled_and_hits_win_overlaps() -> None:
    answer = "models underfit badly"
    points = [
        PointResult("p1", "A", 1.0, "partial", 0.5, [Evidence("models underfit", 0, 15)]),
        PointResult("p2", "B", 1.0, "hit", 1.0, [Evidence("underfit", 7, 15)]),
    ]
    text = highlighted_answer(answer, points)
    styles = {(span.start, span.end): str(span.style) for span in text.spans}
    assert "green" in styles[(7, 15)]
    assert "yellow" in styles[(0, 15)]
    assert text.spans[-1].start == 7  # the hit is applied last, so it shows on top


def test_evidence_out_of_range_is_ignored_and_long_answers_are_cut() -> None:
    points = [PointResult("p1", "A", 1.0, "hit", 1.0, [Evidence("x", 500, 900)])]
    assert highlighted_answer("short", points).spans == []
    long = "word " * (SHOWN_ANSWER_CHARS // 4)
    assert "more characters not shown" in highlighted_answer(long, points).plain


async def test_llm_extras_warnings_and_disagreements() -> None:
    bank = make_bank()
    question, rubric = bank.get("ml-002"), bank.rubric_for("ml-002")
    answer = "It keeps weights small."
    offline = FakeGrader().grade(question, rubric, answer)  # p1 hit, p2 miss
    llm = FakeGrader().grade(question, rubric, answer + " Less overfit.")  # both hit
    llm.grader = "llm (gpt-test)"
    llm.warnings = ["offline (LLM unavailable) for one point"]
    llm.extra = {
        "follow_up": "How does L1 differ?",
        "offline_grade": offline.to_dict(),
        "model": "gpt-test",
        "tokens": {"prompt": 700, "completion": 112, "counted_prompt": 690},
        "cost_usd": 0.00031,
    }
    view = GradeView(question, answer, llm, rubric)
    async with Host(view).run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        shown = texts(view)
        table = str(view.query_one("#grade-disagreements", Static).render())
    assert "How does L1 differ?" in shown
    assert "model gpt-test · tokens: 700 prompt + 112 completion; estimated cost $0.0003" in shown
    assert "LLM unavailable" in shown
    assert "Where the graders disagree" in shown
    assert "Reduces overfitting" in table
    assert "Penalises large weights" not in table  # both graders hit it


async def test_missed_points_show_their_reference_text() -> None:
    bank = make_bank()
    question, rubric = bank.get("sys-001"), bank.rubric_for("sys-001")
    grade = FakeGrader().grade(question, rubric, "shard by key")
    view = GradeView(question, "shard by key", grade, rubric)
    async with Host(view).run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        shown = texts(view)
    assert "Score 50/100" in shown
    assert "Scales writes beyond one machine." in shown  # missed: its reference is shown
    assert "Splits data across machines" not in shown  # hit: no reference needed


async def test_the_headline_counts_partly_covered_points_beside_the_hits() -> None:
    bank = make_bank()
    question, rubric = bank.get("sys-001"), bank.rubric_for("sys-001")
    grade = FakeGrader().grade(question, rubric, "shard by key")
    grade.points[1].verdict, grade.points[1].credit = "partial", 0.5
    grade.score = 75.0
    view = GradeView(question, "shard by key", grade, rubric)
    async with Host(view).run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        shown = texts(view)
    assert "Score 75/100 · 1 of 2 points hit, 1 partly" in shown
