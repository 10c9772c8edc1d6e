"""Helpers shared by the review tests: a tiny bank and attempts recorded at chosen times."""

from __future__ import annotations

from datetime import datetime

from fsrs import Card, Rating

from mockinterview.models import Evidence, Grade, PointResult, Question, Rubric, RubricPoint
from mockinterview.review.schedule import day_scheduler, rating_value, review_time
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


def library_replay(reviews: list[tuple[str, float | None]], now: datetime) -> Card:
    """The card after the reviews (time, score), oldest first, as the fsrs library computes it
    with the scheduler the queue uses: the oracle `schedule.FastReplay` must equal."""
    scheduler = day_scheduler()
    card = Card(card_id=1, due=now)
    for submitted_at, score in reviews:
        moment = min(review_time(submitted_at, now), now)
        if card.last_review is not None and moment < card.last_review:
            moment = card.last_review
        card, _ = scheduler.review_card(card, Rating(rating_value(score)), review_datetime=moment)
    return card


def review_app(store: Store, bank: object, screen: str = "review", **screen_kw: object) -> object:
    """A tiny App with `.store`, `.bank` and a recording `start_session`, showing one screen."""
    from textual.app import App

    class ReviewTestApp(App[None]):
        def __init__(self) -> None:
            super().__init__()
            self.store, self.bank = store, bank
            self.started: list[list[str]] = []

        def on_mount(self) -> None:
            if screen == "review":
                from mockinterview.tui.screens.review import ReviewScreen

                self.push_screen(ReviewScreen(store, bank))  # type: ignore[arg-type]
            else:
                from mockinterview.tui.screens.progress import ProgressScreen

                self.push_screen(ProgressScreen(store, bank, **screen_kw))  # type: ignore[arg-type]

        def start_session(self, question_ids: list[str]) -> None:
            self.started.append(question_ids)

    return ReviewTestApp()


def history(store: Store) -> dict[str, int]:
    """A small fixed history over the tiny bank, old enough that nothing depends on today."""
    return {
        "q1_first": add_attempt(store, "Q1", ["miss", "hit", "miss"], "2026-03-01T09:00:00+00:00",
                                answer="The chain rule multiplies many small factors."),
        "q2": add_attempt(store, "Q2", ["hit", "partial", "miss"], "2026-03-02T09:00:00+00:00",
                          answer="Split rows across servers by a key.", seconds=95),
        "q1_second": add_attempt(store, "Q1", ["hit", "hit", "miss"], "2026-03-03T09:00:00+00:00",
                                 answer="Sigmoid saturates, and the chain rule multiplies."),
        "gone": add_attempt(store, "OLD7", ["hit", "hit", "hit"], "2026-03-04T09:00:00+00:00"),
        "skip": add_attempt(store, "Q2", None, "2026-03-05T09:00:00+00:00", answer=""),
    }  # fmt: skip
