"""Every figure of the progress screen, computed at once: totals, per-question and per-topic
trends, the points missed most often and the review queue.

One time-ordered scan of the attempts (`store.figures.timeline`) feeds the trends and the
queue alike, so 10,000 attempts cost about 0.1 s; the screen runs this in a worker thread and
only lays the figures out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from mockinterview.review import stats
from mockinterview.review.schedule import QueueItem, review_queue
from mockinterview.store import figures

if TYPE_CHECKING:
    from mockinterview.review.rows import BankLike
    from mockinterview.store import Store

MISSED_SHOWN = 8  # the most-missed points the screen lists


@dataclass(slots=True)
class ProgressData:
    """Everything the progress screen shows."""

    totals: stats.Totals
    per_question: dict[str, stats.Progress]
    topics: dict[str, stats.Progress]
    missed: list[stats.MissedPoint]
    queue: list[QueueItem]


def progress_data(store: Store, bank: BankLike | None, now: datetime) -> ProgressData:
    """All the screen's figures, reading the attempts once for trends and queue alike."""
    rows = figures.timeline(store)
    per_question = stats.question_progress(store, rows)
    return ProgressData(
        totals=stats.totals(store, now.date()),
        per_question=per_question,
        topics=stats.topic_progress(store, bank, per_question, rows),
        missed=stats.most_missed_points(store, limit=MISSED_SHOWN),
        queue=review_queue(store, list(bank.questions) if bank is not None else [], now, rows=rows),
    )
