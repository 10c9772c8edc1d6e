"""Markdown Q&A files as interview-prep repositories write them: each question a heading
(`## Q1: What is X?`, `### 3. Why ...?`, `#### Question 3 - ...`) or, in files without such
headings, a bold line (`**What is X?**`, `**Q4:** How ...?`); its answer is everything up to the
next question. A top-level heading ("# Machine Learning Interview Questions"), or a section
heading above the questions, names the topic. Answers are kept as written, so their numbered
and bulleted points become rubric points; "Answer:" labels, `<details>` wrappers and "back to
top" links are dropped."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from mockinterview.bank.importers import Imported, ReadResult, SourceError, decode_text
from mockinterview.bank.importers.ids import question_key
from mockinterview.bank.importers.tabular import _title_from

_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_PREFIX = re.compile(
    r"^(?:q(?:uestion)?\s*#?\s*\d{1,4}\s*[:.)\-–—]?|\d{1,4}\s*[.)]|question\s*[:\-–—]|q\s*[:.])\s*",
    re.IGNORECASE,
)
_ASKING = re.compile(
    r"^(?:what|why|how|when|where|which|who|whom|whose|explain|describe|define|compare|"
    r"contrast|list|name|give|can|could|is|are|does|do|did|should|would|will|was|were|has|"
    r"have|discuss|outline|state|suppose|imagine|design|implement|write|differentiate|"
    r"distinguish)\b",
    re.IGNORECASE,
)
_BOLD_LINE = re.compile(
    r"^\s*(?:(?:\d{1,4}[.)]|[-*+])\s+)?(?P<mark>\*\*|__)(?P<bold>.+?)(?P=mark)\s*(?P<rest>.*?)\s*$"
)
_DIFFICULTY = re.compile(r"\s*[\[(](?P<d>easy|medium|hard)[\])]\s*", re.IGNORECASE)
_ANSWER_LABEL = re.compile(
    r"^\s*(?:\*\*|__)?\s*(?:answer|ans|a)\s*[:.\-–—]\s*(?:\*\*|__)?\s*", re.IGNORECASE
)
_WRAPPER = re.compile(
    r"^\s*(?:(?:</?details[^>]*>|<summary>.*?</summary>|</?summary>|<br\s*/?>)\s*)+$",
    re.IGNORECASE,
)
_BACK_TO_TOP = re.compile(r"back\s+to\s+(?:top|contents|index)|⬆", re.IGNORECASE)
_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_TOPIC_NOISE = re.compile(
    r"\b(?:top\s+\d+|\d+\+?|interview|questions?|answers?|q\s*&\s*a|and|with|faq|cheat\s*sheet)"
    r"\b",
    re.IGNORECASE,
)
_STRUCTURAL = frozenset(
    "contents table of contents toc references resources license contributing answer answers "
    "solution solutions introduction about".split()
)


@dataclass
class _Found:
    line: int  # 0-based
    level: int  # heading level; 0 for a bold line
    question: str
    difficulty: str
    numbered: bool = False  # "Q3:", "3.", "Question 3 -": a question at any heading level


def looks_like_markdown_qa(text: str) -> bool:
    lines = text.split("\n")
    return bool(_heading_questions(lines) or _bold_questions(lines))


def read_markdown(path: Path, data: bytes) -> ReadResult:
    result = ReadResult()
    lines = decode_text(path, data).split("\n")
    found = _heading_questions(lines) or _bold_questions(lines)
    if not found:
        raise SourceError(
            path,
            1,
            "no questions found: expected headings like '## Q1: What is X?' or "
            "'### 2. Why ...?', or bold lines like '**What is X?**'",
        )
    level = min(f.level for f in found) if found[0].level else 0
    starts = {f.line for f in found}
    for n, item in enumerate(found):
        stop = found[n + 1].line if n + 1 < len(found) else len(lines)
        stop = _answer_end(lines, item.line + 1, stop, level, starts)
        answer = _tidy_answer(lines[item.line + 1 : stop])
        if not answer:
            result.skip(path, item.line + 1, "no answer", f"no answer under {item.question!r}")
            continue
        entry = Imported(
            id="",
            title=_title_from(_plain(item.question)),
            question=item.question,
            answer=answer,
            path=path,
            line=item.line + 1,
            key=question_key(item.question),
        )
        topic = _topic_for(lines, item.line, level)
        if topic:
            entry.topic = topic
            entry.explicit.add("topic")
        if item.difficulty:
            entry.difficulty = item.difficulty
            entry.explicit.add("difficulty")
        result.questions.append(entry)
    return result


def _code_lines(lines: list[str]) -> set[int]:
    """Lines inside fenced code blocks: `# comment` there is no heading."""
    inside, fenced = False, set()
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            fenced.add(i)
            inside = not inside
        elif inside:
            fenced.add(i)
    return fenced


def _headings(lines: list[str]) -> list[tuple[int, int, str]]:
    code = _code_lines(lines)
    out = []
    for i, line in enumerate(lines):
        match = _HEADING.match(line)
        if match and i not in code and match.group("text").strip():
            out.append((i, len(match.group("hashes")), match.group("text").strip()))
    return out


def _as_question(text: str) -> tuple[str, str, bool] | None:
    """(question, difficulty, numbered) when the text reads as a question, else None."""
    text = _unbold(text)
    difficulty = ""
    tag = _DIFFICULTY.search(text)
    if tag:
        difficulty = tag.group("d").lower()
        text = (text[: tag.start()] + " " + text[tag.end() :]).strip()
    prefixed = _PREFIX.match(text)
    rest = text[prefixed.end() :].strip() if prefixed else text
    rest = _unbold(rest)
    if not rest or rest.lower().rstrip(":") in _STRUCTURAL:
        return None
    if prefixed or rest.endswith("?") or _ASKING.match(rest):
        return rest, difficulty, bool(prefixed)
    return None


def _heading_questions(lines: list[str]) -> list[_Found]:
    found = []
    for i, level, text in _headings(lines):
        if level < 2 and not text.rstrip().endswith("?"):
            continue  # "# Title" names the file or topic
        asked = _as_question(text)
        if asked:
            found.append(_Found(i, level, *asked))
    if not found:
        return []
    # the questions' level is the commonest one; a question-like heading below it (an answer's
    # "#### How does it work?") stays in the answer, unless it is numbered as a question
    levels = [f.level for f in found]
    main = max(set(levels), key=lambda lv: (levels.count(lv), -lv))
    return [f for f in found if f.level <= main or f.numbered]


def _bold_questions(lines: list[str]) -> list[_Found]:
    code = _code_lines(lines)
    found = []
    for i, line in enumerate(lines):
        match = _BOLD_LINE.match(line)
        if not match or i in code:
            continue
        bold, rest = match.group("bold").strip(), match.group("rest").strip()
        if rest:  # "**Q4:** How ...?": the bold part must be the label
            if not _PREFIX.fullmatch(bold):
                continue
            text = rest
        else:
            text = bold
        asked = _as_question(text)
        if asked and (rest or asked[0].endswith("?") or _PREFIX.match(bold)):
            found.append(_Found(i, 0, *asked))
    return found


def _answer_end(lines: list[str], start: int, stop: int, level: int, starts: set[int]) -> int:
    """The answer stops at the next question, or at a heading as high as the questions'
    ("## References" after the last one)."""
    if not level:
        return stop
    code = _code_lines(lines)
    for i in range(start, stop):
        match = _HEADING.match(lines[i])
        if match and i not in code and len(match.group("hashes")) <= level:
            return i
    return stop


def _topic_for(lines: list[str], line: int, level: int) -> str:
    """The nearest heading above the question that is higher than the questions and is no
    question itself: "# Statistics", or "## Probability" above "### Q1 ..."."""
    for _, heading_level, text in reversed(_headings(lines[:line])):
        if level and heading_level >= level:
            continue
        if heading_level > 1 and _as_question(text):
            continue
        topic = _clean_topic(text)
        if topic:
            return topic
    return ""


def _clean_topic(text: str) -> str:
    text = _plain(text)
    if text.lower().strip(":") in _STRUCTURAL:
        return ""
    text = _TOPIC_NOISE.sub(" ", text)
    text = re.sub(r"[^\w\s&/+.-]", " ", text)
    text = " ".join(text.split()).strip(" -:&/.")
    return text.lower()


def _tidy_answer(lines: list[str]) -> str:
    kept = [
        line.rstrip()
        for line in lines
        if not _WRAPPER.match(line) and not (_BACK_TO_TOP.search(line) and len(line) < 120)
    ]
    while kept and (not kept[-1].strip() or _RULE.match(kept[-1])):
        kept.pop()
    while kept and not kept[0].strip():
        kept.pop(0)
    if kept:
        label = _ANSWER_LABEL.match(kept[0])
        if label:
            kept[0] = kept[0][label.end() :]
            if not kept[0].strip():
                kept.pop(0)
    text = textwrap.dedent("\n".join(kept))  # answers indented under a numbered question
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _unbold(text: str) -> str:
    text = text.strip()
    for mark in ("**", "__"):
        if text.startswith(mark) and text.endswith(mark) and len(text) > 2 * len(mark):
            text = text[len(mark) : -len(mark)].strip()
    return text


def _plain(text: str) -> str:
    """Heading text without Markdown emphasis, code ticks or links' targets."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*_`]+", "", text).strip()
