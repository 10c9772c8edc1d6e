"""Moving through a session: start, resume, pose the next question, record, summarise.

A mixin of the App (`MockInterviewApp`), kept apart so the App module holds start-up, keys
and actions only. Every screen change of a session goes through `show_current`. What it offers
the screens is `SessionHost` (`tui.host`); they never import this module.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from mockinterview.practice.plan import PlanError, SessionPlan, choose_questions
from mockinterview.practice.session import InterviewSession
from mockinterview.text.safe import one_line

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    from mockinterview.bank import Bank
    from mockinterview.models import Grade, Question, Rubric
    from mockinterview.practice.followup import FollowUp, FollowUpOutcome
    from mockinterview.store import Session, Store, StoreError
    from mockinterview.tui.host import AttemptFacts
    from mockinterview.tui.saving import PendingSaves
    from mockinterview.tui.settings import AppSettings

    AppBase = App[None]  # the type checker sees the App this is mixed into
else:
    AppBase = object


class SessionFlow(AppBase):
    """Session navigation for the App; expects `bank`, `store`, `settings`, `session` and
    `saves` (writes the store refused, retried in the background: `tui.saving`).

    A store that cannot be read (a damaged page) ends the app with a message and exit code 1;
    one that cannot be written is said in place and retried: never a traceback."""

    bank: Bank
    store: Store
    settings: AppSettings
    session: InterviewSession | None
    saves: PendingSaves

    def resumable(self) -> Session | None:
        """The newest unfinished session no other live app has open, if any."""
        from mockinterview.store import StoreError

        try:
            session = self.store.resumable_session()
        except StoreError as exc:
            self.store_failed(exc)
            return None
        if session is None or session.position >= len(session.question_ids):
            return None
        return session

    def store_readable(self) -> bool:
        """Read the sessions once at start: a damaged file ends the app here, with its message
        and exit code 1, before any screen is built on it."""
        from mockinterview.store import StoreError

        try:
            self.store.resumable_session()
        except StoreError as exc:
            self.store_failed(exc)
            return False
        # a follow-up typed when the app was killed, its session over: kept as skipped (if the
        # store is locked now, the draft stays in the database for next time)
        with contextlib.suppress(StoreError):
            self.store.settle_follow_up_drafts()
        return True

    def store_failed(self, exc: StoreError, doing: str = "") -> None:
        """A store error the candidate cannot wait out here: a read that failed (the file is
        damaged, or gone) ends the app with the message and exit code 1, after what was typed
        is saved or kept in a file (see `saves`); a refused write is only said."""
        if doing and not exc.damaged:
            self.notify(
                f"Could not {doing}: {exc.reason} ({exc.path or 'in-memory database'}). "
                "Nothing was changed; try again in a moment.",
                severity="error",
                timeout=10,
                markup=False,
            )
            return
        if getattr(self, "_store_failed", False):
            return  # said once: the start screen may ask the store again while closing
        self._store_failed = True
        self.exit(
            return_code=1,
            message=f"mockinterview: {exc} Nothing more was written to it; "
            "move it aside or pass --data-dir to start a fresh one.",
        )

    def start_plan(self, plan: SessionPlan) -> bool:
        """Start a session from a plan; False (with a notice) when nothing matches."""
        from mockinterview.store import StoreError

        rng = random.Random(self.settings.seed)
        try:
            ids = choose_questions(plan, self.bank, self.store, rng)
        except PlanError as exc:
            self.notify(f"Nothing to practise: {exc}.", severity="warning", timeout=6, markup=False)
            return False
        except StoreError as exc:
            self.store_failed(exc, "choose the questions")
            return False
        return self._start_session(ids, plan)

    def start_session(
        self, question_ids: list[str], plan: SessionPlan | None = None, *, confirmed: bool = False
    ) -> None:
        """Start a session of these questions (used by retry and by the review screens).

        An unfinished session is never dropped silently: the candidate is asked first to
        resume it, discard it (marked abandoned) and start, or cancel (see `unfinished`)."""
        self._start_session(question_ids, plan, confirmed=confirmed)

    def _start_session(
        self, question_ids: list[str], plan: SessionPlan | None = None, *, confirmed: bool = False
    ) -> bool:
        """`start_session`; False (with a notice) when nothing was started or asked."""
        from mockinterview.store import StoreError

        ids = [qid for qid in question_ids if self.bank.get(qid) is not None]
        if not ids:
            self.notify("None of those questions is in the bank.", severity="warning")
            return False
        if not confirmed:
            from mockinterview.tui.unfinished import ask_before_replacing

            asked = ask_before_replacing(self, ids, plan)
            if asked is not None:
                self.push_screen(*asked)
                return True
        if plan is None:
            previous = self.session.plan if self.session else SessionPlan()
            plan = SessionPlan(
                mode="retry",
                grader=previous.grader,
                time_limit=previous.time_limit,
                follow_ups=previous.follow_ups if self.session else self.settings.follow_ups,
            )
        try:
            self.session = InterviewSession.start(self.store, ids, plan)
        except StoreError as exc:
            self.store_failed(exc, "start the session")
            return False
        self.show_current()
        return True

    def resume_session(self, session_id: int) -> None:
        from mockinterview.store import StoreError

        try:
            session = InterviewSession.resume(self.store, session_id)
        except StoreError as exc:
            self.store_failed(exc, "resume the session")
            return
        if session is None:
            taken = self.store.session_in_use(session_id)
            self.notify(
                "That session is open in another mockinterview window."
                if taken
                else "That session can no longer be resumed.",
                severity="warning",
            )
            return
        self.session = session
        if not self._resume_follow_up(session):
            self.show_current()

    def _resume_follow_up(self, session: InterviewSession) -> bool:
        """The follow-up the app was stopped in (killed, the terminal closed, quit), offered
        back with the answer typed so far, before the session's next question; False when
        there is none (or its question or attempt is gone: the draft then waits in the store,
        settled as skipped once the session ends)."""
        from mockinterview.store import StoreError

        last = session.outcomes[-1] if session.outcomes else None
        if last is None or last.skipped or last.attempt_id is None:
            return False
        try:
            draft = self.store.follow_up_draft(last.attempt_id)
            attempt = self.store.attempt(last.attempt_id) if draft is not None else None
        except StoreError:
            return False
        question = self.bank.get(last.question_id)
        rubric, _ = self._rubric(last.question_id)
        if draft is None or attempt is None or attempt.grade is None:
            return False
        if question is None or rubric is None or attempt.follow_up is not None:
            return False
        from mockinterview.practice.followup import FollowUp
        from mockinterview.tui.screens.follow_up import FollowUpScreen

        follow_up = FollowUp(draft.question, draft.point_ids, draft.source, draft.focus)
        self._show(
            FollowUpScreen(
                question,
                attempt.answer,
                attempt.grade,
                rubric,
                follow_up,
                number=len(session.outcomes),
                total=session.total,
                attempt_id=last.attempt_id,
                grader=session.plan.grader,
                draft_text=draft.text,
                seconds_before=draft.seconds,
            )
        )
        return True

    def discard_session(self, session_id: int) -> None:
        from mockinterview.store import StoreError

        try:
            self.store.finish_session(session_id, status="abandoned")
        except StoreError as exc:
            self.store_failed(exc, "discard the session")
            return
        self.notify("The unfinished session was discarded.")

    def show_start(self) -> None:
        from mockinterview.tui.screens.start import StartScreen

        self._show(StartScreen())

    def show_current(self) -> None:
        """The question the session is at, or its summary when done."""
        from mockinterview.store import StoreError

        session = self.session
        if session is None:
            self.show_start()
            return
        try:
            while not session.finished and self.bank.get(session.current_id or "") is None:
                # the bank lost a question since the session began: record it skipped, move on
                session.record(
                    answer="",
                    grade=None,
                    rubric_hash=None,
                    started_at=_now(),
                    seconds=0.0,
                    hints=[],
                    skipped=True,
                )
            if session.finished:
                from mockinterview.tui.screens.summary import SummaryScreen

                self._show(SummaryScreen(session))
                return
            self._show(self._question_screen(session))
        except StoreError as exc:
            self.session = None
            self.store_failed(exc, "open the question")
            if not exc.damaged:
                self.show_start()

    def _question_screen(self, session: InterviewSession) -> Screen[None]:
        from mockinterview.tui.screens.question import QuestionScreen

        question_id = session.current_id or ""
        draft = self.store.draft(session.id, question_id)
        started_at, elapsed, text, hints = _now(), 0.0, "", []
        if draft is not None:
            started_at, text, hints = draft.started_at, draft.text, draft.hints
            elapsed = _seconds_between(draft.started_at, draft.updated_at)
        return QuestionScreen(
            self.bank.questions[question_id],
            number=session.position + 1,
            total=session.total,
            draft_text=text,
            hints=hints,
            started_at=started_at,
            elapsed_before=elapsed,
            time_limit=session.plan.time_limit,
        )

    def _show(self, screen: Screen[Any]) -> None:
        # Only the base screen plus one: modals on top are closed by their own flow.
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def save_draft(self, question_id: str, text: str, started_at: str, hints: list[str]) -> None:
        """Write the draft now; if the store refuses (locked, full), it stays in memory and is
        retried in the background (`tui.saving`), the newest draft replacing an older one."""
        session = self.session
        if session is None:
            return
        from mockinterview.tui.saving import Pending

        def write() -> None:
            if session.current_id == question_id:  # not once the question is answered
                self.store.save_draft(session.id, question_id, text, started_at, hints)

        self.saves.save(
            "draft", Pending(write, "your draft", text, f"session-{session.id}-{question_id}")
        )

    def save_follow_up_draft(
        self, question_id: str, attempt_id: int, follow_up: FollowUp, text: str, seconds: float
    ) -> None:
        """Write the follow-up answer typed so far (as `save_draft` does the answer's): a
        refused write is kept and retried, the newest replacing an older one."""
        session = self.session
        if session is None:
            return
        from mockinterview.store.records import FollowUpDraft
        from mockinterview.tui.saving import Pending

        draft = FollowUpDraft(
            attempt_id,
            follow_up.question,
            follow_up.source,
            list(follow_up.point_ids),
            follow_up.focus,
            text,
            round(seconds, 1),
        )
        label = f"session-{session.id}-{question_id}-follow-up"
        self.saves.save(
            "follow-up-draft",
            Pending(
                lambda: self.store.save_follow_up_draft(draft),
                "your follow-up draft",
                text,
                label,
            ),
        )

    def record_and_show_result(
        self, question: Question, answer: str, grade: Grade, facts: AttemptFacts
    ) -> bool:
        """Store the graded attempt and show it; False (with a notice) if it was not stored."""
        from mockinterview.tui.screens.result import ResultScreen

        session = self.session
        if session is None:
            return False
        rubric, rubric_warnings = self._rubric(question.id)
        grade = with_warnings(grade, rubric_warnings)
        number = session.position + 1

        def show() -> None:
            if self.session is not session:
                return  # the candidate moved on while the write waited
            attempt_id = session.outcomes[-1].attempt_id if session.outcomes else None
            follow_up = self._follow_up(question, answer, grade, rubric, attempt_id)
            if follow_up is not None and rubric is not None and attempt_id is not None:
                from mockinterview.tui.screens.follow_up import FollowUpScreen

                self._show(
                    FollowUpScreen(
                        question,
                        answer,
                        grade,
                        rubric,
                        follow_up,
                        number=number,
                        total=session.total,
                        attempt_id=attempt_id,
                        grader=session.plan.grader,
                    )
                )
                return
            self._show(
                ResultScreen(
                    question,
                    answer,
                    grade,
                    rubric,
                    number=number,
                    total=session.total,
                    attempt_id=attempt_id,
                )
            )

        self._record(question, answer=answer, grade=grade, rubric=rubric, facts=facts, then=show)
        return True  # saved and shown, or kept and retried (the question screen waits)

    def _follow_up(
        self,
        question: Question,
        answer: str,
        grade: Grade,
        rubric: Rubric | None,
        attempt_id: int | None,
    ) -> FollowUp | None:
        """The follow-up to ask before the result, if the session asks them and one is due
        (some point open); a failure to write one just means none is asked."""
        session = self.session
        if session is None or not session.plan.follow_ups or rubric is None or not attempt_id:
            return None
        from mockinterview.practice.followup import follow_up_for

        try:
            return follow_up_for(question, rubric, grade, answer)
        except Exception:  # a follow-up is a bonus: never let it block the result
            return None

    def finish_follow_up(
        self,
        question: Question,
        answer: str,
        grade: Grade,
        outcome: FollowUpOutcome,
        *,
        attempt_id: int,
        number: int,
    ) -> None:
        """Store the follow-up (answered or skipped) with its attempt, then show the result:
        the merged grade when the follow-up raised points. A write the store refuses is kept
        and retried in the background (`tui.saving`), or kept in a file at exit; the result
        shows at once, as it will be stored."""
        from mockinterview.tui.saving import Pending
        from mockinterview.tui.screens.result import ResultScreen

        session = self.session
        if session is None:
            return
        self.saves.drop("follow-up-draft")  # the follow-up itself holds the answer now

        def write() -> None:  # the same row again on a retry: nothing is counted twice
            session.record_follow_up(attempt_id, outcome)

        what = "your follow-up skip" if outcome.skipped else "your follow-up"
        label = f"session-{session.id}-{question.id}-follow-up"
        self.saves.save("follow-up", Pending(write, what, outcome.answer, label))
        raised = outcome.merged is not None and bool(outcome.raised)
        rubric, _ = self._rubric(question.id)
        self._show(
            ResultScreen(
                question,
                answer,
                outcome.merged if raised and outcome.merged is not None else grade,
                rubric,
                number=number,
                total=session.total,
                attempt_id=attempt_id,
                follow_up=outcome.record(grade.score),
            )
        )

    def record_skip(self, question: Question, answer: str, facts: AttemptFacts) -> None:
        session = self.session

        def moved_on() -> None:
            if session is None or self.session is not session:
                return
            self.clear_notifications()  # one notice at a time, not a stack of skips
            if not session.finished:  # the summary says it
                self.notify(f"Skipped: {one_line(question.title)}", markup=False)
            self.show_current()

        self._record(
            question, answer=answer, grade=None, rubric=None, facts=facts, skipped=True,
            then=moved_on,
        )  # fmt: skip

    def _record(
        self,
        question: Question,
        *,
        answer: str,
        grade: Grade | None,
        rubric: Rubric | None,
        facts: AttemptFacts,
        then: Callable[[], None],
        skipped: bool = False,
    ) -> None:
        """Record the attempt and call `then`; a refused write is kept and retried in the
        background (`tui.saving`) with the question screen waiting, `then` once it is in."""
        from mockinterview.tui.saving import Pending

        session = self.session
        assert session is not None

        def write() -> None:
            if session.current_id != question.id:
                return  # recorded already (a retry after a write that went through)
            session.record(
                answer=answer,
                grade=grade,
                rubric_hash=rubric.content_hash if rubric is not None else None,
                started_at=facts["started_at"],
                seconds=facts["seconds"],
                hints=list(facts["hints"]),
                skipped=skipped,
            )

        self.saves.drop("draft")  # the attempt holds the answer now
        what = "your skip" if skipped else "your attempt"
        label = f"session-{session.id}-{question.id}"
        if self.saves.save("attempt", Pending(write, what, answer, label, then)):
            then()
        else:
            self._saving_refused()

    def keep_answering(self) -> None:
        """The candidate stopped waiting for an attempt the store refused (escape): it is
        dropped, and the answer, back in the editor, is saved as a draft again."""
        self.saves.drop("attempt")

    def _saving_refused(self) -> None:
        """The question screen says the answer waits for the database (it is read-only)."""
        from mockinterview.tui.screens.question import QuestionScreen

        screen = self.screen
        if isinstance(screen, QuestionScreen):
            screen.waiting_for_store()

    def rubric_and_warnings(self, question_id: str) -> tuple[Rubric, list[str]]:
        """The rubric a question is graded with, and what is wrong with its file (missing,
        stale, a bad entry: `path:line: ...`), as `grade` on the command line says it.

        Worked out once per question: the bank reads its rubric files once, so the answer
        cannot change while it is the app's bank, and the check touches the disk. Called
        from the grading and hint threads too; a race only computes it twice."""
        cache: dict[str, tuple[Rubric, list[str]]] | None = getattr(self, "_rubric_checks", None)
        if cache is None or getattr(self, "_rubric_checks_bank", None) is not self.bank:
            cache = {}
            self._rubric_checks_bank = self.bank
            self._rubric_checks = cache
        found = cache.get(question_id)
        if found is None:
            from mockinterview.bank.rubric_check import rubric_with_warnings

            found = cache[question_id] = rubric_with_warnings(self.bank, question_id)
        rubric, warnings = found
        return rubric, list(warnings)

    def forget_rubric(self, question_id: str) -> None:
        """Drop the rubric worked out for a question (its overlay changed): the next grade of
        it reads the rubric again, the candidate's new phrasing included."""
        cache: dict[str, tuple[Rubric, list[str]]] | None = getattr(self, "_rubric_checks", None)
        if cache is not None:
            cache.pop(question_id, None)

    def _rubric(self, question_id: str) -> tuple[Rubric | None, list[str]]:
        try:
            return self.rubric_and_warnings(question_id)
        except Exception:
            return None, []


def with_warnings(grade: Grade, warnings: list[str]) -> Grade:
    """`grade` with `warnings` put first (as `grade` on the command line does), so they are
    shown above the points and stored with the attempt; a copy, as a grader may hand out a
    grade it keeps (a cache); a warning the grade already has is not repeated."""
    new = [w for w in warnings if w not in grade.warnings]
    return replace(grade, warnings=[*new, *grade.warnings]) if new else grade


def _now() -> str:
    from mockinterview.store import now_iso

    return now_iso()


def _seconds_between(start: str, end: str) -> float:
    try:
        return max(
            0.0, (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
        )
    except ValueError:
        return 0.0
