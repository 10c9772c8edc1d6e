"""`mockinterview history` and `mockinterview export`: past attempts for people and scripts."""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from mockinterview.cli import CliError
from mockinterview.text.safe import one_line

if TYPE_CHECKING:
    from collections.abc import Callable

    from mockinterview.review.rows import BankLike
    from mockinterview.store import Store
    from mockinterview.store.records import AttemptSummary

_HEAD = ("ID", "WHEN (UTC)", "QUESTION", "TITLE", "TOPIC", "SCORE", "TIME", "GRADER")
_FLOORS = (0, 0, 8, 12, 8, 0, 0, 7)  # the columns cut (to these widths) on a narrow terminal
_RIGHT = frozenset({0, 5, 6})


def run(args: argparse.Namespace) -> int:
    store = _store(args)
    bank = _bank_or_none(args)
    try:
        if args.command == "export":
            return _export(args, store, bank)
        return _history(args, store, bank)
    finally:
        store.close()


def _store(args: argparse.Namespace) -> Store:
    from mockinterview.cli.context import store_from_args

    return store_from_args(args)


def _bank_or_none(args: argparse.Namespace) -> BankLike | None:
    """History must show even when the bank is gone or broken: attempts then show by id."""
    from mockinterview.cli.context import bank_from_args

    try:
        return bank_from_args(args)
    except CliError:
        if getattr(args, "bank", None):
            raise  # an explicit --bank that does not exist is a mistake worth reporting
        return None
    except Exception as exc:  # a broken bank file must not hide the history
        print(f"mockinterview: warning: bank not loaded ({exc}); showing ids", file=sys.stderr)
        return None


def _history(args: argparse.Namespace, store: Store, bank: BankLike | None) -> int:
    limit = getattr(args, "limit", None)
    if limit is not None and limit < 1:
        raise CliError(f"--limit must be a positive number, not {limit}")
    question = args.question
    if args.format == "json":
        from mockinterview.review.records import iter_records, write_json_array

        records = iter_records(store, bank, question_id=question, limit=limit)
        first = next(records, None)
        _check_question(question, first is not None, bank)
        items = records if first is None else itertools.chain((first,), records)
        write_json_array(items, sys.stdout)
        sys.stdout.write("\n")
        return 0
    from mockinterview.store.attempts import attempt_summaries

    rows = attempt_summaries(store, question_id=question, limit=limit)
    _check_question(question, bool(rows), bank)
    from mockinterview.cli.columns import output_width

    print(render_table(rows, bank, output_width()))
    return 0


def _check_question(question: str | None, found: bool, bank: BankLike | None) -> None:
    if question and not found and (bank is None or question not in bank.questions):
        raise CliError(f"--question {question}: no such question and no attempts of it")


def render_table(
    rows: list[AttemptSummary], bank: BankLike | None, width: int | None = None
) -> str:
    """A plain table: full titles when piped; cut to `width` (a terminal's) when given. Ids,
    titles, topics and grader names show their control characters visibly, never act."""
    from mockinterview.cli.columns import render_table as table
    from mockinterview.review.rows import (
        NOT_IN_BANK,
        format_score,
        format_seconds,
        question_label,
    )

    if not rows:
        return "No attempts yet. Practise with `mockinterview`, then come back."
    cells = []
    for row in rows:
        title, topic = question_label(bank, row.question_id)
        topic = "-" if topic == NOT_IN_BANK else topic
        score = format_score(row.score, row.skipped) + ("*" if row.regraded_by else "")
        score += "c" if row.corrected_score is not None else ""
        cells.append(
            [
                str(row.id),
                row.submitted_at[:16].replace("T", " "),
                one_line(row.question_id),
                one_line(title),
                one_line(topic),
                score,
                format_seconds(row.seconds),
                one_line(row.regraded_by or row.grader),
            ]
        )
    lines = table(_HEAD, cells, floors=_FLOORS, right=_RIGHT, width=width)
    footer = f"{len(rows)} attempt{'s' if len(rows) != 1 else ''}"
    if any(row.regraded_by for row in rows):
        footer += "; * re-graded (the original grade is kept, see --format json)"
    if any(row.corrected_score is not None for row in rows):
        footer += "; c corrected by you (the automatic grade is kept, see --format json)"
    return "\n".join([*lines, footer])


def _export(args: argparse.Namespace, store: Store, bank: BankLike | None) -> int:
    from mockinterview.review.export import write_export

    fmt = export_format(args.format, args.out)
    if not args.out or args.out == "-":
        write_export(store, bank, fmt, sys.stdout)
        return 0
    target = Path(args.out).expanduser()
    _write_atomically(target, lambda out: write_export(store, bank, fmt, out), fmt == "csv")
    print(f"wrote {target} ({fmt})", file=sys.stderr)
    return 0


def _write_atomically(target: Path, write: Callable[[TextIO], None], csv: bool) -> None:
    """Stream into a file beside `target`, then rename it over `target`: an export that fails
    half way (a full disk) leaves the old file, or none, never half of one."""
    part = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        # O_EXCL: never write through a link planted under the temporary name; mode 0o666
        # less the umask, as for any new file
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "w", encoding="utf-8", newline="" if csv else None) as out:
            write(out)
        part.replace(target)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise CliError(f"{target}: cannot write the export ({exc.strerror or exc})") from exc
    except BaseException:
        part.unlink(missing_ok=True)
        raise


_EXTENSIONS = {".json": "json", ".csv": "csv", ".md": "md", ".markdown": "md"}


def export_format(explicit: str | None, out: str | None) -> str:
    """An explicit --format wins; else the --out file's extension; else Markdown."""
    if explicit:
        return explicit
    if out and out != "-":
        return _EXTENSIONS.get(Path(out).suffix.lower(), "md")
    return "md"
