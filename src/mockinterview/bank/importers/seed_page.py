"""Seed page text: a few "Key: Value" page headers ("Category: Medium", "Author: admin"), then
one bullet per question: "• ID Title", the question, "Answer", the answer, and the site's
"Login to view more content" footer. Answers are kept verbatim apart from the page's indent."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from mockinterview.bank.importers import Imported, ReadResult, read_text_file
from mockinterview.models import DIFFICULTIES
from mockinterview.problems import Problem

_BULLET = re.compile(r"^\s*[•●▪◦‣*-]\s+(?P<id>[A-Za-z]{1,8}\d{1,6})\s+(?P<title>\S.*?)\s*$")
_HEADER = re.compile(r"^\s*(?P<key>[A-Za-z][A-Za-z ]{0,30}):\s*(?P<value>\S.*?)\s*$")
_ANSWER = re.compile(r"^\s*answer\s*(?::\s*(?P<rest>.*))?$", re.IGNORECASE)
_FOOTER = re.compile(r"^\s*login to view more content\s*$", re.IGNORECASE)
_INVISIBLE = str.maketrans({"\u00a0": " ", "\u200b": None, "\ufeff": None, "\u2060": None})


def looks_like_seed_page(text: str) -> bool:
    return any(_BULLET.match(line) for line in text.translate(_INVISIBLE).splitlines())


def read_seed_page(path: Path) -> ReadResult:
    result = ReadResult()
    text = read_text_file(path, result)
    if text is None:
        return result
    lines = [line.translate(_INVISIBLE).rstrip() for line in text.split("\n")]
    starts = [i for i, line in enumerate(lines) if _BULLET.match(line)]
    if not starts:
        result.problems.append(
            Problem(path, 1, "no questions found: expected bullets like '• DL0001 Title'")
        )
        return result
    defaults = _page_headers(lines[: starts[0]])
    for n, start in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else len(lines)
        entry = _read_block(lines, start, stop, path, result, last=n + 1 == len(starts))
        if entry is not None:
            for key, value in defaults.items():
                setattr(entry, key, value)
                entry.explicit.add(key)
            result.questions.append(entry)
    return result


def _page_headers(lines: list[str]) -> dict[str, str]:
    """ "Category: Medium" sets the difficulty; a category that is no difficulty is a topic."""
    found: dict[str, str] = {}
    for line in lines:
        match = _HEADER.match(line)
        if not match or match.group("key").strip().lower() != "category":
            continue
        value = match.group("value").strip()
        if value.lower() in DIFFICULTIES:
            found["difficulty"] = value.lower()
        else:
            found["topic"] = value.lower()
    return found


def _read_block(
    lines: list[str], start: int, stop: int, path: Path, result: ReadResult, last: bool
) -> Imported | None:
    bullet = _BULLET.match(lines[start])
    assert bullet is not None
    qid, title = bullet.group("id").upper(), bullet.group("title")

    def problem(line: int, message: str) -> None:
        result.problems.append(Problem(path, line + 1, f"{qid}: {message}"))

    answer_at = next((i for i in range(start + 1, stop) if _ANSWER.match(lines[i])), None)
    if answer_at is None:
        problem(start, "no 'Answer' line after the question; question skipped")
        return None
    question = _tidy(lines[start + 1 : answer_at])
    if not question:
        problem(start, "no question text between the title and 'Answer'; question skipped")
        return None
    footer = next((i for i in range(answer_at + 1, stop) if _FOOTER.match(lines[i])), None)
    if footer is None and last:
        problem(
            stop - 1,
            "the page ends inside the answer (no 'Login to view more content' footer): "
            "it looks truncated; question skipped",
        )
        return None
    inline = _ANSWER.match(lines[answer_at]).group("rest") or ""  # type: ignore[union-attr]
    rest = _tidy(lines[answer_at + 1 : footer if footer is not None else stop])
    answer = f"{inline.strip()}\n{rest}".strip()
    if not answer:
        problem(answer_at, "empty answer after 'Answer'; question skipped")
        return None
    return Imported(
        id=qid,
        title=title,
        question=question,
        answer=answer,
        path=path,
        line=start + 1,
        explicit={"title"},
    )


def _tidy(lines: list[str]) -> str:
    """Drop the page's indent and runs of blank lines; keep everything else as written."""
    text = textwrap.dedent("\n".join(lines)).strip("\n")
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()
