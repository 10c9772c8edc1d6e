"""The app as a newcomer finds it (issue 16): one or more tests per numbered item.

Keyboard-safe review, layouts that reflow, clear entry points, readable references, settings
that are remembered, plurals right, and shell completion.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Select, Static

from mockinterview.cli import main
from mockinterview.practice.plan import SessionPlan
from mockinterview.store import Store
from mockinterview.text.latex import latex_to_unicode, readable_formulas
from mockinterview.tui.screens.attempt import AttemptScreen
from mockinterview.tui.screens.confirm import ConfirmScreen
from mockinterview.tui.screens.help import HelpScreen, help_markdown
from mockinterview.tui.screens.progress import ProgressScreen
from mockinterview.tui.screens.question import QuestionScreen
from mockinterview.tui.screens.result import ResultScreen
from mockinterview.tui.screens.review import ReviewScreen
from mockinterview.tui.screens.start import StartScreen
from mockinterview.tui.settings import AppSettings
from mockinterview.tui.widgets.attempt_table import AttemptTable
from test_review_support import TinyBank, add_attempt, history, review_app
from tui_helpers import (
    FakeGrader,
    build_app,
    make_bank,
    text_of,
    wait_for_screen,
    wait_until,
    workers_done,
)

from mockinterview.tui.app import make_app  # isort: skip

SIZE = (100, 30)
SMALL = (80, 24)


def _store_with_history() -> Store:
    store = Store.open(":memory:")
    add_attempt(store, "ml-001", ["hit", "miss", "miss"], "2026-03-01T09:00:00+00:00")
    add_attempt(store, "ml-001", ["hit", "hit", "miss"], "2026-03-02T09:00:00+00:00")
    add_attempt(store, "sys-001", ["hit", "miss"], "2026-03-03T09:00:00+00:00")
    return store


def _cells(table: DataTable[Any], key: str) -> list[str]:
    return [str(table.get_cell(row.key, key)) for row in table.ordered_rows]


# --- 1. the review filter keeps its letters; escape leaves a retry -------------------------


async def test_letters_typed_after_enter_in_the_review_filter_stay_text() -> None:
    store = Store.open(":memory:")
    history(store)
    app: Any = review_app(store, TinyBank())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"vanish", "enter", "s", "r", "c", "g")
        await pilot.pause()
        box = app.screen.query_one("#review-filter", Input)
        assert app.focused is box
        assert box.value == "vanishsrcg"  # text, not sort / retry / compare / re-grade
        assert app.started == []
        assert app.screen.sort_column == "when"
        await pilot.press("down")  # the way to the rows, as the status line says
        assert isinstance(app.focused, AttemptTable)


async def test_escape_on_an_untouched_retry_goes_back_to_the_review_and_records_nothing() -> None:
    store = _store_with_history()
    app = build_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, StartScreen)
        await pilot.press("r")
        review = await wait_for_screen(pilot, ReviewScreen)
        await pilot.press("slash", *"shard", "down")
        await wait_until(pilot, lambda: len(review.shown) == 1, "the filtered rows")
        await pilot.press("r")
        question = await wait_for_screen(pilot, QuestionScreen)
        assert question.question.id == "sys-001"
        await pilot.press("escape")
        back = await wait_for_screen(pilot, ReviewScreen)
        await wait_until(pilot, lambda: len(back.shown) == 1, "the review as it was left")
        assert back.query_one("#review-filter", Input).value == "shard"
        assert app.resumable() is None  # no unfinished session left behind
        assert len(store.attempts()) == 3  # and no skip recorded
        await pilot.press("escape")
        await wait_for_screen(pilot, StartScreen)
        assert not app.screen.query("#resume-banner")


async def test_escape_on_a_question_with_an_answer_asks_and_keeps_the_session() -> None:
    store = Store.open(":memory:")
    app = build_app(store, plan=SessionPlan(mode="all"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, QuestionScreen)
        await pilot.press(*"under")
        await pilot.press("escape")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("n")  # stay
        await wait_for_screen(pilot, QuestionScreen)
        await pilot.press("escape")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        start = await wait_for_screen(pilot, StartScreen)
        assert start.query("#resume-banner")
        resumable = app.resumable()
        assert resumable is not None
        assert store.draft(resumable.id, "ml-001").text == "under"  # type: ignore[union-attr]


async def test_a_retry_cancelled_at_the_unfinished_session_question_stays_on_the_review() -> None:
    store = _store_with_history()
    store.start_session(["ml-002"], SessionPlan(mode="all").to_settings())
    app = build_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, StartScreen)
        app.action_open("review")
        await wait_for_screen(pilot, ReviewScreen)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("escape")  # cancel: nothing changes
        await wait_for_screen(pilot, ReviewScreen)
        assert app.session is None


# --- 2. the review table reflows on resize ---------------------------------------------


async def test_review_columns_are_laid_out_again_after_a_resize_to_80x24() -> None:
    store = Store.open(":memory:")
    for n, score in enumerate((["hit"] * 3, ["hit", "hit", "miss"], ["hit", "miss", "miss"])):
        add_attempt(store, "Q2", score, f"2026-03-0{n + 1}T09:00:00+00:00")
    app: Any = review_app(store, TinyBank())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.resize_terminal(*SMALL)
        table = app.screen.query_one(AttemptTable)
        await wait_until(pilot, lambda: table.title_width < 30, "the columns laid out again")
        await pilot.pause()
        assert _cells(table, "score") == ["33", "67", "100"]
        width = sum(column.get_render_width(table) for column in table.columns.values())
        assert width <= SMALL[0] - 2  # Grader and Time are on screen, not cut off
        assert _cells(table, "grader") == ["offline"] * 3


# --- 3. a tag after a topic narrows it, and the form says so ---------------------------


async def test_a_tag_chosen_after_a_topic_narrows_the_topic_and_the_form_says_so() -> None:
    app = build_app(Store.open(":memory:"))
    async with app.run_test(size=SIZE) as pilot:
        screen = await wait_for_screen(pilot, StartScreen)
        screen.query_one("#topic", Select).value = "machine-learning"
        await pilot.pause()
        screen.query_one("#tag", Select).value = "training"
        await pilot.pause()
        assert screen.query_one("#mode", Select).value == "topic"  # not silently switched
        says = text_of(app, "#setup-matches")
        assert "1 question from topic machine-learning and tag training" in says
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, QuestionScreen)
        assert app.session is not None
        assert app.session.question_ids == ["ml-002"]


# --- 4. review and progress from the start screen; enter on a topic starts it -----------


async def test_the_start_screen_shows_the_way_to_review_and_progress() -> None:
    app = build_app(_store_with_history())
    async with app.run_test(size=SIZE) as pilot:
        start = await wait_for_screen(pilot, StartScreen)
        keys = {b.binding.key: b.binding.description for b in app.active_bindings.values()}
        assert keys["r"] == "Review" and keys["p"] == "Progress"
        tip = text_of(app, "#start-tip")
        assert "r: review" in tip and "p: progress" in tip
        help_text = help_markdown(app, start)
        assert "review past attempts" in help_text and "`enter` on a topic" in help_text
        await pilot.press("r")
        await wait_for_screen(pilot, ReviewScreen)
        await pilot.press("escape")
        await wait_for_screen(pilot, StartScreen)
        await pilot.press("p")
        await wait_for_screen(pilot, ProgressScreen)
        await pilot.press("escape")
        await wait_for_screen(pilot, StartScreen)
        app.screen.query_one("#count", Input).focus()
        await pilot.press("r", "p")  # typed in a field: text, not screens
        assert isinstance(app.screen, StartScreen)


async def test_enter_on_a_topic_row_starts_a_session_of_that_topic() -> None:
    app = build_app(Store.open(":memory:"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, StartScreen)
        assert app.focused is app.screen.query_one("#topics", DataTable)  # as the tip says
        await pilot.press("down", "enter")  # the second topic: systems
        await wait_for_screen(pilot, QuestionScreen)
        assert app.session is not None
        assert app.session.question_ids == ["sys-001"]


async def test_f1_on_the_start_screen_lists_its_keys() -> None:
    app = build_app(Store.open(":memory:"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, StartScreen)
        await pilot.press("f1")
        help_screen = await wait_for_screen(pilot, HelpScreen)
        text = help_markdown(app, help_screen.origin)
        for row in ("`ctrl+s`", "`r`", "`p`", "`enter` on a topic"):
            assert row in text


# --- 5. formulas read as Unicode --------------------------------------------------------


def test_latex_in_a_reference_reads_as_unicode_text() -> None:
    source = r"\displaystyle h_\theta(x) = \theta_0 + \sum_{j=1}^{p} \theta_j x_j"
    assert latex_to_unicode(source) == "hθ(x) = θ₀ + Σⱼ₌₁ᵖ θⱼ xⱼ"
    assert latex_to_unicode(r"\mbox{Sigmoid}(x) = \frac{1}{1 + e^{-x}}") == (
        "Sigmoid(x) = 1/(1 + e⁻ˣ)"
    )
    assert latex_to_unicode(r"18 \cdot C_{in} \cdot C_{out}") == "18 · Cᵢₙ · Cₒᵤₜ"
    assert latex_to_unicode(r"{\large \text{ReLU}(x) = \max(0, x)}") == "ReLU(x) = max(0, x)"
    prose = "x_j is the j-th feature; keep max_depth small\n" + r"\theta_j weights x_j"
    assert readable_formulas(prose) == "xⱼ is the j-th feature; keep max_depth small\nθⱼ weights xⱼ"
    plain = "Use snake_case names; 2^10 is 1024."
    assert readable_formulas(plain) == plain  # no LaTeX: untouched


async def test_the_result_screen_reference_shows_formulas_as_unicode() -> None:
    bank = make_bank()
    original = bank.questions["ml-001"]
    bank.questions["ml-001"] = dataclasses.replace(
        original, answer=original.answer + "\n" + r"\displaystyle h_\theta(x) = \theta_0"
    )
    app = make_app(
        bank=bank,
        store=Store.open(":memory:"),
        grader=FakeGrader(),
        settings=AppSettings(plan=SessionPlan(mode="all", follow_ups=False), seed=7),
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, QuestionScreen)
        await pilot.press(*"underfit", "ctrl+s")
        await workers_done(pilot)
        await wait_for_screen(pilot, ResultScreen)
        await pilot.press("r")
        reference = text_of(app, "#reference-answer")
        assert "hθ(x) = θ₀" in reference and "\\theta" not in reference
    assert "\\theta" in bank.questions["ml-001"].answer  # the bank keeps the source


# --- 6. the unfinished-session banner --------------------------------------------------


async def test_the_resume_banner_fits_starts_focused_and_discard_asks_first() -> None:
    store = Store.open(":memory:")
    plan = SessionPlan(mode="topic", topic="machine-learning", count=2, time_limit=300)
    session_id = store.start_session(["ml-001", "ml-002"], plan.to_settings())
    app = build_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, StartScreen)
        offer = app.screen.query_one("#resume-text", Static)
        shown = "".join(
            "".join(s.text for s in offer.render_line(y)) for y in range(offer.size.height)
        )
        assert "topic machine-learning, 2, 5 min each" in shown  # whole, not cut
        assert "…" not in shown
        assert app.focused is not None and app.focused.id == "resume"
        await pilot.click("#discard")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("escape")  # keep it
        await wait_for_screen(pilot, StartScreen)
        assert store.session(session_id).status == "active"  # type: ignore[union-attr]
        await pilot.click("#discard")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("y")
        await wait_until(pilot, lambda: not app.screen.query("#resume-banner"), "the banner gone")
    assert store.session(session_id).status == "abandoned"  # type: ignore[union-attr]


# --- 7. an attempt is titled by its try -------------------------------------------------


async def test_an_attempt_is_titled_by_its_try_and_one_grade_has_no_history_line() -> None:
    store = Store.open(":memory:")
    history(store)
    app: Any = review_app(store, TinyBank())
    async with app.run_test(size=(110, 40)) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # Q1's second try (attempt id 3)
        screen = await wait_for_screen(pilot, AttemptScreen)
        title = str(screen.query_one(".detail-title", Static).render())
        assert "try 2 of 2" in title and "#3" not in title
        assert not screen.query_one("#detail-grades").display  # no lone "Original: 67"
        await pilot.press("g")  # a re-grade: now there are two grades to list
        await wait_until(
            pilot, lambda: app.screen.query_one("#detail-grades").display, "the grade list"
        )


# --- 8. progress lists agree --------------------------------------------------------------


async def test_progress_orders_missed_points_by_rate_and_says_last_alike() -> None:
    from datetime import UTC, datetime

    store = Store.open(":memory:")
    add_attempt(store, "Q1", ["miss", "miss", "hit"], "2026-03-01T09:00:00+00:00")
    add_attempt(store, "Q1", ["miss", "hit", "hit"], "2026-03-02T09:00:00+00:00")
    add_attempt(store, "Q1", ["miss", "hit", "hit"], "2026-03-03T09:00:00+00:00")
    add_attempt(store, "Q2", ["partial", "miss", "hit"], "2026-03-04T09:00:00+00:00")
    add_attempt(store, "Q2", None, "2026-03-05T09:00:00+00:00")  # then skipped
    now = datetime(2026, 3, 6, 12, tzinfo=UTC)
    app: Any = review_app(store, TinyBank(), screen="progress", now=now)
    async with app.run_test(size=(110, 50)) as pilot:
        await wait_until(pilot, lambda: app.screen.ready, "the figures")
        missed = str(app.screen.query_one("#progress-missed", Static).render())
        rates = [int(line.split("%")[0]) for line in missed.splitlines() if "%" in line]
        assert rates == sorted(rates, reverse=True), missed
        nexts = str(app.screen.query_one("#progress-next", Static).render())
        q2 = next(line for line in nexts.splitlines() if line.startswith("Q2"))
        assert "last  50*" in q2 and "skip" not in q2  # as in "By question": last 50
        assert "* skipped since" in nexts


# --- 9. install as a tool; shell completion ---------------------------------------------


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_the_shell_code(shell: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", shell]) == 0
    code = capsys.readouterr().out
    assert "mockinterview" in code and "_ARGCOMPLETE" in code


def test_completion_install_writes_where_each_shell_looks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("ZDOTDIR", str(tmp_path))
    monkeypatch.setenv("SHELL", "/bin/fish")
    assert main(["completion", "--install"]) == 0
    assert (tmp_path / "config/fish/completions/mockinterview.fish").is_file()
    assert main(["completion", "bash", "--install"]) == 0
    assert (tmp_path / "data/bash-completion/completions/mockinterview").is_file()
    for _ in range(2):  # twice: the line is added once
        assert main(["completion", "zsh", "--install"]) == 0
    zshrc = (tmp_path / ".zshrc").read_text()
    assert zshrc.count("mockinterview completion") == 1
    assert "wrote" in capsys.readouterr().out


def test_a_tab_completes_subcommands() -> None:
    import os
    import subprocess
    import sys

    env = dict(os.environ, _ARGCOMPLETE="1", _ARGCOMPLETE_IFS="\n")
    env.update(COMP_LINE="mockinterview hi", COMP_POINT="16")
    run = f"{sys.executable} -c 'from mockinterview.cli import main; main()' 8>&1 9>/dev/null"
    done = subprocess.run(
        ["bash", "-c", run], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.stdout.split("\n")[0].strip() == "history", done


def test_the_readme_offers_pipx_and_uv_tool_install() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert "pipx install ." in readme and "uv tool install ." in readme
    assert "mockinterview completion --install" in readme


# --- 10. smaller things ------------------------------------------------------------------


async def test_the_palette_offers_help_but_not_textuals_keys_panel() -> None:
    app = build_app(Store.open(":memory:"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, StartScreen)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Help" in titles and "Keys" not in titles


async def test_one_stale_attempt_re_graded_is_said_in_the_singular() -> None:
    store = Store.open(":memory:")
    add_attempt(store, "Q1", ["hit", "miss", "miss"], "2026-03-01T09:00:00+00:00")
    app: Any = review_app(store, TinyBank())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("G")
        await app.workers.wait_for_complete()
        await wait_until(pilot, lambda: app._notifications, "the notice")
        messages = [n.message for n in app._notifications]
        assert any(m.startswith("Re-graded 1 attempt graded") for m in messages), messages


async def test_topics_are_whole_at_100_columns() -> None:
    store = Store.open(":memory:")
    bank = TinyBank()
    bank.questions["Q1"].topic = "machine learning"
    add_attempt(store, "Q1", ["hit", "miss", "miss"], "2026-03-01T09:00:00+00:00")
    app: Any = review_app(store, bank)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert _cells(app.screen.query_one(AttemptTable), "topic") == ["machine learning"]


async def test_time_limit_grader_and_any_theme_are_remembered(tmp_path: Path) -> None:
    theme_file = tmp_path / "tui-theme"

    def app_with_files() -> Any:
        settings = AppSettings(theme_file=theme_file, llm_available=True, seed=7)
        return make_app(
            bank=make_bank(), store=Store.open(":memory:"), grader=FakeGrader(), settings=settings
        )

    app = app_with_files()
    async with app.run_test(size=SIZE) as pilot:
        start = await wait_for_screen(pilot, StartScreen)
        start.query_one("#minutes", Input).value = "3"
        start.query_one("#grader", Select).value = "llm"
        start.query_one("#order", Select).value = "shuffled"
        app.theme = "nord"  # as picked from the palette's theme list
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, QuestionScreen)
    assert theme_file.read_text().strip() == "nord"
    again = app_with_files()
    again.theme = "textual-dark"
    from mockinterview.tui.settings import read_theme

    again = make_app(
        bank=make_bank(),
        store=Store.open(":memory:"),
        grader=FakeGrader(),
        settings=AppSettings(
            theme=read_theme(theme_file), theme_file=theme_file, llm_available=True
        ),
    )
    async with again.run_test(size=SIZE) as pilot:
        start = await wait_for_screen(pilot, StartScreen)
        assert start.query_one("#minutes", Input).value == "3"
        assert start.query_one("#grader", Select).value == "llm"
        assert start.query_one("#order", Select).value == "shuffled"
        assert again.theme == "nord"


async def test_no_toast_covers_the_comparison() -> None:
    store = Store.open(":memory:")
    history(store)
    app: Any = review_app(store, TinyBank())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "c", "down", "down", "c")
        await pilot.pause()
        assert type(app.screen).__name__ == "CompareScreen"
        assert not app._notifications
