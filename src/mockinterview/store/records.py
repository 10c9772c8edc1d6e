"""What the store hands back: attempts, sessions and drafts (of answers and of follow-ups),
decoded from their rows.

An attempt has one type, `Attempt`. Its `score` is the one that counts, chosen in SQL by
`store.attempts.CURRENT_SCORE` (the only place that rule is written); `original_score` is what
was shown at the time. Lists of thousands of attempts read `AttemptSummary`, the columns a table
shows without any grade JSON (parsing 10,000 grades costs four times the query:
bench/bench_history.py); `Attempt` is that summary plus the answer and the grades.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from mockinterview.models import Evidence, Grade, PointResult


@dataclass(slots=True)
class AttemptSummary:
    """An attempt as a list or table shows it: no answer, no grade parsed."""

    id: int
    session_id: int | None
    question_id: str
    submitted_at: str
    seconds: float
    score: float | None  # the current score; None when skipped or never graded
    original_score: float | None  # what was shown at the time
    grader: str
    skipped: bool
    hint_count: int
    rubric_hash: str | None
    regraded_by: str | None = None  # the newest re-grade's grader (not for a skip)
    corrected_score: float | None = None  # the candidate's correction (not for a skip)

    @property
    def day(self) -> str:
        return self.submitted_at[:10]


@dataclass(slots=True)
class FollowUpRecord:
    """The interviewer's follow-up of an attempt, as stored: the question asked, where it came
    from ("llm" or "offline"), the open points it was graded on, and what became of it
    ("answered", with its grade and the points it raised, or "skipped")."""

    question: str
    status: str  # answered | skipped
    source: str = "offline"
    point_ids: list[str] = field(default_factory=list)
    answer: str = ""
    grade: Grade | None = None
    score_before: float | None = None
    raised: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def skipped(self) -> bool:
        return self.status == "skipped"


@dataclass(slots=True)
class FollowUpDraft:
    """A follow-up being answered, autosaved: what was asked of which attempt (as
    `FollowUpRecord` keeps it) and the answer typed so far."""

    attempt_id: int
    question: str
    source: str = "offline"
    point_ids: list[str] = field(default_factory=list)
    focus: str | None = None
    text: str = ""
    seconds: float = 0.0
    updated_at: str = ""


@dataclass(slots=True)
class Attempt(AttemptSummary):
    """One attempt with its answer and grades: the original automatic grade, the newest
    re-grade and the candidate's correction, each kept beside the others."""

    answer: str = ""
    started_at: str = ""
    model: str | None = None
    hints: list[str] = field(default_factory=list)
    automatic_score: float | None = None  # the newest automatic grade's (None when skipped)
    grade: Grade | None = None  # the original automatic grade
    regrade: Grade | None = None  # the newest re-grade (not for a skip)
    corrected: Grade | None = None  # the candidate's correction of the newest automatic grade
    follow_up: FollowUpRecord | None = None  # the interviewer's follow-up, asked or skipped

    @property
    def current_grade(self) -> Grade | None:
        """The grade `score` comes from (for a skip, the original one, if any)."""
        if self.skipped:
            return self.grade
        return self.corrected or self.regrade or self.grade


@dataclass(slots=True)
class Session:
    id: int
    started_at: str
    finished_at: str | None
    status: str
    settings: dict[str, Any]
    question_ids: list[str]
    position: int


@dataclass(slots=True)
class Draft:
    session_id: int
    question_id: str
    text: str
    started_at: str
    updated_at: str
    hints: list[str]


def session_from_row(row: sqlite3.Row) -> Session:
    return Session(
        id=row["id"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        status=row["status"],
        settings=json.loads(row["settings"]),
        question_ids=json.loads(row["question_ids"]),
        position=row["position"],
    )


def _summary_fields(row: sqlite3.Row) -> dict[str, Any]:
    """What an attempt's table row holds, read from a row with the summary columns (which
    `attempts.ATTEMPT_COLUMNS` include)."""
    return {
        "id": row["id"],
        "session_id": row["session_id"],
        "question_id": row["question_id"],
        "submitted_at": row["submitted_at"],
        "seconds": float(row["seconds"] or 0.0),
        "score": row["current_score"],
        "original_score": row["score"],
        "grader": row["grader"],
        "skipped": bool(row["skipped"]),
        "hint_count": int(row["hint_count"] or 0),
        "rubric_hash": row["rubric_hash"],
        "regraded_by": row["regraded_by"],
        "corrected_score": row["current_corrected_score"],
    }


def summary_from_row(row: sqlite3.Row) -> AttemptSummary:
    """A row of `attempts.SUMMARY_COLUMNS`."""
    return AttemptSummary(**_summary_fields(row))


def attempt_from_row(row: sqlite3.Row) -> Attempt:
    """A row of `attempts.ATTEMPT_COLUMNS`; damaged JSON reads as nothing, never raises."""
    hints = json_or_none(row["hints"])
    return Attempt(
        **_summary_fields(row),
        answer=row["answer"],
        started_at=row["started_at"],
        model=row["model"],
        hints=[str(h) for h in hints] if isinstance(hints, list) else [],
        automatic_score=row["automatic_score"],
        grade=grade_from_json(row["grade"]),
        regrade=None if row["skipped"] else grade_from_json(row["regrade_grade"]),
        corrected=grade_from_json(row["corrected_grade"]),
        follow_up=follow_up_from_row(row),
    )


def _strings(text: str | None) -> list[str]:
    value = json_or_none(text)
    return [str(v) for v in value] if isinstance(value, list) else []


def follow_up_from_row(row: sqlite3.Row) -> FollowUpRecord | None:
    """The `follow_up_*` columns of a row (`attempts.FOLLOW_UP_COLUMNS`); None when the
    attempt had no follow-up. Damaged JSON reads as nothing, never raises."""
    question = row["follow_up_question"]
    if question is None:
        return None
    before = row["follow_up_score_before"]
    return FollowUpRecord(
        question=str(question),
        status=str(row["follow_up_status"] or "skipped"),
        source=str(row["follow_up_source"] or "offline"),
        point_ids=_strings(row["follow_up_point_ids"]),
        answer=str(row["follow_up_answer"] or ""),
        grade=grade_from_json(row["follow_up_grade"]),
        score_before=None if before is None else float(before),
        raised=_strings(row["follow_up_raised"]),
        seconds=float(row["follow_up_seconds"] or 0.0),
    )


def json_or_none(text: str | None) -> Any:
    """Stored JSON read leniently: a damaged or empty value is None, never an error."""
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def grade_from_json(text: str | None) -> Grade | None:
    """A stored grade, read leniently: unreadable JSON is no grade, and a damaged point (not an
    object, no id) is left out rather than hiding the attempt. A sound grade reads exactly as
    `Grade.from_dict` reads it."""
    data = json_or_none(text)
    if not isinstance(data, dict):
        return None
    try:
        return Grade.from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError):
        pass
    points = []
    for p in data.get("points", []) if isinstance(data.get("points"), list) else []:
        if not isinstance(p, dict) or "id" not in p:
            continue
        points.append(
            PointResult(
                id=str(p["id"]),
                title=str(p.get("title", p["id"])),
                weight=_number(p.get("weight"), 1.0),
                verdict=p.get("verdict", "miss"),
                credit=_number(p.get("credit"), 0.0),
                evidence=_evidence(p.get("evidence")),
                note=str(p.get("note", "")),
            )
        )
    extra = data.get("extra")
    warnings = data.get("warnings")
    return Grade(
        question_id=str(data.get("question_id", "")),
        grader=str(data.get("grader", "offline")),
        score=_number(data.get("score"), 0.0),
        points=points,
        feedback=str(data.get("feedback", "")),
        warnings=[str(w) for w in warnings] if isinstance(warnings, list) else [],
        extra=dict(extra) if isinstance(extra, dict) else {},
    )


def _evidence(value: Any) -> list[Evidence]:
    try:
        return [Evidence(**e) for e in value] if isinstance(value, list) else []
    except (TypeError, ValueError):
        return []


def _number(value: Any, default: float) -> float:
    try:
        return float(value or default)
    except (TypeError, ValueError):
        return default
