"""Progress figures: last, best and trend per question and topic, most-missed rubric points,
streaks and totals.

Scores come from one time-ordered scan (`store.figures.timeline`, no grade JSON parsed) that
the trends and the review queue share; the most-missed points from a GROUP BY over the rubric
points the store keeps as rows. The queries are the store's; this module makes figures of them.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from mockinterview.review.rows import NOT_IN_BANK, BankLike
from mockinterview.store import figures
from mockinterview.store.figures import TimelineRow

if TYPE_CHECKING:
    from mockinterview.store import Store

TREND_LENGTH = 30  # scores kept per series: what a sparkline can show


@dataclass(slots=True)
class Progress:
    """Scores of one question or one topic, oldest first."""

    key: str
    attempts: int = 0
    scores: list[float] = field(default_factory=list)
    questions: int = 1

    @property
    def last(self) -> float | None:
        return self.scores[-1] if self.scores else None

    @property
    def best(self) -> float | None:
        return max(self.scores) if self.scores else None

    @property
    def trend(self) -> list[float]:
        return self.scores[-TREND_LENGTH:]

    @property
    def slope(self) -> float:
        """Points gained per attempt over the recent trend (least squares); 0 when flat/short."""
        recent = self.trend
        if len(recent) < 2 or len(set(recent)) == 1:
            return 0.0
        return statistics.linear_regression(range(len(recent)), recent).slope


@dataclass(slots=True)
class MissedPoint:
    question_id: str
    point_id: str
    title: str
    misses: int
    partials: int
    seen: int

    @property
    def miss_rate(self) -> float:
        return (self.misses + 0.5 * self.partials) / self.seen if self.seen else 0.0


@dataclass(slots=True)
class Totals:
    attempts: int = 0
    graded: int = 0
    skipped: int = 0
    questions: int = 0
    sessions: int = 0
    seconds: float = 0.0
    average: float | None = None
    days: int = 0
    current_streak: int = 0
    longest_streak: int = 0
    last_day: str | None = None


def question_progress(
    store: Store, rows: Sequence[TimelineRow] | None = None
) -> dict[str, Progress]:
    """Per question id, scored attempts in time order (skips count as attempts, not scores).

    Pass `rows` (from `store.figures.timeline`) to reuse a scan already made.
    """
    rows = figures.timeline(store) if rows is None else rows
    progress: dict[str, Progress] = {}
    for qid, count in figures.attempts_per_question(store):
        progress[qid] = Progress(qid, attempts=count)
    for qid, _, _, score in rows:
        if score is not None:
            progress[qid].scores.append(float(score))
    return progress


def topic_progress(
    store: Store,
    bank: BankLike | None,
    per_question: dict[str, Progress] | None = None,
    rows: Sequence[TimelineRow] | None = None,
) -> dict[str, Progress]:
    """Per topic: every scored attempt of its questions in time order."""
    rows = figures.timeline(store) if rows is None else rows
    per_question = per_question if per_question is not None else question_progress(store, rows)
    questions = bank.questions if bank is not None else {}

    def topic_of(qid: str) -> str:
        question = questions.get(qid)
        return question.topic if question is not None else NOT_IN_BANK

    topics: dict[str, Progress] = {}
    topic_scores: dict[str, list[float]] = {}
    for qid, item in per_question.items():
        topic = topics.setdefault(topic_of(qid), Progress(topic_of(qid), questions=0))
        topic.attempts += item.attempts
        topic.questions += 1
        topic_scores[qid] = topic.scores
    for qid, _, _, score in rows:
        if score is not None:
            scores = topic_scores.get(qid)
            if scores is None:  # a per_question made from another scan may lack it
                scores = topics[topic_of(qid)].scores
            scores.append(float(score))
    return topics


def most_missed_points(store: Store, limit: int = 10) -> list[MissedPoint]:
    """Rubric points missed (or half-covered) most often across all graded attempts.

    Counts the points of each attempt's current grade (the candidate's correction, else its
    newest re-grade, else its own), not of skipped attempts: the `grade_points` rows marked
    `counted`, read from one covering index.
    """
    return [
        MissedPoint(qid, str(pid), title or str(pid), misses, partials, seen)
        for qid, pid, title, misses, partials, seen in figures.most_missed_point_counts(
            store, limit
        )
    ]


def _streaks(days: list[date], today: date) -> tuple[int, int]:
    """(current, longest) runs of consecutive practice days; current ends today or yesterday."""
    longest = run = 0
    previous: date | None = None
    for day in days:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    current = run if previous is not None and today - previous <= timedelta(days=1) else 0
    return current, longest


def totals(store: Store, today: date | None = None) -> Totals:
    """Counts, time spent, average current score, practice days and streaks (UTC days)."""
    counts = figures.attempt_totals(store)
    days: list[date] = []
    for text in figures.practice_days(store):
        try:
            days.append(date.fromisoformat(text))
        except (TypeError, ValueError):
            continue
    current, longest = _streaks(days, today or datetime.now(UTC).date())
    return Totals(
        attempts=counts.attempts,
        graded=counts.graded,
        skipped=counts.skipped,
        questions=counts.questions,
        sessions=counts.sessions,
        seconds=counts.seconds,
        average=counts.average,
        days=len(days),
        current_streak=current,
        longest_streak=longest,
        last_day=days[-1].isoformat() if days else None,
    )


def sparkline_text(values: list[float], maximum: float = 100.0) -> str:
    """A one-line Unicode sparkline for plain-text output (the TUI uses Textual's Sparkline)."""
    bars = "▁▂▃▄▅▆▇█"
    if not values:
        return ""
    return "".join(bars[min(7, max(0, int(v / maximum * 7.999)))] for v in values)
