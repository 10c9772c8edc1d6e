"""What to practise next.

Interim version: never attempted first, then lowest last score. The review owner replaces it
with a spaced-repetition queue driven by graded coverage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mockinterview.store import Store


def weakest_questions(store: Store, question_ids: list[str], count: int) -> list[str]:
    """The `count` ids most in need of practice, weakest first."""
    last: dict[str, float] = {}
    for attempt in store.attempts(newest_first=False):
        if attempt.score is not None:
            last[attempt.question_id] = attempt.score
    ranked = sorted(question_ids, key=lambda q: (q in last, last.get(q, 0.0)))
    return ranked[:count]
