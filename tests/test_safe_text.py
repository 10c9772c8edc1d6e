"""Untrusted text never reaches a terminal as escape sequences nor a spreadsheet as a formula."""

from __future__ import annotations

import pytest

from mockinterview.text.safe import csv_cell, one_line, visible

HOSTILE = [
    "\x1b[2J",  # clear screen
    "\x1b]0;PWNED\x1b\\",  # OSC title
    "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\",  # OSC-8 hyperlink
    "\x9b31m",  # C1 CSI
    "\x07\x08\x0c",  # bell, backspace, form feed
    "abc\u202edcba",  # bidi override
    "a\u2066b\u2069",  # bidi isolate
    "line\rover",  # carriage return overwrites the line
]


@pytest.mark.parametrize("text", HOSTILE)
def test_no_control_or_escape_character_survives(text: str) -> None:
    shown = visible(text)
    assert all(
        ch in "\n\t" or (ch.isprintable() and ch not in "\u202e\u2066\u2069") for ch in shown
    )


def test_an_escape_is_shown_not_executed() -> None:
    assert visible("\x1b[2J") == "\u241b[2J"


def test_ordinary_text_is_left_as_it_is() -> None:
    text = "ReLU: max(0, x) → cheap; σ(x) ∈ (0, 1)\n\tindented, ünïcode"
    assert visible(text) == text


def test_one_line_folds_newlines() -> None:
    assert one_line("a\nb\x1b[1m") == "a b\u241b[1m"


@pytest.mark.parametrize(
    "cell", ['=HYPERLINK("http://x","c")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
)
def test_formula_cells_are_neutralised(cell: str) -> None:
    value = csv_cell(cell)
    assert isinstance(value, str)
    assert value.startswith("'")


def test_numbers_and_plain_text_pass_unchanged() -> None:
    assert csv_cell(-3.5) == -3.5
    assert csv_cell("vanishing gradients") == "vanishing gradients"
