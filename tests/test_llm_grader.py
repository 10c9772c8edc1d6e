"""The LLM grader on recorded replies, replayed through httpx2.MockTransport: no network."""

from __future__ import annotations

import json

import pytest

from fake_llm_server import (
    GOOD_ANSWER,
    PARTIAL_ANSWER,
    Script,
    conv_question_and_rubric,
    envelope,
    replay_client,
)
from mockinterview.config import Settings
from mockinterview.grading.llm.grader import FALLBACK_GRADER, LLMGrader
from mockinterview.grading.offline.grader import OfflineGrader
from mockinterview.store import Store

SECRET = "sk-test-SECRETSECRET1234567890"


def make(steps, *, store=None, **settings):
    script = Script(steps)
    options = {"llm_model": "smollm2-135m", "llm_base_url": "http://127.0.0.1:9/v1", "backoff": 0}
    sleeps: list[float] = []
    grader = LLMGrader(
        Settings(**(options | settings)),
        fallback=OfflineGrader(),
        store=store,
        http_client=replay_client(script),
        sleep=sleeps.append,
    )
    return grader, script, sleeps


@pytest.fixture
def conv():
    return conv_question_and_rubric()


def test_good_grade_scores_every_point_with_evidence_from_the_answer(conv):
    question, rubric = conv
    grader, script, _ = make([(200, "good_grade.response.json")])
    grade = grader.grade(question, rubric, GOOD_ANSWER)
    assert grade.grader == "llm:smollm2-135m"
    assert [p.verdict for p in grade.points] == ["hit"] * 4
    assert grade.score == 100.0
    for point in grade.points:
        (evidence,) = point.evidence
        assert GOOD_ANSWER[evidence.start : evidence.end] == evidence.text
    assert grade.extra["follow_up"].endswith("?")
    assert grade.extra["tokens"]["prompt"] == 702  # the server's usage wins over our count
    assert grade.extra["tokens"]["completion"] == 231
    assert grade.extra["tokens"]["counted_prompt"] > 300
    assert grade.extra["cost_usd"] is None  # no price configured
    assert grade.extra["offline_grade"]["grader"] == "offline"
    assert len(script.requests) == 1


def test_request_is_bounded_deterministic_and_fences_the_answer(conv):
    question, rubric = conv
    grader, script, _ = make([(200, "good_grade.response.json")], max_output_tokens=321)
    grader.grade(question, rubric, GOOD_ANSWER)
    (sent,) = script.requests
    assert sent["temperature"] == 0
    assert sent["max_tokens"] == 321
    schema = sent["response_format"]["json_schema"]["schema"]
    points = schema["properties"]["points"]
    assert points["minItems"] == points["maxItems"] == 4
    item = schema["$defs"]["PointVerdict"]["properties"]
    assert item["id"]["enum"] == ["1", "2", "3", "4"]
    assert item["evidence_quote"]["maxLength"] <= 200
    system, user = sent["messages"]
    assert system["role"] == "system" and GOOD_ANSWER not in system["content"]
    assert GOOD_ANSWER in user["content"]


def test_partial_grade_gives_partial_credit(conv):
    question, rubric = conv
    grader, _, _ = make([(200, "partial_grade.response.json")])
    grade = grader.grade(question, rubric, PARTIAL_ANSWER)
    assert [p.verdict for p in grade.points] == ["hit", "partial", "partial", "miss"]
    assert 0 < grade.score < 100
    assert grade.points[3].evidence == []


def test_hallucinated_quote_voids_the_point_and_unknown_ids_are_ignored(conv):
    question, rubric = conv
    grader, _, _ = make([(200, "hallucinated_quote.response.json")])
    grade = grader.grade(question, rubric, PARTIAL_ANSWER)
    assert [p.verdict for p in grade.points] == ["hit", "miss", "miss", "miss"]
    assert grade.points[1].note.startswith("void")
    assert sum("quote is not in the answer" in w for w in grade.warnings) == 2
    assert any("unknown points: 7" in w for w in grade.warnings)
    honest, _, _ = make([(200, "partial_grade.response.json")])
    assert grade.score < honest.grade(question, rubric, PARTIAL_ANSWER).score


def test_missing_points_count_as_missed(conv):
    question, rubric = conv
    body = {
        "points": [
            {"id": "1", "verdict": "hit", "evidence_quote": "reduce the number of channels"}
        ],
        "feedback": "Only one point.",
    }
    grader, _, _ = make([(200, envelope(json.dumps(body)))])
    grade = grader.grade(question, rubric, PARTIAL_ANSWER)
    assert [p.verdict for p in grade.points] == ["hit", "miss", "miss", "miss"]
    assert any("counted as missed" in w for w in grade.warnings)


def test_quote_matching_forgives_case_spacing_and_curly_quotes(conv):
    question, rubric = conv
    answer = "It can “reduce”   the number\nof channels."
    body = {"points": [{"id": "1", "verdict": "hit", "evidence_quote": '"reduce" the NUMBER of'}]}
    grader, _, _ = make([(200, envelope(json.dumps(body)))])
    (evidence,) = grader.grade(question, rubric, answer).points[0].evidence
    assert evidence.text == "“reduce”   the number\nof"


@pytest.mark.parametrize(
    ("steps", "reason"),
    [
        ([(200, "malformed_json.response.json")], "not valid JSON"),
        ([(200, "refusal.response.json")], "declined to grade"),
        (
            [(200, "llama-server_smollm2-135m_json_schema_unbounded_length.response.json")],
            "finish_reason: length",
        ),
        ([(500, "server_error_500.response.json")], "HTTP 500"),
        (["timeout"], "no reply from"),
        ([(404, "model_not_found_404.response.json")], "not found"),
        ([(401, "invalid_api_key_401.response.json")], "refused the API key"),
    ],
)
def test_failures_end_in_the_labelled_offline_grade(conv, steps, reason):
    question, rubric = conv
    grader, _, _ = make(steps, api_key=SECRET)
    grade = grader.grade(question, rubric, PARTIAL_ANSWER)
    offline = OfflineGrader().grade(question, rubric, PARTIAL_ANSWER)
    assert grade.grader == FALLBACK_GRADER
    assert grade.score == offline.score
    assert grade.warnings[0].startswith("LLM unavailable: offline grade (")
    assert reason in grade.warnings[0]
    assert SECRET not in json.dumps(grade.to_dict())


def test_429_then_success_retries_after_the_servers_delay(conv):
    question, rubric = conv
    grader, script, sleeps = make(
        [(429, "rate_limited_429.response.json"), (200, "good_grade.response.json")]
    )
    grade = grader.grade(question, rubric, GOOD_ANSWER)
    assert grade.grader == "llm:smollm2-135m"
    assert len(script.requests) == 2
    assert sleeps == [0.0]  # Retry-After: 0 from the server


def test_500s_are_retried_with_backoff_then_fall_back(conv):
    question, rubric = conv
    grader, script, sleeps = make(
        [(500, "server_error_500.response.json")], max_retries=3, backoff=0.5
    )
    grade = grader.grade(question, rubric, GOOD_ANSWER)
    assert grade.grader == FALLBACK_GRADER
    assert len(script.requests) == 4
    assert sleeps == [0.5, 1.0, 2.0]
    assert "gave up after 4 tries" in grade.warnings[0]


def test_timeouts_are_retried(conv):
    question, rubric = conv
    grader, script, _ = make(["timeout", (200, "good_grade.response.json")])
    assert grader.grade(question, rubric, GOOD_ANSWER).grader == "llm:smollm2-135m"
    assert len(script.requests) == 2


def test_a_server_that_keeps_timing_out_is_tried_only_twice(conv):
    question, rubric = conv
    grader, script, _ = make(["timeout"], max_retries=5)
    grade = grader.grade(question, rubric, GOOD_ANSWER)
    assert grade.grader == FALLBACK_GRADER and "gave up after 2 tries" in grade.warnings[0]
    assert len(script.requests) == 2


def test_server_without_json_schema_switches_to_json_mode_for_good(conv):
    question, rubric = conv
    rejected = (500, "llama-cpp-python_smollm2-135m_json_schema_rejected.response.json")
    grader, script, sleeps = make(
        [rejected, (200, "partial_grade.response.json"), (200, "good_grade.response.json")]
    )
    grade = grader.grade(question, rubric, PARTIAL_ANSWER)
    assert grade.grader == "llm:smollm2-135m"
    assert grade.extra["response_format"] == "json_object"
    assert sleeps == []  # not a transient error: no backoff
    assert [r["response_format"]["type"] for r in script.requests] == ["json_schema", "json_object"]
    grader.grade(question, rubric, GOOD_ANSWER)
    assert script.requests[-1]["response_format"] == {"type": "json_object"}


def test_recorded_json_mode_reply_of_a_tiny_model_is_not_trusted(conv):
    """The real llama-cpp-python reply echoes the shape ("hit|partial|miss"): no usable verdict."""
    question, rubric = conv
    grader, _, _ = make([(200, "llama-cpp-python_smollm2-135m_json_object.response.json")])
    grade = grader.grade(question, rubric, PARTIAL_ANSWER)
    assert grade.grader == FALLBACK_GRADER
    assert "no usable verdict" in grade.warnings[0]


def test_recorded_bounded_reply_with_placeholder_quotes_earns_nothing(conv):
    """The real llama-server reply quotes "...": every credited point is void."""
    question, rubric = conv
    grader, _, _ = make([(200, "llama-server_smollm2-135m_json_schema_bounded_stop.response.json")])
    grade = grader.grade(question, rubric, GOOD_ANSWER)
    assert grade.grader == "llm:smollm2-135m"
    assert grade.score == 0.0
    assert all(p.verdict == "miss" for p in grade.points)


def test_same_answer_twice_sends_one_request_and_the_key_is_not_stored(conv):
    question, rubric = conv
    store = Store.open(":memory:")
    grader, script, _ = make([(200, "good_grade.response.json")], store=store, api_key=SECRET)
    first = grader.grade(question, rubric, GOOD_ANSWER)
    again = make([(500, "server_error_500.response.json")], store=store, api_key=SECRET)[0]
    second = again.grade(question, rubric, GOOD_ANSWER)
    assert len(script.requests) == 1 and again.requests_sent == 0
    assert second.extra["cached"] is True
    assert second.score == first.score and second.grader == first.grader
    dump = "\n".join(store.conn.iterdump())
    assert "llm:smollm2-135m" in dump and SECRET not in dump
    assert script.headers[0]["authorization"] == f"Bearer {SECRET}"


def test_cache_key_changes_with_model_rubric_and_answer(conv):
    question, rubric = conv
    grader, _, _ = make([(200, "good_grade.response.json")])
    key = grader.prepare(question, rubric, GOOD_ANSWER).cache_key
    assert grader.prepare(question, rubric, GOOD_ANSWER).cache_key == key
    assert grader.prepare(question, rubric, GOOD_ANSWER + " More.").cache_key != key
    other_model = make([], llm_model="other")[0]
    assert other_model.prepare(question, rubric, GOOD_ANSWER).cache_key != key
    rubric.points[0].text += " Also spatial size is kept."
    assert grader.prepare(question, rubric, GOOD_ANSWER).cache_key != key


def test_a_long_answer_is_truncated_to_the_budget_and_the_grade_says_so(conv):
    question, rubric = conv
    grader, script, _ = make([(200, "good_grade.response.json")], token_budget=800)
    long_answer = GOOD_ANSWER + " Padding sentence about convolutions." * 400
    grade = grader.grade(question, rubric, long_answer)
    assert any("answer truncated for the LLM" in w for w in grade.warnings)
    assert grader.prepare(question, rubric, long_answer).prompt_tokens <= 800
    assert len(script.requests[0]["messages"][1]["content"]) < len(long_answer) // 4


def test_a_rubric_over_the_budget_is_not_sent(conv):
    question, rubric = conv
    grader, script, _ = make([(200, "good_grade.response.json")], token_budget=100)
    grade = grader.grade(question, rubric, GOOD_ANSWER)
    assert grade.grader == FALLBACK_GRADER and "token budget" in grade.warnings[0]
    assert script.requests == []


def test_cost_is_estimated_from_configured_prices(conv):
    question, rubric = conv
    grader, _, _ = make(
        [(200, "good_grade.response.json")], price_in_per_1k=0.01, price_out_per_1k=0.02
    )
    grade = grader.grade(question, rubric, GOOD_ANSWER)
    assert grade.extra["cost_usd"] == pytest.approx(702 / 1000 * 0.01 + 231 / 1000 * 0.02)


def test_batch_concurrency_with_duplicates_sends_each_answer_once(conv):
    from concurrent.futures import ThreadPoolExecutor

    question, rubric = conv
    store = Store.open(":memory:")
    grader, script, _ = make([(200, "good_grade.response.json")], store=store)
    answers = [GOOD_ANSWER, GOOD_ANSWER + " (2)", GOOD_ANSWER] * 4
    with ThreadPoolExecutor(grader.concurrency) as pool:
        grades = list(pool.map(lambda a: grader.grade(question, rubric, a), answers))
    assert all(g.grader == "llm:smollm2-135m" for g in grades)
    assert len(script.requests) == 2


@pytest.mark.parametrize("answer", ["", "   \n\t", "..."])
def test_an_empty_answer_is_not_sent(conv, answer):
    question, rubric = conv
    grader, script, _ = make([(200, "good_grade.response.json")])
    grade = grader.grade(question, rubric, answer)
    assert script.requests == []
    assert grade.score == 0.0 and all(p.verdict == "miss" for p in grade.points)
    assert grade.warnings == ["empty answer: nothing was sent to the LLM"]


def test_an_unexpected_reply_shape_falls_back_instead_of_crashing(conv):
    question, rubric = conv
    body = envelope("{}")
    body["choices"][0]["message"] = None  # no message at all
    grader, _, _ = make([(200, body)])
    grade = grader.grade(question, rubric, GOOD_ANSWER)
    assert grade.grader == FALLBACK_GRADER


def test_an_unwritable_cache_costs_only_a_warning(conv):
    question, rubric = conv
    store = Store.open(":memory:")
    store.conn.execute("DROP TABLE llm_cache")
    grader, _, _ = make([(200, "good_grade.response.json")], store=store)
    grade = grader.grade(question, rubric, GOOD_ANSWER)
    assert grade.grader == "llm:smollm2-135m"
    assert any("could not cache" in w for w in grade.warnings)


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again on leaving: nothing listens there


def test_a_refused_connection_falls_back_fast(conv):
    import time

    question, rubric = conv
    sleeps: list[float] = []
    grader = LLMGrader(
        Settings(
            llm_model="m",
            llm_base_url=f"http://127.0.0.1:{_closed_port()}/v1",
            max_retries=3,
            backoff=1.0,
        ),
        fallback=OfflineGrader(),
        sleep=sleeps.append,
    )
    started = time.monotonic()
    grade = grader.grade(question, rubric, GOOD_ANSWER)
    assert time.monotonic() - started < 3
    assert grade.grader == FALLBACK_GRADER
    assert sleeps == [0.25]  # one quick retry, no backoff
    assert "Connection refused" in grade.warnings[0]
    assert "gave up after 2 tries" in grade.warnings[0]


def test_other_connection_errors_keep_their_backoff(conv):
    import httpx2

    question, rubric = conv

    def handle(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ConnectError("[Errno -3] Temporary failure in name resolution")

    sleeps: list[float] = []
    grader = LLMGrader(
        Settings(llm_model="m", llm_base_url="http://example.invalid/v1", max_retries=3, backoff=1),
        fallback=OfflineGrader(),
        http_client=httpx2.Client(transport=httpx2.MockTransport(handle)),
        sleep=sleeps.append,
    )
    grade = grader.grade(question, rubric, GOOD_ANSWER)
    assert grade.grader == FALLBACK_GRADER and "gave up after 4 tries" in grade.warnings[0]
    assert sleeps == [1.0, 2.0, 4.0]
