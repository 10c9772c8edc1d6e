"""Untrusted text made safe for where it goes: a terminal, a Markdown report, a spreadsheet.

Answers, quotes, imported questions and model replies are untrusted: an answer holding
`ESC[2J` or an OSC title sequence would clear the screen or retitle the terminal when shown,
and a CSV cell starting with `=` runs as a formula when a spreadsheet opens the file. Every way
out of the program passes such text through one of these functions: control and escape
characters are shown visibly (`␛[2J`), never executed, and formula cells are neutralised as
OWASP advises (a leading apostrophe).
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls; bidi overrides and isolates, which reorder
# what a reader sees ("Trojan Source").
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
# Control pictures for C0 (U+2400 + code), DEL; C1 and bidi marks shown by code point.
_SHOWN = {0x1B: "\u241b", 0x7F: "\u2421"}


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code in _SHOWN:
        return _SHOWN[code]
    if code < 0x20:
        return chr(0x2400 + code)
    return f"<U+{code:04X}>"


def visible(text: str) -> str:
    """`text` with every control, escape and bidi character replaced by a visible stand-in;
    tabs and newlines kept, carriage returns shown (they would overwrite the line)."""
    if text.isprintable() or not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(_visible, text)


def one_line(text: str) -> str:
    """`visible`, with newlines and tabs folded to spaces: for table cells and titles."""
    return " ".join(visible(text).split())


# A cell a spreadsheet would evaluate: starting with = + - @, or a tab or carriage return.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A value for a CSV cell that no spreadsheet runs as a formula. Numbers stay numbers
    (a negative score is data); text starting like a formula gets a leading apostrophe."""
    if not isinstance(value, str):
        return value
    text = visible(value) if not value.startswith(("\t", "\r")) else value
    if text.startswith(_FORMULA_START):
        return "'" + visible(text)
    return text


# What a terminal acts on and `json.dumps(ensure_ascii=False)` leaves raw (it escapes only C0),
# and the line separators a JavaScript reader chokes on. Escaping them inside JSON strings keeps
# the same JSON value: every JSON the tool writes passes through `escape_in_json`.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def escape_in_json(encoded: str) -> str:
    """JSON text with those characters written as `\\uXXXX` escapes."""
    if encoded.isprintable() or not _JSON_UNSAFE.search(encoded):
        return encoded
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", encoded)
