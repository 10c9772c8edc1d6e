"""The attempts database schema, as numbered migrations.

Each entry is applied once, in order, and recorded in `schema_migrations`; never edit an entry
that has shipped: append a new one.
"""

from __future__ import annotations

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
]
