"""Practising from the review screens (review, one attempt, a comparison, progress): they close
first, since they would linger under the session, then the app starts the questions.

With a session left unfinished the app asks first (`tui.unfinished`); the review screens close
only once the candidate resumes or discards it, so cancelling leaves them as they were. Escape
on the practice's first question comes back to them (`tui.leaving`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockinterview.tui.host import host_of

if TYPE_CHECKING:
    from textual.screen import Screen

    from mockinterview.review.rows import BankLike


def start_practice(screen: Screen[Any], question_ids: list[str]) -> None:
    """Close the review screens (those with `closes_on_practice`), then start practising."""
    app = screen.app
    host = host_of(app)
    from mockinterview.tui.leaving import remember_origin

    def close_review_screens() -> None:
        remember_origin(app, question_ids)  # escape on the question comes back here
        while len(app.screen_stack) > 1 and getattr(app.screen, "closes_on_practice", False):
            app.pop_screen()

    if callable(getattr(host, "resumable", None)):
        from mockinterview.tui.unfinished import ask_before_replacing

        asked = ask_before_replacing(host, question_ids, None)
        if asked is not None:
            dialog, decided = asked

            def answered(choice: str | None) -> None:
                if choice in ("resume", "discard"):
                    close_review_screens()
                    decided(choice)

            app.push_screen(dialog, answered)
            return
    close_review_screens()
    host.start_session(question_ids)


def retry(screen: Screen[Any], question_id: str, bank: BankLike | None) -> None:
    """Practise one question again, unless the bank no longer has it (then say so)."""
    if bank is None or question_id not in bank.questions:
        screen.notify(f"{question_id} is no longer in the bank.", severity="warning")
        return
    start_practice(screen, [question_id])
