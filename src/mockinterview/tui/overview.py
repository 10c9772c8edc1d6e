"""The bank at a glance for the start screen: questions per topic and when each was last practised.

Two grouped queries (`store.attempts`) instead of loading every attempt: the start screen must
appear at once even with years of history. No Textual here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mockinterview.store import attempts

if TYPE_CHECKING:
    from mockinterview.bank import Bank
    from mockinterview.store import Store


@dataclass(slots=True)
class TopicRow:
    topic: str
    questions: int
    attempted: int  # questions of the topic answered (not skipped) at least once
    last_practised: str | None  # ISO date of the newest attempt, None = never


def topic_rows(bank: Bank, store: Store) -> list[TopicRow]:
    last = attempts.last_attempt_times(store)
    answered = attempts.answered_question_ids(store)
    rows: dict[str, TopicRow] = {}
    for question in bank.questions.values():
        row = rows.setdefault(question.topic, TopicRow(question.topic, 0, 0, None))
        row.questions += 1
        when = last.get(question.id)
        if question.id in answered:
            row.attempted += 1
        if when and (row.last_practised is None or when > row.last_practised):
            row.last_practised = when
    return [rows[name] for name in sorted(rows)]


def short_date(iso: str | None) -> str:
    """`2026-11-23 18:40` from an ISO timestamp; "never" for None."""
    if not iso:
        return "never"
    return iso[:16].replace("T", " ")
