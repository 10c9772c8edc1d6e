"""Attempt rows for lists and tables: one SQL query, no grade JSON parsed.

The review screen and `history` show thousands of attempts; parsing every grade would cost more
than the query itself, so a row carries only the columns a table shows. A row's `score` is the
current one: the candidate's correction when there is one, else the newest re-grade, else the
grade given at the time, which is kept as `original_score`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from mockinterview.models import Question, Rubric
    from mockinterview.store import Store

NOT_IN_BANK = "(not in bank)"

# The newest re-grade of each attempt, if any, joined beside the attempt. Shared by stats.
LATEST_REGRADE_JOIN = (
    "LEFT JOIN regrades r ON r.id = (SELECT MAX(id) FROM regrades WHERE regrades.attempt_id = a.id)"
)
# The current score and grade: the candidate's correction, else the newest re-grade, else the
# attempt's own grade.
CURRENT_SCORE = (
    "CASE WHEN a.skipped THEN NULL ELSE COALESCE(a.corrected_score, r.score, a.score) END"
)
CURRENT_GRADE = "COALESCE(a.corrected_grade, r.grade, a.grade)"


def safe_json(expression: str) -> str:
    """SQL for a JSON column that reads as `{}` when damaged, so json_each never raises."""
    return f"CASE WHEN json_valid({expression}) THEN {expression} ELSE '{{}}' END"


class BankLike(Protocol):
    """What review needs of a bank: its questions by id and a rubric per question."""

    questions: dict[str, Question]

    def rubric_for(self, question_id: str) -> Rubric: ...


@dataclass(slots=True)
class AttemptRow:
    id: int
    session_id: int | None
    question_id: str
    submitted_at: str
    seconds: float
    score: float | None
    original_score: float | None
    grader: str
    skipped: bool
    hints: int
    rubric_hash: str | None
    regraded_by: str | None = None
    corrected_score: float | None = None  # the candidate's correction, when there is one

    @property
    def day(self) -> str:
        return self.submitted_at[:10]


def attempt_rows(
    store: Store,
    *,
    question_id: str | None = None,
    limit: int | None = None,
    newest_first: bool = True,
) -> list[AttemptRow]:
    """Attempts as light rows, in time order, in one query."""
    sql = (
        "SELECT a.id, a.session_id, a.question_id, a.submitted_at, a.seconds, a.score, a.grader,"
        " a.skipped, a.rubric_hash, a.corrected_score, r.score AS regrade_score,"
        " r.grader AS regrade_grader,"
        " CASE WHEN json_valid(a.hints) THEN json_array_length(a.hints) ELSE 0 END AS hint_count"
        f" FROM attempts a {LATEST_REGRADE_JOIN}"
    )
    sql, params = filtered_in_time_order(sql, question_id, limit, newest_first)
    rows = []
    for r in store.conn.execute(sql, params):
        skipped = bool(r["skipped"])
        regrade = None if skipped else r["regrade_score"]
        rows.append(
            AttemptRow(
                id=r["id"],
                session_id=r["session_id"],
                question_id=r["question_id"],
                submitted_at=r["submitted_at"],
                seconds=float(r["seconds"] or 0.0),
                score=(
                    r["corrected_score"]
                    if r["corrected_score"] is not None and not skipped
                    else regrade
                    if regrade is not None
                    else r["score"]
                ),
                original_score=r["score"],
                grader=r["grader"],
                skipped=skipped,
                hints=int(r["hint_count"] or 0),
                rubric_hash=r["rubric_hash"],
                regraded_by=r["regrade_grader"] if regrade is not None else None,
                corrected_score=None if skipped else r["corrected_score"],
            )
        )
    return rows


def question_label(bank: BankLike | None, question_id: str) -> tuple[str, str]:
    """(title, topic) of a question; an id no longer in the bank still shows, by id."""
    question = bank.questions.get(question_id) if bank is not None else None
    if question is None:
        return question_id, NOT_IN_BANK
    return question.title, question.topic


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


def filtered_in_time_order(
    sql: str, question_id: str | None, limit: int | None, newest_first: bool
) -> tuple[str, list[object]]:
    """Append the shared question filter, time order and limit to an attempts query."""
    params: list[object] = []
    if question_id:
        sql += " WHERE a.question_id = ?"
        params.append(question_id)
    direction = "DESC" if newest_first else "ASC"
    sql += f" ORDER BY a.submitted_at {direction}, a.id {direction}"
    if limit and limit > 0:
        sql += " LIMIT ?"
        params.append(limit)
    return sql, params
