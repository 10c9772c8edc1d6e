"""`bank import|list|validate` and `rubrics build`: the bank's maintenance commands."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from mockinterview import locations
from mockinterview.cli import EXIT_BAD_INPUT, EXIT_OK, CliError
from mockinterview.cli.context import bank_from_args

if TYPE_CHECKING:
    from mockinterview.bank import Bank


def run(args: argparse.Namespace) -> int:
    action = {"import": _import, "list": _list, "validate": _validate}[args.bank_command]
    return action(args)


def _writable_bank(args: argparse.Namespace) -> Path:
    root = locations.bank_dir(getattr(args, "bank", None))
    if locations.is_installed_copy(root):
        raise CliError(
            f"{root}: this is the read-only bank installed with the package; "
            "pass --bank DIR (or set MOCKINTERVIEW_BANK) to import into a bank of your own"
        )
    return root


def _import(args: argparse.Namespace) -> int:
    """Import, then derive rubric files for the new questions (never for ones that have a
    file already); the summary line comes last."""
    from mockinterview.bank.importers.delimited import ColumnMapError, parse_column_map
    from mockinterview.bank.importing import build_new_rubrics, import_files

    root = _writable_bank(args)
    paths = [Path(f) for f in args.files]
    for path in paths:
        if not path.is_file():
            raise CliError(f"{path}: no such file")
    columns = None
    if getattr(args, "columns", None):
        try:
            columns = parse_column_map(args.columns)
        except ColumnMapError as exc:
            raise CliError(str(exc)) from None
    report = import_files(
        paths,
        root,
        topic=args.topic,
        dry_run=args.dry_run,
        replace=args.replace,
        fmt=getattr(args, "format", "auto") or "auto",
        columns=columns,
    )
    verb = "would be " if args.dry_run else ""
    for label, files in (("created", report.created), ("updated", report.updated)):
        for path in files:
            print(f"{verb}{label}: {path}")
    for problem in report.problems + report.conflicts:
        print(problem)
    if report.skipped:
        reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(report.skipped.items()))
        print(f"skipped {sum(report.skipped.values())} question(s): {reasons}")
    if args.dry_run and report.created:
        print(f"rubric files would be derived for the {len(report.created)} new question(s)")
    elif not args.dry_run:
        for line in build_new_rubrics(root, report.created_ids):
            print(f"rubric {line}")
    if report.answer_changed:
        ids = " ".join(report.answer_changed)
        print(f"answers replaced; refresh their rubrics with `mockinterview rubrics build {ids}`")
    print(
        f"{len(report.created)} {verb}created, {len(report.updated)} {verb}updated, "
        f"{len(report.unchanged)} unchanged, {len(report.collapsed)} duplicate(s) collapsed, "
        f"{len(report.conflicts)} conflict(s), {len(report.problems)} problem(s) in {root}"
    )
    return EXIT_OK if report.ok else EXIT_BAD_INPUT


def _list(args: argparse.Namespace) -> int:
    bank = bank_from_args(args)
    rows = [
        {
            "id": q.id,
            "title": q.title,
            "topic": q.topic,
            "difficulty": q.difficulty,
            "tags": q.tags,
            "points": len(bank.rubric_for(q.id).points),
        }
        for q in bank.questions.values()
    ]
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(_table(rows))
    print()
    print(_topic_counts(bank))
    print(f"{len(rows)} question(s) in {bank.root}")
    if bank.problems:
        print(f"{len(bank.problems)} problem(s): run `mockinterview bank validate`")
    return EXIT_OK


def _topic_counts(bank: Bank) -> str:
    """Questions per topic, the summary under the list (as on the start screen)."""
    from mockinterview.cli.columns import output_width, render_table

    cells = [(topic, str(count)) for topic, count in bank.topics().items()]
    lines = render_table(
        ("TOPIC", "QUESTIONS"), cells, floors=(8, 0), right=frozenset({1}), width=output_width()
    )
    return "\n".join(lines)


def _table(rows: list[dict[str, object]]) -> str:
    """Full titles and tags when piped; on a terminal, long titles, topics and tag lists are
    cut with an ellipsis to fit its width."""
    from mockinterview.cli.columns import output_width, render_table

    head = ("ID", "TITLE", "TOPIC", "DIFF", "PTS", "TAGS")
    cells = [
        (
            str(row["id"]),
            str(row["title"]),
            str(row["topic"]),
            str(row["difficulty"]),
            str(row["points"]),
            ", ".join(row["tags"]),  # type: ignore[arg-type]
        )
        for row in rows
    ]
    floors = (0, 12, 8, 0, 0, 8)
    lines = render_table(head, cells, floors=floors, right=frozenset({4}), width=output_width())
    return "\n".join(lines)


def _validate(args: argparse.Namespace) -> int:
    """The whole bank and its rubrics; with PATH inside a bank (a topic folder, one question
    file, a rubric file), the problems of those files and of their questions' rubrics."""
    from mockinterview.bank import load_bank
    from mockinterview.cli.overlays import is_overlay_path, overlay_problems

    if args.path:
        target = Path(args.path)
        if not target.exists():
            raise CliError(f"{target}: no such file or folder")
        if is_overlay_path(args, target):
            from mockinterview.cli.overlays import validate_overlays

            return validate_overlays(args, target)
        root = _bank_root_of(target)
        if root == target.resolve():
            root = target  # messages name files as the user spelled the folder
    else:
        root = locations.bank_dir(getattr(args, "bank", None))
        if not root.is_dir():
            raise CliError(f"{root}: no such bank folder")
        target = root
    bank = load_bank(root)
    problems = bank.problems
    if not args.path:  # the active bank: the candidate's rubric overlays are checked with it
        from mockinterview.cli.context import overlays_root_from_args

        problems = [*problems, *overlay_problems(bank, overlays_root_from_args(args))]
    for warning in _missing_rubric_warnings(bank, target):
        print(warning)  # a warning only: the exit code is the problems' alone
    if target.resolve() != root.resolve():
        checked = _rubric_paths_of(bank, target)
        problems = [p for p in problems if _within(p.path, target) or p.path.resolve() in checked]
        if not problems:
            questions = len({p.stem for p in checked})
            rubrics = sum(path.is_file() for path in checked)
            print(
                f"OK: {questions} question(s), {rubrics} rubric file(s) for {target}, no problems"
            )
            return EXIT_OK
    for problem in problems:
        print(problem)
    if problems:
        return EXIT_BAD_INPUT
    print(
        f"OK: {len(bank.questions)} question(s), {len(bank.rubrics)} rubric file(s) "
        f"in {root}, no problems"
    )
    return EXIT_OK


def _missing_rubric_warnings(bank: Bank, target: Path) -> list[str]:
    """Questions under `target` without a rubric file: they are graded with a rubric derived
    from the answer each time, which works but cannot be curated."""
    if _within(target, bank.rubrics_root):
        return []
    lines = []
    for question in bank.questions.values():
        if question.path is not None and not _within(question.path, target):
            continue
        path = bank.rubrics_root / f"{question.id}.toml"
        if not path.exists():
            lines.append(
                f"{question.path}: warning: no rubric file {path.name}; graded with a rubric "
                f"derived from the answer (run `mockinterview rubrics build {question.id}`)"
            )
    return lines


def _rubric_paths_of(bank: Bank, target: Path) -> set[Path]:
    """The rubric files of the question files under `target` (a rubric file: itself)."""
    from mockinterview.bank.loader import bank_files

    if _within(target, bank.rubrics_root):
        paths = [target] if target.is_file() else list(target.glob("*.toml"))
        return {p.resolve() for p in paths}
    rubrics = bank.rubrics_root.resolve()
    return {rubrics / f"{path.stem}.toml" for path in bank_files(target.resolve())}


def _bank_root_of(target: Path) -> Path:
    """The bank folder a path belongs to: the nearest folder named `bank` or with a `rubrics`
    sibling, so a topic folder or one file is checked against the whole bank and its rubrics."""
    target = target.resolve()
    start = target if target.is_dir() else target.parent
    if start.name == "rubrics" and (start.parent / "bank").is_dir():
        return start.parent / "bank"
    for folder in (start, *start.parents):
        if folder.name == "bank" or (folder.parent / "rubrics").is_dir():
            return folder
    return start


def _within(path: Path, target: Path) -> bool:
    path, target = path.resolve(), target.resolve()
    return path == target or target in path.parents
