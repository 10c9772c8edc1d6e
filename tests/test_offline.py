"""The offline grader on a hand-built rubric: verdicts, credit, evidence, negation, question
words, keyword lists, misconceptions, `required`, and answers that are empty or huge."""

from __future__ import annotations

import threading

import pytest

from mockinterview.grading.offline.grader import MAX_WORDS, OfflineGrader
from mockinterview.models import Question, Rubric, RubricPoint

QUESTION = Question(
    id="T1",
    title="Residual connections",
    question="Why are residual connections important in deep neural networks?",
    answer="(1) They fight vanishing gradients. (2) They stop degradation.",
)
RUBRIC = Rubric(
    question_id="T1",
    answer_hash=QUESTION.answer_hash,
    points=[
        RubricPoint(
            id="p1",
            title="Vanishing gradients",
            text="A shortcut gives gradients a direct path, preventing vanishing gradients.",
            keywords=[["vanishing gradient"], ["shortcut", "skip connection"], ["direct path"]],
            misconceptions=["residual connections add parameters"],
        ),
        RubricPoint(
            id="p2",
            title="Degradation",
            text="Without them, stacking more layers raises the training error (degradation).",
            keywords=[["degradation"], ["training error"], ["more layers", "stacking layers"]],
        ),
    ],
)
GRADER = OfflineGrader()
STRONG = (
    "The skip connection is a shortcut that gives the gradient a direct path backwards, so "
    "vanishing gradients are avoided. It also fixes degradation: stacking more layers no longer "
    "raises the training error."
)


def grade(answer: str, rubric: Rubric = RUBRIC):
    return GRADER.grade(QUESTION, rubric, answer)


def test_strong_answer_hits_every_point_with_evidence_from_the_answer() -> None:
    result = grade(STRONG)
    assert result.grader == "offline"
    assert result.score > 85
    assert [p.verdict for p in result.points] == ["hit", "hit"]
    for point in result.points:
        assert point.evidence
        for evidence in point.evidence:
            assert STRONG[evidence.start : evidence.end] == evidence.text
    assert "matched" in result.points[0].note


def test_missing_point_is_named_in_the_feedback() -> None:
    result = grade(
        "A shortcut gives the gradient a direct path, so vanishing gradients vanish less."
    )
    assert result.points[0].verdict == "hit"
    assert result.points[1].verdict == "miss"
    assert "Degradation" in result.feedback
    assert 30 < result.score < 80


def test_negated_point_earns_nothing_and_says_why() -> None:
    result = grade("Residual connections do not help with vanishing gradients at all.")
    assert result.points[0].credit < 0.2
    assert "negated" in result.points[0].note
    assert result.score < 15


def test_words_of_the_question_earn_nothing() -> None:
    assert grade(QUESTION.question).score == 0
    assert grade("Residual connections are important in deep neural networks.").score == 0


def test_typos_still_earn_most_of_the_credit() -> None:
    clean = grade("Skip connections prevent vanishing gradients through a direct path.")
    typo = grade("Skip conections prevent vanishng gradients through a direkt path.")
    assert typo.points[0].credit > 0.5
    assert typo.score <= clean.score


def test_keyword_list_scores_below_the_same_ideas_in_sentences() -> None:
    dump = grade(
        "skip connection shortcut direct path vanishing gradient degradation training error"
    )
    assert dump.score < grade(STRONG).score
    assert any("keyword list" in w for w in dump.warnings)


def test_misconception_is_flagged_and_voids_the_point() -> None:
    result = grade(STRONG + " Residual connections add many parameters to the network.")
    assert result.points[0].credit == 0
    assert result.points[0].note.startswith("misconception")
    assert any("misconception" in w for w in result.warnings)


def test_required_points_make_full_marks() -> None:
    two_of_three = Rubric(
        question_id="T1",
        answer_hash="x",
        points=[
            *RUBRIC.points,
            RubricPoint(id="p3", title="Ensembles", text="x", keywords=[["ensemble"]]),
        ],
        required=2,
    )
    assert grade(STRONG, two_of_three).score == pytest.approx(grade(STRONG).score, abs=0.5)
    assert grade(STRONG, two_of_three).score > 85


def test_credit_is_concave_in_coverage() -> None:
    half = grade("A shortcut gives the gradient a direct path, preventing vanishing gradients.")
    assert half.score > 50  # the first idea earns more than its linear share


@pytest.mark.parametrize("answer", ["", "   ", "\n\t"])
def test_empty_answer_scores_zero(answer: str) -> None:
    result = grade(answer)
    assert result.score == 0
    assert [p.verdict for p in result.points] == ["miss", "miss"]
    assert "empty answer" in result.warnings


def test_huge_answer_is_truncated_with_a_warning() -> None:
    result = grade(("filler words without meaning here. " * (MAX_WORDS // 5 + 10)) + STRONG)
    assert any("truncated" in w for w in result.warnings)
    assert result.score < 10


def test_rubric_without_points_scores_zero() -> None:
    empty = Rubric(question_id="T1", answer_hash="x", points=[])
    result = grade(STRONG, empty)
    assert result.score == 0 and result.points == []


def test_grader_is_thread_safe() -> None:
    expected = grade(STRONG).to_dict()
    results: list[dict] = []

    def work() -> None:
        for _ in range(20):
            results.append(grade(STRONG).to_dict())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 80
    assert all(r == expected for r in results)


def test_negation_that_the_reference_itself_states_is_agreement() -> None:
    question = Question(
        id="T2",
        title="",
        question="When does C++ create a default constructor?",
        answer="When no constructor is written by the programmer.",
    )
    rubric = Rubric(
        question_id="T2",
        answer_hash="x",
        points=[
            RubricPoint(
                id="p1",
                title="none written",
                text="When no constructor is written by the programmer.",
                keywords=[["written", "declared"], ["programmer"]],
            )
        ],
    )
    agrees = GRADER.grade(question, rubric, "If the programmer has not written one.")
    assert agrees.points[0].verdict == "hit"


def test_negating_the_problem_a_reference_prevents_states_the_fix() -> None:
    """The reference prevents vanishing gradients: "no vanishing gradients" says the same,
    while "does not help with vanishing gradients" still earns nothing."""
    fix = grade("With them there are no vanishing gradients.")
    assert "matched 'vanishing gradients'" in fix.points[0].note
    assert "negated" not in fix.points[0].note
    denial = grade("With them it does not help with vanishing gradients.")
    assert "negated: 'vanishing gradients'" in denial.points[0].note
    assert denial.points[0].credit + 0.25 < fix.points[0].credit


def test_negating_a_problem_the_reference_only_names_earns_nothing() -> None:
    """The reference says stacking layers raises the error (nothing prevents it): an answer
    denying degradation contradicts it."""
    result = grade("There is no degradation when stacking more layers.")
    assert "negated: 'degradation'" in result.points[1].note


def test_megabytes_of_text_are_graded_quickly() -> None:
    import time

    started = time.perf_counter()
    result = grade(STRONG + " " + "x" * 5_000_000)
    assert time.perf_counter() - started < 2.0
    assert any("truncated" in w for w in result.warnings)
    assert result.score > 50  # the start of the answer still counts


def test_evidence_offsets_survive_unicode_and_crlf() -> None:
    answer = "Ünïcode 🙂 first.\r\nThe ﬁrst SKIP-CONNECTION is a shortcut: gradients don’t vanish."
    result = grade(answer)
    spans = [e for p in result.points for e in p.evidence]
    assert spans
    for evidence in spans:
        assert answer[evidence.start : evidence.end] == evidence.text
