"""What the app is started with: a plan to start at once, the grader, the clock, the theme.

A plain dataclass so the CLI, the tests and the benchmark build the app the same way. What the
candidate chose last time (the theme, the start form's order, time limit and grader) is kept in
two small files beside the attempts; anything unreadable there just means the defaults.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mockinterview.practice.plan import SessionPlan

DARK_THEME, LIGHT_THEME = "textual-dark", "textual-light"


@dataclass
class AppSettings:
    """Everything but the bank, the store and the grader (those are passed to `make_app`)."""

    plan: SessionPlan | None = None  # given: start this session at once, skipping the start screen
    grader: str = "offline"
    llm_available: bool = False  # offer "LLM" on the start screen
    llm_model: str | None = None
    llm_base_url: str | None = None
    llm_preset: str | None = None  # `practice --llm ollama`: that local server, no key
    config_file: Path | None = None  # where the grader settings screen saves; None: the usual
    follow_ups: bool = True  # the start form's default (and the CLI's sessions'): ask follow-ups
    theme: str = DARK_THEME
    theme_file: Path | None = None  # where the chosen theme is remembered between runs
    clock: Callable[[], float] = time.monotonic  # tests pin it for stable elapsed times
    autosave_seconds: float = 1.0  # drafts reach the database at most this long after typing
    seed: int | None = None  # random choice of questions; tests pin it
    form_file: Path | None = None  # the start form's last choices; default: beside theme_file

    def __post_init__(self) -> None:
        if self.form_file is None and self.theme_file is not None:
            self.form_file = self.theme_file.with_name(FORM_FILE)


FORM_FILE = "tui-start-form.json"


def read_theme(path: Path | None, default: str = DARK_THEME) -> str:
    """The theme saved by the last run; anything unreadable falls back to the default."""
    if path is None:
        return default
    try:
        name = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return default
    return name or default


def write_theme(path: Path | None, name: str) -> None:
    """Remember the theme; a read-only data dir just means it is not remembered."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name + "\n", encoding="utf-8")
    except OSError:
        pass


def read_form(path: Path | None) -> dict[str, object]:
    """The start form's last choices (`order`, `minutes`, `grader`, `follow_ups`); {} when none or
    the file is unreadable: the form then shows its defaults."""
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_form(path: Path | None, choices: dict[str, object]) -> None:
    """Remember the start form's choices; a read-only data dir just means they are not kept."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(choices, sort_keys=True) + "\n", encoding="utf-8")
    except OSError:
        pass
