"""Where the offline and the LLM grader disagree: the side-by-side view of a grade.

Two graders that agree on a point tell the candidate little; a point one credits and the other
does not is worth a second look (a paraphrase the keywords missed, or a generous model).
"""

from __future__ import annotations

from dataclasses import dataclass

from mockinterview.models import Grade, PointResult

_RANK = {"miss": 0, "partial": 1, "hit": 2}


@dataclass(slots=True, frozen=True)
class Disagreement:
    """One rubric point the two graders judged differently."""

    point_id: str
    title: str
    llm_verdict: str
    offline_verdict: str
    llm_note: str = ""
    offline_note: str = ""

    @property
    def llm_more_generous(self) -> bool:
        return _RANK.get(self.llm_verdict, 0) > _RANK.get(self.offline_verdict, 0)


def disagreements(llm: Grade, offline: Grade) -> list[Disagreement]:
    """Points, in the LLM grade's order, whose verdicts differ. A point only one grade has
    counts as a miss in the other."""
    offline_by_id: dict[str, PointResult] = {p.id: p for p in offline.points}
    found: list[Disagreement] = []
    seen: set[str] = set()
    for point in llm.points:
        seen.add(point.id)
        other = offline_by_id.get(point.id)
        other_verdict = other.verdict if other else "miss"
        if point.verdict != other_verdict:
            found.append(
                Disagreement(
                    point.id,
                    point.title,
                    point.verdict,
                    other_verdict,
                    point.note,
                    other.note if other else "",
                )
            )
    for other in offline.points:
        if other.id not in seen and other.verdict != "miss":
            found.append(Disagreement(other.id, other.title, "miss", other.verdict, "", other.note))
    return found


def offline_of(grade: Grade) -> Grade | None:
    """The offline grade an LLM grade carries for the side-by-side view, if any."""
    data = grade.extra.get("offline_grade")
    return Grade.from_dict(data) if isinstance(data, dict) else None


def format_disagreements(items: list[Disagreement]) -> list[str]:
    """Plain lines for `grade --format text` and logs."""
    if not items:
        return ["The offline and LLM graders agree on every point."]
    lines = ["Where the graders disagree (LLM vs offline):"]
    lines += [f"  {d.title}: {d.llm_verdict} vs {d.offline_verdict}" for d in items]
    return lines
