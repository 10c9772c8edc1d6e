"""The core data: questions, rubrics and grades.

Plain dataclasses rather than pydantic models: they are built thousands of times a second in
batch grading and imported on every start-up, where pydantic costs ~250 ms. Pydantic is kept for
the places that validate untrusted input (LLM replies, config files).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

Verdict = Literal["hit", "partial", "miss"]
DIFFICULTIES = ("easy", "medium", "hard")


def text_hash(text: str) -> str:
    """A short, stable fingerprint of a text, blind to trailing whitespace and line endings."""
    canonical = "\n".join(line.rstrip() for line in text.strip().splitlines())
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


@dataclass(slots=True)
class Question:
    """One bank entry. `answer` is the reference answer, kept verbatim."""

    id: str
    title: str
    question: str
    answer: str
    topic: str = "general"
    difficulty: str = "medium"
    tags: list[str] = field(default_factory=list)
    source: str = ""
    path: Path | None = None

    @property
    def answer_hash(self) -> str:
        return text_hash(self.answer)


@dataclass(slots=True)
class RubricPoint:
    """One gradable idea of the reference answer.

    `keywords` is a list of groups; each group lists alternatives (synonyms, phrasings). The point
    is covered when enough groups match (`min_groups`, default: all but one of three or more).
    """

    id: str
    title: str
    text: str
    section: str = ""
    weight: float = 1.0
    keywords: list[list[str]] = field(default_factory=list)
    min_groups: int | None = None
    misconceptions: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Rubric:
    """How one question is graded. `answer_hash` ties it to the reference it came from."""

    question_id: str
    answer_hash: str
    points: list[RubricPoint]
    required: int | None = None  # points needed for full marks ("give two reasons"); None = all
    path: Path | None = None
    # Hand-curated: its keyword groups are ideas with their paraphrases, so they alone grade
    # (the reference's own wording earns nothing extra) and a point's ideas must stand together.
    curated: bool = False

    @property
    def content_hash(self) -> str:
        """Fingerprint of everything that affects grading, stored with each attempt."""
        blob = repr(
            (self.required, [(p.id, p.weight, p.keywords, p.min_groups) for p in self.points])
        )
        return text_hash(blob)

    def point(self, point_id: str) -> RubricPoint | None:
        return next((p for p in self.points if p.id == point_id), None)


@dataclass(slots=True)
class Evidence:
    """Words of the answer that earned (part of) a point; offsets index the answer string."""

    text: str
    start: int
    end: int


@dataclass(slots=True)
class PointResult:
    id: str
    title: str
    weight: float
    verdict: Verdict
    credit: float
    evidence: list[Evidence] = field(default_factory=list)
    note: str = ""  # why: which keywords matched or were missing, negation, misconception...


@dataclass(slots=True)
class Grade:
    """A graded answer. `score` is 0-100 and always computed by our code from the points."""

    question_id: str
    grader: str
    score: float
    points: list[PointResult]
    feedback: str = ""
    warnings: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # tokens, cost, follow-up, model...

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of `grade --format json` (DESIGN.md contract)."""
        data = asdict(self)
        if not data["extra"]:
            data.pop("extra")
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Grade:
        points = [
            PointResult(
                id=p["id"],
                title=p.get("title", p["id"]),
                weight=float(p.get("weight", 1.0)),
                verdict=p.get("verdict", "miss"),
                credit=float(p.get("credit", 0.0)),
                evidence=[Evidence(**e) for e in p.get("evidence", [])],
                note=p.get("note", ""),
            )
            for p in data.get("points", [])
        ]
        return cls(
            question_id=data["question_id"],
            grader=data.get("grader", "offline"),
            score=float(data.get("score", 0.0)),
            points=points,
            feedback=data.get("feedback", ""),
            warnings=list(data.get("warnings", [])),
            extra=dict(data.get("extra", {})),
        )


class Grader(Protocol):
    """Anything that grades: the offline matcher, the LLM grader, a fake in tests."""

    name: str

    def grade(self, question: Question, rubric: Rubric, answer: str) -> Grade: ...
