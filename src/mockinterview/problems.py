"""A problem found in a bank, rubric or import file, printed as `file:line: message`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_TOML_LINE = re.compile(r"at line (\d+)")


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a file (or one entry of it) was skipped or needs attention; line 0 = whole file.
    `where` names an entry that has no line (an Anki note: "note 1650000000000")."""

    path: Path
    line: int
    message: str
    where: str = ""

    def __str__(self) -> str:
        if self.where:
            return f"{self.path}: {self.where}: {self.message}"
        return f"{self.path}:{max(self.line, 1)}: {self.message}"


def toml_error_line(exc: Exception) -> int | None:
    """The line a TOML error names ("... (at line 3, column 7)"); None when it names none
    ("at end of document")."""
    found = _TOML_LINE.search(str(exc))
    return int(found.group(1)) if found else None
