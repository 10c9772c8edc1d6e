"""The `?` screen: every key of the app, grouped by where it works."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP_TEXT = """\
# Keys

**Anywhere**

| key | does |
|---|---|
| `f1` or `?` | this help |
| `ctrl+p` | command palette: new session, weakest, review, progress, theme |
| `f2` | switch between the light and dark theme |
| `ctrl+q` | quit (asks first during a session; the session stays resumable) |
| `tab` / `shift+tab` | move between fields and buttons; the mouse works too |

**Answering a question**

| key | does |
|---|---|
| `ctrl+s` | submit the answer for grading |
| `escape` | cancel grading in progress; the answer stays |
| `ctrl+n` | skip this question (recorded as skipped) |
| `ctrl+t` | hint: reveals the title of one rubric point not yet covered (recorded) |

Your draft is saved about every second while you type: if the terminal dies,
start `mockinterview` again and resume the session.

**Result**

| key | does |
|---|---|
| `enter` or `n` | next question (or the summary after the last) |
| `r` | show or hide the full reference answer |

**Summary**

| key | does |
|---|---|
| `w` | retry the weak questions (skipped or scored under 60) |
| `s` | back to the start screen for a new session |
"""


class HelpScreen(ModalScreen[None]):
    """Closed by escape, `q`, `?` or `f1`."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark,f1", "close", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Markdown(HELP_TEXT)

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
