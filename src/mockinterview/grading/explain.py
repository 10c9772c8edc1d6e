"""What a grade on screen honestly means, in a line or three, beside the score.

The offline grade counts the rubric points it recognises in the words of an answer; it does not
understand the answer. So the views say that, say why an answer with every point hit can still
score under 100 (the numbers come from `grading.scoring`, read from its constants, never
restated), and flag a long, on-topic answer in which few points were recognised: it may say
them in words the rubric does not know yet, which the candidate can correct.

Pure: no Textual, no I/O. `reference_recall` calls the offline grader's own measure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mockinterview.grading import scoring

if TYPE_CHECKING:
    from mockinterview.models import Grade, Question

MEASURES = "Offline grade: the rubric points recognised in your answer's words."
LONG_ANSWER_WORDS = 60  # an answer this long has room for most rubric points
FEW_POINTS_SHARE = 1 / 3  # at most this share of the points hit counts as "few"
ON_TOPIC_RECALL = 0.10  # using this share of the reference answer's ideas is on topic


def automatic_grader(grade: Grade) -> str:
    """Who graded it automatically: a corrected grade names the grader it corrected."""
    correction = grade.extra.get("correction")
    if isinstance(correction, dict) and correction.get("automatic_grader"):
        return str(correction["automatic_grader"])
    return grade.grader


def is_offline(grade: Grade) -> bool:
    """Offline grades, including the fallback when the LLM was unavailable."""
    return automatic_grader(grade).startswith("offline")


def is_curated(grade: Grade) -> bool:
    """Graded against a curated rubric: its keyword groups alone made the score."""
    return bool(grade.extra.get("curated"))


def reference_recall(question: Question, answer: str, grade: Grade | None = None) -> float | None:
    """Share of the whole reference answer's ideas (content word roots) the answer uses, as
    the offline grader measures it for its total; None for other graders, or when the grader
    offers no such measure (never raises: this only explains or rescores)."""
    if grade is not None and (not is_offline(grade) or is_curated(grade)):
        return None
    try:
        from mockinterview.grading.offline import grader as offline
        from mockinterview.grading.offline.matching import AnswerIndex

        measure = getattr(offline.OfflineGrader, "_reference_recall", None)
        if measure is None:
            return None
        limit = getattr(offline, "MAX_CHARS", 60_000)
        value = measure(question, AnswerIndex.build((answer or "")[:limit]))
        return None if value is None else float(value)
    except Exception:
        return None


@dataclass(frozen=True, slots=True)
class Explanation:
    measures: str | None = None  # what the grade measures
    ceiling: str | None = None  # why every point hit is still under 100
    unknown_wording: str | None = None  # a long answer in which few points were recognised

    def lines(self) -> list[str]:
        return [line for line in (self.measures, self.ceiling, self.unknown_wording) if line]


def _coverage(grade: Grade, required: int | None) -> float:
    """The points' share of the marks (weights times credits), as `scoring.total_score` sums it."""
    points = grade.points
    count = len(points) if not required else max(1, min(required, len(points)))
    weights = sorted((max(p.weight, 0.0) for p in points), reverse=True)[:count]
    earned = sorted((max(p.weight, 0.0) * p.credit for p in points), reverse=True)[:count]
    total = sum(weights)
    return min(1.0, sum(earned) / total) if total > 0 else 0.0


def _ceiling(grade: Grade, recall: float | None, required: int | None) -> str | None:
    """Why an answer with every point hit scores under 100, from the scoring's own terms."""
    if not grade.points or any(p.verdict != "hit" for p in grade.points):
        return None
    if round(grade.score) >= 100:
        return None
    reasons = []
    coverage = _coverage(grade, required)
    if coverage < 0.995:
        reasons.append(
            f"a hit needs {scoring.HIT:.0%} of a point's credit, not all of it "
            f"(yours average {coverage:.0%})"
        )
    if is_offline(grade) and not is_curated(grade):
        share = f"{scoring.REFERENCE_SHARE:.0%} of the score"
        if recall is not None:
            whole = min(1.0, recall / scoring.REFERENCE_FULL)
            if whole < 0.995:
                reasons.append(
                    f"{share} is how much of the whole reference answer your words cover "
                    f"(you used {recall:.0%} of its key words; {scoring.REFERENCE_FULL:.0%} "
                    "earns it all)"
                )
        elif coverage >= 0.995:
            reasons.append(f"{share} is how much of the whole reference answer your words cover")
    if any(w.startswith("keyword list") for w in grade.warnings):
        factor = scoring.list_factor(is_curated(grade))
        reasons.append(f"a bare list of keywords keeps {factor:.0%}")
    if not reasons:
        return None
    return f"Every point hit, yet {grade.score:.0f}: " + "; ".join(reasons) + "."


def _unknown_wording(
    grade: Grade, answer: str, recall: float | None, correct_hint: str | None
) -> str | None:
    """A long answer on the topic in which few points were recognised."""
    if not grade.points or len(answer.split()) < LONG_ANSWER_WORDS:
        return None
    hits = sum(p.verdict == "hit" for p in grade.points)
    if hits > len(grade.points) * FEW_POINTS_SHARE:
        return None
    # On topic: some points half-recognised, or enough of the reference's ideas used.
    on_topic = any(p.verdict != "miss" for p in grade.points)
    if recall is not None:
        on_topic = on_topic or recall >= ON_TOPIC_RECALL
    else:
        on_topic = on_topic or any(p.credit > 0 for p in grade.points)
    if not on_topic:
        return None
    line = (
        f"A long answer with {hits} of {len(grade.points)} points recognised: it may say them "
        "in words the rubric does not know yet."
    )
    if correct_hint:
        line += f" If it covers a point, {correct_hint}."
    return line


def explain(
    grade: Grade,
    answer: str,
    *,
    recall: float | None = None,
    required: int | None = None,
    correct_hint: str | None = None,
) -> Explanation:
    """The honest lines for a grade. `recall`: `reference_recall` of the answer (None if not
    known); `correct_hint`: how to correct the grade where it is shown ("press the point's
    number"), or None where it cannot be corrected."""
    return Explanation(
        measures=MEASURES if is_offline(grade) else None,
        ceiling=_ceiling(grade, recall, required),
        unknown_wording=_unknown_wording(grade, answer or "", recall, correct_hint),
    )
