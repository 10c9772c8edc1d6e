"""`rubrics build`: derive each question's rubric and write it, merged with any hand edits.

A curated rubric (hand-edited keywords, min_groups or misconceptions, or `curated = true`) is
never rewritten without `--force`: the builder's refresh of untouched fields could still shift
what a curator tuned around them, and a shipped rubric must not change behind their back.
"""

from __future__ import annotations

import tomllib
from typing import TYPE_CHECKING, Any

from mockinterview.rubrics.derive import derive_rubric
from mockinterview.rubrics.files import TRACKED, field_hash, rubric_path

if TYPE_CHECKING:
    from mockinterview.bank import Bank

# Point fields whose hand edits make a file curated (the matcher's behaviour, not its wording).
CURATED_FIELDS = ("keywords", "min_groups")


class Skipped(str):
    """A report line for a rubric that could not be rebuilt (the command then exits 1)."""


def curated_edits(text: str) -> list[str] | None:
    """Why a rubric file counts as curated ("curated = true", "p2.min_groups", ...), [] if it
    does not, None if it cannot be parsed (the merge then reports that)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    reasons: list[str] = []
    if data.get("curated") is True:
        reasons.append("curated = true")
    points = data.get("points")
    for point in points if isinstance(points, list) else []:
        if not isinstance(point, dict):
            continue
        pid = str(point.get("id", "?"))
        derived: Any = point.get("derived")
        if isinstance(derived, dict):
            for name in CURATED_FIELDS:
                if name in derived and field_hash(point.get(name)) != derived[name]:
                    reasons.append(f"{pid}.{name}")
        if point.get("misconceptions"):  # the builder always writes none
            reasons.append(f"{pid}.misconceptions")
    return reasons


def build_rubrics(bank: Bank, ids: list[str], force: bool = False) -> list[str]:
    """One line per question: what was written, kept or skipped, and which hand edits survived."""
    from mockinterview.rubrics.merge import (
        RubricMergeError,
        merge_rubric_text,
        new_rubric_text,
    )

    lines: list[str] = []
    bank.rubrics_root.mkdir(parents=True, exist_ok=True)
    for qid in ids:
        question = bank.questions[qid]
        rubric = derive_rubric(question)
        path = rubric_path(bank.rubrics_root, qid)
        old = path.read_text(encoding="utf-8") if path.is_file() else None
        if old is not None and not force:
            curated = curated_edits(old)
            if curated:
                lines.append(_kept(path.name, curated, old, question.answer_hash))
                continue
        if old is None or force:
            text, note = new_rubric_text(rubric, question), ""
        else:
            try:
                merged = merge_rubric_text(old, rubric, question)
            except RubricMergeError as exc:
                lines.append(Skipped(f"skipped {path.name}: {exc}; fix it or rebuild with --force"))
                continue
            refreshed = _refreshed(old, merged.text)
            text = merged.text
            note = _describe(merged.kept, merged.added, merged.removed, refreshed)
        if text == old:
            lines.append(f"unchanged {path.name}{note}")
            continue
        path.write_text(text, encoding="utf-8")
        if old is None:
            lines.append(f"created {path.name} ({_points(len(rubric.points))})")
        elif force:
            derived = _points(len(rubric.points), "derived ")
            lines.append(f"rebuilt {path.name} (--force: {derived})")
        else:
            lines.append(f"updated {path.name}{note}")
    return lines


def _kept(name: str, reasons: list[str], old: str, answer_hash: str) -> str:
    """ "kept X.toml (curated; --force to rebuild): curated = true; edited keywords of p1, p2"."""
    parts = [r for r in reasons if "." not in r]
    by_field: dict[str, list[str]] = {}
    for reason in reasons:
        if "." in reason:
            pid, name_ = reason.rsplit(".", 1)
            by_field.setdefault(name_, []).append(pid)
    parts += [f"edited {what} of {', '.join(pids)}" for what, pids in by_field.items()]
    line = f"kept {name} (curated; --force to rebuild): " + "; ".join(parts)
    if tomllib.loads(old).get("answer_hash") != answer_hash:  # parsed by curated_edits already
        line += (
            "; its reference answer changed since it was built: review the points by hand, "
            f'then set answer_hash = "{answer_hash}"'
        )
    return line


def _refreshed(old: str, new: str) -> list[str]:
    """Derived fields a merge rewrote ("p1.keywords"): the answer or the deriving changed."""
    try:
        before, after = tomllib.loads(old), tomllib.loads(new)
    except tomllib.TOMLDecodeError:
        return []
    old_points = {str(p.get("id")): p for p in before.get("points", []) if isinstance(p, dict)}
    changed = [name for name in ("required",) if before.get(name) != after.get(name)]
    for point in after.get("points", []):
        pid = str(point.get("id"))
        was = old_points.get(pid)
        if was is not None:
            changed += [f"{pid}.{n}" for n in TRACKED if was.get(n) != point.get(n)]
    return changed


def _describe(
    kept: list[str], added: list[str], removed: list[str], refreshed: list[str] | None = None
) -> str:
    parts = []
    if refreshed:
        parts.append("refreshed " + ", ".join(refreshed))
    if added:
        parts.append("points added " + ", ".join(added))
    if removed:
        parts.append("points dropped (no longer in the answer) " + ", ".join(removed))
    if kept:
        parts.append("hand edits kept " + ", ".join(kept))
    return (": " + "; ".join(parts)) if parts else ""


def summary(lines: list[str]) -> str:
    """ "2 created, 1 kept (curated), ..." over the lines of `build_rubrics`."""
    verbs = ("created", "updated", "rebuilt", "unchanged", "kept", "skipped")
    counts = {verb: sum(line.startswith(verb + " ") for line in lines) for verb in verbs}
    return ", ".join(
        f"{n} {'kept (curated)' if verb == 'kept' else verb}" for verb, n in counts.items() if n
    )


def _points(count: int, kind: str = "") -> str:
    """ "1 point", "3 derived points": counts read as English."""
    return f"{count} {kind}point{'' if count == 1 else 's'}"
