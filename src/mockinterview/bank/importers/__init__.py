"""Readers that turn outside sources (seed pages, CSV, JSONL) into Imported questions."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mockinterview.bank.problems import Problem


@dataclass
class Imported:
    """One question as a source gave it. `explicit` names the fields the source stated itself,
    as opposed to defaults the importer guessed; guesses never overwrite an existing bank file."""

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

    @property
    def where(self) -> str:
        return f"{self.path.name}:{self.line}"


@dataclass
class ReadResult:
    """Questions read from one file, and the problems that made entries unusable."""

    questions: list[Imported] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


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
