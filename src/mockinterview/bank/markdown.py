"""One question per Markdown file: TOML front matter between `+++` lines, then `## Question`
and `## Answer`. The answer runs to the end of the file and is kept verbatim, so formulas and
"Advantages:" headings survive. Parsing uses stdlib tomllib: loading the bank stays fast; a
header of plain `key = "text"` and `key = ["text", ...]` lines (what `render_question` writes)
is read without it, in a third of the time (the bank loads before the app's first paint)."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from mockinterview.errors import MockInterviewError
from mockinterview.models import DIFFICULTIES, Question
from mockinterview.problems import toml_error_line

FENCE = "+++"
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_HEADER_KEYS = ("id", "title", "topic", "difficulty", "tags", "source")
_SECTION = re.compile(r"^##\s+(\S.*?)\s*$")
# A TOML basic string that means exactly its characters: no escapes, no control characters.
_PLAIN = r'"[^"\\\x00-\x08\x0a-\x1f\x7f]*"'
_STRING = re.compile(_PLAIN)
_PLAIN_LINE = re.compile(rf"([A-Za-z0-9_-]+) = (?:({_PLAIN})|\[((?:{_PLAIN}(?:, {_PLAIN})*)?)\])")


class BankFileError(MockInterviewError, ValueError):
    """A bank file that cannot be read; `line` is 1-based within the file."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def topic_folder(topic: str) -> str:
    """`deep learning` -> `deep-learning`: the folder a topic's questions live in."""
    slug = re.sub(r"[^a-z0-9]+", "-", topic.lower()).strip("-")
    return slug or "general"


def render_question(question: Question) -> str:
    """The file text for a question. JSON string escapes are valid TOML basic strings."""
    header = [
        f"id = {json.dumps(question.id)}",
        f"title = {json.dumps(question.title, ensure_ascii=False)}",
        f"topic = {json.dumps(question.topic, ensure_ascii=False)}",
        f"difficulty = {json.dumps(question.difficulty)}",
        "tags = [" + ", ".join(json.dumps(t, ensure_ascii=False) for t in question.tags) + "]",
        f"source = {json.dumps(question.source, ensure_ascii=False)}",
    ]
    return "\n".join(
        [
            FENCE,
            *header,
            FENCE,
            "",
            "## Question",
            "",
            question.question.strip(),
            "",
            "## Answer",
            "",
            question.answer.strip(),
            "",
        ]
    )


def parse_question(text: str, path: Path) -> Question:
    """Parse one bank file; raises BankFileError naming the line of the first problem."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != FENCE:
        raise BankFileError(1, f"bad header: the file must start with a '{FENCE}' line")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        raise BankFileError(1, f"bad header: no closing '{FENCE}' line") from None
    header = _read_header("\n".join(lines[1:end]))
    sections = _sections(lines, end + 1)
    for name in ("question", "answer"):
        if name not in sections:
            raise BankFileError(end + 2, f"missing section: '## {name.title()}'")
        line, body = sections[name]
        if not body.strip():
            raise BankFileError(line, f"empty section: '## {name.title()}'")
    return _question_from(header, sections, path, lines[: end + 1])


def _read_header(toml_text: str) -> dict[str, object]:
    plain = _plain_header(toml_text)
    if plain is not None:
        return plain
    try:
        return tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as exc:
        found = toml_error_line(exc)
        line = found + 1 if found is not None else 1  # +1: the header follows the "+++" line
        raise BankFileError(line, f"bad header: {exc}") from None


def _plain_header(toml_text: str) -> dict[str, object] | None:
    """The header when every line is `key = "text"` or `key = ["text", ...]` (no escapes, each
    key once): what tomllib would return. None for anything else, left to tomllib."""
    header: dict[str, object] = {}
    for line in toml_text.split("\n"):
        match = _PLAIN_LINE.fullmatch(line)
        if match is None or match.group(1) in header:
            return None
        key, text, items = match.groups()
        header[key] = text[1:-1] if text is not None else [s[1:-1] for s in _STRING.findall(items)]
    return header


def _sections(lines: list[str], start: int) -> dict[str, tuple[int, str]]:
    """`## Question` runs to the next heading; `## Answer` to the end of the file."""
    found: dict[str, tuple[int, str]] = {}
    i = start
    while i < len(lines):
        match = _SECTION.match(lines[i])
        if match and match.group(1).lower() in ("question", "answer"):
            name = match.group(1).lower()
            if name in found:
                raise BankFileError(i + 1, f"duplicate section: '## {name.title()}'")
            if name == "answer":
                found[name] = (i + 1, "\n".join(lines[i + 1 :]).strip())
                break
            j = i + 1
            while j < len(lines) and not _SECTION.match(lines[j]):
                j += 1
            found[name] = (i + 1, "\n".join(lines[i + 1 : j]).strip())
            i = j
            continue
        if lines[i].strip() and "question" not in found:
            raise BankFileError(i + 1, "text outside a section: expected '## Question'")
        i += 1
    return found


def _question_from(
    header: dict[str, object],
    sections: dict[str, tuple[int, str]],
    path: Path,
    header_lines: list[str],
) -> Question:
    def fail(key: str, message: str) -> BankFileError:
        return BankFileError(_key_line(key, header_lines), f"bad header: '{key}' {message}")

    unknown = sorted(set(header) - set(_HEADER_KEYS))
    if unknown:
        raise fail(unknown[0], f"is not a known field (known: {', '.join(_HEADER_KEYS)})")
    for key in ("id", "title"):
        if not isinstance(header.get(key), str) or not str(header[key]).strip():
            raise fail(key, "is missing or not a non-empty string")
    qid = str(header["id"])
    if not ID_PATTERN.match(qid):
        raise fail("id", f"{qid!r} is not a valid id (letters, digits, '_', '-', '.')")
    if qid != path.stem:
        raise fail("id", f"{qid!r} does not match the file name {path.name!r}")
    for key in ("topic", "source"):
        if not isinstance(header.get(key, ""), str):
            raise fail(key, "must be a string")
    difficulty = header.get("difficulty", "medium")
    if difficulty not in DIFFICULTIES:
        raise fail("difficulty", f"is {difficulty!r}, expected one of {', '.join(DIFFICULTIES)}")
    tags = header.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        raise fail("tags", "must be a list of non-empty strings")
    return Question(
        id=qid,
        title=str(header["title"]).strip(),
        question=sections["question"][1],
        answer=sections["answer"][1],
        topic=str(header.get("topic") or "general").strip(),
        difficulty=str(difficulty),
        tags=[t.strip() for t in tags],
        source=str(header.get("source", "")),
        path=path,
    )


def _key_line(key: str, header_lines: list[str]) -> int:
    """The line that sets `key`, or the opening fence when the key is missing."""
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    return next((i + 1 for i, line in enumerate(header_lines) if pattern.match(line)), 1)
