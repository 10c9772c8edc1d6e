"""The start screen: the bank at a glance, a resumable session, and the set-up of a new one."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Input, Label, Select, Static

from mockinterview.practice.plan import Mode, Order, SessionPlan
from mockinterview.tui.host import HostedScreen
from mockinterview.tui.overview import short_date, topic_rows
from mockinterview.tui.unfinished import describe_session

if TYPE_CHECKING:
    from mockinterview.bank import Bank
    from mockinterview.store import Session

MODE_CHOICES: list[tuple[str, Mode]] = [
    ("All questions", "all"),
    ("One topic", "topic"),
    ("One tag", "tag"),
    ("N at random", "random"),
    ("The weakest N", "weakest"),
]
ORDER_CHOICES: list[tuple[str, Order]] = [("Bank order", "bank"), ("Shuffled", "shuffled")]
MODES: dict[str, Mode] = {value: value for _label, value in MODE_CHOICES}  # a form value, typed
ORDERS: dict[str, Order] = {value: value for _label, value in ORDER_CHOICES}


class StartScreen(HostedScreen, Screen[None]):
    """Pick what to practise; offers back a session left unfinished."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+s", "start", "Start", priority=True)]

    def compose(self) -> ComposeResult:
        bank = self.host.bank
        with Horizontal(classes="topbar"):
            yield Static(
                f"mockinterview · {len(bank.questions)} questions in {len(bank.topics())} topics",
                id="progress",
            )
        resumable = self.host.resumable()
        if resumable is not None:
            with Horizontal(id="resume-banner"):
                yield Static(self._resume_text(resumable), id="resume-text", markup=False)
                yield Button("Resume", id="resume", variant="success", compact=True)
                yield Button("Discard", id="discard", variant="error", compact=True)
        with Horizontal(id="start-main"):
            with Vertical(id="overview"):
                yield DataTable(id="topics", cursor_type="row", zebra_stripes=True)
                yield Static(
                    "Pick a topic row to practise it, or set up a session on the right. "
                    "ctrl+s starts; f1 lists every key.",
                    id="start-tip",
                )
            with VerticalScroll(id="setup") as setup:
                setup.can_focus = False  # no invisible tab stop: tab goes field to field
                yield Static("New session", classes="section-title")
                yield from self._row(
                    "Questions", Select(MODE_CHOICES, value="all", id="mode", allow_blank=False)
                )
                topics = [(Text(f"{t} ({n})"), t) for t, n in bank.topics().items()]
                yield from self._row("Topic", Select(topics, id="topic", prompt="any"))
                tags = [(Text(f"{t} ({n})"), t) for t, n in bank.tags().items()]
                yield from self._row("Tag", Select(tags, id="tag", prompt="any"))
                yield from self._row(
                    "How many", Input(placeholder="all", id="count", type="integer")
                )
                yield from self._row(
                    "Order", Select(ORDER_CHOICES, value="bank", id="order", allow_blank=False)
                )
                yield from self._row(
                    "Time limit", Input(placeholder="minutes (none)", id="minutes", type="integer")
                )
                settings = self.host.settings
                graders = [("Offline", "offline")]
                if settings.llm_available:
                    graders.append(("LLM", "llm"))
                grader = settings.grader if settings.llm_available else "offline"
                yield from self._row(
                    "Grader", Select(graders, value=grader, id="grader", allow_blank=False)
                )
                yield Button("Start ^s", id="start", variant="primary", compact=True)
        yield Footer()

    def _row(self, label: str, control: Select[str] | Input) -> ComposeResult:
        control.compact = True
        with Horizontal(classes="setup-row"):
            yield Label(label, classes="setup-label")
            yield control

    def on_mount(self) -> None:
        table = self.query_one("#topics", DataTable)
        table.add_columns("topic", "qs", "done", "last")
        for row in topic_rows(self.host.bank, self.host.store):
            table.add_row(
                Text(row.topic),
                str(row.questions),
                str(row.attempted),
                short_date(row.last_practised)[:10],
                key=row.topic,
            )
        self.query_one("#start", Button).focus()
        problem_note = bank_problem_note(self.host.bank)
        if problem_note:
            self.notify(problem_note, severity="warning", timeout=6)

    @staticmethod
    def _resume_text(session: Session) -> str:
        total = len(session.question_ids)
        what = describe_session(session.settings, total)
        started = short_date(session.started_at)[5:]  # the year is clear from context
        return (
            f"Unfinished session at question {session.position + 1} of {total} ({what}, {started})"
        )

    # --- choosing ---------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#topics")
    def _topic_chosen(self, event: DataTable.RowSelected) -> None:
        """Selecting a topic row sets up a session of that topic."""
        topic = str(event.row_key.value)
        self.query_one("#mode", Select).value = "topic"
        self.query_one("#topic", Select).value = topic
        self.query_one("#start", Button).focus()

    @on(Select.Changed, "#topic")
    def _topic_set(self, event: Select.Changed) -> None:
        if event.value != Select.NULL:
            self.query_one("#mode", Select).value = "topic"

    @on(Select.Changed, "#tag")
    def _tag_set(self, event: Select.Changed) -> None:
        if event.value != Select.NULL:
            self.query_one("#mode", Select).value = "tag"

    def read_plan(self) -> SessionPlan | None:
        """The plan the form describes, or None (with a notice) when a field is wrong."""

        def chosen(select_id: str) -> str | None:
            value = self.query_one(f"#{select_id}", Select).value
            return None if value == Select.NULL else str(value)

        count = self._positive_int("count", "How many")
        minutes = self._positive_int("minutes", "Time limit")
        if count is False or minutes is False:
            return None
        mode = MODES.get(chosen("mode") or "all", "all")
        if mode in ("topic", "tag") and not chosen(mode):
            self.notify(f"Pick a {mode} first.", severity="warning")
            return None
        return SessionPlan(
            mode=mode,
            topic=chosen("topic") if mode in ("topic", "all", "random", "weakest") else None,
            tag=chosen("tag") if mode in ("tag", "all", "random", "weakest") else None,
            count=count or (5 if mode in ("random", "weakest") else None),
            order=ORDERS.get(chosen("order") or "bank", "bank"),
            time_limit=minutes * 60 if minutes else None,
            grader=chosen("grader") or "offline",
        )

    def _positive_int(self, input_id: str, label: str) -> int | bool | None:
        raw = self.query_one(f"#{input_id}", Input).value.strip()
        if not raw:
            return None
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value <= 0:
            self.notify(f"{label}: a whole number above 0, or leave it blank.", severity="warning")
            return False
        return value

    def action_start(self) -> None:
        """Start a session as set up in the form."""
        plan = self.read_plan()
        if plan is not None:
            self.host.start_plan(plan)

    @on(Button.Pressed, "#start")
    def _start_pressed(self) -> None:
        self.action_start()

    @on(Input.Submitted)
    def _input_submitted(self) -> None:
        self.action_start()

    @on(Button.Pressed, "#resume")
    def _resume_pressed(self) -> None:
        session = self.host.resumable()
        if session is not None:
            self.host.resume_session(session.id)

    @on(Button.Pressed, "#discard")
    def _discard_pressed(self) -> None:
        session = self.host.resumable()
        if session is not None:
            self.host.discard_session(session.id)
        for widget in self.query("#resume-banner"):
            widget.remove()


def bank_problem_note(bank: Bank) -> str:
    """What the start screen says of bad files: question files are skipped, while a question
    whose rubric file is bad is still asked, graded with a rubric derived from its answer."""
    rubric_root = bank.rubrics_root.resolve()
    files = {p.path.resolve() for p in bank.problems}
    rubric_files = {f for f in files if f.is_relative_to(rubric_root)}
    parts = []
    if len(files) > len(rubric_files):
        parts.append(
            f"{len(files) - len(rubric_files)} question file(s) have problems and were skipped"
        )
    if rubric_files:
        parts.append(
            f"{len(rubric_files)} rubric file(s) have problems (their questions are graded "
            "with a rubric derived from the answer)"
        )
    if not parts:
        return ""
    return "; ".join(parts) + "; run `mockinterview bank validate` for details."
