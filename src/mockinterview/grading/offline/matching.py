"""Finding a rubric keyword in an answer: every word of a phrase within a small window of the
answer (in any order, so "vanishing gradient" meets "the gradients vanish"), tolerant of typos
and word forms, and aware of negation ("does not help with vanishing gradients").

Why a window and not `partial_ratio` against the whole text: it scores 76 for "database
sharding" in a text that only says "database".
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial
from itertools import accumulate
from typing import NamedTuple

from mockinterview.text.analysis import (
    CLAUSE_BREAKS,
    NEGATIONS,
    STOP_WORDS,
    Token,
    kept_apart,
    normalise_word,
    root,
    split_words,
    stem,
    tokenise,
    word_forms,
    words_may_touch,
)
from mockinterview.text.typos import Candidates, closest, fuzzy_cutoff

# Words after a negation cue, within its clause, that it negates: "does not help with
# vanishing gradients" reaches "vanishing". Wider scopes lower agreement with human grades
# (they catch ideas the student states positively later in the sentence).
NEGATION_SCOPE = 1  # content words a cue negates (verbs of effect pass it on)
NEGATION_REACH = 3  # words a cue reaches at most, within its clause
# Verbs of effect pass a negation on to their object: "does not help with vanishing
# gradients" denies the gradients' fix, so the scope reaches past them.
_PASSES_NEGATION = frozenset(
    stem(w)
    for w in """help helps address addresses solve solves fix fixes prevent prevents affect
    affects change changes cause causes lead leads reduce reduces improve improves mitigate
    mitigates avoid avoids suffer suffers have has need needs deal deals""".split()
)
_NOT_NEGATING_NEXT = frozenset({"only", "just", "merely", "necessarily", "matter"})
# Hedges between a cue and what it denies neither end nor use up its reach: "doesn't really
# help with", "don't actually slow training".
_HEDGES = frozenset(
    """really actually much significantly meaningfully noticeably substantially truly
    particularly greatly even ever""".split()
)
NEGATION_SPAN = 8  # words a cue may reach past hedges and function words, within its clause
# What a dismissal denies: "X isn't a real issue", "X makes no difference", "X doesn't
# matter": the cue denies the subject before it, not a word after it.
_STAKES = frozenset(
    stem(w)
    for w in """matter matters issue issues problem problems concern concerns difference
    advantage advantages benefit benefits important meaningful significant relevant thing
    things""".split()
)
# What may stand between the cue and its stake: "doesn't cause any real problems".
_BEFORE_STAKE = frozenset(
    stem(w)
    for w in """real big major practical serious actual huge much any cause causes make makes
    pose poses create creates""".split()
)
DISMISSAL_REACH = 4  # words after a cue where its stake may stand: "isn't a real issue"
SUBJECT_SPAN = 8  # words before a dismissal's cue that it may deny, within its clause


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


# How indexing treats a spelling: skipped (a function word), or flags: a negation cue, worth
# a typo comparison.
_SKIP, _CUE, _TYPO = -1, 1, 2
Entry = tuple[str, str, str, int]


class _Entries(dict[str, Entry]):
    """(normalised, stem, root, kind) of words as typed, made on first sight and cached like
    the tokeniser's forms: `map(entries.__getitem__, words)` then looks them all up in C."""

    def __missing__(self, word: str) -> Entry:
        norm, word_stem, word_root = word_forms(word)
        kind = 0
        if norm in _UNINDEXED:
            kind = _SKIP
        else:
            if norm in NEGATIONS or norm.endswith("n't"):
                kind |= _CUE
            if len(word_stem) >= 4 and word_stem.isalpha():
                kind |= _TYPO
        entry = (norm, word_stem, word_root, kind)
        if len(self) < 200_000:
            self[word] = entry
        return entry


_entries = _Entries()
_UNSEEN = Match((), False, False)  # not yet looked for (None is "looked for, not found")


@dataclass(slots=True)
class AnswerIndex:
    """An answer tokenised once, then queried for every keyword of every rubric point.

    Built on the hot path of every grade, so the per-word work is kept to one cached dict read
    and the indexing of content words; `tokens` (offsets, clauses) are made only when asked."""

    text: str
    pieces: list[str]  # lead, word, gap, word, gap, ..., gap: the text, split
    words: list[str]  # the words as typed
    gaps: list[str]  # gaps[i] follows words[i]
    forms: list[Entry] = field(default_factory=list)
    positions: defaultdict[str, list[int]] = field(default_factory=partial(defaultdict, list))
    negated: set[int] = field(default_factory=set)
    directly_negated: set[int] = field(default_factory=set)  # the first content word after a cue
    _fuzzy: dict[str, list[int]] = field(default_factory=dict)
    _found: dict[tuple[object, ...], Match | None] = field(default_factory=dict)
    roots: defaultdict[str, list[int]] = field(default_factory=partial(defaultdict, list))
    _choices: Candidates = field(default_factory=Candidates)  # worth a typo comparison
    _tokens: list[Token] | None = None
    _bounds: list[int] | None = None
    _sentences: list[int] | None = None

    @classmethod
    def build(cls, text: str, negation_scope: int = NEGATION_SCOPE) -> AnswerIndex:
        """`negation_scope`: content words a cue negates; a reference text is read with a
        wider one ("no constructor is written" denies the writing too)."""
        pieces = split_words(text)
        words, gaps = pieces[1::2], pieces[2::2]
        forms = list(map(_entries.__getitem__, words))
        index = cls(text, pieces, words, gaps, forms)
        positions, roots, fresh = index.positions, index.roots, index._choices.unsorted
        cues = []
        for i, (norm, word_stem, word_root, kind) in enumerate(forms):
            if kind < 0:  # _SKIP, function words: they only count positions in windows
                continue
            occurrences = positions[word_stem]
            if not occurrences and kind & _TYPO:
                fresh.append(word_stem)
            occurrences.append(i)
            if norm != word_stem:
                positions[norm].append(i)
            roots[word_root].append(i)
            if kind & _CUE:
                cues.append(i)
        for i in _touching(text, gaps):  # "non-linear", or two words touching: also joined
            joined = positions[stem(forms[i][0] + forms[i + 1][0])]
            joined.append(i)
            joined.sort()  # positions stay in reading order
        for i in cues:
            index._mark_negation(i, negation_scope)
        return index

    @property
    def tokens(self) -> list[Token]:
        """The words with their offsets and clause numbers, as `tokenise` gives them."""
        if self._tokens is None:
            tokens = []
            position, clause = len(self.pieces[0]), 0
            for word, gap, form in zip(self.words, self.gaps, self.forms, strict=True):
                end = position + len(word)
                tokens.append(Token(form[0], form[1], position, end, clause, form[2]))
                if _breaks_clause(gap):
                    clause += 1
                position = end + len(gap)
            self._tokens = tokens
        return self._tokens

    @property
    def sentences(self) -> list[int]:
        """The sentence number of every word: ideas that must stand together are looked for
        within one sentence (or line), not across the answer."""
        if self._sentences is None:
            numbers, sentence = [], 0
            for word, gap in zip(self.words, self.gaps, strict=True):
                numbers.append(sentence)
                if gap != " " and _ends_sentence(word, gap):
                    sentence += 1
            self._sentences = numbers
        return self._sentences

    def sentences_with(self, stems: tuple[str, ...]) -> set[int]:
        """Sentences holding every one of `stems` (exact, other forms or typos). Where they
        stand, not what is said of them: whether a negated mention counts is decided before."""
        numbers = self.sentences
        common: set[int] | None = None
        for word_stem in stems:
            positions, _ = self.lookup(word_stem)
            here = {numbers[p] for p in positions}
            common = here if common is None else common & here
            if not common:
                return set()
        return common or set()

    def offsets(self, position: int) -> tuple[int, int]:
        """Start and end of one word in the text, without making every token."""
        bounds = self._bounds or self._make_bounds()
        return bounds[2 * position], bounds[2 * position + 1]

    def _make_bounds(self) -> list[int]:
        """Running sums of the lengths of lead, word, gap, word, ...: where words start, end."""
        self._bounds = list(accumulate(map(len, self.pieces)))
        return self._bounds

    def _mark_negation(self, cue: int, scope: int) -> None:
        forms, gaps = self.forms, self.gaps
        if cue + 1 < len(forms) and forms[cue + 1][0] in _NOT_NEGATING_NEXT:
            if forms[cue + 1][0] == "matter" and forms[cue][0] != "no":
                self._mark_dismissed(cue)  # "it doesn't matter" (not "no matter what")
            return
        if self._dismisses(cue):
            self._mark_dismissed(cue)  # "isn't a real issue", "makes no big difference"
        direct = True
        content = 0
        end = min(cue + 1 + NEGATION_REACH, len(forms))
        j = cue
        while j + 1 < end:
            j += 1
            if _breaks_clause(gaps[j - 1]):  # negation stays within its clause
                break
            self.negated.add(j)
            if forms[j][0] in _HEDGES:  # "doesn't really help": the hedge uses no reach
                end = min(end + 1, cue + 1 + NEGATION_SPAN, len(forms))
                continue
            if forms[j][3] >= 0:
                if direct:  # "no degradation", "does not vanish"
                    self.directly_negated.add(j)
                    direct = False
                if forms[j][1] not in _PASSES_NEGATION:
                    content += 1
                if content >= scope:
                    break

    def _dismisses(self, cue: int) -> bool:
        """Whether a stake word ("issue", "difference") follows the cue closely in its clause."""
        forms, gaps = self.forms, self.gaps
        for j in range(cue + 1, min(cue + 1 + DISMISSAL_REACH, len(forms))):
            if _breaks_clause(gaps[j - 1]):
                return False
            norm, word_stem, _root, kind = forms[j]
            if word_stem in _STAKES:
                return True
            if kind >= 0 and norm not in _HEDGES and word_stem not in _BEFORE_STAKE:
                return False  # "does not reduce the problem" denies the reducing
        return False

    def _mark_dismissed(self, cue: int) -> None:
        """A dismissal denies its subject: the content words before the cue in its clause
        ("dying neurons aren't a practical issue"), each as if negated directly."""
        forms, gaps = self.forms, self.gaps
        for j in range(cue - 1, max(-1, cue - 1 - SUBJECT_SPAN), -1):
            if _breaks_clause(gaps[j]):
                break
            if forms[j][3] >= 0 and forms[j][0] not in _HEDGES:
                self.negated.add(j)
                self.directly_negated.add(j)

    def lookup(self, word_stem: str) -> tuple[list[int], bool]:
        """Positions of a stem: exact, else the closest spellings (typos, other word forms)."""
        exact = self.positions.get(word_stem)
        if exact:
            return exact, False
        return self._near(word_stem), True

    def word(self, word_stem: str) -> tuple[int | None, bool]:
        """A position of one word, exact or by root ("reliability" for "reliable"), preferring
        one not negated; no typo search (cheap: for the many words of reference texts).
        (None, False) when absent; else (position, negated)."""
        positions = self.positions.get(word_stem) or self.roots.get(root(word_stem))
        if not positions:
            return None, False
        negated = self.negated
        if positions[0] not in negated:  # the common case, without a generator
            return positions[0], False
        free = next((p for p in positions if p not in negated), None)
        return (positions[0], True) if free is None else (free, False)

    def _joined(self, joined: str, longest_part: int) -> tuple[list[int], bool]:
        """Positions of two words written as one ("featuremap"), exact or by a spelling about
        as long: a close spelling much shorter is one of the two words alone ("channel" for
        "channelmix", "released" for "released i/o"), which must not stand for both."""
        exact = self.positions.get(joined)
        if exact:
            return exact, False
        cutoff = fuzzy_cutoff(joined)
        if cutoff is None:
            return [], True
        positions: list[int] = []
        for choice in closest(joined, cutoff, self._choices):
            if len(choice) >= len(joined) - 1 and len(choice) > longest_part + 1:
                positions.extend(self.positions[choice])
        return sorted(positions), True

    def _near(self, word_stem: str) -> list[int]:
        """Positions of other forms of a stem (same root), else of its typos; cached."""
        cached = self._fuzzy.get(word_stem)
        if cached is None:
            cached = list(self.roots.get(root(word_stem), ()))
            cutoff = fuzzy_cutoff(word_stem)
            if not cached and cutoff is not None:
                for choice in closest(word_stem, cutoff, self._choices):
                    if not kept_apart(word_stem, choice):
                        cached.extend(self.positions[choice])
                cached.sort()
            self._fuzzy[word_stem] = cached
        return cached

    def find_negated(self, stems: tuple[str, ...], window: int | None = None) -> Match | None:
        """The tightest occurrence of all `stems` that the answer negates, for keywords that
        are negative statements ("not zero-centred" meets "outputs aren't centred on zero")."""
        key = ("negated", stems, window)
        match = self._found.get(key, _UNSEEN)
        if match is not _UNSEEN:
            return match
        if not stems:
            match = None
        else:
            found = [self.lookup(s) for s in stems]
            if any(not positions for positions, _ in found):
                match = None
            else:
                window = window if window is not None else 2 * len(stems) + 2
                match = self._best(found, window, prefer_negated=True)
                # The cue must deny these words themselves: "doesn't fix degradation" leaves
                # the degradation, it does not say "no degradation".
                if match is not None and self.directly_negated.isdisjoint(match.positions):
                    match = None
        self._found[key] = match
        return match

    def find_in_order(
        self, stems: tuple[str, ...], window: int, subjects: frozenset[str] = frozenset()
    ) -> list[Match]:
        """Occurrences of `stems` in the order given, each word after the one before, all
        within `window` words: a claim read as it is said. "relu causes vanishing gradients"
        is not in "vanishing gradients are caused by sigmoid, unlike relu"."""
        if not stems:
            return []
        exact = [self.positions.get(s) or self.roots.get(root(s)) for s in stems]
        if len(stems) - sum(map(bool, exact)) > 1:
            return []  # a claim with two words absent is not made (no typo search for it)
        found: list[tuple[list[int], bool]] = []
        for word_stem, positions in zip(stems, exact, strict=True):
            if positions:
                found.append((positions, False))
                continue
            near = self._near(word_stem)
            if not near:
                return []
            found.append((near, True))
        fuzzy = any(is_fuzzy for _, is_fuzzy in found)
        matches = []
        for start in found[0][0][:50]:
            chosen = [start]
            for positions, _ in found[1:]:
                i = bisect_right(positions, chosen[-1])
                if i == len(positions) or positions[i] - start > window:
                    break
                chosen.append(positions[i])
            else:
                if self._one_clause(start, chosen[-1], subjects):
                    matches.append(_match(tuple(chosen), fuzzy, start in self.negated))
        return matches

    def _one_clause(self, first: int, last: int, subjects: frozenset[str]) -> bool:
        """Whether words `first` to `last` stand in one sentence with no contrast between them
        and `first` is not the foil of a comparison: "BERT predicts the next token" is not
        said by "unlike BERT, GPT predicts the next token" nor by "BERT reads both ways,
        whereas GPT predicts the next token"."""
        gaps, forms, sentences = self.gaps, self.forms, self.sentences
        if sentences[first] != sentences[last]:
            return False
        for i in range(first - 1, max(-1, first - 3), -1):  # "unlike BERT, ...": the foil
            if sentences[i] != sentences[first]:
                break
            if forms[i][0] in _FOILS:
                return False
        for i in range(first + 1, last):
            if forms[i][0] in _CONTRASTS:
                return False
            if forms[i][1] in subjects and _starts_statement(forms, gaps, i):
                return False  # "A does X and B does Y": B starts a second statement
        return True

    def cue_before(self, position: int) -> int | None:
        """The negation cue whose scope covers `position`, for evidence that shows it: in the
        same clause, as a negation never reaches past one."""
        for i in range(position - 1, max(-1, position - 1 - NEGATION_SPAN), -1):
            if _breaks_clause(self.gaps[i]):
                return None
            if self.forms[i][3] > 0 and self.forms[i][3] & _CUE:
                return i
        return None

    def find(self, stems: tuple[str, ...], window: int | None = None) -> Match | None:
        """The tightest, preferably not negated, occurrence of all `stems` within a window."""
        key = stems if window is None else (stems, window)  # a stem is never a tuple
        match = self._found.get(key, _UNSEEN)
        if match is not _UNSEEN:
            return match
        if len(stems) != 1:
            match = self._found[key] = self._find(stems, window)
            return match
        # One word, most keywords: `lookup` inlined, and no generator unless it is negated.
        positions, fuzzy = self.positions.get(stems[0]), False
        if not positions:
            positions, fuzzy = self._near(stems[0]), True
        if not positions:
            match = None
        elif positions[0] not in self.negated:
            match = _match((positions[0],), fuzzy, False)
        else:
            free = next((p for p in positions if p not in self.negated), None)
            match = _match((positions[0] if free is None else free,), fuzzy, free is None)
        self._found[key] = match
        return match

    def _find(self, stems: tuple[str, ...], window: int | None) -> Match | None:
        """Several words (or none): each looked up, then the best window of them all."""
        if not stems:
            return None
        found = [self.lookup(s) for s in stems]
        for positions, _ in found:
            if positions:
                continue
            if len(stems) == 2:  # "feature map" ~ "featuremap", "data set" ~ "dataset"
                joined = self._joined(stem(stems[0] + stems[1]), max(map(len, stems)))
                if joined[0]:
                    return self._best([joined], 0)
            return None
        window = window if window is not None else 2 * len(stems) + 2
        return self._best(found, window)

    def _best(
        self, found: list[tuple[list[int], bool]], window: int, prefer_negated: bool = False
    ) -> Match | None:
        """Per anchor (a position of the rarest stem), the nearest position of every stem; the
        first not negated and tightest wins. Lists of positions are sorted: bisection finds
        the nearest one."""
        lists, fuzzy = [], False
        for positions, is_fuzzy in found:
            lists.append(positions)
            fuzzy = fuzzy or is_fuzzy
        tight, negated_at = len(lists) - 1, self.negated
        best: tuple[int, ...] | None = None
        best_key = (True, 0)
        for anchor in min(lists, key=len)[:50]:
            chosen = tuple([_nearest(positions, anchor) for positions in lists])
            first = min(chosen)
            span = max(chosen) - first
            if span > window:
                continue
            # "not vanishing gradients" is negated; "gradients do not vanish" states the fix.
            if prefer_negated:  # "tanh is not zero-centred": any word of it negated
                key = (negated_at.isdisjoint(chosen), span)
            else:
                key = (first in negated_at, span)
            if best is None or key < best_key:
                best, best_key = chosen, key
                if not key[0] and span <= tight:
                    break
        if best is None:
            return None
        return _match(tuple(sorted(set(best))), fuzzy, best_key[0] != prefer_negated)

    def span_text(self, match: Match) -> tuple[str, int, int]:
        """The answer's own characters covered by a match (for evidence highlighting)."""
        bounds = self._bounds or self._make_bounds()
        start = bounds[2 * match.positions[0]]
        end = bounds[2 * match.positions[-1] + 1]
        return self.text[start:end], start, end


def _match(positions: tuple[int, ...], fuzzy: bool, negated: bool) -> Match:
    """A Match without the keyword handling of NamedTuple's constructor (a hot path)."""
    return tuple.__new__(Match, (positions, fuzzy, negated))


def _nearest(positions: list[int], anchor: int) -> int:
    """The position nearest `anchor` in a sorted list, the earlier one on a tie (as `min` with
    the distance as key would give)."""
    i = bisect_left(positions, anchor)
    if i == 0:
        return positions[0]
    if i == len(positions):
        return positions[-1]
    below, above = positions[i - 1], positions[i]
    return below if anchor - below <= above - anchor else above


def _touching(text: str, gaps: list[str]) -> list[int]:
    """Where a word meets the next across a hyphen or nothing (rare: the text tells whether to
    look), found by scans in C."""
    found: list[int] = []
    last = len(gaps) - 1  # the gap after the last word has no word to join
    wanted = []
    if "-" in text:
        wanted.append("-")
    if words_may_touch(text):
        wanted.append("")
    for gap in wanted:
        i = -1
        try:
            while True:
                i = gaps.index(gap, i + 1, last)
                found.append(i)
        except ValueError:
            pass
    return sorted(found)


_SENTENCE_BREAKS = frozenset(".!?;\n")
# Words that turn a sentence from one thing to another: a claim read in order never spans one.
_CONTRASTS = frozenset("whereas while unlike but however versus vs".split())
_FOILS = frozenset("unlike than versus vs compared".split())  # the next word is no subject
_CLAUSE_JOINS = frozenset(",;")
_JOINERS = frozenset({"and", "or"})
_ARTICLES = frozenset({"the", "a", "an"})


# Words whose full stop ends no sentence: "i.e.", "e.g.", "etc.", "vs."
_ABBREVIATIONS = frozenset("i e g ie eg etc vs cf approx resp".split())


def _starts_statement(forms: list[Entry], gaps: list[str], position: int) -> bool:
    """Whether the word at `position` opens a new statement: it follows a comma or
    semicolon, or "and"/"or" (maybe with "the", "a"), as "B" in "A does X, and the B does Y"."""
    for i in range(position - 1, max(-1, position - 4), -1):
        if not _CLAUSE_JOINS.isdisjoint(gaps[i]):
            return True
        norm = forms[i][0]
        if norm in _JOINERS:
            return True
        if norm not in _ARTICLES:
            return False
    return False


def _ends_sentence(word: str, gap: str) -> bool:
    """Whether the gap after `word` ends a sentence: not the full stop of an abbreviation
    ("i.e. the gradient") nor one inside a name ("gc.disable", "functools.wraps")."""
    if _SENTENCE_BREAKS.isdisjoint(gap):
        return False
    return gap != "." and not (gap.rstrip(" ") == "." and word.lower() in _ABBREVIATIONS)


def _breaks_clause(gap: str) -> bool:
    return gap != " " and (not CLAUSE_BREAKS.isdisjoint(gap) or " - " in gap)


def is_negation(word: str) -> bool:
    norm = normalise_word(word)
    return norm in NEGATIONS or norm.endswith("n't")
