"""The clock of a question: time elapsed, or time left when the session has a limit."""

from __future__ import annotations

from collections.abc import Callable

from textual.message import Message
from textual.widgets import Static

from mockinterview.practice.session import format_seconds

URGENT_SECONDS = 60  # the remaining time turns red below this


class QuestionClock(Static):
    """Ticks once a second; posts `TimeUp` once when a time limit runs out."""

    class TimeUp(Message):
        """The time limit of the question has run out."""

    def __init__(
        self,
        *,
        clock: Callable[[], float],
        time_limit: int | None = None,
        elapsed_before: float = 0.0,
        id: str | None = None,
    ) -> None:
        super().__init__("", id=id)
        self.clock = clock
        self.time_limit = time_limit
        self.elapsed_before = elapsed_before
        self._shown_at = clock()
        self._time_up_sent = False
        self._paused_at: float | None = None

    @property
    def elapsed(self) -> float:
        """Seconds spent on the question, including any before a crash or quit."""
        now = self._paused_at if self._paused_at is not None else self.clock()
        return self.elapsed_before + max(0.0, now - self._shown_at)

    def pause(self) -> None:
        """Stop counting (a dialog covers the question) until `resume`."""
        if self._paused_at is None:
            self._paused_at = self.clock()

    def resume(self) -> None:
        if self._paused_at is not None:
            self._shown_at += self.clock() - self._paused_at
            self._paused_at = None
            self.tick()

    def on_mount(self) -> None:
        self._shown_at = self.clock()
        self.tick()
        self.set_interval(1.0, self.tick)

    def tick(self) -> None:
        elapsed = self.elapsed
        if not self.time_limit:
            self.update(f"{format_seconds(elapsed)} elapsed")
            return
        remaining = self.time_limit - elapsed
        self.update(f"{format_seconds(remaining)} left")
        self.set_class(remaining <= URGENT_SECONDS, "urgent")
        if remaining <= 0 and not self._time_up_sent:
            self._time_up_sent = True
            self.post_message(self.TimeUp())
