"""The progress screen: how each topic and question trends, what keeps being missed, streaks,
totals, and what to practise next (the spaced-repetition queue driven by graded coverage)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, Sparkline, Static

from mockinterview.review import stats
from mockinterview.review.rows import format_score, format_seconds, question_label
from mockinterview.review.schedule import QueueItem, review_queue
from mockinterview.tui.widgets.review_detail import start_practice

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
    TrendRow .trend-name { width: 30; }
    TrendRow .trend-figures { width: 30; color: $text-muted; }
    TrendRow Sparkline { width: 1fr; max-width: 40; }
    TrendRow .trend-steady { color: $text-muted; text-style: italic; }
    """

    def __init__(self, name: str, item: stats.Progress) -> None:
        super().__init__()
        self.item_name = name
        self.item = item

    def compose(self) -> ComposeResult:
        item = self.item
        yield Label(Text(self.item_name[:29]), classes="trend-name")
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
                steady = f"steady over {len(item.trend)} scores"
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
        totals = stats.totals(self.store, self.now.date())
        per_question = stats.question_progress(self.store)
        topics = stats.topic_progress(self.store, self.bank, per_question)
        with VerticalScroll(id="progress-body"):
            yield Static("Progress", classes="progress-section")
            yield Static(Text(self._totals_text(totals)), id="progress-totals")
            if totals.attempts == 0:
                yield Static("No attempts yet: practise a few questions, then come back.")
            yield Static("By topic", classes="progress-section")
            for topic in sorted(topics.values(), key=lambda t: t.key):
                yield TrendRow(f"{topic.key} ({topic.questions} q)", topic)
            yield Static("By question, weakest last score first", classes="progress-section")
            ranked = sorted(
                (p for p in per_question.values() if p.last is not None),
                key=lambda p: (p.last, p.key),
            )
            for item in ranked[:QUESTIONS_SHOWN]:
                title, _ = question_label(self.bank, item.key)
                yield TrendRow(f"{item.key} {title}", item)
            yield Static("Points missed most often", classes="progress-section")
            yield Static(Text("Counting…", "dim"), id="progress-missed")
            yield Static("What next (spaced repetition)", classes="progress-section")
            yield Static(Text("Working out what is due…", "dim"), id="progress-next")
        yield Footer()

    def on_mount(self) -> None:
        # After the first paint: a worker started now would share the GIL with that paint.
        self.call_after_refresh(self._compute_queue)

    @work(thread=True, exclusive=True, group="progress")
    def _compute_queue(self) -> None:
        """The queue replays every question through FSRS: off the UI thread, after first paint."""
        bank_ids = list(self.bank.questions) if self.bank is not None else []
        queue = review_queue(self.store, bank_ids, self.now)
        missed = stats.most_missed_points(self.store, limit=8)
        self.app.call_from_thread(self._show_queue, queue, missed)

    def _show_queue(self, queue: list[QueueItem], missed: list[stats.MissedPoint]) -> None:
        self.queue = queue
        self.ready = True
        self.query_one("#progress-missed", Static).update(self._missed_text(missed))
        self.query_one("#progress-next", Static).update(self._next_text())

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
        for point in missed:
            title, _ = question_label(self.bank, point.question_id)
            text.append(f"{point.miss_rate:>4.0%} ", "bold red")
            text.append(f"{point.title}")
            counts = f"missed {point.misses}/{point.seen}"
            if point.partials:  # a half-covered point counts half: say so beside the rate
                counts += f", partly covered {point.partials}/{point.seen}"
            text.append(f"  {title} · {counts}\n", "dim")
        return text

    def _next_text(self) -> Text:
        text = Text()
        if not self.queue:
            text.append("The bank is empty.", "dim")
        for item in self.queue[:NEXT_SHOWN]:
            title, _ = question_label(self.bank, item.question_id)
            text.append(f"{item.question_id:<10}{title[:36]:<38}")
            last = format_score(
                item.last_score, skipped=item.attempts > 0 and item.last_score is None
            )
            text.append(f"last {last:>4}  ", "dim")
            text.append(due_text(item, self.now) + "\n")
        if self.queue:
            text.append(f"p: practise the first {PRACTISE_COUNT}", "italic")
        return text

    def action_back(self) -> None:
        self.dismiss()

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
