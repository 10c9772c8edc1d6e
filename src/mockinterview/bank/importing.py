"""`bank import`: read sources, collapse duplicates, and write bank files.

Duplicates of one id across pages collapse into one question when they agree; when they
disagree the first is kept and the conflict is reported. An existing bank file keeps what the
source did not state itself (a difficulty set by hand survives a re-import of a page without
one), so importing the same pages twice changes nothing. A source whose question or answer
text differs from an existing bank file's is a conflict (the file is left alone) unless the
import is told to replace: edits made in the bank are never lost silently.

The format is guessed from the content (a zip or SQLite file is an Anki deck, `#separator:`
headers an Anki text export, headings or bold lines that ask questions Markdown Q&A, bullets
with ids a seed page) and from the suffix, and can be forced. A file that cannot be read as a
whole (a damaged zip, a column map naming a missing column, binary junk) contributes nothing;
entries that cannot be used are skipped and counted by reason. Sources without ids get stable
ones derived from the question text or the Anki note guid (see importers/ids.py). Every file is
planned before anything is written, and each is written atomically (a temporary file renamed
over it), so an interrupted import never leaves half a file.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from dataclasses import replace as dataclass_replace
from pathlib import Path

from mockinterview.bank.importers import (
    MAX_SOURCE_BYTES,
    Imported,
    ReadResult,
    SourceError,
    decode_text,
)
from mockinterview.bank.importers.guess import guess_difficulty, guess_tags, guess_topic
from mockinterview.bank.importers.ids import generated_id
from mockinterview.bank.loader import bank_files
from mockinterview.bank.markdown import BankFileError, parse_question, render_question, topic_folder
from mockinterview.models import Question, text_hash
from mockinterview.problems import Problem

_META = ("topic", "difficulty", "tags")
# the values of `bank import --format` (cli/__init__.py lists them too: the parser stays light)
FORMATS = ("auto", "seed", "markdown", "csv", "tsv", "jsonl", "anki-text", "apkg")


@dataclass
class ImportReport:
    created: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    collapsed: list[str] = field(default_factory=list)  # "DL0003: 001.txt:25 = 000.txt:3"
    conflicts: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> entries left out
    failed: list[Path] = field(default_factory=list)  # files of which nothing was imported
    answer_changed: list[str] = field(default_factory=list)  # ids whose answer was replaced
    pending: dict[Path, str] = field(default_factory=dict)  # bank file -> text, until written

    @property
    def ok(self) -> bool:
        return not self.conflicts and not self.problems

    @property
    def created_ids(self) -> list[str]:
        return [path.stem for path in self.created]


def detect_format(path: Path, data: bytes) -> str:
    """The format of a source, from its content first and its suffix second."""
    from mockinterview.bank.importers.anki import looks_like_apkg
    from mockinterview.bank.importers.delimited import looks_like_anki_text
    from mockinterview.bank.importers.markdown_qa import looks_like_markdown_qa
    from mockinterview.bank.importers.seed_page import looks_like_seed_page

    suffix = path.suffix.lower()
    if looks_like_apkg(data) or suffix in (".apkg", ".colpkg"):
        return "apkg"
    text = decode_text(path, data)  # binary junk and bad bytes end here, named
    if looks_like_anki_text(text):
        return "anki-text"
    by_suffix = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "tsv"}
    if suffix in by_suffix:
        return by_suffix[suffix]
    if suffix in (".md", ".markdown"):
        return "markdown"
    if looks_like_seed_page(text) and any(
        line.strip().lower().startswith("answer") for line in text.split("\n")
    ):
        return "seed"
    if looks_like_markdown_qa(text):
        return "markdown"
    if suffix == ".txt" and "\t" in text.split("\n", 1)[0]:
        return "tsv"
    return "seed"


def read_source(
    path: Path, fmt: str = "auto", columns: Mapping[str, str] | None = None
) -> ReadResult:
    """The questions of one file; a file that cannot be read as a whole gives one problem
    and no questions (`failed`)."""
    try:
        return _read(path, fmt, columns)
    except SourceError as exc:
        return ReadResult(problems=[exc.problem()], failed=True)


def _read(path: Path, fmt: str, columns: Mapping[str, str] | None) -> ReadResult:
    from mockinterview.bank.importers.seed_page import read_seed_page
    from mockinterview.bank.importers.tabular import read_csv, read_jsonl

    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            raise SourceError(
                path, 0, f"{size / 2**20:.0f} MB is over the 50 MB limit for an import file"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(path, 0, f"cannot read: {exc.strerror or exc}") from None
    if fmt == "auto":
        fmt = detect_format(path, data)
    if fmt == "apkg":
        from mockinterview.bank.importers.anki import read_apkg

        return read_apkg(path, data, columns)
    if fmt == "markdown":
        from mockinterview.bank.importers.markdown_qa import read_markdown

        return read_markdown(path, data)
    if fmt in ("csv", "tsv", "anki-text"):
        from mockinterview.bank.importers.delimited import read_delimited

        if fmt == "csv" and not columns and _has_id_columns(path, data):
            return read_csv(path)
        delimiter = {"csv": ",", "tsv": "\t"}.get(fmt)
        return read_delimited(path, data, delimiter, columns)
    if fmt == "jsonl":
        return read_jsonl(path)
    return read_seed_page(path)


def _has_id_columns(path: Path, data: bytes) -> bool:
    """A CSV in the bank's own layout (id, question, answer): read by the strict reader."""
    import csv
    import io

    text = decode_text(path, data)
    header = next(csv.reader(io.StringIO(text.split("\n", 1)[0])), [])
    names = {name.strip().lower() for name in header}
    return {"id", "question", "answer"} <= names


def import_files(
    paths: list[Path],
    bank_root: Path,
    topic: str | None = None,
    dry_run: bool = False,
    replace: bool = False,
    fmt: str = "auto",
    columns: Mapping[str, str] | None = None,
) -> ImportReport:
    """Write the sources' questions into the bank. An existing file takes the header fields
    the source states; a changed question or answer text is a conflict unless `replace`.
    Everything is planned first; then each bank file is written atomically (not on dry runs)."""
    report = ImportReport()
    entries: dict[str, Imported] = {}
    for path in paths:
        result = read_source(path, fmt, columns)
        report.problems.extend(result.problems)
        report.skipped.update(result.skipped)
        if result.failed:
            report.failed.append(path)
        for entry in result.questions:
            if not entry.id:
                stated = entry.topic if "topic" in entry.explicit else (topic or "")
                entry.id = generated_id(stated, entry.key)
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
    if not dry_run:
        for target, text in report.pending.items():
            write_atomically(target, text)
    report.pending.clear()
    return report


def write_atomically(path: Path, text: str) -> None:
    """Write a temporary file beside `path` and rename it over: readers see the old file or
    the new one, never half of it. The temporary file is created like any other (the umask
    decides its mode), so the bank file's permissions are the usual ones."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with temp.open("x", encoding="utf-8", newline="") as out:
            out.write(text)
        temp.replace(path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def build_new_rubrics(bank_root: Path, ids: list[str]) -> list[str]:
    """Rubric files for freshly imported questions that have none; an existing rubric file
    (perhaps curated by hand) is never touched. One report line per file written."""
    from mockinterview.bank.loader import load_bank
    from mockinterview.bank.rubric_build import build_rubrics
    from mockinterview.rubrics.files import rubric_path

    if not ids:
        return []
    bank = load_bank(bank_root)
    wanted = [
        qid
        for qid in ids
        if qid in bank.questions and not rubric_path(bank.rubrics_root, qid).exists()
    ]
    return build_rubrics(bank, wanted) if wanted else []


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
            entry.problem(
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
            entry.problem(
                f"{entry.id}: the {what} from {path}; kept the bank file (import with --replace "
                "to overwrite it)",
            )
        )
        return
    if "answer" in changed:
        report.answer_changed.append(entry.id)
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
    """Plan one bank file (written at the end of the import, unless a dry run)."""
    text = render_question(question)
    if path.exists():
        if path.read_text(encoding="utf-8") == text:
            report.unchanged.append(path)
            return
        report.updated.append(path)
    else:
        report.created.append(path)
    if not dry_run:
        report.pending[path] = text
