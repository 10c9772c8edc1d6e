"""The review table's filter language and the comparison of two attempts."""

from __future__ import annotations

from mockinterview.models import Grade, PointResult
from mockinterview.review.compare import compare_grades, summary
from mockinterview.review.filtering import parse_filter
from mockinterview.store import AttemptSummary


def _row(
    qid: str = "DL0001", score: float | None = 55.0, grader: str = "offline"
) -> AttemptSummary:
    return AttemptSummary(1, 1, qid, "2026-03-01T10:00:00+00:00", 30.0, score, score, grader,
                          score is None, 0, "h")  # fmt: skip


def test_plain_words_must_all_match_id_title_topic_or_grader() -> None:
    query = parse_filter("Residual deep")
    assert query.matches(_row(), "Residual Connection", "deep learning")
    assert not query.matches(_row(), "Residual Connection", "statistics")
    assert parse_filter("").empty and parse_filter("   ").empty


def test_keyed_terms_and_score_bounds() -> None:
    assert parse_filter("topic:stat").matches(_row(), "t", "statistics")
    assert not parse_filter("topic:stat").matches(_row(), "statistics in the title", "ml")
    assert parse_filter("question:dl00").matches(_row(), "t", "x")
    assert parse_filter("grader:llm").matches(_row(grader="llm:gpt"), "t", "x")
    assert parse_filter("score<60").matches(_row(score=55), "t", "x")
    assert not parse_filter("score<50").matches(_row(score=55), "t", "x")
    assert parse_filter("score>=55").matches(_row(score=55), "t", "x")
    assert not parse_filter("score>10").matches(_row(score=None), "t", "x")
    assert parse_filter("skipped").matches(_row(score=None), "t", "x")
    assert not parse_filter("skipped").matches(_row(), "t", "x")
    assert parse_filter("day:2026-03").matches(_row(), "t", "x")
    assert parse_filter("session:1").matches(_row(), "t", "x")
    assert not parse_filter("session:11").matches(_row(), "t", "x")


def test_malformed_terms_are_plain_words_and_never_raise() -> None:
    query = parse_filter("score<abc topic: [x]")
    assert query.words == ["score<abc", "topic:", "[x]"]
    assert not query.matches(_row(), "t", "x")


def test_values_match_whatever_their_case_and_may_be_quoted() -> None:
    row = _row("DL0001")
    assert parse_filter("question:DL0001").matches(row, "t", "deep learning")
    assert parse_filter("Question:dl0001 Topic:Deep").matches(row, "t", "deep learning")
    assert parse_filter('topic:"machine learning"').matches(row, "t", "machine learning")
    assert parse_filter("topic:machine-learning").matches(row, "t", "machine learning")
    assert not parse_filter('topic:"machine learning"').matches(row, "t", "deep learning")
    assert parse_filter('"skip con" grader:offline').matches(row, "Skip Connections", "x")
    assert not parse_filter('"con skip"').matches(row, "Skip Connections", "x")
    assert parse_filter('topic:"machine lea').fields == {"topic": "machine lea"}  # still typing


def _grade(*verdicts: str) -> Grade:
    credit = {"hit": 1.0, "partial": 0.5, "miss": 0.0}
    return Grade("Q", "offline", 0.0, [
        PointResult(f"p{n}", f"point {n}", 1.0, v, credit[v]) for n, v in enumerate(verdicts, 1)  # type: ignore[arg-type]
    ])  # fmt: skip


def test_compare_names_points_gained_lost_and_unchanged() -> None:
    changes = compare_grades(_grade("miss", "hit", "partial", "miss", "hit"),
                             _grade("hit", "miss", "hit", "miss", "partial"))  # fmt: skip
    assert [c.change for c in changes] == ["gained", "lost", "gained", "still missed", "worse"]
    assert summary(changes) == "2 points newly covered, 2 lost"


def test_compare_handles_a_rubric_that_changed_between_attempts() -> None:
    older = _grade("hit", "miss")
    points = [
        PointResult("p2", "point 2", 1.0, "partial", 0.5),
        PointResult("p9", "new point", 1.0, "hit", 1.0),
    ]
    newer = Grade("Q", "offline", 0.0, points)
    changes = {c.point_id: c.change for c in compare_grades(older, newer)}
    assert changes == {"p2": "improved", "p9": "new", "p1": "gone"}
    assert summary(compare_grades(older, older)) == "no change in the points covered"
