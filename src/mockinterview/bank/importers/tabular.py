"""CSV and JSONL sources: one question per row or line, with `id`, `question`, `answer` and
optionally `title`, `topic`, `difficulty`, `tags` (a list, or a string split on `;` or `,`)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from mockinterview.bank.importers import Imported, ReadResult, read_text_file
from mockinterview.bank.markdown import ID_PATTERN
from mockinterview.models import DIFFICULTIES
from mockinterview.problems import Problem

REQUIRED = ("id", "question", "answer")
OPTIONAL = ("title", "topic", "difficulty", "tags")


def read_csv(path: Path) -> ReadResult:
    result = ReadResult()
    text = read_text_file(path, result)
    if text is None:
        return result
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in fields]
    if missing:
        result.problems.append(
            Problem(path, 1, f"missing column(s) {', '.join(missing)}; found {fields or 'none'}")
        )
        return result
    lines = text.rstrip("\n").split("\n")
    line = 2
    for row in reader:
        if _unclosed_quote(lines, line, reader.line_num, row):
            result.problems.append(
                Problem(
                    path,
                    line,
                    f"unclosed quote starting at line {line}: lines {line}-{reader.line_num} "
                    "were read as one row; row skipped",
                )
            )
            line = reader.line_num + 1
            continue
        clean = {(k or "").strip().lower(): v for k, v in row.items()}
        _add_row(clean, path, line, result)
        line = reader.line_num + 1
    return result


def _unclosed_quote(lines: list[str], start: int, end: int, row: dict[str | None, Any]) -> bool:
    """A quote opened in this row and not closed where it should be: the csv module then reads
    on, to the end of the file or to a later stray quote, and the row comes out short of fields
    with line breaks inside. Quotes in well-formed rows come in pairs (`""` too)."""
    short = None in row.values()
    if short and end > start and any("\n" in v for v in row.values() if isinstance(v, str)):
        return True
    if end < len(lines) or sum(text.count('"') for text in lines[start - 1 : end]) % 2 == 0:
        return False
    return end > start or short


def read_jsonl(path: Path) -> ReadResult:
    result = ReadResult()
    text = read_text_file(path, result)
    if text is None:
        return result
    for number, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as exc:
            result.problems.append(Problem(path, number, f"bad JSON: {exc.msg}"))
            continue
        if not isinstance(row, dict):
            result.problems.append(Problem(path, number, "expected a JSON object per line"))
            continue
        _add_row({str(k).strip().lower(): v for k, v in row.items()}, path, number, result)
    return result


def _add_row(row: dict[str, Any], path: Path, line: int, result: ReadResult) -> None:
    def problem(message: str) -> None:
        result.problems.append(Problem(path, line, message))

    values = {name: _text(row.get(name)) for name in (*REQUIRED, "title", "topic", "difficulty")}
    empty = [name for name in REQUIRED if not values[name]]
    if empty:
        problem(f"empty or missing field(s): {', '.join(empty)}; row skipped")
        return
    qid = values["id"]
    if not ID_PATTERN.match(qid):
        problem(f"id {qid!r} is not usable as a file name (letters, digits, '_', '-', '.')")
        return
    difficulty = values["difficulty"].lower()
    if difficulty and difficulty not in DIFFICULTIES:
        problem(f"difficulty {difficulty!r} is not one of {', '.join(DIFFICULTIES)}; row skipped")
        return
    tags = _tags(row.get("tags"))
    if tags is None:
        problem("'tags' must be a list of strings or a ';'-separated string; row skipped")
        return
    entry = Imported(
        id=qid,
        title=values["title"] or _title_from(values["question"]),
        question=values["question"],
        answer=values["answer"],
        path=path,
        line=line,
        topic=values["topic"].lower(),
        difficulty=difficulty,
        tags=tags,
    )
    entry.explicit = {name for name in OPTIONAL if row.get(name) not in (None, "", [])}
    result.questions.append(entry)


def _text(value: object) -> str:
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\u00a0", " ")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def _tags(value: object) -> list[str] | None:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        parts = re.split(r"[;,]", value)
    elif isinstance(value, list) and all(isinstance(t, str) for t in value):
        parts = value
    else:
        return None
    return list(dict.fromkeys(p.strip().lower() for p in parts if p.strip()))


def _title_from(question: str) -> str:
    """A short title when the source gives none: the question's first few words."""
    words = re.sub(r"[?.!]+$", "", question.split("\n")[0]).split()
    return " ".join(words[:8]) + (" …" if len(words) > 8 else "")
