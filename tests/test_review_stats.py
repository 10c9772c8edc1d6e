"""Progress figures computed from real attempts in a real (temporary) store."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from mockinterview.review import stats
from mockinterview.review.records import attempt_records
from mockinterview.review.rows import NOT_IN_BANK, format_seconds
from mockinterview.store import Store
from mockinterview.store.attempts import attempt_summaries
from test_review_support import TinyBank, add_attempt, make_grade


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "a.sqlite3")


def test_last_best_and_trend_per_question_follow_time_not_insertion(store: Store) -> None:
    add_attempt(store, "Q1", ["hit", "hit", "miss"], "2026-03-02T10:00:00+00:00")
    add_attempt(store, "Q1", ["miss", "miss", "miss"], "2026-03-01T10:00:00+00:00")
    add_attempt(store, "Q1", ["hit", "partial", "miss"], "2026-03-03T10:00:00+00:00")
    add_attempt(store, "Q1", None, "2026-03-04T10:00:00+00:00")  # a skip: no score
    progress = stats.question_progress(store)["Q1"]
    assert progress.attempts == 4
    assert progress.scores == [0.0, 66.7, 50.0]
    assert progress.last == 50.0
    assert progress.best == 66.7
    assert progress.slope > 0


def test_topics_group_questions_and_keep_questions_gone_from_the_bank(store: Store) -> None:
    bank = TinyBank()
    add_attempt(store, "Q1", ["hit", "hit", "hit"], "2026-03-01T10:00:00+00:00")
    add_attempt(store, "Q2", ["miss", "miss", "hit"], "2026-03-02T10:00:00+00:00")
    add_attempt(store, "OLD9", ["hit", "miss", "miss"], "2026-03-03T10:00:00+00:00")
    topics = stats.topic_progress(store, bank)
    assert set(topics) == {"deep-learning", "databases", NOT_IN_BANK}
    assert topics["databases"].last == 33.3
    assert topics[NOT_IN_BANK].questions == 1


def test_most_missed_points_count_misses_across_attempts(store: Store) -> None:
    add_attempt(store, "Q1", ["miss", "hit", "hit"], "2026-03-01T10:00:00+00:00")
    add_attempt(store, "Q1", ["miss", "partial", "hit"], "2026-03-02T10:00:00+00:00")
    add_attempt(store, "Q2", ["hit", "hit", "miss"], "2026-03-03T10:00:00+00:00")
    missed = stats.most_missed_points(store, limit=5)
    assert [(m.question_id, m.point_id, m.misses) for m in missed] == [
        ("Q1", "p1", 2),
        ("Q2", "p3", 1),
        ("Q1", "p2", 0),
    ]
    assert missed[0].title == "Q1 first"
    assert missed[2].partials == 1
    assert missed[0].miss_rate == 1.0


def test_a_regrade_replaces_the_score_in_stats_but_the_original_is_kept(store: Store) -> None:
    attempt_id = add_attempt(store, "Q1", ["miss", "miss", "miss"], "2026-03-01T10:00:00+00:00")
    store.record_regrade(attempt_id, make_grade("Q1", ["hit", "hit", "hit"]), "h1")
    assert stats.question_progress(store)["Q1"].scores == [100.0]
    assert stats.most_missed_points(store) == []
    [row] = attempt_summaries(store)
    assert (row.score, row.original_score, row.regraded_by) == (100.0, 0.0, "offline")
    [record] = attempt_records(store, None)
    assert record["original_score"] == 0.0 and record["score"] == 100.0
    assert {p["verdict"] for p in record["points"]} == {"hit"}


def test_streaks_and_totals(store: Store) -> None:
    for day in ("2026-03-01", "2026-03-02", "2026-03-03", "2026-03-07", "2026-03-08"):
        add_attempt(store, "Q1", ["hit", "miss", "miss"], f"{day}T09:00:00+00:00", seconds=60)
    add_attempt(store, "Q2", None, "2026-03-08T11:00:00+00:00", seconds=5)
    result = stats.totals(store, today=date(2026, 3, 9))
    assert result.attempts == 6
    assert result.skipped == 1 and result.graded == 5
    assert result.questions == 2
    assert result.seconds == 305
    assert result.longest_streak == 3
    assert result.current_streak == 2  # 7th and 8th; the 9th has not ended yet
    assert stats.totals(store, today=date(2026, 3, 11)).current_streak == 0
    assert result.average == pytest.approx(33.3)


def test_empty_store_and_damaged_rows_do_not_crash(store: Store) -> None:
    assert stats.totals(store).attempts == 0
    assert stats.most_missed_points(store) == []
    add_attempt(store, "Q1", ["hit", "hit", "hit"], "2026-03-01T10:00:00+00:00")
    store.conn.execute("UPDATE attempts SET grade = '{not json', hints = 'x'")
    store.conn.commit()
    assert stats.most_missed_points(store) == []
    [record] = attempt_records(store, None)
    assert record["points"] == [] and record["hints"] == []
    assert attempt_summaries(store)[0].hint_count == 0


def test_sparkline_and_durations_read_well() -> None:
    assert stats.sparkline_text([0, 50, 100]) == "▁▄█"
    assert stats.sparkline_text([]) == ""
    assert format_seconds(42) == "42s"
    assert format_seconds(245) == "4m05s"
    assert format_seconds(3720) == "1h02m"
