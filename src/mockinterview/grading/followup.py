"""A follow-up answer folded into the grade of the question it follows.

The follow-up is graded by the same grader against a rubric restricted to the points the first
answer left open (missed or partial). A point it covers better than the first answer did is
raised to the follow-up's verdict and credit, and says so ("raised by your follow-up"); no point
is ever lowered. The score is recomputed by our code (`grading.scoring`), as every score is.

Kept in `grading` (not `practice`) so a re-grade of an old attempt can fold its follow-up in
again the same way.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from mockinterview.grading import scoring
from mockinterview.models import Grade, PointResult, Rubric

RAISED_NOTE = "raised by your follow-up"
MERGE_KEY = "follow_up_merge"  # in `Grade.extra`: {"score_before", "raised": [point ids]}


def open_point_ids(grade: Grade) -> list[str]:
    """The points the answer left open (missed or partly covered), in rubric order."""
    return [p.id for p in grade.points if p.verdict != "hit"]


def restricted_rubric(rubric: Rubric, point_ids: list[str]) -> Rubric:
    """The rubric with only these points (in its own order): what a follow-up is graded on.
    `required` is dropped: a follow-up answers the open points, not "give two of them"."""
    wanted = set(point_ids)
    return replace(rubric, points=[p for p in rubric.points if p.id in wanted], required=None)


def raised_point_ids(grade: Grade) -> list[str]:
    """The points a follow-up raised in a merged grade (none for any other grade)."""
    data = grade.extra.get(MERGE_KEY)
    raised = data.get("raised") if isinstance(data, dict) else None
    return [str(r) for r in raised] if isinstance(raised, list) else []


def score_before_follow_up(grade: Grade) -> float | None:
    """The score before a follow-up raised it; None when no follow-up changed the grade."""
    data = grade.extra.get(MERGE_KEY)
    before = data.get("score_before") if isinstance(data, dict) else None
    return float(before) if isinstance(before, int | float) else None


def _quote(point: PointResult) -> str:
    quotes = [" ".join(e.text.split()) for e in point.evidence if e.text.strip()]
    if not quotes:
        return ""
    shown = quotes[0] if len(quotes[0]) <= 60 else quotes[0][:57] + "..."
    return f": “{shown}”"


def merge_follow_up(
    grade: Grade,
    follow_up: Grade,
    *,
    required: int | None = None,
    recall: float | None = None,
    curated: bool = False,
) -> Grade:
    """`grade` with each open point the follow-up covered better raised to the follow-up's
    verdict and credit (a copy; `grade` is unchanged when nothing was raised).

    The score rises by what the raised points add under the grade's own scoring: the total
    of the merged points minus that of the original ones, both computed with `required`,
    `recall` (the first answer's share of the reference, for the offline grader) and
    `curated` as the grade was. It never falls.
    """
    better = {p.id: p for p in follow_up.points}
    points: list[PointResult] = []
    raised: list[str] = []
    for point in grade.points:
        new = better.get(point.id)
        if point.verdict == "hit" or new is None or new.credit <= point.credit:
            points.append(point)
            continue
        raised.append(point.id)
        points.append(
            replace(
                point,
                verdict=new.verdict,
                credit=new.credit,
                # the evidence indexes the first answer: the follow-up's words go in the note
                evidence=list(point.evidence),
                note=f"{RAISED_NOTE} (was {point.verdict}){_quote(new)}",
            )
        )
    if not raised:
        return grade
    before = scoring.total_score(grade.points, required, recall, curated)
    after = scoring.total_score(points, required, recall, curated)
    score = round(min(100.0, grade.score + max(0.0, after - before)), 1)
    feedback = grade.feedback
    if feedback == scoring.feedback(grade.points, grade.score, required):  # ours, not a model's
        feedback = scoring.feedback(points, score, required)
    extra: dict[str, Any] = dict(grade.extra)
    extra[MERGE_KEY] = {"score_before": grade.score, "raised": raised}
    return replace(
        grade,
        score=score,
        points=points,
        feedback=feedback,
        warnings=list(grade.warnings),
        extra=extra,
    )
