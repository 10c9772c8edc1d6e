"""The fast splitter must give exactly the regex's pieces: offsets and grades depend on them."""

from __future__ import annotations

import random

import pytest

from mockinterview.text.analysis import WORD_SPLIT, split_words, words_may_touch

TRICKY = [
    "",
    " ",
    "  two  spaces  ",
    "word",
    "Non-linear units don't saturate; the 3 × 3 kernels - mostly -\r\nfine.\u2014 Ok",
    "a 1×1 conv, a 3 x 3 one, 5x5, 2 *2 and 7* 7",
    "3\nx 3 and 3x 3 and 3 x3abc",
    "rock'n'roll, doesn’t, it's, 'quoted' words'",
    "snake_case and __dunder__ names",
    "(parenthesised) [bracketed] {braced}",
    "café naïve ﬁlter \u00a0non-breaking\u2003em-space",
    "digits ٣ ² ½ and 12, 3.5, 1e-3",
    "O(n log n) vs O(1); p < 0.05!",
    "3×3a touch",
]


@pytest.mark.parametrize("text", TRICKY)
def test_split_words_matches_the_regex(text: str) -> None:
    pieces = split_words(text)
    assert pieces == WORD_SPLIT.split(text)
    if "" in pieces[2::2][:-1]:  # two words with no gap between them
        assert words_may_touch(text)


def test_only_kernel_sizes_let_words_touch() -> None:
    assert WORD_SPLIT.split("3×3a") == ["", "3×3", "", "a", ""]
    assert words_may_touch("3×3a")
    assert not words_may_touch("max pooling, 2 layers, x-axis")


def test_split_words_matches_the_regex_on_random_texts() -> None:
    rng = random.Random(7)
    alphabet = [*"ab x×*3 0_'’-\n\t.,()\u00a0é٣²", "3 x 3", "doesn't", "1×1", "  "]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(14)))
        pieces = split_words(text)
        assert pieces == WORD_SPLIT.split(text), repr(text)
        if "" in pieces[2::2][:-1]:  # two words with no gap between them
            assert words_may_touch(text), repr(text)
