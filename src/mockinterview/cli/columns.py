"""Plain-text tables for `bank list` and `history`: as wide as their content, cut to the
terminal's width only when printing to a terminal (COLUMNS is honoured), never when piped."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Sequence


def output_width() -> int | None:
    """The terminal's width when stdout is one; None (no limit) when piped or redirected."""
    try:
        if not sys.stdout.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    return shutil.get_terminal_size().columns


def render_table(
    head: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    floors: Sequence[int],
    right: frozenset[int] = frozenset(),
    width: int | None = None,
) -> list[str]:
    """Lines of a table, one space between columns. With `width`, columns wider than their
    floor (0: never cut) shrink, widest first, until the table fits; a cut cell ends in `…`."""
    widths = [max(len(cell) for cell in column) for column in zip(head, *rows, strict=True)]
    if width is not None:
        excess = sum(widths) + len(widths) - 1 - width
        while excess > 0:
            cuttable = [i for i, w in enumerate(widths) if floors[i] and w > floors[i]]
            if not cuttable:
                break
            widest = max(cuttable, key=lambda i: widths[i] - floors[i])
            widths[widest] -= 1
            excess -= 1

    def line(cells: Sequence[str]) -> str:
        out = []
        for i, (cell, w) in enumerate(zip(cells, widths, strict=True)):
            cell = cell if len(cell) <= w else cell[: w - 1] + "…"
            out.append(cell.rjust(w) if i in right else cell.ljust(w))
        return " ".join(out).rstrip()

    return [line(head), *(line(row) for row in rows)]
