"""The end of a session: scores, time, the points most missed, and a retry of the weak ones."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Static

from mockinterview.practice.session import InterviewSession, format_seconds
from mockinterview.text.safe import one_line
from mockinterview.tui.host import HostedScreen


class SummaryScreen(HostedScreen, Screen[None]):
    """Read-only view of a finished session."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "retry_weak", "Retry weak"),
        Binding("s", "new_session", "New session"),
        Binding("q", "app.quit", "Quit", show=False),  # the footer already shows ^q
    ]

    def __init__(self, session: InterviewSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        session = self.session
        average = session.average_score
        answered = sum(not o.skipped for o in session.outcomes)
        with Horizontal(classes="topbar"):
            yield Static("Session summary", id="progress")
        with VerticalScroll(id="summary-body"):
            yield Static(
                f"Average score {average:.0f}/100"
                f"{' (skips count as 0)' if answered < len(session.outcomes) else ''} · "
                f"{answered} answered, {len(session.outcomes) - answered} skipped · "
                f"total time {format_seconds(session.total_seconds)}"
                if average is not None
                else "No question was answered in this session.",
                id="summary-headline",
            )
            yield DataTable(id="summary-table", cursor_type="row", zebra_stripes=True)
            yield Static("Points most missed", classes="section-title")
            yield Static(self._missed_text(), id="summary-missed", markup=False)
        with Horizontal(classes="buttons"):
            weak = len(session.weak_ids())
            retry = Button(f"Retry {weak} weak w", id="retry", variant="primary", compact=True)
            retry.display = bool(weak)  # nothing weak: no button (w says why)
            yield retry
            yield Button("New session s", id="new", compact=True)
            yield Button("Quit q", id="quit", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#summary-table", DataTable)
        table.add_columns("#", "question", "score", "time", "hints")
        for number, outcome in enumerate(self.session.outcomes, start=1):
            question = self.host.bank.get(outcome.question_id)
            title = one_line(question.title if question else outcome.question_id)
            score = "skipped" if outcome.skipped else f"{outcome.score or 0:.0f}"
            table.add_row(
                str(number),
                Text(title[:44]),
                score,
                format_seconds(outcome.seconds),
                str(len(outcome.hints)),
            )
        self.query_one("#retry" if self.session.weak_ids() else "#new", Button).focus()

    def _missed_text(self) -> str:
        missed = self.session.most_missed()
        if not any(o.grade is not None and not o.skipped for o in self.session.outcomes):
            return "Nothing was graded: every question was skipped."
        if not missed:
            return "Nothing missed. Well done."
        lines = []
        for question_id, title, times in missed:
            question = self.host.bank.get(question_id)
            where = question.title if question else question_id
            suffix = f" ×{times}" if times > 1 else ""
            lines.append(f"• {one_line(title)}{suffix}  ({one_line(where)[:40]})")
        return "\n".join(lines)

    def action_retry_weak(self) -> None:
        """A new session of the questions skipped or scored under 60 here."""
        weak = self.session.weak_ids()
        if weak:
            self.host.start_session(weak)
        else:
            self.notify("Nothing to retry: every question scored 60 or more.")

    def action_new_session(self) -> None:
        """Back to the start screen."""
        self.host.show_start()

    @on(Button.Pressed, "#retry")
    def _retry(self) -> None:
        self.action_retry_weak()

    @on(Button.Pressed, "#new")
    def _new(self) -> None:
        self.action_new_session()

    @on(Button.Pressed, "#quit")
    def _quit(self) -> None:
        self.app.exit()
