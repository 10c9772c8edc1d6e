"""One interview session: the questions, where we are, what each answer earned.

The store is the source of truth (a killed process resumes from it); this object is the
in-memory view the screens read, and the only place that writes session rows. No Textual here.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mockinterview.models import Grade, PointResult
from mockinterview.practice.plan import SessionPlan

if TYPE_CHECKING:
    from mockinterview.practice.followup import FollowUpOutcome
    from mockinterview.store import Store

WEAK_SCORE = 60.0  # below this (or skipped) a question is offered again as "weak"


@dataclass(slots=True)
class Outcome:
    """What happened to one question of the session."""

    question_id: str
    score: float | None
    seconds: float
    skipped: bool = False
    hints: list[str] = field(default_factory=list)
    grade: Grade | None = None
    attempt_id: int | None = None  # the stored attempt: corrections of its grade go there

    @property
    def weak(self) -> bool:
        return self.skipped or self.score is None or self.score < WEAK_SCORE


@dataclass
class InterviewSession:
    """A session being run: `position` indexes the question on screen (or next to pose)."""

    store: Store
    id: int
    question_ids: list[str]
    plan: SessionPlan
    position: int = 0
    outcomes: list[Outcome] = field(default_factory=list)
    clock: Callable[[], float] = time.time

    @classmethod
    def start(
        cls,
        store: Store,
        question_ids: list[str],
        plan: SessionPlan,
        clock: Callable[[], float] = time.time,
    ) -> InterviewSession:
        session_id = store.start_session(list(question_ids), plan.to_settings())
        return cls(store, session_id, list(question_ids), plan, clock=clock)

    @classmethod
    def resume(
        cls, store: Store, session_id: int, clock: Callable[[], float] = time.time
    ) -> InterviewSession | None:
        """Rebuild a session left active (quit or killed), with the outcomes recorded so far;
        None when it is over, or open in another live process (see `Store.claim_session`)."""
        row = store.session(session_id)
        if row is None or row.status != "active" or not store.claim_session(session_id):
            return None
        outcomes = [
            Outcome(
                question_id=a.question_id,
                score=a.corrected.score if a.corrected is not None else a.original_score,
                seconds=a.seconds,
                skipped=a.skipped,
                hints=list(a.hints),
                grade=a.corrected if a.corrected is not None else a.grade,
                attempt_id=a.id,
            )
            for a in store.attempts(session_id=session_id, newest_first=False)
        ]
        return cls(
            store,
            row.id,
            list(row.question_ids),
            SessionPlan.from_settings(row.settings),
            position=min(row.position, len(row.question_ids)),
            outcomes=outcomes,
            clock=clock,
        )

    # --- where we are -----------------------------------------------------------------------

    @property
    def total(self) -> int:
        return len(self.question_ids)

    @property
    def finished(self) -> bool:
        return self.position >= self.total

    @property
    def current_id(self) -> str | None:
        return None if self.finished else self.question_ids[self.position]

    def record(
        self,
        *,
        answer: str,
        grade: Grade | None,
        rubric_hash: str | None,
        started_at: str,
        seconds: float,
        hints: list[str],
        skipped: bool = False,
    ) -> Outcome:
        """Store the attempt, drop its draft and move on, in one transaction: a crash or a
        failed write (StoreError, raised) leaves the store and this object as they were, so
        the same answer can be recorded again later without a second attempt."""
        question_id = self.question_ids[self.position]
        position = self.position + 1
        with self.store.transaction():
            attempt_id = self.store.record_attempt(
                question_id=question_id,
                answer=answer,
                grade=grade,
                rubric_hash=rubric_hash,
                started_at=started_at,
                seconds=seconds,
                session_id=self.id,
                hints=hints,
                skipped=skipped,
            )
            self.store.delete_draft(self.id, question_id)
            self.store.advance_session(self.id, position)
            if position >= self.total:
                self.store.finish_session(self.id)
        if position >= self.total:
            self.store.release_session(self.id, ended=True)
        outcome = Outcome(
            question_id=question_id,
            score=None if skipped or grade is None else grade.score,
            seconds=seconds,
            skipped=skipped,
            hints=list(hints),
            grade=grade,
            attempt_id=attempt_id,
        )
        self.outcomes.append(outcome)
        self.position = position
        return outcome

    def record_follow_up(self, attempt_id: int, outcome: FollowUpOutcome) -> Grade | None:
        """Store the follow-up of a recorded attempt (and its merged grade, when it raised
        points, in the same transaction) and let the summary count the merged grade. Returns
        the grade that now counts for the attempt (None if it is not one of this session's).
        A failed write raises StoreError and changes nothing."""
        mine = next((o for o in self.outcomes if o.attempt_id == attempt_id), None)
        before = mine.grade if mine is not None else None
        merged = outcome.merged if outcome.raised else None
        self.store.record_follow_up(
            attempt_id, outcome.record(before.score if before is not None else None), merged
        )
        if mine is not None and merged is not None:
            mine.grade, mine.score = merged, merged.score
        return mine.grade if mine is not None else None

    def abandon(self) -> None:
        self.store.finish_session(self.id, status="abandoned")

    # --- the summary --------------------------------------------------------------------------

    @property
    def total_seconds(self) -> float:
        return sum(o.seconds for o in self.outcomes)

    @property
    def average_score(self) -> float | None:
        scores = [o.score if o.score is not None else 0.0 for o in self.outcomes]
        return sum(scores) / len(scores) if scores else None

    def weak_ids(self) -> list[str]:
        """Questions worth another go: skipped or scored below WEAK_SCORE, in session order."""
        seen: list[str] = []
        for outcome in self.outcomes:
            if outcome.weak and outcome.question_id not in seen:
                seen.append(outcome.question_id)
        return seen

    def most_missed(self, limit: int = 5) -> list[tuple[str, str, int]]:
        """(question id, point title, times missed) of the points missed in this session."""
        counts: Counter[tuple[str, str]] = Counter()
        for outcome in self.outcomes:
            for point in missed_points(outcome.grade):
                counts[(outcome.question_id, point.title)] += 1
        return [(qid, title, n) for (qid, title), n in counts.most_common(limit)]


def missed_points(grade: Grade | None) -> list[PointResult]:
    return [p for p in grade.points if p.verdict == "miss"] if grade else []


def format_seconds(seconds: float) -> str:
    """`mm:ss`, or `h:mm:ss` past an hour; never negative."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
