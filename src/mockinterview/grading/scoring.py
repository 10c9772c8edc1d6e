"""From matched keywords to marks: per-point credit, verdicts, the total and the feedback.

The constants are tuned on human-graded answers (`mockinterview eval`), for the method as a
whole, never per question.
"""

from __future__ import annotations

from collections.abc import Sequence

from mockinterview.models import PointResult, Verdict
from mockinterview.text.analysis import STOP_WORDS

GROUP_SHARE = 0.6  # weight of keyword-group coverage against reference-text recall in a point
RECALL_FULL = 0.7  # recalling this share of a reference's content words counts as complete
CONCAVITY = 0.7  # total = coverage ** CONCAVITY: the first ideas earn the most
HIT, PARTIAL = 0.7, 0.25  # credit thresholds of the verdicts
SCATTERED_COVER = 0.45  # a point's ideas found only in different sentences: a partial at most
KEYWORD_LIST_FACTOR = 0.7  # a bare list of keywords keeps this share of its score
# A curated rubric names every way to say each idea, so its coverage is taken as it is (a half
# answer scores about half, as interviewers give it) and a list of its terms, which now earns
# every point, keeps well under half: an interviewer wants the ideas connected.
CURATED_CONCAVITY = 1.0
CURATED_LIST_FACTOR = 0.45
REFERENCE_SHARE = 0.5  # weight of whole-reference recall against the points in the total
REFERENCE_FULL = 0.5  # recalling this share of the whole reference counts as complete
REFERENCE_LIFT = 1.5  # the whole-reference term is at most this multiple of the points' one


def default_min_groups(groups: int) -> int:
    """Groups needed to cover a point: all of one or two, all but one of three or more."""
    return max(1, groups if groups < 3 else groups - 1)


def point_credit(group_cover: float | None, recall: float | None) -> float:
    """Blend the two signals of a point into a credit in 0..1."""
    recall_cover = None if recall is None else min(1.0, recall / RECALL_FULL)
    if group_cover is None and recall_cover is None:
        return 0.0
    if group_cover is None:
        return recall_cover or 0.0
    if recall_cover is None:
        return group_cover
    return GROUP_SHARE * group_cover + (1 - GROUP_SHARE) * recall_cover


def verdict(credit: float) -> Verdict:
    if credit >= HIT:
        return "hit"
    return "partial" if credit >= PARTIAL else "miss"


def list_factor(curated: bool) -> float:
    """The share of its score a bare keyword list keeps."""
    return CURATED_LIST_FACTOR if curated else KEYWORD_LIST_FACTOR


def total_score(
    points: Sequence[PointResult],
    required: int | None = None,
    recall: float | None = None,
    curated: bool = False,
) -> float:
    """0-100. With `required` = N, the N best points make full marks ("give two reasons").
    `recall` (share of the whole reference's content words in the answer), when known, is
    blended in: graders read the answer as a whole, not only point by point."""
    if not points:
        return 0.0
    count = len(points) if not required else max(1, min(required, len(points)))
    weights = sorted((max(p.weight, 0.0) for p in points), reverse=True)[:count]
    earned = sorted((max(p.weight, 0.0) * p.credit for p in points), reverse=True)[:count]
    total = sum(weights)
    if total <= 0:
        return 0.0
    coverage = float(min(1.0, sum(earned) / total) ** (CURATED_CONCAVITY if curated else CONCAVITY))
    if recall is not None:
        # It lifts a score the points support, never makes one alone: an answer that negates
        # the reference's ideas still uses its words.
        whole = min(1.0, recall / REFERENCE_FULL, REFERENCE_LIFT * coverage)
        coverage = (1 - REFERENCE_SHARE) * coverage + REFERENCE_SHARE * whole
    return 100.0 * coverage


def is_keyword_list(norms: Sequence[str]) -> bool:
    """Several terms with hardly a function word between them: a list, not an explanation.
    `norms` are the answer's normalised words."""
    if len(norms) < 4:
        return False
    function_words = sum(map(STOP_WORDS.__contains__, norms))
    return function_words / len(norms) < 0.12


def feedback(points: Sequence[PointResult], score: float, required: int | None) -> str:
    """One or two sentences naming what was missed: the part a candidate acts on."""
    if not points:
        return "This question has no rubric points to grade against."
    missed = [p.title for p in points if p.verdict == "miss"]
    partial = [p.title for p in points if p.verdict == "partial"]
    hits = len(points) - len(missed) - len(partial)
    if required and hits >= required:
        return f"Covers the {required} points asked for."
    if not missed and not partial:
        return "Covers every point of the rubric."
    parts = []
    if missed:
        parts.append("Missed: " + "; ".join(missed) + ".")
    if partial:
        parts.append("Only partly covered: " + "; ".join(partial) + ".")
    return " ".join(parts)
