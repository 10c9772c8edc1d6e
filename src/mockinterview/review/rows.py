"""What lists and tables of attempts share: how a question, a score and a duration read, and
what review needs of a bank. The attempts themselves come from the store
(`store.attempts.attempt_summaries`: one query, no grade JSON parsed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from mockinterview.text.safe import one_line

if TYPE_CHECKING:
    from mockinterview.models import Question, Rubric

NOT_IN_BANK = "(not in bank)"


class BankLike(Protocol):
    """What review needs of a bank: its questions by id and a rubric per question."""

    questions: dict[str, Question]

    def rubric_for(self, question_id: str) -> Rubric: ...


def question_label(bank: BankLike | None, question_id: str) -> tuple[str, str]:
    """(title, topic) of a question as a list shows them: on one line, control characters
    shown (`text.safe.one_line`: titles are imported, untrusted text); an id no longer in the
    bank still shows, by id."""
    question = bank.questions.get(question_id) if bank is not None else None
    if question is None:
        return one_line(question_id), NOT_IN_BANK
    return one_line(question.title), one_line(question.topic)


def rubric_or_none(bank: BankLike | None, question_id: str) -> Rubric | None:
    """The current rubric of a question, or None when the bank has none (never raises)."""
    if bank is None or question_id not in bank.questions:
        return None
    try:
        return bank.rubric_for(question_id)
    except Exception:  # a broken rubric file must not break review
        return None


def format_seconds(seconds: float) -> str:
    """12 s, 4m05s, 1h02m: short enough for a table column."""
    total = max(0, round(seconds))
    if total < 60:
        return f"{total}s"
    if total < 3600:
        return f"{total // 60}m{total % 60:02d}s"
    return f"{total // 3600}h{total % 3600 // 60:02d}m"


def format_score(score: float | None, skipped: bool = False) -> str:
    if skipped:
        return "skip"
    return "-" if score is None else f"{score:.0f}"
