"""Queries that return attempts, and the small facts about them screens ask for.

Every query that returns a score uses `CURRENT_SCORE`, the one place the rule is written: the
score that counts is the candidate's correction, else the newest re-grade's, else the one given
at the time; a skipped attempt has none.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from mockinterview.store.records import (
    Attempt,
    AttemptSummary,
    FollowUpRecord,
    attempt_from_row,
    follow_up_from_row,
    summary_from_row,
)

if TYPE_CHECKING:
    from mockinterview.store import Store

# The newest re-grade of each attempt `a`, if any, joined beside it as `r`.
LATEST_REGRADE_JOIN = (
    "LEFT JOIN regrades r ON r.id = (SELECT MAX(id) FROM regrades WHERE regrades.attempt_id = a.id)"
)
# The follow-up of each attempt `a`, if any, joined beside it as `f` (one at most per attempt).
FOLLOW_UP_JOIN = "LEFT JOIN follow_ups f ON f.attempt_id = a.id"
# What `records.follow_up_from_row` reads.
FOLLOW_UP_COLUMNS = (
    "f.question AS follow_up_question, f.status AS follow_up_status,"
    " f.source AS follow_up_source, f.point_ids AS follow_up_point_ids,"
    " f.answer AS follow_up_answer, f.grade AS follow_up_grade,"
    " f.score_before AS follow_up_score_before, f.raised AS follow_up_raised,"
    " f.seconds AS follow_up_seconds"
)
# The current score of attempt `a` whose newest re-grade is `r` (see the module docstring).
CURRENT_SCORE = (
    "CASE WHEN a.skipped THEN NULL ELSE COALESCE(a.corrected_score, r.score, a.score) END"
)
# The newest automatic grade's score: the current one but for the candidate's correction.
AUTOMATIC_SCORE = "CASE WHEN a.skipped THEN NULL ELSE COALESCE(r.score, a.score) END"

# What `records.summary_from_row` reads: no answer, no grade JSON.
SUMMARY_COLUMNS = (
    "a.id, a.session_id, a.question_id, a.submitted_at, a.seconds, a.score, a.grader,"
    f" a.skipped, a.rubric_hash, {CURRENT_SCORE} AS current_score,"
    " CASE WHEN a.skipped THEN NULL ELSE a.corrected_score END AS current_corrected_score,"
    " CASE WHEN a.skipped THEN NULL ELSE r.grader END AS regraded_by,"
    " CASE WHEN json_valid(a.hints) THEN json_array_length(a.hints) ELSE 0 END AS hint_count"
)
# What `records.attempt_from_row` reads: the summary, the answer and every grade.
ATTEMPT_COLUMNS = (
    f"{SUMMARY_COLUMNS}, a.answer, a.started_at, a.model, a.hints, a.grade, a.corrected_grade,"
    f" {AUTOMATIC_SCORE} AS automatic_score, r.grade AS regrade_grade, {FOLLOW_UP_COLUMNS}"
)
# What `review.records.record_from_row` reads for history and exports: the summary, the hints
# and the grades as JSON text (only the current one is parsed there), with or without the answer;
# the follow-up's question, status, answer and raised points (its grade is not read there).
RECORD_COLUMNS = (
    f"{SUMMARY_COLUMNS}, a.hints, a.grade, a.corrected_grade,"
    f" {AUTOMATIC_SCORE} AS automatic_score, r.grade AS regrade_grade,"
    " f.question AS follow_up_question, f.status AS follow_up_status,"
    " f.source AS follow_up_source, f.score_before AS follow_up_score_before,"
    " f.raised AS follow_up_raised"
)
RECORD_COLUMNS_WITH_ANSWER = f"{RECORD_COLUMNS}, a.answer, f.answer AS follow_up_answer"
# Rows fetched at a time by the streaming queries: a few hundred kilobytes at most.
BATCH = 500


def _in_time_order(
    columns: str,
    *,
    question_id: str | None = None,
    session_id: int | None = None,
    limit: int | None = None,
    newest_first: bool = True,
) -> tuple[str, list[object]]:
    """SELECT `columns` of the attempts (with their newest re-grades), filtered, in time order
    (ties by id), at most `limit` of them."""
    sql = f"SELECT {columns} FROM attempts a {LATEST_REGRADE_JOIN}"
    if "follow_up_" in columns:  # only the queries that read the follow-up join it
        sql += f" {FOLLOW_UP_JOIN}"
    where: list[str] = []
    params: list[object] = []
    if question_id:
        where.append("a.question_id = ?")
        params.append(question_id)
    if session_id is not None:
        where.append("a.session_id = ?")
        params.append(session_id)
    if where:
        sql += " WHERE " + " AND ".join(where)
    direction = "DESC" if newest_first else "ASC"
    sql += f" ORDER BY a.submitted_at {direction}, a.id {direction}"
    if limit and limit > 0:
        sql += " LIMIT ?"
        params.append(limit)
    return sql, params


def attempt_summaries(
    store: Store,
    *,
    question_id: str | None = None,
    limit: int | None = None,
    newest_first: bool = True,
) -> list[AttemptSummary]:
    """Attempts as a table lists them, in time order, in one query with no JSON parsed."""
    sql, params = _in_time_order(
        SUMMARY_COLUMNS, question_id=question_id, limit=limit, newest_first=newest_first
    )
    return [summary_from_row(row) for row in store.conn.execute(sql, params)]


def attempts(
    store: Store,
    *,
    question_id: str | None = None,
    session_id: int | None = None,
    limit: int | None = None,
    newest_first: bool = True,
) -> list[Attempt]:
    """Attempts with their answers and grades, in time order."""
    return list(
        iter_attempts(
            store,
            question_id=question_id,
            session_id=session_id,
            limit=limit,
            newest_first=newest_first,
        )
    )


def _stream(store: Store, sql: str, params: Sequence[object], batch: int) -> Iterator[sqlite3.Row]:
    """The rows of `sql`, `batch` at a time: memory stays flat however many attempts there
    are. The cursor is closed when the caller stops early; a read that fails (a damaged page)
    raises StoreError naming the file, as every other read does."""
    try:
        cursor = store.conn.execute(sql, params)
        try:
            while rows := cursor.fetchmany(batch):
                yield from rows
        finally:
            cursor.close()
    except sqlite3.DatabaseError as exc:
        from mockinterview.store import StoreError

        where = store.path or ":memory:"
        raise StoreError(f"{where}: could not read the attempts database ({exc}).") from exc


def iter_attempts(
    store: Store,
    *,
    question_id: str | None = None,
    session_id: int | None = None,
    limit: int | None = None,
    newest_first: bool = True,
    batch: int = BATCH,
) -> Iterator[Attempt]:
    """`attempts`, one at a time as read: for walking a history too big to hold at once."""
    sql, params = _in_time_order(
        ATTEMPT_COLUMNS,
        question_id=question_id,
        session_id=session_id,
        limit=limit,
        newest_first=newest_first,
    )
    for row in _stream(store, sql, params, batch):
        yield attempt_from_row(row)


def iter_record_rows(
    store: Store,
    *,
    question_id: str | None = None,
    limit: int | None = None,
    newest_first: bool = True,
    with_answers: bool = False,
    batch: int = BATCH,
) -> Iterator[sqlite3.Row]:
    """Rows of RECORD_COLUMNS (and the answer, `with_answers`) in time order, streamed: what
    `history --format json` and the exports read, with no grade parsed here."""
    columns = RECORD_COLUMNS_WITH_ANSWER if with_answers else RECORD_COLUMNS
    sql, params = _in_time_order(
        columns, question_id=question_id, limit=limit, newest_first=newest_first
    )
    return _stream(store, sql, params, batch)


def attempt(store: Store, attempt_id: int) -> Attempt | None:
    row = store.conn.execute(
        f"SELECT {ATTEMPT_COLUMNS} FROM attempts a {LATEST_REGRADE_JOIN} {FOLLOW_UP_JOIN}"
        " WHERE a.id = ?",
        (attempt_id,),
    ).fetchone()
    return attempt_from_row(row) if row else None


def follow_up(store: Store, attempt_id: int) -> FollowUpRecord | None:
    row = store.conn.execute(
        f"SELECT {FOLLOW_UP_COLUMNS} FROM attempts a {FOLLOW_UP_JOIN} WHERE a.id = ?",
        (attempt_id,),
    ).fetchone()
    return follow_up_from_row(row) if row else None


def attempt_count(store: Store) -> int:
    return int(store.conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0])


def last_attempt_times(store: Store) -> dict[str, str]:
    """question id -> ISO time of its newest attempt (a skip included)."""
    rows = store.conn.execute(
        "SELECT question_id, MAX(submitted_at) FROM attempts GROUP BY question_id"
    )
    return {row[0]: row[1] for row in rows}


def answered_question_ids(store: Store) -> set[str]:
    """Ids of the questions answered at least once; a skip is not an answer."""
    rows = store.conn.execute("SELECT DISTINCT question_id FROM attempts WHERE skipped = 0")
    return {row[0] for row in rows}


def graded_rubric_hashes(store: Store) -> list[tuple[int, str, str | None]]:
    """(attempt id, question id, hash of the rubric behind its newest automatic grade) of every
    graded attempt not skipped, by id."""
    rows = store.conn.execute(
        "SELECT a.id, a.question_id, COALESCE(r.rubric_hash, a.rubric_hash)"
        f" FROM attempts a {LATEST_REGRADE_JOIN}"
        " WHERE a.skipped = 0 AND a.grade IS NOT NULL ORDER BY a.id"
    )
    return [(row[0], row[1], row[2]) for row in rows]


# The columns of one attempt given to `insert_finished_sessions`, in this order.
HISTORY_COLUMNS = (
    "question_id", "answer", "score", "grade", "grader", "rubric_hash", "answer_hash",
    "started_at", "submitted_at", "seconds", "skipped",
)  # fmt: skip


def insert_finished_sessions(
    store: Store, sessions: Sequence[tuple[str, Sequence[tuple[object, ...]]]]
) -> None:
    """Finished sessions (start time, attempts as HISTORY_COLUMNS tuples) in one transaction:
    how synthetic histories for benchmarks and demos are written quickly."""
    columns = ", ".join(("session_id", *HISTORY_COLUMNS))
    marks = ", ".join("?" * (len(HISTORY_COLUMNS) + 1))
    with store.conn:
        for started_at, rows in sessions:
            cursor = store.conn.execute(
                "INSERT INTO sessions (started_at, status) VALUES (?, 'finished')", (started_at,)
            )
            store.conn.executemany(
                f"INSERT INTO attempts ({columns}) VALUES ({marks})",
                [(cursor.lastrowid, *row) for row in rows],
            )
