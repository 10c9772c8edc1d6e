"""Key sentences of prose: what a rubric is made of when the answer has no numbered points.

Formula lines and the "Where: x is ..." glossary under them are left out; of the remaining
sentences, those that add new content words are kept, in their original order."""

from __future__ import annotations

import re

MAX_POINTS = 5
MAX_LIST_POINTS = 12
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"“])")
_FORMULA = re.compile(r"\\[A-Za-z]+|[{}^_]|^\s*\S{1,12}\s*=")
_WHERE = re.compile(r"^\s*where\s*:?\s*$", re.IGNORECASE)
_WORD = re.compile(r"[a-z][a-z0-9-]+")
_STOP = frozenset(
    "a an the of and or to in on for with by is are be as at it its this that these those "
    "can which where when what how also often over into from each every any all than then "
    "so such their there they was were will would".split()
)


def prose_lines(answer: str) -> list[str]:
    kept: list[str] = []
    in_glossary = False
    for line in answer.splitlines():
        if _WHERE.match(line):
            in_glossary = True
            continue
        if not line.strip():
            in_glossary = False
            kept.append("")
            continue
        if in_glossary or _FORMULA.search(line):
            continue
        kept.append(line.strip())
    return kept


def sentences(answer: str) -> list[str]:
    """Sentences, with each line its own unit: references often list one idea per line with no
    full stop. A line starting in lower case continues the one before; headings are skipped."""
    units: list[str] = []
    joinable = False
    for line in prose_lines(answer):
        if not line or is_heading_line(line):
            joinable = False
            continue
        if joinable and line[0].islower():
            units[-1] += " " + line
        else:
            units.append(line)
        joinable = not line.endswith((".", "!", "?"))
    return [s.strip() for unit in units for s in _SENTENCE_END.split(unit) if s.strip()]


def is_heading_line(line: str, max_words: int = 12) -> bool:
    """ "Advantages:" or "Possible differences :" alone on a line."""
    stripped = line.strip()
    return stripped.endswith(":") and len(stripped.split()) <= max_words


def content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def key_sentences(answer: str, limit: int = MAX_POINTS) -> list[str]:
    """Sentences worth a point: at least four content words, at least half of them new."""
    candidates = [s for s in sentences(answer) if len(content_words(s)) >= 4]
    if not candidates:  # a one-line reference ("It reduces variance.") is still one point
        whole = " ".join(answer.split())
        return [whole] if whole else []
    chosen: list[str] = []
    seen: set[str] = set()
    for sentence in candidates:
        words = content_words(sentence)
        if len(words - seen) * 2 >= len(words):
            chosen.append(sentence)
            seen |= words
        if len(chosen) == limit:
            break
    return chosen


def list_units(answer: str, limit: int = MAX_LIST_POINTS) -> list[str]:
    """Every sentence or line with two content words or more: the items of a reference that
    lists more ideas than the question asks for ("state at least 4" of ten objectives)."""
    return [s for s in sentences(answer) if len(content_words(s)) >= 2][:limit]


def short_title(sentence: str, max_words: int = 8) -> str:
    """The first clause of a sentence when it says something, else its first few words."""
    text = sentence.strip().rstrip(".!?:").lstrip("-–•* ")
    first = re.split(r"[,;:(]|\s[-–—]\s", text, maxsplit=1)[0].split()
    words = first if len(first) >= 3 else text.split()
    if len(words) > max_words:
        return " ".join(words[:max_words]) + " …"
    return " ".join(words)
