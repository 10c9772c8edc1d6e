"""Escape on a question: back one step, never a skip recorded nobody asked for.

A retry started from the review screens goes back to them (filter, sort and cursor as they
were) when nothing was written yet: the retry is dropped, not left as an unfinished session.
Any other session, or one with an answer under way, is kept resumable (draft and all) once the
candidate says so, and the start screen offers it back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol
from weakref import WeakKeyDictionary

from mockinterview.tui.host import host_of

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen


class Leavable(Protocol):
    """What leaving needs of the question screen."""

    app: App[Any]
    hints: list[str]

    @property
    def answer_text(self) -> str: ...

    def save_draft(self) -> None: ...


@dataclass(slots=True)
class Origin:
    """The review screens a practice was started from, to open again on escape."""

    question_ids: list[str]
    screens: list[Screen[Any]]  # fresh copies, as they were left, bottom first


_origins: WeakKeyDictionary[App[Any], Origin] = WeakKeyDictionary()


def remember_origin(app: App[Any], question_ids: list[str]) -> None:
    """Copy the review screens open now (each that can `reopen` itself), before they close:
    their filter, sort and cursor are read while they are still mounted."""
    copies = [
        screen.reopen()  # type: ignore[attr-defined]
        for screen in app.screen_stack
        if getattr(screen, "closes_on_practice", False) and callable(getattr(screen, "reopen", 0))
    ]
    _origins[app] = Origin(list(question_ids), copies)


def leave_question(screen: Leavable) -> None:
    """Back one step from a question: drop an untouched session at once, else ask first."""
    app = screen.app
    host = host_of(app)
    session = host.session
    if session is None:
        host.show_start()
        return
    untouched = not session.outcomes and not screen.answer_text.strip() and not screen.hints
    if untouched:
        host.session = None  # first: leaving the question screen must not save a draft
        host.store.finish_session(session.id, status="abandoned")
        _go_back(app, session.question_ids)
        return
    from mockinterview.tui.screens.confirm import ConfirmScreen

    def decided(leave: bool | None) -> None:
        if leave and host.session is session:
            screen.save_draft()
            host.session = None
            _go_back(app, session.question_ids)
            app.notify("Session kept: the start screen offers to resume it.")

    app.push_screen(
        ConfirmScreen(
            "Leave this session? It is kept, draft and all: the start screen offers to resume it.",
            "Leave",
            "Stay",
        ),
        decided,
    )


def _go_back(app: App[Any], question_ids: list[str]) -> None:
    """The start screen, and on it the review screens the practice came from, if any."""
    host_of(app).show_start()
    origin = _origins.pop(app, None)
    if origin is None or origin.question_ids != question_ids:
        return
    for screen in origin.screens:
        app.push_screen(screen, getattr(app.screen_stack[-1], "reopened_child", None))
