"""Attempts as plain dicts: the JSON of `history --format json` and the rows of every export.

An attempt object: id, session_id, question_id, title, topic, submitted_at, seconds, score,
automatic_score, corrected_score, original_score, grader, regraded_by, hints, skipped, points
[{id, title, verdict, credit, automatic_verdict}]; with answers also `answer` and `feedback`.
`score` and `points` are the current grade: the candidate's correction when there is one, else
the newest re-grade, else the original. `automatic_score` is the newest automatic grade's
(re-grade or original), `corrected_score` the correction's (None when not corrected), and
each point's `automatic_verdict` what the grader said; `original_score` is what was shown at
the time.
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


def _points(grade: dict[str, Any], automatic: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The points of a stored grade; `automatic` (point id -> verdict) marks those the
    candidate corrected, the others keep the verdict the grader gave."""
    automatic = automatic or {}
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
                "automatic_verdict": automatic.get(str(p["id"]), p.get("verdict", "miss")),
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
        corrected = None if skipped else _load_json(row["corrected_grade"], None)
        corrected = corrected if isinstance(corrected, dict) else None
        automatic_score = None if skipped else (row["regrade_score"] if regraded else row["score"])
        grade = corrected or _load_json(row["regrade_grade"] if regraded else row["grade"], {})
        correction = grade.get("extra", {}).get("correction") if corrected else None
        automatic_verdicts = correction.get("automatic") if isinstance(correction, dict) else None
        title, topic = question_label(bank, row["question_id"])
        record: dict[str, Any] = {
            "id": row["id"],
            "session_id": row["session_id"],
            "question_id": row["question_id"],
            "title": title,
            "topic": topic,
            "submitted_at": row["submitted_at"],
            "seconds": round(float(row["seconds"] or 0.0), 1),
            "score": row["corrected_score"] if corrected else automatic_score,
            "automatic_score": automatic_score,
            "corrected_score": row["corrected_score"] if corrected else None,
            "original_score": row["score"],
            "grader": row["grader"],
            "regraded_by": row["regrade_grader"] if regraded else None,
            "hints": _load_json(row["hints"], []),
            "skipped": skipped,
            "points": _points(grade, automatic_verdicts),
        }
        if with_answers:
            record["answer"] = row["answer"]
            record["feedback"] = grade.get("feedback", "") if isinstance(grade, dict) else ""
        records.append(record)
    return records
