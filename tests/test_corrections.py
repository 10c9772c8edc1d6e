"""The candidate's corrections of a grade: kept beside the automatic grade, scored by the same
code, driving progress, the practice queue and exports; `eval --mine`; the honest lines."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mockinterview.cli import main
from mockinterview.grading import scoring
from mockinterview.grading.explain import MEASURES, explain, reference_recall
from mockinterview.models import Grade, PointResult, Question
from mockinterview.review import corrections, export, schedule, stats
from mockinterview.review.records import attempt_records
from mockinterview.review.regrade import regrade_attempts
from mockinterview.store import MIGRATIONS, Store
from test_review_support import TinyBank, add_attempt, make_grade

WHEN = "2026-03-01T09:00:00+00:00"


def correct(store: Store, attempt_id: int, *point_ids: str) -> Grade | None:
    """Press the keys of these points on the attempt, as the app does."""
    attempt = store.attempt(attempt_id)
    assert attempt is not None and attempt.grade is not None
    overrides = corrections.overrides_of(attempt.corrected)
    for point_id in point_ids:
        overrides = corrections.toggle(attempt.grade, overrides, point_id)
    return corrections.save(store, attempt_id, attempt.grade, overrides)


# --- flipping verdicts and the corrected score ---------------------------------------------


def test_a_key_makes_a_miss_or_partial_a_hit_and_a_hit_a_miss_and_again_undoes_it() -> None:
    grade = make_grade("Q1", ["miss", "partial", "hit"])
    overrides = corrections.toggle(grade, {}, "p1")
    overrides = corrections.toggle(grade, overrides, "p2")
    overrides = corrections.toggle(grade, overrides, "p3")
    assert overrides == {"p1": "hit", "p2": "hit", "p3": "miss"}
    assert corrections.toggle(grade, overrides, "p2") == {"p1": "hit", "p3": "miss"}
    assert corrections.toggle(grade, {}, "nope") == {}


def test_the_corrected_score_is_computed_by_the_scoring_code_from_the_new_verdicts() -> None:
    grade = make_grade("Q1", ["miss", "partial", "hit"])
    corrected = corrections.corrected_grade(grade, {"p1": "hit"}, recall=0.2)
    assert corrected is not None
    assert [p.verdict for p in corrected.points] == ["hit", "partial", "hit"]
    assert [p.credit for p in corrected.points] == [1.0, 0.5, 1.0]
    expected = scoring.total_score(corrected.points, None, 0.2)
    assert corrected.score == round(expected, 1)
    assert corrected.grader == corrections.CORRECTED_BY
    assert corrected.extra["correction"]["automatic"] == {"p1": "miss"}
    assert corrected.extra["correction"]["automatic_score"] == grade.score
    assert "the grader said miss" in corrected.points[0].note
    assert grade.points[0].verdict == "miss"  # the automatic grade is left as it was


def test_overrides_that_agree_with_the_grader_are_no_correction() -> None:
    grade = make_grade("Q1", ["hit", "miss", "miss"])
    assert corrections.corrected_grade(grade, {"p1": "hit"}) is None
    assert corrections.corrected_grade(grade, {}) is None


# --- the store keeps both grades, and the corrected one drives the figures ----------------


def test_the_corrected_grade_is_stored_beside_the_automatic_one_and_undo_removes_it() -> None:
    store = Store.open(":memory:")
    attempt_id = add_attempt(store, "Q1", ["miss", "miss", "hit"], WHEN)
    corrected = correct(store, attempt_id, "p1")
    attempt = store.attempt(attempt_id)
    assert attempt is not None and corrected is not None
    assert attempt.original_score == pytest.approx(100 / 3, abs=0.1)  # automatic, untouched
    assert attempt.score == corrected.score  # the correction is what counts
    assert attempt.grade is not None and attempt.grade.points[0].verdict == "miss"
    assert attempt.corrected is not None and attempt.corrected.score == corrected.score
    row = store.conn.execute("SELECT corrected_score FROM attempts").fetchone()
    assert row[0] == corrected.score
    correct(store, attempt_id, "p1")  # the same key again
    attempt = store.attempt(attempt_id)
    assert attempt is not None and attempt.corrected is None
    assert store.conn.execute("SELECT corrected_score FROM attempts").fetchone()[0] is None


def test_progress_figures_and_most_missed_points_use_the_corrected_grade() -> None:
    store = Store.open(":memory:")
    attempt_id = add_attempt(store, "Q1", ["miss", "miss", "miss"], WHEN)
    before = stats.most_missed_points(store)
    assert {p.point_id for p in before} == {"p1", "p2", "p3"}
    corrected = correct(store, attempt_id, "p1", "p2")
    assert corrected is not None
    assert stats.question_progress(store)["Q1"].scores == [corrected.score]
    assert stats.totals(store).average == corrected.score
    assert [p.point_id for p in stats.most_missed_points(store)] == ["p3"]
    counted = store.conn.execute(
        "SELECT point_id, verdict, corrected FROM grade_points WHERE counted = 1 ORDER BY 1"
    ).fetchall()
    assert [tuple(r) for r in counted] == [("p1", "hit", 1), ("p2", "hit", 1), ("p3", "miss", 1)]
    correct(store, attempt_id, "p1", "p2")  # undone: the automatic points count again
    assert {p.point_id for p in stats.most_missed_points(store)} == {"p1", "p2", "p3"}
    assert store.conn.execute("SELECT COUNT(*) FROM grade_points").fetchone()[0] == 3


def test_the_practice_queue_follows_the_corrected_scores_and_credits() -> None:
    store = Store.open(":memory:")
    now = datetime(2026, 3, 10, tzinfo=UTC)
    when = (now - timedelta(days=3)).isoformat()
    first = add_attempt(store, "Q1", ["miss", "miss", "miss"], when)
    add_attempt(store, "Q2", ["hit", "miss", "miss"], when)
    queue = schedule.review_queue(store, ["Q1", "Q2"], now)
    assert [item.question_id for item in queue] == ["Q1", "Q2"]  # Q1 scored 0: weakest
    correct(store, first, "p1", "p2", "p3")
    queue = schedule.review_queue(store, ["Q1", "Q2"], now)
    assert queue[0].question_id == "Q2"
    q1 = next(item for item in queue if item.question_id == "Q1")
    assert q1.last_score == 100.0
    credits = {p.point_id: p.last_credit for p in schedule.point_queue(store, now)
               if p.question_id == "Q1"}  # fmt: skip
    assert credits == {"p1": 1.0, "p2": 1.0, "p3": 1.0}


def test_a_regrade_keeps_the_candidates_verdicts_where_the_grader_still_disagrees() -> None:
    store = Store.open(":memory:")
    bank = TinyBank()
    attempt_id = add_attempt(store, "Q1", ["miss", "miss", "miss"], WHEN, answer="nothing")
    correct(store, attempt_id, "p1", "p2")

    class AgreesOnP1:
        name = "fake"

        def grade(self, question: Question, rubric: object, answer: str) -> Grade:
            return make_grade("Q1", ["hit", "miss", "miss"])

    report = regrade_attempts(store, bank, AgreesOnP1(), [attempt_id])
    assert len(report.regraded) == 1
    attempt = store.attempt(attempt_id)
    assert attempt is not None and attempt.corrected is not None
    assert corrections.overrides_of(attempt.corrected) == {"p2": "hit"}  # p1 now agrees
    assert attempt.corrected.extra["correction"]["automatic_score"] == pytest.approx(33.3)
    counted = store.conn.execute(
        "SELECT COUNT(*) FROM grade_points WHERE counted = 1 AND corrected = 1"
    ).fetchone()[0]
    assert counted == 3


# --- the migration -------------------------------------------------------------------------


def schema_2_database(path: Path) -> None:
    """A database as migrations 1 and 2 left it, with an attempt and a re-grade."""
    store = Store.__new__(Store)
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    store.conn, store.path = conn, path
    import mockinterview.store as store_module

    original = store_module.MIGRATIONS
    store_module.MIGRATIONS = original[:2]  # type: ignore[misc]
    try:
        store._migrate()
    finally:
        store_module.MIGRATIONS = original  # type: ignore[misc]
    grade = make_grade("Q1", ["miss", "hit", "miss"])
    conn.execute(
        "INSERT INTO attempts (question_id, answer, score, grade, started_at, submitted_at)"
        " VALUES ('Q1', 'old answer', ?, ?, ?, ?)",
        (grade.score, json.dumps(grade.to_dict()), WHEN, WHEN),
    )
    regrade = make_grade("Q1", ["partial", "hit", "miss"])
    conn.execute(
        "INSERT INTO regrades (attempt_id, score, grade, grader, created_at)"
        " VALUES (1, ?, ?, 'offline', ?)",
        (regrade.score, json.dumps(regrade.to_dict()), WHEN),
    )
    conn.commit()
    conn.close()


def test_an_older_database_gains_the_correction_columns_and_keeps_its_data(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    schema_2_database(path)
    old = sqlite3.connect(path)
    attempts_before = old.execute("SELECT * FROM attempts").fetchall()
    points_before = old.execute(
        "SELECT attempt_id, regrade_id, point_id, verdict, counted FROM grade_points ORDER BY rowid"
    ).fetchall()
    old.close()
    store = Store.open(path)
    assert store.schema_version == len(MIGRATIONS) >= 3
    width = len(attempts_before[0])
    assert [tuple(r)[:width] for r in store.conn.execute("SELECT * FROM attempts")] == [
        tuple(r) for r in attempts_before
    ]
    points_after = store.conn.execute(
        "SELECT attempt_id, regrade_id, point_id, verdict, counted FROM grade_points ORDER BY rowid"
    ).fetchall()
    assert [tuple(r) for r in points_after] == [tuple(r) for r in points_before]
    attempt = store.attempt(1)
    assert attempt is not None and attempt.corrected is None
    # the re-grade is the automatic grade the correction starts from; it then counts
    corrected = corrections.save(store, 1, store.regrades(1)[-1][1], {"p1": "hit", "p3": "hit"})
    assert corrected is not None and corrected.score == 100.0
    assert stats.question_progress(store)["Q1"].scores == [100.0]
    assert stats.most_missed_points(store) == []
    store.close()


def test_migration_3_is_one_transaction_a_failure_leaves_the_database_as_it_was(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    schema_2_database(path)
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE grade_points ADD COLUMN corrected INTEGER")  # will collide
    conn.commit()
    conn.close()
    with pytest.raises(Exception, match="duplicate column"):
        Store.open(path)
    conn = sqlite3.connect(path)
    columns = {r[1] for r in conn.execute("PRAGMA table_info(attempts)")}
    assert "corrected_score" not in columns  # added earlier in the same migration: rolled back
    assert {r[0] for r in conn.execute("SELECT version FROM schema_migrations")} == {1, 2}
    conn.close()


# --- exports and history show both grades ------------------------------------------------


def corrected_store() -> tuple[Store, int]:
    store = Store.open(":memory:")
    attempt_id = add_attempt(store, "Q1", ["miss", "hit", "miss"], WHEN, answer="my answer")
    correct(store, attempt_id, "p1")
    return store, attempt_id


def test_history_records_and_json_export_carry_both_scores_and_verdicts() -> None:
    store, _ = corrected_store()
    record = attempt_records(store, TinyBank())[0]
    assert record["automatic_score"] == pytest.approx(33.3)
    assert record["corrected_score"] == record["score"] > record["automatic_score"]
    first = record["points"][0]
    assert (first["verdict"], first["automatic_verdict"]) == ("hit", "miss")
    data = json.loads(export.export_json(store, TinyBank()))
    attempt = data["attempts"][0]
    assert attempt["automatic_score"] == pytest.approx(33.3)
    assert attempt["corrected_score"] == attempt["score"]
    assert data["totals"]["average"] == round(attempt["corrected_score"], 1)


def test_csv_and_markdown_exports_show_the_automatic_and_the_corrected_grade() -> None:
    store, _ = corrected_store()
    rows = list(csv.DictReader(io.StringIO(export.export_csv(store, TinyBank()))))
    assert float(rows[0]["automatic_score"]) == pytest.approx(33.3)
    assert float(rows[0]["corrected_score"]) == float(rows[0]["score"])
    assert rows[0]["corrected_points"] == "Q1 first (miss -> hit)"
    report = export.export_markdown(store, TinyBank())
    corrected = stats.question_progress(store)["Q1"].scores[0]
    assert f"{corrected:.0f}/100 (your correction; automatic grade 33)" in report
    assert "Corrected by me: Q1 first (grader: miss, you: hit)" in report


def test_an_uncorrected_attempt_exports_an_empty_corrected_score() -> None:
    store = Store.open(":memory:")
    add_attempt(store, "Q1", ["miss", "hit", "miss"], WHEN)
    record = attempt_records(store, TinyBank())[0]
    assert record["corrected_score"] is None and record["automatic_score"] == record["score"]
    assert all(p["automatic_verdict"] == p["verdict"] for p in record["points"])


# --- eval --mine ---------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_eval_mine_says_clearly_when_nothing_was_corrected(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "eval", "--mine", "--data-dir", str(tmp_path))
    assert code == 0 and out.startswith("No corrected attempts yet")
    code, out, _ = run(capsys, "eval", "--mine", "--format", "json", "--data-dir", str(tmp_path))
    assert code == 0 and json.loads(out)["corrected_attempts"] == 0


def test_eval_mine_reports_score_correlation_and_verdict_agreement(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = Store.open(tmp_path / "attempts.sqlite3")
    a = add_attempt(store, "Q1", ["miss", "miss", "miss"], WHEN)
    b = add_attempt(store, "Q2", ["hit", "hit", "miss"], WHEN)
    c = add_attempt(store, "Q1", ["hit", "hit", "hit"], WHEN)
    add_attempt(store, "Q2", ["miss", "miss", "miss"], WHEN)  # not corrected: left out
    correct(store, a, "p1")
    correct(store, b, "p3")
    correct(store, c, "p2")
    automatic = [0.0, 200 / 3, 100.0]
    corrected_scores = [store.attempt(i).corrected.score for i in (a, b, c)]  # type: ignore[union-attr]
    expected_r = __import__("statistics").correlation(automatic, corrected_scores)
    store.close()
    code, out, _ = run(capsys, "eval", "--mine", "--format", "json", "--data-dir", str(tmp_path))
    data = json.loads(out)
    assert code == 0
    assert data["corrected_attempts"] == 3
    assert data["pearson"] == pytest.approx(expected_r, abs=1e-3)
    assert (data["points"], data["points_agreeing"]) == (9, 6)
    assert data["verdict_agreement"] == pytest.approx(6 / 9, abs=1e-4)
    assert (data["marked_covered"], data["marked_missed"]) == (2, 1)
    code, out, _ = run(capsys, "eval", "--mine", "--data-dir", str(tmp_path))
    assert code == 0
    assert "3 attempt(s) corrected" in out
    assert "Verdicts left standing 6/9 (67%)" in out
    assert f"Pearson r (automatic vs corrected score) {expected_r:.3f}" in out


def test_eval_needs_a_file_or_mine(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "eval")
    assert code == 1 and "FILE.csv" in err and "--mine" in err


# --- the honest lines ---------------------------------------------------------------------


def grade_of(verdicts_credits: list[tuple[str, float]], grader: str = "offline") -> Grade:
    points = [PointResult(f"p{n}", f"point {n}", 1.0, v, c)  # type: ignore[arg-type]
              for n, (v, c) in enumerate(verdicts_credits, start=1)]  # fmt: skip
    return Grade("Q", grader, scoring.total_score(points, None, 0.2), points)


def test_an_offline_grade_says_what_it_measures_and_an_llm_grade_does_not() -> None:
    assert explain(grade_of([("miss", 0.0)]), "x").measures == MEASURES
    assert explain(grade_of([("miss", 0.0)], "llm:gpt"), "x").measures is None


def test_every_point_hit_below_100_is_explained_from_the_scoring_terms() -> None:
    grade = grade_of([("hit", 0.8), ("hit", 1.0)])
    line = explain(grade, "an answer", recall=0.2).ceiling
    assert line is not None and line.startswith(f"Every point hit, yet {grade.score:.0f}:")
    assert f"a hit needs {scoring.HIT:.0%} of a point's credit" in line
    assert "(yours average 90%)" in line
    assert "you used 20% of its key words" in line
    assert f"{scoring.REFERENCE_FULL:.0%} earns it all" in line
    full = grade_of([("hit", 1.0)])
    full.score = 100.0
    assert explain(full, "x", recall=1.0).ceiling is None
    assert explain(grade_of([("hit", 1.0), ("miss", 0.0)]), "x", recall=0.2).ceiling is None


def test_a_long_on_topic_answer_with_few_points_recognised_gets_the_unknown_wording_note() -> None:
    long_answer = " ".join(["word"] * 60)
    grade = grade_of([("hit", 1.0), ("miss", 0.1), ("miss", 0.0), ("miss", 0.0)])
    note = explain(grade, long_answer, recall=0.3, correct_hint="press its number").unknown_wording
    assert note is not None and "words the rubric does not know yet" in note
    assert note.endswith("If it covers a point, press its number.")
    assert explain(grade, long_answer[:100], recall=0.3).unknown_wording is None  # short
    off_topic = grade_of([("miss", 0.1), ("miss", 0.0), ("miss", 0.0)])
    assert explain(off_topic, long_answer, recall=0.05).unknown_wording is None
    assert explain(off_topic, long_answer, recall=0.12).unknown_wording is not None
    partly = grade_of([("partial", 0.4), ("miss", 0.0), ("miss", 0.0)])
    assert explain(partly, long_answer, recall=0.05).unknown_wording is not None
    half = grade_of([("hit", 1.0), ("hit", 1.0), ("miss", 0.0), ("miss", 0.0)])
    assert explain(half, long_answer, recall=0.3).unknown_wording is None  # half recognised


def test_reference_recall_is_the_offline_graders_own_measure() -> None:
    question = Question("Q", "t", "What is it?", "Residual connections ease gradient flow.")
    offline = grade_of([("hit", 1.0)])
    # five ideas (residual, connection, ease, gradient, flow), two of them used
    assert reference_recall(question, "gradient flow improves", offline) == pytest.approx(2 / 5)
    assert reference_recall(question, "gradient flow", grade_of([("hit", 1.0)], "llm")) is None
