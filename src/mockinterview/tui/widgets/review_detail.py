"""One past attempt opened from the review table: the question, the grade history (original and
re-grades), the answer with its evidence highlighted, the per-point verdicts and the reference;
and two attempts of one question compared. The screens that host them retry and re-grade."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from mockinterview.models import Grade, Question
from mockinterview.review.compare import compare_grades, summary
from mockinterview.review.rows import format_score, format_seconds, rubric_or_none
from mockinterview.tui.corrections import CORRECT_BINDINGS, Corrector
from mockinterview.tui.widgets.grade_view import GradeView, highlighted_answer

if TYPE_CHECKING:
    from mockinterview.models import Grader
    from mockinterview.review.rows import BankLike
    from mockinterview.store import Attempt, Store

CHANGE_STYLES = {
    "gained": "bold green", "improved": "green", "lost": "bold red", "worse": "red",
    "kept": "", "still missed": "dim", "new": "cyan", "gone": "dim",
}  # fmt: skip


def question_or_stub(bank: BankLike | None, question_id: str) -> Question:
    """The bank's question, or a stand-in that says it is gone (its attempts still show)."""
    question = bank.questions.get(question_id) if bank is not None else None
    if question is not None:
        return question
    return Question(question_id, question_id, "(this question is no longer in the bank)", "")


def current_grade(store: Store, attempt: Attempt) -> tuple[Grade | None, list[str]]:
    """The newest grade and one line per grade the attempt has had, original first."""
    lines = []
    if attempt.grade is not None:
        lines.append(
            f"Original: {format_score(attempt.score, attempt.skipped)} by {attempt.grader}"
            f" on {attempt.submitted_at[:16].replace('T', ' ')}"
        )
    grade = attempt.grade
    for created_at, regrade in store.regrades(attempt.id):
        lines.append(
            f"Re-graded: {regrade.score:.0f} by {regrade.grader}"
            f" on {created_at[:16].replace('T', ' ')}"
        )
        grade = regrade
    if attempt.corrected is not None and not attempt.skipped:
        lines.append(correction_line(attempt.corrected))
    return grade, lines


def correction_line(corrected: Grade) -> str:
    """`Corrected by you: 85 (automatic 62)`, for the list of an attempt's grades."""
    data = corrected.extra.get("correction")
    automatic = data.get("automatic_score") if isinstance(data, dict) else None
    before = f" (automatic {float(automatic):.0f})" if isinstance(automatic, int | float) else ""
    return f"Corrected by you: {corrected.score:.0f}{before}"


class AttemptDetail(VerticalScroll):
    """Everything about one attempt; the newest grade is shown, older ones listed above it."""

    DEFAULT_CSS = """
    AttemptDetail { height: 1fr; padding: 0 1; }
    AttemptDetail > Static { height: auto; margin: 0 0 1 0; }
    AttemptDetail .detail-title { text-style: bold; color: $accent; margin: 0; }
    AttemptDetail #detail-reference { color: $text-muted; border: round $panel-lighten-2; }
    """

    def __init__(
        self,
        store: Store,
        bank: BankLike | None,
        attempt: Attempt,
        *,
        correct_keys: bool = False,
        **kw: Any,
    ) -> None:
        super().__init__(**kw)
        self.store = store
        self.bank = bank
        self.attempt = attempt
        self.correct_keys = correct_keys

    def compose(self) -> ComposeResult:
        attempt = self.attempt
        question = question_or_stub(self.bank, attempt.question_id)
        yield Static(
            Text(
                f"{question.title} ({question.id}) · {question.topic} · attempt #{attempt.id} · "
                f"{format_seconds(attempt.seconds)} · {len(attempt.hints)} hints"
            ),
            classes="detail-title",
        )
        yield Static(Text(question.question.strip()), id="detail-question")
        grade, history = current_grade(self.store, attempt)
        if history:
            yield Static(Text("\n".join(history)), id="detail-grades")
        if attempt.skipped or grade is None:
            yield Static("Skipped: no answer was graded." if attempt.skipped else "Not graded.")
            yield Static(Text(attempt.answer or "(empty)"), id="detail-answer")
        else:
            rubric = rubric_or_none(self.bank, attempt.question_id)
            yield GradeView(
                question,
                attempt.answer,
                grade,
                rubric,
                corrected=attempt.corrected,
                correct_keys=self.correct_keys,
            )
        if question.answer.strip():
            yield Static("Reference answer", classes="detail-title")
            yield Static(Text(question.answer.strip()), id="detail-reference")


class AttemptComparison(Vertical):
    """Two attempts of one question: the points gained and lost, and both answers."""

    DEFAULT_CSS = """
    AttemptComparison { height: 1fr; padding: 0 1; }
    AttemptComparison > Static { height: auto; margin: 0 0 1 0; }
    AttemptComparison #compare-answers { height: 1fr; }
    AttemptComparison .compare-answer { width: 1fr; height: 1fr; border: round $panel-lighten-2;
                                        padding: 0 1; }
    """

    def __init__(
        self,
        store: Store,
        bank: BankLike | None,
        older: Attempt,
        newer: Attempt,
        **kw: Any,
    ) -> None:
        super().__init__(**kw)
        self.store = store
        self.bank = bank
        self.older, self.newer = sorted((older, newer), key=lambda a: (a.submitted_at, a.id))

    def compose(self) -> ComposeResult:
        question = question_or_stub(self.bank, self.older.question_id)
        old_grade, _ = current_grade(self.store, self.older)
        new_grade, _ = current_grade(self.store, self.newer)
        empty = Grade(question.id, "none", 0.0, [])
        changes = compare_grades(old_grade or empty, new_grade or empty)
        yield Static(
            Text(
                f"{question.title} ({question.id}): attempt #{self.older.id} "
                f"({_when(self.older)}, {_score(old_grade)}) → #{self.newer.id} "
                f"({_when(self.newer)}, {_score(new_grade)})"
            ),
            classes="detail-title",
        )
        yield Static(summary(changes), id="compare-summary")
        table = Text()
        table.append(f"{'point':<40}{'before':<10}{'after':<10}change\n", "bold")
        for change in changes:
            table.append(
                f"{change.title[:38]:<40}{change.before or '-':<10}{change.after or '-':<10}"
            )
            table.append(f"{change.change}\n", CHANGE_STYLES.get(change.change, ""))
        yield Static(table, id="compare-points")
        with Horizontal(id="compare-answers"):
            for attempt, grade in ((self.older, old_grade), (self.newer, new_grade)):
                body = highlighted_answer(attempt.answer, grade.points if grade else [])
                with VerticalScroll(classes="compare-answer") as box:
                    box.border_title = f"#{attempt.id} · {_when(attempt)}"
                    yield Static(body)


def _when(attempt: Attempt) -> str:
    return attempt.submitted_at[:10]


def _score(grade: Grade | None) -> str:
    return "skipped" if grade is None else f"{grade.score:.0f}"


def offline_grader(screen: Screen[Any]) -> Grader:
    """The app's offline grader when it has one (already warm), else a fresh one."""
    maker = getattr(screen.app, "grader", None)
    if callable(maker):
        try:
            return maker("offline")
        except Exception:  # an app without graders still re-grades, with a fresh one
            pass
    from mockinterview.grading.factory import make_grader

    return make_grader("offline")


def start_practice(screen: Screen[Any], question_ids: list[str]) -> None:
    """Close the review screens (they would linger under the session), then start practising."""
    app = screen.app
    while len(app.screen_stack) > 1 and getattr(app.screen, "closes_on_practice", False):
        app.pop_screen()
    app.start_session(question_ids)  # type: ignore[attr-defined]


def retry(screen: Screen[Any], question_id: str, bank: BankLike | None) -> None:
    if bank is None or question_id not in bank.questions:
        screen.notify(f"{question_id} is no longer in the bank.", severity="warning")
        return
    start_practice(screen, [question_id])


class AttemptScreen(Corrector, Screen[bool]):
    """One attempt in full. Dismisses with True when it was re-graded or corrected (the table
    refreshes). The point's number corrects its verdict, as on the result screen."""

    closes_on_practice: ClassVar[bool] = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", "Back"),
        Binding("r", "retry", "Retry question"),
        Binding("g", "regrade", "Re-grade"),
        *CORRECT_BINDINGS,
    ]

    def __init__(self, store: Store, bank: BankLike | None, attempt: Attempt) -> None:
        super().__init__()
        self.store, self.bank, self.attempt = store, bank, attempt
        self.regraded = False
        self._load_correction()

    def _load_correction(self) -> None:
        """What corrections need (see `Corrector`), from the attempt as stored now."""
        attempt = self.attempt
        grade, _ = current_grade(self.store, attempt)
        self.correction_store = self.store
        self.correction_attempt_id = None if attempt.skipped or grade is None else attempt.id
        self.correction_question = question_or_stub(self.bank, attempt.question_id)
        self.correction_answer = attempt.answer
        self.correction_rubric = rubric_or_none(self.bank, attempt.question_id)
        self.automatic = grade or Grade(attempt.question_id, "none", 0.0, [])
        self.corrected = attempt.corrected

    def compose(self) -> ComposeResult:
        yield AttemptDetail(
            self.store,
            self.bank,
            self.attempt,
            correct_keys=self.correction_attempt_id is not None,
            id="attempt-detail",
        )
        yield Footer()

    async def correction_changed(self, corrected: Grade | None) -> None:
        """Both scores in the grade and in the list of grades; the table refreshes on back."""
        self.regraded = True
        fresh = self.store.attempt(self.attempt.id)
        if fresh is not None:
            self.attempt = fresh
        await self.query_one(GradeView).show_correction(corrected)
        _, history = current_grade(self.store, self.attempt)
        for widget in self.query("#detail-grades").results(Static):
            widget.update(Text("\n".join(history)))

    def action_back(self) -> None:
        self.dismiss(self.regraded)

    def action_retry(self) -> None:
        retry(self, self.attempt.question_id, self.bank)

    async def action_regrade(self) -> None:
        from mockinterview.review.regrade import regrade_attempts

        if self.bank is None:
            self.notify("No bank loaded: nothing to re-grade against.", severity="warning")
            return
        report = regrade_attempts(self.store, self.bank, offline_grader(self), [self.attempt.id])
        if not report.regraded:
            self.notify(report.skipped[0][1].capitalize() + ".", severity="warning")
            return
        done = report.regraded[0]
        self.regraded = True
        self.notify(f"Re-graded: {format_score(done.before)} → {format_score(done.after)}.")
        self.attempt = self.store.attempt(self.attempt.id) or self.attempt
        self._load_correction()
        await self.recompose()


class CompareScreen(Screen[None]):
    """Two attempts of one question side by side."""

    closes_on_practice: ClassVar[bool] = True
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "app.pop_screen", "Back")]

    def __init__(
        self, store: Store, bank: BankLike | None, first: Attempt, second: Attempt
    ) -> None:
        super().__init__()
        self.store, self.bank, self.first, self.second = store, bank, first, second

    def compose(self) -> ComposeResult:
        yield AttemptComparison(self.store, self.bank, self.first, self.second, id="comparison")
        yield Footer()
