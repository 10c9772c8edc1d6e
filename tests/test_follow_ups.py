"""The interviewer's follow-up, without screens: which point it asks about, how it is worded
(never a quote of the reference), how its answer is graded and folded into the grade, how it is
stored (migration 4), exported, re-graded, and fed to the practice queue."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from pathlib import Path
from typing import ClassVar

import pytest

from mockinterview.bank.loader import load_bank
from mockinterview.grading.followup import (
    RAISED_NOTE,
    merge_follow_up,
    raised_point_ids,
    restricted_rubric,
    score_before_follow_up,
)
from mockinterview.grading.offline.grader import OfflineGrader
from mockinterview.locations import bank_dir
from mockinterview.models import Grade, PointResult, Question, Rubric, RubricPoint
from mockinterview.practice.followup import (
    FollowUp,
    FollowUpOutcome,
    answer_follow_up,
    choose_point,
    follow_up_for,
    key_terms,
    offline_question,
    quotes_reference,
)
from mockinterview.practice.plan import SessionPlan
from mockinterview.practice.session import InterviewSession
from mockinterview.review import export, schedule
from mockinterview.review.records import attempt_record, attempt_records
from mockinterview.review.regrade import regrade_attempts
from mockinterview.store import MIGRATIONS, FollowUpRecord, Store, StoreError
from test_review_support import TinyBank, add_attempt, make_grade

WHEN = "2026-03-01T09:00:00+00:00"


def five_word_runs(text: str) -> set[tuple[str, ...]]:
    """Every run of five words of a text, case and punctuation aside (written here apart from
    the module's own check, so the test does not trust what it tests)."""
    words = re.findall(r"[^\W_]+", text.casefold())
    return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}


def point(pid: str, title: str, text: str, keywords: list[list[str]], weight: float = 1.0):
    return RubricPoint(pid, title, text, weight=weight, keywords=keywords)


def result(pid: str, verdict: str, credit: float, weight: float = 1.0) -> PointResult:
    return PointResult(pid, pid, weight, verdict, credit)  # type: ignore[arg-type]


# --- which point, which words ------------------------------------------------------------------


def test_the_follow_up_asks_about_the_heaviest_open_point_a_miss_before_a_partial():
    rubric = Rubric("Q", "h", [
        point("p1", "One", "one", []), point("p2", "Two", "two", [], weight=2.0),
        point("p3", "Three", "three", [], weight=2.0), point("p4", "Four", "four", []),
    ])  # fmt: skip
    grade = Grade("Q", "offline", 40.0, [
        result("p1", "miss", 0.0), result("p2", "partial", 0.4, 2.0),
        result("p3", "miss", 0.0, 2.0), result("p4", "hit", 1.0),
    ])  # fmt: skip
    chosen = choose_point(grade, rubric)
    assert chosen is not None and chosen.id == "p3"
    all_hit = Grade("Q", "offline", 100.0, [result(p.id, "hit", 1.0) for p in rubric.points])
    assert choose_point(all_hit, rubric) is None


def test_no_follow_up_when_every_point_was_hit_or_nothing_was_said():
    question = Question("Q", "T", "Why?", "Because.")
    rubric = Rubric("Q", "h", [point("p1", "One", "one", [])])
    hit = Grade("Q", "offline", 100.0, [result("p1", "hit", 1.0)])
    missed = Grade("Q", "offline", 0.0, [result("p1", "miss", 0.0)])
    assert follow_up_for(question, rubric, hit, "an answer") is None
    assert follow_up_for(question, rubric, missed, "   ") is None
    asked = follow_up_for(question, rubric, missed, "an answer")
    assert asked is not None and asked.point_ids == ["p1"] and asked.source == "offline"


def test_the_offline_follow_up_names_the_point_by_its_title_and_key_terms():
    receptive = point(
        "p3",
        "The receptive field",
        "It is the region of the input image that can influence one output unit.",
        [["region of the input", "input region"], ["grows", "increases"], ["dilation"]],
    )
    text = offline_question(receptive, "miss", "The reference says nothing of this.")
    assert text == (
        "A point you didn't cover: “The receptive field”. What would you say about it? "
        "Think of “input region” and “grows”."
    )
    assert key_terms(receptive) == ["input region", "grows"]  # three words at most
    assert offline_question(receptive, "partial", "").startswith("A point you only touched on: ")


def test_a_shortened_title_in_the_offline_follow_up_never_ends_on_a_function_word():
    review = point("p4", "Human review and user feedback", "Humans rate a sample.", [["raters"]])
    reference = "Offline scores need human review and user feedback to be trusted."
    text = offline_question(review, "miss", reference)
    assert text.startswith("A point you didn't cover: “Human review”. "), text


def test_the_offline_follow_up_never_quotes_a_reference_whose_words_are_the_points_own():
    """A derived rubric's title, text and keywords are the reference's own words: the question
    must still hold no five of them in a row."""
    reference = (
        "Batch normalisation normalises each feature over the mini batch and then rescales it "
        "with learned parameters, which keeps activations in a stable range during training."
    )
    derived = point(
        "p1",
        "Batch normalisation normalises each feature over the mini batch",
        reference,
        [["normalises each feature"], ["mini batch"], ["learned parameters"]],
    )
    text = offline_question(derived, "miss", reference)
    assert not five_word_runs(text) & five_word_runs(reference), text
    assert not quotes_reference(text, reference)


def test_offline_follow_ups_of_every_bundled_question_never_quote_its_reference():
    bank = load_bank(bank_dir())
    asked = 0
    for qid, question in bank.questions.items():
        rubric = bank.rubrics.get(qid)
        if rubric is None:
            continue
        reference_runs = five_word_runs(question.answer)
        for rubric_point in rubric.points:
            for verdict in ("miss", "partial"):
                text = offline_question(rubric_point, verdict, question.answer)
                assert not five_word_runs(text) & reference_runs, (qid, rubric_point.id, text)
                asked += 1
    assert asked > 500  # the whole bank, not an empty loop


def test_the_models_follow_up_is_used_unless_it_quotes_the_reference():
    question = Question("Q", "T", "Why?", "Gradients vanish because the sigmoid saturates early.")
    rubric = Rubric("Q", "h", [point("p1", "Saturation", "sigmoid saturates", [["saturates"]])])
    grade = Grade("Q", "llm", 0.0, [result("p1", "miss", 0.0)],
                  extra={"follow_up": "What happens to the derivative far from zero?"})  # fmt: skip
    asked = follow_up_for(question, rubric, grade, "an answer")
    assert asked is not None and asked.source == "llm"
    assert asked.question == "What happens to the derivative far from zero?"
    grade.extra["follow_up"] = "Why do gradients vanish because the sigmoid saturates?"
    fallback = follow_up_for(question, rubric, grade, "an answer")
    assert fallback is not None and fallback.source == "offline"
    fell_back = Grade("Q", "offline (LLM unavailable)", 0.0, [result("p1", "miss", 0.0)],
                      extra={"follow_up": "What about the derivative?"})  # fmt: skip
    offline = follow_up_for(question, rubric, fell_back, "an answer")
    assert offline is not None and offline.source == "offline"


# --- grading and merging -----------------------------------------------------------------------


def test_merging_raises_open_points_the_follow_up_covered_and_never_lowers_any():
    grade = Grade("Q", "offline", 33.3, [
        result("p1", "hit", 1.0), result("p2", "miss", 0.0), result("p3", "partial", 0.5),
    ])  # fmt: skip
    follow = Grade("Q", "offline", 0.0, [result("p2", "hit", 1.0), result("p3", "miss", 0.0)])
    merged = merge_follow_up(grade, follow)
    verdicts = {p.id: (p.verdict, p.credit) for p in merged.points}
    assert verdicts == {"p1": ("hit", 1.0), "p2": ("hit", 1.0), "p3": ("partial", 0.5)}
    assert raised_point_ids(merged) == ["p2"]
    assert score_before_follow_up(merged) == 33.3
    assert merged.score > grade.score
    p2 = next(p for p in merged.points if p.id == "p2")
    assert p2.note.startswith(RAISED_NOTE)
    nothing = Grade("Q", "offline", 0.0, [result("p2", "miss", 0.0), result("p3", "miss", 0.0)])
    assert merge_follow_up(grade, nothing) is grade


def test_the_follow_up_is_graded_by_the_same_grader_on_the_open_points_only():
    question = Question("Q", "Vanishing gradients", "Why do gradients vanish?",
                        "1. Sigmoid saturates.\n2. Chain rule multiplies.")  # fmt: skip
    rubric = Rubric("Q", question.answer_hash, [
        point("p1", "Saturation", "Sigmoid saturates.", [["saturates", "saturation"]]),
        point("p2", "Chain rule", "Chain rule multiplies.", [["chain rule"], ["multiplies"]]),
    ], curated=True)  # fmt: skip

    class Recording(OfflineGrader):
        rubrics: ClassVar[list[list[str]]] = []

        def grade(self, question: Question, rubric: Rubric, answer: str) -> Grade:
            self.rubrics.append([p.id for p in rubric.points])
            return super().grade(question, rubric, answer)

    grader = Recording()
    first = "The sigmoid saturates, so its slope is tiny."
    grade = grader.grade(question, rubric, first)
    assert [p.verdict for p in grade.points] == ["hit", "miss"]
    asked = follow_up_for(question, rubric, grade, first)
    assert asked is not None and asked.point_ids == ["p2"]
    outcome = answer_follow_up(
        grader, question, rubric, grade, first, asked,
        "Backprop uses the chain rule, which multiplies many small factors.",
    )  # fmt: skip
    assert grader.rubrics[-1] == ["p2"]  # only the open point
    assert outcome.raised == ["p2"] and outcome.merged is not None
    assert outcome.merged.score > grade.score
    assert restricted_rubric(rubric, ["p2"]).required is None


# --- storage -----------------------------------------------------------------------------------


def asked(point_ids: list[str]) -> FollowUp:
    return FollowUp("You didn't mention the second: how does chain relate to key?", point_ids)


def test_a_follow_up_and_its_merged_grade_are_stored_together_and_count(tmp_path: Path):
    store = Store.open(tmp_path / "a.sqlite3")
    bank = TinyBank()
    attempt_id = add_attempt(store, "Q1", ["hit", "miss", "miss"], WHEN, answer="saturates")
    before = store.attempt(attempt_id)
    assert before is not None and before.grade is not None and before.follow_up is None
    follow = make_grade("Q1", ["hit", "miss"])  # graded on p2, p3 only: renamed below
    follow.points = [PointResult("p2", "Q1 second", 1.0, "hit", 1.0), follow.points[1]]
    follow.points[1].id = "p3"
    merged = merge_follow_up(before.grade, follow)
    outcome = FollowUpOutcome(
        asked(["p2", "p3"]), answer="the chain rule", grade=follow, merged=merged,
        raised=raised_point_ids(merged), seconds=12.0,
    )  # fmt: skip
    store.record_follow_up(attempt_id, outcome.record(before.score), merged)

    after = store.attempt(attempt_id)
    assert after is not None and after.follow_up is not None
    assert after.follow_up.status == "answered" and after.follow_up.answer == "the chain rule"
    assert after.follow_up.raised == ["p2"] and after.follow_up.score_before == before.score
    assert after.score == merged.score > (before.score or 0)
    assert store.follow_up(attempt_id) == after.follow_up
    counted = store.conn.execute(
        "SELECT point_id, verdict FROM grade_points WHERE attempt_id = ? AND counted = 1",
        (attempt_id,),
    ).fetchall()
    assert dict(counted)["p2"] == "hit"  # the merged points are the ones the figures count
    # the practice queue reads the merged grade: p2 counts as covered, due after p3
    queue = {p.point_id: p for p in schedule.point_queue(store) if p.question_id == "Q1"}
    assert (queue["p2"].last_credit, queue["p3"].last_credit) == (1.0, 0.0)
    assert queue["p2"].due > queue["p3"].due

    record = attempt_record(after, bank, with_answers=True)
    streamed = attempt_records(store, bank, with_answers=True)[0]
    assert record == streamed
    assert streamed["follow_up"]["raised"] == ["p2"] and streamed["follow_up"]["answer"]


def test_a_skipped_follow_up_is_stored_and_leaves_the_grade_as_it_was():
    store = Store.open(":memory:")
    attempt_id = add_attempt(store, "Q1", ["hit", "miss", "miss"], WHEN)
    before = store.attempt(attempt_id)
    assert before is not None
    skipped = FollowUpOutcome(asked(["p2", "p3"]), skipped=True)
    store.record_follow_up(attempt_id, skipped.record(before.score))
    after = store.attempt(attempt_id)
    assert after is not None and after.follow_up is not None and after.follow_up.skipped
    assert after.follow_up.score_before is None and after.follow_up.raised == []
    assert (after.score, after.grade) == (before.score, before.grade)


def test_a_refused_follow_up_write_leaves_neither_the_follow_up_nor_the_merged_grade(
    tmp_path: Path,
):
    path = tmp_path / "a.sqlite3"
    store = Store.open(path)
    attempt_id = add_attempt(store, "Q1", ["hit", "miss", "miss"], WHEN)
    before = store.attempt(attempt_id)
    assert before is not None and before.grade is not None
    merged = merge_follow_up(
        before.grade, Grade("Q1", "offline", 0, [PointResult("p2", "t", 1.0, "hit", 1.0)])
    )
    holder = sqlite3.connect(path, timeout=0)
    holder.execute("BEGIN EXCLUSIVE")
    store.set_busy_timeout(0)
    outcome = FollowUpOutcome(asked(["p2", "p3"]), answer="x", merged=merged, raised=["p2"])
    with pytest.raises(StoreError):
        store.record_follow_up(attempt_id, outcome.record(before.score), merged)
    holder.rollback()
    holder.close()
    after = store.attempt(attempt_id)
    assert after is not None and after.follow_up is None and after.score == before.score


def test_migration_4_adds_follow_ups_to_an_older_database_and_keeps_its_attempts(
    tmp_path: Path,
):
    import mockinterview.store as store_module

    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    old = Store(conn, path)
    store_module.MIGRATIONS = MIGRATIONS[:3]  # type: ignore[misc]
    try:
        old._migrate()
    finally:
        store_module.MIGRATIONS = MIGRATIONS  # type: ignore[misc]
    assert old.schema_version == 3
    grade = make_grade("Q1", ["hit", "miss", "miss"])
    conn.execute(
        "INSERT INTO attempts (question_id, answer, score, grade, started_at, submitted_at)"
        " VALUES ('Q1', 'old answer', ?, ?, ?, ?)",
        (grade.score, json.dumps(grade.to_dict()), WHEN, WHEN),
    )
    conn.commit()
    conn.close()

    store = Store.open(path)
    assert store.schema_version == len(MIGRATIONS) >= 4
    (attempt,) = store.attempts()
    assert attempt.answer == "old answer" and attempt.grade == grade
    assert attempt.follow_up is None
    store.record_follow_up(attempt.id, FollowUpRecord("Why?", "skipped"))
    assert store.follow_up(attempt.id) == FollowUpRecord("Why?", "skipped")


# --- the session, exports, re-grades ---------------------------------------------------------


def test_the_session_counts_the_merged_grade_in_its_summary():
    store = Store.open(":memory:")
    session = InterviewSession.start(store, ["Q1"], SessionPlan())
    grade = make_grade("Q1", ["hit", "miss", "miss"])
    outcome = session.record(answer="a", grade=grade, rubric_hash=None, started_at=WHEN,
                             seconds=5.0, hints=[])  # fmt: skip
    assert outcome.attempt_id is not None
    follow = Grade("Q1", "offline", 0, [PointResult("p2", "t", 1.0, "hit", 1.0)])
    merged = merge_follow_up(grade, follow)
    counted = session.record_follow_up(
        outcome.attempt_id,
        FollowUpOutcome(asked(["p2", "p3"]), answer="b", grade=follow, merged=merged,
                        raised=["p2"]),
    )  # fmt: skip
    assert counted is merged and session.outcomes[0].score == merged.score > grade.score


def exported(store: Store, fmt: str) -> str:
    return export.export(store, TinyBank(), fmt)


def test_exports_show_the_follow_up_its_answer_and_what_it_raised():
    store = Store.open(":memory:")
    raised_id = add_attempt(store, "Q1", ["hit", "miss", "miss"], WHEN, answer="saturates")
    skipped_id = add_attempt(store, "Q2", ["miss", "miss", "miss"], "2026-03-02T09:00:00+00:00")
    attempt = store.attempt(raised_id)
    assert attempt is not None and attempt.grade is not None
    follow = Grade("Q1", "offline", 0, [PointResult("p2", "Q1 second", 1.0, "hit", 1.0)])
    merged = merge_follow_up(attempt.grade, follow)
    answered = FollowUpOutcome(asked(["p2", "p3"]), answer="the chain rule multiplies",
                               grade=follow, merged=merged, raised=["p2"])  # fmt: skip
    store.record_follow_up(raised_id, answered.record(attempt.score), merged)
    store.record_follow_up(skipped_id, FollowUpRecord("What is a shard key?", "skipped"))

    data = json.loads(exported(store, "json"))
    first, second = data["attempts"]
    assert first["follow_up"]["status"] == "answered"
    assert first["follow_up"]["answer"] == "the chain rule multiplies"
    assert first["follow_up"]["raised"] == ["p2"] and first["score"] == merged.score
    assert second["follow_up"] == {"question": "What is a shard key?", "status": "skipped",
                                   "source": "offline", "score_before": None, "raised": [],
                                   "answer": ""}  # fmt: skip

    rows = list(csv.DictReader(io.StringIO(exported(store, "csv"))))
    assert rows[0]["follow_up_status"] == "answered"
    assert rows[0]["follow_up_raised"] == "Q1 second"
    assert rows[0]["follow_up_answer"] == "the chain rule multiplies"
    assert (
        rows[1]["follow_up"] == "What is a shard key?" and rows[1]["follow_up_status"] == "skipped"
    )

    report = exported(store, "md")
    assert "Follow-up: You didn't mention the second" in report
    assert "> the chain rule multiplies" in report
    assert "Raised by my follow-up (from 33): Q1 second" in report
    assert "Follow-up: What is a shard key?\n\nFollow-up skipped." in report


def test_a_regrade_folds_the_follow_up_in_again():
    store = Store.open(":memory:")
    bank = TinyBank()
    attempt_id = add_attempt(store, "Q1", ["hit", "miss", "miss"], WHEN, answer="it saturates")
    attempt = store.attempt(attempt_id)
    assert attempt is not None and attempt.grade is not None
    store.record_follow_up(
        attempt_id,
        FollowUpRecord("And the chain rule?", "answered", point_ids=["p2", "p3"],
                       answer="the chain rule multiplies"),
    )  # fmt: skip
    report = regrade_attempts(store, bank, OfflineGrader(), [attempt_id])
    assert report.regraded
    after = store.attempt(attempt_id)
    assert after is not None and after.regrade is not None
    assert "p2" in raised_point_ids(after.regrade)
    assert {p.id: p.verdict for p in after.regrade.points}["p2"] != "miss"
    assert after.score == after.regrade.score > (score_before_follow_up(after.regrade) or 0)
