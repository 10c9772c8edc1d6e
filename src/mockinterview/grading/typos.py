"""Typo tolerance: which spellings of an answer may stand for a rubric word it does not contain
("vanishng" for "vanishing"). Only same-initial spellings of a length the cutoff can reach are
scored, all in one `rapidfuzz.process.extract` call, so the loop runs in C.
"""

from __future__ import annotations

import math

from rapidfuzz import fuzz, process

# Spellings of an answer worth a comparison, by (first letter, length).
Candidates = dict[tuple[str, int], list[str]]


def fuzzy_cutoff(word: str) -> float | None:
    """Typo tolerance grows with length; short words must match exactly ("gate" is not "date")."""
    if len(word) < 5 or not word.isalpha():
        return None
    return 84.0 if len(word) < 7 else 82.0


def closest(word: str, cutoff: float, candidates: Candidates, limit: int = 3) -> list[str]:
    """Up to `limit` spellings within `cutoff` of `word`, best first: same first letter (typos
    there are rare), and only lengths where `fuzz.ratio` can reach the cutoff at all."""
    size, first = len(word), word[0]
    share = cutoff / 100  # ratio = 2 * common / (len1 + len2): the lengths it can reach
    shortest, longest = math.ceil(size * share / (2 - share)), int(size * (2 - share) / share)
    choices = [
        choice
        for length in range(shortest, longest + 1)
        for choice in candidates.get((first, length), ())
    ]
    if not choices:
        return []
    found = process.extract(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit)
    return [choice for choice, _score, _index in found]
