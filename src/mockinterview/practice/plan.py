"""What a session poses: the questions chosen from the bank by the start screen or the flags.

Kept free of Textual so the choice is testable on its own and shared by the CLI and the app.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal

from mockinterview.errors import MockInterviewError

if TYPE_CHECKING:
    from mockinterview.bank import Bank
    from mockinterview.store import Store

Mode = Literal["all", "topic", "tag", "random", "weakest", "retry"]  # retry: chosen questions
Order = Literal["bank", "shuffled"]
MODES: tuple[Mode, ...] = ("all", "topic", "tag", "random", "weakest")


@dataclass(slots=True)
class SessionPlan:
    """How to pick the questions of a session; stored with the session as its settings."""

    mode: Mode = "all"
    topic: str | None = None
    tag: str | None = None
    count: int | None = None
    order: Order = "bank"
    time_limit: int | None = None  # seconds per question; None = no limit
    grader: str = "offline"
    follow_ups: bool = True  # after each graded answer, one follow-up question

    def to_settings(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_settings(cls, data: dict[str, Any]) -> SessionPlan:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        try:
            return cls(**known)
        except TypeError:
            return cls()

    def describe(self, total: int | None = None) -> str:
        """A one-line summary for headers and the resume offer; `total` is how many questions
        the session has (a retry or a review's practice is only described by that)."""
        if self.mode == "retry":
            text = "retry" if total is None else f"retry of {total} question{'s' * (total != 1)}"
            return text + (f", {self.time_limit // 60 or 1} min each" if self.time_limit else "")
        parts = {
            "all": "all questions",
            "topic": f"topic {self.topic}",
            "tag": f"tag {self.tag}",
            "random": "random",
            "weakest": "weakest",
        }
        text = parts.get(self.mode, self.mode)
        if self.count:
            text += f", {self.count}"
        if self.time_limit:
            text += f", {self.time_limit // 60 or 1} min each"
        return text


class PlanError(MockInterviewError, ValueError):
    """The plan matches no question; the message says why in the candidate's words."""


def choose_questions(
    plan: SessionPlan, bank: Bank, store: Store | None = None, rng: random.Random | None = None
) -> list[str]:
    """The question ids of a session, in the order they will be posed."""
    rng = rng or random.Random()
    if plan.mode == "topic" and plan.topic:
        pool = bank.select(topic=plan.topic)
    elif plan.mode == "tag" and plan.tag:
        pool = bank.select(tag=plan.tag)
    else:
        pool = bank.select(topic=plan.topic or None, tag=plan.tag or None)
    ids = [q.id for q in pool]
    if not ids:
        raise PlanError(_nothing_matches(plan))
    count = plan.count if plan.count and plan.count > 0 else None
    if plan.mode == "weakest":
        from mockinterview.review.schedule import weakest_questions

        ids = weakest_questions(store, ids, count or 10) if store else ids[: count or 10]
    elif plan.mode == "random" or (count and count < len(ids) and plan.order == "shuffled"):
        # "N at random", or N shuffled from a larger pool; in bank order the first N are taken
        picked = set(rng.sample(ids, min(count or len(ids), len(ids))))
        ids = [i for i in ids if i in picked]  # bank order unless shuffled below
    if count:
        ids = ids[:count]
    if plan.order == "shuffled":
        rng.shuffle(ids)
    return ids


def _nothing_matches(plan: SessionPlan) -> str:
    if plan.topic and plan.tag:
        return f"no question has topic {plan.topic!r} and tag {plan.tag!r}"
    if plan.topic:
        return f"no question has topic {plan.topic!r}"
    if plan.tag:
        return f"no question has tag {plan.tag!r}"
    return "the question bank is empty"
