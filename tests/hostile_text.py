"""Hostile text for the output tests: escape sequences a terminal would run, controls, bidi
overrides and cells a spreadsheet would evaluate; and the check that output holds none raw."""

from __future__ import annotations

import re

ESCAPES = {
    "CSI clear screen": "\x1b[2J",
    "OSC window title": "\x1b]0;PWNED\x1b\\",
    "OSC-8 link": "\x1b]8;;http://evil.example/\x1b\\click me\x1b]8;;\x1b\\",
    "C0 bell, backspace, NUL, form feed, CR": "\x07\x08\x00\x0c\r",
    "C1 CSI and OSC": "\x9b2J\x9d0;PWNED\x9c",
    "DEL": "\x7f",
    "bidi overrides and isolates": "\u202eexe.txt\u202c \u2066x\u2069\u200f",
}
HOSTILE = " ".join(ESCAPES.values())
# What a spreadsheet runs when a cell starts with it (OWASP's list).
FORMULAS = ['=HYPERLINK("http://evil.example","c")', "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1"]

# Anything a terminal acts on: C0 but tab and newline, DEL, C1, bidi controls.
_RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def raw_controls(text: str) -> list[str]:
    """The control, escape and bidi characters found raw in `text` (none is the aim)."""
    return sorted({f"U+{ord(c):04X}" for c in _RAW.findall(text)})


def assert_inert(text: str, where: str) -> None:
    assert "\x1b" not in text, f"an ESC byte reached {where}"
    assert not raw_controls(text), f"{where} holds raw {raw_controls(text)}"
