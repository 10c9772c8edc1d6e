"""The candidate's corrections of a grade: per rubric point, "you missed that I said this" (a
miss or partial becomes a hit) or "I did not really say that" (a hit becomes a miss).

A correction is kept beside the automatic grade, never instead of it: the store holds the
corrected grade (`Store.set_correction`) while the automatic grades stay as they were, so the
two can be compared (`mockinterview eval --mine`). The corrected score is recomputed by our
code from the corrected verdicts with the automatic grade's own scoring (`grading.scoring`):
a corrected hit earns the point's full credit, a corrected miss none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from mockinterview.models import Grade, PointResult

if TYPE_CHECKING:
    from mockinterview.store import Attempt, Store

CORRECTED_BY = "you"  # the grader name of a corrected grade: "graded by offline, corrected by you"
KEYWORD_LIST_WARNING = "keyword list"  # the offline grader's warning when it scaled the score down


def flipped(verdict: str) -> str:
    """What one key press makes of a verdict: a hit becomes a miss, anything else a hit."""
    return "miss" if verdict == "hit" else "hit"


def overrides_of(corrected: Grade | None) -> dict[str, str]:
    """The verdicts the candidate set (point id -> verdict), read back from a corrected grade."""
    if corrected is None:
        return {}
    data = corrected.extra.get("correction")
    overrides = data.get("overrides") if isinstance(data, dict) else None
    if not isinstance(overrides, dict):
        return {}
    return {str(k): str(v) for k, v in overrides.items() if v in ("hit", "partial", "miss")}


def toggle(automatic: Grade, overrides: Mapping[str, str], point_id: str) -> dict[str, str]:
    """Press a point's key: set its flipped verdict, or (pressed again) give it back to the
    automatic grade. Unknown point ids change nothing."""
    new = dict(overrides)
    if point_id in new:
        del new[point_id]
        return new
    point = next((p for p in automatic.points if p.id == point_id), None)
    if point is not None:
        new[point_id] = flipped(point.verdict)
    return new


def corrected_grade(
    automatic: Grade,
    overrides: Mapping[str, str],
    *,
    required: int | None = None,
    recall: float | None = None,
) -> Grade | None:
    """The automatic grade with the candidate's verdicts, scored the same way; None when the
    overrides change nothing (none left that differ from the automatic verdicts).

    `recall` is the share of the whole reference answer's ideas the answer uses, which the
    offline grader blends into its total (see `grading.explain.reference_recall`); None for
    graders that do not.
    """
    from mockinterview.grading import scoring

    by_id = {p.id: p for p in automatic.points}
    kept = {pid: v for pid, v in overrides.items() if pid in by_id and by_id[pid].verdict != v}
    if not kept:
        return None
    points = []
    for point in automatic.points:
        verdict = kept.get(point.id)
        if verdict is None:
            points.append(point)
            continue
        credit = 1.0 if verdict == "hit" else 0.0 if verdict == "miss" else point.credit
        points.append(
            replace(
                point,
                verdict=verdict,  # type: ignore[arg-type]
                credit=credit,
                evidence=list(point.evidence) if verdict != "miss" else [],
                note=f"corrected by you (the grader said {point.verdict})",
            )
        )
    curated = bool(automatic.extra.get("curated"))  # scored by its keyword groups alone
    if curated:
        recall = None
    score = scoring.total_score(points, required, recall, curated)
    if any(w.startswith(KEYWORD_LIST_WARNING) for w in automatic.warnings):
        score *= scoring.list_factor(curated)
    extra: dict[str, Any] = {
        "correction": {
            "overrides": kept,
            "automatic": {pid: by_id[pid].verdict for pid in kept},
            "automatic_score": automatic.score,
            "automatic_grader": automatic.grader,
            "recall": recall,
        }
    }
    if curated:
        extra["curated"] = True
    return Grade(
        question_id=automatic.question_id,
        grader=CORRECTED_BY,
        score=round(score, 1),
        points=points,
        feedback=scoring.feedback(points, score, required),
        warnings=list(automatic.warnings),
        extra=extra,
    )


def save(
    store: Store,
    attempt_id: int,
    automatic: Grade,
    overrides: Mapping[str, str],
    *,
    required: int | None = None,
    recall: float | None = None,
) -> Grade | None:
    """Compute and store the corrected grade of an attempt (None: the correction is removed)."""
    grade = corrected_grade(automatic, overrides, required=required, recall=recall)
    store.set_correction(attempt_id, grade)
    return grade


def reapply(
    store: Store,
    attempt: Attempt,
    automatic: Grade,
    *,
    required: int | None = None,
    recall: float | None = None,
) -> Grade | None:
    """After a re-grade: the candidate's verdicts carried over to the new automatic grade
    (those it now agrees with, or whose points are gone, are dropped)."""
    overrides = overrides_of(attempt.corrected)
    if not overrides:
        return None
    return save(store, attempt.id, automatic, overrides, required=required, recall=recall)


# --- how well the automatic grades agree with the corrections -----------------------------


@dataclass(slots=True)
class PointAgreement:
    question_id: str
    point_id: str
    title: str
    seen: int = 0
    corrected: int = 0

    @property
    def agreement(self) -> float:
        return 1.0 - self.corrected / self.seen if self.seen else 1.0


@dataclass(slots=True)
class MineReport:
    """Automatic grades against the candidate's corrections, over the corrected attempts."""

    attempts: int
    pearson: float | None
    points: int
    agreeing: int
    mean_automatic: float | None
    mean_corrected: float | None
    raised: int = 0  # points the candidate marked covered
    lowered: int = 0  # points the candidate marked missed
    per_point: list[PointAgreement] = field(default_factory=list)

    @property
    def agreement(self) -> float | None:
        return self.agreeing / self.points if self.points else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "corrected_attempts": self.attempts,
            "pearson": None if self.pearson is None else round(self.pearson, 4),
            "points": self.points,
            "points_agreeing": self.agreeing,
            "verdict_agreement": None if self.agreement is None else round(self.agreement, 4),
            "mean_automatic": _round(self.mean_automatic),
            "mean_corrected": _round(self.mean_corrected),
            "marked_covered": self.raised,
            "marked_missed": self.lowered,
            "per_point": [
                {
                    "question_id": p.question_id,
                    "point_id": p.point_id,
                    "title": p.title,
                    "seen": p.seen,
                    "corrected": p.corrected,
                    "agreement": round(p.agreement, 4),
                }
                for p in self.per_point
            ],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def agreement_with_corrections(store: Store) -> MineReport:
    """Pearson r of automatic against corrected scores, and the share of rubric points whose
    automatic verdict the candidate left standing, over every corrected attempt."""
    import json

    from mockinterview.grading.agreement import pearson

    automatic_scores: list[float] = []
    corrected_scores: list[float] = []
    points = agreeing = raised = lowered = 0
    per_point: dict[tuple[str, str], PointAgreement] = {}
    for row in store.corrected_attempt_rows():
        try:
            grade = Grade.from_dict(json.loads(row["corrected_grade"]))
        except (ValueError, KeyError, TypeError):
            continue  # a damaged correction is left out, not fatal
        data = grade.extra.get("correction")
        if not isinstance(data, dict):
            continue
        automatic = data.get("automatic")
        if not isinstance(automatic, dict):
            automatic = {}
        try:
            automatic_scores.append(float(data["automatic_score"]))
        except (KeyError, TypeError, ValueError):
            continue
        corrected_scores.append(grade.score)
        for point in grade.points:
            key = (row["question_id"], point.id)
            item = per_point.setdefault(key, PointAgreement(key[0], key[1], point.title))
            item.seen += 1
            points += 1
            if point.id in automatic:
                item.corrected += 1
                raised += point.verdict == "hit"
                lowered += point.verdict == "miss"
            else:
                agreeing += 1
    n = len(corrected_scores)
    worst = sorted(
        (p for p in per_point.values() if p.corrected),
        key=lambda p: (p.agreement, -p.seen, p.question_id, p.point_id),
    )
    return MineReport(
        attempts=n,
        pearson=pearson(automatic_scores, corrected_scores),
        points=points,
        agreeing=agreeing,
        mean_automatic=sum(automatic_scores) / n if n else None,
        mean_corrected=sum(corrected_scores) / n if n else None,
        raised=raised,
        lowered=lowered,
        per_point=worst,
    )


def describe(point: PointResult, automatic_verdict: str | None) -> str:
    """`(you: hit; grader: miss)` for a corrected point, "" for one left as graded."""
    if automatic_verdict is None:
        return ""
    return f"you: {point.verdict}; grader: {automatic_verdict}"
