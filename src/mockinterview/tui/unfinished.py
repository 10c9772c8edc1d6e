"""Starting a session while another is unfinished: ask first, never drop it silently.

Resume goes back to it (draft and all), "Discard and start" marks it abandoned and starts the
new one, Cancel (or escape) leaves everything as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from mockinterview.practice.plan import SessionPlan

if TYPE_CHECKING:
    from mockinterview.tui.host import SessionHost
    from mockinterview.tui.screens.choice import ChoiceScreen

Answer = Callable[[str | None], None]  # what to do with the candidate's choice


def describe_session(settings: dict[str, object], total: int) -> str:
    """What a stored session is, in a few words: "retry of 3 questions", "topic ml, 5"."""
    plan = SessionPlan.from_settings(dict(settings))
    return plan.describe(total)


def ask_before_replacing(
    host: SessionHost, ids: list[str], plan: SessionPlan | None
) -> tuple[ChoiceScreen, Answer] | None:
    """The dialog to show, and what to do with its answer, when an unfinished session exists
    (the new session starts later, if the candidate says so); None when there is nothing to
    ask."""
    unfinished = host.resumable()
    if unfinished is None:
        return None  # the usual case, at every start: no dialog module to import
    from mockinterview.tui.screens.choice import ChoiceScreen

    total = len(unfinished.question_ids)
    what = describe_session(unfinished.settings, total)
    message = (
        f"Discard the unfinished session ({what}, at question {unfinished.position + 1} of "
        f"{total}) and its draft? Resume it, discard it and start the new one, or cancel."
    )

    def decided(choice: str | None) -> None:
        if choice == "resume":
            running = host.session is not None and host.session.id == unfinished.id
            if not running:  # if it is the one on screen, closing the dialog is resuming it
                host.resume_session(unfinished.id)
        elif choice == "discard":
            if host.session is not None and host.session.id == unfinished.id:
                host.session = None  # its question screen must not save the draft back
            host.discard_session(unfinished.id)
            host.start_session(ids, plan, confirmed=True)

    dialog = ChoiceScreen(
        message,
        [("resume", "Resume", "r"), ("discard", "Discard and start", "d"),
         ("cancel", "Cancel", "c")],
    )  # fmt: skip
    return dialog, decided
