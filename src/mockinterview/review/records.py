"""Attempts as plain dicts: the JSON of `history --format json` and the rows of every export.

An attempt object: id, session_id, question_id, title, topic, submitted_at, seconds, score,
automatic_score, corrected_score, original_score, grader, regraded_by, hints, skipped, points
[{id, title, verdict, credit, automatic_verdict}], follow_up (null, or {question, status
"answered"|"skipped", source "offline"|"llm", score_before, raised: [point ids]}, with the
follow-up's `answer` when answers are included); with answers also `answer` and `feedback`.
A follow-up that raised points left the merged grade as the attempt's: `score` counts it,
`score_before` is what the answer alone earned.
`score` and `points` are the current grade's (`store.Attempt.score`, `.current_grade`): the
candidate's correction when there is one, else the newest re-grade, else the original.
`automatic_score` is the newest automatic grade's (re-grade or original), `corrected_score` the
correction's (None when not corrected), and each point's `automatic_verdict` what the grader
said; `original_score` is what was shown at the time.

Histories run to 100,000 attempts, so records are streamed (`iter_records`): read from the store
a batch at a time, built straight from the row (only the current grade's JSON is parsed, and
without building a `Grade` when it is sound) and written one by one (`write_json_array`). The
JSON is what `json.dumps(indent=2, ensure_ascii=False)` gives, but for the characters a terminal
would act on (C1 controls, DEL, bidi overrides) and line separators, written as `\\u` escapes:
a script reading it gets the same strings, and a terminal showing it is not driven by them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any, TextIO

from mockinterview.models import Evidence
from mockinterview.review.rows import NOT_IN_BANK, BankLike
from mockinterview.store import attempts
from mockinterview.store.records import grade_from_json, json_or_none
from mockinterview.text.safe import escape_in_json

if TYPE_CHECKING:
    import sqlite3

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


def _label(bank: BankLike | None, question_id: str) -> tuple[str, str]:
    """(title, topic) as stored in the bank: records are data, made safe where written."""
    question = bank.questions.get(question_id) if bank is not None else None
    if question is None:
        return question_id, NOT_IN_BANK
    return question.title, question.topic


def attempt_record(
    attempt: Attempt, bank: BankLike | None, *, with_answers: bool = False
) -> dict[str, Any]:
    """One attempt object (see the module docstring)."""
    grade = attempt.current_grade
    correction = None
    if attempt.corrected is not None and not attempt.skipped:
        correction = attempt.corrected.extra.get("correction")
    automatic = correction.get("automatic") if isinstance(correction, dict) else None
    title, topic = _label(bank, attempt.question_id)
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
    follow_up = attempt.follow_up
    record["follow_up"] = None
    if follow_up is not None:
        record["follow_up"] = {
            "question": follow_up.question,
            "status": follow_up.status,
            "source": follow_up.source,
            "score_before": follow_up.score_before,
            "raised": list(follow_up.raised),
        }
        if with_answers:
            record["follow_up"]["answer"] = follow_up.answer
    if with_answers:
        record["answer"] = attempt.answer
        record["feedback"] = grade.feedback if grade is not None else ""
    return record


def _follow_up(row: sqlite3.Row, with_answers: bool) -> dict[str, Any] | None:
    """The `follow_up` object of a record (see the module docstring), from its row."""
    question = row["follow_up_question"]
    if question is None:
        return None
    raised = json_or_none(row["follow_up_raised"])
    before = row["follow_up_score_before"]
    found: dict[str, Any] = {
        "question": str(question),
        "status": str(row["follow_up_status"] or "skipped"),
        "source": str(row["follow_up_source"] or "offline"),
        "score_before": None if before is None else float(before),
        "raised": [str(r) for r in raised] if isinstance(raised, list) else [],
    }
    if with_answers:
        found["answer"] = str(row["follow_up_answer"] or "")
    return found


_BAD_GRADE = (KeyError, TypeError, ValueError, AttributeError)


def _sound_grade(data: dict[str, Any]) -> tuple[list[tuple[Any, Any, Any, float]], Any, Any]:
    """(points as (id, title, verdict, credit), feedback, extra) of a grade `Grade.from_dict`
    reads without complaint, read as it reads them; raises as it would on anything else."""
    data["question_id"]
    float(data.get("score", 0.0))
    list(data.get("warnings", []))
    extra = dict(data.get("extra", {}))
    points = []
    for p in data.get("points", []):
        pid = p["id"]
        float(p.get("weight", 1.0))
        for e in p.get("evidence", []):
            Evidence(**e)
        points.append((pid, p.get("title", pid), p.get("verdict", "miss"),
                       float(p.get("credit", 0.0))))  # fmt: skip
    return points, data.get("feedback", ""), extra


def _current_grade(
    row: sqlite3.Row,
) -> tuple[list[tuple[Any, Any, Any, float]], Any, dict[str, Any]]:
    """(points, feedback, the correction's automatic verdicts) of the grade that counts: the
    same choice as `Attempt.current_grade` (a correction, else the newest re-grade, else the
    original; unreadable JSON is no grade), parsing only that one."""
    skipped = bool(row["skipped"])
    texts = ("grade",) if skipped else ("corrected_grade", "regrade_grade", "grade")
    for column in texts:
        text = row[column]
        data = json_or_none(text)
        if not isinstance(data, dict):
            continue
        try:
            points, feedback, extra = _sound_grade(data)
        except _BAD_GRADE:  # damaged: read leniently, exactly as the store reads it
            grade = grade_from_json(text)
            assert grade is not None
            points = [(p.id, p.title, p.verdict, p.credit) for p in grade.points]
            feedback, extra = grade.feedback, grade.extra
        automatic: Any = None
        if column == "corrected_grade":
            correction = extra.get("correction")
            automatic = correction.get("automatic") if isinstance(correction, dict) else None
        return points, feedback, automatic if isinstance(automatic, dict) else {}
    return [], "", {}


def record_from_row(
    row: sqlite3.Row, bank: BankLike | None, *, with_answers: bool = False
) -> dict[str, Any]:
    """`attempt_record` of a row of `store.attempts.RECORD_COLUMNS`, without building the
    `Attempt` and its grades: the same dict, read in a third of the time."""
    question_id = row["question_id"]
    title, topic = _label(bank, question_id)
    hints = json_or_none(row["hints"])
    points, feedback, automatic = _current_grade(row)
    record: dict[str, Any] = {
        "id": row["id"],
        "session_id": row["session_id"],
        "question_id": question_id,
        "title": title,
        "topic": topic,
        "submitted_at": row["submitted_at"],
        "seconds": round(float(row["seconds"] or 0.0), 1),
        "score": row["current_score"],
        "automatic_score": row["automatic_score"],
        "corrected_score": row["current_corrected_score"],
        "original_score": row["score"],
        "grader": row["grader"],
        "regraded_by": row["regraded_by"],
        "hints": [str(h) for h in hints] if isinstance(hints, list) else [],
        "skipped": bool(row["skipped"]),
        "points": [
            {
                "id": str(pid),
                "title": str(title),
                "verdict": verdict,
                "credit": float(credit or 0.0),
                "automatic_verdict": automatic.get(str(pid), verdict),
            }
            for pid, title, verdict, credit in points
        ],
    }
    record["follow_up"] = _follow_up(row, with_answers)
    if with_answers:
        record["answer"] = row["answer"]
        record["feedback"] = feedback
    return record


def iter_records(
    store: Store,
    bank: BankLike | None,
    *,
    question_id: str | None = None,
    limit: int | None = None,
    newest_first: bool = True,
    with_answers: bool = False,
) -> Iterator[dict[str, Any]]:
    """Attempt objects in time order, streamed from the store; questions gone from the bank
    keep their id as title."""
    for row in attempts.iter_record_rows(
        store,
        question_id=question_id,
        limit=limit,
        newest_first=newest_first,
        with_answers=with_answers,
    ):
        yield record_from_row(row, bank, with_answers=with_answers)


def attempt_records(
    store: Store,
    bank: BankLike | None,
    *,
    question_id: str | None = None,
    limit: int | None = None,
    newest_first: bool = True,
    with_answers: bool = False,
) -> list[dict[str, Any]]:
    """`iter_records` as a list, for the few that want them all at once."""
    return list(
        iter_records(
            store,
            bank,
            question_id=question_id,
            limit=limit,
            newest_first=newest_first,
            with_answers=with_answers,
        )
    )


# --- JSON, written as it is read ---------------------------------------------------------------

_INFINITY = float("inf")


def _string(text: str) -> str:
    encoded: str = encode_basestring(text)
    return escape_in_json(encoded)


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def _key(key: object) -> str:
    """A dict key as `json.dumps` writes it (a number, a bool or None becomes a string)."""
    if isinstance(key, str):
        return _string(key)
    if key is None or isinstance(key, int | float):
        return _string(json.dumps(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def json_text(value: Any, indent: str = "") -> str:
    """`value` as `json.dumps(value, indent=2, ensure_ascii=False)` writes it when it starts
    at the depth of `indent`, terminal-unsafe characters escaped. json's own indenting encoder
    is pure Python on 3.11; this one, written for plain records, takes half its time."""
    if isinstance(value, str):
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{_key(k)}: {json_text(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + json_text(v, inner) for v in value) + "\n" + indent + "]"
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def write_json_array(items: Iterable[Any], out: TextIO, indent: str = "") -> None:
    """A JSON array of `items` written item by item, as `json_text` would write the list."""
    inner = indent + "  "
    separator = "[\n"
    for item in items:
        out.write(separator + inner + json_text(item, inner))
        separator = ",\n"
    out.write("[]" if separator == "[\n" else "\n" + indent + "]")
