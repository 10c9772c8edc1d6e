"""Two attempts of one question compared: the rubric points gained and lost, and both answers
side by side with their evidence highlighted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from mockinterview.models import Grade
from mockinterview.review.attempt_detail import latest_automatic_grade, question_or_stub
from mockinterview.review.compare import compare_grades, summary
from mockinterview.text.safe import one_line
from mockinterview.tui.widgets.attempt_detail import try_number
from mockinterview.tui.widgets.grade_view import highlighted_answer, safe_line

if TYPE_CHECKING:
    from mockinterview.review.rows import BankLike
    from mockinterview.store import Attempt, Store

CHANGE_STYLES = {
    "gained": "bold green", "improved": "green", "lost": "bold red", "worse": "red",
    "kept": "", "still missed": "dim", "new": "cyan", "gone": "dim",
}  # fmt: skip


class AttemptComparison(Vertical):
    """Two attempts of one question: the points gained and lost, and both answers."""

    DEFAULT_CSS = """
    AttemptComparison { height: 1fr; padding: 0 1; }
    AttemptComparison > Static { height: auto; margin: 0 0 1 0; }
    AttemptComparison #compare-answers { height: 1fr; }
    AttemptComparison .compare-answer { width: 1fr; height: 1fr; border: round $panel-lighten-2;
                                        padding: 0 1; }
    """

    def __init__(
        self,
        store: Store,
        bank: BankLike | None,
        older: Attempt,
        newer: Attempt,
        **kw: Any,
    ) -> None:
        super().__init__(**kw)
        self.store = store
        self.bank = bank
        self.older, self.newer = sorted((older, newer), key=lambda a: (a.submitted_at, a.id))

    def compose(self) -> ComposeResult:
        question = question_or_stub(self.bank, self.older.question_id)
        old_grade, _ = latest_automatic_grade(self.store, self.older)
        new_grade, _ = latest_automatic_grade(self.store, self.newer)
        empty = Grade(question.id, "none", 0.0, [])
        changes = compare_grades(old_grade or empty, new_grade or empty)
        tries = {a.id: try_number(self.store, a)[0] for a in (self.older, self.newer)}
        yield Static(
            safe_line(
                f"{question.title} ({question.id}): try {tries[self.older.id]} "
                f"({_when(self.older)}, {_score(old_grade)}) → try {tries[self.newer.id]} "
                f"({_when(self.newer)}, {_score(new_grade)})"
            ),
            classes="detail-title",
        )
        yield Static(summary(changes), id="compare-summary")
        table = Text()
        table.append(f"{'point':<40}{'before':<10}{'after':<10}change\n", "bold")
        for change in changes:
            table.append(
                f"{one_line(change.title)[:38]:<40}{one_line(change.before or '-'):<10}"
                f"{one_line(change.after or '-'):<10}"
            )
            table.append(f"{change.change}\n", CHANGE_STYLES.get(change.change, ""))
        yield Static(table, id="compare-points")
        with Horizontal(id="compare-answers"):
            for attempt, grade in ((self.older, old_grade), (self.newer, new_grade)):
                body = highlighted_answer(attempt.answer, grade.points if grade else [])
                with VerticalScroll(classes="compare-answer") as box:
                    box.border_title = f"try {tries[attempt.id]} · {_when(attempt)}"
                    yield Static(body)


def _when(attempt: Attempt) -> str:
    return attempt.submitted_at[:10]


def _score(grade: Grade | None) -> str:
    return "skipped" if grade is None else f"{grade.score:.0f}"
