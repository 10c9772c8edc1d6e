"""The start screen: the bank at a glance, a resumable session, and the set-up of a new one."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, DataTable, Footer, Input, Label, Select, Static

from mockinterview.practice.plan import Mode, Order, SessionPlan
from mockinterview.tui.host import HostedScreen
from mockinterview.tui.overview import short_date, topic_rows
from mockinterview.tui.settings import read_form, write_form
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

    DEFAULT_CSS = """
    StartScreen #setup-matches { color: $text-muted; margin: 0 0 1 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "start", "Start", priority=True),
        Binding("r", "open('review')", "Review", tooltip="past attempts: open, compare, retry"),
        Binding("p", "open('progress')", "Progress", tooltip="trends, most missed, what is due"),
        Binding(
            "g",
            "grader_settings",
            "Grader settings",
            tooltip="pick a local model server or an endpoint; test it; save it",
            show=False,  # the footer is full at 80 columns: the tip line and f1 name it
        ),
    ]

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
                    "enter on a topic starts it; or set up a session on the right and press "
                    "ctrl+s. r: review past attempts · p: progress · g: grader · f1: every key.",
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
                settings = self.host.settings
                form = read_form(settings.form_file)
                order = str(form.get("order")) if form.get("order") in ORDERS else "bank"
                yield from self._row(
                    "Order", Select(ORDER_CHOICES, value=order, id="order", allow_blank=False)
                )
                minutes = form.get("minutes")
                yield from self._row(
                    "Time limit",
                    Input(
                        str(minutes) if isinstance(minutes, int) and minutes > 0 else "",
                        placeholder="minutes (none)",
                        id="minutes",
                        type="integer",
                    ),
                )
                graders = [("Offline", "offline")]
                if settings.llm_available:
                    graders.append(("LLM", "llm"))
                grader = settings.grader if settings.llm_available else "offline"
                if settings.llm_available and form.get("grader") in ("offline", "llm"):
                    grader = str(form["grader"])
                yield from self._row(
                    "Grader", Select(graders, value=grader, id="grader", allow_blank=False)
                )

                with Horizontal(classes="setup-row", id="follow-ups-row"):
                    yield Label("Follow-ups", classes="setup-label")
                    yield Checkbox(
                        "one per answer",
                        # off with `practice --no-follow-ups`, else as last left
                        value=settings.follow_ups and form.get("follow_ups") is not False,
                        id="follow-ups",
                        compact=True,
                        tooltip="after each graded answer, one question on what it left open",
                    )
                yield Static("", id="setup-matches")
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
        # The unfinished session first: enter resumes it, as the banner offers. Else the
        # topics, as the tip says: arrows and enter start one (ctrl+s starts the form).
        if self.query("#resume"):
            self.query_one("#resume", Button).focus()
        elif table.row_count:
            table.focus()
        else:
            self.query_one("#start", Button).focus()
        self._show_matches()
        problem_note = bank_problem_note(self.host.bank)
        if problem_note:
            self.notify(problem_note, severity="warning", timeout=6)

    @staticmethod
    def _resume_text(session: Session) -> str:
        total = len(session.question_ids)
        what = describe_session(session.settings, total)
        started = short_date(session.started_at)[5:]  # the year is clear from context
        return f"Unfinished: question {session.position + 1} of {total}, {what} ({started})"

    # --- choosing ---------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#topics")
    def _topic_chosen(self, event: DataTable.RowSelected) -> None:
        """Enter (or a click) on a topic row starts a session of that topic, with the rest of
        the form (how many, order, time limit, grader) as set."""
        topic = str(event.row_key.value)
        self.query_one("#mode", Select).value = "topic"
        self.query_one("#topic", Select).value = topic
        self.query_one("#tag", Select).clear()  # the row says "this topic": no stale tag
        self.action_start()

    @on(Select.Changed, "#topic")
    def _topic_set(self, event: Select.Changed) -> None:
        mode = self.query_one("#mode", Select)
        if event.value != Select.NULL and not (mode.value == "tag" and self._chosen("tag")):
            mode.value = "topic"  # a tag already chosen stays: the two narrow each other
        self._show_matches()

    @on(Select.Changed, "#tag")
    def _tag_set(self, event: Select.Changed) -> None:
        mode = self.query_one("#mode", Select)
        if event.value != Select.NULL and not (mode.value == "topic" and self._chosen("topic")):
            mode.value = "tag"
        self._show_matches()

    @on(Select.Changed, "#mode")
    @on(Input.Changed, "#count")
    def _form_changed(self) -> None:
        self._show_matches()

    def _chosen(self, select_id: str) -> str | None:
        value = self.query_one(f"#{select_id}", Select).value
        return None if value == Select.NULL else str(value)

    def _show_matches(self) -> None:
        """Say what the form picks, so no choice is dropped unseen."""
        mode = MODES.get(self._chosen("mode") or "all", "all")
        topic, tag = self._chosen("topic"), self._chosen("tag")
        if mode in ("topic", "tag") and not (topic if mode == "topic" else tag):
            text = f"Pick a {mode}."
        else:
            pool = self.host.bank.select(topic=topic or None, tag=tag or None)
            filters = [f"topic {topic}" if topic else "", f"tag {tag}" if tag else ""]
            where = " and ".join(f for f in filters if f) or "the whole bank"
            text = f"{plural(len(pool), 'question')} from {where}"
            raw = self.query_one("#count", Input).value.strip()
            count = int(raw) if raw.isdigit() and int(raw) > 0 else None
            if mode in ("random", "weakest"):
                count = count or 5
            if count and count < len(pool):
                text += f"; {count} asked"
        self.query_one("#setup-matches", Static).update(Text(text))

    def read_plan(self) -> SessionPlan | None:
        """The plan the form describes, or None (with a notice) when a field is wrong."""

        chosen = self._chosen
        count = self._positive_int("count", "How many")
        minutes = self._positive_int("minutes", "Time limit")
        if count is False or minutes is False:
            return None
        mode = MODES.get(chosen("mode") or "all", "all")
        if mode in ("topic", "tag") and not chosen(mode):
            self.notify(f"Pick a {mode} first.", severity="warning")
            return None
        if mode in ("topic", "tag") and chosen("topic") and chosen("tag"):
            mode = "all"  # one topic and one tag: the questions having both (as the form says)
        return SessionPlan(
            mode=mode,
            topic=chosen("topic") if mode in ("topic", "all", "random", "weakest") else None,
            tag=chosen("tag") if mode in ("tag", "all", "random", "weakest") else None,
            count=count or (5 if mode in ("random", "weakest") else None),
            order=ORDERS.get(chosen("order") or "bank", "bank"),
            time_limit=minutes * 60 if minutes else None,
            grader=chosen("grader") or "offline",
            follow_ups=self.query_one("#follow-ups", Checkbox).value,
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
        if plan is None:
            return
        minutes = plan.time_limit // 60 if plan.time_limit else None
        write_form(
            self.host.settings.form_file,
            {
                "order": plan.order,
                "minutes": minutes,
                "grader": plan.grader,
                "follow_ups": plan.follow_ups,
            },
        )
        self.host.start_plan(plan)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Letters typed in a field are text: r and p open nothing then (shown greyed)."""
        if action in ("open", "grader_settings") and isinstance(self.focused, Input):
            return None
        return True

    async def action_open(self, which: str) -> None:
        """Open the review or the progress screen (the app builds them)."""
        await self.app.run_action(f"open('{which}')")

    async def action_grader_settings(self) -> None:
        """Open the grader settings (the app builds the screen)."""
        await self.app.run_action("grader_settings")

    def grader_saved(self) -> None:
        """The grader settings screen saved an endpoint: offer the LLM grader, chosen."""
        select = self.query_one("#grader", Select)
        select.set_options([("Offline", "offline"), ("LLM", "llm")])
        select.value = "llm"

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
        """Discarding cannot be undone: ask first (escape or n keeps the session)."""
        from mockinterview.tui.screens.confirm import ConfirmScreen

        session = self.host.resumable()
        if session is None:
            return

        def decided(discard: bool | None) -> None:
            if not discard:
                return
            self.host.discard_session(session.id)
            for widget in self.query("#resume-banner"):
                widget.remove()
            self.query_one("#start", Button).focus()

        self.app.push_screen(
            ConfirmScreen(
                f"Discard the unfinished session ({self._resume_text(session)}) and its "
                "draft? This cannot be undone.",
                "Discard",
                "Keep it",
            ),
            decided,
        )


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


def plural(count: int, word: str) -> str:
    """`1 question`, `2 questions`."""
    return f"{count} {word}{'' if count == 1 else 's'}"
