"""Typo tolerance: which spellings of an answer may stand for a rubric word it does not contain
("vanishng" for "vanishing"). Only same-initial spellings of a length the cutoff can reach are
scored, all in one `rapidfuzz.process.extract` call, so the loop runs in C.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right

from rapidfuzz import fuzz, process


class _Keys(dict[str, int]):
    """Sort key of a spelling, (initial, length) packed in one int so sorting and bisection
    compare ints, in C; cached, as spellings recur across answers."""

    def __missing__(self, word: str) -> int:
        key = ord(word[0]) << 32 | len(word)
        if len(self) < 200_000:
            self[word] = key
        return key


_keys = _Keys()


class Candidates:
    """Spellings of an answer worth a comparison, sorted by (initial, length), first seen first
    among equals: those of one initial and a range of lengths are one slice. Sorted on the first
    typo search only: an answer that states every keyword needs none."""

    __slots__ = ("_keys", "_spellings", "unsorted")

    def __init__(self) -> None:
        self.unsorted: list[str] = []  # in reading order, each once: filled while indexing
        self._keys: list[int] | None = None
        self._spellings: list[str] = []

    def between(self, initial: str, shortest: int, longest: int) -> list[str]:
        """Spellings starting with `initial`, `shortest` to `longest` long, shortest first."""
        keys = self._keys
        if keys is None:  # a stable sort: spellings of one key stay in reading order
            self._spellings = sorted(self.unsorted, key=_keys.__getitem__)
            keys = self._keys = list(map(_keys.__getitem__, self._spellings))
        base = ord(initial) << 32
        start = bisect_left(keys, base | shortest)
        return self._spellings[start : bisect_right(keys, base | longest, start)]


def fuzzy_cutoff(word: str) -> float | None:
    """Typo tolerance grows with length; short words must match exactly ("gate" is not "date")."""
    if len(word) < 5 or not word.isalpha():
        return None
    return 84.0 if len(word) < 7 else 82.0


def closest(word: str, cutoff: float, candidates: Candidates, limit: int = 3) -> list[str]:
    """Up to `limit` spellings within `cutoff` of `word`, best first: same first letter (typos
    there are rare), and only lengths where `fuzz.ratio` can reach the cutoff at all."""
    size = len(word)
    share = cutoff / 100  # ratio = 2 * common / (len1 + len2): the lengths it can reach
    shortest, longest = math.ceil(size * share / (2 - share)), int(size * (2 - share) / share)
    choices = candidates.between(word[0], shortest, longest)
    if not choices:
        return []
    found = process.extract(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=limit)
    return [choice for choice, _score, _index in found]
