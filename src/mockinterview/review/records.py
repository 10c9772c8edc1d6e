"""Attempts as plain dicts: the JSON of `history --format json` and the rows of every export.

An attempt object: id, session_id, question_id, title, topic, submitted_at, seconds, score,
automatic_score, corrected_score, original_score, grader, regraded_by, hints, skipped, points
[{id, title, verdict, credit, automatic_verdict}]; with answers also `answer` and `feedback`.
`score` and `points` are the current grade's (`store.Attempt.score`, `.current_grade`): the
candidate's correction when there is one, else the newest re-grade, else the original.
`automatic_score` is the newest automatic grade's (re-grade or original), `corrected_score` the
correction's (None when not corrected), and each point's `automatic_verdict` what the grader
said; `original_score` is what was shown at the time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockinterview.review.rows import BankLike, question_label
from mockinterview.store import attempts

if TYPE_CHECKING:
    from mockinterview.models import Grade
    from mockinterview.store import Attempt, Store


def _points(grade: Grade | None, automatic: dict[str, Any]) -> list[dict[str, Any]]:
    """The points of a grade; `automatic` (point id -> verdict) marks those the candidate
    corrected, the others keep the verdict the grader gave."""
    return [
        {
            "id": str(p.id),
            "title": str(p.title),
            "verdict": p.verdict,
            "credit": float(p.credit or 0.0),
            "automatic_verdict": automatic.get(str(p.id), p.verdict),
        }
        for p in (grade.points if grade is not None else [])
    ]


def attempt_record(
    attempt: Attempt, bank: BankLike | None, *, with_answers: bool = False
) -> dict[str, Any]:
    """One attempt object (see the module docstring)."""
    grade = attempt.current_grade
    correction = None
    if attempt.corrected is not None and not attempt.skipped:
        correction = attempt.corrected.extra.get("correction")
    automatic = correction.get("automatic") if isinstance(correction, dict) else None
    title, topic = question_label(bank, attempt.question_id)
    record: dict[str, Any] = {
        "id": attempt.id,
        "session_id": attempt.session_id,
        "question_id": attempt.question_id,
        "title": title,
        "topic": topic,
        "submitted_at": attempt.submitted_at,
        "seconds": round(attempt.seconds, 1),
        "score": attempt.score,
        "automatic_score": attempt.automatic_score,
        "corrected_score": attempt.corrected_score,
        "original_score": attempt.original_score,
        "grader": attempt.grader,
        "regraded_by": attempt.regraded_by,
        "hints": attempt.hints,
        "skipped": attempt.skipped,
        "points": _points(grade, automatic if isinstance(automatic, dict) else {}),
    }
    if with_answers:
        record["answer"] = attempt.answer
        record["feedback"] = grade.feedback if grade is not None else ""
    return record


def attempt_records(
    store: Store,
    bank: BankLike | None,
    *,
    question_id: str | None = None,
    limit: int | None = None,
    newest_first: bool = True,
    with_answers: bool = False,
) -> list[dict[str, Any]]:
    """Attempt objects in time order; questions gone from the bank keep their id as title."""
    return [
        attempt_record(attempt, bank, with_answers=with_answers)
        for attempt in attempts.attempts(
            store, question_id=question_id, limit=limit, newest_first=newest_first
        )
    ]
