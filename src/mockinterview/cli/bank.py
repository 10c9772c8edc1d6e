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
    if args.command == "rubrics":
        return _build_rubrics(args)
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
    from mockinterview.bank.importing import import_files

    root = _writable_bank(args)
    paths = [Path(f) for f in args.files]
    for path in paths:
        if not path.is_file():
            raise CliError(f"{path}: no such file")
    report = import_files(paths, root, topic=args.topic, dry_run=args.dry_run, replace=args.replace)
    verb = "would be " if args.dry_run else ""
    for label, files in (("created", report.created), ("updated", report.updated)):
        for path in files:
            print(f"{verb}{label}: {path}")
    for problem in report.problems + report.conflicts:
        print(problem)
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
    print(f"{len(rows)} question(s) in {bank.root}")
    if bank.problems:
        print(f"{len(bank.problems)} problem(s): run `mockinterview bank validate`")
    return EXIT_OK


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

    if args.path:
        target = Path(args.path)
        if not target.exists():
            raise CliError(f"{target}: no such file or folder")
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


def _build_rubrics(args: argparse.Namespace) -> int:
    from mockinterview.rubrics.build import Skipped, build_rubrics

    bank = bank_from_args(args)
    if locations.is_installed_copy(bank.rubrics_root):
        raise CliError(f"{bank.rubrics_root}: read-only installed copy; pass --bank DIR")
    unknown = [qid for qid in args.ids if qid not in bank.questions]
    if unknown:
        raise CliError(f"no such question(s) in {bank.root}: {', '.join(unknown)}")
    results = build_rubrics(bank, args.ids or list(bank.questions), force=args.force)
    for result in results:
        print(result)
    return EXIT_BAD_INPUT if any(isinstance(r, Skipped) for r in results) else EXIT_OK
