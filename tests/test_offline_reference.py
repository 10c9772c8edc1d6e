"""The whole-reference signal: recall of the reference's content word roots, blended with the
points. It lifts a score the points support and never makes one alone."""

from __future__ import annotations

from mockinterview.grading import scoring
from mockinterview.grading.offline.grader import OfflineGrader
from mockinterview.grading.offline.matching import AnswerIndex
from mockinterview.models import PointResult, Question

QUESTION = Question(
    id="R1",
    title="Duplicates",
    question="Why can duplicate packets be a problem in a network?",
    answer="The receiver cannot tell valid from duplicated packets and acts on the data twice.",
)


def _recall(answer: str) -> float | None:
    return OfflineGrader._reference_recall(QUESTION, AnswerIndex.build(answer))


def _point(credit: float) -> PointResult:
    return PointResult("p1", "t", 1.0, scoring.verdict(credit), credit)


def test_recall_counts_roots_of_the_reference_not_of_the_question() -> None:
    assert _recall("Duplicate packets are a problem in a network.") == 0
    assert _recall("The receiver acts twice on the same data: it is not valid.") > 0.3


def test_word_forms_of_one_idea_count_once() -> None:
    assert _recall("validity") == _recall("valid")


def test_negated_words_do_not_count() -> None:
    assert _recall("no receiver") < _recall("a receiver")


def test_recall_lifts_a_score_the_points_support_but_never_makes_one() -> None:
    alone = scoring.total_score([_point(0.5)])
    assert scoring.total_score([_point(0.5)], recall=1.0) > alone
    assert scoring.total_score([_point(0.0)], recall=1.0) == 0
    assert scoring.total_score([_point(1.0)], recall=0.0) < 100


def test_the_option_chosen_decides_a_choice_question() -> None:
    from mockinterview.rubrics.derive import derive_rubric

    question = Question(
        id="C1",
        title="",
        question="Which encoding should be used in this network? Give two reasons.",
        answer=(
            "Binary Encoding, as it is the most efficient in terms of bandwidth. Additionally, "
            "you do not have to deal with clock drift as all clocks are perfect."
        ),
    )
    rubric = derive_rubric(question)
    grader = OfflineGrader()
    right = "Binary encoding: clocks are perfect, so there is no drift to recover from."
    wrong = "Manchester encoding: clocks are perfect, so there is no drift to recover from."
    right_score = grader.grade(question, rubric, right).score
    assert right_score >= 80  # the choice and a reason: what was asked
    assert right_score >= grader.grade(question, rubric, wrong).score + 30
