"""Queries behind the progress figures: the timeline scan, totals, practice days, the rubric
points missed most often, and the recent credits of each point for the review queue.

They read covering indexes and `grade_points` (the rubric points of every grade as rows, kept
by triggers: see `schema`), never grade JSON, so 10,000 attempts cost milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mockinterview.store.attempts import CURRENT_SCORE, LATEST_REGRADE_JOIN

if TYPE_CHECKING:
    from mockinterview.store import Store

# One attempt as the progress figures need it: (question_id, submitted_at, skipped, score).
# `skipped` is SQL's `skipped = 1` (the review queue's skip); `score` is CURRENT_SCORE (None
# when skipped). Plain tuples: cheapest.
TimelineRow = tuple[str, str, int, Any]

# (question id, point id, title, misses, partials, seen): one rubric point's verdicts.
PointMisses = tuple[str, Any, str | None, int, int, int]

# (question id, point id, title, submitted_at, credit): one point of one recent grade.
PointCredit = tuple[str, Any, str | None, str, Any]


def timeline(store: Store) -> list[TimelineRow]:
    """Every attempt, oldest first (submitted_at, id), with its current score, in one scan.

    Shared by the per-question and per-topic trends and the review queue, so the progress
    screen reads the attempts once. The scan reads the `attempts_timeline` covering index (the
    planner would rather walk `attempts_by_time` and fetch each row); the newest re-grades come
    from a small materialised table instead of a correlated subquery per attempt.
    """
    cursor = store.conn.cursor()
    cursor.row_factory = None  # plain tuples: sqlite3.Row costs more than the query itself
    return cursor.execute(
        "WITH r AS MATERIALIZED (SELECT attempt_id, score FROM regrades"
        " WHERE id IN (SELECT MAX(id) FROM regrades GROUP BY attempt_id))"
        f" SELECT a.question_id, a.submitted_at, a.skipped = 1, {CURRENT_SCORE}"
        " FROM attempts a INDEXED BY attempts_timeline"
        " LEFT JOIN r ON r.attempt_id = a.id ORDER BY a.submitted_at, a.id"
    ).fetchall()


def attempts_per_question(store: Store) -> list[tuple[str, int]]:
    """(question id, attempts, skips included), by question id."""
    rows = store.conn.execute("SELECT question_id, COUNT(*) FROM attempts GROUP BY question_id")
    return [(row[0], row[1]) for row in rows]


@dataclass(slots=True)
class AttemptTotals:
    attempts: int
    skipped: int
    graded: int  # attempts with a current score
    average: float | None  # of the current scores
    questions: int
    sessions: int
    seconds: float


def attempt_totals(store: Store) -> AttemptTotals:
    row = store.conn.execute(
        f"SELECT COUNT(*) AS n, SUM(a.skipped) AS skipped, COUNT({CURRENT_SCORE}) AS graded,"
        f" AVG({CURRENT_SCORE}) AS average, COUNT(DISTINCT a.question_id) AS questions,"
        " COUNT(DISTINCT a.session_id) AS sessions, SUM(a.seconds) AS seconds"
        f" FROM attempts a {LATEST_REGRADE_JOIN}"
    ).fetchone()
    return AttemptTotals(
        attempts=row["n"],
        skipped=int(row["skipped"] or 0),
        graded=row["graded"],
        average=row["average"],
        questions=row["questions"],
        sessions=row["sessions"],
        seconds=float(row["seconds"] or 0.0),
    )


def practice_days(store: Store) -> list[str]:
    """The distinct days (the first ten characters of submitted_at) with an attempt, in order."""
    rows = store.conn.execute(
        "SELECT DISTINCT substr(submitted_at, 1, 10) FROM attempts ORDER BY 1"
    )
    return [row[0] for row in rows]


def most_missed_point_counts(store: Store, limit: int) -> list[PointMisses]:
    """The rubric points missed (or half-covered) most often in the current grades, worst
    first: the `grade_points` rows marked `counted`, read from one covering index."""
    cursor = store.conn.cursor()
    cursor.row_factory = None
    return cursor.execute(
        "SELECT question_id AS qid, point_id AS pid, MAX(title) AS title,"
        " SUM(verdict = 'miss') AS misses, SUM(verdict = 'partial') AS partials,"
        " COUNT(*) AS seen FROM grade_points WHERE counted = 1"
        " GROUP BY qid, pid HAVING misses + partials > 0"
        " ORDER BY misses + 0.5 * partials DESC, seen ASC, qid, pid LIMIT ?",
        (max(1, limit),),
    ).fetchall()


def recent_point_credits(store: Store, per_question: int) -> list[PointCredit]:
    """The points of the current grades of each question's newest `per_question` graded
    attempts, by question, point, then time.

    A few index entries per question from the partial index `attempts_graded_by_question`,
    then their points from `grade_points`: no grade JSON parsed. CROSS JOIN fixes the join
    order (the planner would rather walk every counted point).
    """
    cursor = store.conn.cursor()
    cursor.row_factory = None
    return cursor.execute(
        "SELECT a.question_id AS qid, gp.point_id AS pid, gp.title, a.submitted_at, gp.credit"
        " FROM (SELECT DISTINCT question_id FROM attempts) q"
        " CROSS JOIN attempts a ON a.id IN (SELECT id FROM attempts"
        " WHERE question_id = q.question_id AND skipped = 0 AND grade IS NOT NULL"
        " ORDER BY submitted_at DESC, id DESC LIMIT ?)"
        " CROSS JOIN grade_points gp ON gp.attempt_id = a.id AND gp.counted = 1"
        " ORDER BY qid, pid, a.submitted_at, a.id, gp.position",
        (per_question,),
    ).fetchall()
