"""`rubrics/<ID>.toml`: read fast with tomllib, written with tomlkit so rebuilding keeps hand
edits (curated keywords, weights, titles, misconceptions, comments, order).

Each derived point carries `derived`, short hashes of the values the builder wrote. A field whose
hash still matches was not touched by hand, so a rebuild may refresh it; one that differs is a
hand edit and is kept. `--force` ignores the old file altogether.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mockinterview.models import Rubric, RubricPoint, text_hash
from mockinterview.problems import Problem, toml_error_line

TRACKED = ("title", "section", "text", "weight", "keywords", "min_groups")


def field_hash(value: object) -> str:
    return text_hash(repr(value))[:8]


def rubric_path(rubrics_root: Path, question_id: str) -> Path:
    return rubrics_root / f"{question_id}.toml"


@dataclass
class RubricFile:
    """What reading one rubric file gave: the rubric (None if unusable) and its problems."""

    path: Path
    rubric: Rubric | None
    problems: list[Problem] = field(default_factory=list)


class _Lines:
    """Line numbers for `file:line:` messages: tomllib keeps none, so find them in the text."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.point_starts = [
            i + 1 for i, line in enumerate(self.lines) if line.strip().startswith("[[points]]")
        ]

    def of(self, key: str, point: int | None = None) -> int:
        start, stop = 0, len(self.lines)
        if point is not None and point < len(self.point_starts):
            start = self.point_starts[point] - 1
            if point + 1 < len(self.point_starts):
                stop = self.point_starts[point + 1] - 1
        elif point is None and self.point_starts:
            stop = self.point_starts[0] - 1
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for i in range(start, stop):
            if pattern.match(self.lines[i]):
                return i + 1
        return start + 1


def read_rubric(path: Path) -> RubricFile:
    """Never raises on bad content: problems name the line and the field."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return RubricFile(path, None, [Problem(path, 1, f"cannot read rubric: {exc}")])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = toml_error_line(exc) or 1
        return RubricFile(path, None, [Problem(path, line, f"bad TOML: {exc}")])
    return _rubric_from(data, path, _Lines(text))


def _rubric_from(data: dict[str, Any], path: Path, lines: _Lines) -> RubricFile:
    problems: list[Problem] = []

    def report(message: str, key: str, point: int | None = None) -> None:
        problems.append(Problem(path, lines.of(key, point), message))

    qid = data.get("question_id")
    if not isinstance(qid, str) or not qid:
        report("missing 'question_id'", "question_id")
        return RubricFile(path, None, problems)
    if qid != path.stem:
        report(f"question_id {qid!r} does not match the file name {path.name!r}", "question_id")
    answer_hash = data.get("answer_hash", "")
    if not isinstance(answer_hash, str) or not answer_hash:
        report("missing 'answer_hash' (rebuild with `mockinterview rubrics build`)", "answer_hash")
        answer_hash = ""
    required = data.get("required")
    if required is not None and (not isinstance(required, int) or required < 1):
        report("'required' must be a positive whole number", "required")
        required = None
    curated = data.get("curated")  # `rubrics build` keeps a curated file as it is
    if curated is not None and not isinstance(curated, bool):
        report("'curated' must be true or false", "curated")
    raw_points = data.get("points", [])
    if not isinstance(raw_points, list) or not raw_points:
        report("no [[points]]: a rubric needs at least one point", "question_id")
        return RubricFile(path, None, problems)
    points: list[RubricPoint] = []
    seen: set[str] = set()
    for n, raw in enumerate(raw_points):
        point = _point_from(raw, n, lambda msg, key, n=n: report(msg, key, n))
        if point is None:
            continue
        if point.id in seen:
            report(f"duplicate point id {point.id!r}", "id", n)
            continue
        seen.add(point.id)
        points.append(point)
    if required is not None and required > len(points):
        report(f"'required' is {required} but the rubric has {len(points)} points", "required")
        required = len(points)
    rubric = (
        Rubric(qid, answer_hash, points, required=required, path=path, curated=curated is True)
        if points
        else None
    )
    return RubricFile(path, rubric, problems)


def _point_from(raw: object, n: int, report: Any) -> RubricPoint | None:
    if not isinstance(raw, dict):
        report(f"point {n + 1} is not a table", "id")
        return None
    pid = raw.get("id")
    if not isinstance(pid, str) or not pid:
        report(f"point {n + 1}: missing 'id'", "id")
        return None
    for key in ("title", "text"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            report(f"point {pid}: missing '{key}'", key)
            return None
    weight = raw.get("weight", 1.0)
    if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
        report(f"point {pid}: 'weight' must be a number above 0", "weight")
        return None
    keywords = raw.get("keywords", [])
    if not _is_groups(keywords):
        report(f"point {pid}: 'keywords' must be a list of groups (lists of words)", "keywords")
        return None
    groups = [[group] if isinstance(group, str) else group for group in keywords]
    groups = [[w.strip() for w in group if w.strip()] for group in groups]
    groups = [g for g in groups if g]
    if not groups:
        report(f"point {pid}: no keywords, so no answer can ever earn it", "keywords")
        return None
    min_groups = raw.get("min_groups")
    if min_groups is not None and (
        not isinstance(min_groups, int) or not 1 <= min_groups <= len(groups)
    ):
        report(f"point {pid}: 'min_groups' must be between 1 and {len(groups)}", "min_groups")
        min_groups = None
    misconceptions = raw.get("misconceptions", [])
    if not isinstance(misconceptions, list) or not all(isinstance(m, str) for m in misconceptions):
        report(f"point {pid}: 'misconceptions' must be a list of strings", "misconceptions")
        misconceptions = []
    return RubricPoint(
        id=pid,
        title=raw["title"].strip(),
        text=raw["text"].strip(),
        section=str(raw.get("section", "")),
        weight=float(weight),
        keywords=groups,
        min_groups=min_groups,
        misconceptions=[m for m in misconceptions if m.strip()],
    )


def _is_groups(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(group, str)
        or (isinstance(group, list) and all(isinstance(w, str) for w in group))
        for group in value
    )
