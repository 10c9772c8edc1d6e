"""What the store hands back: attempts, sessions and drafts, decoded from their rows."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from mockinterview.models import Grade


@dataclass(slots=True)
class Attempt:
    id: int
    session_id: int | None
    question_id: str
    answer: str
    score: float | None
    grade: Grade | None
    grader: str
    rubric_hash: str | None
    started_at: str
    submitted_at: str
    seconds: float
    hints: list[str] = field(default_factory=list)
    skipped: bool = False
    model: str | None = None
    corrected: Grade | None = None  # the candidate's correction of the newest automatic grade


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


def attempt_from_row(row: sqlite3.Row) -> Attempt:
    return Attempt(
        id=row["id"],
        session_id=row["session_id"],
        question_id=row["question_id"],
        answer=row["answer"],
        score=row["score"],
        grade=Grade.from_dict(json.loads(row["grade"])) if row["grade"] else None,
        grader=row["grader"],
        rubric_hash=row["rubric_hash"],
        started_at=row["started_at"],
        submitted_at=row["submitted_at"],
        seconds=row["seconds"],
        hints=json.loads(row["hints"]),
        skipped=bool(row["skipped"]),
        model=row["model"],
        corrected=_corrected(row),
    )


def _corrected(row: sqlite3.Row) -> Grade | None:
    """The corrected grade of a row (schema 3), None when absent or unreadable: a damaged
    correction must not hide the attempt."""
    if "corrected_grade" not in row.keys() or not row["corrected_grade"]:  # noqa: SIM118 (Row)
        return None
    try:
        return Grade.from_dict(json.loads(row["corrected_grade"]))
    except (ValueError, KeyError, TypeError):
        return None
