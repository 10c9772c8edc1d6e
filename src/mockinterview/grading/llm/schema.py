"""The shape of the model's reply: a bounded JSON schema sent with the request, and a lenient
pydantic model that validates what comes back.

Two models on purpose. The schema sent is tight (point ids as an enum, exactly N items, maxLength
on every string) because grammar-constrained decoders otherwise loop until `max_tokens`. The
validator is forgiving (any id, any count, long strings cut) because the rules for what a reply is
worth live in our code: unknown ids are ignored, missing ones count as missed.
Imported only when the LLM grader runs: pydantic costs ~250 ms at start-up.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, field_validator

from mockinterview.errors import MockInterviewError
from mockinterview.grading.llm.prompt import MAX_COMMENT, MAX_FEEDBACK, MAX_FOLLOW_UP, MAX_QUOTE
from mockinterview.models import Rubric

SCHEMA_NAME = "grade"


class ReplyError(MockInterviewError, ValueError):
    """The reply is not a usable grade (not JSON, wrong shape); the message says which."""


def _cut(limit: int) -> Callable[[Any], str]:
    def cut(value: Any) -> str:
        return ("" if value is None else str(value))[: limit * 2]

    return cut


class PointReply(BaseModel):
    """One rubric point as the model judged it."""

    model_config = ConfigDict(extra="ignore")
    id: str
    verdict: str = "miss"
    evidence_quote: str = ""
    comment: str = ""

    @field_validator("id", mode="before")
    @classmethod
    def _id_text(cls, value: Any) -> str:
        return str(value).strip()

    _quote = field_validator("evidence_quote", mode="before")(_cut(MAX_QUOTE))
    _comment = field_validator("comment", mode="before")(_cut(MAX_COMMENT))


class GradeReply(BaseModel):
    """The whole reply. Strings are cut at twice their schema limit: a looping model's junk."""

    model_config = ConfigDict(extra="ignore")
    points: list[PointReply]
    feedback: str = ""
    follow_up: str = ""

    _feedback = field_validator("feedback", mode="before")(_cut(MAX_FEEDBACK))
    _follow_up = field_validator("follow_up", mode="before")(_cut(MAX_FOLLOW_UP))


def reply_object(content: str | None) -> dict[str, Any]:
    """A model's reply text as a JSON object; tolerates a ```json fence around it, nothing
    more. ReplyError (empty, not JSON, not an object) otherwise."""
    if not content or not content.strip():
        raise ReplyError("the model's reply was empty")
    text = content.strip()
    if text.startswith("```"):
        text = text.strip("`").removeprefix("json").strip()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReplyError(f"the model's reply was not valid JSON ({exc.msg})") from exc
    if not isinstance(data, dict):
        raise ReplyError("the model's reply was JSON but not an object")
    return data


def first_problem(exc: ValidationError) -> str:
    """Where and what the first validation problem is ("points.0.id: ...", "+2 more")."""
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "reply"
    more = f" and {exc.error_count() - 1} more" if exc.error_count() > 1 else ""
    return f"{where}: {first['msg']}{more}"


def parse_reply(content: str | None) -> GradeReply:
    """The reply text as a GradeReply."""
    data = reply_object(content)
    try:
        return GradeReply.model_validate(data)
    except ValidationError as exc:
        raise ReplyError(f"the model's reply had the wrong shape ({first_problem(exc)})") from exc


def bounded_schema(rubric: Rubric) -> dict[str, Any]:
    """The per-rubric JSON schema: ids as an enum, exactly N points, every string bounded."""
    ids = tuple(p.id for p in rubric.points) or ("none",)
    strict = ConfigDict(extra="forbid")
    # Models built at run time: their field types are values here, which a type checker
    # cannot follow, so the field specs are plain data.
    point_fields: dict[str, Any] = {
        "id": (Literal.__getitem__(ids), ...),
        "verdict": (Literal.__getitem__(("hit", "partial", "miss")), ...),
        "evidence_quote": (str, Field(max_length=MAX_QUOTE)),
        "comment": (str, Field(max_length=MAX_COMMENT)),
    }
    point = create_model("PointVerdict", __config__=strict, **point_fields)
    count = len(rubric.points)
    grade_fields: dict[str, Any] = {
        "points": (list[point], Field(min_length=count, max_length=count)),  # type: ignore[valid-type]
        "feedback": (str, Field(max_length=MAX_FEEDBACK)),
        "follow_up": (str, Field(max_length=MAX_FOLLOW_UP)),
    }
    grade = create_model("Grade", __config__=strict, **grade_fields)
    schema: dict[str, Any] = grade.model_json_schema()
    return schema


def response_format(rubric: Rubric, mode: str) -> dict[str, Any]:
    """The `response_format` request field for "json_schema" or "json_object" mode."""
    if mode == "json_object":
        return {"type": "json_object"}
    return {
        "type": "json_schema",
        "json_schema": {"name": SCHEMA_NAME, "schema": bounded_schema(rubric), "strict": True},
    }
