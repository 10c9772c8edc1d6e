"""Starting a session while another is unfinished: ask first, never drop it silently.

Resume goes back to it (draft and all), "Discard and start" marks it abandoned and starts the
new one, Cancel (or escape) leaves everything as it was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mockinterview.practice.plan import SessionPlan

if TYPE_CHECKING:
    from mockinterview.tui.app import MockInterviewApp


def describe_session(settings: dict[str, object], total: int) -> str:
    """What a stored session is, in a few words: "retry of 3 questions", "topic ml, 5"."""
    plan = SessionPlan.from_settings(dict(settings))
    return plan.describe(total)


def ask_before_replacing(app: MockInterviewApp, ids: list[str], plan: SessionPlan | None) -> bool:
    """True when an unfinished session exists and the candidate is being asked about it (the
    new session starts later, if they say so); False when there is nothing to ask."""
    unfinished = app.resumable()
    if unfinished is None:
        return False  # the usual case, at every start: no dialog module to import
    from mockinterview.tui.screens.choice import ChoiceScreen

    total = len(unfinished.question_ids)
    what = describe_session(unfinished.settings, total)
    message = (
        f"Discard the unfinished session ({what}, at question {unfinished.position + 1} of "
        f"{total}) and its draft? Resume it, discard it and start the new one, or cancel."
    )

    def decided(choice: str | None) -> None:
        if choice == "resume":
            running = app.session is not None and app.session.id == unfinished.id
            if not running:  # if it is the one on screen, closing the dialog is resuming it
                app.resume_session(unfinished.id)
        elif choice == "discard":
            if app.session is not None and app.session.id == unfinished.id:
                app.session = None  # its question screen must not save the draft back
            app.discard_session(unfinished.id)
            app.start_session(ids, plan, confirmed=True)

    app.push_screen(
        ChoiceScreen(
            message,
            [("resume", "Resume", "r"), ("discard", "Discard and start", "d"),
             ("cancel", "Cancel", "c")],
        ),
        decided,
    )  # fmt: skip
    return True
