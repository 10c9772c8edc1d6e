"""Rows of a CSV or JSONL file for headless grading, and grading many of them in order.

A bad row (broken encoding, not an object, a missing field) becomes a `BadRow` naming its line;
it never stops the others. Files are decoded with `surrogateescape` so one undecodable byte
spoils only the row that holds it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from mockinterview.errors import MockInterviewError

FORMATS = (".csv", ".jsonl")


@dataclass(slots=True)
class Row:
    line: int
    fields: dict[str, str]


@dataclass(slots=True)
class BadRow:
    line: int
    message: str


class BatchError(MockInterviewError):
    """The file as a whole cannot be read (missing, unknown format, no header)."""


def file_format(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise BatchError(f"{path}: unknown format {suffix or '(none)'!r}; use .csv or .jsonl")
    return suffix


def read_text(path: str | Path) -> str:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise BatchError(f"{path}: {exc.strerror or exc}") from exc
    return data.decode("utf-8-sig", errors="surrogateescape")


_UNDECODABLE = re.compile("[\udc80-\udcff]")  # what surrogateescape makes of invalid bytes


def _has_bad_bytes(values: Sequence[str]) -> bool:
    return any(_UNDECODABLE.search(v) for v in values if v)


def read_rows(
    path: str | Path, required: Sequence[str], may_be_empty: Sequence[str] = ()
) -> Iterator[Row | BadRow]:
    """Rows of `path` with every `required` field present and text-valued, and not blank
    unless it `may_be_empty` (an empty answer is an answer: it is graded, scoring 0)."""
    text = read_text(path)
    clean = _UNDECODABLE.search(text) is None  # the usual case: no per-row check needed
    is_csv = file_format(path) == ".csv"
    reader = _csv_rows(path, text, required) if is_csv else _jsonl_rows(text)
    for item in reader:
        if isinstance(item, BadRow):
            yield item
            continue
        line, fields = item
        if not clean and _has_bad_bytes(list(fields.values())):
            yield BadRow(line, "not valid UTF-8")
            continue
        missing = [name for name in required if fields.get(name) is None]
        blank = [
            name
            for name in required
            if name not in missing and name not in may_be_empty and not fields[name].strip()
        ]
        if missing or blank:
            problems = [f"missing {name!r}" for name in missing]
            problems += [f"empty {name!r}" for name in blank]
            yield BadRow(line, "; ".join(problems))
            continue
        yield Row(line, fields)


def csv_header(path: str | Path) -> list[str]:
    first = read_text(path).splitlines()[:1]
    return next(csv.reader(first), []) if first else []


def _csv_rows(
    path: str | Path, text: str, required: Sequence[str]
) -> Iterator[tuple[int, dict[str, str]] | BadRow]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise BatchError(f"{path}: empty file, expected a header row") from None
    except csv.Error as exc:
        raise BatchError(f"{path}:1: {exc}") from exc
    header = [h.strip() for h in header]
    absent = [name for name in required if name not in header]
    if absent:
        names = ", ".join(repr(a) for a in absent)
        raise BatchError(f"{path}:1: no {names} column (the header has: {', '.join(header)})")
    line = reader.line_num + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield BadRow(line, f"malformed CSV: {exc}")
            line = reader.line_num + 1
            continue
        if values:
            if len(values) > len(header):
                yield BadRow(line, f"{len(values)} fields but the header has {len(header)}")
            else:
                yield line, dict(zip(header, values, strict=False))
        line = reader.line_num + 1


def _jsonl_rows(text: str) -> Iterator[tuple[int, dict[str, str]] | BadRow]:
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        if _has_bad_bytes([raw]):
            yield BadRow(number, "not valid UTF-8")
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield BadRow(number, f"not valid JSON: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(data, dict):
            yield BadRow(number, "expected a JSON object")
            continue
        yield number, {str(k): v if isinstance(v, str) else _as_text(v) for k, v in data.items()}


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float | bool):
        return json.dumps(value)
    return json.dumps(value, ensure_ascii=False)


T = TypeVar("T")
R = TypeVar("R")


def map_in_order(
    func: Callable[[T], R],
    items: Sequence[T],
    workers: int = 1,
    advance: Callable[[], None] | None = None,
) -> list[R]:
    """`func` over `items`, results in input order; threads only when a grader can use them."""
    if workers <= 1:
        results = []
        for item in items:
            results.append(func(item))
            if advance:
                advance()
        return results
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = []
        for result in pool.map(func, items):
            results.append(result)
            if advance:
                advance()
        return results
