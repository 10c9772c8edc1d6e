"""The bank at a glance for the start screen: questions per topic and when each was last practised.

One grouped query instead of loading every attempt: the start screen must appear at once even
with years of history. No Textual here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mockinterview.bank import Bank
    from mockinterview.store import Store


@dataclass(slots=True)
class TopicRow:
    topic: str
    questions: int
    attempted: int  # questions of the topic answered (not skipped) at least once
    last_practised: str | None  # ISO date of the newest attempt, None = never


def last_practised_by_question(store: Store) -> dict[str, str]:
    """question id -> ISO time of its newest attempt."""
    rows = store.conn.execute(
        "SELECT question_id, MAX(submitted_at) FROM attempts GROUP BY question_id"
    )
    return {row[0]: row[1] for row in rows}


def answered_questions(store: Store) -> set[str]:
    """Ids of the questions answered at least once; a skip is not an answer."""
    rows = store.conn.execute("SELECT DISTINCT question_id FROM attempts WHERE skipped = 0")
    return {row[0] for row in rows}


def topic_rows(bank: Bank, store: Store) -> list[TopicRow]:
    last = last_practised_by_question(store)
    answered = answered_questions(store)
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
