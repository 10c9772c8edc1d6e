"""The store under faults: a write lock held elsewhere, a full database, a damaged page, and a
session open in another live process. Each is a StoreError naming the file and SQLite's reason,
never sqlite3's own exception, and nothing already saved is lost."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mockinterview.practice.plan import SessionPlan
from mockinterview.practice.session import InterviewSession
from mockinterview.store import Store, StoreError

SRC = Path(__file__).resolve().parents[1] / "src"


def hold_write_lock(db: Path) -> sqlite3.Connection:
    """A second connection, as another program would hold it: `BEGIN EXCLUSIVE`, not ended."""
    other = sqlite3.connect(str(db), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    return other


def fill_up(store: Store) -> None:
    """The database may not grow by one more page: SQLite's own "database or disk is full"."""
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")


def damage_sessions_page(db: Path) -> None:
    """Garbage over the root page of the `sessions` table, in the middle of the file."""
    store = Store.open(db)
    for _ in range(40):
        store.start_session(["ml-001"] * 20, {"mode": "all", "padding": "x" * 300})
    root = store.conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'sessions'")
    page = root.fetchone()[0]
    size = store.conn.execute("PRAGMA page_size").fetchone()[0]
    store.close()  # checkpoints the WAL into the file
    with db.open("r+b") as file:
        file.seek((page - 1) * size)
        file.write(b"\xde\xad\xbe\xef" * (size // 4))


def test_a_write_under_another_connections_lock_fails_fast_as_busy_and_reads_still_work(
    tmp_path: Path,
) -> None:
    db = tmp_path / "attempts.sqlite3"
    store = Store.open(db, busy_timeout=0.05)
    session_id = store.start_session(["ml-001"], {})
    store.save_draft(session_id, "ml-001", "first words", "t0", [])
    other = hold_write_lock(db)
    try:
        with pytest.raises(StoreError) as caught:
            store.save_draft(session_id, "ml-001", "more words", "t0", [])
        assert caught.value.busy and not caught.value.damaged
        assert caught.value.reason == "database is locked"
        assert str(db) in str(caught.value)
        assert store.draft(session_id, "ml-001").text == "first words"  # WAL: reads go on
    finally:
        other.rollback()
        other.close()
    store.save_draft(session_id, "ml-001", "more words", "t0", [])
    assert store.draft(session_id, "ml-001").text == "more words"


def test_the_busy_timeout_can_be_shortened_for_the_app(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "attempts.sqlite3")
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    store.set_busy_timeout(0.1)
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 100


def test_a_full_database_is_a_store_error_and_keeps_what_it_had(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "attempts.sqlite3")
    session_id = store.start_session(["ml-001"], {})
    store.save_draft(session_id, "ml-001", "kept", "t0", [])
    fill_up(store)
    with pytest.raises(StoreError) as caught:
        for n in range(100):
            store.save_draft(session_id, f"q{n}", "y" * 4000, "t0", [])
    assert caught.value.code == "SQLITE_FULL"
    assert "database or disk is full" in str(caught.value)
    assert store.draft(session_id, "ml-001").text == "kept"


def test_recording_an_attempt_is_all_or_nothing(tmp_path: Path) -> None:
    """A write that fails midway (here moving the session on) leaves no attempt behind and
    the session where it was: recording again later gives one attempt, not two."""
    store = Store.open(tmp_path / "attempts.sqlite3")
    session = InterviewSession.start(store, ["ml-001", "ml-002"], SessionPlan())
    store.save_draft(session.id, "ml-001", "my answer", "t0", [])
    real_advance = store.advance_session

    def refuse(session_id: int, position: int) -> None:
        raise StoreError("attempts.sqlite3: could not save (database or disk is full).")

    store.advance_session = refuse  # type: ignore[method-assign]
    facts = {"started_at": "t0", "seconds": 3.0, "hints": []}
    with pytest.raises(StoreError):
        session.record(answer="my answer", grade=None, rubric_hash=None, **facts)
    assert store.attempts(session_id=session.id) == []
    assert store.draft(session.id, "ml-001").text == "my answer"
    assert session.position == 0 and session.outcomes == []

    store.advance_session = real_advance  # type: ignore[method-assign]
    session.record(answer="my answer", grade=None, rubric_hash=None, **facts)
    assert [a.answer for a in store.attempts(session_id=session.id)] == ["my answer"]
    assert store.session(session.id).position == 1
    assert store.draft(session.id, "ml-001") is None


def test_a_damaged_sessions_page_is_a_store_error_naming_the_file(tmp_path: Path) -> None:
    db = tmp_path / "attempts.sqlite3"
    damage_sessions_page(db)
    store = Store.open(db)  # only the migrations table is read at open
    with pytest.raises(StoreError) as caught:
        store.resumable_session()
    assert caught.value.damaged
    assert str(db) in str(caught.value) and "malformed" in str(caught.value)


def test_a_session_open_in_another_store_is_not_offered_until_that_one_closes(
    tmp_path: Path,
) -> None:
    db = tmp_path / "attempts.sqlite3"
    first = Store.open(db)
    older = first.start_session(["ml-001"], {})
    first.close()  # quit mid-way: resumable by anyone
    running = Store.open(db)
    live = InterviewSession.start(running, ["ml-002"], SessionPlan())
    other = Store.open(db)
    assert running.resumable_session().id == live.id  # its own session: offered to itself
    assert other.session_in_use(live.id)
    assert other.resumable_session().id == older  # the live one is passed by
    assert InterviewSession.resume(other, live.id) is None
    running.close()
    assert other.resumable_session().id == live.id
    assert InterviewSession.resume(other, live.id) is not None


def test_a_finished_session_lets_go_of_its_lock_file(tmp_path: Path) -> None:
    db = tmp_path / "attempts.sqlite3"
    store = Store.open(db)
    session = InterviewSession.start(store, ["ml-001"], SessionPlan())
    lock = tmp_path / "locks" / f"session-{session.id}.lock"
    assert lock.exists()
    session.record(answer="a", grade=None, rubric_hash=None, started_at="t", seconds=1, hints=[])
    assert session.finished and not lock.exists()


HOLDER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, sys.argv[2])
    from mockinterview.store import Store
    store = Store.open(sys.argv[1])
    print("READY", store.start_session(["ml-001", "ml-002"], {"mode": "all"}), flush=True)
    time.sleep(120)
    """
)


def test_a_session_held_by_a_live_process_is_offered_once_that_process_dies(
    tmp_path: Path,
) -> None:
    db = tmp_path / "attempts.sqlite3"
    Store.open(db).close()
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), str(SRC)], stdout=subprocess.PIPE, text=True
    )
    try:
        line = child.stdout.readline()
        assert line.startswith("READY"), line
        held = int(line.split()[1])
        store = Store.open(db)
        assert store.session_in_use(held)
        assert store.resumable_session() is None
        os.kill(child.pid, signal.SIGKILL)  # the kernel drops its lock with it
        child.wait(10)
        assert store.resumable_session().id == held
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
