"""The real program in a pseudo-terminal ends within seconds on SIGHUP or SIGTERM right after
ctrl+s, even when its terminal is already gone (as `tmux kill-session` leaves it), and what was
typed is in the database: as the graded attempt, or as the draft if the grade came too late."""

from __future__ import annotations

import fcntl
import os
import pty
import shutil
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from mockinterview.store import Store

ANSWER = b"models underfit when too simple"
BOUND = 8.0  # seconds: the app gives its normal exit 2 s, then leaves without the terminal


def _read_until(fd: int, wanted: bytes, seconds: float) -> bytes:
    import select

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


def _controlling_terminal() -> None:
    """In the child: a session of its own with the pty as its controlling terminal, as a shell
    in tmux has, so closing the master sends it SIGHUP from the kernel."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _start(home: Path) -> tuple[subprocess.Popen[bytes], int]:
    master, slave = pty.openpty()
    os.set_blocking(master, True)
    os.system(f"stty -F {os.ttyname(slave)} cols 100 rows 30 2>/dev/null")
    env = {**os.environ, "MOCKINTERVIEW_HOME": str(home), "TERM": "xterm-256color"}
    child = subprocess.Popen(
        [sys.executable, "-m", "mockinterview", "practice", "--count", "1"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        preexec_fn=_controlling_terminal,  # setsid + TIOCSCTTY: nothing else runs before exec
    )
    os.close(slave)
    return child, master


def _typed_and_submitted(master: int) -> None:
    seen = _read_until(master, b"Submit", 30)
    assert b"Submit" in seen, seen[-500:]
    os.write(master, ANSWER)
    shown = _read_until(master, ANSWER[-12:], 15)
    assert ANSWER[-12:] in shown, shown[-500:]
    os.write(master, b"\x13")  # ctrl+s


def _kept(home: Path) -> str:
    """Where the answer is: "attempt" or "draft" (anything else fails the test)."""
    store = Store.open(home / "attempts.sqlite3")
    try:
        attempts = store.attempts()
        if attempts:
            assert [a.answer for a in attempts] == [ANSWER.decode()]
            return "attempt"
        session = store.resumable_session()
        assert session is not None, "neither the attempt nor the session was kept"
        draft = store.draft(session.id, session.question_ids[0])
        assert draft is not None and draft.text == ANSWER.decode()
        return "draft"
    finally:
        store.close()


def _ends_within_bound(child: subprocess.Popen[bytes]) -> int:
    try:
        return child.wait(BOUND)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()
        raise AssertionError(f"still running {BOUND} s after the signal") from None


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_the_terminal_gone_then_a_signal_right_after_ctrl_s_ends_the_app(
    tmp_path: Path, sig: signal.Signals
) -> None:
    """As `tmux kill-session` does: the terminal closes, then the signal comes."""
    child, master = _start(tmp_path)
    try:
        _typed_and_submitted(master)
        os.close(master)
        master = -1
        os.kill(child.pid, sig)
        _ends_within_bound(child)
    finally:
        if master >= 0:
            os.close(master)
        if child.poll() is None:
            child.kill()
            child.wait()
    assert _kept(tmp_path) in ("attempt", "draft")


def test_closing_the_terminal_right_after_ctrl_s_ends_the_app(tmp_path: Path) -> None:
    """`tmux kill-session` exactly: the terminal closes and the kernel sends SIGHUP."""
    child, master = _start(tmp_path)
    try:
        _typed_and_submitted(master)
        os.close(master)
        master = -1
        _ends_within_bound(child)
    finally:
        if master >= 0:
            os.close(master)
        if child.poll() is None:
            child.kill()
            child.wait()
    assert _kept(tmp_path) in ("attempt", "draft")


def test_a_signal_then_the_terminal_gone_right_after_ctrl_s_ends_the_app(tmp_path: Path) -> None:
    child, master = _start(tmp_path)
    try:
        _typed_and_submitted(master)
        os.kill(child.pid, signal.SIGHUP)
        os.close(master)
        master = -1
        _ends_within_bound(child)
    finally:
        if master >= 0:
            os.close(master)
        if child.poll() is None:
            child.kill()
            child.wait()
    assert _kept(tmp_path) in ("attempt", "draft")


def test_a_terminal_that_stopped_reading_does_not_keep_the_app_from_ending(
    tmp_path: Path,
) -> None:
    """The terminal is there but reads nothing more (a frozen emulator): SIGTERM still ends
    the app in bounded time, the answer kept."""
    child, master = _start(tmp_path)
    try:
        _typed_and_submitted(master)
        time.sleep(0.5)  # the result screen's frames pile up in the unread terminal
        os.kill(child.pid, signal.SIGTERM)
        _ends_within_bound(child)
    finally:
        os.close(master)
        if child.poll() is None:
            child.kill()
            child.wait()
    assert _kept(tmp_path) in ("attempt", "draft")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_tmux_kill_session_right_after_ctrl_s_ends_the_app(tmp_path: Path) -> None:
    """The report's own steps, in a tmux server of the test's own (its socket in tmp_path)."""
    tmux = ["tmux", "-S", str(tmp_path / "tmux.sock"), "-f", "/dev/null"]
    command = (
        f"MOCKINTERVIEW_HOME={tmp_path} TERM=xterm-256color "
        f"exec {sys.executable} -m mockinterview practice --count 1"
    )
    subprocess.run([*tmux, "new-session", "-d", "-s", "mi", "-x", "100", "-y", "30", command])
    try:
        pid = int(subprocess.check_output([*tmux, "display", "-p", "-t", "mi", "#{pane_pid}"]))

        def screen() -> str:
            return subprocess.run(
                [*tmux, "capture-pane", "-p", "-t", "mi"], capture_output=True, text=True
            ).stdout

        deadline = time.monotonic() + 30
        while "Submit" not in screen() and time.monotonic() < deadline:
            time.sleep(0.1)
        subprocess.run([*tmux, "send-keys", "-t", "mi", "-l", ANSWER.decode()])
        deadline = time.monotonic() + 15
        while ANSWER.decode()[-12:] not in screen() and time.monotonic() < deadline:
            time.sleep(0.1)
        subprocess.run([*tmux, "send-keys", "-t", "mi", "C-s"])
        subprocess.run([*tmux, "kill-session", "-t", "mi"])
        deadline = time.monotonic() + BOUND
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        survived = _alive(pid)
        if survived:
            os.kill(pid, signal.SIGKILL)
        assert not survived, f"still running {BOUND} s after tmux kill-session"
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
    assert _kept(tmp_path) in ("attempt", "draft")


def _alive(pid: int) -> bool:
    """The process exists and is not a zombie (tmux reaps its panes' children)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"
