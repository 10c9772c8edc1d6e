"""Personal rubric overlays: phrasings the candidate taught the grader, kept in the user's data
dir (`<data dir>/rubric-overlays/<ID>.toml`), never in the bundled rubric files.

When the candidate marks a missed point as covered, the app offers to remember the words they
used for it. An overlay lists, per point, keyword alternatives to add:

    question_id = "DL0001"

    [points.p1]
    keywords = ["gradients pass straight through the addition"]

Merged into the rubric whenever a question is graded (`Bank.rubric_for`), each phrase becomes an
alternative of every keyword group of its point, so an answer with those words (within the
matcher's window, in any order) covers all the point's groups. The point's reference words
still count as the grader weighs them (`grading.scoring.point_credit`), so a phrase far from
the reference may earn a partial, not a hit.

No Textual here: the core reads, merges, writes and checks overlays; the app asks.
"""

from __future__ import annotations

import re
import threading
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from mockinterview.locations import OVERLAY_DIR as OVERLAY_DIR  # where overlays live: named
from mockinterview.locations import overlays_dir as overlays_dir  # there, for a faster start
from mockinterview.problems import Problem, toml_error_line

if TYPE_CHECKING:
    from mockinterview.models import Rubric

MAX_PHRASE_WORDS = 8  # a remembered phrase: the content words of one idea, not a paragraph
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)])\s)")


def overlay_path(root: Path, question_id: str) -> Path:
    return root / f"{question_id}.toml"


@dataclass(slots=True)
class Overlay:
    """What one overlay file adds: point id -> phrases, in file order."""

    question_id: str
    points: dict[str, list[str]] = field(default_factory=dict)
    path: Path | None = None


@dataclass(slots=True)
class OverlayFile:
    """Reading one overlay file: the overlay (None if unusable) and what was wrong with it."""

    path: Path
    overlay: Overlay | None
    problems: list[Problem] = field(default_factory=list)


def _line_of(lines: list[str], pattern: str, start: int = 0) -> int:
    regex = re.compile(pattern)
    for i in range(start, len(lines)):
        if regex.search(lines[i]):
            return i + 1
    return start + 1 if start < len(lines) else 1


def _table_line(lines: list[str], point_id: str) -> int:
    quoted = re.escape(point_id)
    return _line_of(lines, rf"^\s*\[\s*points\s*\.\s*(\"{quoted}\"|'{quoted}'|{quoted})\s*\]")


def read_overlay(path: Path) -> OverlayFile:
    """Never raises on bad content: each problem names the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return OverlayFile(path, None, [Problem(path, 1, f"cannot read rubric overlay: {exc}")])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = toml_error_line(exc) or 1
        if "end of document" in str(exc):  # the file stops in the middle of a value
            line = max(1, len(text.splitlines()))
        return OverlayFile(path, None, [Problem(path, line, f"bad TOML: {exc}")])
    lines = text.splitlines()
    problems: list[Problem] = []
    qid = data.get("question_id", path.stem)
    if not isinstance(qid, str) or not qid.strip():
        line = _line_of(lines, r"^\s*question_id\s*=")
        return OverlayFile(path, None, [Problem(path, line, "'question_id' must be a text")])
    if qid != path.stem:
        problems.append(
            Problem(
                path,
                _line_of(lines, r"^\s*question_id\s*="),
                f"question_id {qid!r} does not match the file name {path.name!r}",
            )
        )
    raw_points = data.get("points", {})
    if not isinstance(raw_points, dict):
        line = _line_of(lines, r"^\s*points\s*=")
        problems.append(Problem(path, line, "'points' must be tables: [points.<point id>]"))
        return OverlayFile(path, Overlay(qid, {}, path), problems)
    overlay = Overlay(qid, {}, path)
    for point_id, table in raw_points.items():
        line = _table_line(lines, point_id)
        keywords = table.get("keywords") if isinstance(table, dict) else None
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            keyword_line = _line_of(lines, r"^\s*keywords\s*=", line - 1)
            problems.append(
                Problem(
                    path,
                    keyword_line if isinstance(table, dict) else line,
                    f"point {point_id}: 'keywords' must be a list of phrases (texts)",
                )
            )
            continue
        phrases = list(dict.fromkeys(" ".join(k.split()) for k in keywords if k.strip()))
        if phrases:
            overlay.points[point_id] = phrases
    return OverlayFile(path, overlay, problems)


def merge(rubric: Rubric, overlay: Overlay | None) -> Rubric:
    """The rubric with each overlay phrase added to every keyword group of its point (a copy;
    the rubric is left as it was). Phrases for unknown points are ignored here (`check`
    reports them)."""
    if overlay is None or not overlay.points:
        return rubric
    points = []
    changed = False
    for point in rubric.points:
        phrases = overlay.points.get(point.id)
        if not phrases:
            points.append(point)
            continue
        groups = [list(group) for group in point.keywords] or [[]]
        for group in groups:
            known = {word.casefold() for word in group}
            group.extend(p for p in phrases if p.casefold() not in known)
        points.append(replace(point, keywords=groups))
        changed = True
    return replace(rubric, points=points) if changed else rubric


_cache: dict[Path, tuple[tuple[int, int], Overlay | None]] = {}
_cache_lock = threading.Lock()


def load_overlay(root: Path, question_id: str) -> Overlay | None:
    """The overlay of a question, re-read only when its file changed (a stat per call)."""
    path = overlay_path(root, question_id)
    try:
        info = path.stat()
    except OSError:
        return None
    stamp = (info.st_mtime_ns, info.st_size)
    with _cache_lock:
        cached = _cache.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    overlay = read_overlay(path).overlay
    if overlay is not None and overlay.question_id != question_id:
        overlay = None  # a file named for another question: `check` says so
    with _cache_lock:
        _cache[path] = (stamp, overlay)
    return overlay


def with_overlay(rubric: Rubric, root: Path | None) -> Rubric:
    """The rubric a question is graded with: its file's, plus the candidate's overlay."""
    if root is None:
        return rubric
    return merge(rubric, load_overlay(root, rubric.question_id))


def remember(root: Path, question_id: str, point_id: str, phrase: str) -> Path:
    """Add a phrase to a point of a question's overlay, creating the file if needed; hand edits
    and comments of an existing file are kept. Returns the file's path."""
    import tomlkit

    phrase = " ".join(phrase.split())
    if not phrase:
        raise ValueError("an empty phrase cannot be remembered")
    path = overlay_path(root, question_id)
    root.mkdir(parents=True, exist_ok=True)
    if path.exists():
        doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    else:
        doc = tomlkit.document()
        doc.add(tomlkit.comment(f"Your own phrasings for {question_id}, remembered when you"))
        doc.add(tomlkit.comment("corrected a grade. Each phrase, found in an answer, covers the"))
        doc.add(tomlkit.comment("point's keyword groups. Edit or delete freely."))
        doc.add("question_id", question_id)
    if "points" not in doc:
        doc.add(tomlkit.nl())
        doc.add("points", tomlkit.table(is_super_table=True))
    points = doc["points"]
    if point_id not in points:
        table = tomlkit.table()
        table.add("keywords", tomlkit.array())
        points.add(point_id, table)
    keywords = points[point_id].setdefault("keywords", tomlkit.array())
    if phrase.casefold() not in {str(k).casefold() for k in keywords}:
        keywords.append(phrase)
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(tomlkit.dumps(doc), encoding="utf-8")
    tmp.replace(path)
    return path


def check_overlays(root: Path, rubric_of: object, question_ids: set[str]) -> list[Problem]:
    """Problems of every overlay file: bad TOML, unknown question, unknown point id.
    `rubric_of(question_id)` gives the question's rubric without the overlay."""
    problems: list[Problem] = []
    if not root.is_dir():
        return problems
    for path in sorted(root.glob("*.toml")):
        problems.extend(check_overlay(path, rubric_of, question_ids))
    return problems


def check_overlay(path: Path, rubric_of: object, question_ids: set[str]) -> list[Problem]:
    loaded = read_overlay(path)
    problems = list(loaded.problems)
    overlay = loaded.overlay
    if overlay is None:
        return problems
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    if overlay.question_id not in question_ids:
        line = _line_of(lines, r"^\s*question_id\s*=")
        problems.append(
            Problem(path, line, f"rubric overlay for unknown question {overlay.question_id!r}")
        )
        return problems
    try:
        rubric = rubric_of(overlay.question_id)  # type: ignore[operator]
    except Exception as exc:
        problems.append(Problem(path, 1, f"cannot read the rubric of {overlay.question_id}: {exc}"))
        return problems
    known = {p.id for p in rubric.points}
    for point_id in overlay.points:
        if point_id not in known:
            problems.append(
                Problem(
                    path,
                    _table_line(lines, point_id),
                    f"unknown point {point_id!r} for {overlay.question_id} "
                    f"(its points: {', '.join(sorted(known))})",
                )
            )
    return problems


# --- choosing the phrase to remember --------------------------------------------------------


def sentences(text: str) -> list[str]:
    """The sentences (and list items) of an answer, stripped, empty ones left out."""
    return [s.strip() for s in _SENTENCE_END.split(text or "") if s and s.strip()]


def suggest_phrase(answer: str, point_text: str, point_title: str = "", question: str = "") -> str:
    """The words of the answer to remember for a point: its sentence sharing the most ideas
    with the point's title and text, trimmed to its content words, at most MAX_PHRASE_WORDS
    of them (the run of that many sharing the most with the point). "" for an empty answer."""
    from mockinterview.text.analysis import content_stems, question_words, tokenise

    asked = question_words(question) if question else frozenset()
    wanted = set(content_stems(f"{point_title}\n{point_text}"))
    best: tuple[int, int, list[tuple[str, str]]] | None = None
    for position, sentence in enumerate(sentences(answer)):
        kept = set(content_stems(sentence))
        words = [
            (sentence[t.start : t.end], t.stem)
            for t in tokenise(sentence)
            if t.stem in kept and t.stem not in asked and t.root not in asked
        ]
        if not words:
            continue
        score = len({stem for _, stem in words} & wanted)
        if best is None or score > best[0]:
            best = (score, position, words)
    if best is None:
        return ""
    words = best[2]
    if len(words) > MAX_PHRASE_WORDS:
        start = max(
            range(len(words) - MAX_PHRASE_WORDS + 1),
            key=lambda i: (
                len({stem for _, stem in words[i : i + MAX_PHRASE_WORDS]} & wanted),
                -i,
            ),
        )
        words = words[start : start + MAX_PHRASE_WORDS]
    return " ".join(dict.fromkeys(text for text, _ in words))
