"""Attempts as plain dicts: the JSON of `history --format json` and the rows of every export.

An attempt object: id, session_id, question_id, title, topic, submitted_at, seconds, score,
original_score, grader, regraded_by, hints, skipped, points [{id, title, verdict, credit}]; with
answers also `answer` and `feedback`. `score` and `points` are the current grade (the newest
re-grade, else the original); `original_score` is what was shown at the time.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from mockinterview.review.rows import (
    LATEST_REGRADE_JOIN,
    BankLike,
    filtered_in_time_order,
    question_label,
)

if TYPE_CHECKING:
    from mockinterview.store import Store


def _load_json(text: str | None, default: Any) -> Any:
    if not text:
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default


def _points(grade: dict[str, Any]) -> list[dict[str, Any]]:
    points = []
    for p in grade.get("points", []) if isinstance(grade, dict) else []:
        if not isinstance(p, dict) or "id" not in p:
            continue
        points.append(
            {
                "id": str(p["id"]),
                "title": str(p.get("title", p["id"])),
                "verdict": p.get("verdict", "miss"),
                "credit": float(p.get("credit", 0.0) or 0.0),
            }
        )
    return points


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
    sql = (
        "SELECT a.*, r.score AS regrade_score, r.grade AS regrade_grade,"
        f" r.grader AS regrade_grader FROM attempts a {LATEST_REGRADE_JOIN}"
    )
    sql, params = filtered_in_time_order(sql, question_id, limit, newest_first)
    records = []
    for row in store.conn.execute(sql, params):
        skipped = bool(row["skipped"])
        regraded = not skipped and row["regrade_grade"] is not None
        grade = _load_json(row["regrade_grade"] if regraded else row["grade"], {})
        title, topic = question_label(bank, row["question_id"])
        record: dict[str, Any] = {
            "id": row["id"],
            "session_id": row["session_id"],
            "question_id": row["question_id"],
            "title": title,
            "topic": topic,
            "submitted_at": row["submitted_at"],
            "seconds": round(float(row["seconds"] or 0.0), 1),
            "score": None if skipped else (row["regrade_score"] if regraded else row["score"]),
            "original_score": row["score"],
            "grader": row["grader"],
            "regraded_by": row["regrade_grader"] if regraded else None,
            "hints": _load_json(row["hints"], []),
            "skipped": skipped,
            "points": _points(grade),
        }
        if with_answers:
            record["answer"] = row["answer"]
            record["feedback"] = grade.get("feedback", "") if isinstance(grade, dict) else ""
        records.append(record)
    return records
