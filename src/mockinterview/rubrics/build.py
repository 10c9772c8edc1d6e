"""`rubrics build`: derive each question's rubric and write it, merged with any hand edits."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mockinterview.rubrics.derive import derive_rubric
from mockinterview.rubrics.files import rubric_path

if TYPE_CHECKING:
    from mockinterview.bank import Bank


class Skipped(str):
    """A report line for a rubric that could not be rebuilt (the command then exits 1)."""


def build_rubrics(bank: Bank, ids: list[str], force: bool = False) -> list[str]:
    """One line per question: what was written and which hand edits were kept."""
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
        if old is None or force:
            text, note = new_rubric_text(rubric, question), ""
        else:
            try:
                merged = merge_rubric_text(old, rubric, question)
            except RubricMergeError as exc:
                lines.append(Skipped(f"{path}: skipped: {exc}; fix it or rebuild with --force"))
                continue
            text, note = merged.text, _describe(merged.kept, merged.added, merged.removed)
        if text == old:
            lines.append(f"unchanged: {path}{note}")
            continue
        path.write_text(text, encoding="utf-8")
        verb = "created" if old is None else ("rebuilt" if force else "updated")
        lines.append(f"{verb}: {path} ({len(rubric.points)} derived points){note}")
    return lines


def _describe(kept: list[str], added: list[str], removed: list[str]) -> str:
    parts = []
    if kept:
        parts.append("kept hand edits: " + ", ".join(kept))
    if added:
        parts.append("new points: " + ", ".join(added))
    if removed:
        parts.append("dropped points no longer in the answer: " + ", ".join(removed))
    return ("; " + "; ".join(parts)) if parts else ""
