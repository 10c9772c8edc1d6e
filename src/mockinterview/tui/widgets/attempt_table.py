"""The table of past attempts on the review screen, filled a page at a time.

A DataTable measures every cell it holds, ~0.6 ms a row: 10,000 rows would take six seconds.
Filtering and sorting cover every attempt (the screen does them); the table holds only what was
scrolled to, and adds the next page as the cursor nears the end.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.widgets import DataTable

from mockinterview.review.rows import format_score, format_seconds
from mockinterview.store.records import AttemptSummary
from mockinterview.text.safe import one_line

PAGE = 100  # rows added to the table at a time, more as the cursor nears the end
COLUMNS: list[tuple[str, str]] = [
    ("when", "When (UTC)"), ("question", "Question"), ("title", "Title"), ("topic", "Topic"),
    ("score", "Score"), ("grader", "Grader"), ("time", "Time"),
]  # fmt: skip
NEWEST_FIRST = ("when", "score", "time")  # columns first sorted high to low
# content widths; the title takes what is left of the screen (so 80 columns fit every column)
WIDTHS = {"when": 12, "question": 8, "topic": 10, "score": 5, "grader": 7, "time": 5}
TITLE_WIDTH = (12, 40)  # least, most

Labels = dict[str, tuple[str, str]]  # question id -> (title, topic)


def sort_key(column: str, labels: Labels) -> Callable[[AttemptSummary], Any]:
    """The key sorting attempts by one column; ties go by submission time."""

    def key(row: AttemptSummary) -> Any:
        title, topic = labels[row.question_id]
        keys = {
            "when": (row.submitted_at, row.id),
            "question": (row.question_id, row.submitted_at),
            "title": (title.lower(), row.submitted_at),
            "topic": (topic.lower(), row.submitted_at),
            "score": (row.score if row.score is not None else -1.0, row.submitted_at),
            "grader": ((row.regraded_by or row.grader), row.submitted_at),
            "time": (row.seconds, row.submitted_at),
        }
        return keys[column]

    return key


class AttemptTable(DataTable[Text]):
    """Shows a list of attempts (already filtered and sorted) a page at a time."""

    def __init__(self, labels: Labels, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.labels = labels  # shared with the screen, which fills it
        self.shown: list[AttemptSummary] = []
        self.marked: int | None = None  # the attempt marked for comparison
        self.title_width = TITLE_WIDTH[1]
        self.topic_width = WIDTHS["topic"]

    def add_attempt_columns(self, screen_width: int | None = None) -> None:
        """The columns, narrow enough for the screen: the title gets the room left over."""
        width = screen_width or self.app.size.width
        # the table's margin and scrollbar, and one cell of padding each side of each column
        spare = width - 4 - 2 * len(COLUMNS) - sum(WIDTHS.values())
        least, most = TITLE_WIDTH
        # wide: whole topics ("machine learning" is 16 characters), the title keeping 22+
        self.topic_width = WIDTHS["topic"] + (6 if spare >= 28 else 4 if spare >= 24 else 0)
        spare -= self.topic_width - WIDTHS["topic"]
        self.title_width = max(least, min(most, spare))
        for key, label in COLUMNS:
            column_width = {"title": self.title_width, "topic": self.topic_width}.get(
                key, WIDTHS.get(key, 0)
            )
            self.add_column(fit(label, column_width), key=key, width=column_width)

    def show(self, rows: list[AttemptSummary], keep: AttemptSummary | None = None) -> None:
        """Replace the rows; the cursor stays on `keep` if it is still among them."""
        self.shown = rows
        self.clear()
        self.append_page()
        if keep is not None:
            index = next((n for n, r in enumerate(rows) if r.id == keep.id), None)
            if index is not None:
                while self.row_count <= index:
                    self.append_page()
                self.move_cursor(row=index, animate=False)

    def append_page(self) -> None:
        """Put the next PAGE of the shown rows into the table."""
        start = self.row_count
        for row in self.shown[start : start + PAGE]:
            title, topic = self.labels[row.question_id]
            score = format_score(row.score, row.skipped) + ("*" if row.regraded_by else "")
            score += "✎" if row.corrected_score is not None else ""  # corrected by the candidate
            mark = "▶ " if row.id == self.marked else ""
            grader = row.regraded_by or ("-" if row.grader == "none" else row.grader)
            self.add_row(
                Text(mark + row.submitted_at[5:16].replace("T", " ")),
                Text(fit(one_line(row.question_id), WIDTHS["question"])),
                Text(fit(title, self.title_width)),
                Text(fit(topic, self.topic_width)),
                Text(score, justify="right"),
                Text(fit(grader, WIDTHS["grader"])),
                Text(format_seconds(row.seconds), justify="right"),
                key=str(row.id),
            )

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= self.row_count - 20 and self.row_count < len(self.shown):
            self.append_page()

    def selected(self) -> AttemptSummary | None:
        if not self.shown or self.cursor_row < 0 or self.cursor_row >= len(self.shown):
            return None
        return self.shown[self.cursor_row]


def fit(text: str, width: int) -> str:
    """The text cut to `width` characters, with an ellipsis when something was cut."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"
