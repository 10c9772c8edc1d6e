"""What to practise next: a spaced-repetition queue driven by graded coverage.

Each question (and each rubric point) is an FSRS card. Instead of asking the candidate how well
they remembered, the grade answers: the share of the rubric covered becomes the rating (below 40
Again, below 65 Hard, below 85 Good, else Easy; a skip is Again). Replaying a question's attempts
through the scheduler gives its due date. The queue puts never-attempted questions first, then
the due ones weakest first (a question whose rubric points are due counts as due), then the rest
by due date.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from mockinterview.review.rows import (
    CURRENT_GRADE,
    CURRENT_SCORE,
    LATEST_REGRADE_JOIN,
    safe_json,
)

if TYPE_CHECKING:
    from fsrs import Card, Rating, Scheduler

    from mockinterview.store import Store

# Replaying only the newest reviews of a card keeps 10,000 attempts cheap; FSRS state is
# dominated by recent reviews anyway.
QUESTION_HISTORY = 12
POINT_HISTORY = 8


def rating_for(score: float | None) -> Rating:
    """The FSRS rating a graded coverage (0-100) earns; None (skipped) is Again."""
    from fsrs import Rating

    if score is None or score < 40:
        return Rating.Again
    if score < 65:
        return Rating.Hard
    if score < 85:
        return Rating.Good
    return Rating.Easy


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
    from fsrs import Card

    card = Card(card_id=1, due=now)
    for submitted_at, score in reviews:
        moment = min(_when(submitted_at, now), now)
        if card.last_review is not None and moment < card.last_review:
            moment = card.last_review
        card, _ = scheduler.review_card(card, rating_for(score), review_datetime=moment)
    return card


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


def _recent_question_reviews(store: Store) -> dict[str, list[tuple[str, float | None]]]:
    sql = (
        f"SELECT qid, submitted_at, score FROM (SELECT a.question_id AS qid, a.submitted_at,"
        f" {CURRENT_SCORE} AS score, ROW_NUMBER() OVER (PARTITION BY a.question_id"
        f" ORDER BY a.submitted_at DESC, a.id DESC) AS rn FROM attempts a {LATEST_REGRADE_JOIN}"
        f" WHERE a.skipped = 1 OR {CURRENT_SCORE} IS NOT NULL)"
        " WHERE rn <= ? ORDER BY qid, submitted_at"
    )
    reviews: dict[str, list[tuple[str, float | None]]] = defaultdict(list)
    for qid, submitted_at, score in store.conn.execute(sql, (QUESTION_HISTORY,)):
        reviews[qid].append((submitted_at, score))
    return reviews


def point_queue(store: Store, now: datetime | None = None) -> list[PointDue]:
    """Every rubric point ever graded, as an FSRS card fed its credit; earliest due first."""
    now = now or datetime.now(UTC)
    # Rank attempt ids per question first (cheap: no grade text moved), then read the points
    # of the newest POINT_HISTORY graded attempts only: a few hundred grades, not every one.
    sql = (
        "WITH ranked AS (SELECT id, ROW_NUMBER() OVER (PARTITION BY question_id"
        " ORDER BY submitted_at DESC, id DESC) AS rn FROM attempts"
        " WHERE skipped = 0 AND grade IS NOT NULL)"
        f" SELECT a.question_id AS qid, json_extract(p.value, '$.id') AS pid,"
        " json_extract(p.value, '$.title') AS title, a.submitted_at,"
        " json_extract(p.value, '$.credit') AS credit"
        f" FROM ranked JOIN attempts a ON a.id = ranked.id {LATEST_REGRADE_JOIN},"
        f" json_each({safe_json(CURRENT_GRADE)}, '$.points') p"
        " WHERE ranked.rn <= ? ORDER BY qid, pid, a.submitted_at, a.id"
    )
    series: dict[tuple[str, str], list[tuple[str, float | None]]] = defaultdict(list)
    titles: dict[tuple[str, str], str] = {}
    for qid, pid, title, submitted_at, credit in store.conn.execute(sql, (POINT_HISTORY,)):
        key = (qid, str(pid))
        series[key].append((submitted_at, 100.0 * float(credit or 0.0)))
        titles[key] = title or str(pid)
    scheduler = _scheduler()
    due = []
    for key, reviews in series.items():
        card = _replay(scheduler, reviews, now)
        last = reviews[-1][1] or 0.0
        due.append(PointDue(key[0], key[1], titles[key], card.due, last / 100.0))
    due.sort(key=lambda p: (p.due, p.last_credit, p.question_id, p.point_id))
    return due


def review_queue(
    store: Store, question_ids: list[str], now: datetime | None = None, *, by_point: bool = True
) -> list[QueueItem]:
    """The questions in practice order: never attempted, then due weakest first, then by due."""
    now = now or datetime.now(UTC)
    scheduler = _scheduler()
    reviews = _recent_question_reviews(store)
    counts = dict(store.conn.execute("SELECT question_id, COUNT(*) FROM attempts GROUP BY 1"))
    points_due: dict[str, int] = defaultdict(int)
    if by_point:
        for point in point_queue(store, now):
            if point.due <= now:
                points_due[point.question_id] += 1
    items = []
    for qid in dict.fromkeys(question_ids):
        history = reviews.get(qid)
        if not history:
            items.append(QueueItem(qid, counts.get(qid, 0), None, None))
            continue
        card = _replay(scheduler, history, now)
        items.append(QueueItem(qid, counts.get(qid, 0), history[-1][1], card.due, points_due[qid]))

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
