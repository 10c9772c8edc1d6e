"""Whole interview sessions driven through the app with Pilot, checked against the store."""

from __future__ import annotations

import threading
from pathlib import Path

from textual.widgets import Button, DataTable, Select, Static, TextArea

from mockinterview.practice.plan import SessionPlan
from mockinterview.store import Store
from mockinterview.tui.screens.confirm import ConfirmScreen
from mockinterview.tui.screens.help import HelpScreen
from mockinterview.tui.screens.question import QuestionScreen
from mockinterview.tui.screens.result import ResultScreen
from mockinterview.tui.screens.start import StartScreen
from mockinterview.tui.screens.summary import SummaryScreen
from mockinterview.tui.widgets.grade_view import GradeView
from tui_helpers import FakeGrader, build_app, wait_for_screen, wait_until, workers_done

SIZE = (100, 30)


async def type_answer(pilot, text: str) -> None:
    pilot.app.screen.query_one("#answer", TextArea).text = text
    await pilot.pause()


def screen_text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_whole_session_answer_skip_empty_then_summary() -> None:
    store = Store.open(":memory:")
    app = build_app(store, plan=SessionPlan(mode="all"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.screen.question.id == "ml-001"
        assert "Question 1 of 3" in screen_text(app, "#progress")

        await type_answer(pilot, "High bias makes models underfit; the trade-off is real.")
        assert screen_text(app, "#words") == "9 words"
        await pilot.press("ctrl+s")
        await workers_done(pilot)
        assert isinstance(app.screen, ResultScreen)
        view = app.screen.query_one(GradeView)
        verdicts = {p.id: p.verdict for p in view.grade.points}
        assert verdicts == {"p1": "hit", "p2": "miss", "p3": "hit"}
        rendered = " ".join(str(s.render()) for s in view.query(Static))
        assert "Variance means overfitting" in rendered
        assert "Variance: sensitivity to data." in rendered  # reference text of the missed point
        assert "“underfit”" in rendered  # the evidence that earned p1

        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.screen.question.id == "ml-002"
        await pilot.press("ctrl+n")  # skip
        await pilot.pause()
        assert app.screen.question.id == "sys-001"

        await pilot.press("ctrl+s")  # empty answer: asked first
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ResultScreen)
        assert app.screen.grade.score == 0
        assert "empty" in app.screen.grade.warnings[0]

        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        table = app.screen.query_one("#summary-table", DataTable)
        assert table.row_count == 3
        assert [str(c) for c in table.get_row_at(1)][2] == "skipped"
        assert "Variance means overfitting" in screen_text(app, "#summary-missed")

    attempts = store.attempts(newest_first=False)
    assert [a.question_id for a in attempts] == ["ml-001", "ml-002", "sys-001"]
    assert [a.skipped for a in attempts] == [False, True, False]
    assert attempts[0].score == app.session.outcomes[0].score
    assert attempts[0].rubric_hash == app.bank.rubric_for("ml-001").content_hash
    assert store.session(app.session.id).status == "finished"
    assert app.session.weak_ids() == ["ml-002", "sys-001"]  # ml-001 scored 67


async def test_retry_weak_starts_a_session_of_the_weak_questions() -> None:
    store = Store.open(":memory:")
    app = build_app(store, plan=SessionPlan(mode="topic", topic="machine-learning"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_answer(pilot, "underfit and overfit, a trade-off")
        await pilot.press("ctrl+s")
        await workers_done(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        first_session = app.session.id
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.session.id != first_session
        assert app.session.question_ids == ["ml-002"]  # ml-001 scored 100, not weak


async def test_grading_runs_in_a_thread_and_escape_cancels_it() -> None:
    gate = threading.Event()
    grader = FakeGrader(gate=gate)
    app = build_app(plan=SessionPlan(mode="all"), grader=grader)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_answer(pilot, "models underfit")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: grader.calls == 1, "the grading thread to start")
        screen = app.screen
        assert screen.grading
        assert "Grading" in screen_text(app, "#grading-status")
        assert screen.query_one("#answer", TextArea).read_only
        await pilot.press("escape")
        await pilot.pause()
        assert not screen.grading
        gate.set()
        await wait_until(pilot, lambda: grader.finished == 1, "the late grade")
        await pilot.pause()  # the app has had its chance to take it
        assert app.screen is screen  # the late grade was ignored
        assert screen.query_one("#answer", TextArea).text == "models underfit"
        assert not screen.query_one("#answer", TextArea).read_only
        assert app.store.attempts() == []


async def test_hint_reveals_an_uncovered_point_and_is_recorded() -> None:
    store = Store.open(":memory:")
    app = build_app(store, plan=SessionPlan(mode="all"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_answer(pilot, "It is about models that underfit.")
        await pilot.press("ctrl+t")
        await workers_done(pilot)
        assert "Variance means overfitting" in screen_text(app, "#hint-text")
        await pilot.press("ctrl+s")
        await workers_done(pilot)
    assert store.attempts()[0].hints == ["p2"]


async def test_draft_autosaves_while_typing() -> None:
    store = Store.open(":memory:")
    app = build_app(store, plan=SessionPlan(mode="all"), autosave_seconds=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"bias")

        def saved() -> str | None:
            draft = store.draft(app.session.id, "ml-001")
            return draft.text if draft is not None else None

        await wait_until(pilot, lambda: saved() == "bias", "the autosave of 'bias'")


async def test_quit_asks_then_the_session_and_draft_are_offered_back(tmp_path: Path) -> None:
    db = tmp_path / "attempts.sqlite3"
    store = Store.open(db)
    app = build_app(store, plan=SessionPlan(mode="all"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_answer(pilot, "underfit")  # answer the first...
        await pilot.press("ctrl+s")
        await workers_done(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await type_answer(pilot, "half an answer about weights")  # ...and start the second
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # stay
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0
    session_id = app.session.id
    store.close()

    store = Store.open(db)
    assert store.resumable_session().id == session_id
    again = build_app(store)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, StartScreen)
        assert "question 2 of 3" in screen_text(again, "#resume-text")
        await pilot.click("#resume")
        await pilot.pause()
        assert isinstance(again.screen, QuestionScreen)
        assert again.screen.question.id == "ml-002"
        editor = again.screen.query_one("#answer", TextArea)
        assert editor.text == "half an answer about weights"
        assert again.session.outcomes[0].question_id == "ml-001"


async def test_discard_drops_the_resume_offer() -> None:
    store = Store.open(":memory:")
    session_id = store.start_session(["ml-001"], {"mode": "all"})
    app = build_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click("#discard")
        await pilot.pause()
        await pilot.press("y")  # discarding cannot be undone: it asks first
        await pilot.pause()
        assert not app.screen.query("#resume-banner")
    assert store.session(session_id).status == "abandoned"


async def test_start_screen_sets_up_a_topic_session() -> None:
    store = Store.open(":memory:")
    app = build_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        topics = app.screen.query_one("#topics", DataTable)
        assert topics.row_count == 2
        assert [str(c) for c in topics.get_row_at(1)][:2] == ["systems", "1"]
        app.screen.query_one("#topic", Select).value = "machine-learning"
        await pilot.pause()
        assert app.screen.query_one("#mode", Select).value == "topic"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.session.question_ids == ["ml-001", "ml-002"]


async def test_start_screen_rejects_a_bad_count() -> None:
    app = build_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#count").value = "0"
        await pilot.click("#start")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert app.session is None


async def test_time_limit_submits_when_time_is_up() -> None:
    now = [1000.0]
    store = Store.open(":memory:")
    plan = SessionPlan(mode="all", time_limit=60)
    app = build_app(store, plan=plan, clock=lambda: now[0])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert screen_text(app, "#timer") == "01:00 left"
        await type_answer(pilot, "overfit")
        now[0] += 61
        await wait_for_screen(pilot, ResultScreen)  # the clock's next tick submits
    assert store.attempts()[0].seconds >= 60


async def test_huge_answer_is_graded_and_shown_without_freezing() -> None:
    store = Store.open(":memory:")
    app = build_app(store, plan=SessionPlan(mode="all"))
    huge = ("the model may underfit " * 5000)[:100_000]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_answer(pilot, huge)
        assert screen_text(app, "#words") == f"{len(huge.split())} words"
        await pilot.press("ctrl+s")
        await workers_done(pilot)
        assert isinstance(app.screen, ResultScreen)
        answer = str(app.screen.query_one("#grade-answer", Static).render())
        assert "more characters not shown" in answer
    assert len(store.attempts()[0].answer) == 100_000


async def test_help_screen_and_theme_toggle() -> None:
    app = build_app(plan=SessionPlan(mode="all"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        before = app.theme
        await pilot.press("f2")
        assert app.theme != before


async def test_result_screen_reveals_the_reference_answer() -> None:
    app = build_app(plan=SessionPlan(mode="all"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_answer(pilot, "underfit")
        await pilot.press("ctrl+s")
        await workers_done(pilot)
        reference = app.screen.query_one("#reference-answer")
        assert not reference.display
        await pilot.press("r")
        await pilot.pause()
        assert reference.display


async def test_grader_error_keeps_the_answer() -> None:
    class Broken(FakeGrader):
        def grade(self, question, rubric, answer):
            raise RuntimeError("endpoint down")

    app = build_app(plan=SessionPlan(mode="all"), grader=Broken())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_answer(pilot, "underfit")
        await pilot.press("ctrl+s")
        await workers_done(pilot)
        assert isinstance(app.screen, QuestionScreen)
        assert not app.screen.grading
        assert app.screen.query_one("#answer", TextArea).text == "underfit"
        assert not app.screen.query_one("#submit", Button).disabled


async def test_an_unwritable_store_at_submit_keeps_the_answer() -> None:
    from mockinterview.store import StoreError

    store = Store.open(":memory:")

    def refuse(**_: object) -> int:
        raise StoreError("attempts.sqlite3: could not save (disk I/O error).")

    store.record_attempt = refuse  # type: ignore[method-assign]
    app = build_app(store, plan=SessionPlan(mode="all"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_answer(pilot, "underfit")
        await pilot.press("ctrl+s")
        await workers_done(pilot)
        assert isinstance(app.screen, QuestionScreen)  # waits, retrying in the background
        assert app.screen.query_one("#answer", TextArea).text == "underfit"
        assert any("Could not save your attempt" in n.message for n in app._notifications)
        assert any("could not save (disk I/O error)" in n.message for n in app._notifications)
        await pilot.press("escape")  # stop waiting: the answer is editable again
        await pilot.pause()
        assert not app.screen.grading
        assert not app.saves.waiting
        assert app.screen.query_one("#answer", TextArea).text == "underfit"


async def test_leaving_a_question_for_a_new_session_keeps_its_draft() -> None:
    store = Store.open(":memory:")
    app = build_app(store, plan=SessionPlan(mode="all"), autosave_seconds=30)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_answer(pilot, "a thought in progress")
        session_id = app.session.id
        app.show_start()
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
    assert store.draft(session_id, "ml-001").text == "a thought in progress"


class FakeLLMGrader(FakeGrader):
    """The fake grade dressed as an LLM's: follow-up, tokens, cost, and the offline grade."""

    def grade(self, question, rubric, answer):
        offline = FakeGrader().grade(question, rubric, "")  # every point missed
        grade = super().grade(question, rubric, answer)
        grade.grader = "llm:gpt-test"
        grade.extra = {
            "model": "gpt-test",
            "follow_up": "How would you measure variance?",
            "tokens": {"prompt": 702, "completion": 231, "count_method": "tiktoken o200k_base"},
            "cost_usd": 0.0012,
            "offline_grade": offline.to_dict(),
        }
        return grade


async def test_result_screen_shows_llm_follow_up_usage_and_disagreements() -> None:
    app = build_app(Store.open(":memory:"), plan=SessionPlan(mode="all"), grader=FakeLLMGrader())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_answer(pilot, "High bias makes models underfit.")
        await pilot.press("ctrl+s")
        await workers_done(pilot)
        assert isinstance(app.screen, ResultScreen)
        assert "How would you measure variance?" in screen_text(app, "#grade-follow-up")
        assert screen_text(app, "#grade-usage") == (
            "model gpt-test · tokens: 702 prompt + 231 completion (budget counted with "
            "tiktoken o200k_base); estimated cost $0.0012"
        )
        assert "Bias means underfitting" in screen_text(app, "#grade-disagreements")


async def test_result_screen_of_an_offline_grade_never_imports_the_llm_report(
    monkeypatch,
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "mockinterview.grading.llm.report", None)  # import fails
    app = build_app(Store.open(":memory:"), plan=SessionPlan(mode="all"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await type_answer(pilot, "High bias makes models underfit.")
        await pilot.press("ctrl+s")
        await workers_done(pilot)
        assert isinstance(app.screen, ResultScreen)
        assert not app.screen.query("#grade-usage")
