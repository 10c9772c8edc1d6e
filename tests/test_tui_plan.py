"""Choosing a session's questions, the session bookkeeping, and `practice` refusing bad input."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from mockinterview.cli import main
from mockinterview.practice.plan import PlanError, SessionPlan, choose_questions
from mockinterview.practice.session import InterviewSession, format_seconds
from mockinterview.store import Store
from tui_helpers import FakeGrader, make_bank


def test_topic_tag_and_count_filter_the_bank() -> None:
    bank = make_bank()
    assert choose_questions(SessionPlan(mode="topic", topic="machine-learning"), bank) == [
        "ml-001",
        "ml-002",
    ]
    assert choose_questions(SessionPlan(mode="tag", tag="training"), bank) == ["ml-002"]
    picked = choose_questions(SessionPlan(mode="random", count=2), bank, rng=random.Random(1))
    assert len(picked) == 2
    assert set(picked) <= set(bank.questions)
    assert picked == sorted(picked)  # bank order unless shuffled


def test_shuffled_order_is_a_permutation() -> None:
    bank = make_bank()
    ids = choose_questions(SessionPlan(order="shuffled"), bank, rng=random.Random(3))
    assert sorted(ids) == sorted(bank.questions)


def test_weakest_puts_never_tried_and_low_scores_first() -> None:
    bank = make_bank()
    store = Store.open(":memory:")
    grader = FakeGrader()
    for qid, answer in (("ml-001", "underfit overfit trade-off"), ("ml-002", "nothing")):
        question = bank.get(qid)
        grade = grader.grade(question, bank.rubric_for(qid), answer)
        store.record_attempt(
            question_id=qid,
            answer=answer,
            grade=grade,
            rubric_hash=None,
            started_at="2026-01-01T00:00:00+00:00",
            seconds=5,
        )
    ids = choose_questions(SessionPlan(mode="weakest", count=2), bank, store)
    assert ids == ["sys-001", "ml-002"]


def test_nothing_matching_is_a_plan_error() -> None:
    with pytest.raises(PlanError, match="topic 'cooking'"):
        choose_questions(SessionPlan(mode="topic", topic="cooking"), make_bank())


def test_plan_survives_the_round_trip_and_junk() -> None:
    plan = SessionPlan(mode="tag", tag="basics", count=3, time_limit=120, grader="llm")
    assert SessionPlan.from_settings(plan.to_settings()) == plan
    assert SessionPlan.from_settings({"mode": "all", "unknown": 1}) == SessionPlan()
    assert "2 min each" in plan.describe()


def test_session_records_and_finishes_in_the_store() -> None:
    store = Store.open(":memory:")
    session = InterviewSession.start(store, ["ml-001", "ml-002"], SessionPlan())
    session.record(
        answer="a", grade=None, rubric_hash=None, started_at="t", seconds=3, hints=[], skipped=True
    )
    assert store.session(session.id).position == 1
    resumed = InterviewSession.resume(store, session.id)
    assert resumed.current_id == "ml-002"
    assert resumed.outcomes[0].skipped
    session.record(
        answer="b", grade=None, rubric_hash=None, started_at="t", seconds=4, hints=["p1"]
    )
    assert session.finished
    assert store.session(session.id).status == "finished"
    assert InterviewSession.resume(store, session.id) is None
    assert session.total_seconds == 7


def test_format_seconds() -> None:
    assert format_seconds(0) == "00:00"
    assert format_seconds(75.9) == "01:15"
    assert format_seconds(3725) == "1:02:05"
    assert format_seconds(-5) == "00:00"


def test_practice_refuses_a_corrupt_database_and_leaves_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "attempts.sqlite3"
    junk = b"this is not a database" * 100
    db.write_bytes(junk)
    assert main(["--data-dir", str(tmp_path), "practice", "--count", "1"]) == 1
    err = capsys.readouterr().err
    assert str(db) in err
    assert "untouched" in err
    assert db.read_bytes() == junk


def test_practice_refuses_an_unusable_data_dir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data dir should be")
    assert main(["--data-dir", str(blocker / "data"), "practice"]) == 1
    assert "attempts.sqlite3" in capsys.readouterr().err


def test_practice_refuses_filters_that_match_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(tmp_path), "practice", "--topic", "no-such-topic"]) == 1
    assert "no-such-topic" in capsys.readouterr().err
    assert main(["--data-dir", str(tmp_path), "practice", "--count", "0"]) == 1
    assert "--count" in capsys.readouterr().err
