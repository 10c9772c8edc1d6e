"""SIGTERM and SIGHUP end the app the way ctrl+q does, in a bounded time, in every state.

The handler is a plain `signal.signal` one, not the event loop's: Python runs it on the main
thread at the next bytecode even when the loop is stuck (a terminal that went away blocks
Textual's exit in its writer thread: `tmux kill-session` right after ctrl+s left processes
running that ignored SIGTERM). It saves the draft at once (the store waits at most a fraction
of a second for a lock; what it refuses goes to a file, see `tui.saving`), asks the loop to
exit normally, so a live terminal gets its alternate screen and mouse reporting back, and
starts a watchdog: if the process is still alive `GRACE` seconds later, it leaves with
`os._exit` without waiting on the terminal any more.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
import time
from types import FrameType
from typing import TYPE_CHECKING, Any

from mockinterview.tui.host import host_of

if TYPE_CHECKING:
    from textual.app import App

EXIT_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
GRACE = 2.0  # seconds the normal exit may take before the watchdog ends the process
MESSAGE = "Stopped by {name}: the session and your draft are kept; run mockinterview to resume."
# what Textual would write on a normal exit: main screen back, mouse and bracketed paste off
RESTORE_TERMINAL = b"\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?2004l\x1b[?25h\x1b[?1049l"

_previous: dict[int, Any] = {}
_stopping = threading.Event()


def install_exit_signals(app: App[Any]) -> None:
    """Route the exit signals to `exit_on_signal` (main thread only; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        return
    loop = asyncio.get_running_loop()

    def handler(signum: int, frame: FrameType | None) -> None:
        exit_on_signal(app, signal.Signals(signum), loop)

    for sig in EXIT_SIGNALS:
        with contextlib.suppress(ValueError, OSError):
            previous = signal.signal(sig, handler)
            _previous.setdefault(sig, previous)


def restore_exit_signals() -> None:
    """Put back the handlers there were before (the app has ended: tests run many apps)."""
    if threading.current_thread() is not threading.main_thread():
        return
    for sig, previous in list(_previous.items()):
        with contextlib.suppress(ValueError, OSError, TypeError):
            signal.signal(sig, previous)
        _previous.pop(sig, None)


def exit_on_signal(app: App[Any], sig: signal.Signals, loop: asyncio.AbstractEventLoop) -> None:
    """Save, ask the loop to exit, and make sure the process ends within `GRACE` seconds."""
    if _stopping.is_set():
        return  # a second signal: the watchdog is already counting
    _stopping.set()
    threading.Thread(target=_watchdog, args=(app,), name="exit-watchdog", daemon=True).start()
    saved = save_everything(app)
    host = host_of(app)
    active = host.session is not None and not host.session.finished
    message = MESSAGE.format(name=sig.name) if active else None
    try:  # through the loop's own wake-up: this handler may have interrupted the loop itself
        loop.call_soon_threadsafe(lambda: app.exit(return_code=0 if saved else 1, message=message))
    except RuntimeError:  # the loop is closed: nothing left to wait for
        os._exit(0 if saved else 1)


def save_everything(app: App[Any]) -> bool:
    """Write the draft on screen (of an answer or a follow-up) and whatever the store refused
    before; True when all of it is in the database (else what could not be written is in a
    file beside it)."""
    from mockinterview.tui.screens.follow_up import FollowUpScreen
    from mockinterview.tui.screens.question import QuestionScreen

    with contextlib.suppress(Exception):  # exit regardless: a process left hanging is worse
        for screen in app.screen_stack:
            if isinstance(screen, QuestionScreen | FollowUpScreen):
                screen.save_draft()
    saves = getattr(app, "saves", None)
    if saves is None:
        return True
    try:
        return not saves.flush()
    except Exception:
        return False


def _watchdog(app: App[Any]) -> None:
    """Still here after `GRACE` seconds: the exit is stuck (a dead terminal), so leave now."""
    time.sleep(GRACE)
    saved = True
    with contextlib.suppress(Exception):
        saves = getattr(app, "saves", None)
        saved = saves is None or not saves.flush()
    with contextlib.suppress(Exception):  # a terminal still there gets its screen back
        os.set_blocking(1, False)
        os.write(1, RESTORE_TERMINAL)
    os._exit(0 if saved else 1)
