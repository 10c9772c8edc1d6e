"""What to practise next: a spaced-repetition queue driven by graded coverage.

Each question (and each rubric point) is an FSRS card. Instead of asking the candidate how well
they remembered, the grade answers: the share of the rubric covered becomes the rating (below 40
Again, below 65 Hard, below 85 Good, else Easy; a skip is Again). Replaying a question's attempts
through the scheduler gives its due date. The queue puts never-attempted questions first, then
the due ones weakest first (a question whose rubric points are due counts as due), then the rest
by due date.

About a thousand cards are replayed for a 200-question bank, so the replay does the FSRS
arithmetic of this module's scheduler itself (`FastReplay`, a few µs a review instead of the
library's ~25 µs), with the library's parameters. tests/test_schedule.py checks it gives the
library's cards exactly: a new fsrs release changing its formulas fails there, not at run time.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from mockinterview.store import figures
from mockinterview.store.figures import TimelineRow

if TYPE_CHECKING:
    from fsrs import Scheduler

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


def day_scheduler() -> Scheduler:
    """Day-granular and deterministic: no minute learning steps, no fuzz."""
    from fsrs import Scheduler

    return Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)


def review_time(text: str, fallback: datetime) -> datetime:
    """When a review happened: naive times are UTC, an unreadable one is `fallback`."""
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return fallback
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_DAY_US = 86_400_000_000


class FastReplay:
    """FSRS review arithmetic for `day_scheduler()`'s settings only: no learning or relearning
    steps, no fuzz, so every review leaves the card in the Review state.

    Each formula is fsrs 6's (`Scheduler._initial_stability`, `_next_difficulty`, ...) with its
    operations in the same order, so results are bit-identical (tests/test_schedule.py replays
    the same series through the library).
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
        """(due, stability, difficulty) after the reviews, oldest first, as fsrs gives them.

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
                when = min(review_time(submitted_at, now), now)
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


def _due_dates(
    series: Sequence[Sequence[tuple[str, float | None]]], now: datetime
) -> list[datetime]:
    """Due date of each card after its reviews (oldest first)."""
    fast = FastReplay(day_scheduler())
    moments: dict[str, tuple[datetime, int]] = {}
    return [fast.replay(reviews, now, moments)[0] for reviews in series]


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
    first, from the time-ordered scan `store.figures.timeline` gives."""
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
    series: dict[tuple[str, str], list[tuple[str, float | None]]] = defaultdict(list)
    titles: dict[tuple[str, str], str] = {}
    for qid, pid, title, submitted_at, credit in figures.recent_point_credits(store, POINT_HISTORY):
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

    Pass `rows` (from `store.figures.timeline`) to reuse a scan already made.
    """
    now = now or datetime.now(UTC)
    rows = figures.timeline(store) if rows is None else rows
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
