"""One past attempt in full: the question, the grade history (original and re-grades), the
answer with its evidence highlighted, the per-point verdicts and the reference answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from mockinterview.review.attempt_detail import latest_automatic_grade, question_or_stub
from mockinterview.review.rows import format_seconds, rubric_or_none
from mockinterview.store.attempts import attempt_summaries
from mockinterview.text.latex import readable_formulas
from mockinterview.tui.widgets.grade_view import GradeView, safe_block, safe_line

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
        number, total = try_number(self.store, attempt)
        grader = "" if attempt.skipped or attempt.grader == "none" else f" · {attempt.grader}"
        yield Static(
            safe_line(
                f"{question.title} ({question.id}) · {question.topic} · try {number} of {total}"
                f" · {attempt.submitted_at[:16].replace('T', ' ')}{grader} · "
                f"{format_seconds(attempt.seconds)} · {plural(len(attempt.hints), 'hint')}"
            ),
            classes="detail-title",
        )
        yield Static(safe_block(question.question.strip()), id="detail-question")
        grade, history = latest_automatic_grade(self.store, attempt)
        grades = Static(safe_block("\n".join(history)), id="detail-grades")
        grades.display = len(history) > 1  # one grade only: the title line says who graded it
        yield grades
        if attempt.skipped or grade is None:
            yield Static("Skipped: no answer was graded." if attempt.skipped else "Not graded.")
            yield Static(safe_block(attempt.answer or "(empty)"), id="detail-answer")
        else:
            rubric = rubric_or_none(self.bank, attempt.question_id)
            yield GradeView(
                question,
                attempt.answer,
                grade,
                rubric,
                corrected=attempt.corrected,
                correct_keys=self.correct_keys,
                follow_up=attempt.follow_up,
            )
        if question.answer.strip():
            yield Static("Reference answer", classes="detail-title")
            reference = safe_block(readable_formulas(question.answer.strip()))
            yield Static(reference, id="detail-reference")


def try_number(store: Store, attempt: Attempt) -> tuple[int, int]:
    """Which try of its question an attempt was, and of how many (the candidate's count, not
    the database's id)."""
    ids = [a.id for a in attempt_summaries(store, question_id=attempt.question_id)]
    ids.reverse()  # oldest first
    return (ids.index(attempt.id) + 1 if attempt.id in ids else len(ids)), len(ids)


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
