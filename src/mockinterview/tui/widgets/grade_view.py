"""A graded answer laid out point by point, with the words that earned each point highlighted.

Self-contained so the result screen and the review screens show a grade the same way. Answers,
quotes, titles, notes, references and model feedback are untrusted: they are shown through
`safe_line` / `safe_block` (`text.safe`), as Rich `Text` (never parsed as markup), so an escape
sequence in an answer shows as `␛[2J` instead of clearing the screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from mockinterview.models import Grade, PointResult, Question, Rubric
from mockinterview.text.safe import one_line, visible

if TYPE_CHECKING:
    from mockinterview.store.records import FollowUpRecord

SHOWN_ANSWER_CHARS = 20_000  # beyond this the answer is cut: a 100k paste must not stall layout
VERDICT_MARKS = {"hit": "✔ hit", "partial": "◐ partial", "miss": "✘ miss"}
VERDICT_STYLES = {"hit": "bold green", "partial": "bold yellow", "miss": "bold red"}
EVIDENCE_STYLES = {"hit": "bold black on green3", "partial": "bold black on yellow3"}


def score_band(score: float) -> str:
    """A CSS class for the score: good, fair or poor."""
    if score >= 70:
        return "good"
    return "fair" if score >= 40 else "poor"


def safe_line(text: object, style: str = "") -> Text:
    """Untrusted text on one line (a title, a quote): controls shown, whitespace folded."""
    return Text(one_line(str(text)), style)


def safe_block(text: object, style: str = "") -> Text:
    """Untrusted text kept in its lines (an answer, a reference): controls shown."""
    return Text(visible(str(text)), style)


def _visible_with_offsets(text: str, cuts: set[int]) -> tuple[str, dict[int, int]]:
    """`visible(text)` and where each offset in `cuts` lands in it: a C1 or bidi character
    shows as several (`<U+202E>`), so evidence offsets move with them."""
    shown, where, done = [], {0: 0}, 0
    length = 0
    for cut in sorted(c for c in cuts if 0 < c <= len(text)):
        piece = visible(text[done:cut])
        shown.append(piece)
        length += len(piece)
        where[cut] = length
        done = cut
    shown.append(visible(text[done:]))
    return "".join(shown), where


def highlighted_answer(answer: str, points: list[PointResult]) -> Text:
    """The answer with every evidence span styled by its point's verdict (hits win overlaps),
    its control characters shown (`safe_block`) and the spans moved to match."""
    shown = answer[:SHOWN_ANSWER_CHARS]
    spans = []
    for verdict in ("partial", "hit"):
        for point in points:
            if point.verdict != verdict:
                continue
            for ev in point.evidence:
                start, end = max(0, ev.start), min(len(shown), ev.end)
                if start < end:
                    spans.append((EVIDENCE_STYLES[verdict], start, end))
    safe = visible(shown)
    where: dict[int, int] | None = None
    if safe != shown:
        safe, where = _visible_with_offsets(shown, {o for _, s, e in spans for o in (s, e)})
    text = Text(safe)
    for style, start, end in spans:
        if where is not None:
            start, end = where[start], where[end]
        text.stylize(style, start, end)
    if len(answer) > SHOWN_ANSWER_CHARS:
        text.append(f"\n… ({len(answer) - SHOWN_ANSWER_CHARS:,} more characters not shown)", "dim")
    return text


def point_line(
    point: PointResult,
    key: str | None = None,
    automatic_verdict: str | None = None,
    raised: bool = False,
) -> Text:
    """The verdict and title of a point, e.g. `✔ hit     Bias means underfitting`; with the
    `key` that corrects it in front (`1 ✔ hit ...`), the grader's verdict after a point the
    candidate corrected, and `(raised by your follow-up)` after one a follow-up raised."""
    line = Text()
    if key is not None:
        line.append(f"{key} ", "bold reverse")
        line.append(" ")
    mark = VERDICT_MARKS.get(point.verdict, point.verdict)
    line.append(f"{mark:<10}", VERDICT_STYLES.get(point.verdict, ""))
    line.append(one_line(str(point.title)), "bold")
    if point.weight != 1.0:
        line.append(f"  ×{point.weight:g}", "dim")
    if automatic_verdict is not None and automatic_verdict != point.verdict:
        line.append(f"  (corrected from {automatic_verdict})", "italic")
    elif raised:
        line.append("  (raised by your follow-up)", "italic")
    return line


def point_details(point: PointResult) -> Text:
    """The words that earned the point and, for a miss, the grader's note on why."""
    details = Text()
    quotes = list(dict.fromkeys(one_line(ev.text) for ev in point.evidence if ev.text.strip()))
    if point.verdict == "miss":
        quotes = []  # words that matched too little to earn anything: the note says which
    if quotes:
        details.append("earned by " if point.verdict == "hit" else "partly earned by ", "dim")
        details.append("; ".join(f"“{q[:80]}”" for q in quotes[:4]), "italic")
    if point.note and point.verdict != "hit":
        if quotes:
            details.append("\n")
        details.append(visible(point.note), "dim")
    return details


def llm_usage(grade: Grade) -> str:
    """`model gpt-4o-mini · tokens: 700 prompt + 112 completion (...); estimated cost $0.0003`
    for an LLM grade; "" for any other (the LLM report module is imported only then)."""
    extra = grade.extra
    if not (grade.grader.startswith("llm") or "tokens" in extra or "cost_usd" in extra):
        return ""
    from mockinterview.grading.llm.report import usage_line

    parts = [f"model {extra['model']}"] if extra.get("model") else []
    usage = usage_line(grade)
    if usage:
        parts.append(usage)
    return " · ".join(parts)


class GradeView(Vertical):
    """Score, warnings, per-point verdicts with evidence, missed references, the answer."""

    DEFAULT_CSS = """
    GradeView { height: auto; }
    GradeView > Static { height: auto; margin: 0 0 1 0; }
    GradeView .section-title { text-style: bold; color: $accent; margin: 0; }
    GradeView #grade-score { text-style: bold; }
    GradeView #grade-score.good { color: $success; }
    GradeView #grade-score.fair { color: $warning; }
    GradeView #grade-score.poor { color: $error; }
    GradeView .grade-warning { color: $warning; }
    GradeView #grade-usage { color: $text-muted; }
    GradeView #grade-explain { color: $text-muted; }
    GradeView .point-detail { padding: 0 0 0 10; margin: 0; }
    GradeView .missed-reference { padding: 0 0 0 10; margin: 0; color: $text; }
    GradeView .point { margin: 0; }
    GradeView #grade-answer { border: round $panel-lighten-2; padding: 0 1; }
    GradeView #follow-up-asked { text-style: italic; }
    GradeView #follow-up-reply { border: round $panel-lighten-2; padding: 0 1; }
    """

    def __init__(
        self,
        question: Question,
        answer: str,
        grade: Grade,
        rubric: Rubric | None = None,
        *,
        corrected: Grade | None = None,
        correct_keys: bool = False,
        follow_up: FollowUpRecord | None = None,
        **kwargs: Any,
    ) -> None:
        """`grade` is the automatic grade; `corrected` the candidate's correction of it, shown
        instead (both scores in the headline); `correct_keys` puts each point's key in front;
        `follow_up` the interviewer's follow-up (asked and answered, or skipped), shown after
        the rubric."""
        super().__init__(**kwargs)
        self.follow_up = follow_up
        self.question = question
        self.answer = answer
        self.automatic = grade
        self.corrected = corrected
        self.rubric = rubric
        self.correct_keys = correct_keys

    @property
    def grade(self) -> Grade:
        """The grade shown: the candidate's correction when there is one."""
        return self.corrected if self.corrected is not None else self.automatic

    async def show_correction(self, corrected: Grade | None) -> None:
        """Show a new correction (None: the automatic grade again), laid out afresh."""
        self.corrected = corrected
        await self.recompose()

    def _headline(self) -> str:
        grade, automatic = self.grade, self.automatic
        hits = sum(p.verdict == "hit" for p in grade.points)
        partly = sum(p.verdict == "partial" for p in grade.points)
        covered = f"{hits} of {len(grade.points)} points hit"
        if partly:  # the score counts half-covered points too: say so, or it looks too high
            covered += f", {partly} partly"
        if self.corrected is None:
            from mockinterview.grading.followup import score_before_follow_up

            before = score_before_follow_up(grade)
            if before is not None and before != grade.score:
                return (
                    f"Score {before:.0f} → {grade.score:.0f} (raised by your follow-up) · "
                    f"{covered} · graded by {grade.grader}"
                )
            return f"Score {grade.score:.0f}/100 · {covered} · graded by {grade.grader}"
        return (
            f"Score {automatic.score:.0f} → {grade.score:.0f} (your correction) · {covered} · "
            f"by {automatic.grader}"
        )

    def _explanation(self) -> list[str]:
        from mockinterview.grading.explain import explain, reference_recall

        try:
            recall = reference_recall(self.question, self.answer, self.automatic)
            count = len(self.grade.points)
            hint = (
                f"press its number (1-{min(count, 9)}) to mark it covered"
                if self.correct_keys and count
                else None
            )
            required = self.rubric.required if self.rubric is not None else None
            return explain(
                self.grade, self.answer, recall=recall, required=required, correct_hint=hint
            ).lines()
        except Exception:  # an explanation is a bonus: never let it break the result screen
            return []

    def compose(self) -> ComposeResult:
        grade = self.grade
        yield Static(
            safe_line(self._headline()),
            id="grade-score",
            classes=score_band(grade.score),
            markup=False,
        )
        explanation = self._explanation()
        if explanation:
            yield Static(safe_block("\n".join(explanation)), id="grade-explain")
        usage = llm_usage(self.automatic)
        if usage:
            yield Static(safe_line(usage), id="grade-usage")
        for warning in grade.warnings:
            yield Static(safe_block(f"⚠ {warning}"), classes="grade-warning")
        if grade.feedback:
            yield Static(safe_block(grade.feedback), id="grade-feedback")
        follow_up = grade.extra.get("follow_up")
        if follow_up and self.follow_up is None:  # asked already: shown below the rubric
            yield Static(
                safe_block(f"An interviewer might ask next: {follow_up}"), id="grade-follow-up"
            )
        yield Static("Rubric", classes="section-title")
        from mockinterview.grading.followup import raised_point_ids

        automatic = {p.id: p.verdict for p in self.automatic.points}
        raised = set(raised_point_ids(self.automatic))
        for number, point in enumerate(grade.points, start=1):
            key = str(number) if self.correct_keys and number <= 9 else None
            line = point_line(point, key, automatic.get(point.id), point.id in raised)
            yield Static(line, classes=f"point verdict-{point.verdict}")
            details = point_details(point)
            if details.plain:
                yield Static(details, classes="point-detail")
            reference = self._reference(point)
            if point.verdict != "hit" and reference:
                yield Static(
                    Text.assemble(("reference: ", "bold"), visible(reference)),
                    classes="missed-reference",
                )
        yield from self._disagreements()
        yield Static("Your answer", classes="section-title")
        body = highlighted_answer(self.answer, grade.points) if self.answer.strip() else "(empty)"
        yield Static(body, id="grade-answer")
        yield from self._follow_up()

    def _follow_up(self) -> ComposeResult:
        """The follow-up asked, and the answer to it (or that it was skipped)."""
        follow_up = self.follow_up
        if follow_up is None:
            return
        yield Static("Follow-up", classes="section-title")
        yield Static(safe_block(follow_up.question), id="follow-up-asked")
        if follow_up.skipped:
            if follow_up.answer.strip():  # typed before skipping, or before the app was killed
                yield Static(safe_block(follow_up.answer.strip()), id="follow-up-reply")
            yield Static(
                "Skipped: the grade is the one of your answer alone.", id="follow-up-result"
            )
            return
        yield Static(safe_block(follow_up.answer.strip() or "(empty)"), id="follow-up-reply")
        titles = {p.id: p.title for p in self.automatic.points}
        raised = [one_line(str(titles.get(pid, pid))) for pid in follow_up.raised]
        yield Static(
            safe_block(
                "It raised: " + "; ".join(raised) + "."
                if raised
                else "It earned no further points: the grade is the one of your answer alone."
            ),
            id="follow-up-result",
        )

    def _reference(self, point: PointResult) -> str:
        if self.rubric is None:
            return ""
        rubric_point = self.rubric.point(point.id)
        return rubric_point.text.strip() if rubric_point else ""

    def _disagreements(self) -> ComposeResult:
        """LLM and offline verdicts side by side, where both graders ran and differ."""
        offline_data = self.automatic.extra.get("offline_grade")
        if not isinstance(offline_data, dict):
            return
        try:
            from mockinterview.grading.compare import disagreements

            offline = Grade.from_dict(offline_data)
            rows = list(disagreements(self.automatic, offline))
        except Exception:  # the comparison is a bonus: never let it break the result screen
            return
        if not rows:
            return
        yield Static("Where the graders disagree", classes="section-title")
        yield Static(_disagreement_table(rows), id="grade-disagreements")


def _disagreement_table(rows: list[Any]) -> Text:
    """One line per point the graders judged differently: title, LLM verdict, offline verdict."""
    text = Text()
    text.append(f"{'point':<40}{'LLM':<10}offline\n", "bold")
    for row in rows:
        title = one_line(str(getattr(row, "title", "") or getattr(row, "point_id", row)))
        llm = one_line(str(getattr(row, "llm_verdict", "-")))
        offline = one_line(str(getattr(row, "offline_verdict", "-")))
        text.append(f"{title[:38]:<40}")
        text.append(f"{llm:<10}", VERDICT_STYLES.get(llm, ""))
        text.append(f"{offline}\n", VERDICT_STYLES.get(offline, ""))
    return text
