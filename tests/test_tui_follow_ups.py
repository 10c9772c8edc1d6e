"""The interviewer's follow-up in the app: asked after a graded answer, answered and graded on
the points still open, stored and shown in review; or skipped. Also the start form's switch."""

from __future__ import annotations

import re
from pathlib import Path

from textual.widgets import Checkbox, Static, TextArea

from mockinterview.models import Grade, Question, Rubric
from mockinterview.practice.plan import SessionPlan
from mockinterview.store import Store
from mockinterview.tui.screens.attempt import AttemptScreen
from mockinterview.tui.screens.follow_up import FollowUpScreen
from mockinterview.tui.screens.question import QuestionScreen
from mockinterview.tui.screens.result import ResultScreen
from mockinterview.tui.screens.start import StartScreen
from mockinterview.tui.widgets.grade_view import GradeView
from tui_helpers import QUESTIONS, FakeGrader, build_app, wait_for_screen, workers_done

SIZE = (100, 34)
SHARDING = SessionPlan(mode="topic", topic="systems")  # one question: sys-001 (p1 key, p2 writes)


class RecordingGrader(FakeGrader):
    """The fake grader, noting the rubric points of every grading it is asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.graded_on: list[list[str]] = []

    def grade(self, question: Question, rubric: Rubric, answer: str) -> Grade:
        self.graded_on.append([p.id for p in rubric.points])
        return super().grade(question, rubric, answer)


def rendered(screen: object) -> str:
    return " ".join(str(s.render()) for s in screen.query(Static))  # type: ignore[attr-defined]


async def answer_first(pilot, text: str) -> FollowUpScreen:
    await wait_for_screen(pilot, QuestionScreen)
    pilot.app.screen.query_one("#answer", TextArea).text = text
    await pilot.press("ctrl+s")
    await workers_done(pilot)
    return await wait_for_screen(pilot, FollowUpScreen)


async def test_a_follow_up_is_asked_answered_graded_on_the_open_points_stored_and_reviewed():
    store = Store.open(":memory:")
    grader = RecordingGrader()
    app = build_app(store, plan=SHARDING, grader=grader, follow_ups=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await answer_first(pilot, "Sharding splits rows across machines by a key.")
        asked = str(screen.query_one("#follow-up-question", Static).render())
        assert asked.startswith("A point you didn't cover: “Scales writes”")  # missed p2
        reference = next(q.answer for q in QUESTIONS if q.id == "sys-001")
        assert "beyond one machine" not in asked and reference not in asked
        (attempt,) = store.attempts()  # the answer is stored before the follow-up is asked
        assert attempt.follow_up is None and attempt.score == 50.0

        screen.query_one("#follow-up-answer", TextArea).text = "It also spreads the writes out."
        await pilot.press("ctrl+s")
        await workers_done(pilot)
        result = await wait_for_screen(pilot, ResultScreen)
        assert grader.graded_on == [["p1", "p2"], ["p2"]]  # the follow-up: open points only
        view = result.query_one(GradeView)
        raised = view.grade.score
        assert raised > 50.0  # by what the raised point adds under our scoring
        assert {p.id: p.verdict for p in view.grade.points} == {"p1": "hit", "p2": "hit"}
        text = rendered(result)
        assert f"Score 50 → {raised:.0f} (raised by your follow-up)" in text
        assert "Scales writes  (raised by your follow-up)" in text
        assert "It raised: Scales writes." in text
        assert "It also spreads the writes out." in text

        (attempt,) = store.attempts()
        assert attempt.follow_up is not None and attempt.follow_up.status == "answered"
        assert attempt.follow_up.question == asked
        assert attempt.follow_up.answer == "It also spreads the writes out."
        assert attempt.follow_up.raised == ["p2"] and attempt.follow_up.point_ids == ["p2"]
        assert attempt.score == raised and attempt.follow_up.score_before == 50.0

        await app.push_screen(AttemptScreen(store, app.bank, attempt))  # opened from review
        review = await wait_for_screen(pilot, AttemptScreen)
        shown = rendered(review)
        assert asked in shown and "It also spreads the writes out." in shown
        assert "raised by your follow-up" in shown


async def test_a_skipped_follow_up_is_recorded_and_the_grade_stays():
    store = Store.open(":memory:")
    grader = RecordingGrader()
    app = build_app(store, plan=SHARDING, grader=grader, follow_ups=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await answer_first(pilot, "Sharding splits rows across machines by a key.")
        screen.query_one("#follow-up-answer", TextArea).text = "half a thought about writes"
        await pilot.press("escape")
        result = await wait_for_screen(pilot, ResultScreen)
        assert grader.graded_on == [["p1", "p2"]]  # nothing graded for a skip
        assert result.query_one(GradeView).grade.score == 50.0
        assert "Skipped: the grade is the one of your answer alone." in rendered(result)
    (attempt,) = store.attempts()
    assert attempt.follow_up is not None and attempt.follow_up.skipped
    assert attempt.score == 50.0 and attempt.follow_up.raised == []


async def test_no_follow_up_when_every_point_was_hit_or_when_the_session_turned_them_off():
    store = Store.open(":memory:")
    app = build_app(store, plan=SHARDING, follow_ups=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, QuestionScreen)
        app.screen.query_one("#answer", TextArea).text = "Split by key to scale writes."
        await pilot.press("ctrl+s")
        await workers_done(pilot)
        await wait_for_screen(pilot, ResultScreen)
    off = build_app(Store.open(":memory:"), plan=SHARDING, follow_ups=False)
    async with off.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, QuestionScreen)
        off.screen.query_one("#answer", TextArea).text = "Split by key."
        await pilot.press("ctrl+s")
        await workers_done(pilot)
        await wait_for_screen(pilot, ResultScreen)
        assert off.store.attempts()[0].follow_up is None


async def test_the_start_form_switches_follow_ups_and_remembers_the_choice(tmp_path: Path):
    form_file = tmp_path / "tui-start-form.json"
    app = build_app(Store.open(":memory:"), follow_ups=True)
    app.settings.form_file = form_file
    async with app.run_test(size=(120, 40)) as pilot:
        start = await wait_for_screen(pilot, StartScreen)
        box = start.query_one("#follow-ups", Checkbox)
        assert box.value is True  # on by default
        box.value = False
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, QuestionScreen)
        assert app.session is not None and app.session.plan.follow_ups is False
    assert '"follow_ups": false' in form_file.read_text()
    again = build_app(Store.open(":memory:"), follow_ups=True)
    again.settings.form_file = form_file
    async with again.run_test(size=(120, 40)) as pilot:
        start = await wait_for_screen(pilot, StartScreen)
        assert start.query_one("#follow-ups", Checkbox).value is False


def test_the_follow_up_never_shows_the_reference_of_its_point():
    """The offline follow-up in the app is written from the title and key terms: none of the
    fixed bank's follow-ups holds five words in a row of its reference answer."""
    from mockinterview.practice.followup import offline_question
    from tui_helpers import make_bank

    bank = make_bank()
    for qid, question in bank.questions.items():
        words = re.findall(r"\w+", question.answer.lower())
        runs = {tuple(words[i : i + 5]) for i in range(len(words) - 4)}
        for point in bank.rubrics[qid].points:
            asked = re.findall(r"\w+", offline_question(point, "miss", question.answer).lower())
            assert not {tuple(asked[i : i + 5]) for i in range(len(asked) - 4)} & runs
