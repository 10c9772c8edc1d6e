"""`grade --question ID` (one answer) and `grade --batch FILE` (a whole CSV or JSONL), headless.

Batch output keeps every input column and adds `score` and `verdicts` ("p1=hit p2=miss"), plus
`feedback`, `grader` and `warnings` (names already used by the input get a `graded_` prefix).
Its format: the --out file's extension (.csv or .jsonl) when it has one, else JSONL for
`--format json`, else the input's format. Every CSV cell is neutralised for spreadsheets
(`text.safe.csv_cell`). Every good row is graded and written; any skipped row means exit 1.
`--jobs N` grades in N processes (default: every CPU for 200+ rows), the output identical to
`--jobs 1`.

A grade carries a warning when its rubric file is stale, broken or missing (the grade then
uses a rubric derived from the reference answer). With --save, a store that cannot be used is
an error: the grade is still printed, then the command exits 1.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from mockinterview.cli import EXIT_BAD_INPUT, CliError
from mockinterview.cli.context import bank_from_args, store_from_args
from mockinterview.text.safe import one_line

if TYPE_CHECKING:
    from mockinterview.bank import Bank
    from mockinterview.models import Grade, Grader, Question, Rubric
    from mockinterview.store import Store

R = TypeVar("R")


def run(args: argparse.Namespace) -> int:
    if args.batch:
        return _batch(args)
    return _single(args)


def _grader(args: argparse.Namespace, store: Store | None) -> Grader:
    from mockinterview.grading.factory import make_grader

    return make_grader(
        args.grader,
        llm_model=args.llm_model,
        llm_base_url=args.llm_base_url,
        llm_preset=getattr(args, "llm_preset", None),
        llm_deadline=getattr(args, "llm_deadline", None),
        store=store,
    )


def _open_store(args: argparse.Namespace) -> Store | None:
    store, error = _try_store(args)
    if error:
        print(f"mockinterview: warning: {error}; grading without the store", file=sys.stderr)
    return store


def _try_store(args: argparse.Namespace) -> tuple[Store | None, str]:
    """The store, or why it cannot be used (one clause, no final full stop)."""
    try:
        return store_from_args(args), ""
    except CliError as exc:
        return None, str(exc).strip().rstrip(".")


def _read_answer(source: str | None) -> str:
    if source in (None, "-"):
        if sys.stdin.isatty():
            print("Type or paste the answer, then Ctrl-D on a new line:", file=sys.stderr)
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise CliError(f"{source}: {exc.strerror or exc}") from exc
        name = source
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CliError(f"{name}: not valid UTF-8 at byte {exc.start}") from exc


def _single(args: argparse.Namespace) -> int:
    bank = bank_from_args(args)
    question = bank.get(args.question)
    if question is None:
        raise CliError(f"unknown question {args.question!r} (see `mockinterview bank list`)")
    from mockinterview.bank.rubric_check import rubric_with_warnings

    rubric, rubric_warnings = rubric_with_warnings(bank, question.id)
    answer = _read_answer(args.answer_file)
    store, store_error = _try_store(args)
    if store_error and not args.save:
        print(f"mockinterview: warning: {store_error}; grading without the store", file=sys.stderr)
    started = time.time()
    grade = _grader(args, store).grade(question, rubric, answer)
    grade.warnings = [*rubric_warnings, *grade.warnings]
    if args.save and store is not None:
        from mockinterview.store import StoreError, now_iso

        try:
            store.record_attempt(
                question_id=question.id,
                answer=answer,
                grade=grade,
                rubric_hash=rubric.content_hash,
                started_at=now_iso(),
                seconds=time.time() - started,
                origin="cli",
            )
        except StoreError as exc:  # locked by another process past the timeout, disk full...
            store_error = str(exc).strip().rstrip(".")
            store = None
    if args.format == "json":
        print(json_text(grade.to_dict(), indent=2))
    else:
        from mockinterview.cli.grade_view import print_grade

        print_grade(question, grade, answer, rubric.required)
    if args.save and store is None:
        print(f"mockinterview: not saved: {store_error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0


# C1 controls, DEL, line and paragraph separators and bidi controls: json.dumps keeps them raw
# with ensure_ascii=False (it escapes only C0), and a terminal may act on them.
def json_text(data: Any, indent: int | None = None) -> str:
    """JSON with non-ASCII text kept readable but every control character escaped (json.dumps
    already writes ESC as \\u001b); these characters occur only inside strings, so escaping
    them keeps the same JSON value."""
    from mockinterview.text.safe import escape_in_json

    return escape_in_json(json.dumps(data, ensure_ascii=False, indent=indent))


def _batch(args: argparse.Namespace) -> int:
    from mockinterview.grading.batch import (
        BadRow,
        BatchError,
        default_jobs,
        file_format,
        grade_in_order,
        read_rows,
    )

    path = args.batch
    try:
        in_format = file_format(path)
        out_format = _out_format(args, in_format)
        items = list(read_rows(path, required=("question_id", "answer"), may_be_empty=("answer",)))
    except BatchError as exc:
        raise CliError(str(exc)) from exc
    if not items:
        raise CliError(
            f"{path}: no rows to grade" + (" after the header" if in_format == ".csv" else "")
        )
    bank = _optional_bank(args)
    jobs: list[tuple[Any, Question, Rubric]] = []
    skipped = 0
    known: dict[str, tuple[Question, Rubric]] = {}
    warned: set[str] = set()
    for item in items:
        if isinstance(item, BadRow):
            _skip(path, item.line, item.message)
            skipped += 1
            continue
        target = _target(bank, item.fields, known, warned)
        if target is None:
            _skip(path, item.line, f"unknown question {item.fields['question_id']!r}")
            skipped += 1
            continue
        jobs.append((item, *target))
    if not jobs:
        raise CliError(f"{path}: no row could be graded ({skipped} skipped)")
    grader = _grader(args, _open_store(args) if args.grader == "llm" else None)
    processes = getattr(args, "jobs", None) or default_jobs(len(jobs))
    tasks = [(question, rubric, row.fields["answer"]) for row, question, rubric in jobs]
    grades = _with_progress(
        lambda advance: grade_in_order(grader, tasks, processes, advance), len(tasks)
    )
    _write_output(
        args.out,
        out_format,
        [
            ({**row.fields, **(row.values if out_format == ".jsonl" else {})}, g)
            for (row, _, _), g in zip(jobs, grades, strict=True)
        ],
    )
    print(f"mockinterview: graded {len(jobs)} rows, skipped {skipped}", file=sys.stderr)
    return EXIT_BAD_INPUT if skipped else 0


def _out_format(args: argparse.Namespace, in_format: str) -> str:
    """The --out file's extension when it has one, else JSONL for --format json, else the
    input's format."""
    from mockinterview.grading.batch import file_format

    if args.out and Path(args.out).suffix:
        return file_format(args.out)
    return ".jsonl" if args.format == "json" else in_format


def _skip(path: str, line: int, message: str) -> None:
    print(f"{path}:{line}: {one_line(message)}; row skipped", file=sys.stderr)


def _optional_bank(args: argparse.Namespace) -> Bank | None:
    try:
        return bank_from_args(args)
    except CliError as exc:
        print(f"mockinterview: warning: {exc}", file=sys.stderr)
        return None


def _target(
    bank: Bank | None,
    fields: dict[str, str],
    known: dict[str, tuple[Question, Rubric]],
    warned: set[str],
) -> tuple[Question, Rubric] | None:
    """The bank's question, else one built from the row's own `reference_answer` column;
    each looked up or built once (`known`), so rows of one question share its rubric.
    A problem with a bank question's rubric file is said once on stderr."""
    qid = fields["question_id"].strip()
    if qid in known:
        return known[qid]
    question = bank.get(qid) if bank is not None else None
    if question is not None:
        from mockinterview.bank.rubric_check import rubric_with_warnings

        rubric, warnings = rubric_with_warnings(bank, qid)  # type: ignore[arg-type]
        if qid not in warned:
            warned.add(qid)
            for warning in warnings:
                print(f"mockinterview: warning: {one_line(warning)}", file=sys.stderr)
        known[qid] = (question, rubric)
        return known[qid]
    reference = (fields.get("reference_answer") or "").strip()
    if not reference:
        return None
    from mockinterview.models import Question
    from mockinterview.rubrics.derive import derive_rubric

    question = Question(id=qid, title="", question=fields.get("question", ""), answer=reference)
    known[qid] = (question, derive_rubric(question))
    return known[qid]


def _with_progress(run: Callable[[Callable[[int], None] | None], R], total: int) -> R:
    """`run(advance)` with a progress bar on stderr when it is a terminal; nothing otherwise
    (logs stay clean)."""
    if not sys.stderr.isatty():
        return run(None)
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("grading", total=total)
        return run(lambda n: progress.advance(task, n))


def _added_columns(existing: list[str]) -> dict[str, str]:
    names = {}
    for name in ("score", "verdicts", "feedback", "grader", "warnings"):
        names[name] = f"graded_{name}" if name in existing else name
    return names


def _output_fields(fields: dict[str, str], grade: Grade, names: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = dict(fields)
    out[names["score"]] = grade.score
    out[names["verdicts"]] = " ".join(f"{p.id}={p.verdict}" for p in grade.points)
    out[names["feedback"]] = grade.feedback
    out[names["grader"]] = grade.grader
    out[names["warnings"]] = "; ".join(grade.warnings)  # e.g. a huge answer graded in part
    return out


def _write_output(out: str | None, fmt: str, rows: list[tuple[dict[str, str], Grade]]) -> None:
    columns: dict[str, None] = {}
    for fields, _ in rows:
        columns.update(dict.fromkeys(fields))
    names = _added_columns(list(columns))
    columns.update(dict.fromkeys(names.values()))
    try:
        with contextlib.ExitStack() as stack:
            handle = (
                stack.enter_context(Path(out).open("w", encoding="utf-8", newline=""))
                if out
                else sys.stdout
            )
            _write_rows(handle, fmt, rows, columns, names)
    except OSError as exc:
        raise CliError(f"{out or '<stdout>'}: {exc.strerror or exc}") from exc


def _write_rows(
    handle: TextIO,
    fmt: str,
    rows: list[tuple[dict[str, str], Grade]],
    columns: dict[str, None],
    names: dict[str, str],
) -> None:
    """Every CSV cell, the header's too, is made safe for a spreadsheet (no formula runs, no
    control character); JSONL escapes every control character."""
    if fmt == ".csv":
        from mockinterview.text.safe import csv_cell

        writer = csv.writer(handle)
        writer.writerow([csv_cell(_lf(name)) for name in columns])
        for fields, grade in rows:
            out = _output_fields(fields, grade, names)
            writer.writerow([csv_cell(_lf(out.get(name, ""))) for name in columns])
        return
    for fields, grade in rows:
        handle.write(json_text(_output_fields(fields, grade, names)) + "\n")


def _lf(value: object) -> object:
    """Windows line ends inside a multi-line cell as plain newlines, so none shows as a ␍."""
    return value.replace("\r\n", "\n") if isinstance(value, str) and "\r" in value else value
