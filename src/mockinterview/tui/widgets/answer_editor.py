"""The answer editor: a TextArea that keeps huge pastes responsive.

Textual's TextArea re-wraps a whole logical line on every keystroke, so a 100k-character
paste with no line breaks costs about a second per key. Very long pasted lines are therefore
broken at spaces into lines of ~100 characters: only whitespace changes, which no grader reads.
A paste or a restored draft holding escape sequences or control characters has them shown
(`text.safe.visible`, `␛[2J`): the editor would otherwise send them to the terminal raw.
"""

from __future__ import annotations

import textwrap

from textual import events
from textual.widgets import TextArea

from mockinterview.text.safe import visible

LONG_LINE = 2_000  # lines longer than this are broken on paste
WRAP_WIDTH = 100


def break_long_lines(text: str) -> str:
    """`text` with every line over LONG_LINE characters broken at spaces; others untouched."""
    if all(len(line) <= LONG_LINE for line in text.split("\n")):
        return text
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= LONG_LINE:
            out.append(line)
            continue
        out.extend(
            textwrap.wrap(
                line,
                WRAP_WIDTH,
                break_long_words=True,
                break_on_hyphens=False,
                replace_whitespace=False,
            )
            or [""]
        )
    return "\n".join(out)


def editable(text: str) -> str:
    """Text for the editor: line breaks as `\n`, controls shown, long lines broken."""
    return break_long_lines(visible(text.replace("\r\n", "\n").replace("\r", "\n")))


class AnswerEditor(TextArea):
    """Plain-text answer editor with soft wrap; long pasted lines are broken first."""

    async def _on_paste(self, event: events.Paste) -> None:
        # Runs before TextArea's own paste handler, which inserts `event.text`.
        event.text = editable(event.text)
