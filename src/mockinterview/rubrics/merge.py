"""Writing `rubrics/<ID>.toml` with tomlkit, merging a fresh derivation into the old file.

A point's `derived` table holds short hashes of the values the builder last wrote. On rebuild a
field whose value still has that hash is refreshed; a field that differs was edited by hand and
is kept. Points are matched to fresh ones by their originally derived title, then their current
title, then their id. Comments, key order, misconceptions and hand-added points survive.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT, Table

from mockinterview.errors import MockInterviewError
from mockinterview.models import Question, Rubric, RubricPoint
from mockinterview.rubrics.files import TRACKED, field_hash

HEADER = (
    "Rubric for {id}: {title}. Written by `mockinterview rubrics build`; edit freely.\n"
    "Rebuilding keeps edited titles, weights, keywords, min_groups and misconceptions; a point\n"
    "is covered when enough keyword groups (lists of alternatives) match. `--force` starts over."
)


class RubricMergeError(MockInterviewError, ValueError):
    """The old file cannot be parsed by tomlkit; rebuilding would lose it, so we stop."""


@dataclass
class MergeResult:
    text: str
    kept: list[str] = field(default_factory=list)  # "p1.keywords": hand edits that survived
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def new_rubric_text(rubric: Rubric, question: Question) -> str:
    doc = tomlkit.document()
    for line in HEADER.format(id=question.id, title=question.title).splitlines():
        doc.add(tomlkit.comment(line))
    doc.add("question_id", rubric.question_id)
    doc.add("answer_hash", rubric.answer_hash)
    _refresh(doc, "required", rubric.required, _derived_of(doc), [])
    points = tomlkit.aot()
    for point in rubric.points:
        points.append(_new_point(point))
    doc.add(tomlkit.nl())
    doc.append("points", points)
    return tomlkit.dumps(doc)


def merge_rubric_text(old_text: str, rubric: Rubric, question: Question) -> MergeResult:
    try:
        doc = tomlkit.parse(old_text)
    except TOMLKitError as exc:
        raise RubricMergeError(f"cannot parse the existing file ({exc})") from None
    result = MergeResult("")
    doc["answer_hash"] = rubric.answer_hash
    _refresh(doc, "required", rubric.required, _derived_of(doc), result.kept)
    points = doc.get("points")
    if points is None:
        points = tomlkit.aot()
        doc.append("points", points)
    elif not isinstance(points, AoT) or not all(
        isinstance(t.get("derived", {}), dict) for t in points
    ):
        raise RubricMergeError("'points' must be [[points]] tables with a 'derived' table")
    fresh = list(rubric.points)
    matched = _match(list(points), fresh)
    for table in list(points):
        point = matched.get(id(table))
        pid = str(table.get("id", "?"))
        if point is not None and "derived" in table:  # tables without it are hand-written
            for name in TRACKED:
                _refresh(table, name, getattr(point, name), _derived_of(table), result.kept, pid)
        elif "derived" in table and not _edited(table):
            points.remove(table)  # derived, untouched, and gone from the answer
            result.removed.append(pid)
    taken = {str(t.get("id")) for t in points}
    used = {id(p) for p in matched.values()}
    n = len(taken)
    for point in fresh:
        if id(point) in used:
            continue
        n += 1
        while f"p{n}" in taken:
            n += 1
        point = RubricPoint(**{**_fields(point), "id": f"p{n}"})
        if len(points):
            points[-1].add(tomlkit.nl())  # a blank line before the new [[points]]
        taken.add(point.id)
        points.append(_new_point(point))
        result.added.append(point.id)
    result.text = tomlkit.dumps(doc)
    return result


def _fields(point: RubricPoint) -> dict[str, Any]:
    return {name: getattr(point, name) for name in RubricPoint.__slots__}


def _new_point(point: RubricPoint) -> Table:
    table = tomlkit.table()
    table.add("id", point.id)
    derived = tomlkit.inline_table()
    for name in TRACKED:
        value = getattr(point, name)
        if value is not None:
            table.add(name, _item(name, value))
        derived[name] = field_hash(value)
    table.add("misconceptions", tomlkit.array())
    table.add(tomlkit.comment("hashes of the derived values: how rebuilds spot your edits"))
    table.add("derived", derived)
    return table


def _item(name: str, value: Any) -> Any:
    if name == "text" and "\n" in value:
        return tomlkit.string(value, multiline=True)
    if name == "keywords":
        array = tomlkit.array()
        for group in value:
            array.append(list(group))
        array.multiline(True)
        return array
    return value


def _derived_of(table: Any) -> Any:
    derived = table.get("derived")
    if derived is None:
        derived = tomlkit.inline_table()
        table["derived"] = derived
    return derived


def _plain(value: Any) -> Any:
    return value.unwrap() if hasattr(value, "unwrap") else value


def _edited(table: Any) -> bool:
    derived = table.get("derived", {})
    return any(
        name in derived and field_hash(_plain(table.get(name))) != derived[name] for name in TRACKED
    )


def _refresh(
    table: Any, name: str, value: Any, derived: Any, kept: list[str], pid: str = ""
) -> None:
    """Write the fresh value unless the current one is a hand edit (its hash is not ours)."""
    current = _plain(table.get(name))
    recorded = derived.get(name)
    hand_written = recorded is None and name in table
    if hand_written or (recorded is not None and field_hash(current) != recorded):
        if field_hash(value) != field_hash(current):
            kept.append(f"{pid}.{name}" if pid else name)
        return
    if value is None:
        if name in table:
            del table[name]
    elif current != value:
        table[name] = _item(name, value)
    derived[name] = field_hash(value)


def _match(tables: list[Any], fresh: list[RubricPoint]) -> dict[int, RubricPoint]:
    """Old point table -> fresh point it stands for."""
    matched: dict[int, RubricPoint] = {}
    free = list(fresh)
    rules: tuple[Callable[[Any, RubricPoint], bool], ...] = (
        lambda t, p: t.get("derived", {}).get("title") == field_hash(p.title),
        lambda t, p: str(t.get("title", "")).strip().lower() == p.title.strip().lower(),
        lambda t, p: "derived" in t and str(t.get("id")) == p.id,
    )
    for rule in rules:
        for table in tables:
            if id(table) in matched:
                continue
            point = next((p for p in free if rule(table, p)), None)
            if point is not None:
                matched[id(table)] = point
                free.remove(point)
    return matched
