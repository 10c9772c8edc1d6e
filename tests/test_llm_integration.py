"""Against a real OpenAI-compatible server (e.g. llama.cpp's llama-server, see
../shared/llm-server/README.md). Opt-in: MOCKINTERVIEW_LLM_IT=1, with MOCKINTERVIEW_LLM_IT_URL
(default http://127.0.0.1:8766/v1) and MOCKINTERVIEW_LLM_IT_MODEL (default smollm2-135m).

A tiny model's verdicts are meaningless; this checks the plumbing: the bounded schema is accepted,
the reply validates, and the grade is ours (LLM or the labelled fallback), never a crash.
"""

from __future__ import annotations

import os

import pytest

from fake_llm_server import GOOD_ANSWER, conv_question_and_rubric
from mockinterview.config import Settings
from mockinterview.grading.llm.check import check_endpoint
from mockinterview.grading.llm.grader import FALLBACK_GRADER, LLMGrader
from mockinterview.grading.offline.grader import OfflineGrader

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        os.environ.get("MOCKINTERVIEW_LLM_IT") != "1", reason="set MOCKINTERVIEW_LLM_IT=1"
    ),
]


@pytest.fixture
def settings() -> Settings:
    return Settings(
        llm_model=os.environ.get("MOCKINTERVIEW_LLM_IT_MODEL", "smollm2-135m"),
        llm_base_url=os.environ.get("MOCKINTERVIEW_LLM_IT_URL", "http://127.0.0.1:8766/v1"),
        timeout=300,
        max_retries=1,
    )


def test_llm_check_finds_the_server_usable(settings):
    report = check_endpoint(settings)
    assert report.usable, report.lines


def test_a_real_server_grades_within_the_bounded_schema(settings):
    question, rubric = conv_question_and_rubric()
    grader = LLMGrader(settings, fallback=OfflineGrader())
    grade = grader.grade(question, rubric, GOOD_ANSWER)
    assert grade.grader in (f"llm:{settings.llm_model}", FALLBACK_GRADER)
    assert [p.id for p in grade.points] == ["1", "2", "3", "4"]
    assert 0 <= grade.score <= 100
    if grade.grader != FALLBACK_GRADER:
        assert grade.extra["tokens"]["completion"] <= settings.max_output_tokens
