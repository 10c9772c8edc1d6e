"""SIGTERM and SIGHUP end the app the way ctrl+q does: the draft is saved, then a normal exit
lets Textual leave the alternate screen and turn mouse reporting off. Without this the default
action kills the process mid-frame: "Terminated" over the UI and a terminal left broken."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from typing import TYPE_CHECKING, Any

from mockinterview.tui.host import host_of

if TYPE_CHECKING:
    from textual.app import App

EXIT_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
MESSAGE = "Stopped by {name}: the session and your draft are kept; run mockinterview to resume."


def install_exit_signals(app: App[Any]) -> None:
    """Route the exit signals to `exit_on_signal` (main thread only; elsewhere a no-op)."""
    loop = asyncio.get_running_loop()
    for sig in EXIT_SIGNALS:
        with contextlib.suppress(ValueError, RuntimeError, NotImplementedError):
            loop.add_signal_handler(sig, exit_on_signal, app, sig)


def exit_on_signal(app: App[Any], sig: signal.Signals) -> None:
    from mockinterview.tui.screens.question import QuestionScreen

    for screen in app.screen_stack:
        if isinstance(screen, QuestionScreen):
            with contextlib.suppress(Exception):  # exit regardless: a broken terminal is worse
                screen.save_draft()
    session = host_of(app).session
    active = session is not None and not session.finished
    app.exit(message=MESSAGE.format(name=sig.name) if active else None)
