"""Deriving a rubric from a reference answer: one point per numbered item, grouped under the
answer's own headings ("Advantages:", "Drawbacks of ReLU:"), with an item's example or formula
lines kept in its text. An answer without numbered items gets points from its key sentences.

Used by `rubrics build`, by the bank for questions without a rubric file, and by `eval` for
references that are not in the bank (from one sentence to many points), so it must never fail.
"""

from __future__ import annotations

import itertools
import re

from mockinterview.models import Question, Rubric, RubricPoint
from mockinterview.rubrics.sentences import key_sentences, list_units, short_title

# "1." or "2)" opens an item; "0.5 P for ..." is a decimal, not item 0.
_NUMBERED = re.compile(r"^\s*(?:\((?P<a>\d{1,2})\)|(?P<b>\d{1,2})[.)](?!\d))\s*(?P<rest>\S.*)$")
_BULLETED = re.compile(r"^\s*[-*•]\s+(?P<rest>\S.*)$")
# "(1) Bias: ... (2) Variance: ..." or "1) ... 2) ..." on one line: each marker opens an item
_INLINE_MARK = re.compile(r"(?:^|(?<=[\s:;,.]))(?:\((?P<a>\d{1,2})\)|(?P<b>\d{1,2})\))\s+(?=\S)")
# Markdown's "**Bias:** text" or "**Bias**: text" or "__Bias__ - text": the title in bold
_EMPHASISED_TITLE = re.compile(
    r"^(?P<mark>\*\*|__)(?P<title>[^*_:]{2,80}?)\s*(?::\s*(?P=mark)|(?P=mark)\s*(?::|\s[-–—]))\s*"
)
_HEADING = re.compile(r"^\s*(?:#{1,6}\s*)?(?P<name>[^:]{2,60}?)\s*:+\s*$")
_TITLED = re.compile(r"^(?P<title>[^:]{2,80}?)\s*:\s*(?P<text>.*)$")
# "Which encoding should be used?", "Which would you recommend?": the reference opens with the
# choice ("Binary Encoding, as it ..."), the idea a grader checks first.
_ASKS_CHOICE = re.compile(r"\bwhich\b|\bwould you (?:recommend|choose|use)\b", re.IGNORECASE)
_CHOICE_END = re.compile(r"[,.:;(]|\s(?:as|because|since|due to|is|are)\s", re.IGNORECASE)
MAX_CHOICE_WORDS = 5
_NUMBER_WORDS = {
    w: n for n, w in enumerate("one two three four five six seven eight nine ten".split(), start=1)
}
_COUNT = re.compile(
    r"\b(?:give|name|list|state|mention|describe|explain|provide|identify|suggest|outline|"
    r"what are|discuss)\s+(?:at least\s+|any\s+|the\s+)?(?P<n>\d{1,2}|"
    + "|".join(_NUMBER_WORDS)
    + r")\b(?![-.]\w)|\b(?P<m>\d{1,2}|"
    + "|".join(_NUMBER_WORDS)
    + r")\s+(?:\w+\s+)?(?:reasons|ways|advantages|disadvantages|benefits|examples|differences|"
    r"points|factors|methods|techniques|types|properties|causes|steps|drawbacks|limitations|"
    r"uses|applications|features|things|items)\b",
    re.IGNORECASE,
)


def derive_rubric(question: Question) -> Rubric:
    """A rubric with no hand edits; its `answer_hash` ties it to this version of the answer."""
    from mockinterview.rubrics.keywords import keyword_groups

    answer = question.answer
    asked = asked_count(question.question)
    listed = split_inline_items(answer)
    items = _numbered_items(listed) or _bulleted_items(listed) or _headed_items(listed)
    if not items:
        units = list_units(answer)
        if asked is not None and len(units) > asked:  # "name 4 of" a list: any 4 will do
            items = [("", short_title(s), s) for s in units]
        else:
            items = [("", short_title(s), s) for s in key_sentences(answer)]
    choice = chosen_option(question)
    if choice:
        items = [("", choice, choice), *items]
    points = []
    for n, (section, title, text) in enumerate(items, start=1):
        groups = keyword_groups(text, title, question.question)
        points.append(
            RubricPoint(
                id=f"p{n}",
                title=title,
                text=text,
                section=section,
                weight=1.0,
                keywords=groups or fallback_groups(title, text),
            )
        )
    required = asked
    if required is not None and (not points or required >= len(points)):
        required = None
    return Rubric(question.id, question.answer_hash, points, required=required)


def chosen_option(question: Question) -> str:
    """The option a choice question's reference opens with ("Binary Encoding"), or "" when the
    question asks for no choice, the opening is a sentence, or it only repeats the question."""
    from mockinterview.rubrics.keywords import keyword_groups

    if not _ASKS_CHOICE.search(question.question):
        return ""
    first = _CHOICE_END.split(question.answer.strip(), maxsplit=1)[0].strip()
    if not 0 < len(first.split()) <= MAX_CHOICE_WORDS or not first[0].isalpha():
        return ""
    return first if keyword_groups(first, first, question.question) else ""


def asked_count(question_text: str) -> int | None:
    """ "Give two reasons" -> 2: the question asks for that many items, not all of them."""
    match = _COUNT.search(question_text)
    if not match:
        return None
    word = (match.group("n") or match.group("m")).lower()
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def fallback_groups(title: str, text: str) -> list[list[str]]:
    """Content words of the title (else the text), one group each: never a point with none."""
    stop = {"the", "and", "for", "with", "that", "this", "are", "its", "from", "into", "can"}
    for source in (title, text):
        words = [w for w in re.findall(r"[a-z][a-z0-9-]{2,}", source.lower()) if w not in stop]
        if words:
            return [[w] for w in dict.fromkeys(words)][:4]
    return [[title.strip() or "answer"]]


def split_inline_items(answer: str) -> str:
    """Put each item of a list written on one line on a line of its own: "Two parts: (1) Bias:
    ... (2) Variance: ..." becomes "Two parts:", "(1) Bias: ...", "(2) Variance: ...". Only
    markers numbered 1, 2, 3 ... in order count, at least two of them on the line (or the next
    numbers on the lines a split list wraps onto), so "f(2)" or a lone "see 3) below" split
    nothing."""
    out: list[str] = []
    carry = 1  # the number a wrapped list continues with (1: no list is running)
    for line in answer.splitlines():
        if not line.strip():
            carry = 1
        picked, expected = [], carry
        for mark in _INLINE_MARK.finditer(line):
            if int(mark.group("a") or mark.group("b")) == expected:
                picked.append(mark.start())
                expected += 1
        if len(picked) < (2 if carry == 1 else 1):
            out.append(line)
            continue
        carry = expected
        cuts = [0, *picked, len(line)] if picked[0] > 0 else [*picked, len(line)]
        out.extend(line[a:b].strip() for a, b in itertools.pairwise(cuts))
    return "\n".join(out)


def _numbered_items(answer: str) -> list[tuple[str, str, str]]:
    """(section, title, text) per numbered item; an item runs until the next item or heading."""
    lines = answer.splitlines()
    items: list[tuple[str, str, list[str]]] = []
    section, current = "", None
    for i, line in enumerate(lines):
        numbered = _NUMBERED.match(line)
        if numbered:
            title, first = _split_title(numbered.group("rest"))
            current = (section, title, [first] if first else [])
            items.append(current)
        elif _is_heading(lines, i):
            section, current = _HEADING.match(line).group("name").strip(), None  # type: ignore[union-attr]
        elif current is not None and line.strip():
            current[2].append(line.strip())
    return [(s, t, "\n".join(body) or t) for s, t, body in items]


def _bulleted_items(answer: str) -> list[tuple[str, str, str]]:
    """Plain bullets count as points only when there are at least two of them."""
    found = [m.group("rest") for line in answer.splitlines() if (m := _BULLETED.match(line))]
    if len(found) < 2:
        return []
    return [("", *_split_title(rest)) for rest in found]


def _headed_items(answer: str) -> list[tuple[str, str, str]]:
    """ "Slow start:" then a paragraph, "Congestion avoidance:" then another: one point per
    heading, when there are at least two of them ("Where:" above a glossary is no heading)."""
    lines = answer.splitlines()
    items: list[tuple[str, list[str]]] = []
    for line in lines:
        heading = _HEADING.match(line)
        name = heading.group("name").strip() if heading else ""
        if heading and len(line.split()) <= 8 and name.lower() != "where":
            items.append((name, []))
        elif items and line.strip():
            items[-1][1].append(line.strip())
    items = [(name, body) for name, body in items if body]
    if len(items) < 2:
        return []
    return [("", name, "\n".join(body)) for name, body in items]


def _is_heading(lines: list[str], i: int) -> bool:
    """ "Advantages:" alone on its line, followed by a numbered item ("Where:" is not one)."""
    if not _HEADING.match(lines[i]) or len(lines[i].split()) > 8:
        return False
    following = next((line for line in lines[i + 1 :] if line.strip()), "")
    return bool(_NUMBERED.match(following))


def _split_title(rest: str) -> tuple[str, str]:
    """ "Title: text" -> (title, text); without a short title, the first words name the point."""
    rest = _EMPHASISED_TITLE.sub(r"\g<title>: ", rest.strip()).strip()
    titled = _TITLED.match(rest)
    if titled and len(titled.group("title").split()) <= 10:
        title = titled.group("title").strip(" *_")
        return title, titled.group("text").strip()
    return short_title(rest), rest
