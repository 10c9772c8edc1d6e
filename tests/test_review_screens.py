"""The review and progress screens driven with Pilot: filter, sort, open, compare, retry."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from textual.widgets import DataTable, Input, Static

from mockinterview.store import Store
from mockinterview.tui.screens import review as review_module
from mockinterview.tui.screens.progress import ProgressScreen
from mockinterview.tui.screens.review import AttemptScreen, CompareScreen, ReviewScreen
from test_review_support import TinyBank, add_attempt, history, review_app
from tui_helpers import wait_until


def _table(app: Any) -> DataTable:
    return app.screen.query_one("#review-table", DataTable)


def _column(app: Any, key: str) -> list[str]:
    table = _table(app)
    return [str(table.get_cell(row.key, key)) for row in table.ordered_rows]


def _text(app: Any) -> str:
    """Every Static's content on the current screen, joined: what a reader would see."""
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


async def test_lists_every_attempt_newest_first_including_gone_questions() -> None:
    store = Store.open(":memory:")
    history(store)
    app = review_app(store, TinyBank())
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert _column(app, "question") == ["Q2", "OLD7", "Q1", "Q2", "Q1"]
        assert _column(app, "score") == ["skip", "100", "67", "50", "33"]
        assert _column(app, "title")[1] == "OLD7"  # no longer in the bank: shown by id
        assert "5 of 5 ·" in str(app.screen.query_one("#review-status", Static).render())


async def test_filter_box_narrows_by_topic_words_and_score() -> None:
    store = Store.open(":memory:")
    history(store)
    app = review_app(store, TinyBank())
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"topic:data")
        # the filter waits for typing to pause, then narrows the table
        await wait_until(pilot, lambda: _table(app).row_count == 2, "the filtered table")
        assert _column(app, "question") == ["Q2", "Q2"]
        app.screen.query_one(Input).value = "vanishing score>40"
        await pilot.press("enter")  # applies at once; the cursor stays in the box
        await pilot.pause()
        assert _column(app, "score") == ["67"]
        assert isinstance(app.focused, Input)
        await pilot.press("down")  # to the rows
        assert isinstance(app.focused, DataTable)
        await pilot.press("slash")
        app.screen.query_one(Input).value = "nothing-matches-this"
        await pilot.press("enter", "down")
        await pilot.pause()
        assert _table(app).row_count == 0
        await pilot.press("r", "c", "g")  # actions on an empty table do nothing, never crash
        assert app.started == []


async def test_sorting_by_header_click_and_by_key() -> None:
    store = Store.open(":memory:")
    history(store)
    app = review_app(store, TinyBank())
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        table = _table(app)
        widths = [column.get_render_width(table) for column in table.ordered_columns]
        score_header = (sum(widths[:4]) + 1, 0)
        await pilot.click("#review-table", offset=score_header)
        await pilot.pause()
        assert screen.sort_column == "score"
        assert _column(app, "score") == ["100", "67", "50", "33", "skip"]
        await pilot.click("#review-table", offset=score_header)  # again: ascending
        await pilot.pause()
        assert _column(app, "score") == ["skip", "33", "50", "67", "100"]
        await pilot.press("s")  # next column: grader
        assert screen.sort_column == "grader"
        await pilot.press("s")  # time, longest first
        assert _column(app, "time")[0] == "1m35s"


async def test_enter_opens_the_attempt_with_verdicts_answer_and_reference() -> None:
    store = Store.open(":memory:")
    history(store)
    app = review_app(store, TinyBank())
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # the second Q1 attempt
        await pilot.pause()
        assert isinstance(app.screen, AttemptScreen)
        shown = _text(app)
        assert "Vanishing gradients (Q1)" in shown
        assert "Sigmoid saturates, and the chain rule multiplies." in shown
        assert "Q1 third" in shown and "miss" in shown
        assert "3. Use ReLU." in shown  # the reference answer
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


async def test_compare_two_attempts_of_one_question() -> None:
    store = Store.open(":memory:")
    history(store)
    app = review_app(store, TinyBank())
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "c")  # mark the newer Q1 attempt
        assert "marked" in str(app.screen.query_one("#review-status", Static).render())
        await pilot.press("down", "c")  # the Q2 attempt: a different question
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("down", "c")  # the first Q1 attempt
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        shown = _text(app)
        assert "1 point newly covered" in shown
        assert "gained" in shown and "still missed" in shown
        assert "The chain rule multiplies many small factors." in shown


async def test_retry_starts_a_session_of_that_question_only_if_in_the_bank() -> None:
    store = Store.open(":memory:")
    history(store)
    app = review_app(store, TinyBank())
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        await pilot.press("down", "r")  # OLD7: not in the bank, nothing starts
        assert app.started == [] and isinstance(app.screen, ReviewScreen)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, AttemptScreen)
        await pilot.press("r")  # from the opened attempt: the review screens close first
        await pilot.pause()
        assert app.started == [["Q1"]]
        assert len(app.screen_stack) == 1
        await app.push_screen(ReviewScreen(store, TinyBank()))
        await pilot.pause()
        await pilot.press("down", "down", "down", "r")  # Q2, straight from the table
        await pilot.pause()
        assert app.started == [["Q1"], ["Q2"]]
        assert not isinstance(app.screen, ReviewScreen)


async def test_regrade_keeps_the_original_and_marks_the_row() -> None:
    store = Store.open(":memory:")
    ids = history(store)
    app = review_app(store, TinyBank())
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "g")
        await pilot.pause()
        assert _column(app, "score")[2].endswith("*")
        assert _column(app, "grader")[2] == "offline"
        assert store.attempt(ids["q1_second"]).original_score == 66.7  # type: ignore[union-attr]
        assert len(store.regrades(ids["q1_second"])) == 1
        await pilot.press("enter")
        await pilot.pause()
        assert "Original: 67 by offline" in _text(app)  # shown once there are two grades
        assert "Re-graded:" in _text(app)


async def test_a_long_history_is_paged_into_the_table() -> None:
    store = Store.open(":memory:")
    for n in range(review_module.PAGE + 30):
        add_attempt(
            store, "Q1", ["hit", "miss", "miss"], f"2026-01-01T00:{n // 60:02d}:{n % 60:02d}"
        )
    app = review_app(store, TinyBank())
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        table = _table(app)
        assert table.row_count == review_module.PAGE
        assert f"{review_module.PAGE + 30} of {review_module.PAGE + 30}" in str(
            app.screen.query_one("#review-status", Static).render()
        )
        table.move_cursor(row=review_module.PAGE - 1)
        await pilot.pause()
        assert table.row_count == review_module.PAGE + 30


async def test_progress_screen_shows_trends_misses_and_practises_the_queue() -> None:
    store = Store.open(":memory:")
    history(store)
    now = datetime(2026, 3, 6, 12, tzinfo=UTC)
    app = review_app(store, TinyBank(), screen="progress", now=now)
    async with app.run_test(size=(110, 50)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ProgressScreen)
        shown = _text(app)
        assert "5 attempts (1 skipped) on 3 questions" in shown
        assert "Q1 third" in shown  # missed in both Q1 attempts
        assert "due now" in shown
        labels = " ".join(str(label.render()) for label in app.screen.query("TrendRow Label"))
        assert "databases" in labels and "deep-learning" in labels
        assert "last  67 · best  67" in labels
        await pilot.press("p")
        assert len(app.started) == 1 and set(app.started[0]) == {"Q1", "Q2"}
        assert len(app.screen_stack) == 1  # the progress screen closed for the session


async def test_regrade_stale_regrades_only_attempts_of_an_older_rubric() -> None:
    store = Store.open(":memory:")
    bank = TinyBank()
    current = bank.rubric_for("Q1").content_hash
    fresh = add_attempt(store, "Q1", ["hit", "miss", "miss"], "2026-03-01T09:00:00+00:00",
                        rubric_hash=current)  # fmt: skip
    stale = add_attempt(store, "Q1", ["miss", "miss", "miss"], "2026-03-02T09:00:00+00:00",
                        answer="Sigmoid saturates; ReLU helps.", rubric_hash="old")  # fmt: skip
    app = review_app(store, bank)
    async with app.run_test(size=(110, 30)) as pilot:
        await pilot.pause()
        await pilot.press("G")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert store.regrades(fresh) == []
        [(_, grade)] = store.regrades(stale)
        assert grade.grader == "offline"
        assert _column(app, "score")[0].endswith("*")
        assert not _column(app, "score")[1].endswith("*")


async def test_square_brackets_in_titles_and_answers_are_text_not_markup() -> None:
    store = Store.open(":memory:")
    bank = TinyBank()
    bank.questions["Q1"].title = "Vanishing [bold]gradients[/] [link=x]"
    add_attempt(store, "Q1", ["hit", "miss", "miss"], "2026-03-01T09:00:00+00:00",
                        answer="[red]not markup[/red] [/]")  # fmt: skip
    add_attempt(store, "Q1", ["hit", "hit", "miss"], "2026-03-02T09:00:00+00:00")
    app = review_app(store, bank)
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.pause()
        assert _column(app, "title")[0] == "Vanishing [bold]gradients[/] [link=x]"
        await pilot.press("down", "enter")
        await pilot.pause()
        shown = _text(app)
        assert "Vanishing [bold]gradients[/] [link=x] (Q1)" in shown
        assert "[red]not markup[/red] [/]" in shown
        await pilot.press("escape", "c", "up", "c")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        assert "try 1 (" in _text(app)  # the try of that question, not a database id
