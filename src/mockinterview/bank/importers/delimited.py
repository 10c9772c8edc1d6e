"""CSV and TSV files without an `id` column, read through a column map, and Anki's plain-text
export (`#separator:tab`, `#html:true`, `#columns:`, `#tags column:`, `#deck column:`,
`#guid column:` headers; with `#html:true` fields are HTML and are turned into text).

The column map (`--columns question=Front,answer=Back,topic=Deck,tags=Tags`) names the column
of each field, by header name or by 1-based position. Without one, headers such as Front/Back,
Question/Answer, Deck and Tags are recognised, and a file with no header row gives its first
column as the question and its second as the answer."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from mockinterview.bank.importers import Imported, ReadResult, SourceError, decode_text
from mockinterview.bank.importers.html_text import UnreadablePair, pair_to_text
from mockinterview.bank.importers.ids import guid_key, question_key
from mockinterview.bank.importers.tabular import _tags, _title_from
from mockinterview.bank.markdown import ID_PATTERN
from mockinterview.errors import MockInterviewError
from mockinterview.models import DIFFICULTIES

ROLES = ("question", "answer", "id", "guid", "title", "topic", "difficulty", "tags")
_NAMES = {
    "question": ("question", "front", "q", "prompt", "term"),
    "answer": ("answer", "back", "a", "response", "definition"),
    "id": ("id",),
    "guid": ("guid",),
    "title": ("title",),
    "topic": ("topic", "deck", "category"),
    "difficulty": ("difficulty", "level"),
    "tags": ("tags", "tag"),
}
_SEPARATORS = {
    "tab": "\t",
    "comma": ",",
    "semicolon": ";",
    "space": " ",
    "pipe": "|",
    "colon": ":",
}
_ANKI_HEADER = re.compile(r"^#(?P<key>[a-z ]+):(?P<value>.*)$", re.IGNORECASE)
_ANKI_KEYS = frozenset(
    {
        "separator",
        "html",
        "columns",
        "tags column",
        "deck column",
        "guid column",
        "notetype column",
        "notetype",
        "deck",
        "tags",
        "if matches",
    }
)
_CLOZE = re.compile(r"\{\{c\d+::")


class ColumnMapError(MockInterviewError, ValueError):
    """A `--columns` value that is not `role=COLUMN,...` with known roles."""


def parse_column_map(spec: str) -> dict[str, str]:
    """`question=Front,answer=Back` -> {"question": "Front", "answer": "Back"}."""
    mapping: dict[str, str] = {}
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        role, sep, column = part.partition("=")
        role, column = role.strip().lower(), column.strip()
        if not sep or not column:
            raise ColumnMapError(f"--columns: {part!r} is not ROLE=COLUMN")
        if role not in ROLES:
            raise ColumnMapError(f"--columns: unknown field {role!r} (known: {', '.join(ROLES)})")
        if role in mapping:
            raise ColumnMapError(f"--columns: {role!r} is given twice")
        mapping[role] = column
    if not mapping:
        raise ColumnMapError("--columns: empty column map")
    return mapping


@dataclass
class _Layout:
    delimiter: str
    html: bool = False
    anki: bool = False  # Anki headers seen: tags split on spaces, decks on '::'
    names: list[str] | None = None  # column names, when the file gives them
    header_row: bool = False  # the first row holds the names
    roles: dict[str, int] = field(default_factory=dict)  # role -> 0-based column


def looks_like_anki_text(text: str) -> bool:
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    match = _ANKI_HEADER.match(first)
    return bool(match and match.group("key").strip().lower() in _ANKI_KEYS)


def read_delimited(
    path: Path,
    data: bytes,
    delimiter: str | None = None,
    columns: Mapping[str, str] | None = None,
) -> ReadResult:
    """Rows of a CSV/TSV or Anki text export; raises SourceError when the file as a whole
    cannot be read (bad quoting, a column map naming a missing column)."""
    text = decode_text(path, data)
    lines = text.split("\n")
    layout, skip = _anki_headers(lines, path)
    if not layout.delimiter:
        layout.delimiter = delimiter or _sniff(lines[skip:])
    body = "\n".join(lines[skip:])
    try:
        rows = [
            (skip + reader_line, row)
            for reader_line, row in _rows(body, layout.delimiter)
            if any(cell.strip() for cell in row)
        ]
    except _QuoteError as exc:
        raise SourceError(path, skip + exc.line, f"bad quoting: {exc}") from None
    if not rows:
        raise SourceError(path, 1, "no rows")
    first_line, first = rows[0]
    _resolve_roles(layout, first, columns or {}, path, first_line)
    if layout.header_row:
        rows = rows[1:]
    result = ReadResult()
    for line, row in rows:
        _add_row(row, line, layout, path, result)
    return result


class _QuoteError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def _rows(body: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """(line the row starts on, cells); quotes are checked strictly so that an unclosed one
    is named instead of swallowing the rest of the file."""
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter, strict=True)
    out: list[tuple[int, list[str]]] = []
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return out
        except csv.Error as exc:
            raise _QuoteError(start, f"{exc} (in the row starting on this line)") from None
        out.append((start, row))
        start = reader.line_num + 1


def _anki_headers(lines: list[str], path: Path) -> tuple[_Layout, int]:
    layout = _Layout(delimiter="")
    count = 0
    for n, line in enumerate(lines):
        match = _ANKI_HEADER.match(line)
        key = match.group("key").strip().lower() if match else ""
        if key not in _ANKI_KEYS:
            break
        count = n + 1
        layout.anki = True
        value = match.group("value").strip()  # type: ignore[union-attr]
        if key == "separator":
            sep = _SEPARATORS.get(value.lower(), value)
            if len(sep) != 1:
                raise SourceError(path, n + 1, f"#separator: {value!r} is not one character")
            layout.delimiter = sep
        elif key == "html":
            layout.html = value.lower() == "true"
        elif key == "columns":
            layout.names = [value]  # split once the separator is known
        elif key.endswith(" column"):
            if not value.isdigit() or int(value) < 1:
                raise SourceError(path, n + 1, f"#{key}: {value!r} is not a column number")
            role = {"tags": "tags", "deck": "topic", "guid": "guid", "notetype": "notetype"}
            layout.roles[role[key.split()[0]]] = int(value) - 1
    if layout.names is not None:
        raw = layout.names[0]
        sep = layout.delimiter or ("\t" if "\t" in raw else ",")
        layout.names = [name.strip() for name in raw.split(sep)]
    return layout, count


def _sniff(lines: list[str]) -> str:
    first = next((line for line in lines if line.strip()), "")
    return "\t" if first.count("\t") >= max(first.count(","), 1) else ","


def _resolve_roles(
    layout: _Layout, first: list[str], columns: Mapping[str, str], path: Path, line: int
) -> None:
    """Which column holds each field: the column map, then known names, then Anki's order."""
    names = layout.names
    if names is None and not layout.anki:
        lowered = {cell.strip().lower() for cell in first}
        wanted = {c.strip().lower() for c in columns.values() if not c.strip().isdigit()}
        known = {n for names_ in _NAMES.values() for n in names_}
        if wanted & lowered or lowered & known:
            names, layout.header_row = [cell.strip() for cell in first], True
    where = ", ".join(names) if names else f"{len(first)} unnamed, by position"
    for role, column in columns.items():
        index = _column_index(column, names, len(first))
        if index is None:
            raise SourceError(
                path,
                line,
                f"--columns maps {role} to {column!r}, but the file has no such column "
                f"(its columns: {where})",
            )
        layout.roles[role] = index
    if names:
        lowered_names = [n.lower() for n in names]
        for role, candidates in _NAMES.items():
            if role in layout.roles:
                continue
            for candidate in candidates:
                if candidate in lowered_names and lowered_names.index(candidate) not in (
                    layout.roles.values()
                ):
                    layout.roles[role] = lowered_names.index(candidate)
                    break
    taken = set(layout.roles.values())
    free = [i for i in range(len(names) if names else len(first)) if i not in taken]
    if names and not layout.anki:
        free = []  # a named header says what each column is; unnamed ones are extras
    for role in ("question", "answer"):
        if role not in layout.roles and free:
            layout.roles[role] = free.pop(0)
    missing = [role for role in ("question", "answer") if role not in layout.roles]
    if missing:
        raise SourceError(
            path,
            line,
            f"cannot tell which column holds the {' and the '.join(missing)} (columns: {where});"
            " pass --columns question=NAME,answer=NAME",
        )


def _column_index(column: str, names: list[str] | None, width: int) -> int | None:
    if column.isdigit():
        index = int(column) - 1
        limit = len(names) if names else width
        return index if 0 <= index < limit else None
    if not names:
        return None
    lowered = [n.lower() for n in names]
    return lowered.index(column.lower()) if column.lower() in lowered else None


def _add_row(row: list[str], line: int, layout: _Layout, path: Path, result: ReadResult) -> None:
    def skip(reason: str, detail: str) -> None:
        result.skip(path, line, reason, detail)

    needed = max(layout.roles[r] for r in ("question", "answer")) + 1
    if len(row) < needed:
        skip("short row", f"the row has {len(row)} column(s), the answer is in column {needed}")
        return
    cells = {
        role: row[index].strip() if index < len(row) else "" for role, index in layout.roles.items()
    }
    raw_q, raw_a = cells["question"], cells["answer"]
    if _CLOZE.search(raw_q) or _CLOZE.search(raw_a):
        skip("cloze note", "a cloze deletion ({{c1::...}}), not a question and answer")
        return
    question, answer = raw_q, raw_a
    if layout.html:
        try:
            question, answer = pair_to_text(raw_q, raw_a)
        except UnreadablePair as why:
            skip(why.reason, why.detail)
            return
    else:
        question, answer = _clean(question), _clean(answer)
    if not question or not answer:
        empty = " and ".join(n for n, v in (("question", question), ("answer", answer)) if not v)
        skip(f"empty {empty}", f"empty {empty}")
        return
    entry = Imported(
        id="",
        title=_clean(cells.get("title", "")) or _title_from(question),
        question=question,
        answer=answer,
        path=path,
        line=line,
        key=question_key(question),
    )
    if cells.get("title"):
        entry.explicit.add("title")
    qid, guid = cells.get("id", ""), cells.get("guid", "")
    if qid:
        if not ID_PATTERN.match(qid):
            skip("bad id", f"id {qid!r} is not usable as a file name (letters, digits, _ - .)")
            return
        entry.id = qid
    elif guid:
        entry.key = guid_key(guid)
    topic = cells.get("topic", "")
    if topic:
        entry.topic = deck_topic(topic) if layout.anki or "::" in topic else topic.lower()
        if entry.topic:
            entry.explicit.add("topic")
    difficulty = cells.get("difficulty", "").lower()
    if difficulty:
        if difficulty not in DIFFICULTIES:
            skip("bad difficulty", f"difficulty {difficulty!r} is not one of {DIFFICULTIES}")
            return
        entry.difficulty = difficulty
        entry.explicit.add("difficulty")
    tags = cells.get("tags", "")
    if tags:
        entry.tags = anki_tags(tags) if layout.anki else _tags(tags) or []
        entry.explicit.add("tags")
    result.questions.append(entry)


def deck_topic(deck: str) -> str:
    """`Interview::Machine Learning` -> `machine learning`; Anki's `Default` deck is none."""
    last = re.split(r"::|\x1f", deck)[-1].strip()
    return "" if last.lower() == "default" else last.lower()


def anki_tags(value: str) -> list[str]:
    """Anki tags are space-separated; its own `leech` and `marked` say nothing of the topic."""
    tags = (t.strip().lower() for t in value.split())
    return list(dict.fromkeys(t for t in tags if t and t not in ("leech", "marked")))


def _clean(text: str) -> str:
    text = text.replace("\u00a0", " ")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()
