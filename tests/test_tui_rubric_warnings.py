"""The app says, beside the grade, what is wrong with a question's rubric file (as `grade` does).

A copy of the shipped bank with one rubric file broken, one missing and one stale: the result
screen names the file (and line) and the fallback, the warning is stored with the attempt, and a
good rubric file adds nothing to the screen.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.widgets import Static, TextArea

from mockinterview.bank import load_bank, rubric_check
from mockinterview.store import Store
from mockinterview.tui.app import MockInterviewApp, make_app
from mockinterview.tui.screens.confirm import ConfirmScreen
from mockinterview.tui.screens.result import ResultScreen
from mockinterview.tui.settings import AppSettings
from tui_helpers import FakeGrader, fixed_clock, workers_done

REPO = Path(__file__).resolve().parents[1]
SIZE = (100, 30)


@pytest.fixture
def bank_dir(tmp_path: Path) -> Path:
    """The shipped bank: DL0001 good, DL0002's rubric not TOML, DL0003's gone, DL0004 stale."""
    shutil.copytree(REPO / "bank", tmp_path / "bank")
    shutil.copytree(REPO / "rubrics", tmp_path / "rubrics")
    rubrics = tmp_path / "rubrics"
    broken = rubrics / "DL0002.toml"
    broken.write_text(broken.read_text("utf-8") + "\n[[[not toml\n", "utf-8")
    (rubrics / "DL0003.toml").unlink()
    stale = tmp_path / "bank" / "deep-learning" / "DL0004.md"
    stale.write_text(stale.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    return tmp_path


def make(bank_dir: Path, store: Store) -> MockInterviewApp:
    settings = AppSettings(clock=fixed_clock, autosave_seconds=5, seed=7, follow_ups=False)
    return make_app(
        bank=load_bank(bank_dir / "bank"), store=store, grader=FakeGrader(), settings=settings
    )


def shown_warnings(app: MockInterviewApp) -> list[str]:
    return [str(w.render()) for w in app.screen.query(".grade-warning").results(Static)]


async def answer(app: MockInterviewApp, pilot, question_id: str, text: str) -> None:
    app.start_session([question_id], confirmed=True)
    await pilot.pause()
    app.screen.query_one("#answer", TextArea).text = text
    await pilot.pause()
    await pilot.press("ctrl+s")
    await workers_done(pilot)  # the grading thread


@pytest.mark.parametrize(
    ("question_id", "expected"),
    [
        ("DL0002", ["DL0002.toml:", "bad TOML", "derived from the reference answer"]),
        ("DL0003", ["DL0003.toml", "no rubric file", "rubrics build DL0003"]),
        ("DL0004", ["DL0004.toml:", "stale rubric", "rubrics build DL0004"]),
    ],
)
async def test_a_rubric_file_problem_is_shown_with_the_grade_and_stored(
    bank_dir: Path, question_id: str, expected: list[str]
) -> None:
    store = Store.open(":memory:")
    app = make(bank_dir, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await answer(app, pilot, question_id, "Gradients flow through the identity shortcut.")
        assert isinstance(app.screen, ResultScreen)
        shown = shown_warnings(app)
        assert shown, "no warning on the result screen"
        assert shown[0].startswith("⚠ ")
        for words in expected:
            assert words in shown[0]
        assert str(bank_dir / "rubrics") in shown[0]  # the file, by its path
    (attempt,) = store.attempts()
    assert attempt.grade is not None
    assert attempt.grade.warnings[0] == shown[0].removeprefix("⚠ ")


async def test_a_good_rubric_file_adds_no_warning(bank_dir: Path) -> None:
    store = Store.open(":memory:")
    app = make(bank_dir, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await answer(app, pilot, "DL0001", "Gradients flow through the identity shortcut.")
        assert isinstance(app.screen, ResultScreen)
        assert shown_warnings(app) == []
    (attempt,) = store.attempts()
    assert attempt.grade is not None and attempt.grade.warnings == []


async def test_an_empty_answer_submitted_anyway_is_warned_about_too(bank_dir: Path) -> None:
    store = Store.open(":memory:")
    app = make(bank_dir, store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.start_session(["DL0002"], confirmed=True)
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#yes")
        await pilot.pause()
        assert isinstance(app.screen, ResultScreen)
        shown = shown_warnings(app)
        assert "DL0002.toml:" in shown[0] and "bad TOML" in shown[0]
        assert any("empty" in w for w in shown[1:])  # the grade's own warning stays, after it
    (attempt,) = store.attempts()
    assert attempt.grade is not None and "bad TOML" in attempt.grade.warnings[0]


async def test_the_rubric_is_checked_once_per_question(
    bank_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    check = rubric_check.rubric_with_warnings

    def counted(bank, question_id):
        calls.append(question_id)
        return check(bank, question_id)

    monkeypatch.setattr(rubric_check, "rubric_with_warnings", counted)
    app = make(bank_dir, Store.open(":memory:"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.start_session(["DL0002"], confirmed=True)
        await pilot.pause()
        await pilot.press("ctrl+t")  # a hint reads the rubric
        await workers_done(pilot)
        await answer(app, pilot, "DL0002", "Symmetry: every neuron learns the same thing.")
        assert isinstance(app.screen, ResultScreen)
        assert shown_warnings(app)
    assert calls == ["DL0002"]
