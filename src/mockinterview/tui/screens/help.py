"""The `?` screen: the keys of the screen it was opened from, then those that work anywhere."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown

SCREEN_NAMES = {
    "StartScreen": "Start screen",
    "QuestionScreen": "Answering a question",
    "ResultScreen": "Result",
    "SummaryScreen": "Summary",
    "ReviewScreen": "Review (past attempts)",
    "AttemptScreen": "One past attempt",
    "CompareScreen": "Two attempts compared",
    "ProgressScreen": "Progress",
}
EVERYWHERE_EXTRA = [
    ("`ctrl+p`", "command palette: new session, weakest, review, progress, theme"),
    ("`tab` / `shift+tab`", "move between fields and buttons; the mouse works too"),
]
DETAILS = {  # a longer word on some actions; the keys themselves always come from BINDINGS
    "help": "this help (the keys of the screen you were on, then these)",
    "quit": "quit (asks first during a session; the session stays resumable)",
    "app.quit": "quit",
    "toggle_theme": "switch between the light and dark theme",
    "start": "start a session as set up in the form",
    "submit": "submit the answer for grading (an empty one is confirmed first)",
    "skip": "skip this question (recorded as skipped)",
    "hint": "reveal the title of one rubric point not yet covered (recorded)",
    "cancel_grading": "cancel grading in progress; the answer stays",
    "leave": "back one step: a retry not yet begun returns to the review; otherwise it asks, "
    "and the session stays resumable from the start screen",
    "open('review')": "review past attempts: filter, open, compare, retry, re-grade",
    "open('progress')": "progress: trends, the points missed most often, what is due next",
    "next": "next question (or the summary after the last)",
    "toggle_reference": "show or hide the full reference answer",
    "retry_weak": "retry the weak questions (skipped or scored under 60)",
    "new_session": "back to the start screen for a new session",
    "regrade_stale": "re-grade every attempt graded by an older rubric",
    "correct": "correct the verdict of rubric point 1-9 (a miss or partial becomes a hit, a "
    "hit a miss; press again to undo); the automatic grade is kept beside yours",
}
EXTRA_ROWS = {  # what a screen does beyond its bindings (a widget's own keys)
    "StartScreen": [
        ("`enter` on a topic", "start a session of that topic, as the form is otherwise set"),
        ("`enter` on Resume / Discard", "take back the unfinished session, or drop it (asks)"),
    ],
    "ReviewScreen": [
        ("`enter` in the filter", "apply it; the cursor stays in the box (`↓` to the rows)"),
    ],
}
NOTES = {
    "QuestionScreen": "Your draft is saved about every second while you type: if the terminal "
    "dies, start `mockinterview` again and resume the session.",
}


def binding_rows(node: object) -> list[tuple[str, str]]:
    """(keys, what they do) for the BINDINGS a class and its bases declare, one row per
    action, read from the bindings themselves so this help cannot drift from the keys."""
    rows: dict[str, tuple[list[str], str]] = {}
    for cls in reversed(type(node).__mro__):
        if cls.__module__.startswith("textual."):
            continue  # Textual's own defaults (ctrl+c and the like) are not ours to explain
        for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", [])):
            # `correct(1)` .. `correct(9)`: one row, the point's number
            action = "correct" if binding.action.startswith("correct(") else binding.action
            keys, description = rows.get(action, ([], ""))
            key = _key_name(binding.key)
            if key not in keys:
                keys.append(key)
            text = DETAILS.get(binding.action) or binding.tooltip or binding.description
            rows[action] = (keys, text or description)
    return [(_keys_text(keys), text) for keys, text in rows.values()]


def _keys_text(keys: list[str]) -> str:
    """`a` or `b`; a run of digit keys as `1`-`9`."""
    if len(keys) > 2 and all(len(k) == 1 and k.isdigit() for k in keys):
        return f"`{keys[0]}`-`{keys[-1]}`"
    return " or ".join(f"`{k}`" for k in keys)


def _key_name(key: str) -> str:
    names = {"question_mark": "?", "slash": "/", "enter": "enter", "escape": "escape"}
    return names.get(key, key)


def help_markdown(app: object, origin: object | None) -> str:
    """The help for the screen it was opened from, then the keys that work everywhere."""
    parts = ["# Keys", ""]
    if origin is not None:
        name = type(origin).__name__
        rows = binding_rows(origin) + EXTRA_ROWS.get(name, [])
        if rows:
            parts += [f"**{SCREEN_NAMES.get(name, 'This screen')}**", "", *_table(rows), ""]
        if name in NOTES:
            parts += [NOTES[name], ""]
    parts += ["**Anywhere**", "", *_table(binding_rows(app) + EVERYWHERE_EXTRA)]
    return "\n".join(parts) + "\n"


def _table(rows: list[tuple[str, str]]) -> list[str]:
    lines = ["| key | does |", "|---|---|"]
    lines += [f"| {keys} | {text} |" for keys, text in rows]
    return lines


class HelpScreen(ModalScreen[None]):
    """Closed by escape, `q`, `?` or `f1`."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark,f1", "close", "Close")]

    def __init__(self, origin: Screen[Any] | None = None) -> None:
        super().__init__()
        self.origin = origin

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Markdown(help_markdown(self.app, self.origin))

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
