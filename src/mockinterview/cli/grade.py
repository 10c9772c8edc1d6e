"""`grade --question ID` (one answer) and `grade --batch FILE` (a whole CSV or JSONL), headless.

Batch output keeps every input column and adds `score` and `verdicts` ("p1=hit p2=miss"), plus
`feedback` and `grader` (names already used by the input get a `graded_` prefix). Its format:
the --out file's extension (.csv or .jsonl) when it has one, else JSONL for `--format json`,
else the input's format. Every good row is graded and written; any skipped row means exit 1.

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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mockinterview.cli import EXIT_BAD_INPUT, CliError
from mockinterview.cli.context import bank_from_args, store_from_args

if TYPE_CHECKING:
    from mockinterview.bank import Bank
    from mockinterview.models import Grade, Grader, Question, Rubric
    from mockinterview.store import Store


def run(args: argparse.Namespace) -> int:
    if args.batch:
        return _batch(args)
    return _single(args)


def _grader(args: argparse.Namespace, store: Store | None) -> Grader:
    from mockinterview.grading.factory import make_grader

    return make_grader(
        args.grader, llm_model=args.llm_model, llm_base_url=args.llm_base_url, store=store
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
        from mockinterview.store import now_iso

        store.record_attempt(
            question_id=question.id,
            answer=answer,
            grade=grade,
            rubric_hash=rubric.content_hash,
            started_at=now_iso(),
            seconds=time.time() - started,
            origin="cli",
        )
    if args.format == "json":
        print(json.dumps(grade.to_dict(), ensure_ascii=False, indent=2))
    else:
        from mockinterview.cli.grade_view import print_grade

        print_grade(question, grade, answer, rubric.required)
    if args.save and store is None:
        print(f"mockinterview: not saved: {store_error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0


def _batch(args: argparse.Namespace) -> int:
    from mockinterview.grading.batch import BadRow, BatchError, file_format, map_in_order, read_rows

    path = args.batch
    try:
        in_format = file_format(path)
        out_format = _out_format(args, in_format)
        items = list(read_rows(path, required=("question_id", "answer"), may_be_empty=("answer",)))
    except BatchError as exc:
        raise CliError(str(exc)) from exc
    bank = _optional_bank(args)
    jobs: list[tuple[Any, Question, Rubric]] = []
    skipped = 0
    derived: dict[str, tuple[Question, Rubric]] = {}
    warned: set[str] = set()
    for item in items:
        if isinstance(item, BadRow):
            _skip(path, item.line, item.message)
            skipped += 1
            continue
        target = _target(bank, item.fields, derived, warned)
        if target is None:
            _skip(path, item.line, f"unknown question {item.fields['question_id']!r}")
            skipped += 1
            continue
        jobs.append((item, *target))
    if not jobs:
        raise CliError(f"{path}: no row could be graded ({skipped} skipped)")
    grader = _grader(args, _open_store(args) if args.grader == "llm" else None)

    def grade_one(job: tuple[Any, Question, Rubric]) -> Grade:
        row, question, rubric = job
        return grader.grade(question, rubric, row.fields["answer"])

    workers = int(getattr(grader, "concurrency", 1) or 1)
    grades = _with_progress(grade_one, jobs, workers, map_in_order)
    originals = _jsonl_objects(path) if in_format == out_format == ".jsonl" else {}
    _write_output(
        args.out,
        out_format,
        [
            ({**job[0].fields, **originals.get(job[0].line, {})}, g)
            for job, g in zip(jobs, grades, strict=True)
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


def _jsonl_objects(path: str) -> dict[int, dict[str, Any]]:
    """Line -> the values of a JSONL row that are not strings (lists, numbers, objects), so a
    JSONL output passes them through as JSON rather than as their text."""
    from mockinterview.grading.batch import read_text

    objects: dict[int, dict[str, Any]] = {}
    for number, raw in enumerate(read_text(path).splitlines(), start=1):
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        if isinstance(data, dict):
            objects[number] = {str(k): v for k, v in data.items() if not isinstance(v, str)}
    return objects


def _skip(path: str, line: int, message: str) -> None:
    print(f"{path}:{line}: {message}; row skipped", file=sys.stderr)


def _optional_bank(args: argparse.Namespace) -> Bank | None:
    try:
        return bank_from_args(args)
    except CliError as exc:
        print(f"mockinterview: warning: {exc}", file=sys.stderr)
        return None


def _target(
    bank: Bank | None,
    fields: dict[str, str],
    derived: dict[str, tuple[Question, Rubric]],
    warned: set[str],
) -> tuple[Question, Rubric] | None:
    """The bank's question, else one built from the row's own `reference_answer` column.
    A problem with a bank question's rubric file is said once on stderr."""
    qid = fields["question_id"].strip()
    question = bank.get(qid) if bank is not None else None
    if question is not None:
        from mockinterview.bank.rubric_check import rubric_with_warnings

        rubric, warnings = rubric_with_warnings(bank, qid)  # type: ignore[arg-type]
        if qid not in warned:
            warned.add(qid)
            for warning in warnings:
                print(f"mockinterview: warning: {warning}", file=sys.stderr)
        return question, rubric
    if qid in derived:
        return derived[qid]
    reference = (fields.get("reference_answer") or "").strip()
    if not reference:
        return None
    from mockinterview.models import Question
    from mockinterview.rubrics.derive import derive_rubric

    question = Question(id=qid, title="", question=fields.get("question", ""), answer=reference)
    derived[qid] = (question, derive_rubric(question))
    return derived[qid]


def _with_progress(func, jobs, workers, mapper):
    """A progress bar on stderr when it is a terminal; nothing otherwise (logs stay clean)."""
    if not sys.stderr.isatty():
        return mapper(func, jobs, workers)
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("grading", total=len(jobs))
        return mapper(func, jobs, workers, lambda: progress.advance(task))


def _added_columns(existing: list[str]) -> dict[str, str]:
    names = {}
    for name in ("score", "verdicts", "feedback", "grader"):
        names[name] = f"graded_{name}" if name in existing else name
    return names


def _output_fields(fields: dict[str, str], grade: Grade, names: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = dict(fields)
    out[names["score"]] = grade.score
    out[names["verdicts"]] = " ".join(f"{p.id}={p.verdict}" for p in grade.points)
    out[names["feedback"]] = grade.feedback
    out[names["grader"]] = grade.grader
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


def _write_rows(handle, fmt, rows, columns, names) -> None:
    if fmt == ".csv":
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for fields, grade in rows:
            writer.writerow(_output_fields(fields, grade, names))
        return
    for fields, grade in rows:
        handle.write(json.dumps(_output_fields(fields, grade, names), ensure_ascii=False) + "\n")
