"""What one stored attempt shows when opened: its question (or a stand-in once the bank lost
it), its newest grade, and one line per grade it has had (original, re-grades, correction).

Kept free of Textual so the review screens and any other face read an attempt the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mockinterview.models import Grade, Question
from mockinterview.review.rows import format_score

if TYPE_CHECKING:
    from mockinterview.review.rows import BankLike
    from mockinterview.store import Attempt, Store


def question_or_stub(bank: BankLike | None, question_id: str) -> Question:
    """The bank's question, or a stand-in that says it is gone (its attempts still show)."""
    question = bank.questions.get(question_id) if bank is not None else None
    if question is not None:
        return question
    return Question(question_id, question_id, "(this question is no longer in the bank)", "")


def latest_automatic_grade(store: Store, attempt: Attempt) -> tuple[Grade | None, list[str]]:
    """The newest automatic grade (re-grade, else original; a correction is not one) and one
    line per grade the attempt has had, original first."""
    lines = []
    if attempt.grade is not None:
        lines.append(
            f"Original: {format_score(attempt.original_score, attempt.skipped)} by {attempt.grader}"
            f" on {attempt.submitted_at[:16].replace('T', ' ')}"
        )
    grade = attempt.grade
    for created_at, regrade in store.regrades(attempt.id):
        lines.append(
            f"Re-graded: {regrade.score:.0f} by {regrade.grader}"
            f" on {created_at[:16].replace('T', ' ')}"
        )
        grade = regrade
    if attempt.corrected is not None and not attempt.skipped:
        lines.append(correction_line(attempt.corrected))
    return grade, lines


def correction_line(corrected: Grade) -> str:
    """`Corrected by you: 85 (automatic 62)`, for the list of an attempt's grades."""
    data = corrected.extra.get("correction")
    automatic = data.get("automatic_score") if isinstance(data, dict) else None
    before = f" (automatic {float(automatic):.0f})" if isinstance(automatic, int | float) else ""
    return f"Corrected by you: {corrected.score:.0f}{before}"
