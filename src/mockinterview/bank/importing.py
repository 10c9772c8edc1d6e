"""`bank import`: read sources, collapse duplicates, and write bank files.

Duplicates of one id across pages collapse into one question when they agree; when they
disagree the first is kept and the conflict is reported. An existing bank file keeps what the
source did not state itself (a difficulty set by hand survives a re-import of a page without
one), so importing the same pages twice changes nothing. A source whose question or answer
text differs from an existing bank file's is a conflict (the file is left alone) unless the
import is told to replace: edits made in the bank are never lost silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from dataclasses import replace as dataclass_replace
from pathlib import Path

from mockinterview.bank.importers import Imported, ReadResult
from mockinterview.bank.importers.guess import guess_difficulty, guess_tags, guess_topic
from mockinterview.bank.loader import bank_files
from mockinterview.bank.markdown import BankFileError, parse_question, render_question, topic_folder
from mockinterview.bank.problems import Problem
from mockinterview.models import Question, text_hash

_META = ("topic", "difficulty", "tags")


@dataclass
class ImportReport:
    created: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    collapsed: list[str] = field(default_factory=list)  # "DL0003: 001.txt:25 = 000.txt:3"
    conflicts: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.conflicts and not self.problems


def read_source(path: Path) -> ReadResult:
    from mockinterview.bank.importers.seed_page import read_seed_page
    from mockinterview.bank.importers.tabular import read_csv, read_jsonl

    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(path)
    if suffix in (".jsonl", ".ndjson"):
        return read_jsonl(path)
    return read_seed_page(path)


def import_files(
    paths: list[Path],
    bank_root: Path,
    topic: str | None = None,
    dry_run: bool = False,
    replace: bool = False,
) -> ImportReport:
    """Write the sources' questions into the bank. An existing file takes the header fields
    the source states; a changed question or answer text is a conflict unless `replace`."""
    report = ImportReport()
    entries: dict[str, Imported] = {}
    for path in paths:
        result = read_source(path)
        report.problems.extend(result.problems)
        for entry in result.questions:
            _collapse(entries, entry, report)
    existing = _existing_files(bank_root)
    for qid in sorted(entries):
        question = _as_question(entries[qid], topic)
        old_path = existing.get(qid)
        if old_path is None:
            _write(
                bank_root / topic_folder(question.topic) / f"{qid}.md", question, report, dry_run
            )
        else:
            _update(old_path, entries[qid], question, report, dry_run, replace)
    return report


def _collapse(entries: dict[str, Imported], entry: Imported, report: ImportReport) -> None:
    first = entries.get(entry.id)
    if first is None:
        entries[entry.id] = entry
        return
    differs = [
        name
        for name in ("title", "question", "answer")
        if text_hash(getattr(first, name)) != text_hash(getattr(entry, name))
    ]
    differs += [
        name
        for name in _META
        if name in first.explicit
        and name in entry.explicit
        and getattr(first, name) != getattr(entry, name)
    ]
    if differs:
        report.conflicts.append(
            Problem(
                entry.path,
                entry.line,
                f"{entry.id}: conflicting duplicate of {first.where} ({', '.join(differs)} "
                "differ); kept the first, fix one of them and import again",
            )
        )
        return
    for name in _META:  # a later page may state what the first one left out
        if name in entry.explicit and name not in first.explicit:
            setattr(first, name, getattr(entry, name))
            first.explicit.add(name)
    report.collapsed.append(f"{entry.id}: {entry.where} = {first.where}")


def _as_question(entry: Imported, topic: str | None) -> Question:
    chosen_topic = entry.topic if "topic" in entry.explicit else ""
    if not chosen_topic and topic:
        chosen_topic = topic.lower()
        entry.explicit.add("topic")
    return Question(
        id=entry.id,
        title=entry.title,
        question=entry.question,
        answer=entry.answer,
        topic=chosen_topic or guess_topic(entry.id),
        difficulty=entry.difficulty
        if "difficulty" in entry.explicit
        else guess_difficulty(entry.question),
        tags=entry.tags if "tags" in entry.explicit else guess_tags(entry.title, entry.question),
        source=entry.path.name,
    )


def _existing_files(bank_root: Path) -> dict[str, Path]:
    """id -> file already in the bank (wherever its topic folder), by file name."""
    if not bank_root.is_dir():
        return {}
    return {path.stem: path for path in bank_files(bank_root)}


def _update(
    path: Path,
    entry: Imported,
    fresh: Question,
    report: ImportReport,
    dry_run: bool,
    replace: bool = False,
) -> None:
    try:
        old = parse_question(path.read_text(encoding="utf-8"), path)
    except (OSError, UnicodeDecodeError, BankFileError) as exc:
        line = getattr(exc, "line", 1)
        report.problems.append(
            Problem(
                path,
                line,
                f"{entry.id}: existing bank file is unreadable ({exc}); "
                "fix or delete it, then import again",
            )
        )
        return
    changed = [
        name
        for name in ("question", "answer")
        if text_hash(getattr(old, name)) != text_hash(getattr(fresh, name))
    ]
    if changed and not replace:
        what = " and ".join(changed) + (" text differs" if len(changed) == 1 else " texts differ")
        report.conflicts.append(
            Problem(
                entry.path,
                entry.line,
                f"{entry.id}: the {what} from {path}; kept the bank file (import with --replace "
                "to overwrite it)",
            )
        )
        return
    title = fresh.title if replace or "title" in entry.explicit else old.title
    merged = dataclass_replace(
        old,
        title=title,
        question=fresh.question if changed else old.question,
        answer=fresh.answer if changed else old.answer,
        **{name: getattr(fresh, name) for name in _META if name in entry.explicit},
    )
    _write(path, merged, report, dry_run)


def _write(path: Path, question: Question, report: ImportReport, dry_run: bool) -> None:
    text = render_question(question)
    if path.exists():
        if path.read_text(encoding="utf-8") == text:
            report.unchanged.append(path)
            return
        report.updated.append(path)
    else:
        report.created.append(path)
    if not dry_run:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
