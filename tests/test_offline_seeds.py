"""The offline grader on the shipped seed bank, with hand-written answers (tests/answers/):
strong answers score high, half answers in the middle, noise and pasted questions near zero,
and a keyword dump below the real answer that says the same."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from mockinterview.bank import load_bank
from mockinterview.grading.offline.grader import OfflineGrader

REPO = Path(__file__).resolve().parents[1]
ANSWERS = Path(__file__).parent / "answers"
BANK = load_bank(REPO / "bank")
IDS = sorted(p.stem for p in ANSWERS.glob("*.toml"))
OFF_TOPIC = (
    "I would start by asking the customer what the database schema looks like, then write "
    "SQL queries with joins and indexes, and deploy the web server behind a load balancer."
)
GRADER = OfflineGrader()


def _grade(qid: str, answer: str) -> float:
    question = BANK.get(qid)
    assert question is not None, f"{qid} is not in the bank"
    return GRADER.grade(question, BANK.rubric_for(qid), answer).score


def _answers(qid: str) -> dict[str, str]:
    return tomllib.loads((ANSWERS / f"{qid}.toml").read_text(encoding="utf-8"))


SEEDS = {"DL0001", "DL0002", "DL0003", "DL0004"} | {f"ML00{n}" for n in range(26, 32)}


def test_every_seed_question_has_hand_written_answers() -> None:
    assert set(BANK.questions) >= SEEDS
    assert set(IDS) == SEEDS


@pytest.mark.parametrize("qid", IDS)
def test_strong_answer_scores_above_80(qid: str) -> None:
    assert _grade(qid, _answers(qid)["strong"]) > 80


@pytest.mark.parametrize("qid", IDS)
def test_half_answer_scores_between_30_and_70(qid: str) -> None:
    assert 30 <= _grade(qid, _answers(qid)["half"]) <= 70


@pytest.mark.parametrize("qid", IDS)
def test_off_topic_and_empty_answers_score_below_10(qid: str) -> None:
    assert _grade(qid, OFF_TOPIC) < 10
    assert _grade(qid, "") < 10
    assert _grade(qid, "   \n ") < 10


@pytest.mark.parametrize("qid", IDS)
def test_question_pasted_back_scores_below_15(qid: str) -> None:
    question = BANK.get(qid)
    assert question is not None
    assert _grade(qid, question.question) < 15
    assert _grade(qid, f"{question.title}. {question.question}") < 15


@pytest.mark.parametrize("qid", IDS)
def test_keyword_dump_scores_below_the_real_answer(qid: str) -> None:
    answers = _answers(qid)
    dump = GRADER.grade(BANK.get(qid), BANK.rubric_for(qid), answers["keyword_dump"])
    assert dump.score < _grade(qid, answers["strong"])
    assert any("keyword list" in w for w in dump.warnings)
