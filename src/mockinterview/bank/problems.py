"""A problem found in a bank, rubric or import file, printed as `file:line: message`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a file (or one entry of it) was skipped or needs attention; line 0 = whole file."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{max(self.line, 1)}: {self.message}"
