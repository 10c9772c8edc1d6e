"""The progress screen: how each topic and question trends, what keeps being missed, streaks,
totals, and what to practise next (the spaced-repetition queue driven by graded coverage).

Every figure is computed by `review.progress.progress_data` in one worker thread (about 0.1 s for
10,000 attempts on a slow machine); the screen shows a loading indicator until then, so the UI
thread never waits on the database, and then only lays the figures out.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Label, Sparkline, Static

from mockinterview.review import stats
from mockinterview.review.progress import ProgressData, progress_data
from mockinterview.review.rows import format_score, format_seconds, question_label
from mockinterview.review.schedule import QueueItem
from mockinterview.tui.practise_from_review import start_practice

if TYPE_CHECKING:
    from mockinterview.review.rows import BankLike
    from mockinterview.store import Store

QUESTIONS_SHOWN = 12
NEXT_SHOWN = 8
PRACTISE_COUNT = 5


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def due_text(item: QueueItem, now: datetime) -> str:
    if item.due is None:
        return "never tried"
    if item.is_due(now):
        if not item.due_points:
            return "due now"
        return f"due now ({item.due_points} point{'s' if item.due_points > 1 else ''} due)"
    days = (item.due - now).total_seconds() / 86400
    return f"due in {max(1, round(days))} day{'s' if round(days) > 1 else ''}"


class TrendRow(Horizontal):
    """A name, its last/best/count figures and a sparkline of its scores."""

    DEFAULT_CSS = """
    TrendRow { height: 1; }
    TrendRow .trend-name { width: 1fr; max-width: 44; text-wrap: nowrap; text-overflow: ellipsis; }
    TrendRow .trend-figures { width: 30; color: $text-muted; }
    TrendRow Sparkline { width: 1fr; min-width: 12; max-width: 40; }
    TrendRow .trend-steady { width: 1fr; min-width: 12; color: $text-muted; text-style: italic;
                             text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, name: str, item: stats.Progress) -> None:
        super().__init__()
        self.item_name = name
        self.item = item

    def compose(self) -> ComposeResult:
        item = self.item
        yield Label(Text(self.item_name), classes="trend-name")  # cut to the width, with …
        yield Label(
            f"last {format_score(item.last):>3} · best {format_score(item.best):>3} · "
            f"{item.attempts:>3}×",
            classes="trend-figures",
        )
        if len(set(item.trend)) > 1:
            yield Sparkline(item.trend, summary_function=max)
        else:  # a sparkline scales to its own min..max: one value would draw as a full bar
            steady = "one score" if len(item.trend) == 1 else "no scores"
            if len(item.trend) > 1:
                steady = f"steady, {len(item.trend)} scores"
            yield Label(steady, classes="trend-steady")


class ProgressScreen(Screen[None]):
    """Progress over all attempts; `p` practises the questions at the head of the queue."""

    closes_on_practice: ClassVar[bool] = True
    DEFAULT_CSS = """
    ProgressScreen #progress-body { padding: 0 1; }
    ProgressScreen .progress-section { text-style: bold; color: $accent; margin: 1 0 0 0; }
    ProgressScreen #progress-totals { height: auto; }
    ProgressScreen Static { height: auto; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", "Back"),
        Binding("p", "practise_next", "Practise what's due"),
    ]

    def __init__(self, store: Store, bank: BankLike | None, now: datetime | None = None) -> None:
        super().__init__()
        self.store = store
        self.bank = bank
        self.now = now or datetime.now(UTC)
        self.queue: list[QueueItem] = []
        self.ready = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="progress-body"):
            yield Static("Progress", classes="progress-section")
            yield Static("Loading…", id="progress-loading")
        yield Footer()

    def _sections(self, data: ProgressData) -> list[Widget]:
        """The widgets under the heading, as the screen composed them when it computed inline."""
        totals, per_question = data.totals, data.per_question
        widgets: list[Widget] = [Static(Text(self._totals_text(totals)), id="progress-totals")]
        if totals.attempts == 0:
            widgets.append(Static("No attempts yet: practise a few questions, then come back."))
        widgets.append(Static("By topic", classes="progress-section"))
        for topic in sorted(data.topics.values(), key=lambda t: t.key):
            widgets.append(TrendRow(f"{topic.key} ({topic.questions} q)", topic))
        widgets.append(Static("By question, weakest last score first", classes="progress-section"))
        ranked = sorted(
            (p for p in per_question.values() if p.last is not None),
            key=lambda p: (p.last, p.key),
        )
        for item in ranked[:QUESTIONS_SHOWN]:
            title, _ = question_label(self.bank, item.key)
            widgets.append(TrendRow(f"{item.key} {title}", item))
        widgets += [
            Static("Points missed most often", classes="progress-section"),
            Static(self._missed_text(data.missed), id="progress-missed"),
            Static("What next (spaced repetition)", classes="progress-section"),
            Static(self._next_text(data.queue, per_question), id="progress-next"),
        ]
        return widgets

    def on_mount(self) -> None:
        # At once: the first paint is only a heading and "Loading…", cheaper than waiting a
        # frame for it (~50 ms) before starting.
        self._compute()

    @work(thread=True, exclusive=True, group="progress")
    def _compute(self) -> None:
        """Every figure, off the UI thread, then shown at once. (Showing the trends first was
        tried: their layout and paint then compete for the GIL with the queue's replay, and
        everything is shown ~150 ms later for trends ~80 ms earlier.)"""
        data = progress_data(self.store, self.bank, self.now)
        # typed loosely: for a coroutine, mypy solves `T | Awaitable[T]` as Never
        show: Callable[[ProgressData], Any] = self._show
        self.app.call_from_thread(show, data)

    async def _show(self, data: ProgressData) -> None:
        self.queue = data.queue
        await self.query_one("#progress-loading").remove()
        await self.query_one("#progress-body", VerticalScroll).mount_all(self._sections(data))
        self.ready = True

    def _totals_text(self, totals: stats.Totals) -> str:
        average = "-" if totals.average is None else f"{totals.average:.0f}"
        sessions = f" in {plural(totals.sessions, 'session')}" if totals.sessions else ""
        return (
            f"{plural(totals.attempts, 'attempt')} ({totals.skipped} skipped) on "
            f"{plural(totals.questions, 'question')}{sessions} · average {average} · "
            f"{format_seconds(totals.seconds)} answering · "
            f"{plural(totals.days, 'practice day')} · "
            f"streak {totals.current_streak} (longest {totals.longest_streak})"
        )

    def _missed_text(self, missed: list[stats.MissedPoint]) -> Text:
        text = Text()
        if not missed:
            text.append("Nothing missed yet.", "dim")
        # by the rate shown (misses, partly covered counting half), then by how often seen
        for point in sorted(missed, key=lambda p: (-p.miss_rate, -p.seen, p.title)):
            title, _ = question_label(self.bank, point.question_id)
            text.append(f"{point.miss_rate:>4.0%} ", "bold red")
            text.append(f"{point.title}")
            counts = f"missed {point.misses}/{point.seen}"
            if point.partials:  # a half-covered point counts half: say so beside the rate
                counts += f", partly covered {point.partials}/{point.seen}"
            text.append(f"  {title} · {counts}\n", "dim")
        return text

    def _next_text(
        self, queue: list[QueueItem], per_question: dict[str, stats.Progress] | None = None
    ) -> Text:
        """The queue's head; "last" is the last graded score, as in the list by question
        (a skip after it is said as such)."""
        per_question = per_question or {}
        text = Text()
        if not queue:
            text.append("The bank is empty.", "dim")
        for item in queue[:NEXT_SHOWN]:
            title, _ = question_label(self.bank, item.question_id)
            text.append(f"{item.question_id:<10}{title[:36]:<38}")
            figures = per_question.get(item.question_id)
            graded = figures.last if figures is not None else item.last_score
            skipped_last = item.attempts > 0 and item.last_score is None
            if graded is None:
                last = format_score(None, skipped=skipped_last)
            else:
                last = format_score(graded) + ("*" if skipped_last else " ")
            text.append(f"last {last:>4}  ", "dim")
            text.append(due_text(item, self.now) + "\n")
        if queue:
            text.append(f"p: practise the first {PRACTISE_COUNT}", "italic")
            if any(i.attempts > 0 and i.last_score is None for i in queue[:NEXT_SHOWN]):
                text.append(" · * skipped since", "dim italic")
        return text

    def action_back(self) -> None:
        self.dismiss()

    def reopen(self) -> ProgressScreen:
        """This screen again (after a practice left with escape)."""
        return ProgressScreen(self.store, self.bank, self.now)

    def action_practise_next(self) -> None:
        if not self.ready:
            self.notify("Still working out what is due; try again in a moment.")
            return
        if not self.queue:
            self.notify("Nothing to practise: the bank is empty.", severity="warning")
            return
        due = [item for item in self.queue if item.due is None or item.is_due(self.now)]
        if due:
            start_practice(self, [item.question_id for item in due[:PRACTISE_COUNT]])
            return
        self._offer_weakest()

    def _offer_weakest(self) -> None:
        """Nothing is due yet: say so (and when the next is), and offer the weakest instead."""
        from mockinterview.review.schedule import weakest_questions
        from mockinterview.tui.screens.confirm import ConfirmScreen

        soonest = min(self.queue, key=lambda item: item.due or self.now)
        ids = weakest_questions(self.store, [i.question_id for i in self.queue], PRACTISE_COUNT)

        def decided(yes: bool | None) -> None:
            if yes and ids:
                start_practice(self, ids)

        self.app.push_screen(
            ConfirmScreen(
                f"Nothing is due yet: the next, {soonest.question_id}, is "
                f"{due_text(soonest, self.now)}. Practise the {len(ids)} weakest instead?",
                "Practise the weakest",
                "Not now",
            ),
            decided,
        )
