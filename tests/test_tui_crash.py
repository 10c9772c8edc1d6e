"""A real process is killed mid-answer; the next start offers the session and the draft back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
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
    from tui_helpers import build_app, wait_until, workers_done
    from mockinterview.store import Store
    from mockinterview.practice.plan import SessionPlan

    async def main():
        store = Store.open(sys.argv[1])
        app = build_app(store, plan=SessionPlan(mode="all"), autosave_seconds=1.0,
                        clock=time.monotonic)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            app.screen.query_one("#answer", TextArea).text = "models underfit"
            await pilot.press("ctrl+s")
            await workers_done(pilot)
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press(*"L2 keeps the ")
            await pilot.press(*"weights small")

            def autosaved():
                draft = store.draft(app.session.id, "ml-002")
                return draft is not None and draft.text == "L2 keeps the weights small"

            await wait_until(pilot, autosaved, "the autosave")  # by its timer, not a key
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


def _read_until(fd: int, wanted: bytes, seconds: float) -> bytes:
    """Read the pseudo-terminal until `wanted` shows up (or the time or the output runs out)."""
    import select
    import time

    out = b""
    deadline = time.monotonic() + seconds
    while wanted not in out and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
    return out


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_sigterm_saves_the_draft_and_restores_the_terminal(
    tmp_path: Path, sig: signal.Signals
) -> None:
    """The real program in a pseudo-terminal: SIGTERM as soon as the typed words are on screen
    (before an autosave) exits with 0, leaves the alternate screen, turns the mouse off and
    keeps every word."""
    import pty

    master, slave = pty.openpty()
    os.set_blocking(master, True)
    os.system(f"stty -F {os.ttyname(slave)} cols 100 rows 30 2>/dev/null")
    env = {**os.environ, "MOCKINTERVIEW_HOME": str(tmp_path), "TERM": "xterm-256color"}
    child = subprocess.Popen(
        [sys.executable, "-m", "mockinterview", "practice", "--count", "1"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    try:
        seen = _read_until(master, b"Submit", 30)
        assert b"Submit" in seen, seen[-500:]
        os.write(master, b"an answer typed just now")
        shown = _read_until(master, b"typed just now", 15)  # in the editor, not yet autosaved
        assert b"typed just now" in shown, shown[-500:]
        os.kill(child.pid, sig)
        rest = _read_until(master, b"\x00never", 15)
        code = child.wait(15)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        os.close(master)
    assert code == 0
    assert b"Terminated" not in rest
    assert b"\x1b[?1049l" in rest  # left the alternate screen
    assert b"\x1b[?1000l" in rest  # mouse reporting off
    assert f"Stopped by {sig.name}".encode() in rest
    store = Store.open(tmp_path / "attempts.sqlite3")
    session = store.resumable_session()
    assert session is not None
    draft = store.draft(session.id, session.question_ids[0])
    assert draft is not None and draft.text == "an answer typed just now"
