"""App-level behaviour: the remembered theme, palette commands, the grader built early, bad
plans."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TextArea

from mockinterview.practice.plan import SessionPlan
from mockinterview.store import Store
from mockinterview.tui.answering import looks_like_markdown
from mockinterview.tui.app import make_app
from mockinterview.tui.screens.question import QuestionScreen
from mockinterview.tui.screens.start import StartScreen
from mockinterview.tui.settings import DARK_THEME, LIGHT_THEME, AppSettings, read_theme
from mockinterview.tui.widgets.answer_editor import break_long_lines
from tui_helpers import FakeGrader, build_app, make_bank, wait_for_screen, wait_until, workers_done

SIZE = (100, 30)


async def test_theme_choice_is_remembered(tmp_path: Path) -> None:
    theme_file = tmp_path / "tui-theme"
    settings = AppSettings(theme=read_theme(theme_file), theme_file=theme_file)
    app = make_app(
        bank=make_bank(), store=Store.open(":memory:"), grader=FakeGrader(), settings=settings
    )
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == DARK_THEME
        await pilot.press("f2")
        assert app.theme == LIGHT_THEME
    assert read_theme(theme_file) == LIGHT_THEME
    theme_file.write_bytes(b"\xff\xfe")  # junk falls back to the default
    assert read_theme(theme_file) == DARK_THEME


async def test_palette_offers_the_main_actions() -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
    for wanted in ("New session", "Practise the weakest", "Review attempts", "Progress", "Help"):
        assert wanted in titles


async def test_palette_weakest_starts_a_session() -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        command = next(
            c for c in app.get_system_commands(app.screen) if c.title == "Practise the weakest"
        )
        command.callback()
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert len(app.session.question_ids) == 3  # all never tried, fewer than five


async def test_review_screen_opens_from_the_app() -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.action_open("review")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReviewScreen"


async def test_the_grader_is_built_while_the_first_question_is_read() -> None:
    """The first submit does not pay for building the grader: it is built (in a thread) as
    soon as the question and its buttons are on screen."""
    built: list[str] = []

    def factory(kind: str) -> FakeGrader:
        built.append(kind)
        return FakeGrader()

    settings = AppSettings(plan=SessionPlan(follow_ups=False), clock=lambda: 0.0)
    app = make_app(
        bank=make_bank(), store=Store.open(":memory:"), grader_factory=factory, settings=settings
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: built, "the grader built before any submit")
        assert built == ["offline"]
        app.screen.query_one("#answer", TextArea).text = "underfit"
        await pilot.press("ctrl+s")
        await workers_done(pilot)
        assert type(app.screen).__name__ == "ResultScreen"
        assert built == ["offline"]  # built once, before the submit


async def test_a_plan_matching_nothing_falls_back_to_the_start_screen() -> None:
    app = build_app(plan=SessionPlan(mode="topic", topic="cooking"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert app.session is None


async def test_typing_keys_reaches_the_editor_and_question_mark_is_text() -> None:
    app = build_app(plan=SessionPlan())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("w", "h", "y", "question_mark")
        assert app.screen.query_one("#answer", TextArea).text == "why?"
        assert isinstance(app.screen, QuestionScreen)  # `?` typed, help not opened


def test_markdown_is_only_used_when_the_question_needs_it() -> None:
    assert looks_like_markdown("Explain **bias**.")
    assert looks_like_markdown("Steps:\n1. first\n2. second")
    assert looks_like_markdown("What is $e^x$?")
    assert not looks_like_markdown("What is the bias-variance trade-off?")
    assert not looks_like_markdown("Why are residual connections important (in deep nets)?")


def test_long_pasted_lines_are_broken_at_spaces_only() -> None:
    line = " ".join(f"w{i}" for i in range(30_000))
    text = "short first line\n" + line + "\nlast"
    broken = break_long_lines(text)
    assert broken.split() == text.split()  # the same words, in the same order
    assert max(len(x) for x in broken.split("\n")) <= 100
    assert broken.startswith("short first line\n")
    assert break_long_lines("tidy\ntext") == "tidy\ntext"


async def test_pasting_a_huge_line_keeps_the_editor_responsive() -> None:
    from textual import events

    app = build_app(plan=SessionPlan())
    huge = "underfit " * 11_000  # ~100k characters, no line break
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        editor = app.screen.query_one("#answer", TextArea)
        app.post_message(events.Paste(huge))  # what the driver sends on a terminal paste
        await pilot.pause()
        assert editor.text.split() == huge.split()
        assert editor.document.line_count > 900


async def test_a_session_can_be_run_with_the_mouse() -> None:
    from mockinterview.tui.screens.result import ResultScreen

    store = Store.open(":memory:")
    app = build_app(store, plan=SessionPlan(mode="tag", tag="databases"))
    async with app.run_test(size=(80, 24)) as pilot:
        await workers_done(pilot)  # the buttons come a refresh after the question
        app.screen.query_one("#answer", TextArea).text = "shard by key to spread writes"
        await pilot.click("#hint")
        await workers_done(pilot)
        await pilot.click("#submit")
        await workers_done(pilot)
        assert isinstance(app.screen, ResultScreen)
        await pilot.click("#reference")
        await pilot.pause()
        assert app.screen.show_reference
        await pilot.click("#next")
        await pilot.pause()
        assert type(app.screen).__name__ == "SummaryScreen"
    attempt = store.attempts()[0]
    assert attempt.score == 100
    assert attempt.hints == []  # every point was already covered: nothing to reveal


async def test_titles_and_texts_with_brackets_are_shown_not_parsed() -> None:
    """Bank text is data: `[/]` or `[bold` in a title must neither crash nor style anything."""
    from mockinterview.models import Question
    from mockinterview.tui.screens.result import ResultScreen

    bank = make_bank()
    nasty = "List[int] vs [/] and [bold"
    old = bank.questions["ml-001"]
    bank.questions["ml-001"] = Question(
        id=old.id,
        title=nasty,
        question="Compare [/b] with [link=x]",
        answer=old.answer,
        topic="[red]ml",
        tags=["[/]"],
    )
    store = Store.open(":memory:")
    settings = AppSettings(plan=SessionPlan(follow_ups=False), clock=lambda: 0.0)
    app = make_app(bank=bank, store=store, grader=FakeGrader(), settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert nasty in str(app.screen.query_one("#question-title").render())
        app.screen.query_one("#answer", TextArea).text = "[/] underfit"
        await pilot.press("ctrl+n")  # skip: the toast names the title
        await pilot.pause()
        app.screen.query_one("#answer", TextArea).text = "weights"
        await pilot.press("ctrl+s")
        await workers_done(pilot)
        assert isinstance(app.screen, ResultScreen)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert type(app.screen).__name__ == "SummaryScreen"
        app.show_start()
        await wait_for_screen(pilot, StartScreen)
