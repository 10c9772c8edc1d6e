"""`rubrics enrich`: ask the configured LLM for more ways to say each rubric point, and for the
wrong claims an interviewer hears about it, then add what survives our checks to the TOML file.

The model only proposes. Its reply must fit a bounded JSON schema (validated with pydantic), and
every phrase is then sanitised here: trimmed, no control characters, short, not already in the
rubric (case-insensitively, or as the same content words), not made only of the question's words
or of stop words (the grader drops those, so they could never match), and counts capped. A
misconception that the reference answer itself would trip is refused, as it would cost correct
answers their point. The file is edited with tomlkit, appending only: nothing is deleted, and hand
edits and comments stay as they were.

Imported only by the `rubrics enrich` command: pydantic costs ~250 ms, and the LLM client (openai)
is imported when the first request is made.
"""

from __future__ import annotations

import difflib
import json
import os
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from mockinterview.errors import MockInterviewError
from mockinterview.text.analysis import is_weak, question_words, tokenise

if TYPE_CHECKING:
    from mockinterview.config import Settings
    from mockinterview.grading.llm.client import ChatEndpoint
    from mockinterview.models import Question

SCHEMA_NAME = "rubric_enrichment"
PROMPT_VERSION = "rubric-enrich-v1"

# Bounds of the reply (sent in the schema, checked by pydantic) ...
MAX_REPLY_ALTERNATIVES = 6  # new alternatives per group in one reply
MAX_REPLY_MISCONCEPTIONS = 3  # new misconceptions per point in one reply
MAX_PHRASE_CHARS = 48
MAX_MISCONCEPTION_CHARS = 64
# ... and of what we keep.
MAX_PHRASE_WORDS = 6
MAX_MISCONCEPTION_WORDS = 8
MIN_MISCONCEPTION_WORDS = 2  # content words: a single word is never a wrong *claim*
MAX_GROUP_ALTERNATIVES = 15  # alternatives a group may hold in all (the curating guide's top)
MAX_POINT_MISCONCEPTIONS = 6
# Enough room for a full bounded reply; the user's larger `max_output_tokens` wins.
ENRICH_MAX_TOKENS = 3000
MAX_POINT_TEXT = 700  # characters of a point's reference text shown to the model

# Single words too general to show an idea on their own (the curating guide's list).
GENERIC_WORDS = frozenset(
    """network networks model models function functions data value values large small big
    method methods layer layers thing output outputs input inputs system process result
    results information performance""".split()
)

# Why a proposed phrase was not added (shown to the user as counts).
DUPLICATE = "already in the rubric"
QUESTION_WORDS = "only question or stop words"
GENERIC = "a single generic word"
CONTROL = "control characters"
TOO_LONG = "too long"
EMPTY = "empty"
GROUP_FULL = "group full"
POINT_FULL = "misconception list full"
NO_GROUP = "no such keyword group"
VAGUE = "fewer than two content words"
SAID_BY_REFERENCE = "the reference answer itself says it"
IS_ALTERNATIVE = "also an alternative of the point"

SYSTEM_TEMPLATE = """\
You help curate the rubric of an offline grader for technical interview answers. The grader
looks for phrases: each rubric point has keyword GROUPS, each group is ONE idea, and the group
matches when any one of its ALTERNATIVES appears in the candidate's answer (content words close
together, any order, word forms tolerated). Words of the question are removed from every
alternative first, so repeating the question earns nothing.

For the rubric points given in the next message, reply with ONLY a JSON object:
- For a group, more alternatives: short phrases an interviewer hears when a candidate states
  that group's idea: the technical term, plain-English paraphrases, cause and effect phrasing,
  common abbreviations. Each 1 to {max_words} words and at most {max_chars} characters; at most
  {max_alternatives} per group. Never a phrase made only of the question's words or of filler
  words, never a single generic word (model, network, data, value), never one already listed.
  Give none for a group that is already well covered.
- misconceptions: common WRONG claims about the point, each 2 to 4 content words that together
  are wrong (e.g. "sigmoid zero centered", "relu causes vanishing gradients"); at most
  {max_misconceptions} per point, each at most {max_misconception_chars} characters. Never words
  a correct answer would naturally use together.
- Leave out points you have nothing to add to. Groups are numbered from 1 within each point.

JSON shape:
{{"points": [{{"id": "p1", "groups": [{{"group": 1, "alternatives": ["..."]}}], \
"misconceptions": ["..."]}}]}}
"""


class EnrichError(MockInterviewError):
    """One question could not be enriched; `str(exc)` says why. Its file is left untouched.
    `endpoint_failed`: the endpoint itself failed (unreachable, key refused), not the reply."""

    def __init__(self, message: str, *, endpoint_failed: bool = False) -> None:
        super().__init__(message)
        self.endpoint_failed = endpoint_failed


# --- the rubric as the file has it ------------------------------------------------------------


@dataclass
class PointView:
    """A point as the file holds it: its keyword groups with their index in the TOML array
    (empty groups are not shown to the model, so the numbers shown are not always the raw ones).
    """

    id: str
    title: str
    text: str
    groups: list[list[str]]
    raw_index: list[int]
    misconceptions: list[str]


def _point_views(doc: Any) -> list[PointView]:
    views = []
    for table in doc.get("points", []):
        groups, raw_index = [], []
        for i, group in enumerate(_plain(table.get("keywords", []))):
            words = [group] if isinstance(group, str) else list(group)
            words = [w.strip() for w in words if isinstance(w, str) and w.strip()]
            if words:
                groups.append(words)
                raw_index.append(i)
        views.append(
            PointView(
                id=str(table.get("id", "")),
                title=str(table.get("title", "")),
                text=str(table.get("text", "")),
                groups=groups,
                raw_index=raw_index,
                misconceptions=[str(m) for m in _plain(table.get("misconceptions", []))],
            )
        )
    return views


def _plain(value: Any) -> Any:
    return value.unwrap() if hasattr(value, "unwrap") else value


# --- the request ------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(text.split())


def build_messages(question: Question, points: list[PointView]) -> list[dict[str, str]]:
    """The system rules and one user message listing the question and every point."""
    system = SYSTEM_TEMPLATE.format(
        max_words=MAX_PHRASE_WORDS,
        max_chars=MAX_PHRASE_CHARS,
        max_alternatives=MAX_REPLY_ALTERNATIVES,
        max_misconceptions=MAX_REPLY_MISCONCEPTIONS,
        max_misconception_chars=MAX_MISCONCEPTION_CHARS,
    )
    lines = [f"Question: {_one_line(question.question)}", ""]
    for point in points:
        text = _one_line(point.text)
        if len(text) > MAX_POINT_TEXT:
            text = text[:MAX_POINT_TEXT].rsplit(" ", 1)[0] + " ..."
        lines.append(f'Point {point.id}: "{_one_line(point.title)}"')
        lines.append(f"Reference: {text}")
        for n, group in enumerate(point.groups, start=1):
            lines.append(f"  group {n}: " + " | ".join(json.dumps(w) for w in group))
        listed = " | ".join(json.dumps(m) for m in point.misconceptions) or "none yet"
        lines.append(f"  misconceptions: {listed}")
        lines.append("")
    lines.append("Reply with the JSON object now.")
    return [
        {"role": "system", "content": system},
        {"role": "user", "content": "\n".join(lines)},
    ]


def _reply_model(points: list[PointView], extra: Literal["forbid", "ignore"]) -> type[BaseModel]:
    """The reply's shape: point ids as an enum, every list and string bounded. "forbid" for
    the schema sent (strict decoders need it), "ignore" to validate (stray keys do no harm)."""
    ids = tuple(p.id for p in points) or ("none",)
    most_groups = max((len(p.groups) for p in points), default=1) or 1
    config = ConfigDict(extra=extra)
    phrase = Annotated[str, Field(max_length=MAX_PHRASE_CHARS)]
    claim = Annotated[str, Field(max_length=MAX_MISCONCEPTION_CHARS)]
    # Models built at run time: their field types are values, which a type checker cannot
    # follow, so the field specs are plain data.
    group_fields: dict[str, Any] = {
        "group": (int, Field(ge=1, le=most_groups)),
        "alternatives": (list[phrase], Field(max_length=MAX_REPLY_ALTERNATIVES)),
    }
    group = create_model("GroupAlternatives", __config__=config, **group_fields)
    point_fields: dict[str, Any] = {
        "id": (Literal.__getitem__(ids), ...),
        "groups": (list[group], Field(max_length=most_groups)),  # type: ignore[valid-type]
        "misconceptions": (list[claim], Field(max_length=MAX_REPLY_MISCONCEPTIONS)),
    }
    point = create_model("PointAdditions", __config__=config, **point_fields)
    reply_fields: dict[str, Any] = {"points": (list[point], Field(max_length=len(points)))}  # type: ignore[valid-type]
    model: type[BaseModel] = create_model("RubricEnrichment", __config__=config, **reply_fields)
    return model


def bounded_schema(points: list[PointView]) -> dict[str, Any]:
    return _reply_model(points, "forbid").model_json_schema()


def response_format(points: list[PointView], mode: str) -> dict[str, Any]:
    """The `response_format` request field for "json_schema" or "json_object" mode."""
    if mode == "json_object":
        return {"type": "json_object"}
    return {
        "type": "json_schema",
        "json_schema": {"name": SCHEMA_NAME, "schema": bounded_schema(points), "strict": True},
    }


def parse_reply(content: str | None, points: list[PointView]) -> dict[str, Any]:
    """The reply as plain data, validated against the bounded shape; EnrichError if not."""
    from mockinterview.grading.llm.schema import ReplyError, first_problem, reply_object

    try:
        data = reply_object(content)
    except ReplyError as exc:
        raise EnrichError(str(exc)) from None
    try:
        reply = _reply_model(points, "ignore").model_validate(data)
    except ValidationError as exc:
        raise EnrichError(f"the model's reply broke the schema ({first_problem(exc)})") from None
    return reply.model_dump()


# --- sanitising -------------------------------------------------------------------------------


@dataclass
class Additions:
    """What is added to one point: raw keyword-array index -> new alternatives, and claims."""

    groups: dict[int, list[str]] = field(default_factory=dict)
    misconceptions: list[str] = field(default_factory=list)


def _clean(raw: str, max_words: int) -> tuple[str, str | None]:
    """(phrase, None) or ("", why it is refused)."""
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co") for c in raw):
        return "", CONTROL
    phrase = " ".join(raw.split()).strip(" .,;:!?\"'`")
    if not phrase:
        return "", EMPTY
    if len(phrase.split()) > max_words:
        return "", TOO_LONG
    return phrase, None


def _content(phrase: str, asked: frozenset[str]) -> list[str]:
    """Stems of the words of `phrase` the grader would look for, minus the question's."""
    return [
        t.stem
        for t in tokenise(phrase)
        if not is_weak(t.norm)
        and t.stem not in asked
        and t.root not in asked
        and (len(t.norm) > 1 or t.norm.isdigit())
    ]


def _signature(phrase: str) -> frozenset[str]:
    """The stems a phrase is matched by: two phrases with the same ones match the same text."""
    from mockinterview.grading.offline.matching import keyword_stems

    return frozenset(keyword_stems(phrase))


def _said_by(reference: str, claim: str) -> bool:
    """Whether the reference answer would trip this misconception (as the grader looks)."""
    from mockinterview.grading.offline.matching import AnswerIndex, keyword_stems

    stems = keyword_stems(claim)
    match = AnswerIndex.build(reference).find(stems, window=2 * len(stems) + 4)
    return match is not None and not match.negated


class _Seen:
    """Phrases already in a list (or just added): by text, case-insensitively, and by the
    stems the grader matches them by, so "Gradients vanish" equals "gradient vanishes"."""

    def __init__(self, phrases: list[str]) -> None:
        self.texts = {p.casefold() for p in phrases}
        self.signatures = {_signature(p) for p in phrases}

    def __contains__(self, phrase: object) -> bool:
        return isinstance(phrase, str) and (
            phrase.casefold() in self.texts or _signature(phrase) in self.signatures
        )

    def add(self, phrase: str) -> None:
        self.texts.add(phrase.casefold())
        self.signatures.add(_signature(phrase))


def _alternative_refusal(
    phrase: str, why: str | None, asked: frozenset[str], seen: _Seen
) -> str | None:
    if why is not None:
        return why
    if not _content(phrase, asked):
        return QUESTION_WORDS
    if len(phrase.split()) == 1 and phrase.casefold() in GENERIC_WORDS:
        return GENERIC
    return DUPLICATE if phrase in seen else None


def _claim_refusal(
    claim: str, why: str | None, claims: _Seen, alternatives: _Seen, reference: str
) -> str | None:
    if why is not None:
        return why
    if len(_content(claim, frozenset())) < MIN_MISCONCEPTION_WORDS:
        return VAGUE
    if claim in claims:
        return DUPLICATE
    if claim in alternatives:
        return IS_ALTERNATIVE
    return SAID_BY_REFERENCE if _said_by(reference, claim) else None


def sanitise(
    reply: dict[str, Any], points: list[PointView], question: Question
) -> tuple[dict[str, Additions], Counter[str]]:
    """What of the reply may be added, per point id, and the count of each reason for refusal."""
    asked = question_words(question.question)
    dropped: Counter[str] = Counter()
    by_id = {p.id: p for p in points}
    result: dict[str, Additions] = {}
    seen: dict[str, tuple[_Seen, _Seen]] = {}
    for proposal in reply.get("points", []):
        point = by_id.get(proposal["id"])
        if point is None:  # the schema's enum forbids it; stay safe in JSON mode
            continue
        additions = result.setdefault(point.id, Additions())
        if point.id not in seen:
            alternatives = _Seen([w for group in point.groups for w in group])
            seen[point.id] = (alternatives, _Seen(point.misconceptions))
        alternatives, claims = seen[point.id]
        for entry in proposal.get("groups", []):
            n = entry["group"]
            if not 1 <= n <= len(point.groups):
                dropped[NO_GROUP] += len(entry["alternatives"])
                continue
            added = additions.groups.setdefault(point.raw_index[n - 1], [])
            for raw in entry["alternatives"]:
                phrase, why = _clean(raw, MAX_PHRASE_WORDS)
                why = _alternative_refusal(phrase, why, asked, alternatives)
                if why is None and len(point.groups[n - 1]) + len(added) >= MAX_GROUP_ALTERNATIVES:
                    why = GROUP_FULL
                if why is not None:
                    dropped[why] += 1
                    continue
                added.append(phrase)
                alternatives.add(phrase)
        for raw in proposal.get("misconceptions", []):
            claim, why = _clean(raw, MAX_MISCONCEPTION_WORDS)
            why = _claim_refusal(claim, why, claims, alternatives, question.answer)
            total = len(point.misconceptions) + len(additions.misconceptions)
            if why is None and total >= MAX_POINT_MISCONCEPTIONS:
                why = POINT_FULL
            if why is not None:
                dropped[why] += 1
                continue
            additions.misconceptions.append(claim)
            claims.add(claim)
    for additions in result.values():
        additions.groups = {i: phrases for i, phrases in additions.groups.items() if phrases}
    return {pid: a for pid, a in result.items() if a.groups or a.misconceptions}, dropped


# --- editing the file -------------------------------------------------------------------------


def apply_additions(doc: Any, additions: dict[str, Additions]) -> None:
    """Append to the tomlkit document in place: never removes or rewrites an existing value."""
    import tomlkit

    for table in doc.get("points", []):
        found = additions.get(str(table.get("id", "")))
        if found is None:
            continue
        keywords = table["keywords"]
        for raw_index, phrases in found.groups.items():
            group = keywords[raw_index]
            if isinstance(_plain(group), str):  # a bare-string group becomes a list of it
                array = tomlkit.array()
                array.append(_plain(group))
                keywords[raw_index] = array
                group = keywords[raw_index]
            for phrase in phrases:
                group.append(phrase)
        if not found.misconceptions:
            continue
        current = table.get("misconceptions")
        if current is None:
            array = tomlkit.array()
            array.extend(found.misconceptions)
            table["misconceptions"] = array
            continue
        was_empty = len(current) == 0
        for claim in found.misconceptions:
            current.append(claim)
        if was_empty and len(found.misconceptions) > 1:
            current.multiline(True)  # one claim a line reads (and diffs) better


# --- one question -----------------------------------------------------------------------------


@dataclass
class Enrichment:
    """The proposed new text of one rubric file, and what went into it."""

    question_id: str
    path: Path
    old_text: str
    new_text: str
    alternatives: int = 0
    misconceptions: int = 0
    dropped: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return self.new_text != self.old_text

    def diff(self) -> str:
        """A unified diff of the file, as `patch -p0` would take it."""
        return "".join(
            difflib.unified_diff(
                self.old_text.splitlines(keepends=True),
                self.new_text.splitlines(keepends=True),
                fromfile=str(self.path),
                tofile=str(self.path),
            )
        )

    def summary(self) -> str:
        if self.changed:
            said = f"+{self.alternatives} alternative(s), +{self.misconceptions} misconception(s)"
        else:
            said = "nothing new to add"
        if self.dropped:
            reasons = ", ".join(f"{n} {why}" for why, n in self.dropped.most_common())
            said += f"; refused {sum(self.dropped.values())} ({reasons})"
        return f"{self.question_id} ({self.path.name}): {said}"


def open_endpoint(settings: Settings) -> ChatEndpoint:
    """The LLM grader's client, with room for a whole bounded reply."""
    from mockinterview.grading.llm.client import ChatEndpoint

    tokens = max(settings.max_output_tokens, ENRICH_MAX_TOKENS)
    return ChatEndpoint(replace(settings, max_output_tokens=tokens))


def enrich_question(question: Question, path: Path, endpoint: ChatEndpoint) -> Enrichment:
    """Ask the model about one rubric file and return the proposed text; writes nothing."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    from mockinterview.grading.llm.client import LLMUnavailable
    from mockinterview.rubrics.files import read_rubric

    if not path.is_file():
        raise EnrichError(
            f"no rubric file {path} (run `mockinterview rubrics build {question.id}` first)"
        )
    loaded = read_rubric(path)
    if loaded.problems or loaded.rubric is None:
        first = loaded.problems[0] if loaded.problems else f"{path}: unusable"
        raise EnrichError(f"fix the rubric file first ({first})")
    old_text = path.read_text(encoding="utf-8")
    try:
        doc = tomlkit.parse(old_text)
    except TOMLKitError as exc:  # tomllib read it, so this is tomlkit's own limit
        raise EnrichError(f"cannot edit {path} ({exc})") from None
    points = [p for p in _point_views(doc) if p.groups]
    if not points:
        raise EnrichError(f"{path} has no keyword groups to add to")
    messages = build_messages(question, points)
    try:
        reply = endpoint.complete(messages, lambda mode: response_format(points, mode))
    except LLMUnavailable as exc:
        raise EnrichError(f"LLM unavailable: {exc}", endpoint_failed=True) from None
    if reply.refusal:
        raise EnrichError(f"the model refused: {_one_line(reply.refusal)[:200]}")
    if reply.finish_reason == "length":
        raise EnrichError(
            f"the model's reply was cut off at max_tokens ({endpoint.settings.max_output_tokens});"
            " raise [llm] max_output_tokens in config.toml"
        )
    data = parse_reply(reply.content, points)
    additions, dropped = sanitise(data, points, question)
    apply_additions(doc, additions)
    new_text = tomlkit.dumps(doc)
    return Enrichment(
        question_id=question.id,
        path=path,
        old_text=old_text,
        new_text=new_text,
        alternatives=sum(len(v) for a in additions.values() for v in a.groups.values()),
        misconceptions=sum(len(a.misconceptions) for a in additions.values()),
        dropped=dropped,
    )


def write_enrichment(enrichment: Enrichment) -> None:
    """Replace the file at once (never half-written), unless it changed since it was read."""
    path = enrichment.path
    try:
        current = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise EnrichError(f"cannot read {path} again ({exc})") from None
    if current != enrichment.old_text:
        raise EnrichError(f"{path} changed on disk while enrich ran; run it again")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(enrichment.new_text)
        Path(tmp).chmod(path.stat().st_mode & 0o7777)
        Path(tmp).replace(path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise EnrichError(f"cannot write {path} ({exc})") from None
