"""`bank validate` for the candidate's rubric overlays (`<data dir>/rubric-overlays/*.toml`):
bad TOML, an unknown question or point id, each as `file:line: message`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from mockinterview import locations
from mockinterview.cli import EXIT_BAD_INPUT, EXIT_OK, CliError

if TYPE_CHECKING:
    from mockinterview.bank import Bank
    from mockinterview.problems import Problem


def is_overlay_path(args: argparse.Namespace, target: Path) -> bool:
    """A path inside the overlays folder (or that folder itself)."""
    from mockinterview.cli.context import overlays_root_from_args
    from mockinterview.rubrics.overlay import OVERLAY_DIR

    target = target.resolve()
    folder = target if target.is_dir() else target.parent
    root = overlays_root_from_args(args).resolve()
    return folder == root or folder.name == OVERLAY_DIR


def overlay_problems(bank: Bank, root: Path, target: Path | None = None) -> list[Problem]:
    """Problems of the overlays under `root` (or of the one file `target`), against `bank`."""
    from mockinterview.rubrics.overlay import check_overlay, check_overlays

    ids = set(bank.questions)
    if target is not None and target.is_file():
        return check_overlay(target, bank.base_rubric_for, ids)
    return check_overlays(target or root, bank.base_rubric_for, ids)


def validate_overlays(args: argparse.Namespace, target: Path) -> int:
    """`bank validate PATH` where PATH is an overlay file or the overlays folder: checked
    against the active bank."""
    from mockinterview.bank import load_bank

    root = locations.bank_dir(getattr(args, "bank", None))
    if not root.is_dir():
        raise CliError(f"{root}: no such bank folder (overlays are checked against it)")
    bank = load_bank(root)
    problems = overlay_problems(bank, target, target)
    for problem in problems:
        print(problem)
    if problems:
        return EXIT_BAD_INPUT
    count = 1 if target.is_file() else len(list(target.glob("*.toml")))
    print(f"OK: {count} rubric overlay file(s) in {target}, no problems")
    return EXIT_OK
