"""Rows of a CSV or JSONL file for headless grading, and grading many of them in order.

A bad row (broken encoding, a NUL byte, not an object, nested too deeply, a quote never closed,
a missing field) becomes a `BadRow` naming its line; it never stops the others. Files are
decoded with `surrogateescape` so one undecodable byte spoils only the row that holds it.

Big batches use every core: the offline grader is pure, so rows are graded in chunks by a
process pool, each worker given the (picklable) questions and rubrics once; results come back
in input order, identical to grading them one by one. A grader with its own concurrency (the
LLM grader's requests in flight) uses threads instead.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from mockinterview.errors import MockInterviewError

if TYPE_CHECKING:
    from mockinterview.models import Grade, Grader, Question, Rubric

FORMATS = (".csv", ".jsonl")
PARALLEL_FROM = 200  # rows: below this, starting worker processes costs more than it saves


@dataclass(slots=True)
class Row:
    line: int
    fields: dict[str, str]
    # A JSONL row's values that are not strings (numbers, lists, objects), as parsed, so an
    # output in JSONL passes them through as JSON rather than as their text.
    values: dict[str, Any] = field(default_factory=dict)


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
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BatchError(f"{path}: UTF-16 text; save the file as UTF-8")
    return data.decode("utf-8-sig", errors="surrogateescape")


_UNDECODABLE = re.compile("[\udc80-\udcff]")  # what surrogateescape makes of invalid bytes


def _has_bad_bytes(values: Sequence[str]) -> bool:
    return any(_UNDECODABLE.search(v) for v in values if v)


def _bad_bytes(values: Sequence[str]) -> str:
    """Why a row's text is refused: the first undecodable byte, or a NUL."""
    for value in values:
        found = _UNDECODABLE.search(value) if value else None
        if found:
            byte = ord(found.group()) - 0xDC00
            return f"not valid UTF-8 (byte 0x{byte:02x}; save the file as UTF-8)"
    return "contains a NUL byte (binary data?)"


def read_rows(
    path: str | Path, required: Sequence[str], may_be_empty: Sequence[str] = ()
) -> Iterator[Row | BadRow]:
    """Rows of `path` with every `required` field present and text-valued, and not blank
    unless it `may_be_empty` (an empty answer is an answer: it is graded, scoring 0)."""
    text = read_text(path)
    # The usual case: no undecodable byte and no NUL anywhere, so no per-row check.
    clean = "\x00" not in text and _UNDECODABLE.search(text) is None
    is_csv = file_format(path) == ".csv"
    reader = _csv_rows(path, text, required) if is_csv else _jsonl_rows(text)
    for item in reader:
        if isinstance(item, BadRow):
            yield item
            continue
        line, fields, values = item
        if not clean:
            texts = list(fields.values())
            if _has_bad_bytes(texts) or any("\x00" in v for v in texts if v):
                yield BadRow(line, _bad_bytes(texts))
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
        yield Row(line, fields, values)


def csv_header(path: str | Path) -> list[str]:
    first = read_text(path).splitlines()[:1]
    return next(csv.reader(first), []) if first else []


@contextmanager
def _no_field_limit() -> Iterator[None]:
    """csv refuses fields over 128 KiB by default; a pasted log in an answer is still a row
    (the grader grades its start), so lift the limit while reading, then put it back."""
    previous = csv.field_size_limit()
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _csv_rows(
    path: str | Path, text: str, required: Sequence[str]
) -> Iterator[tuple[int, dict[str, str], dict[str, Any]] | BadRow]:
    lines = io.StringIO(text, newline="").readlines()  # split as csv does: \n, \r\n or \r
    with _no_field_limit():
        reader = csv.reader(lines, strict=True)
        try:
            header = next(reader)
        except StopIteration:
            raise BatchError(f"{path}: empty file, expected a header row") from None
        except csv.Error as exc:
            raise BatchError(f"{path}:1: malformed header ({exc})") from exc
        if _has_bad_bytes(header) or any("\x00" in h for h in header):
            raise BatchError(f"{path}:1: header {_bad_bytes(header)}")
        header = [h.strip() for h in header]
        absent = [name for name in required if name not in header]
        if absent:
            from mockinterview.text.safe import one_line

            names = ", ".join(repr(a) for a in absent)
            have = one_line(", ".join(header))
            raise BatchError(f"{path}:1: no {names} column (the header has: {have})")
        yield from _csv_records(lines, reader, 0, header)


def _csv_records(
    lines: list[str], reader: Any, offset: int, header: list[str]
) -> Iterator[tuple[int, dict[str, str], dict[str, Any]] | BadRow]:
    """The records after the header. `offset`: lines of the file before `reader`'s first.
    A quote left open at the end of the file swallows every later line into one field: the
    row where it opened is named and skipped, and reading resumes on the next line."""
    line = offset + reader.line_num + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            end = offset + reader.line_num
            opened, still_open = _open_quote(lines, line, end)
            if still_open and end >= len(lines):
                where = "" if opened == line else f" (in the row starting on line {line})"
                yield BadRow(
                    opened, f"malformed CSV: a quoted field opened here is never closed{where}"
                )
                offset = opened
                reader = csv.reader(lines[offset:], strict=True)
                line = offset + 1
                continue
            where = "" if end == line else f" (on line {end})"
            yield BadRow(line, f"malformed CSV: {exc}{where}")
            line = end + 1
            continue
        if values:
            if len(values) > len(header):
                yield BadRow(line, f"{len(values)} fields but the header has {len(header)}")
            else:
                yield line, dict(zip(header, values, strict=False)), {}
        line = offset + reader.line_num + 1


def _open_quote(lines: list[str], first: int, last: int) -> tuple[int, bool]:
    """Where the last quoted field of lines `first`..`last` (1-based) began, and whether it is
    still open after `last`, reading as the csv module does (a doubled quote is a quote)."""
    start, plain, quoted, quote_in_quoted = range(4)
    state, opened = start, first
    for number in range(first, min(last, len(lines)) + 1):
        for char in lines[number - 1]:
            if state == start:
                if char == '"':
                    state, opened = quoted, number
                elif char not in ",\r\n":
                    state = plain
            elif state == plain:
                if char in ",\r\n":
                    state = start
            elif state == quoted:
                if char == '"':
                    state = quote_in_quoted
            elif char == '"':  # a doubled quote inside a quoted field
                state = quoted
            else:
                state = start if char in ",\r\n" else plain
    return opened, state == quoted


def _jsonl_rows(text: str) -> Iterator[tuple[int, dict[str, str], dict[str, Any]] | BadRow]:
    # Split on \n only: U+2028, U+0085 and the like may sit raw inside a JSON string.
    for number, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        if _has_bad_bytes([raw]):
            yield BadRow(number, _bad_bytes([raw]))
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield BadRow(number, f"not valid JSON: {exc.msg} (column {exc.colno})")
            continue
        except RecursionError:
            yield BadRow(number, "nested too deeply")
            continue
        except ValueError as exc:  # e.g. an integer of more digits than Python converts
            yield BadRow(number, f"not valid JSON: {exc}")
            continue
        if not isinstance(data, dict):
            yield BadRow(number, "expected a JSON object")
            continue
        try:
            fields = {str(k): v if isinstance(v, str) else _as_text(v) for k, v in data.items()}
        except (RecursionError, ValueError):
            yield BadRow(number, "nested too deeply")
            continue
        if "\\u" in raw:  # escapes can spell what the raw text may not hold
            if _has_surrogates(fields):
                yield BadRow(number, "holds a lone surrogate escape (\\ud800-\\udfff), not text")
                continue
            if any("\x00" in v for v in fields.values()):
                yield BadRow(number, _bad_bytes(list(fields.values())))
                continue
        values = {str(k): v for k, v in data.items() if not isinstance(v, str)}
        yield number, fields, values


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_surrogates(fields: dict[str, str]) -> bool:
    """A JSON escape can name half a UTF-16 pair, which no UTF-8 output can write."""
    return any(_SURROGATE.search(k) or _SURROGATE.search(v) for k, v in fields.items())


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
    advance: Callable[[int], None] | None = None,
) -> list[R]:
    """`func` over `items`, results in input order; threads only when a grader can use them.
    `advance(n)` is told each time n more items are done (a progress bar)."""
    if workers <= 1:
        results = []
        for item in items:
            results.append(func(item))
            if advance:
                advance(1)
        return results
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = []
        for result in pool.map(func, items):
            results.append(result)
            if advance:
                advance(1)
        return results


def default_jobs(rows: int) -> int:
    """Every usable core for a big batch; one process for a small one."""
    if rows < PARALLEL_FROM:
        return 1
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


Task = tuple["Question", "Rubric", str]


def grade_in_order(
    grader: Grader,
    tasks: Sequence[Task],
    jobs: int = 1,
    advance: Callable[[int], None] | None = None,
) -> list[Grade]:
    """Grade each (question, rubric, answer), results in input order.

    A grader with `concurrency` above 1 (requests in flight) runs in threads whatever `jobs`
    says; the offline grader, being pure, runs in `jobs` processes when there is work enough
    for them. Worker processes that die (killed, out of memory) leave their rows to be graded
    here, one by one."""
    threads = int(getattr(grader, "concurrency", 1) or 1)
    if threads > 1 or jobs <= 1 or len(tasks) < 2 or not _is_pure(grader):
        return map_in_order(lambda t: grader.grade(*t), tasks, threads, advance)
    return _grade_in_processes(grader, tasks, jobs, advance)


def _is_pure(grader: Grader) -> bool:
    from mockinterview.grading.offline.grader import OfflineGrader

    return type(grader) is OfflineGrader


# In a worker process: the grader and the distinct (question, rubric) pairs, sent once.
_WORKER: dict[str, Any] = {}


def _start_worker(grader: Grader, targets: list[tuple[Question, Rubric]]) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _WORKER["grader"], _WORKER["targets"] = grader, targets


def _grade_chunk(chunk: list[tuple[int, str]]) -> list[Grade]:
    grader, targets = _WORKER["grader"], _WORKER["targets"]
    return [grader.grade(*targets[target], answer) for target, answer in chunk]


def _grade_in_processes(
    grader: Grader, tasks: Sequence[Task], jobs: int, advance: Callable[[int], None] | None
) -> list[Grade]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # Each distinct question and rubric is pickled once, not once per row.
    index: dict[tuple[int, int], int] = {}
    targets: list[tuple[Question, Rubric]] = []
    work: list[tuple[int, str]] = []
    for question, rubric, answer in tasks:
        key = (id(question), id(rubric))
        if key not in index:
            index[key] = len(targets)
            targets.append((question, rubric))
        work.append((index[key], answer))
    jobs = min(jobs, len(work))
    # Chunks big enough that pickling is cheap next to grading, small enough to share the
    # work evenly and move the progress bar.
    size = max(1, min(500, len(work) // (jobs * 8) or 1))
    chunks = [work[i : i + size] for i in range(0, len(work), size)]
    # Spawn, not fork: the parent may run threads (the progress bar), and a lock held by one
    # of them at the fork stays locked in the child. Workers are then this process's children.
    context = multiprocessing.get_context("spawn")
    results: list[Grade] = []
    done = 0
    pool = None
    try:
        pool = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=context,
            initializer=_start_worker,
            initargs=(grader, targets),
        )
        futures: list[Future[list[Grade]]] = [pool.submit(_grade_chunk, c) for c in chunks]
        for future in futures:
            results.extend(future.result())
            done += 1
            if advance:
                advance(len(chunks[done - 1]))
    except (BrokenProcessPool, OSError):
        for chunk in chunks[done:]:  # what the workers did not finish, graded here
            results.extend(grader.grade(*targets[t], answer) for t, answer in chunk)
            if advance:
                advance(len(chunk))
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return results
