"""Correcting a grade in the app: a point's number flips its verdict on the result screen and on
a reviewed attempt, both grades survive a restart, and a remembered phrase earns the point in
the next attempt of the same question."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from textual.widgets import Input, Static, TextArea

from mockinterview.bank import load_bank
from mockinterview.grading.offline.grader import OfflineGrader
from mockinterview.practice.plan import SessionPlan
from mockinterview.rubrics.overlay import OVERLAY_DIR, read_overlay
from mockinterview.store import Store
from mockinterview.tui.app import make_app
from mockinterview.tui.screens.remember import RememberScreen
from mockinterview.tui.screens.result import ResultScreen
from mockinterview.tui.screens.review import AttemptScreen, ReviewScreen
from mockinterview.tui.settings import AppSettings
from test_rubric_overlay import ANSWER, PHRASE, QUESTION, RUBRIC
from tui_helpers import FakeGrader, fixed_clock, make_bank, wait_for_screen, wait_until

SIZE = (100, 40)


def app_on(path: Path, bank: Any = None, grader: Any = None, plan: SessionPlan | None = None):
    if plan is not None:  # one answer, then its result: no follow-up question between
        plan = dataclasses.replace(plan, follow_ups=False)
    settings = AppSettings(
        plan=plan, clock=fixed_clock, autosave_seconds=60, seed=7, follow_ups=False
    )
    return make_app(
        bank=bank if bank is not None else make_bank(),
        store=Store.open(path),
        grader=grader or FakeGrader(),
        settings=settings,
    )


def text_of(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def answer(pilot: Any, text: str) -> None:
    app = pilot.app
    await wait_until(pilot, lambda: bool(app.screen.query("#answer")), "the answer box")
    app.screen.query_one("#answer", TextArea).text = text
    await pilot.press("ctrl+s")
    await wait_for_screen(pilot, ResultScreen)
    assert isinstance(app.screen, ResultScreen)


async def test_correcting_a_point_changes_the_score_and_both_grades_survive_a_restart(
    isolated_home: Path,
) -> None:
    path = isolated_home / "attempts.sqlite3"
    first = app_on(path, plan=SessionPlan(mode="topic", topic="machine-learning", count=1))
    first.bank.questions = {"ml-001": first.bank.questions["ml-001"]}
    async with first.run_test(size=SIZE) as pilot:
        await answer(pilot, "High bias makes a model underfit.")
        screen = first.screen
        assert text_of(first, "#grade-score").startswith("Score 33/100 · 1 of 3 points hit")
        lines = [str(w.render()) for w in screen.query(".point").results(Static)]
        assert lines[0].startswith("1  ✔ hit") and lines[1].startswith("2  ✘ miss")
        await pilot.press("2")  # p2 was missed: now covered
        await wait_for_screen(pilot, RememberScreen)
        assert isinstance(first.screen, RememberScreen)
        await pilot.press("escape")  # not now
        await wait_until(pilot, lambda: first.screen is screen, "back on the result")
        headline = text_of(first, "#grade-score")
        assert headline.startswith("Score 33 → 75 (your correction) · 2 of 3 points hit")
        assert headline.endswith("· by fake")
        point = str(screen.query(".point").results(Static).__next__().render())
        assert point.startswith("1 ")
        second_line = [str(w.render()) for w in screen.query(".point").results(Static)][1]
        assert "(corrected from miss)" in second_line
        assert first.session is not None and first.session.outcomes[0].score == 75.3
    overlays = isolated_home / OVERLAY_DIR
    assert not overlays.exists()  # "not now" remembered nothing

    again = app_on(path)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        again.action_open("review")
        await wait_for_screen(pilot, ReviewScreen)
        await pilot.press("enter")
        await wait_for_screen(pilot, AttemptScreen)
        assert isinstance(again.screen, AttemptScreen)
        grades = text_of(again, "#detail-grades")
        assert "Original: 33 by fake" in grades
        assert "Corrected by you: 75 (automatic 33)" in grades
        assert text_of(again, "#grade-score").startswith("Score 33 → 75 (your correction)")
        await pilot.press("2")  # pressed again: the grader's verdict is back
        await wait_until(pilot, lambda: "→" not in text_of(again, "#grade-score"), "the score")
        assert text_of(again, "#grade-score").startswith("Score 33/100")
        assert "Corrected by you" not in text_of(again, "#detail-grades")
        assert again.store.attempts()[0].corrected is None
        await pilot.press("escape")
        await wait_for_screen(pilot, ReviewScreen)


async def test_a_key_beyond_the_rubric_only_says_how_many_points_there_are(
    isolated_home: Path,
) -> None:
    app = app_on(isolated_home / "a.sqlite3", plan=SessionPlan(mode="all"))
    async with app.run_test(size=SIZE) as pilot:
        await answer(pilot, "nothing useful")
        points = len(app.screen.automatic.points)
        await pilot.press("9")
        await wait_until(pilot, lambda: bool(app._notifications), "a notice")
        assert any(f"press 1-{points}" in n.message for n in app._notifications)
        assert app.store.attempts()[0].corrected is None


async def test_a_remembered_phrase_earns_the_point_in_the_next_attempt(
    isolated_home: Path, tmp_path: Path
) -> None:
    from mockinterview.bank.markdown import parse_question

    root = tmp_path / "bank"
    (root / "ml").mkdir(parents=True)
    (root / "ml" / "L2.md").write_text(QUESTION, encoding="utf-8")
    question = parse_question(QUESTION, root / "ml" / "L2.md")
    (tmp_path / "rubrics").mkdir()
    rubric_file = tmp_path / "rubrics" / "L2.toml"
    rubric_file.write_text(RUBRIC.format(hash=question.answer_hash), encoding="utf-8")
    bundled = rubric_file.read_bytes()
    path = isolated_home / "attempts.sqlite3"
    plan = SessionPlan(mode="all")

    first = app_on(path, load_bank(root), OfflineGrader(), plan)
    async with first.run_test(size=SIZE) as pilot:
        await answer(pilot, ANSWER)
        screen = first.screen
        assert [p.verdict for p in screen.automatic.points] == ["miss", "hit"]
        explanation = text_of(first, "#grade-explain")
        assert explanation.startswith("Offline grade: the rubric points recognised")
        await pilot.press("1")
        await wait_for_screen(pilot, RememberScreen)
        assert isinstance(first.screen, RememberScreen)
        field = first.screen.query_one("#remember-phrase", Input)
        assert field.value and len(field.value.split()) <= 8  # the answer's own words
        field.value = PHRASE
        await pilot.press("enter")
        overlay_file = isolated_home / OVERLAY_DIR / "L2.toml"
        await wait_until(
            pilot,
            lambda: first.screen is screen and overlay_file.exists(),
            "back on the result, the phrase written",
        )
        assert "(your correction)" in text_of(first, "#grade-score")
        loaded = read_overlay(overlay_file)
        assert loaded.problems == [] and loaded.overlay is not None
        assert loaded.overlay.points == {"p1": [PHRASE]}
        await wait_until(pilot, lambda: bool(first._notifications), "a notice")
        assert any("now earns it" in n.message for n in first._notifications)
    assert rubric_file.read_bytes() == bundled  # the bundled rubric is untouched

    second = app_on(path, load_bank(root), OfflineGrader(), plan)
    async with second.run_test(size=SIZE) as pilot:
        await answer(pilot, ANSWER)
        assert [p.verdict for p in second.screen.automatic.points] == ["hit", "hit"]
        assert "→" not in text_of(second, "#grade-score")  # no correction needed this time
