"""Keyword groups for a rubric point, derived from its title and reference text.

A group is a list of alternatives (a term and its synonyms or abbreviations); the grader covers
a point when enough groups match. Chosen here: the salient content words and known multi-word
terms of the point, title words first, never words of the question itself (repeating the
question must earn nothing).
"""

from __future__ import annotations

import re

from mockinterview.text.analysis import Token, is_markup, is_weak, question_words, tokenise
from mockinterview.text.synonyms import alternatives_for, known_phrase

MAX_GROUPS = 6

# Marks of grading instructions ("0.5 P for ...", "1P for the drawback") are no keywords. A list
# of instruction words ("sensible", "choice", "sufficient") was tried too and dropped: it cost
# agreement on the held-out folds of bench/crossval.py.
_MARKS = re.compile(r"\d+(?:\.\d+)?(?:p|pt|pts)")  # "1P", "0.5pt": marks, not content

# "e.g. 300m to 30m", "(for example a router)": an illustration, not what a point requires.
_EXAMPLE = re.compile(r"\b(?:e\.\s?g\.?|eg\.|for (?:example|instance))[^.;:)\n]*", re.IGNORECASE)


def without_examples(text: str) -> str:
    return _EXAMPLE.sub(" ", text)


def _is_slash_pair(text: str, left: Token, right: Token) -> bool:
    """ "fluctuations/oscillations": two words for one idea. Acronym pairs ("CSMA/CD",
    "TCP/IP") and short ones ("I/O") name one thing and stay apart."""
    if text[left.end : right.start].strip() != "/":
        return False
    words = (text[left.start : left.end], text[right.start : right.end])
    return all(len(w) >= 4 and w.isalpha() and not w.isupper() for w in words)


def _is_content(text: str, token: Token, asked: frozenset[str]) -> bool:
    return (
        not is_weak(token.norm)
        and token.stem not in asked
        and token.root not in asked
        and not _MARKS.fullmatch(token.norm)
        and not is_markup(text, token)
        and (len(token.norm) > 2 or any(c.isdigit() for c in token.norm))
    )


def _terms(
    text: str, asked: frozenset[str], slashed: dict[str, str] | None = None
) -> list[tuple[str, str]]:
    """(key, surface) of each term in order: hyphenated compounds ("zero-centered") and known
    phrases ("vanishing gradient") stay whole; other content words stand alone. The second word
    of a slash pair goes to `slashed` (key -> its alternative), not into the terms."""
    tokens = tokenise(text)
    terms: list[tuple[str, str]] = []
    if slashed is None:
        slashed = {}
    i = 0
    while i < len(tokens):
        end = i + 1
        while end < len(tokens) and text[tokens[end - 1].end : tokens[end].start] == "-":
            end += 1
        if end == i + 1:
            for size in (3, 2):
                window = tokens[i : i + size]
                same_clause = len(window) == size and window[-1].clause == window[0].clause
                if same_clause and known_phrase(" ".join(t.norm for t in window)):
                    end = i + size
                    break
        window = tokens[i:end]
        if end > i + 1:
            if not all(t.stem in asked for t in window):
                surface = " ".join(t.norm for t in window)
                if text[window[0].end : window[1].start] == "-":
                    surface = "-".join(t.norm for t in window)
                terms.append((" ".join(t.stem for t in window), surface))
        elif _is_content(text, tokens[i], asked):
            terms.append((tokens[i].stem, tokens[i].norm))
            if end < len(tokens) and _is_slash_pair(text, tokens[i], tokens[end]):
                if _is_content(text, tokens[end], asked):
                    slashed.setdefault(tokens[i].stem, tokens[end].norm)
                end += 1
        i = end
    return terms


def keyword_groups(text: str, title: str = "", question: str = "") -> list[list[str]]:
    """Groups of alternatives; a point is covered when enough groups match the answer.

    Terms are ranked by salience (title words count double, repeats and long words more), the
    best MAX_GROUPS kept in the order the text gives them."""
    asked = question_words(question)
    scores: dict[str, float] = {}
    surface: dict[str, str] = {}
    order: dict[str, int] = {}
    slashed: dict[str, str] = {}
    title_terms = _terms(title, asked, slashed)
    text_terms = _terms(without_examples(text), asked, slashed)
    if len(text_terms) < 2:  # the example is all there is: keep it
        text_terms = _terms(text, asked, slashed)
    title_keys = {key for key, _ in title_terms}
    for position, (key, term) in enumerate(title_terms + text_terms):
        bonus = 2.0 if " " in key else 1.0
        scores[key] = scores.get(key, 0.0) + bonus + (1.0 if key in title_keys else 0.0)
        scores[key] += min(len(term), 10) / 20
        surface.setdefault(key, term)
        order.setdefault(key, position)
    ranked = sorted(scores, key=lambda k: (-scores[k], order[k]))[:MAX_GROUPS]
    ranked.sort(key=order.__getitem__)
    groups: list[list[str]] = []
    for key in ranked:
        group = alternatives_for(surface[key])
        if key in slashed:
            group += [a for a in alternatives_for(slashed[key]) if a not in group]
        if not any(set(group) & set(other) for other in groups):  # one group per synonym set
            groups.append(group)
    return groups
