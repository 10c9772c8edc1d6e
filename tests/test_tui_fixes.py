"""Pilot tests of the QA defects fixed in the TUI (one test per defect, most important first)."""

from __future__ import annotations

from textual.widgets import Input, Select, Static, TextArea

from mockinterview.practice.plan import SessionPlan
from mockinterview.store import Store
from mockinterview.tui.screens.choice import ChoiceScreen
from mockinterview.tui.screens.question import QuestionScreen
from mockinterview.tui.screens.start import StartScreen
from tui_helpers import build_app

SIZE = (100, 30)


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def _unfinished_with_draft(store: Store) -> int:
    """A session quit at its second question with a draft, as a quit would leave it."""
    session_id = store.start_session(["ml-001", "ml-002"], {"mode": "all"})
    store.advance_session(session_id, 1)
    store.save_draft(session_id, "ml-002", "my half answer", "2026-11-23T18:00:00+00:00", [])
    return session_id


async def test_starting_a_new_session_asks_about_the_unfinished_one() -> None:
    store = Store.open(":memory:")
    old = await _unfinished_with_draft(store)
    app = build_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        assert "Discard the unfinished session" in text_of(app, "#choice-message")
        await pilot.press("escape")  # cancel: nothing changes
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert store.session(old).status == "active"
        assert len(store.sessions()) == 1

        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("r")  # resume: back to the draft
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.session.id == old
        assert app.screen.query_one("#answer", TextArea).text == "my half answer"

        app.show_start()
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("d")  # discard and start
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.session.id != old
    assert store.session(old).status == "abandoned"


async def test_all_questions_in_bank_order_with_a_count_takes_the_first() -> None:
    for seed in range(6):
        app = build_app(Store.open(":memory:"))
        app.settings.seed = seed
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            app.screen.query_one("#count", Input).value = "1"
            assert app.screen.query_one("#order", Select).value == "bank"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.session.question_ids == ["ml-001"], seed


async def test_resume_bar_describes_a_retry_and_fits_on_one_line() -> None:
    store = Store.open(":memory:")
    app = build_app(store, plan=SessionPlan(mode="all", time_limit=60))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(3):
            await pilot.press("ctrl+n")  # skip all three: all weak
            await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        retry_id = app.session.id
    again = build_app(store)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.resumable().id == retry_id
        offer = text_of(again, "#resume-text")
        assert "retry of 3 questions" in offer
        assert "question 1 of 3" in offer
        assert again.screen.query_one("#resume-text").size.height == 1
        assert "question 1 of 3" in str(again.screen.query_one("#resume-text").render_line(0))


async def test_start_screen_tab_order_visible_focus_and_no_blank_choices() -> None:
    import pytest
    from textual.widgets._select import InvalidSelectValueError, SelectCurrent

    app = build_app(Store.open(":memory:"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert app.focused.id == "start"
        order = screen.query_one("#order", Select)
        before = order.query_one(SelectCurrent).styles.background
        stops = []
        for _ in range(3):
            await pilot.press("tab")
            await pilot.pause()
            stops.append(app.focused.id)
        assert stops == ["topics", "mode", "topic"]  # no invisible stop in between
        order.focus()
        await pilot.pause()
        after = order.query_one(SelectCurrent).styles.background
        assert abs(before.brightness - after.brightness) > 0.1, (before, after)  # plainly seen
        for select_id in ("mode", "order", "grader"):
            with pytest.raises(InvalidSelectValueError):
                screen.query_one(f"#{select_id}", Select).clear()  # no blank "Select" entry


async def test_help_lists_the_keys_of_the_screen_it_was_opened_from() -> None:
    from textual.widgets import Markdown

    from mockinterview.tui.screens.help import HelpScreen

    store = Store.open(":memory:")
    app = build_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        expected = {
            "start": ["`ctrl+s`"],
            "review": ["`/`", "`c`", "`r`", "`g`", "`G`", "`s`", "`enter`"],
            "progress": ["`p`"],
        }
        for where, keys in expected.items():
            if where != "start":
                app.action_open(where)
                await pilot.pause()
            await pilot.press("f1")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            text = app.screen.query_one(Markdown).source
            for key in [*keys, "`f1` or `?`", "`f2`", "`ctrl+q`", "`ctrl+p`"]:
                assert key in text, (where, key)
            await pilot.press("escape")
            await pilot.pause()
            if where != "start":
                footer_keys = {
                    b.binding.key for b in app.active_bindings.values() if b.binding.show
                }
                assert set(keys) - {"`/`"} <= {f"`{k}`" for k in footer_keys} | {"`enter`"}
                app.pop_screen()
                await pilot.pause()


async def test_review_compare_mark_clears_and_focus_starts_on_the_table() -> None:
    from mockinterview.tui.screens.review import AttemptScreen, ReviewScreen
    from mockinterview.tui.widgets.attempt_table import AttemptTable
    from test_review_support import add_attempt

    store = Store.open(":memory:")
    for day in (1, 2, 3):
        add_attempt(store, "ml-001", ["hit", "miss", "miss"], f"2026-03-0{day}T09:00:00+00:00")
    app = build_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _visit in range(2):
            app.action_open("review")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            assert isinstance(app.focused, AttemptTable)
            await pilot.press("c")
            assert screen.marked is not None
            await pilot.press("c")  # the same row again clears it
            assert screen.marked is None
            await pilot.press("c")
            await pilot.press("slash")
            assert isinstance(app.focused, Input)
            await pilot.press(*"question:zz", "s", "c", "r", "g")  # text, not table keys
            await pilot.pause(0.3)
            assert screen.query_one("#review-filter", Input).value == "question:zzscrg"
            assert screen.sort_column == "when"
            assert screen.marked is not None  # filtered out of view, still marked...
            assert "escape clears" in str(screen.query_one("#review-status", Static).render())
            await pilot.press("escape")  # ...until escape clears it
            assert screen.marked is None
            assert isinstance(app.screen, ReviewScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, (ReviewScreen, AttemptScreen))


async def test_review_table_and_footer_fit_80_columns() -> None:
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    from mockinterview.tui.widgets.attempt_table import AttemptTable
    from test_review_support import add_attempt

    store = Store.open(":memory:")
    for day in (1, 2):
        add_attempt(store, "ml-001", ["hit", "miss", "miss"], f"2026-03-0{day}T09:00:00+00:00")
    app = build_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_open("review")
        await pilot.pause()
        table = app.screen.query_one(AttemptTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width  # no clipping
        assert "Time" in str(table.render_line(0))
        assert app.screen.query_one("#review-status").size.height == 1
        footer = app.screen.query_one(Footer)
        edge = footer.region.right
        shown = {
            (key.key_display, key.description)
            for key in footer.query(FooterKey)
            if key.region.width and key.region.right <= edge
        }
        for key in ("f1", "f2", "^q", "c", "G", "r", "g", "s", "esc"):
            assert key in {k for k, _ in shown}, shown


async def test_hints_name_each_uncovered_point_once_then_say_none_is_left() -> None:
    app = build_app(Store.open(":memory:"), plan=SessionPlan(mode="all"))
    async with app.run_test(size=(50, 30)) as pilot:
        await pilot.pause()
        app.screen.query_one("#answer", TextArea).text = "models underfit"  # p1 hit
        await pilot.pause()
        for _ in range(3):
            await pilot.press("ctrl+t")
            await pilot.pause(0.3)
        assert app.screen.hints == ["p2", "p3"]
        messages = [n.message for n in app._notifications]
        assert messages == ["No new hint: the 2 points not yet covered are named below."]
        hint = app.screen.query_one("#hint-text", Static)
        assert hint.size.height >= 2  # wrapped, not cut off
        shown = " ".join(str(hint.render_line(y)).strip() for y in range(hint.size.height))
        assert "The trade-off" in shown


async def test_progress_miss_rate_and_counts_agree() -> None:
    from mockinterview.tui.screens.progress import ProgressScreen
    from test_review_support import add_attempt

    store = Store.open(":memory:")
    add_attempt(store, "ml-001", ["partial", "hit", "hit"], "2026-03-01T09:00:00+00:00")
    app = build_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.action_open("progress")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProgressScreen)
        for _ in range(50):
            if screen.ready:
                break
            await pilot.pause(0.1)
        missed = str(screen.query_one("#progress-missed", Static).render())
        assert "50%" in missed
        assert "missed 0/1, partly covered 1/1" in missed


async def test_question_clock_stops_while_the_quit_dialog_is_open() -> None:
    from mockinterview.tui.screens.confirm import ConfirmScreen

    now = [1000.0]
    app = build_app(Store.open(":memory:"), plan=SessionPlan(mode="all"), clock=lambda: now[0])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        question = app.screen
        now[0] += 10
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        now[0] += 100  # thinking about quitting does not count
        await pilot.press("n")
        await pilot.pause()
        now[0] += 5
        assert abs(question.elapsed - 15) < 0.01


async def test_summary_without_weak_questions_hides_retry_and_w_says_why() -> None:
    from textual.widgets import Button

    from mockinterview.tui.screens.summary import SummaryScreen

    app = build_app(Store.open(":memory:"), plan=SessionPlan(mode="topic", topic="systems"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#answer", TextArea).text = "split by key to scale writes"
        await pilot.press("ctrl+s")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert not app.screen.query_one("#retry", Button).display
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert any("Nothing to retry" in n.message for n in app._notifications)


async def test_done_column_counts_answered_questions_not_skips() -> None:
    from textual.widgets import DataTable

    store = Store.open(":memory:")
    session = store.start_session(["ml-001", "ml-002"], {"mode": "all"})
    store.record_attempt(
        question_id="ml-001", answer="", grade=None, rubric_hash=None,
        started_at="2026-03-01T09:00:00+00:00", seconds=1.0, session_id=session, hints=[],
        skipped=True,
    )  # fmt: skip
    store.finish_session(session)
    app = build_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#topics", DataTable)
        row = table.get_row("machine-learning")
        assert str(row[2]) == "0"  # skipped is not done
        assert str(row[3]) != "never"  # but it was practised


async def test_practise_whats_due_with_nothing_due_offers_the_weakest() -> None:
    from datetime import UTC, datetime

    from mockinterview.tui.screens.confirm import ConfirmScreen
    from mockinterview.tui.screens.progress import ProgressScreen
    from test_review_support import add_attempt

    store = Store.open(":memory:")
    today = datetime.now(UTC).isoformat(timespec="seconds")
    add_attempt(store, "ml-001", ["hit", "hit", "hit"], today)
    add_attempt(store, "ml-002", ["hit", "hit"], today)
    add_attempt(store, "sys-001", ["hit", "miss"], today)
    app = build_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.action_open("progress")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProgressScreen)
        for _ in range(50):
            if screen.ready:
                break
            await pilot.pause(0.1)
        assert not any(item.is_due(screen.now) for item in screen.queue)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Nothing is due yet" in app.screen.message
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.session.question_ids[0] == "sys-001"  # the weakest first


async def test_skipping_to_the_summary_leaves_no_pile_of_notices() -> None:
    from mockinterview.tui.screens.summary import SummaryScreen

    app = build_app(Store.open(":memory:"), plan=SessionPlan(mode="all"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(3):
            await pilot.press("ctrl+n")
            await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert not [n for n in app._notifications if n.message.startswith("Skipped")]
        missed = str(app.screen.query_one("#summary-missed", Static).render())
        assert "Well done" not in missed  # nothing was answered: no praise


async def test_reference_answer_keeps_its_line_breaks() -> None:
    from mockinterview.tui.screens.result import ResultScreen

    app = build_app(Store.open(":memory:"), plan=SessionPlan(mode="all"))
    app.bank.questions["ml-001"].answer = "(1) Bias underfits.\n(2) Variance overfits."
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#answer", TextArea).text = "underfit"
        await pilot.press("ctrl+s")
        await pilot.pause(0.3)
        assert isinstance(app.screen, ResultScreen)
        await pilot.press("r")
        await pilot.pause()
        reference = app.screen.query_one("#reference-answer")
        await pilot.pause()
        lines = [
            "".join(seg.text for seg in reference.render_line(y)).strip()
            for y in range(reference.size.height)
        ]
        assert "(1) Bias underfits." in lines
        assert "(2) Variance overfits." in lines


async def test_a_new_session_from_the_palette_mid_question_asks_and_resume_keeps_typing() -> None:
    app = build_app(Store.open(":memory:"), plan=SessionPlan(mode="all"), autosave_seconds=30)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        question = app.screen
        question.query_one("#answer", TextArea).text = "not yet saved"
        command = next(
            c for c in app.get_system_commands(app.screen) if c.title == "Practise the weakest"
        )
        command.callback()
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is question
        assert question.query_one("#answer", TextArea).text == "not yet saved"
