"""A real process is killed mid-answer; the next start offers the session and the draft back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from textual.widgets import Static, TextArea

from mockinterview.store import Store
from mockinterview.tui.screens.question import QuestionScreen
from mockinterview.tui.screens.start import StartScreen
from tui_helpers import build_app

TESTS = Path(__file__).resolve().parent

CHILD = textwrap.dedent(
    """
    import asyncio, sys, time
    sys.path.insert(0, sys.argv[2])
    from textual.widgets import TextArea
    from tui_helpers import build_app
    from mockinterview.store import Store
    from mockinterview.tui.plan import SessionPlan

    async def main():
        store = Store.open(sys.argv[1])
        app = build_app(store, plan=SessionPlan(mode="all"), autosave_seconds=1.0,
                        clock=time.monotonic)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            app.screen.query_one("#answer", TextArea).text = "models underfit"
            await pilot.press("ctrl+s")
            await pilot.pause(0.5)
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press(*"L2 keeps the ")
            await pilot.pause(0.3)
            await pilot.press(*"weights small")
            await pilot.pause(1.5)  # one autosave period and a little
            print("READY", app.session.id, flush=True)
            await asyncio.sleep(120)

    asyncio.run(main())
    """
)


async def test_kill_9_mid_answer_then_resume(tmp_path: Path) -> None:
    db = tmp_path / "attempts.sqlite3"
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, str(script), str(db), str(TESTS)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        line = child.stdout.readline()
        assert line.startswith("READY"), child.stderr.read() if child.poll() is not None else line
        session_id = int(line.split()[1])
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()

    store = Store.open(db)
    assert store.resumable_session().id == session_id
    assert store.draft(session_id, "ml-002").text == "L2 keeps the weights small"
    assert [a.question_id for a in store.attempts(session_id=session_id)] == ["ml-001"]

    app = build_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        offer = str(app.screen.query_one("#resume-text", Static).render())
        assert "question 2 of 3" in offer
        await pilot.click("#resume")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.screen.question.id == "ml-002"
        assert app.screen.query_one("#answer", TextArea).text == "L2 keeps the weights small"
        assert app.screen.elapsed > 0  # time spent before the crash still counts
