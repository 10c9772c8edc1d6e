"""Faults of the endpoint end in the labelled offline grade within one total deadline; a grade
never comes from another server than the one asked; the key never comes back out of a reply;
a config file holding a key is kept private."""

from __future__ import annotations

import json
import os
import re
import stat
import time

import pytest

from fake_llm_server import (
    GOOD_ANSWER,
    FakeServer,
    Script,
    conv_question_and_rubric,
    envelope,
    quoting_model,
    recorded,
    replay_client,
)
from mockinterview.cli import main
from mockinterview.config import (
    ConfigError,
    Settings,
    config_path,
    load_settings,
    redact,
    write_config_file,
)
from mockinterview.grading.llm.grader import FALLBACK_GRADER, LLMGrader
from mockinterview.grading.offline.grader import OfflineGrader
from mockinterview.store import Store

SECRET = "sk-test-ECHOECHO0123456789abcd"
SLACK = 5.0  # what the deadline may be overrun by, on a loaded machine


def make(steps, *, store=None, sleeps=None, **options) -> tuple[LLMGrader, Script]:
    script = Script(steps)
    settings = {"llm_model": "m", "llm_base_url": "http://127.0.0.1:9/v1", "backoff": 0}
    grader = LLMGrader(
        Settings(**(settings | options)),
        fallback=OfflineGrader(),
        store=store,
        http_client=replay_client(script),
        sleep=(sleeps if sleeps is not None else []).append,
    )
    return grader, script


# --- one deadline per grade -----------------------------------------------------------------


def test_a_slow_drip_server_ends_in_the_offline_grade_within_the_deadline(tmp_path, capsys):
    """One byte every 2 s never trips a read timeout; the 3 s deadline still ends it."""
    answer = tmp_path / "answer.txt"
    answer.write_text("Residual connections give gradients a shortcut path.", encoding="utf-8")
    deadline = 3.0
    with FakeServer(Script(["drip"]), drip_interval=2.0) as server:
        started = time.monotonic()
        code = main(
            [
                "grade",
                "--question",
                "DL0001",
                "--answer-file",
                str(answer),
                "--grader",
                "llm",
                "--llm-base-url",
                server.url,
                "--llm-model",
                "slow",
                "--llm-deadline",
                str(deadline),
                "--format",
                "json",
            ]
        )
        took = time.monotonic() - started
    out = capsys.readouterr().out
    with capsys.disabled():
        print(f"\nslow drip, deadline {deadline:g} s: offline grade after {took:.2f} s")
    assert code == 0
    data = json.loads(out)
    assert data["grader"] == FALLBACK_GRADER
    assert "grading deadline of 3 s" in data["warnings"][0]
    assert took < deadline + SLACK


def test_the_deadline_comes_from_the_config_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[llm]\ndeadline = 7.5\n", encoding="utf-8")
    assert load_settings(path=path).llm_deadline == 7.5
    assert load_settings(path=path, llm_deadline=2).llm_deadline == 2
    assert Settings().llm_deadline == 60.0
    path.write_text("[llm]\ndeadline = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="deadline"):
        load_settings(path=path)


def test_a_deadline_flag_of_zero_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["grade", "--question", "DL0001", "--llm-deadline", "0"])
    assert caught.value.code == 2
    assert "seconds above 0" in capsys.readouterr().err


def test_a_retry_after_beyond_the_deadline_falls_back_at_once():
    question, rubric = conv_question_and_rubric()
    sleeps: list[float] = []
    limited = (429, "rate_limited_429.response.json", {"retry-after": "120"})
    grader, script = make([limited], sleeps=sleeps, llm_deadline=60, max_retries=5)
    started = time.monotonic()
    grade = grader.grade(question, rubric, GOOD_ANSWER)
    assert time.monotonic() - started < 2
    assert grade.grader == FALLBACK_GRADER
    assert len(script.requests) == 1 and sleeps == []
    assert "past the grading deadline of 60 s" in grade.warnings[0]


def test_a_retry_after_within_the_deadline_is_waited_for():
    question, rubric = conv_question_and_rubric()
    sleeps: list[float] = []
    limited = (429, "rate_limited_429.response.json", {"retry-after": "2"})
    grader, _ = make([limited, (200, "good_grade.response.json")], sleeps=sleeps, llm_deadline=60)
    assert grader.grade(question, rubric, GOOD_ANSWER).grader == "llm:m"
    assert sleeps == [2.0]


def test_backoff_that_would_end_past_the_deadline_is_not_waited_for():
    question, rubric = conv_question_and_rubric()
    sleeps: list[float] = []
    grader, script = make(
        [(500, "server_error_500.response.json")],
        sleeps=sleeps,
        backoff=4.0,
        max_retries=3,
        llm_deadline=10,
    )
    grade = grader.grade(question, rubric, GOOD_ANSWER)
    assert grade.grader == FALLBACK_GRADER
    assert sleeps == [4.0]  # 4 s fits in 10; the next wait of 8 s would not
    assert len(script.requests) == 2


# --- redirects and the cache ----------------------------------------------------------------


def test_a_redirect_to_another_origin_is_refused():
    question, rubric = conv_question_and_rubric()
    with FakeServer(Script([quoting_model])) as elsewhere:
        target = elsewhere.url + "/chat/completions"
        moved = (307, {"error": {"message": "moved"}}, {"location": target})
        with FakeServer(Script([moved])) as server:
            grader = LLMGrader(
                Settings(llm_model="m", llm_base_url=server.url, api_key=SECRET, max_retries=0),
                fallback=OfflineGrader(),
            )
            grade = grader.grade(question, rubric, GOOD_ANSWER)
        assert elsewhere.script.requests == []  # the key never went there
    assert grade.grader == FALLBACK_GRADER
    assert "redirected" in grade.warnings[0] and "not followed" in grade.warnings[0]
    assert SECRET not in json.dumps(grade.to_dict())


def test_switching_the_endpoint_never_serves_the_old_servers_grade():
    question, rubric = conv_question_and_rubric()
    store = Store.open(":memory:")
    first, _ = make([(200, "good_grade.response.json")], store=store)
    assert first.grade(question, rubric, GOOD_ANSWER).grader == "llm:m"
    same, same_script = make([(500, "server_error_500.response.json")], store=store)
    assert same.grade(question, rubric, GOOD_ANSWER).extra["cached"] is True
    assert same_script.requests == []
    other, other_script = make(
        [(200, "partial_grade.response.json")],
        store=store,
        llm_base_url="http://127.0.0.1:10/v1",
    )
    grade = other.grade(question, rubric, GOOD_ANSWER)
    assert len(other_script.requests) == 1 and "cached" not in grade.extra


# --- the key never comes back out -----------------------------------------------------------


def _disguises(key: str) -> list[str]:
    return [
        key,
        key.upper(),
        key.lower(),
        key[::-1],
        " ".join(key),
        ".".join(key),
        "-".join(key.upper()),
        " ".join(key[::-1]),
    ]


def _holds_key(text: str, key: str) -> bool:
    core = re.sub(r"[\W_]", "", key).lower()
    flat = re.sub(r"[\W_]", "", text).lower()
    return core in flat or core[::-1] in flat


@pytest.mark.parametrize("echo", _disguises(SECRET), ids=lambda e: e[:12])
def test_a_key_the_reply_echoes_never_reaches_the_grade(echo):
    question, rubric = conv_question_and_rubric()
    good = json.loads(recorded("good_grade.response.json")["choices"][0]["message"]["content"])
    for point in good["points"]:
        point["comment"] += f" key {echo}"
    good["points"][0]["evidence_quote"] += f" {echo}"
    good["feedback"] = f"Your key is {echo}."
    good["follow_up"] = f"Why is {echo} your key?"
    grader, _ = make([(200, envelope(json.dumps(good)))], api_key=SECRET)
    grade = grader.grade(question, rubric, GOOD_ANSWER)
    dump = json.dumps(grade.to_dict())
    assert not _holds_key(dump, SECRET)
    assert "[key redacted]" in grade.feedback
    assert grade.points[1].verdict == "hit"  # the other points are graded as before


def test_redact_catches_every_disguise_and_spares_ordinary_text():
    for echo in _disguises(SECRET):
        assert not _holds_key(redact(f"echo: {echo} end", SECRET), SECRET)
    text = "Skip connections test the degradation of deep networks."
    assert redact(text, SECRET) == text


# --- config files that hold a key -----------------------------------------------------------


def test_a_readable_config_file_with_a_key_gets_a_warning(caplog):
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'[llm]\napi_key = "{SECRET}"\n', encoding="utf-8")
    path.chmod(0o644)
    with caplog.at_level("WARNING", logger="mockinterview"):
        load_settings()
    (message,) = [r.getMessage() for r in caplog.records]
    assert str(path) in message and f"chmod 600 {path}" in message
    assert SECRET not in message
    caplog.clear()
    path.chmod(0o600)
    with caplog.at_level("WARNING", logger="mockinterview"):
        load_settings()
    assert caplog.records == []


def test_a_readable_config_file_without_a_key_is_fine(caplog):
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[llm]\ntimeout = 5\n", encoding="utf-8")
    path.chmod(0o644)
    with caplog.at_level("WARNING", logger="mockinterview"):
        load_settings()
    assert caplog.records == []


def test_config_files_we_write_are_private(tmp_path):
    path = tmp_path / "sub" / "config.toml"
    old_mask = os.umask(0o022)
    try:
        write_config_file(path, f'[llm]\napi_key = "{SECRET}"\n')
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        path.chmod(0o666)
        write_config_file(path, "[llm]\ntimeout = 5\n")  # replacing a wide one narrows it
    finally:
        os.umask(old_mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text(encoding="utf-8") == "[llm]\ntimeout = 5\n"
    assert list(path.parent.iterdir()) == [path]
