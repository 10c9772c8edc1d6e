"""Re-grading old attempts when a rubric or grader changed.

An attempt records the `content_hash` of the rubric that graded it. When the rubric file is
edited the hash differs and the attempt is "stale"; re-grading it stores a new grade beside the
original (`Store.record_regrade`), which is never rewritten, so both stay visible. A correction
the candidate made is carried over to the new grade (`corrections.reapply`), and an answered
follow-up is folded into it again (`grading.followup`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mockinterview.review.rows import BankLike, rubric_or_none
from mockinterview.store.attempts import graded_rubric_hashes

if TYPE_CHECKING:
    from mockinterview.models import Grade, Grader, Question, Rubric
    from mockinterview.store import Store
    from mockinterview.store.records import FollowUpRecord


@dataclass(slots=True)
class RegradeResult:
    attempt_id: int
    question_id: str
    before: float | None  # the current score before this re-grade
    after: float


@dataclass(slots=True)
class RegradeReport:
    regraded: list[RegradeResult]
    skipped: list[tuple[int, str]]  # (attempt id, why)


def stale_attempt_ids(store: Store, bank: BankLike) -> list[int]:
    """Graded attempts whose newest grade came from a rubric other than the current one."""
    current: dict[str, str | None] = {}
    stale = []
    for attempt_id, qid, rubric_hash in graded_rubric_hashes(store):
        if qid not in current:
            rubric = rubric_or_none(bank, qid)
            current[qid] = rubric.content_hash if rubric is not None else None
        if current[qid] is not None and rubric_hash != current[qid]:
            stale.append(attempt_id)
    return stale


def regrade_attempts(
    store: Store,
    bank: BankLike,
    grader: Grader,
    attempt_ids: Iterable[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RegradeReport:
    """Re-grade the given attempts (default: the stale ones) with `grader`, keeping originals."""
    ids = list(attempt_ids) if attempt_ids is not None else stale_attempt_ids(store, bank)
    report = RegradeReport([], [])
    for done, attempt_id in enumerate(ids, start=1):
        if progress is not None:
            progress(done, len(ids))
        attempt = store.attempt(attempt_id)
        if attempt is None:
            report.skipped.append((attempt_id, "no such attempt"))
            continue
        if attempt.skipped:
            report.skipped.append((attempt_id, "skipped, nothing to grade"))
            continue
        question = bank.questions.get(attempt.question_id)
        rubric = rubric_or_none(bank, attempt.question_id)
        if question is None or rubric is None:
            report.skipped.append((attempt_id, f"{attempt.question_id} is not in the bank"))
            continue
        try:
            grade = grader.grade(question, rubric, attempt.answer)
        except Exception as exc:  # one bad answer or a grader failure must not stop the batch
            report.skipped.append((attempt_id, f"grader failed: {exc}"))
            continue
        follow_up = attempt.follow_up
        if follow_up is not None and not follow_up.skipped and follow_up.answer.strip():
            grade = _with_follow_up(grader, question, rubric, attempt.answer, grade, follow_up)
        before = attempt.automatic_score
        store.record_regrade(attempt_id, grade, rubric.content_hash)
        if attempt.corrected is not None:  # the candidate's verdicts carry over
            from mockinterview.grading.explain import reference_recall
            from mockinterview.review.corrections import reapply

            recall = reference_recall(question, attempt.answer, grade)
            reapply(store, attempt, grade, required=rubric.required, recall=recall)
        report.regraded.append(RegradeResult(attempt_id, attempt.question_id, before, grade.score))
    return report


def _with_follow_up(
    grader: Grader,
    question: Question,
    rubric: Rubric,
    answer: str,
    grade: Grade,
    follow_up: FollowUpRecord,
) -> Grade:
    """The new grade with the attempt's follow-up answer folded in again, graded by the same
    grader against the points the new grade leaves open (as the session did)."""
    from mockinterview.grading.explain import is_offline, reference_recall
    from mockinterview.grading.followup import (
        merge_follow_up,
        open_point_ids,
        restricted_rubric,
    )

    open_ids = open_point_ids(grade)
    if not open_ids:
        return grade
    try:
        follow_grade = grader.grade(question, restricted_rubric(rubric, open_ids), follow_up.answer)
    except Exception:  # the answer's own grade stands
        return grade
    return merge_follow_up(
        grade,
        follow_grade,
        required=rubric.required,
        recall=reference_recall(question, answer, grade),
        curated=is_offline(grade) and rubric.curated,
    )
