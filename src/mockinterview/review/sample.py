"""A synthetic practice history: many plausible graded attempts, for benchmarks and demos.

Deterministic for a given seed. Scores drift upwards with practice, as a real history would, so
trends and the spaced-repetition queue have something to show.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from mockinterview.models import Question, Rubric, RubricPoint, text_hash
from mockinterview.store.attempts import insert_finished_sessions

if TYPE_CHECKING:
    from mockinterview.store import Store

TOPICS = ("deep-learning", "statistics", "databases", "systems", "python")


class SampleBank:
    """An in-memory bank of `size` questions, each with a four-point rubric."""

    def __init__(self, size: int = 40) -> None:
        self.questions: dict[str, Question] = {}
        self._rubrics: dict[str, Rubric] = {}
        for n in range(1, size + 1):
            qid = f"SQ{n:04d}"
            points = [
                RubricPoint(f"p{k}", f"Point {k} of {qid}", f"Reference point {k}.",
                            keywords=[[f"idea{k}"]])
                for k in range(1, 5)
            ]  # fmt: skip
            answer = "\n".join(f"{k}. Reference point {k}." for k in range(1, 5))
            self.questions[qid] = Question(
                id=qid,
                title=f"Sample question {n}",
                question=f"Explain sample idea {n}.",
                answer=answer,
                topic=TOPICS[n % len(TOPICS)],
            )
            self._rubrics[qid] = Rubric(qid, text_hash(answer), points)

    def get(self, question_id: str) -> Question | None:
        return self.questions.get(question_id)

    def rubric_for(self, question_id: str) -> Rubric:
        return self._rubrics[question_id]


def fill_store(
    store: Store, bank: SampleBank, attempts: int, *, seed: int = 7, days: int = 365
) -> None:
    """Insert `attempts` graded attempts spread over `days`, in sessions of five, in one go."""
    rng = random.Random(seed)
    ids = sorted(bank.questions)
    start = datetime.now(UTC) - timedelta(days=days)
    step = timedelta(days=days) / max(1, attempts)
    sessions: list[tuple[str, list[tuple[object, ...]]]] = []
    for n in range(attempts):
        if n % 5 == 0:
            sessions.append(((start + step * n).isoformat(timespec="seconds"), []))
        qid = rng.choice(ids)
        rubric = bank.rubric_for(qid)
        skill = 0.3 + 0.6 * n / max(1, attempts)
        points: list[dict[str, Any]] = []
        for point in rubric.points:
            roll = rng.random()
            verdict = "hit" if roll < skill else "partial" if roll < skill + 0.15 else "miss"
            credit = {"hit": 1.0, "partial": 0.5, "miss": 0.0}[verdict]
            points.append(
                {"id": point.id, "title": point.title, "weight": 1.0, "verdict": verdict,
                 "credit": credit, "evidence": [], "note": ""}
            )  # fmt: skip
        skipped = rng.random() < 0.03
        score = round(100 * sum(p["credit"] for p in points) / len(points), 1)
        grade = {"question_id": qid, "grader": "offline", "score": score, "points": points,
                 "feedback": "", "warnings": []}  # fmt: skip
        when = (start + step * n).isoformat(timespec="seconds")
        answer = f"Sample answer {n} about idea1 and idea2 for {qid}."
        sessions[-1][1].append(
            (qid, answer, None if skipped else score, json.dumps(grade), "offline",
             rubric.content_hash, text_hash(answer), when, when, rng.uniform(20, 600),
             int(skipped))
        )  # fmt: skip
    insert_finished_sessions(store, sessions)
