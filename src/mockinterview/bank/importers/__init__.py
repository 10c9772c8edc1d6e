"""Readers that turn outside sources (seed pages, CSV/TSV, JSONL, Markdown Q&A, Anki exports)
into Imported questions."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from mockinterview.errors import MockInterviewError
from mockinterview.problems import Problem

MAX_SOURCE_BYTES = 50 * 1024 * 1024


class SourceError(MockInterviewError, ValueError):
    """A source file that cannot be read as a whole: nothing of it is imported."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.line = line

    def problem(self) -> Problem:
        return Problem(self.path, self.line, f"{self}; nothing imported from this file")


@dataclass
class Imported:
    """One question as a source gave it. `explicit` names the fields the source stated itself,
    as opposed to defaults the importer guessed; guesses never overwrite an existing bank file.

    A source without ids leaves `id` empty and sets `key` (its normalised question text, or an
    Anki note guid): the importer derives a stable id from it. `note` names an entry that has
    no line number ("note 1650000000000")."""

    id: str
    title: str
    question: str
    answer: str
    path: Path
    line: int
    topic: str = ""
    difficulty: str = ""
    tags: list[str] = field(default_factory=list)
    explicit: set[str] = field(default_factory=set)
    key: str = ""
    note: str = ""

    @property
    def where(self) -> str:
        return f"{self.path.name}:{self.note or self.line}"

    def problem(self, message: str) -> Problem:
        return Problem(self.path, self.line, message, where=self.note)


@dataclass
class ReadResult:
    """Questions read from one file, the problems that made entries unusable, and how many
    entries were skipped for each reason ("cloze note", "empty answer")."""

    questions: list[Imported] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    failed: bool = False  # the file as a whole could not be read

    def skip(self, path: Path, line: int, reason: str, detail: str, where: str = "") -> None:
        """One entry left out: counted under `reason`, reported with `detail`."""
        self.skipped[reason] += 1
        self.problems.append(Problem(path, line, f"{detail}; skipped", where=where))


def read_text_file(path: Path, result: ReadResult) -> str | None:
    """UTF-8 text (BOM allowed) or a problem naming the offending byte; never raises."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        result.problems.append(Problem(path, 1, f"cannot read: {exc.strerror or exc}"))
        return None
    if b"\x00" in data[:4096]:
        result.problems.append(Problem(path, 1, "binary data (NUL bytes), not a text file"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start : exc.start + 1].hex()
        result.problems.append(
            Problem(path, line, f"not UTF-8 text: byte 0x{byte} at offset {exc.start}")
        )
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_text(path: Path, data: bytes) -> str:
    """UTF-8 text (BOM allowed) with newlines normalised; raises SourceError otherwise."""
    if b"\x00" in data[:4096]:
        raise SourceError(path, 1, "binary data (NUL bytes), not a text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start : exc.start + 1].hex()
        raise SourceError(
            path, line, f"not UTF-8 text: byte 0x{byte} at offset {exc.start}"
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")
