"""One past attempt in full: the question, the grade history (original and re-grades), the
answer with its evidence highlighted, the per-point verdicts and the reference answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from mockinterview.review.attempt_detail import latest_automatic_grade, question_or_stub
from mockinterview.review.rows import format_seconds, rubric_or_none
from mockinterview.tui.widgets.grade_view import GradeView

if TYPE_CHECKING:
    from mockinterview.review.rows import BankLike
    from mockinterview.store import Attempt, Store


class AttemptDetail(VerticalScroll):
    """Everything about one attempt; the newest grade is shown, older ones listed above it."""

    DEFAULT_CSS = """
    AttemptDetail { height: 1fr; padding: 0 1; }
    AttemptDetail > Static { height: auto; margin: 0 0 1 0; }
    AttemptDetail .detail-title { text-style: bold; color: $accent; margin: 0; }
    AttemptDetail #detail-reference { color: $text-muted; border: round $panel-lighten-2; }
    """

    def __init__(
        self,
        store: Store,
        bank: BankLike | None,
        attempt: Attempt,
        *,
        correct_keys: bool = False,
        **kw: Any,
    ) -> None:
        super().__init__(**kw)
        self.store = store
        self.bank = bank
        self.attempt = attempt
        self.correct_keys = correct_keys

    def compose(self) -> ComposeResult:
        attempt = self.attempt
        question = question_or_stub(self.bank, attempt.question_id)
        yield Static(
            Text(
                f"{question.title} ({question.id}) · {question.topic} · attempt #{attempt.id} · "
                f"{format_seconds(attempt.seconds)} · {len(attempt.hints)} hints"
            ),
            classes="detail-title",
        )
        yield Static(Text(question.question.strip()), id="detail-question")
        grade, history = latest_automatic_grade(self.store, attempt)
        if history:
            yield Static(Text("\n".join(history)), id="detail-grades")
        if attempt.skipped or grade is None:
            yield Static("Skipped: no answer was graded." if attempt.skipped else "Not graded.")
            yield Static(Text(attempt.answer or "(empty)"), id="detail-answer")
        else:
            rubric = rubric_or_none(self.bank, attempt.question_id)
            yield GradeView(
                question,
                attempt.answer,
                grade,
                rubric,
                corrected=attempt.corrected,
                correct_keys=self.correct_keys,
            )
        if question.answer.strip():
            yield Static("Reference answer", classes="detail-title")
            yield Static(Text(question.answer.strip()), id="detail-reference")
