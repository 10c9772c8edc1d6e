"""Finding a rubric keyword in an answer: every word of a phrase within a small window of the
answer (in any order, so "vanishing gradient" meets "the gradients vanish"), tolerant of typos
and word forms, and aware of negation ("does not help with vanishing gradients").

Why a window and not `partial_ratio` against the whole text: it scores 76 for "database
sharding" in a text that only says "database".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from rapidfuzz import fuzz

from mockinterview.grading.text import (
    NEGATIONS,
    STOP_WORDS,
    Token,
    normalise_word,
    root,
    stem,
    tokenise,
)

# Words after a negation cue, within its clause, that it negates: "does not help with
# vanishing gradients" reaches "vanishing". Wider scopes lower agreement with human grades
# (they catch ideas the student states positively later in the sentence).
NEGATION_SCOPE = 3
_NOT_NEGATING_NEXT = frozenset({"only", "just", "merely", "necessarily", "matter"})


class Match(NamedTuple):
    """Where a keyword was found: token positions, whether by a fuzzy (typo) match, negated."""

    positions: tuple[int, ...]
    fuzzy: bool
    negated: bool


# Function words that change what a keyword means ("more layers", "fewer parameters").
_MEANINGFUL = frozenset("more most fewer less least few same all only".split())
# Words no keyword can ask for: left out of the index to keep building it cheap.
_UNINDEXED = (STOP_WORDS - _MEANINGFUL) - NEGATIONS


def keyword_stems(keyword: str) -> tuple[str, ...]:
    """The stems a keyword needs: its content words, or all of them if it is only stop words."""
    tokens = tokenise(keyword)
    content = tuple(t.stem for t in tokens if t.norm not in STOP_WORDS or t.norm in _MEANINGFUL)
    return content or tuple(t.stem for t in tokens)


def fuzzy_cutoff(word: str) -> float | None:
    """Typo tolerance grows with length; short words must match exactly ("gate" is not "date")."""
    if len(word) < 5 or not word.isalpha():
        return None
    return 84.0 if len(word) < 7 else 82.0


@dataclass
class AnswerIndex:
    """An answer tokenised once, then queried for every keyword of every rubric point."""

    text: str
    tokens: list[Token]
    positions: defaultdict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    negated: set[int] = field(default_factory=set)
    _fuzzy: dict[str, list[int]] = field(default_factory=dict)
    _found: dict[tuple[tuple[str, ...], int | None], Match | None] = field(default_factory=dict)
    roots: defaultdict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    # spellings worth a typo comparison, by (first letter, length)
    _choices: dict[tuple[str, int], list[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, text: str, tokens: list[Token] | None = None) -> AnswerIndex:
        tokens = tokenise(text) if tokens is None else tokens
        index = cls(text, tokens)
        positions, roots, choices = index.positions, index.roots, index._choices
        cues = []
        previous_end = -2
        unindexed = _UNINDEXED
        for i, (norm, word_stem, start, end, _clause, word_root) in enumerate(tokens):
            if start - previous_end < 2 and (start == previous_end or text[previous_end] == "-"):
                positions[stem(tokens[i - 1].norm + norm)].append(i - 1)  # "non-linear"
            previous_end = end
            if norm in unindexed:  # function words: they only count positions in windows
                continue
            if norm in NEGATIONS or norm.endswith("n't"):
                cues.append(i)
            occurrences = positions[word_stem]
            if not occurrences and len(word_stem) >= 4 and word_stem.isalpha():
                choices.setdefault((word_stem[0], len(word_stem)), []).append(word_stem)
            occurrences.append(i)
            if norm != word_stem:
                positions[norm].append(i)
            roots[word_root].append(i)
        for i in cues:
            index._mark_negation(i)
        return index

    def _mark_negation(self, cue: int) -> None:
        tokens = self.tokens
        clause = tokens[cue].clause
        if cue + 1 < len(tokens) and tokens[cue + 1].norm in _NOT_NEGATING_NEXT:
            return
        for j in range(cue + 1, min(cue + 1 + NEGATION_SCOPE, len(tokens))):
            if tokens[j].clause != clause:
                break
            self.negated.add(j)

    def lookup(self, word_stem: str) -> tuple[list[int], bool]:
        """Positions of a stem: exact, else the closest spellings (typos, other word forms)."""
        exact = self.positions.get(word_stem)
        if exact:
            return exact, False
        cached = self._fuzzy.get(word_stem)
        if cached is None:
            cached = list(self.roots.get(root(word_stem), ()))
            cutoff = fuzzy_cutoff(word_stem)
            if not cached and cutoff is not None:
                for choice in self._typos(word_stem, cutoff):
                    cached.extend(self.positions[choice])
                cached.sort()
            self._fuzzy[word_stem] = cached
        return cached, True

    def _typos(self, word: str, cutoff: float) -> list[str]:
        """Spellings of the answer within `cutoff` of `word`: same first letter (typos there are
        rare), close in length (ratio >= 80 allows only a couple of letters more or less)."""
        size = len(word)
        ratio = fuzz.ratio
        scored = []
        for length in range(size - 3, size + 4):
            for choice in self._choices.get((word[0], length), ()):
                score = ratio(word, choice, score_cutoff=cutoff)
                if score:
                    scored.append((score, choice))
        scored.sort(reverse=True)
        return [choice for _, choice in scored[:3]]

    def find(self, stems: tuple[str, ...], window: int | None = None) -> Match | None:
        """The tightest, preferably not negated, occurrence of all `stems` within a window."""
        key = (stems, window)
        if key in self._found:
            return self._found[key]
        match = self._find(stems, window)
        self._found[key] = match
        return match

    def _find(self, stems: tuple[str, ...], window: int | None) -> Match | None:
        if not stems:
            return None
        if len(stems) == 1:
            positions, fuzzy = self.lookup(stems[0])
            if not positions:
                return None
            free = next((p for p in positions if p not in self.negated), None)
            if free is None:
                return Match((positions[0],), fuzzy, True)
            return Match((free,), fuzzy, False)
        found = [self.lookup(s) for s in stems]
        if any(not positions for positions, _ in found):
            if len(stems) == 2:  # "feature map" ~ "featuremap", "data set" ~ "dataset"
                joined = self.lookup(stem(stems[0] + stems[1]))
                if joined[0]:
                    return self._best([joined], 0)
            return None
        window = window if window is not None else 2 * len(stems) + 2
        return self._best(found, window)

    def _best(self, found: list[tuple[list[int], bool]], window: int) -> Match | None:
        fuzzy = any(is_fuzzy for _, is_fuzzy in found)
        anchor_list = min((positions for positions, _ in found), key=len)
        best: tuple[bool, int, tuple[int, ...]] | None = None
        for anchor in anchor_list[:50]:
            chosen = tuple(min(positions, key=lambda p: abs(p - anchor)) for positions, _ in found)
            span = max(chosen) - min(chosen)
            if span > window:
                continue
            # "not vanishing gradients" is negated; "gradients do not vanish" states the fix.
            negated = min(chosen) in self.negated
            key = (negated, span, chosen)
            if best is None or key[:2] < best[:2]:
                best = key
                if not negated and span <= len(chosen) - 1:
                    break
        if best is None:
            return None
        return Match(tuple(sorted(set(best[2]))), fuzzy, best[0])

    def span_text(self, match: Match) -> tuple[str, int, int]:
        """The answer's own characters covered by a match (for evidence highlighting)."""
        start = self.tokens[match.positions[0]].start
        end = self.tokens[match.positions[-1]].end
        return self.text[start:end], start, end


def is_negation(word: str) -> bool:
    norm = normalise_word(word)
    return norm in NEGATIONS or norm.endswith("n't")
