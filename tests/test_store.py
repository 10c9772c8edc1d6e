"""The attempts store: migrations on a blank database, round trips, corrupt files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from mockinterview.models import Evidence, Grade, PointResult
from mockinterview.store import MIGRATIONS, Store, StoreError


def _grade(score: float = 75.0) -> Grade:
    point = PointResult("p1", "Symmetry", 1.0, "hit", 1.0, [Evidence("same gradients", 4, 18)])
    return Grade("DL0002", "offline", score, [point], feedback="ok")


def test_migrations_run_on_a_blank_database(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "a.sqlite3")
    assert store.schema_version == len(MIGRATIONS)
    store.close()
    again = Store.open(tmp_path / "a.sqlite3")  # re-opening applies nothing twice
    assert again.schema_version == len(MIGRATIONS)


def test_attempt_round_trip_keeps_the_grade(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "a.sqlite3")
    session = store.start_session(["DL0002"], {"count": 1})
    attempt_id = store.record_attempt(
        question_id="DL0002",
        answer="the same gradients",
        grade=_grade(),
        rubric_hash="abc",
        started_at="2026-01-01T00:00:00+00:00",
        seconds=12.5,
        session_id=session,
        hints=["p2"],
    )
    attempt = store.attempt(attempt_id)
    assert attempt is not None
    assert attempt.score == 75.0
    assert attempt.hints == ["p2"]
    assert attempt.grade is not None
    assert attempt.grade.points[0].evidence[0].text == "same gradients"


def test_regrade_keeps_the_original(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "a.sqlite3")
    attempt_id = store.record_attempt(
        question_id="DL0002",
        answer="x",
        grade=_grade(40.0),
        rubric_hash="old",
        started_at="2026-01-01T00:00:00+00:00",
        seconds=1.0,
    )
    store.record_regrade(attempt_id, _grade(90.0), "new")
    attempt = store.attempt(attempt_id)
    assert attempt is not None and attempt.original_score == 40.0
    assert attempt.score == 90.0 and attempt.regraded_by == "offline"
    assert [g.score for _, g in store.regrades(attempt_id)] == [90.0]


def test_draft_upsert_and_resumable_session(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "a.sqlite3")
    session = store.start_session(["DL0001", "DL0002"], {})
    store.save_draft(session, "DL0001", "first", "t0", [])
    store.save_draft(session, "DL0001", "first words", "t0", ["p1"])
    draft = store.draft(session, "DL0001")
    assert draft is not None and draft.text == "first words" and draft.hints == ["p1"]
    resumable = store.resumable_session()
    assert resumable is not None and resumable.id == session
    store.finish_session(session)
    assert store.resumable_session() is None


def test_corrupt_database_is_reported_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    garbage = b"this is not a database" * 100
    path.write_bytes(garbage)
    with pytest.raises(StoreError, match=r"a\.sqlite3"):
        Store.open(path)
    assert path.read_bytes() == garbage


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    Store.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO schema_migrations VALUES (999, 'later')")
    with pytest.raises(StoreError, match="newer"):
        Store.open(path)
