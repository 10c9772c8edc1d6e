"""Keyword groups derived for a rubric point: salient terms, known phrases kept whole, synonyms
as alternatives, never words of the question, never formula markup."""

from __future__ import annotations

from mockinterview.rubrics.keywords import MAX_GROUPS, keyword_groups

QUESTION = "Why are residual connections important in deep neural networks?"
TEXT = (
    "Residual connections create a direct shortcut for gradient flow by incorporating an "
    "identity mapping, preventing vanishing gradients."
)


def _terms(groups: list[list[str]]) -> set[str]:
    return {term for group in groups for term in group}


def test_known_phrases_stay_whole_and_bring_their_synonyms() -> None:
    groups = keyword_groups(TEXT, "Tackle vanishing gradient problem", QUESTION)
    vanishing = next(g for g in groups if "vanishing gradient" in g)
    assert "gradients vanish" in vanishing
    assert any("identity mapping" in g for g in groups)
    assert len(groups) <= MAX_GROUPS


def test_question_words_and_general_words_are_left_out() -> None:
    terms = _terms(keyword_groups(TEXT, "Tackle vanishing gradient problem", QUESTION))
    assert not terms & {"residual", "connections", "deep", "networks", "important"}
    assert not terms & {"tackle", "incorporating", "problem", "create"}


def test_hyphenated_compounds_stay_whole() -> None:
    groups = keyword_groups(
        "Followed by ReLU, 1×1 convolutions introduce non-linear channel mixing.",
        "Non-linear mixing",
        "What are the benefits of 1×1 convolutional layers?",
    )
    assert groups[0][0] == "non-linear"
    assert "nonlinear" in groups[0]
    assert "1x1" not in _terms(groups)  # the question's own term


def test_latex_markup_is_not_a_keyword() -> None:
    groups = keyword_groups(r"Two 3×3 layers need 18 \cdot C_{in} \cdot C_{out} parameters.")
    assert "cdot" not in _terms(groups)
    assert any("parameters" in g for g in groups)


def test_one_group_per_synonym_set() -> None:
    groups = keyword_groups("Simplicity and interpretability: easy to understand, interpretable.")
    interpretability = [g for g in groups if "interpretable" in g]
    assert len(interpretability) == 1


def test_empty_or_stop_word_text_gives_no_groups() -> None:
    assert keyword_groups("") == []
    assert keyword_groups("the and of it", "", "") == []


def test_slash_pairs_are_alternatives_of_one_group() -> None:
    groups = keyword_groups("Routing can lead to fluctuations/oscillations of the load.")
    assert ["fluctuations", "oscillations"] in groups
    assert not any(group == ["oscillations"] for group in groups)


def test_acronym_slash_pairs_stay_apart() -> None:
    groups = keyword_groups("Ethernet uses CSMA/CD to detect collisions.")
    assert not any({"csma", "cd"} <= set(group) for group in groups)


def test_marks_of_grading_instructions_give_no_keywords() -> None:
    text = "1P for a sensible choice out of: token ring or reservation, 1P for the drawback."
    words = {w for group in keyword_groups(text) for w in group}
    assert words.isdisjoint({"1p", "p"})
    assert "ring" in words or "token ring" in words


def test_an_example_is_not_required() -> None:
    groups = keyword_groups("The diameter shrinks tenfold, e.g. 300m to 30m.")
    words = {w for group in groups for w in group}
    assert "300m" not in words and "30m" not in words
    assert "diameter" in words


def test_direction_words_accept_their_synonyms() -> None:
    group = keyword_groups("The window decreases.")[-1]
    assert group[0] == "decreases"
    assert {"reduce", "smaller", "shrink"} <= set(group)
