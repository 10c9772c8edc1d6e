"""What every command needs from its flags: the bank, the store, a grader."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from mockinterview import locations
from mockinterview.cli import CliError

if TYPE_CHECKING:
    from mockinterview.bank import Bank
    from mockinterview.store import Store


def bank_from_args(args: argparse.Namespace) -> Bank:
    """Load the active bank; a missing folder is bad input, not a traceback."""
    from mockinterview.bank import load_bank

    root = locations.bank_dir(getattr(args, "bank", None))
    if not root.is_dir():
        raise CliError(f"{root}: no such bank folder")
    bank = load_bank(root)
    bank.overlays_root = overlays_root_from_args(args)
    return bank


def overlays_root_from_args(args: argparse.Namespace) -> Path:
    """The candidate's rubric overlays: `rubric-overlays/` in the data dir."""
    return locations.overlays_dir(locations.data_dir(getattr(args, "data_dir", None)))


def store_from_args(args: argparse.Namespace) -> Store:
    from mockinterview.store import Store, StoreError

    path = locations.database_path(locations.data_dir(getattr(args, "data_dir", None)))
    try:
        return Store.open(path)
    except StoreError as exc:
        raise CliError(str(exc)) from exc
