"""The attempts database schema, as numbered migrations.

Each entry is applied once, in order, and recorded in `schema_migrations`; never edit an entry
that has shipped: append a new one. An entry may hold several statements, triggers included
(`Store` splits them with `sqlite3.complete_statement`), and runs in one transaction.
"""

from __future__ import annotations

# Helpers that write migration 2's SQL. They are part of a shipped migration: never edit them;
# a later migration that needs other SQL writes its own.

# What one rubric point of a stored grade becomes in `grade_points`: exactly what the JSON
# queries read before (json_extract of each field), NULL for a point that is not an object.
_V2_POINT_COLUMNS = "p.key, " + ", ".join(
    f"CASE WHEN p.type = 'object' THEN json_extract(p.value, '$.{name}') END"
    for name in ("id", "title", "verdict", "credit")
)


def _v2_points_of(grade: str) -> str:
    """json_each over a grade's points; damaged JSON reads as no points instead of raising."""
    return f"json_each(CASE WHEN json_valid({grade}) THEN {grade} ELSE '{{}}' END, '$.points') p"


def _v2_insert_points(attempt_id: str, regrade_id: str, grade: str) -> str:
    return (
        "INSERT INTO grade_points (attempt_id, regrade_id, position, point_id, title, verdict,"
        f" credit) SELECT {attempt_id}, {regrade_id}, {_V2_POINT_COLUMNS}"
        f" FROM {_v2_points_of(grade)};"
    )


def _v2_set_counts(attempt_id: str) -> str:
    """Copy the attempt's question id and say which of its points count (see `counted`)."""
    return (
        f"question_id = (SELECT question_id FROM attempts WHERE attempts.id = {attempt_id}),"
        f" counted = IFNULL((regrade_id IS (SELECT MAX(id) FROM regrades"
        f" WHERE regrades.attempt_id = {attempt_id})) AND (SELECT skipped = 0 FROM attempts"
        f" WHERE attempts.id = {attempt_id}), 0)"
    )


def _v2_refresh(attempt_id: str) -> str:
    return f"UPDATE grade_points SET {_v2_set_counts(attempt_id)} WHERE attempt_id = {attempt_id};"


# Helpers that write migration 3's SQL (same rule: never edit them once shipped). Migration 3
# adds the candidate's corrected grade beside the automatic one; its points are rows of
# `grade_points` with `corrected = 1`, and they are the ones counted while the correction lasts.


def _v3_insert_points(attempt_id: str, regrade_id: str, grade: str, corrected: int) -> str:
    return (
        "INSERT INTO grade_points (attempt_id, regrade_id, position, point_id, title, verdict,"
        f" credit, corrected) SELECT {attempt_id}, {regrade_id}, {_V2_POINT_COLUMNS}, {corrected}"
        f" FROM {_v2_points_of(grade)};"
    )


def _v3_refresh(attempt_id: str) -> str:
    """Which points count: the correction's when the attempt has one, else those of its
    newest automatic grade (latest re-grade, else its own); none of a skipped attempt."""
    return (
        f"UPDATE grade_points SET"
        f" question_id = (SELECT question_id FROM attempts WHERE attempts.id = {attempt_id}),"
        f" counted = IFNULL((SELECT skipped = 0 FROM attempts WHERE attempts.id = {attempt_id})"
        f" AND CASE WHEN (SELECT corrected_grade IS NOT NULL FROM attempts"
        f" WHERE attempts.id = {attempt_id}) THEN corrected = 1"
        f" ELSE corrected = 0 AND regrade_id IS (SELECT MAX(id) FROM regrades"
        f" WHERE regrades.attempt_id = {attempt_id}) END, 0)"
        f" WHERE attempt_id = {attempt_id};"
    )


MIGRATIONS: list[str] = [
    # 1: the initial schema
    """
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL DEFAULT 'active',      -- active | finished | abandoned
        settings TEXT NOT NULL DEFAULT '{}',        -- JSON: filters, count, grader, time limit
        question_ids TEXT NOT NULL DEFAULT '[]',    -- JSON list, in the order posed
        position INTEGER NOT NULL DEFAULT 0         -- index of the next question to pose
    );
    CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        session_id INTEGER REFERENCES sessions(id),
        question_id TEXT NOT NULL,
        answer TEXT NOT NULL,
        score REAL,                                  -- NULL when skipped
        grade TEXT,                                  -- JSON of models.Grade
        grader TEXT NOT NULL DEFAULT 'offline',
        model TEXT,
        prompt_version TEXT,
        rubric_hash TEXT,
        answer_hash TEXT,
        started_at TEXT NOT NULL,
        submitted_at TEXT NOT NULL,
        seconds REAL NOT NULL DEFAULT 0,
        hints TEXT NOT NULL DEFAULT '[]',            -- JSON list of revealed point ids
        skipped INTEGER NOT NULL DEFAULT 0,
        origin TEXT NOT NULL DEFAULT 'tui'           -- tui | cli
    );
    CREATE INDEX attempts_by_question ON attempts(question_id, submitted_at);
    CREATE INDEX attempts_by_session ON attempts(session_id);
    CREATE INDEX attempts_by_time ON attempts(submitted_at);
    CREATE TABLE drafts (
        session_id INTEGER NOT NULL DEFAULT 0,
        question_id TEXT NOT NULL,
        text TEXT NOT NULL,
        started_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        hints TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (session_id, question_id)
    );
    CREATE TABLE regrades (
        id INTEGER PRIMARY KEY,
        attempt_id INTEGER NOT NULL REFERENCES attempts(id),
        score REAL NOT NULL,
        grade TEXT NOT NULL,
        grader TEXT NOT NULL,
        rubric_hash TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX regrades_by_attempt ON regrades(attempt_id);
    CREATE TABLE llm_cache (
        key TEXT PRIMARY KEY,
        grade TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    """,
    # 2: the rubric points of every grade as rows, kept by triggers, so progress figures are a
    # GROUP BY instead of JSON parsed per attempt; covering indexes for the time-ordered scan
    # and for "the newest graded attempts of each question".
    f"""
    CREATE TABLE grade_points (
        attempt_id INTEGER NOT NULL,
        regrade_id INTEGER,                         -- NULL: the attempt's own grade
        question_id,                                -- the attempt's, copied by the triggers
        position,                                   -- the point's key in the grade's `points`
        point_id,                                   -- untyped columns keep json_extract's
        title,                                      -- values as they are (1 stays 1, not '1')
        verdict,
        credit,
        counted INTEGER NOT NULL DEFAULT 0          -- 1: of the attempt's newest grade (its
                                                    -- latest re-grade, else its own) and the
                                                    -- attempt is not skipped
    );
    CREATE INDEX grade_points_by_attempt ON grade_points(attempt_id, regrade_id);
    CREATE INDEX grade_points_counted
        ON grade_points(counted, question_id, point_id, verdict, title);
    CREATE INDEX attempts_timeline ON attempts(submitted_at, id, question_id, skipped, score);
    CREATE INDEX attempts_graded_by_question ON attempts(question_id, submitted_at, id)
        WHERE skipped = 0 AND grade IS NOT NULL;
    INSERT INTO grade_points (attempt_id, regrade_id, position, point_id, title, verdict, credit)
        SELECT a.id, NULL, {_V2_POINT_COLUMNS} FROM attempts a, {_v2_points_of("a.grade")};
    INSERT INTO grade_points (attempt_id, regrade_id, position, point_id, title, verdict, credit)
        SELECT r.attempt_id, r.id, {_V2_POINT_COLUMNS} FROM regrades r, {_v2_points_of("r.grade")};
    UPDATE grade_points SET {_v2_set_counts("grade_points.attempt_id")};
    CREATE TRIGGER grade_points_attempt_insert AFTER INSERT ON attempts BEGIN
        {_v2_insert_points("NEW.id", "NULL", "NEW.grade")}
        {_v2_refresh("NEW.id")}
    END;
    CREATE TRIGGER grade_points_attempt_update AFTER UPDATE OF grade ON attempts BEGIN
        DELETE FROM grade_points WHERE attempt_id = OLD.id AND regrade_id IS NULL;
        {_v2_insert_points("NEW.id", "NULL", "NEW.grade")}
        {_v2_refresh("NEW.id")}
    END;
    CREATE TRIGGER grade_points_attempt_counts AFTER UPDATE OF question_id, skipped ON attempts
    BEGIN
        {_v2_refresh("NEW.id")}
    END;
    CREATE TRIGGER grade_points_attempt_delete AFTER DELETE ON attempts BEGIN
        DELETE FROM grade_points WHERE attempt_id = OLD.id AND regrade_id IS NULL;
    END;
    CREATE TRIGGER grade_points_regrade_insert AFTER INSERT ON regrades BEGIN
        {_v2_insert_points("NEW.attempt_id", "NEW.id", "NEW.grade")}
        {_v2_refresh("NEW.attempt_id")}
    END;
    CREATE TRIGGER grade_points_regrade_update AFTER UPDATE OF grade, attempt_id ON regrades BEGIN
        DELETE FROM grade_points WHERE regrade_id = OLD.id;
        {_v2_insert_points("NEW.attempt_id", "NEW.id", "NEW.grade")}
        {_v2_refresh("OLD.attempt_id")}
        {_v2_refresh("NEW.attempt_id")}
    END;
    CREATE TRIGGER grade_points_regrade_delete AFTER DELETE ON regrades BEGIN
        DELETE FROM grade_points WHERE regrade_id = OLD.id;
        {_v2_refresh("OLD.attempt_id")}
    END;
    """,
    # 3: the candidate's correction of a grade, kept beside the automatic one: the corrected
    # score and grade (JSON of models.Grade, NULL when not corrected) on the attempt, its points
    # in `grade_points` (`corrected = 1`), counted instead of the automatic ones. The triggers
    # that say what counts are replaced; the timeline index also covers the corrected score.
    f"""
    ALTER TABLE attempts ADD COLUMN corrected_score REAL;
    ALTER TABLE attempts ADD COLUMN corrected_grade TEXT;
    ALTER TABLE grade_points ADD COLUMN corrected INTEGER NOT NULL DEFAULT 0;
    DROP INDEX attempts_timeline;
    CREATE INDEX attempts_timeline
        ON attempts(submitted_at, id, question_id, skipped, score, corrected_score);
    DROP TRIGGER grade_points_attempt_insert;
    DROP TRIGGER grade_points_attempt_update;
    DROP TRIGGER grade_points_attempt_counts;
    DROP TRIGGER grade_points_regrade_insert;
    DROP TRIGGER grade_points_regrade_update;
    DROP TRIGGER grade_points_regrade_delete;
    CREATE TRIGGER grade_points_attempt_insert AFTER INSERT ON attempts BEGIN
        {_v3_insert_points("NEW.id", "NULL", "NEW.grade", 0)}
        {_v3_insert_points("NEW.id", "NULL", "NEW.corrected_grade", 1)}
        {_v3_refresh("NEW.id")}
    END;
    CREATE TRIGGER grade_points_attempt_update AFTER UPDATE OF grade ON attempts BEGIN
        DELETE FROM grade_points
            WHERE attempt_id = OLD.id AND regrade_id IS NULL AND corrected = 0;
        {_v3_insert_points("NEW.id", "NULL", "NEW.grade", 0)}
        {_v3_refresh("NEW.id")}
    END;
    CREATE TRIGGER grade_points_attempt_correction AFTER UPDATE OF corrected_grade ON attempts
    BEGIN
        DELETE FROM grade_points WHERE attempt_id = OLD.id AND corrected = 1;
        {_v3_insert_points("NEW.id", "NULL", "NEW.corrected_grade", 1)}
        {_v3_refresh("NEW.id")}
    END;
    CREATE TRIGGER grade_points_attempt_counts AFTER UPDATE OF question_id, skipped ON attempts
    BEGIN
        {_v3_refresh("NEW.id")}
    END;
    CREATE TRIGGER grade_points_regrade_insert AFTER INSERT ON regrades BEGIN
        {_v3_insert_points("NEW.attempt_id", "NEW.id", "NEW.grade", 0)}
        {_v3_refresh("NEW.attempt_id")}
    END;
    CREATE TRIGGER grade_points_regrade_update AFTER UPDATE OF grade, attempt_id ON regrades BEGIN
        DELETE FROM grade_points WHERE regrade_id = OLD.id;
        {_v3_insert_points("NEW.attempt_id", "NEW.id", "NEW.grade", 0)}
        {_v3_refresh("OLD.attempt_id")}
        {_v3_refresh("NEW.attempt_id")}
    END;
    CREATE TRIGGER grade_points_regrade_delete AFTER DELETE ON regrades BEGIN
        DELETE FROM grade_points WHERE regrade_id = OLD.id;
        {_v3_refresh("OLD.attempt_id")}
    END;
    """,
    # 4: the interviewer's follow-up of an attempt (at most one): the question asked, where it
    # came from (the LLM grader's or written offline), the points it was graded against, the
    # candidate's answer and its grade, or that it was skipped. A follow-up that raised points
    # also rewrote the attempt's grade (the merged one) in the same transaction; the score
    # before it and the points it raised are kept here.
    """
    CREATE TABLE follow_ups (
        attempt_id INTEGER PRIMARY KEY REFERENCES attempts(id) ON DELETE CASCADE,
        question TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT 'offline',     -- offline | llm
        point_ids TEXT NOT NULL DEFAULT '[]',       -- JSON: the open points it was graded on
        status TEXT NOT NULL,                       -- answered | skipped
        answer TEXT NOT NULL DEFAULT '',
        grade TEXT,                                 -- JSON of models.Grade; NULL when skipped
        score_before REAL,                          -- the attempt's score before the merge
        raised TEXT NOT NULL DEFAULT '[]',          -- JSON: the point ids it raised
        seconds REAL NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    );
    """,
    # 5: the answer to a follow-up while it is typed, saved about once a second as drafts are,
    # so a killed app loses none of it: the follow-up asked (its text, source, open points and
    # focus), the answer so far and the seconds spent. Deleted when the follow-up is recorded;
    # one left when its session ended is recorded as skipped, its text kept.
    """
    CREATE TABLE follow_up_drafts (
        attempt_id INTEGER PRIMARY KEY REFERENCES attempts(id) ON DELETE CASCADE,
        question TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT 'offline',     -- offline | llm
        point_ids TEXT NOT NULL DEFAULT '[]',       -- JSON: the open points it is graded on
        focus TEXT,                                 -- offline: the point it asks about
        text TEXT NOT NULL DEFAULT '',
        seconds REAL NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
    );
    """,
]
