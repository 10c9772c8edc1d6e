"""Two attempts of one question side by side: which rubric points were gained or lost."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from mockinterview.models import Grade

Change = Literal["gained", "lost", "improved", "worse", "kept", "still missed", "new", "gone"]
_RANK = {"miss": 0, "partial": 1, "hit": 2}


@dataclass(slots=True)
class PointChange:
    point_id: str
    title: str
    before: str | None  # verdict in the older attempt; None when the point was not in its rubric
    after: str | None
    change: Change


def _change(before: str | None, after: str | None) -> Change:
    if before is None:
        return "new"
    if after is None:
        return "gone"
    if before == after:
        return "kept" if after != "miss" else "still missed"
    if after == "hit":
        return "gained"
    if before == "hit" and after == "miss":
        return "lost"
    return "improved" if _RANK.get(after, 0) > _RANK.get(before, 0) else "worse"


def compare_grades(older: Grade, newer: Grade) -> list[PointChange]:
    """Per rubric point (in the newer grade's order, then points only the older had)."""
    old = {p.id: p for p in older.points}
    new = {p.id: p for p in newer.points}
    order = list(new) + [pid for pid in old if pid not in new]
    changes = []
    for pid in order:
        before, after = old.get(pid), new.get(pid)
        title = (after or before).title  # type: ignore[union-attr]
        changes.append(
            PointChange(
                pid,
                title,
                before.verdict if before else None,
                after.verdict if after else None,
                _change(before.verdict if before else None, after.verdict if after else None),
            )
        )
    return changes


def summary(changes: list[PointChange]) -> str:
    """ "2 points newly covered, 1 lost" in words a candidate reads at a glance."""
    gained = sum(c.change in ("gained", "improved") for c in changes)
    lost = sum(c.change in ("lost", "worse") for c in changes)
    parts = []
    if gained:
        parts.append(f"{gained} point{'s' if gained != 1 else ''} newly covered")
    if lost:
        parts.append(f"{lost} lost")
    return ", ".join(parts) if parts else "no change in the points covered"
