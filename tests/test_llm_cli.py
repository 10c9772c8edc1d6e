"""End to end through the command line, against a fake OpenAI-compatible server on 127.0.0.1:
`grade --grader llm` and `llm check` (the issue's "done when")."""

from __future__ import annotations

import json

import pytest

from fake_llm_server import FakeServer, Script, envelope, quoting_model
from mockinterview.cli import main
from mockinterview.config import config_path

ANSWER = (
    "Residual connections give the gradient a direct shortcut path, so vanishing gradients are "
    "avoided. They also stop the degradation of very deep networks: a layer can learn an "
    "identity mapping."
)
SECRET = "sk-test-NEVERPRINTED0123456789"


@pytest.fixture
def answer_file(tmp_path):
    path = tmp_path / "answer.txt"
    path.write_text(ANSWER, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def quick_retries():
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[llm]\nbackoff = 0\nmax_retries = 2\ntimeout = 1\n", encoding="utf-8")


def grade(server: FakeServer, answer_file, capsys, *extra: str) -> tuple[int, dict, str]:
    code = main(
        [
            "grade",
            "--question",
            "DL0001",
            "--answer-file",
            str(answer_file),
            "--grader",
            "llm",
            "--format",
            "json",
            "--llm-base-url",
            server.url,
            "--llm-model",
            "fake-grader",
            *extra,
        ]
    )
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def test_grade_with_llm_then_again_from_the_cache(answer_file, capsys, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    with FakeServer(Script([quoting_model])) as server:
        code, data, err = grade(server, answer_file, capsys)
        assert code == 0
        assert data["grader"] == "llm:fake-grader"
        assert data["question_id"] == "DL0001"
        assert data["score"] == 100.0
        assert data["extra"]["follow_up"] == "Why identity, not zero?"
        assert data["extra"]["offline_grade"]["grader"] == "offline"
        assert len(server.script.requests) == 1
        code, again, _ = grade(server, answer_file, capsys)
        assert code == 0 and again["score"] == data["score"]
        assert len(server.script.requests) == 1  # the second identical call sent nothing
        assert server.script.headers[0]["authorization"] == f"Bearer {SECRET}"
    assert SECRET not in json.dumps(data) + err


def test_a_server_failing_every_time_ends_in_the_labelled_offline_grade(
    answer_file, capsys, monkeypatch
):
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    with FakeServer(Script([(500, "server_error_500.response.json")])) as server:
        code, data, err = grade(server, answer_file, capsys)
        assert len(server.script.requests) == 3  # one try and two retries (config file)
    assert code == 0
    assert data["grader"] == "offline (LLM unavailable)"
    assert data["warnings"][0].startswith("LLM unavailable: offline grade (HTTP 500")
    assert 0 < data["score"] <= 100
    assert SECRET not in json.dumps(data) + err


def test_a_server_that_never_answers_in_time_falls_back(answer_file, capsys):
    config_path().write_text("[llm]\nbackoff = 0\nmax_retries = 1\ntimeout = 0.3\n")
    with FakeServer(Script(["timeout"]), timeout_sleep=0.8) as server:
        code, data, _ = grade(server, answer_file, capsys)
        assert len(server.script.requests) == 2
    assert code == 0 and data["grader"] == "offline (LLM unavailable)"
    assert "no reply from" in data["warnings"][0]


def check(url: str | None, capsys, model: str = "fake-grader") -> tuple[int, str]:
    argv = ["llm", "check", "--llm-model", model]
    if url:
        argv += ["--llm-base-url", url]
    code = main(argv)
    return code, capsys.readouterr().out


def test_llm_check_on_a_working_server(capsys):
    with FakeServer(Script([(200, envelope('{"ok": true}'))])) as server:
        code, out = check(server.url, capsys)
        assert len(server.script.requests) == 1
        assert server.script.requests[0]["max_tokens"] <= 20
    assert code == 0
    assert "reachable" in out and "no API key needed" in out
    assert "json_schema structured output supported" in out


def test_llm_check_without_json_schema_reports_json_mode(capsys):
    rejected = (500, "llama-cpp-python_smollm2-135m_json_schema_rejected.response.json")
    with FakeServer(Script([rejected, (200, envelope('{"ok": true}'))])) as server:
        code, out = check(server.url, capsys)
    assert code == 0
    assert "json_schema not supported" in out and "JSON mode works" in out


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        ((401, "invalid_api_key_401.response.json"), "API key refused (HTTP 401)"),
        ((404, "model_not_found_404.response.json"), "model 'fake-grader' is not known"),
        ((429, "rate_limited_429.response.json"), "rate limited or out of quota"),
        ((200, "malformed_json.response.json"), "not a JSON object"),
    ],
)
def test_llm_check_says_what_does_not_work(capsys, monkeypatch, step, expected):
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    with FakeServer(Script([step])) as server:
        code, out = check(server.url, capsys)
    assert code == 1
    assert expected in out and "FAIL" in out
    assert SECRET not in out


def test_llm_check_on_an_unreachable_server(capsys):
    with FakeServer(Script([])) as server:
        url = server.url  # the port is free again once the server is closed
    code, out = check(url, capsys)
    assert code == 1 and "unreachable" in out


def test_llm_check_on_openai_without_a_key(capsys):
    code, out = check(None, capsys)
    assert code == 1 and "no API key for OpenAI" in out


def test_a_broken_config_file_is_bad_input(capsys, answer_file):
    config_path().write_text("[llm\n", encoding="utf-8")
    assert main(["llm", "check"]) == 1
    assert "not valid TOML" in capsys.readouterr().err
    argv = ["grade", "--question", "DL0001", "--answer-file", str(answer_file), "--grader", "llm"]
    assert main(argv) == 1
    assert "not valid TOML" in capsys.readouterr().err
