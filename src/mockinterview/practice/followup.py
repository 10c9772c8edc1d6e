"""The interviewer's follow-up: one more question about what the answer left open.

After a graded answer, a session asks one follow-up before the result (`SessionPlan.follow_ups`,
on by default). With the LLM grader it is the model's own follow-up question; offline (or when
the model gave none, or its question quotes the reference) it is written here from the most
important missed or partial rubric point: its title and a few key terms, in a fixed sentence
("A point you didn't cover: “Receptive field”. What would you say about it? Think of “stride”
and “pooling”."). It never quotes
the reference answer: no run of five words of the reference survives (`quotes_reference`).

The answer to it is graded by the same grader against the points still open and folded into
the question's grade (`grading.followup.merge_follow_up`): it can raise those points, never
lower one. No Textual here: the app and the tests drive it alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mockinterview.grading.followup import merge_follow_up, open_point_ids, restricted_rubric
from mockinterview.models import Grade, Grader, Question, Rubric, RubricPoint
from mockinterview.text.analysis import STOP_WORDS, WEAK_WORDS

if TYPE_CHECKING:
    from mockinterview.store.records import FollowUpRecord

QUOTE_RUN = 5  # this many words of the reference in a row is a quote
MAX_TERMS = 2
MAX_TITLE_WORDS = 8
_WORDS = re.compile(r"\w+")


@dataclass(slots=True)
class FollowUp:
    """A follow-up to ask: its text, the points it is graded against (those still open), where
    it came from ("llm" or "offline") and, offline, the point it asks about."""

    question: str
    point_ids: list[str]
    source: str = "offline"
    focus: str | None = None


@dataclass(slots=True)
class FollowUpOutcome:
    """What became of a follow-up: answered (with its own grade and the merged grade of the
    question) or skipped (no grade; the question's grade is unchanged)."""

    follow_up: FollowUp
    answer: str = ""
    skipped: bool = False
    grade: Grade | None = None  # the follow-up answer's grade, on the open points only
    merged: Grade | None = None  # the question's grade with the follow-up folded in
    seconds: float = 0.0
    raised: list[str] = field(default_factory=list)

    def record(self, score_before: float | None) -> FollowUpRecord:
        """What the store keeps of it (`Store.record_follow_up`)."""
        from mockinterview.store.records import FollowUpRecord

        return FollowUpRecord(
            question=self.follow_up.question,
            status="skipped" if self.skipped else "answered",
            source=self.follow_up.source,
            point_ids=list(self.follow_up.point_ids),
            answer=self.answer,
            grade=self.grade,
            score_before=None if self.skipped else score_before,
            raised=list(self.raised),
            seconds=round(self.seconds, 1),
        )


def _words(text: str) -> list[str]:
    return _WORDS.findall(text.lower())


def quotes_reference(text: str, reference: str, run: int = QUOTE_RUN) -> bool:
    """Whether `text` holds `run` words in a row (case and punctuation aside) of `reference`."""
    ref = _words(reference)
    grams = {tuple(ref[i : i + run]) for i in range(len(ref) - run + 1)}
    words = _words(text)
    return any(tuple(words[i : i + run]) in grams for i in range(len(words) - run + 1))


def choose_point(grade: Grade, rubric: Rubric) -> RubricPoint | None:
    """The most important open point: the heaviest, a miss before a partial, then in rubric
    order; None when every point was hit (nothing to follow up)."""
    verdicts = {p.id: p.verdict for p in grade.points}
    candidates = [
        (-point.weight, verdicts.get(point.id) != "miss", index, point)
        for index, point in enumerate(rubric.points)
        if verdicts.get(point.id, "miss") != "hit" and point.id in verdicts
    ]
    return min(candidates, key=lambda c: c[:3])[3] if candidates else None


def _plain(text: str) -> str:
    return " ".join(text.replace("`", "").replace("*", "").split()).strip(" .:;,")


def _title(point: RubricPoint) -> str:
    """The point's title as a quoted label (at most eight words): titles are noun phrases
    ("Receptive field"), verb phrases ("Retains the benefits") or questions ("Why so low"), and
    only a label reads right for all of them."""
    words = _plain(point.title or point.id).split()
    return " ".join(words[:MAX_TITLE_WORDS])


def _meaningful(word: str) -> bool:
    return len(word) > 3 and word not in STOP_WORDS and word not in WEAK_WORDS


def key_terms(point: RubricPoint, limit: int = MAX_TERMS) -> list[str]:
    """A few terms that name the point's ideas without saying them: the first alternative of
    each keyword group that the title does not already say, else the point text's longest
    meaningful words. Never more than three words each."""
    said = set(_words(point.title))
    terms: list[str] = []
    for group in point.keywords:
        for alternative in group:
            words = _words(alternative)
            if (
                0 < len(words) <= 3
                and not any(ch.isdigit() for ch in alternative)
                and not set(words) <= said
                and any(map(_meaningful, words))
            ):
                if alternative.lower() not in terms:
                    terms.append(_plain(alternative).lower())
                break
        if len(terms) >= limit:
            return terms
    for word in sorted(dict.fromkeys(_words(point.text)), key=len, reverse=True):
        if len(terms) >= limit:
            break
        if _meaningful(word) and word not in said and not word.isdigit() and word not in terms:
            terms.append(word)
    return terms


def offline_question(point: RubricPoint, verdict: str, reference: str) -> str:
    """The follow-up about one open point: its title as a label and its key terms as a hint,
    in a fixed sentence that reads right whatever the terms are ("Think of “merge” and
    “no extra latency”"); the first wording that quotes no five words of `reference`."""
    title = _title(point)
    short_words = title.split()[:3]
    while len(short_words) > 1 and short_words[-1].lower() in STOP_WORDS:
        short_words.pop()  # "Human review and" reads as a cut; "Human review" does not
    short = " ".join(short_words)
    terms = key_terms(point)
    opening = "A point you only touched on" if verdict == "partial" else "A point you didn't cover"
    ask = "What would you say about it?"
    hint = " and ".join(f"“{term}”" for term in terms)
    hint = f" Think of {hint}." if hint else ""
    candidates = [
        f"{opening}: “{title}”. {ask}{hint}",
        f"{opening}: “{short}”. {ask}{hint}",
        f"{opening}: “{title}”. {ask}",
        f"One point is still open. {ask}{hint}",
        "What would you add?",
    ]
    return next(c for c in candidates if not quotes_reference(c, reference))


def follow_up_for(question: Question, rubric: Rubric, grade: Grade, answer: str) -> FollowUp | None:
    """The follow-up to ask after `grade`, or None when every point was hit or the answer was
    empty (nothing was said to follow up on)."""
    open_ids = [pid for pid in open_point_ids(grade) if rubric.point(pid) is not None]
    if not open_ids or not answer.strip():
        return None
    model_question = grade.extra.get("follow_up")
    if (
        isinstance(model_question, str)
        and model_question.strip()
        and grade.grader.startswith("llm")
        and not quotes_reference(model_question, question.answer)
    ):
        return FollowUp(" ".join(model_question.split()), open_ids, source="llm")
    point = choose_point(grade, rubric)
    if point is None:
        return None
    verdict = next((p.verdict for p in grade.points if p.id == point.id), "miss")
    text = offline_question(point, verdict, question.answer)
    return FollowUp(text, open_ids, source="offline", focus=point.id)


def answer_follow_up(
    grader: Grader,
    question: Question,
    rubric: Rubric,
    grade: Grade,
    first_answer: str,
    follow_up: FollowUp,
    reply: str,
) -> FollowUpOutcome:
    """Grade `reply` with `grader` against the points still open and fold it into `grade`.

    The merged score is computed as the grade's own was: the offline grader's blend of the
    first answer's recall of the reference, its curated scoring; an LLM grade's plain total."""
    from mockinterview.grading.explain import is_offline, reference_recall
    from mockinterview.grading.followup import raised_point_ids

    restricted = restricted_rubric(rubric, follow_up.point_ids)
    follow_grade = grader.grade(question, restricted, reply)
    offline = is_offline(grade)
    merged = merge_follow_up(
        grade,
        follow_grade,
        required=rubric.required,
        recall=reference_recall(question, first_answer, grade),
        curated=offline and (rubric.curated or bool(grade.extra.get("curated"))),
    )
    return FollowUpOutcome(
        follow_up, answer=reply, grade=follow_grade, merged=merged, raised=raised_point_ids(merged)
    )
