"""The review table's filter box: plain words plus a few `key:value` terms.

`relu topic:deep score<50 grader:llm` keeps the attempts whose id, title, topic or grader contain
"relu", whose topic contains "deep", scored below 50 and graded by the LLM; `session:12` keeps
the attempts of one session. Case never matters (`question:DL0001` = `question:dl0001`); a
value with spaces is quoted (`topic:"machine learning"`, `"vanishing gradient"`), and in
topics `-` and `_` stand for spaces. Unknown or malformed terms are treated as plain words, and
an unclosed quote runs to the end, so typing never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mockinterview.store.records import AttemptSummary

_SCORE = re.compile(r"^score(<=|>=|<|>|=)(\d+(?:\.\d+)?)$")
_KEYS = ("topic", "question", "grader", "day", "session")
# a term: key:"quoted value", "a quoted phrase" (closed or still being typed), or plain
_TERM = re.compile(r'[^\s"]*"[^"]*"?|\S+')


@dataclass(slots=True)
class AttemptFilter:
    words: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    score: tuple[str, float] | None = None
    skipped: bool | None = None

    @property
    def empty(self) -> bool:
        return not (self.words or self.fields or self.score or self.skipped is not None)

    def matches(self, row: AttemptSummary, title: str, topic: str) -> bool:
        haystack = f"{row.question_id} {title} {topic} {row.grader}".lower()
        if any(word not in haystack for word in self.words):
            return False
        values = {"topic": topic, "question": row.question_id, "grader": row.grader,
                  "day": row.day}  # fmt: skip
        for key, needle in self.fields.items():
            if key == "session":  # a session is picked by its number, not a part of it
                if str(row.session_id) != needle:
                    return False
            elif key == "topic":
                if _spaced(needle) not in _spaced(topic.lower()):
                    return False
            elif needle not in values[key].lower():
                return False
        if self.skipped is not None and row.skipped != self.skipped:
            return False
        if self.score is not None:
            if row.score is None:
                return False
            op, bound = self.score
            return _compare(row.score, op, bound)
        return True


def _compare(value: float, op: str, bound: float) -> bool:
    if op == "<":
        return value < bound
    if op == "<=":
        return value <= bound
    if op == ">":
        return value > bound
    if op == ">=":
        return value >= bound
    return round(value) == round(bound)


def _spaced(text: str) -> str:
    return " ".join(text.replace("-", " ").replace("_", " ").split())


def parse_filter(text: str) -> AttemptFilter:
    result = AttemptFilter()
    for raw in _TERM.findall(text.lower()):
        term = raw.replace('"', "").strip()
        if not term:
            continue
        match = _SCORE.match(term)
        key, _, value = term.partition(":")
        if match:
            result.score = (match.group(1), float(match.group(2)))
        elif term in ("is:skipped", "skipped"):
            result.skipped = True
        elif key in _KEYS and value:
            result.fields[key] = value
        else:
            result.words.append(term)
    return result
