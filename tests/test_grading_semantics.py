"""What a curated rubric means to the offline grader: negative statements matched as such,
wrong claims named, ideas that must stand together, and no credit for the reference's
wording beyond what the rubric's alternatives say."""

from __future__ import annotations

from dataclasses import replace

from mockinterview.grading.offline.grader import OfflineGrader
from mockinterview.models import Question, Rubric, RubricPoint

QUESTION = Question(
    id="T2",
    title="Sigmoid",
    question="What are the drawbacks of the sigmoid activation function?",
    answer=(
        "(1) Not zero-centred: its outputs are not zero-centred, so updates zig-zag.\n"
        "(2) Saturation: for large inputs the curve flattens and gradients vanish."
    ),
)
NOT_CENTRED = RubricPoint(
    id="p1",
    title="Not zero-centred",
    text="Its outputs are not zero-centred, so updates zig-zag.",
    keywords=[["not zero centred", "never centred on zero", "always positive"]],
    misconceptions=["outputs centred around zero"],
)
SATURATION = RubricPoint(
    id="p2",
    title="Saturation",
    text="For large inputs the curve flattens and gradients vanish.",
    keywords=[
        ["large inputs", "extreme inputs", "big inputs"],
        ["flattens", "saturates", "flat tails"],
        ["gradients vanish", "gradient near zero", "tiny gradients"],
    ],
    min_groups=2,
)
CURATED = Rubric("T2", QUESTION.answer_hash, [NOT_CENTRED, SATURATION], curated=True)
GRADER = OfflineGrader()


def verdicts(answer: str, rubric: Rubric = CURATED) -> list[str]:
    return [p.verdict for p in GRADER.grade(QUESTION, rubric, answer).points]


def test_a_negative_point_is_earned_by_any_true_negation() -> None:
    for answer in (
        "Its outputs aren't centred on zero.",
        "The outputs are never zero-centred.",
        "Outputs are not zero centered at all.",
    ):
        assert verdicts(answer)[0] == "hit", answer


def test_a_negative_point_is_not_earned_by_the_positive_claim() -> None:
    grade = GRADER.grade(QUESTION, CURATED, "Its outputs are zero-centred.")
    assert grade.points[0].verdict == "miss"


def test_evidence_of_a_negative_point_shows_the_negation() -> None:
    answer = "Sadly the outputs are not zero-centred."
    point = GRADER.grade(QUESTION, CURATED, answer).points[0]
    assert point.evidence[0].text == "not zero-centred"


def test_a_misconception_earns_nothing_and_is_named() -> None:
    grade = GRADER.grade(QUESTION, CURATED, "The outputs are centred around zero, always.")
    assert grade.points[0].credit == 0
    assert "misconception" in grade.points[0].note
    assert any("misconception" in w for w in grade.warnings)


def test_a_negative_misconception_needs_the_negation() -> None:
    point = replace(SATURATION, misconceptions=["gradients never vanish"])
    rubric = replace(CURATED, points=[NOT_CENTRED, point])
    wrong = "For large inputs it flattens, but the gradients never vanish."
    right = "For large inputs it saturates and the gradients vanish."
    assert GRADER.grade(QUESTION, rubric, wrong).points[1].credit == 0
    assert GRADER.grade(QUESTION, rubric, right).points[1].verdict == "hit"


def test_ideas_of_a_curated_point_must_stand_together() -> None:
    together = "With large inputs the curve saturates, so gradients vanish."
    scattered = (
        "Large inputs are common in practice. The optimiser is Adam. Training takes hours. "
        "Some curves have flat tails."
    )
    assert verdicts(together)[1] == "hit"
    assert verdicts(scattered)[1] == "partial"


def test_a_curated_rubric_gives_nothing_for_the_reference_wording_alone() -> None:
    """Reference words that no alternative names ("updates zig-zag") earn a curated point
    nothing; a derived rubric, which has no alternatives, still counts them."""
    answer = "The updates zig-zag."
    assert GRADER.grade(QUESTION, CURATED, answer).score == 0
    derived = replace(CURATED, curated=False)
    assert GRADER.grade(QUESTION, derived, answer).score > 0


def test_a_curated_answer_in_other_words_scores_like_one_in_the_reference_words() -> None:
    own = (
        "Sigmoid outputs are always positive, which makes learning zig-zag; and for big inputs "
        "the tails are flat so the gradient is near zero."
    )
    reference = (
        "Its outputs are not zero-centred, so updates zig-zag. For large inputs the curve "
        "flattens and gradients vanish."
    )
    assert GRADER.grade(QUESTION, CURATED, own).score >= 90
    assert GRADER.grade(QUESTION, CURATED, reference).score >= 90


def test_half_the_ideas_of_a_curated_rubric_earn_about_half_the_marks() -> None:
    half = "Its outputs are never centred on zero, so every update pushes weights one way."
    assert 40 <= GRADER.grade(QUESTION, CURATED, half).score <= 60


def test_a_list_of_a_curated_rubrics_terms_scores_well_below_the_explained_answer() -> None:
    dump = "not zero centred, large inputs, saturates, gradients vanish"
    prose = (
        "The outputs are not zero-centred. With large inputs the function saturates, so the "
        "gradients vanish."
    )
    listed = GRADER.grade(QUESTION, CURATED, dump)
    assert any(w.startswith("keyword list") for w in listed.warnings)
    assert listed.score <= 0.5 * GRADER.grade(QUESTION, CURATED, prose).score


def test_a_claim_the_answer_denies_is_not_a_misconception() -> None:
    point = replace(SATURATION, misconceptions=["large inputs flatten"])
    rubric = replace(CURATED, points=[NOT_CENTRED, point])
    denied = "Large inputs do not flatten it as much as you think, but gradients vanish."
    assert "misconception" not in GRADER.grade(QUESTION, rubric, denied).points[1].note


def test_a_negative_alternative_needs_its_own_words_denied() -> None:
    """'does not fix the centring' leaves the problem; it does not say 'not centred'."""
    point = replace(NOT_CENTRED, keywords=[["not centred"]], misconceptions=[])
    rubric = replace(CURATED, points=[point, SATURATION])
    assert verdicts("Batch norm does not fix the centring of outputs.", rubric)[0] == "miss"
    assert verdicts("The outputs are not centred.", rubric)[0] == "hit"


def test_a_corrected_curated_grade_is_scored_as_the_curated_rubric_scores() -> None:
    from mockinterview.review.corrections import corrected_grade

    automatic = GRADER.grade(QUESTION, CURATED, "Its outputs are not zero-centred.")
    assert automatic.extra["curated"] is True
    corrected = corrected_grade(automatic, {"p2": "hit"}, recall=0.1)
    assert corrected is not None and corrected.score == 100.0


def test_the_explanation_of_a_curated_grade_names_no_reference_share() -> None:
    from mockinterview.grading.explain import explain, reference_recall

    answer = "Not zero-centred outputs; with large inputs it saturates and gradients vanish."
    grade = GRADER.grade(QUESTION, CURATED, answer)
    assert reference_recall(QUESTION, answer, grade) is None
    lines = " ".join(explain(grade, answer).lines())
    assert "whole reference" not in lines


def test_a_misconception_is_read_in_the_order_it_is_said() -> None:
    point = replace(SATURATION, misconceptions=["large inputs keep gradients big"])
    rubric = replace(CURATED, points=[NOT_CENTRED, point])
    wrong = "Large inputs keep the gradients big, so it never saturates."
    contrast = (
        "Big gradients come from small inputs; large inputs saturate it and gradients vanish."
    )
    assert "misconception" in GRADER.grade(QUESTION, rubric, wrong).points[1].note
    assert "misconception" not in GRADER.grade(QUESTION, rubric, contrast).points[1].note
