"""What to practise next: a spaced-repetition queue driven by graded coverage.

Each question (and each rubric point) is an FSRS card. Instead of asking the candidate how well
they remembered, the grade answers: the share of the rubric covered becomes the rating (below 40
Again, below 65 Hard, below 85 Good, else Easy; a skip is Again). Replaying a question's attempts
through the scheduler gives its due date. The queue puts never-attempted questions first, then
the due ones weakest first (a question whose rubric points are due counts as due), then the rest
by due date.

About a thousand cards are replayed for a 200-question bank, so the replay does the FSRS
arithmetic of this module's scheduler itself (`_FastReplay`, a few µs a review instead of the
library's ~25 µs); it checks itself against `fsrs.Scheduler` once per process and falls back to
the library if they ever disagree (a new fsrs release changing its formulas, say).
"""

from __future__ import annotations

import functools
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from mockinterview.review.stats import TimelineRow, timeline

if TYPE_CHECKING:
    from fsrs import Card, Rating, Scheduler

    from mockinterview.store import Store

# Replaying only the newest reviews of a card keeps 10,000 attempts cheap; FSRS state is
# dominated by recent reviews anyway.
QUESTION_HISTORY = 12
POINT_HISTORY = 8


def rating_value(score: float | None) -> int:
    """The FSRS rating (1 Again .. 4 Easy) a graded coverage (0-100) earns; None (skipped) is
    Again. An int, so the replay's hot loop needs no enum."""
    if score is None or score < 40:
        return 1
    if score < 65:
        return 2
    if score < 85:
        return 3
    return 4


def rating_for(score: float | None) -> Rating:
    from fsrs import Rating

    return Rating(rating_value(score))


def _scheduler() -> Scheduler:
    """Day-granular and deterministic: no minute learning steps, no fuzz."""
    from fsrs import Scheduler

    return Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def _when(text: str, fallback: datetime) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return fallback
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _replay(scheduler: Scheduler, reviews: list[tuple[str, float | None]], now: datetime) -> Card:
    """The card after the reviews, oldest first, as the fsrs library computes it."""
    from fsrs import Card

    card = Card(card_id=1, due=now)
    for submitted_at, score in reviews:
        moment = min(_when(submitted_at, now), now)
        if card.last_review is not None and moment < card.last_review:
            moment = card.last_review
        card, _ = scheduler.review_card(card, rating_for(score), review_datetime=moment)
    return card


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_DAY_US = 86_400_000_000


class _FastReplay:
    """FSRS review arithmetic for `_scheduler()`'s settings only: no learning or relearning
    steps, no fuzz, so every review leaves the card in the Review state.

    Each formula is fsrs 6's (`Scheduler._initial_stability`, `_next_difficulty`, ...) with its
    operations in the same order, so results are bit-identical; `_fast_replay_agrees` checks
    that against the library before this is used.
    """

    def __init__(self, scheduler: Scheduler) -> None:
        w = tuple(scheduler.parameters)
        self.w = w
        self.decay = -w[20]
        self.factor = 0.9 ** (1 / self.decay) - 1
        self.interval_scale = (scheduler.desired_retention ** (1 / self.decay)) - 1
        self.maximum_interval = scheduler.maximum_interval
        e = math.e
        self.easy_difficulty = w[4] - (e ** (w[5] * (4 - 1))) + 1  # _initial_difficulty(Easy)
        self.forget_short_divisor = e ** (w[17] * w[18])
        self.recall_base = e ** w[8]

    def replay(
        self,
        reviews: Sequence[tuple[str, float | None]],
        now: datetime,
        moments: dict[str, tuple[datetime, int]] | None = None,
    ) -> tuple[datetime, float, float]:
        """(due, stability, difficulty) after the reviews, oldest first, as `_replay` gives.

        Review times are whole microseconds since the epoch, so day gaps are integer floor
        divisions (what `timedelta.days` is) and only the final due date is a datetime;
        `moments` caches them across calls (a grade's points share one time). Clamps are
        comparisons: the same results as fsrs's min/max, NaN included.
        """
        w, e, decay, factor = self.w, math.e, self.decay, self.factor
        moments = {} if moments is None else moments
        stability = difficulty = 0.0
        last: datetime | None = None
        last_us = 0
        for submitted_at, score in reviews:
            known = moments.get(submitted_at)
            if known is None:
                when = min(_when(submitted_at, now), now)
                known = moments[submitted_at] = (when, (when - _EPOCH) // _MICROSECOND)
            moment, moment_us = known
            rating = rating_value(score)
            if last is None:  # a new card: initial stability and difficulty
                stability = w[rating - 1]
                if stability < 0.001:
                    stability = 0.001
                difficulty = w[4] - (e ** (w[5] * (rating - 1))) + 1
            else:
                if moment_us < last_us:  # never before the previous review
                    moment, moment_us = last, last_us
                days = (moment_us - last_us) // _DAY_US
                if days < 1:  # _short_term_stability
                    increase = (e ** (w[17] * (rating - 3 + w[18]))) * (stability ** -w[19])
                    if rating > 1 and increase < 1.0:
                        increase = 1.0
                    stability = stability * increase
                else:
                    retrievability = (1 + factor * days / stability) ** decay
                    if rating == 1:  # _next_forget_stability
                        long_term = (
                            w[11]
                            * (difficulty ** -w[12])
                            * (((stability + 1) ** (w[13])) - 1)
                            * (e ** ((1 - retrievability) * w[14]))
                        )
                        short_term = stability / self.forget_short_divisor
                        stability = short_term if short_term < long_term else long_term
                    else:  # _next_recall_stability
                        hard_penalty = w[15] if rating == 2 else 1
                        easy_bonus = w[16] if rating == 4 else 1
                        stability = stability * (
                            1
                            + self.recall_base
                            * (11 - difficulty)
                            * (stability ** -w[9])
                            * ((e ** ((1 - retrievability) * w[10])) - 1)
                            * hard_penalty
                            * easy_bonus
                        )
                if stability < 0.001:
                    stability = 0.001
                # _next_difficulty: linear damping, then mean reversion towards Easy's initial
                delta = -(w[6] * (rating - 3))
                damped = difficulty + (10.0 - difficulty) * delta / 9.0
                difficulty = w[7] * self.easy_difficulty + (1 - w[7]) * damped
            if difficulty < 1.0:
                difficulty = 1.0
            elif difficulty > 10.0:
                difficulty = 10.0
            last, last_us = moment, moment_us
        if last is None:
            return now, stability, difficulty
        interval = round((stability / factor) * self.interval_scale)
        if interval < 1:
            interval = 1
        elif interval > self.maximum_interval:
            interval = self.maximum_interval
        return last + timedelta(days=interval), stability, difficulty


def _check_series() -> list[list[tuple[str, float | None]]]:
    """Review series that walk every branch: each rating first, after a same-day review, after
    short and long gaps, out of order and in the future (clamped), skips and odd scores."""
    base = datetime(2025, 1, 1, 9, tzinfo=UTC)
    scores: list[float | None] = [None, 0.0, 39.9, 40.0, 64.9, 65.0, 84.9, 85.0, 100.0]
    gaps = [0.0, 0.2, 1.0, 1.5, 3.0, 9.0, 40.0, 200.0, -2.0]
    series = []
    for first in range(len(scores)):
        for step in range(1, 5):
            reviews, moment = [], base
            for n in range(7):
                reviews.append((moment.isoformat(), scores[(first + n * step) % len(scores)]))
                moment += timedelta(days=gaps[(first * 3 + n * step) % len(gaps)])
            series.append(reviews)
    series.append([("not a date", 90.0), ((base + timedelta(days=5000)).isoformat(), 70.0)])
    return series


@functools.cache
def _fast_replay_agrees() -> bool:
    """Once per process: does `_FastReplay` give exactly the library's cards?"""
    scheduler = _scheduler()
    fast = _FastReplay(scheduler)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    try:
        for reviews in _check_series():
            card = _replay(scheduler, reviews, now)
            if fast.replay(reviews, now) != (card.due, card.stability, card.difficulty):
                return False
    except Exception:  # a library that changed shape: trust the library
        return False
    return True


def _due_dates(
    series: Sequence[Sequence[tuple[str, float | None]]], now: datetime
) -> list[datetime]:
    """Due date of each card after its reviews (oldest first): fast when it agrees, else fsrs."""
    scheduler = _scheduler()
    if _fast_replay_agrees():
        fast = _FastReplay(scheduler)
        moments: dict[str, tuple[datetime, int]] = {}
        return [fast.replay(reviews, now, moments)[0] for reviews in series]
    return [_replay(scheduler, list(reviews), now).due for reviews in series]


@dataclass(slots=True)
class QueueItem:
    question_id: str
    attempts: int
    last_score: float | None
    due: datetime | None  # None: never attempted
    due_points: int = 0

    def is_due(self, now: datetime) -> bool:
        return self.due is None or self.due <= now or self.due_points > 0


@dataclass(slots=True)
class PointDue:
    question_id: str
    point_id: str
    title: str
    due: datetime
    last_credit: float


def _recent_question_reviews(
    rows: Sequence[TimelineRow],
) -> dict[str, list[tuple[str, float | None]]]:
    """Per question, its newest QUESTION_HISTORY reviews (a skip or a current score), oldest
    first, from the time-ordered scan `stats.timeline` gives."""
    reviews: dict[str, list[tuple[str, float | None]]] = defaultdict(list)
    for qid, submitted_at, skipped, score in rows:
        if skipped or score is not None:
            reviews[qid].append((submitted_at, score))
    for qid, history in reviews.items():
        if len(history) > QUESTION_HISTORY:
            reviews[qid] = history[-QUESTION_HISTORY:]
    return reviews


def point_queue(store: Store, now: datetime | None = None) -> list[PointDue]:
    """Every rubric point ever graded, as an FSRS card fed its credit; earliest due first."""
    now = now or datetime.now(UTC)
    # The newest POINT_HISTORY graded attempts of each question, a few index entries each from
    # a partial index, then their points from `grade_points`: no grade JSON parsed. CROSS JOIN
    # fixes the join order (the planner would rather walk every counted point).
    sql = (
        "SELECT a.question_id AS qid, gp.point_id AS pid, gp.title, a.submitted_at, gp.credit"
        " FROM (SELECT DISTINCT question_id FROM attempts) q"
        " CROSS JOIN attempts a ON a.id IN (SELECT id FROM attempts"
        " WHERE question_id = q.question_id AND skipped = 0 AND grade IS NOT NULL"
        " ORDER BY submitted_at DESC, id DESC LIMIT ?)"
        " CROSS JOIN grade_points gp ON gp.attempt_id = a.id AND gp.counted = 1"
        " ORDER BY qid, pid, a.submitted_at, a.id, gp.position"
    )
    series: dict[tuple[str, str], list[tuple[str, float | None]]] = defaultdict(list)
    titles: dict[tuple[str, str], str] = {}
    cursor = store.conn.cursor()
    cursor.row_factory = None
    for qid, pid, title, submitted_at, credit in cursor.execute(sql, (POINT_HISTORY,)):
        key = (qid, str(pid))
        series[key].append((submitted_at, 100.0 * float(credit or 0.0)))
        titles[key] = title or str(pid)
    due = []
    for (key, reviews), due_at in zip(
        series.items(), _due_dates(list(series.values()), now), strict=True
    ):
        last = reviews[-1][1] or 0.0
        due.append(PointDue(key[0], key[1], titles[key], due_at, last / 100.0))
    due.sort(key=lambda p: (p.due, p.last_credit, p.question_id, p.point_id))
    return due


def review_queue(
    store: Store,
    question_ids: list[str],
    now: datetime | None = None,
    *,
    by_point: bool = True,
    rows: Sequence[TimelineRow] | None = None,
) -> list[QueueItem]:
    """The questions in practice order: never attempted, then due weakest first, then by due.

    Pass `rows` (from `stats.timeline`) to reuse a scan already made.
    """
    now = now or datetime.now(UTC)
    rows = timeline(store) if rows is None else rows
    reviews = _recent_question_reviews(rows)
    counts = Counter(qid for qid, _, _, _ in rows)
    points_due: dict[str, int] = defaultdict(int)
    if by_point:
        for point in point_queue(store, now):
            if point.due <= now:
                points_due[point.question_id] += 1
    ids = [qid for qid in dict.fromkeys(question_ids) if reviews.get(qid)]
    due_dates = dict(zip(ids, _due_dates([reviews[qid] for qid in ids], now), strict=True))
    items = []
    for qid in dict.fromkeys(question_ids):
        if qid not in due_dates:
            items.append(QueueItem(qid, counts.get(qid, 0), None, None))
            continue
        last_score = reviews[qid][-1][1]
        items.append(
            QueueItem(qid, counts.get(qid, 0), last_score, due_dates[qid], points_due[qid])
        )

    def order(item: QueueItem) -> tuple[int, float, float, str]:
        if item.due is None:
            return (0, 0.0, 0.0, item.question_id)
        last = item.last_score if item.last_score is not None else -1.0
        if item.is_due(now):
            return (1, last, -item.due_points, item.question_id)
        return (2, item.due.timestamp(), last, item.question_id)

    return sorted(items, key=order)


def weakest_questions(store: Store, question_ids: list[str], count: int) -> list[str]:
    """The `count` ids most in need of practice, weakest and due first."""
    if count <= 0:
        return []
    return [item.question_id for item in review_queue(store, question_ids)][:count]
