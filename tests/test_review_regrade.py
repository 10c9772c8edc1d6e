"""Re-grading: stale attempts are found by rubric hash, originals are never overwritten."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockinterview.models import Grade, Question, Rubric
from mockinterview.review.regrade import regrade_attempts, stale_attempt_ids
from mockinterview.store import Store
from test_review_support import TinyBank, add_attempt, make_grade


class AllHitGrader:
    """A grader that covers every point: shows the new grade is the grader's."""

    name = "fake"

    def grade(self, question: Question, rubric: Rubric, answer: str) -> Grade:
        if "explode" in answer:
            raise RuntimeError("grader down")
        grade = make_grade(question.id, ["hit"] * len(rubric.points))
        grade.grader = self.name
        return grade


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "a.sqlite3")


def test_only_attempts_graded_by_another_rubric_are_stale(store: Store) -> None:
    bank = TinyBank()
    current = bank.rubric_for("Q1").content_hash
    fresh = add_attempt(store, "Q1", ["hit", "miss", "miss"], "2026-03-01T10:00:00+00:00",
                        rubric_hash=current)  # fmt: skip
    old = add_attempt(store, "Q1", ["miss", "miss", "miss"], "2026-03-02T10:00:00+00:00",
                      rubric_hash="edited-since")  # fmt: skip
    add_attempt(store, "GONE", ["hit", "hit", "hit"], "2026-03-03T10:00:00+00:00")
    add_attempt(store, "Q1", None, "2026-03-04T10:00:00+00:00")  # skipped: nothing to re-grade
    assert stale_attempt_ids(store, bank) == [old]
    report = regrade_attempts(store, bank, AllHitGrader())
    assert [(r.attempt_id, r.before, r.after) for r in report.regraded] == [(old, 0.0, 100.0)]
    assert stale_attempt_ids(store, bank) == []  # the re-grade recorded the current hash
    assert store.attempt(old).original_score == 0.0  # type: ignore[union-attr]
    assert [g.grader for _, g in store.regrades(old)] == ["fake"]
    assert store.regrades(fresh) == []


def test_regrading_chosen_attempts_reports_what_it_could_not_do(store: Store) -> None:
    bank = TinyBank()
    ok = add_attempt(store, "Q2", ["miss", "miss", "hit"], "2026-03-01T10:00:00+00:00")
    gone = add_attempt(store, "GONE", ["hit", "hit", "hit"], "2026-03-02T10:00:00+00:00")
    skip = add_attempt(store, "Q2", None, "2026-03-03T10:00:00+00:00")
    boom = add_attempt(store, "Q1", ["miss", "miss", "miss"], "2026-03-04T10:00:00+00:00",
                       answer="explode")  # fmt: skip
    seen: list[tuple[int, int]] = []
    chosen = [ok, gone, skip, boom, 999]
    report = regrade_attempts(
        store, bank, AllHitGrader(), chosen, progress=lambda done, total: seen.append((done, total))
    )
    assert [r.attempt_id for r in report.regraded] == [ok]
    reasons = dict(report.skipped)
    assert set(reasons) == {gone, skip, boom, 999}
    assert "not in the bank" in reasons[gone]
    assert "grader failed" in reasons[boom]
    assert seen[-1] == (5, 5)
    # a second re-grade is kept too, and "before" is the newest grade, not the original
    again = regrade_attempts(store, bank, AllHitGrader(), [ok])
    assert again.regraded[0].before == 100.0
    assert len(store.regrades(ok)) == 2


def test_offline_grader_regrades_a_real_bank_question(store: Store) -> None:
    from mockinterview.bank import load_bank
    from mockinterview.grading.offline.grader import OfflineGrader

    bank = load_bank(Path(__file__).resolve().parents[1] / "bank")
    question = bank.questions["DL0002"]
    answer = (
        "If all weights are one, every neuron computes the same thing: symmetry is never broken."
    )
    attempt = add_attempt(store, "DL0002", ["miss"], "2026-03-01T10:00:00+00:00",
                          answer=answer, rubric_hash="stale")  # fmt: skip
    report = regrade_attempts(store, bank, OfflineGrader())
    assert [r.attempt_id for r in report.regraded] == [attempt]
    [(_, grade)] = store.regrades(attempt)
    assert grade.question_id == question.id and grade.grader == "offline"
    assert len(grade.points) == len(bank.rubric_for("DL0002").points)
