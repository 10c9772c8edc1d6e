"""Tokens keep offsets into the original text while their forms are normalised and stemmed."""

from __future__ import annotations

from mockinterview.text.analysis import (
    content_stems,
    is_markup,
    normalise,
    question_words,
    tokenise,
)


def test_offsets_index_the_original_string_even_after_unicode_normalisation() -> None:
    text = "The ﬁlter doesn’t use a 1×1 kernel."
    for token in tokenise(text):
        assert text[token.start : token.end].lower().replace("ﬁ", "fi").replace("’", "'") in (
            token.norm,
            token.norm.replace("x", "×"),
        )
    norms = [t.norm for t in tokenise(text)]
    assert "filter" in norms
    assert "doesn't" in norms
    assert "1x1" in norms


def test_kernel_sizes_are_one_token_however_written() -> None:
    assert normalise("1×1 conv") == normalise("1x1 conv") == normalise("1 x 1 conv") == "1x1 conv"


def test_hyphens_split_words_and_case_is_folded() -> None:
    assert [t.norm for t in tokenise("Non-Linear MIXING")] == ["non", "linear", "mixing"]


def test_word_forms_meet_in_stem_or_root() -> None:
    tokens = tokenise("reduces reducing reusability reuse")
    assert tokens[0].stem == tokens[1].stem
    assert tokens[2].root == tokens[3].root


def test_clauses_are_numbered_at_punctuation() -> None:
    tokens = tokenise("it does not help, but it speeds training")
    assert tokens[0].clause == tokens[3].clause
    assert tokens[4].clause == tokens[3].clause + 1


def test_content_stems_drop_function_words_adverbs_and_latex_markup() -> None:
    text = r"The model effectively uses 18 \cdot C parameters"
    stems = content_stems(text)
    assert "the" not in stems
    assert "effect" not in stems and "effectively" not in stems
    assert "cdot" not in stems
    assert "paramet" in stems
    assert is_markup(text, tokenise(text)[5])


def test_question_words_hold_stems_and_roots() -> None:
    words = question_words("Why are deeper networks harder to train?")
    assert "deeper" in words and "deep" in words
    assert "why" not in words
