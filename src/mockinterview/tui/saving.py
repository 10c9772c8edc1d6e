"""Writes the store refused, kept in memory and retried in the background.

The app's connection waits only `BUSY_TIMEOUT` for another process's write lock (a second app,
`grade --save`, a sqlite3 shell holding `BEGIN EXCLUSIVE`), so a held lock never freezes the
screen. A write that fails (locked, disk full, a damaged page) is kept here, newest per key
(one draft, one attempt), said once in place ("Could not save your draft to <db>: database is
locked; retrying") and retried with back-off until it goes through, when the candidate is told.
At exit whatever is still refused gets one last, longer try, then is written to a plain file
beside the database, so no answer typed is ever lost.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mockinterview.store import StoreError

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer

    from mockinterview.store import Store

BUSY_TIMEOUT = 0.1  # seconds a write on the UI thread may wait for another's lock
BACKOFF = (0.25, 0.5, 1.0, 2.0, 4.0)  # seconds between retries; the last one repeats
EXIT_TIMEOUT = 1.0  # the last try at exit (the signal path keeps the whole exit under ~2 s)
RECOVERY_DIR = "unsaved"


@dataclass(slots=True)
class Pending:
    """One refused write: how to do it again, what it is in words, and its text to keep."""

    write: Callable[[], None]
    what: str  # "your draft", "your attempt"
    text: str  # the answer, written to a file if it can never be saved
    label: str  # a file name part: session and question
    then: Callable[[], None] | None = None  # once written by a retry (not at exit): move on


class PendingSaves:
    """The refused writes of one app, retried on its timers (all on the UI thread)."""

    def __init__(self, app: App[Any], store: Store) -> None:
        self.app = app
        self.store = store
        self._pending: dict[str, Pending] = {}
        self._timer: Timer | None = None
        self._tries = 0
        self._exiting = False

    @property
    def waiting(self) -> bool:
        return bool(self._pending)

    def save(self, key: str, pending: Pending) -> bool:
        """Write now; if refused, keep it (replacing an older one of the same key), say so
        and retry later. True when it is in the database."""
        self._pending.pop(key, None)
        if self._pending:  # others wait already: keep the order, retry together
            self._pending[key] = pending
            self._schedule()
            return False
        try:
            pending.write()
        except StoreError as exc:
            self._pending[key] = pending
            self._refused(pending, exc)
            return False
        self._recovered([pending])
        return True

    def drop(self, key: str) -> None:
        """Forget a refused write that no longer matters (a draft of a question now answered)."""
        self._pending.pop(key, None)

    def _refused(self, pending: Pending, exc: StoreError) -> None:
        if self._tries == 0:  # once per spell of failures, not every second
            self.app.notify(
                f"Could not save {pending.what} to {_where(exc, self.store)}: {exc.reason}; "
                "retrying in the background. It is kept in memory meanwhile.",
                title="Not saved yet",
                severity="error",
                timeout=10,
                markup=False,
            )
        self._schedule()

    def _schedule(self) -> None:
        if self._timer is not None:
            return
        delay = BACKOFF[min(self._tries, len(BACKOFF) - 1)]
        self._tries += 1
        self._timer = self.app.set_timer(delay, self.retry, name="store-retry")

    def retry(self) -> None:
        """Write what waits, oldest first; stop at the first refusal and try again later."""
        self._timer = None
        saved: list[Pending] = []
        while self._pending:
            key, pending = next(iter(self._pending.items()))
            try:
                pending.write()
            except StoreError:
                self._schedule()
                return
            self._pending.pop(key, None)
            saved.append(pending)
        if not self._exiting:
            for pending in saved:
                if pending.then is not None:
                    pending.then()
        self._recovered(saved)

    def _recovered(self, saved: list[Pending]) -> None:
        """Everything is in: after a spell of refusals, say so once and stop retrying."""
        if self._pending:
            return
        if saved and self._tries and not self._exiting:  # no notices while the app closes
            self.app.notify(
                f"Saved {' and '.join(dict.fromkeys(p.what for p in saved))}: the database "
                "is free again.",
                title="Saved",
                timeout=4,
            )
        self._tries = 0
        self._stop_timer()

    def flush(self, timeout: float = EXIT_TIMEOUT) -> list[str]:
        """At exit: one last try with a longer wait for the lock, then whatever is still refused
        goes to a text file beside the database. Returns what was not saved, in words
        ("your draft (kept in <file>)"); empty when everything is in the database."""
        self._exiting = True
        self._stop_timer()
        if not self._pending:
            return []
        self.store.set_busy_timeout(timeout)
        try:
            self.retry()
        finally:
            self.store.set_busy_timeout(BUSY_TIMEOUT)
            self._stop_timer()
        unsaved = []
        for pending in self._pending.values():
            path = self._keep_in_file(pending)
            unsaved.append(f"{pending.what} (kept in {path})" if path else pending.what)
        self._pending.clear()
        return unsaved

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _keep_in_file(self, pending: Pending) -> Path | None:
        if not pending.text.strip():
            return None
        # An in-memory store (tests, throwaway runs) has no folder: never the working directory.
        base = (
            self.store.path.parent
            if self.store.path is not None
            else Path(tempfile.gettempdir()) / "mockinterview"
        )
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = base / RECOVERY_DIR / f"{pending.label}-{stamp}.md"
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(pending.text, encoding="utf-8")
            return path
        return None


def _where(exc: StoreError, store: Store) -> str:
    return str(exc.path or store.path or "the in-memory database")
