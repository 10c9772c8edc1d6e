"""The app under store faults: a write lock held by another program, a full database, a damaged
page, and a second app on the same data dir. A refused write is said in place and retried in
the background while typing goes on; a store that cannot be read ends the app with a message
and exit code 1; nothing typed is ever lost, and no traceback is ever shown."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from textual.widgets import TextArea

from mockinterview.practice.plan import SessionPlan
from mockinterview.store import Store
from mockinterview.tui.screens.question import QuestionScreen
from mockinterview.tui.screens.result import ResultScreen
from mockinterview.tui.screens.start import StartScreen
from test_store_faults import damage_sessions_page, fill_up, hold_write_lock
from tui_helpers import build_app, text_of, wait_for_screen, wait_until, workers_done

SIZE = (100, 30)


def notices(app: object, words: str) -> list[str]:
    return [n.message for n in app._notifications if words in n.message]  # type: ignore[attr-defined]


def fill_to_the_brim(store: Store) -> None:
    """No room left at all: every table's pages are full to the last byte, and the database
    may not grow, so even the smallest new row fails with "database or disk is full"."""
    fill_up(store)
    sql = {
        "sessions": "INSERT INTO sessions (started_at, status, settings)"
        " VALUES ('t', 'finished', json_object('padding', ?))",
        "drafts": "INSERT INTO drafts (session_id, question_id, text, started_at, updated_at)"
        " VALUES (0, hex(randomblob(8)), ?, 't', 't')",
    }
    for statement in sql.values():
        for size in (3000, 300, 30, 1):
            try:
                for _ in range(500):
                    with store.conn:
                        store.conn.execute(statement, ("z" * size,))
            except sqlite3.OperationalError as exc:
                assert "full" in str(exc)


async def test_autosave_under_a_held_lock_is_said_once_retried_and_saved_when_it_clears(
    tmp_path: Path,
) -> None:
    db = tmp_path / "attempts.sqlite3"
    store = Store.open(db)
    app = build_app(store, plan=SessionPlan(mode="all"), autosave_seconds=0.2)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, QuestionScreen)
        session_id = app.session.id
        other = hold_write_lock(db)
        try:
            await pilot.press(*"models underfit")
            await wait_until(pilot, lambda: notices(app, "Could not save"), "the refusal notice")
            [notice] = notices(app, "Could not save")
            assert notice.startswith(f"Could not save your draft to {db}: database is locked;")
            assert "retrying" in notice
            await pilot.press(*" and overfit")  # typing goes on while the lock is held
            await wait_until(pilot, lambda: app.saves._tries >= 3, "a few retries")
            assert len(notices(app, "Could not save")) == 1  # said once, not every retry
            editor = app.screen.query_one("#answer", TextArea)
            assert editor.text == "models underfit and overfit"
            assert store.draft(session_id, "ml-001") is None  # nothing got through meanwhile
        finally:
            other.rollback()
            other.close()

        def saved() -> bool:
            draft = store.draft(session_id, "ml-001")
            return draft is not None and draft.text == "models underfit and overfit"

        await wait_until(pilot, saved, "the draft saved once the lock cleared")
        await wait_until(pilot, lambda: notices(app, "Saved your draft"), "the saved notice")


async def test_an_attempt_refused_by_a_held_lock_is_recorded_once_the_lock_clears(
    tmp_path: Path,
) -> None:
    db = tmp_path / "attempts.sqlite3"
    store = Store.open(db)
    app = build_app(store, plan=SessionPlan(mode="all"), autosave_seconds=30)
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_for_screen(pilot, QuestionScreen)
        screen.query_one("#answer", TextArea).text = "models underfit"
        other = hold_write_lock(db)
        try:
            await pilot.press("ctrl+s")
            await workers_done(pilot)
            assert app.screen is screen  # waiting, the answer on screen and read-only
            assert screen.query_one("#answer", TextArea).read_only
            assert "Saving" in text_of(app, "#grading-status")
            [notice] = notices(app, "Could not save your attempt")
            assert str(db) in notice and "database is locked" in notice
        finally:
            other.rollback()
            other.close()
        await wait_for_screen(pilot, ResultScreen)
    attempts = store.attempts(session_id=app.session.id)
    assert [(a.question_id, a.answer) for a in attempts] == [("ml-001", "models underfit")]
    assert store.session(app.session.id).position == 1


async def test_a_full_database_at_start_says_so_on_the_start_screen(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "attempts.sqlite3")
    fill_to_the_brim(store)
    app = build_app(store, plan=SessionPlan(mode="all"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, StartScreen)
        [notice] = notices(app, "Could not start the session")
        assert "database or disk is full" in notice and str(store.path) in notice
    assert app.return_code in (None, 0)
    assert [s for s in store.sessions() if s.status == "active"] == []


async def test_a_draft_the_full_disk_refuses_is_kept_in_a_file_at_quit(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "attempts.sqlite3")
    app = build_app(store, plan=SessionPlan(mode="all"), autosave_seconds=0.2)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, QuestionScreen)
        fill_to_the_brim(store)
        await pilot.press(*"precious words")
        await wait_until(pilot, lambda: notices(app, "Could not save your draft"), "the notice")
        assert "database or disk is full" in notices(app, "Could not save your draft")[0]
        await pilot.press("ctrl+q")
        await pilot.press("y")  # quit: the session is kept
    assert app.return_code == 1
    [kept] = (tmp_path / "unsaved").iterdir()
    assert kept.read_text(encoding="utf-8") == "precious words"


async def test_a_damaged_sessions_page_at_start_ends_the_app_with_exit_code_1(
    tmp_path: Path,
) -> None:
    db = tmp_path / "attempts.sqlite3"
    damage_sessions_page(db)
    before = db.read_bytes()
    app = build_app(Store.open(db))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app._exit, "the app to exit")
    assert app.return_code == 1  # and no exception re-raised by run_test: no traceback
    assert db.read_bytes() == before  # nothing written to the damaged file


async def test_a_second_app_does_not_offer_the_first_ones_live_session(tmp_path: Path) -> None:
    db = tmp_path / "attempts.sqlite3"
    first_store = Store.open(db)
    first = build_app(first_store, plan=SessionPlan(mode="all"))
    async with first.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, QuestionScreen)
        live = first.session.id
        second = build_app(Store.open(db))
        async with second.run_test(size=SIZE) as other:
            await wait_for_screen(other, StartScreen)
            assert second.resumable() is None
            assert not second.screen.query("#resume-text")
            second.resume_session(live)  # asked anyway (a stale button): refused, said why
            await other.pause()
            assert second.session is None
            assert notices(second, "open in another mockinterview window")
    first_store.close()  # the first app's process ends
    third = build_app(Store.open(db))
    async with third.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, StartScreen)
        assert third.resumable().id == live
        assert "question 1 of 3" in text_of(third, "#resume-text")


def test_the_held_lock_helper_really_blocks_writers(tmp_path: Path) -> None:
    """The fault the tests above rely on: another connection's write fails while it is held."""
    db = tmp_path / "attempts.sqlite3"
    Store.open(db).close()
    other = hold_write_lock(db)
    try:
        writer = sqlite3.connect(str(db), timeout=0)
        try:
            writer.execute("INSERT INTO llm_cache VALUES ('k', '{}', 't')")
            raise AssertionError("the write went through")
        except sqlite3.OperationalError as exc:
            assert "locked" in str(exc)
        finally:
            writer.close()
    finally:
        other.rollback()
        other.close()
