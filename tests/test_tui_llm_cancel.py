"""Cancelling an LLM grading stops its request at once, and nothing of it is kept.

A fake OpenAI-compatible server on 127.0.0.1 holds the request open (as a slow model does);
the timeout is 30 s, so anything that waits for it fails the few-second limits below. No test
touches the network.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from textual.widgets import TextArea

from fake_llm_server import (
    GOOD_ANSWER,
    FakeServer,
    Script,
    conv_question_and_rubric,
    quoting_model,
    replay_client,
)
from mockinterview.config import Settings
from mockinterview.grading.llm.client import Cancellation, GradingCancelled, cancellable
from mockinterview.grading.llm.grader import LLMGrader
from mockinterview.grading.offline.grader import OfflineGrader
from mockinterview.practice.plan import SessionPlan
from mockinterview.store import Store
from mockinterview.tui.app import make_app
from mockinterview.tui.screens.confirm import ConfirmScreen
from mockinterview.tui.screens.question import QuestionScreen
from mockinterview.tui.screens.result import ResultScreen
from mockinterview.tui.settings import AppSettings
from tui_helpers import fixed_clock, make_bank, wait_for_screen, wait_until

TIMEOUT = 30.0  # what a cancel must not wait for
PROMPT = 3.0  # what "at once" is allowed, on a loaded machine


class Hold:
    """A server step that keeps the request open until released (a slow model)."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.arrived = threading.Event()

    def __call__(self, payload: dict[str, Any]) -> tuple[int, Any]:
        self.arrived.set()
        self.release.wait(TIMEOUT)
        return quoting_model(payload)


@pytest.fixture
def hold() -> Iterator[Hold]:
    step = Hold()
    yield step
    step.release.set()  # let the server's handler thread end


def llm_grader(url: str, store: Store | None = None, **settings: Any) -> LLMGrader:
    options = {"llm_model": "smollm2-135m", "llm_base_url": url, "timeout": TIMEOUT}
    return LLMGrader(Settings(**(options | settings)), fallback=OfflineGrader(), store=store)


def grade_in_thread(grader: LLMGrader, cancel: Cancellation) -> tuple[threading.Thread, dict]:
    """Grade the conv answer in a thread under `cancel`; `out` gets "grade" or "error" and
    "ended" (when the thread was done)."""
    question, rubric = conv_question_and_rubric()
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            with cancellable(cancel):
                out["grade"] = grader.grade(question, rubric, GOOD_ANSWER)
        except BaseException as exc:  # the test looks at what it was
            out["error"] = exc
        out["ended"] = time.monotonic()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, out


def cache_key(grader: LLMGrader) -> str:
    question, rubric = conv_question_and_rubric()
    return grader.prepare(question, rubric, GOOD_ANSWER).cache_key


# --- the grader ---------------------------------------------------------------------------


def test_cancel_aborts_the_request_in_flight_and_caches_nothing(hold: Hold) -> None:
    store = Store.open(":memory:")
    with FakeServer(Script([hold])) as server:
        grader = llm_grader(server.url, store)
        cancel = Cancellation()
        thread, out = grade_in_thread(grader, cancel)
        assert hold.arrived.wait(10), "the request never reached the server"
        cancelled_at = time.monotonic()
        cancel.cancel()
        thread.join(PROMPT)
        assert not thread.is_alive(), "the request kept running after the cancel"
        assert out["ended"] - cancelled_at < PROMPT
        assert isinstance(out.get("error"), GradingCancelled)  # no grade, not even the offline one
        assert grader.requests_sent == 1  # and no retry
    assert store.cached_grade(cache_key(grader)) is None


def test_cancel_during_the_backoff_stops_the_retries(hold: Hold) -> None:
    script = Script([(500, "server_error_500.response.json")])
    with FakeServer(script) as server:
        grader = llm_grader(server.url, backoff=TIMEOUT, max_retries=3)
        cancel = Cancellation()
        thread, out = grade_in_thread(grader, cancel)
        deadline = time.monotonic() + 10
        while not script.requests and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.2)  # the 500 came back: now in the 30 s back-off
        cancel.cancel()
        thread.join(PROMPT)
        assert not thread.is_alive(), "the back-off was slept to the end"
        assert isinstance(out.get("error"), GradingCancelled)
        assert len(script.requests) == 1


def test_a_grading_cancelled_before_it_starts_sends_nothing() -> None:
    script = Script([quoting_model])
    grader = LLMGrader(
        Settings(llm_model="m", llm_base_url="http://127.0.0.1:9/v1"),
        fallback=OfflineGrader(),
        http_client=replay_client(script),
    )
    cancel = Cancellation()
    cancel.cancel()
    thread, out = grade_in_thread(grader, cancel)
    thread.join(PROMPT)
    assert isinstance(out.get("error"), GradingCancelled)
    assert script.requests == []


def test_a_reply_that_comes_after_the_cancel_is_thrown_away() -> None:
    """With a client handed in (no socket to shut) the reply still arrives: it is not used."""
    arrived, release = threading.Event(), threading.Event()

    def slow(payload: dict[str, Any]) -> tuple[int, Any]:
        arrived.set()
        release.wait(10)
        return quoting_model(payload)

    store = Store.open(":memory:")
    grader = LLMGrader(
        Settings(llm_model="m", llm_base_url="http://127.0.0.1:9/v1"),
        fallback=OfflineGrader(),
        store=store,
        http_client=replay_client(Script([slow])),
    )
    cancel = Cancellation()
    thread, out = grade_in_thread(grader, cancel)
    assert arrived.wait(10)
    cancel.cancel()
    release.set()
    thread.join(10)
    assert isinstance(out.get("error"), GradingCancelled)
    assert store.cached_grade(cache_key(grader)) is None


def test_without_a_cancellation_grading_is_as_before() -> None:
    with FakeServer(Script([quoting_model])) as server:
        grader = llm_grader(server.url)
        question, rubric = conv_question_and_rubric()
        grade = grader.grade(question, rubric, GOOD_ANSWER)
    assert grade.grader == "llm:smollm2-135m"


# --- the app ------------------------------------------------------------------------------


class Watched:
    """The real LLM grader, noting when each grading's thread is done with it."""

    def __init__(self, grader: LLMGrader) -> None:
        self.grader = grader
        self.name = grader.name
        self.ended: list[float] = []
        self.done = threading.Event()  # set when a grading's thread lets go of the grader

    def grade(self, question: Any, rubric: Any, answer: str) -> Any:
        try:
            return self.grader.grade(question, rubric, answer)
        finally:
            self.ended.append(time.monotonic())
            self.done.set()


def llm_app(url: str, store: Store) -> tuple[Any, Watched]:
    watched = Watched(llm_grader(url, store))
    settings = AppSettings(
        plan=SessionPlan(mode="all", grader="llm"), clock=fixed_clock, autosave_seconds=5, seed=7
    )
    app = make_app(bank=make_bank(), store=store, grader=watched, settings=settings)
    return app, watched


async def test_escape_stops_the_llm_request_and_a_new_submit_still_grades(hold: Hold) -> None:
    store = Store.open(":memory:")
    script = Script([hold, quoting_model])
    with FakeServer(script) as server:
        app, watched = llm_app(server.url, store)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, QuestionScreen)
            screen.query_one("#answer", TextArea).text = "Models underfit with high bias."
            await pilot.pause()
            await pilot.press("ctrl+s")
            await wait_until(pilot, hold.arrived.is_set, "the request at the server")
            assert hold.arrived.is_set() and screen.grading
            cancelled_at = time.monotonic()
            await pilot.press("escape")
            await wait_until(pilot, lambda: bool(watched.ended), "the grading thread to end")
            assert watched.ended, "the grading thread still waits for the server"
            assert watched.ended[0] - cancelled_at < PROMPT
            assert not screen.grading and app.screen is screen
            assert screen.query_one("#answer", TextArea).text == "Models underfit with high bias."
            assert store.attempts() == []
            await pilot.press("ctrl+s")  # the same answer again: graded, not stuck behind a lock
            await wait_for_screen(pilot, ResultScreen)
            assert isinstance(app.screen, ResultScreen)
            assert app.screen.grade.grader == "llm:smollm2-135m"
    assert len(script.requests) == 2
    (attempt,) = store.attempts()
    assert attempt.grade is not None and attempt.grade.grader == "llm:smollm2-135m"


async def test_quitting_while_the_llm_grades_does_not_wait_for_the_timeout(hold: Hold) -> None:
    store = Store.open(":memory:")
    with FakeServer(Script([hold])) as server:
        app, watched = llm_app(server.url, store)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            app.screen.query_one("#answer", TextArea).text = "Models underfit."
            await pilot.pause()
            await pilot.press("ctrl+s")
            await wait_until(pilot, hold.arrived.is_set, "the request at the server")
            await pilot.press("ctrl+q")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            quit_at = time.monotonic()
            await pilot.press("y")
            await pilot.pause()
        # the screens are closed (under run_test: here) and the request with them
        ended = await asyncio.to_thread(watched.done.wait, PROMPT)
        assert ended, "the grading thread still waits for the server"
        assert watched.ended[0] - quit_at < PROMPT
    assert store.attempts() == []
