"""Keyword groups for a rubric point, derived from its title and reference text.

A group is a list of alternatives (a term and its synonyms or abbreviations); the grader covers
a point when enough groups match. Chosen here: the salient content words and known multi-word
terms of the point, title words first, never words of the question itself (repeating the
question must earn nothing).
"""

from __future__ import annotations

from mockinterview.grading.synonyms import alternatives_for, known_phrase
from mockinterview.grading.text import Token, is_markup, is_weak, question_words, tokenise

MAX_GROUPS = 6


def _is_content(text: str, token: Token, asked: frozenset[str]) -> bool:
    return (
        not is_weak(token.norm)
        and token.stem not in asked
        and token.root not in asked
        and not is_markup(text, token)
        and (len(token.norm) > 2 or any(c.isdigit() for c in token.norm))
    )


def _terms(text: str, asked: frozenset[str]) -> list[tuple[str, str]]:
    """(key, surface) of each term in order: hyphenated compounds ("zero-centered") and known
    phrases ("vanishing gradient") stay whole; other content words stand alone."""
    tokens = tokenise(text)
    terms: list[tuple[str, str]] = []
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
    title_terms = _terms(title, asked)
    text_terms = _terms(text, asked)
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
        if not any(set(group) & set(other) for other in groups):  # one group per synonym set
            groups.append(group)
    return groups
