"""Correcting a grade point by point where a stored attempt is shown (the result screen and
a reviewed attempt): the point's number flips its verdict, pressed again it undoes; marking a
missed point covered offers to remember the words used for it (a rubric overlay).

A mixin of those screens; the work itself is in the core (`review.corrections`,
`rubrics.overlay`), so the command line and the tests see the same corrections.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType

from mockinterview.tui.host import HostedScreen, offline_grader

if TYPE_CHECKING:
    from mockinterview.models import Grade, PointResult, Question, Rubric
    from mockinterview.store import Store

CORRECT_BINDINGS: list[BindingType] = [
    Binding("1", "correct(1)", "Correct a point", key_display="1-9"),
    *(Binding(str(n), f"correct({n})", "Correct a point", show=False) for n in range(2, 10)),
]


class Corrector(HostedScreen):
    """What a screen showing one stored attempt needs to let the candidate correct it."""

    # set by the screen
    correction_attempt_id: int | None
    correction_question: Question
    correction_answer: str
    correction_rubric: Rubric | None
    automatic: Grade
    corrected: Grade | None
    _recall_cache: tuple[Grade, float | None] | None = None  # (automatic grade, its recall)

    @property
    def correction_store(self) -> Store:
        """Where the attempt is stored (the screen's)."""
        raise NotImplementedError

    async def correction_changed(self, corrected: Grade | None) -> None:
        """Show the new correction (the screen's own layout)."""
        raise NotImplementedError

    def _correction_recall(self) -> float | None:
        from mockinterview.grading.explain import reference_recall

        cached = self._recall_cache
        if cached is not None and cached[0] is self.automatic:
            return cached[1]
        recall = reference_recall(self.correction_question, self.correction_answer, self.automatic)
        self._recall_cache = (self.automatic, recall)
        return recall

    async def action_correct(self, number: int) -> None:
        """Flip the verdict of rubric point `number` (a miss or partial becomes a hit, a hit a
        miss); pressed again, the grader's verdict is back."""
        from mockinterview.review.corrections import overrides_of, save, toggle
        from mockinterview.store import StoreError

        points = self.automatic.points
        if not 1 <= number <= len(points):
            if points:
                self.notify(
                    f"This rubric has {len(points)} point(s): press 1-{min(len(points), 9)}.",
                    severity="warning",
                )
            return
        if self.correction_attempt_id is None:
            self.notify(
                "This attempt was not stored, so it cannot be corrected.", severity="warning"
            )
            return
        point = points[number - 1]
        overrides = toggle(self.automatic, overrides_of(self.corrected), point.id)
        rubric = self.correction_rubric
        try:
            corrected = save(
                self.correction_store,
                self.correction_attempt_id,
                self.automatic,
                overrides,
                required=rubric.required if rubric is not None else None,
                recall=self._correction_recall(),
            )
        except StoreError as exc:
            self.notify(f"Correction not saved: {exc}", severity="error", markup=False)
            return
        self.corrected = corrected
        await self.correction_changed(corrected)
        now = overrides.get(point.id, point.verdict)
        if now == "hit" and point.verdict != "hit":
            self._offer_to_remember(point)

    def _offer_to_remember(self, point: PointResult) -> None:
        """Ask whether to remember the answer's words for the point, in the candidate's
        rubric overlay, so the same wording earns it the next time."""
        from mockinterview.rubrics.overlay import suggest_phrase
        from mockinterview.tui.screens.remember import RememberScreen

        root = getattr(self.host.bank, "overlays_root", None)  # not every bank keeps overlays
        if root is None or not self.correction_answer.strip():
            return
        rubric = self.correction_rubric
        rubric_point = rubric.point(point.id) if rubric is not None else None
        phrase = suggest_phrase(
            self.correction_answer,
            rubric_point.text if rubric_point is not None else "",
            point.title,
            self.correction_question.question,
        )
        if not phrase:
            return

        def remembered(chosen: str | None) -> None:
            if chosen:
                self._remember(point, chosen)

        self.app.push_screen(RememberScreen(point.title, phrase), remembered)

    def _remember(self, point: PointResult, phrase: str) -> None:
        from mockinterview.rubrics.overlay import overlay_path, remember

        root = self.host.bank.overlays_root
        if root is None:
            return
        qid = self.correction_question.id
        try:
            path = remember(root, qid, point.id, phrase)
        except Exception as exc:  # a hand-broken overlay file, a read-only data dir
            where = overlay_path(root, qid)
            self.notify(f"Not remembered: {where}: {exc}", severity="error", markup=False)
            return
        forget = getattr(self.app, "forget_rubric", None)  # hosts of review alone cache no rubric
        if callable(forget):
            forget(qid)
        self.notify(
            f"Remembered “{phrase}” for “{point.title}” in your rubric overlay "
            f"({path.parent.name}/{path.name}).{self._preview(point)}",
            markup=False,
            timeout=8,
        )

    def _preview(self, point: PointResult) -> str:
        """What the phrase now earns this very answer, graded offline with the new rubric."""
        try:
            grader = offline_grader(self.app)
            rubric = self.host.bank.rubric_for(self.correction_question.id)
            grade = grader.grade(self.correction_question, rubric, self.correction_answer)
        except Exception:
            return ""
        found = next((p for p in grade.points if p.id == point.id), None)
        if found is None:
            return ""
        if found.verdict == "hit":
            return " Graded again, this answer now earns it."
        return (
            f" Graded again, this answer gets it as a {found.verdict}: the point's reference "
            "words count too."
        )
