"""Helpers shared by the review tests: a tiny bank and attempts recorded at chosen times."""

from __future__ import annotations

from mockinterview.models import Evidence, Grade, PointResult, Question, Rubric, RubricPoint
from mockinterview.store import Store

CREDIT = {"hit": 1.0, "partial": 0.5, "miss": 0.0}


class TinyBank:
    """Two questions in two topics, each with a three-point rubric."""

    def __init__(self) -> None:
        self.questions = {
            "Q1": Question("Q1", "Vanishing gradients", "Why do gradients vanish?",
                           "1. Sigmoid saturates.\n2. Chain rule multiplies.\n3. Use ReLU.",
                           topic="deep-learning"),
            "Q2": Question("Q2", "Database sharding", "What is sharding?",
                           "1. Split rows.\n2. Shard key.\n3. Rebalancing.", topic="databases"),
        }  # fmt: skip
        self.rubrics = {
            qid: Rubric(qid, q.answer_hash, [
                RubricPoint("p1", f"{qid} first", "first", keywords=[["saturates", "split"]]),
                RubricPoint("p2", f"{qid} second", "second", keywords=[["chain", "key"]]),
                RubricPoint("p3", f"{qid} third", "third", keywords=[["relu", "rebalancing"]]),
            ])
            for qid, q in self.questions.items()
        }  # fmt: skip

    def get(self, question_id: str) -> Question | None:
        return self.questions.get(question_id)

    def rubric_for(self, question_id: str) -> Rubric:
        return self.rubrics[question_id]


def make_grade(question_id: str, verdicts: list[str], answer: str = "") -> Grade:
    points = [
        PointResult(f"p{n}", f"{question_id} {name}", 1.0, verdict, CREDIT[verdict],  # type: ignore[arg-type]
                    [Evidence(answer[:5], 0, 5)] if verdict != "miss" and answer else [])
        for n, (name, verdict) in enumerate(zip(("first", "second", "third"), verdicts,
                                                strict=False), start=1)
    ]  # fmt: skip
    score = 100.0 * sum(p.credit for p in points) / len(points)
    return Grade(question_id, "offline", round(score, 1), points)


def add_attempt(
    store: Store,
    question_id: str,
    verdicts: list[str] | None,
    when: str,
    *,
    answer: str = "an answer",
    seconds: float = 30.0,
    rubric_hash: str | None = "h0",
    session_id: int | None = None,
) -> int:
    """Record an attempt as the app would, then pin its time; `verdicts=None` is a skip."""
    grade = make_grade(question_id, verdicts or ["miss"], answer) if verdicts else None
    attempt_id = store.record_attempt(
        question_id=question_id,
        answer=answer,
        grade=grade,
        rubric_hash=rubric_hash,
        started_at=when,
        seconds=seconds,
        session_id=session_id,
        skipped=verdicts is None,
    )
    store.conn.execute("UPDATE attempts SET submitted_at = ? WHERE id = ?", (when, attempt_id))
    store.conn.commit()
    return attempt_id
