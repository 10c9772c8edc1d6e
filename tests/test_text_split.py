"""The fast splitter must give exactly the regex's pieces: offsets and grades depend on them."""

from __future__ import annotations

import random

import pytest

from mockinterview.grading.text import WORD_SPLIT, split_words

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
]


@pytest.mark.parametrize("text", TRICKY)
def test_split_words_matches_the_regex(text: str) -> None:
    assert split_words(text) == WORD_SPLIT.split(text)


def test_split_words_matches_the_regex_on_random_texts() -> None:
    rng = random.Random(7)
    alphabet = [*"ab x×*3 0_'’-\n\t.,()\u00a0é٣²", "3 x 3", "doesn't", "1×1", "  "]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(14)))
        assert split_words(text) == WORD_SPLIT.split(text), repr(text)
