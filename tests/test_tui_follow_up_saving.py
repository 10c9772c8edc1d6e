"""A follow-up answer is never lost: it is autosaved while typed (a resumed session opens the
follow-up again with it; one whose session is over is kept as skipped, its text with the
attempt), its recording is retried while the store refuses it (kept in unsaved/ at exit if it
never gets in), and `practice` asks follow-ups as the start form's switch was last left."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from textual.widgets import TextArea

from mockinterview.cli import main
from mockinterview.cli.practice import _follow_ups
from mockinterview.models import Grade, PointResult
from mockinterview.practice.plan import SessionPlan
from mockinterview.store import FollowUpDraft, Store
from mockinterview.tui.screens.attempt import AttemptScreen
from mockinterview.tui.screens.follow_up import FollowUpScreen
from mockinterview.tui.screens.question import QuestionScreen
from mockinterview.tui.screens.result import ResultScreen
from mockinterview.tui.screens.start import StartScreen
from mockinterview.tui.settings import AppSettings, write_form
from mockinterview.tui.widgets.grade_view import GradeView
from test_store_faults import hold_write_lock
from tui_helpers import build_app, text_of, wait_for_screen, wait_until, workers_done

SIZE = (100, 34)
SHARDING = SessionPlan(mode="topic", topic="systems")  # one question: sys-001 (p1 key, p2 writes)


def notices(app: object, words: str) -> list[str]:
    return [n.message for n in app._notifications if words in n.message]  # type: ignore[attr-defined]


async def answer_first(pilot, text: str) -> FollowUpScreen:
    await wait_for_screen(pilot, QuestionScreen)
    pilot.app.screen.query_one("#answer", TextArea).text = text
    await pilot.press("ctrl+s")
    await workers_done(pilot)
    return await wait_for_screen(pilot, FollowUpScreen)


def _session_at_a_follow_up(store: Store, *, finished: bool = False) -> tuple[int, int]:
    """What a killed app leaves: the first answer recorded (p1 hit, p2 missed), its follow-up
    half answered in the drafts; the session still active, or over when `finished`."""
    ids = ["sys-001"] if finished else ["sys-001", "ml-002"]
    session_id = store.start_session(ids, SessionPlan(mode="all").to_settings())
    grade = Grade(
        "sys-001",
        "fake",
        50.0,
        [
            PointResult("p1", "Split by key", 1.0, "hit", 1.0),
            PointResult("p2", "Scales writes", 1.0, "miss", 0.0),
        ],
    )
    attempt_id = store.record_attempt(
        question_id="sys-001",
        answer="Sharding splits rows by a key.",
        grade=grade,
        rubric_hash=None,
        started_at="2026-11-23T18:00:00+00:00",
        seconds=30.0,
        session_id=session_id,
    )
    store.advance_session(session_id, 1)
    if finished:
        store.finish_session(session_id)
    store.save_follow_up_draft(
        FollowUpDraft(attempt_id, "You didn't mention scales writes?", "offline", ["p2"], "p2",
                      "it spreads the wri", 12.0)
    )  # fmt: skip
    return session_id, attempt_id


# --- autosave and resume -----------------------------------------------------------------------


async def test_a_follow_up_answer_reaches_the_database_while_it_is_typed(tmp_path: Path) -> None:
    db = tmp_path / "attempts.sqlite3"
    store = Store.open(db)
    reader = Store.open(db)  # another connection: what a killed app leaves behind
    app = build_app(store, plan=SHARDING, follow_ups=True, autosave_seconds=0.2)
    async with app.run_test(size=SIZE) as pilot:
        screen = await answer_first(pilot, "Sharding splits rows across machines by a key.")
        attempt_id = screen.attempt_id
        await pilot.press(*"it spreads writes")

        def saved() -> bool:
            draft = reader.follow_up_draft(attempt_id)
            return draft is not None and draft.text == "it spreads writes"

        await wait_until(pilot, saved, "the follow-up draft autosaved")
        draft = reader.follow_up_draft(attempt_id)
        assert draft is not None
        assert draft.question == screen.follow_up.question and draft.point_ids == ["p2"]
        await pilot.press("ctrl+s")
        await workers_done(pilot)
        await wait_for_screen(pilot, ResultScreen)
    assert reader.follow_up_draft(attempt_id) is None  # recorded: the draft is gone with it
    follow_up = reader.follow_up(attempt_id)
    assert follow_up is not None and follow_up.answer == "it spreads writes"


async def test_a_resumed_session_opens_the_follow_up_again_with_the_answer_typed(
    tmp_path: Path,
) -> None:
    store = Store.open(tmp_path / "attempts.sqlite3")
    session_id, attempt_id = _session_at_a_follow_up(store)
    app = build_app(store, follow_ups=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, StartScreen)
        assert app.resumable().id == session_id
        app.resume_session(session_id)
        screen = await wait_for_screen(pilot, FollowUpScreen)
        assert screen.attempt_id == attempt_id
        assert screen.query_one("#follow-up-answer", TextArea).text == "it spreads the wri"
        assert text_of(app, "#follow-up-question") == "You didn't mention scales writes?"
        assert text_of(app, "#follow-up-status") == "4 words"
        await pilot.press(*"tes out")
        await pilot.press("ctrl+s")
        await workers_done(pilot)
        result = await wait_for_screen(pilot, ResultScreen)
        assert result.query_one(GradeView).grade.score > 50.0  # p2 raised by "writes"
        await pilot.press("enter")
        await wait_for_screen(pilot, QuestionScreen)  # then the session's next question
        assert app.screen.question.id == "ml-002"
    follow_up = store.follow_up(attempt_id)
    assert follow_up is not None and follow_up.status == "answered"
    assert follow_up.answer == "it spreads the writes out" and follow_up.raised == ["p2"]
    assert follow_up.seconds == 12.0  # the time spent before the app stopped counts
    assert store.follow_up_draft(attempt_id) is None


async def test_a_follow_up_left_when_its_session_ended_is_kept_as_skipped_with_its_text(
    tmp_path: Path,
) -> None:
    store = Store.open(tmp_path / "attempts.sqlite3")
    _, attempt_id = _session_at_a_follow_up(store, finished=True)  # the last question's
    app = build_app(store, follow_ups=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, StartScreen)
        assert app.resumable() is None  # nothing to resume: the session was over
        attempt = store.attempt(attempt_id)
        assert attempt is not None and attempt.follow_up is not None
        assert attempt.follow_up.skipped and attempt.follow_up.answer == "it spreads the wri"
        assert attempt.score == 50.0  # the grade stays as it was
        await app.push_screen(AttemptScreen(store, app.bank, attempt))  # opened from review
        review = await wait_for_screen(pilot, AttemptScreen)
        assert "it spreads the wri" in text_of(app, "#follow-up-reply")
        assert review.query_one("#follow-up-result")
    assert store.follow_up_draft(attempt_id) is None


# --- a follow-up the store refuses ---------------------------------------------------------------


async def test_a_follow_up_refused_by_a_held_lock_is_recorded_once_the_lock_clears(
    tmp_path: Path,
) -> None:
    db = tmp_path / "attempts.sqlite3"
    store = Store.open(db)
    app = build_app(store, plan=SHARDING, follow_ups=True, autosave_seconds=30)
    async with app.run_test(size=SIZE) as pilot:
        screen = await answer_first(pilot, "Sharding splits rows across machines by a key.")
        attempt_id = screen.attempt_id
        screen.query_one("#follow-up-answer", TextArea).text = "It spreads the writes out."
        other = hold_write_lock(db)
        try:
            await pilot.press("ctrl+s")
            await workers_done(pilot)
            result = await wait_for_screen(pilot, ResultScreen)  # shown as it will be stored
            assert result.query_one(GradeView).grade.score > 50.0
            [notice] = notices(app, "Could not save your follow-up")
            assert str(db) in notice and "database is locked" in notice
            await wait_until(pilot, lambda: app.saves._tries >= 2, "a retry or two")
            assert store.follow_up(attempt_id) is None  # nothing got through meanwhile
        finally:
            other.rollback()
            other.close()
        await wait_until(pilot, lambda: store.follow_up(attempt_id) is not None, "the retry")
        await wait_until(pilot, lambda: notices(app, "Saved your follow-up"), "the notice")
    follow_up = store.follow_up(attempt_id)
    assert follow_up is not None and follow_up.answer == "It spreads the writes out."
    attempt = store.attempt(attempt_id)
    assert attempt is not None and attempt.score is not None and attempt.score > 50.0


async def test_a_follow_up_the_store_never_takes_is_kept_in_a_file_at_exit(tmp_path: Path) -> None:
    db = tmp_path / "attempts.sqlite3"
    store = Store.open(db)
    app = build_app(store, plan=SHARDING, follow_ups=True, autosave_seconds=30)
    other = None
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await answer_first(pilot, "Sharding splits rows across machines by a key.")
            screen.query_one("#follow-up-answer", TextArea).text = "precious follow-up words"
            other = hold_write_lock(db)
            await pilot.press("ctrl+s")
            await workers_done(pilot)
            await wait_for_screen(pilot, ResultScreen)
            assert notices(app, "Could not save your follow-up")
            await pilot.press("ctrl+q")
    finally:
        if other is not None:
            other.rollback()
            other.close()
    assert app.return_code == 1
    [kept] = (tmp_path / "unsaved").iterdir()
    assert "follow-up" in kept.name
    assert kept.read_text(encoding="utf-8") == "precious follow-up words"


# --- practice on the command line -------------------------------------------------------------


def _args(*flags: str) -> argparse.Namespace:
    return argparse.Namespace(no_follow_ups="--no-follow-ups" in flags)


def test_practice_asks_follow_ups_as_the_start_form_left_them_unless_told_not_to() -> None:
    assert _follow_ups(_args(), {}) is True  # never set: on
    assert _follow_ups(_args(), {"follow_ups": True}) is True
    assert _follow_ups(_args(), {"follow_ups": False}) is False
    assert _follow_ups(_args("--no-follow-ups"), {"follow_ups": True}) is False


@pytest.mark.parametrize(
    ("remembered", "flags", "asked"),
    [
        (None, [], True),
        (False, [], False),
        (True, ["--no-follow-ups"], False),
    ],
    ids=["default", "switched-off-on-the-form", "flag"],
)
def test_practice_with_a_topic_reads_the_remembered_switch_and_the_flag(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    remembered: bool | None,
    flags: list[str],
    asked: bool,
) -> None:
    from mockinterview.tui import app as app_module

    seen: list[AppSettings] = []
    monkeypatch.setattr(app_module.MockInterviewApp, "run", lambda self: seen.append(self.settings))
    if remembered is not None:
        write_form(tmp_path / "tui-start-form.json", {"follow_ups": remembered})
    assert main(["--data-dir", str(tmp_path), "practice", "--count", "1", *flags]) == 0
    [settings] = seen
    assert settings.plan is not None and settings.plan.follow_ups is asked
    assert settings.follow_ups is asked  # retries from the review, too


async def test_no_follow_ups_also_unticks_the_start_form_switch(tmp_path: Path) -> None:
    write_form(tmp_path / "tui-start-form.json", {"follow_ups": True})
    app = build_app(Store.open(":memory:"), follow_ups=False)  # as --no-follow-ups builds it
    app.settings.form_file = tmp_path / "tui-start-form.json"
    async with app.run_test(size=(120, 40)) as pilot:
        from textual.widgets import Checkbox

        start = await wait_for_screen(pilot, StartScreen)
        assert start.query_one("#follow-ups", Checkbox).value is False
