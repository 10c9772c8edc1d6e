"""HTML fields (Anki notes, Anki text exports) to plain text: entities decoded, `<br>` and block
elements to line breaks, `<ol>`/`<ul>` items to "1. "/"- " lines (so the rubric builder sees
numbered points), scripts, styles and media dropped. Media is noted, so a note that is only a
picture or a sound can be reported as such rather than as an empty one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from mockinterview.errors import MockInterviewError

_BLOCKS = frozenset(
    "p div section article header footer blockquote pre table tr h1 h2 h3 h4 h5 h6 dl dt dd "
    "hr".split()
)
_MEDIA_TAGS = frozenset({"img", "audio", "video", "object", "embed", "svg"})
_SKIP_CONTENT = frozenset({"script", "style", "head", "title"})
_SOUND = re.compile(r"\[sound:[^\]]*\]")
_BROKEN_TAIL = re.compile(r"<[!/A-Za-z]")


class BrokenHtml(MockInterviewError, ValueError):
    """HTML that cannot be read to its end: an unterminated tag or comment."""


@dataclass(frozen=True)
class HtmlText:
    text: str
    has_media: bool


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lists: list[list[int]] = []  # per open list: [next number] (0 = bullets)
        self.skipping = 0
        self.has_media = False

    def _newline(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_CONTENT:
            self.skipping += 1
        elif tag in _MEDIA_TAGS:
            self.has_media = True
        elif tag == "br":
            self.parts.append("\n")
        elif tag in ("ol", "ul"):
            self._newline()
            self.lists.append([1 if tag == "ol" else 0])
        elif tag == "li":
            self._newline()
            indent = "  " * max(len(self.lists) - 1, 0)
            if self.lists and self.lists[-1][0]:
                self.parts.append(f"{indent}{self.lists[-1][0]}. ")
                self.lists[-1][0] += 1
            else:
                self.parts.append(f"{indent}- ")
        elif tag in _BLOCKS:
            self._newline()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _SKIP_CONTENT:
            self.skipping -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_CONTENT:
            self.skipping = max(self.skipping - 1, 0)
        elif tag in ("ol", "ul"):
            if self.lists:
                self.lists.pop()
            self._newline()
        elif tag in _BLOCKS or tag == "li":
            self._newline()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> HtmlText:
    """Plain text of an HTML fragment; raises BrokenHtml for an unterminated tag or comment
    (whose text would otherwise be lost or shown as markup)."""
    has_sound = bool(_SOUND.search(html))
    converter = _Converter()
    converter.feed(_SOUND.sub(" ", html))
    tail = converter.rawdata
    if tail and _BROKEN_TAIL.match(tail):
        snippet = tail[:40].replace("\n", " ")
        raise BrokenHtml(f"broken HTML: unterminated tag or comment {snippet!r}")
    converter.close()
    text = "".join(converter.parts).replace("\u00a0", " ")
    lines = [" ".join(line.split()) if line.strip() else "" for line in text.split("\n")]
    # keep list indents out (one space-normalised line each), collapse blank runs
    tidy = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return HtmlText(tidy, converter.has_media or has_sound)


class UnreadablePair(ValueError):
    """Why a question and answer in HTML cannot be imported: `reason` (a short tally label)
    and `detail` (for the report)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason, self.detail = reason, detail


def pair_to_text(question_html: str, answer_html: str) -> tuple[str, str]:
    """The plain question and answer of two HTML fields; raises UnreadablePair for broken
    HTML or a side that is only an image or a sound (every importer reports them alike)."""
    try:
        question, answer = html_to_text(question_html), html_to_text(answer_html)
    except BrokenHtml as exc:
        raise UnreadablePair("broken HTML", str(exc)) from None
    if (not question.text and question.has_media) or (not answer.text and answer.has_media):
        raise UnreadablePair("media only", "the question or answer is only an image or a sound")
    return question.text, answer.text
