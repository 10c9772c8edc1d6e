"""The spaced-repetition queue: ratings come from graded coverage, not from self-rating."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Rating

from mockinterview.review.schedule import (
    FastReplay,
    day_scheduler,
    point_queue,
    rating_value,
    review_queue,
    weakest_questions,
)
from mockinterview.store import Store
from test_review_support import add_attempt, library_replay

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def _at(days_ago: float) -> str:
    return (NOW - timedelta(days=days_ago)).isoformat(timespec="seconds")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "a.sqlite3")


@pytest.mark.parametrize(
    ("score", "rating"),
    [(None, Rating.Again), (0, Rating.Again), (39.9, Rating.Again), (40, Rating.Hard),
     (64, Rating.Hard), (65, Rating.Good), (84.9, Rating.Good), (85, Rating.Easy),
     (100, Rating.Easy)],
)  # fmt: skip
def test_coverage_maps_to_a_rating(score: float | None, rating: Rating) -> None:
    assert Rating(rating_value(score)) == rating


def test_never_attempted_comes_first_then_weakest_due(store: Store) -> None:
    add_attempt(store, "GOOD", ["hit", "hit", "hit"], _at(3))
    add_attempt(store, "WEAK", ["miss", "miss", "miss"], _at(3))
    add_attempt(store, "SOSO", ["hit", "partial", "miss"], _at(3))
    queue = review_queue(store, ["GOOD", "WEAK", "SOSO", "NEW"], NOW)
    assert [item.question_id for item in queue][:3] == ["NEW", "WEAK", "SOSO"]
    by_id = {item.question_id: item for item in queue}
    assert by_id["NEW"].due is None and by_id["NEW"].attempts == 0
    assert by_id["WEAK"].is_due(NOW)
    assert not by_id["GOOD"].is_due(NOW)  # an easy answer three days ago is not due yet
    assert by_id["GOOD"].due is not None and by_id["GOOD"].due > NOW


def test_good_answers_push_the_due_date_further_than_poor_ones(store: Store) -> None:
    for days in (30, 20, 10):
        add_attempt(store, "STEADY", ["hit", "hit", "hit"], _at(days))
        add_attempt(store, "SHAKY", ["hit", "miss", "miss"], _at(days))
    queue = {i.question_id: i for i in review_queue(store, ["STEADY", "SHAKY"], NOW)}
    assert queue["STEADY"].due > queue["SHAKY"].due  # type: ignore[operator]


def test_points_due_make_an_otherwise_fine_question_due(store: Store) -> None:
    add_attempt(store, "Q1", ["hit", "hit", "hit"], _at(40))
    add_attempt(store, "Q1", ["hit", "hit", "miss"], _at(3))  # 66.7: Good, not due
    points = point_queue(store, NOW)
    due_now = [(p.question_id, p.point_id) for p in points if p.due <= NOW]
    assert ("Q1", "p3") in due_now
    assert ("Q1", "p1") not in due_now
    [item] = review_queue(store, ["Q1"], NOW)
    assert item.due_points >= 1 and item.is_due(NOW)
    [plain] = review_queue(store, ["Q1"], NOW, by_point=False)
    assert not plain.is_due(NOW)


def test_weakest_questions_keeps_its_signature_and_bounds(store: Store) -> None:
    add_attempt(store, "A", ["miss", "miss", "miss"], _at(2))
    add_attempt(store, "B", ["hit", "hit", "hit"], _at(2))
    assert weakest_questions(store, ["B", "A", "C"], 2) == ["C", "A"]
    assert weakest_questions(store, ["A"], 0) == []
    assert weakest_questions(store, [], 3) == []


def test_skips_count_as_again_and_bad_dates_do_not_crash(store: Store) -> None:
    add_attempt(store, "S", None, _at(1))
    add_attempt(store, "T", ["hit", "hit", "hit"], "not a date")
    queue = {i.question_id: i for i in review_queue(store, ["S", "T"], NOW)}
    assert queue["S"].last_score is None and queue["S"].due is not None
    assert queue["S"].is_due(NOW + timedelta(days=2))
    assert queue["T"].due is not None


def test_damaged_grades_are_left_out_of_the_point_queue(store: Store) -> None:
    add_attempt(store, "Q1", ["hit", "miss", "hit"], _at(5))
    broken = add_attempt(store, "Q1", ["hit", "hit", "hit"], _at(4))
    store.conn.execute("UPDATE attempts SET grade = '{broken' WHERE id = ?", (broken,))
    store.conn.commit()
    points = {p.point_id: p for p in point_queue(store, NOW)}
    assert set(points) == {"p1", "p2", "p3"}
    assert points["p2"].last_credit == 0.0  # from the readable attempt
    assert [i.question_id for i in review_queue(store, ["Q1"], NOW)] == ["Q1"]


def _every_branch() -> list[list[tuple[str, float | None]]]:
    """Review series that walk every branch of the replay: each rating first, after a same-day
    review, after short and long gaps, out of order and in the future (clamped), skips and odd
    scores, and an unreadable date."""
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


def test_the_fast_replay_gives_exactly_the_library_cards_on_every_branch() -> None:
    """The queue replays cards with its own copy of fsrs's arithmetic; a fsrs release that
    changes a formula must fail here."""
    fast = FastReplay(day_scheduler())
    now = datetime(2026, 1, 1, tzinfo=UTC)
    for reviews in _every_branch():
        card = library_replay(reviews, now)
        assert fast.replay(reviews, now) == (card.due, card.stability, card.difficulty), reviews
