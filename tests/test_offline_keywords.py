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
