"""Practising from the review screens (review, one attempt, a comparison, progress): they close
first, since they would linger under the session, then the app starts the questions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockinterview.tui.host import host_of

if TYPE_CHECKING:
    from textual.screen import Screen

    from mockinterview.review.rows import BankLike


def start_practice(screen: Screen[Any], question_ids: list[str]) -> None:
    """Close the review screens (those with `closes_on_practice`), then start practising."""
    app = screen.app
    while len(app.screen_stack) > 1 and getattr(app.screen, "closes_on_practice", False):
        app.pop_screen()
    host_of(app).start_session(question_ids)


def retry(screen: Screen[Any], question_id: str, bank: BankLike | None) -> None:
    """Practise one question again, unless the bank no longer has it (then say so)."""
    if bank is None or question_id not in bank.questions:
        screen.notify(f"{question_id} is no longer in the bank.", severity="warning")
        return
    start_practice(screen, [question_id])
