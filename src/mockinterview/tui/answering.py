"""Small judgements the question screen makes about an answer, kept free of Textual."""

from __future__ import annotations

import re

from mockinterview.models import Grade, PointResult, Question, Rubric

MARKDOWN_SYNTAX = re.compile(r"\*\*|__|`|\$|\[.+\]\(|^\s{0,3}(#{1,6}\s|[-*+]\s|\d+[.)]\s|\|)", re.M)


def looks_like_markdown(text: str) -> bool:
    """Plain questions are shown as plain text: the Markdown widget costs ~100 ms to start."""
    return bool(MARKDOWN_SYNTAX.search(text))


def word_count(text: str) -> int:
    return len(text.split())


def empty_grade(question: Question, rubric: Rubric) -> Grade:
    """The grade of an empty answer, without bothering a grader: every point missed."""
    return Grade(
        question_id=question.id,
        grader="none (empty answer)",
        score=0.0,
        points=[PointResult(p.id, p.title, p.weight, "miss", 0.0) for p in rubric.points],
        warnings=["The answer was empty, so every point scores 0."],
    )


def next_hint(grade: Grade, revealed: list[str]) -> PointResult | None:
    """The first rubric point the answer does not fully cover and no hint has named yet."""
    return next((p for p in grade.points if p.verdict != "hit" and p.id not in revealed), None)


def hint_exhausted_message(not_covered: int) -> str:
    """What a hint says when it has no new point to name: `not_covered` points are not fully
    covered yet (verdict other than "hit"), and every one of them has been named already."""
    if not_covered == 0:
        return "Your answer already covers every point of the rubric: no hint left."
    if not_covered == 1:
        return "No new hint: the one point not yet covered is named below."
    return f"No new hint: the {not_covered} points not yet covered are named below."
