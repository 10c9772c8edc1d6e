"""Local models with no set-up: `--llm ollama` grades against the usual local address with no
key and no other flag, and `llm check` with nothing configured finds local servers, lists their
models and prints the config lines to use them. Fake servers on 127.0.0.1 only."""

from __future__ import annotations

import errno
import json
import socket

import pytest

from fake_llm_server import FakeServer, Script, envelope, quoting_model
from mockinterview import config
from mockinterview.cli import main
from mockinterview.config import PRESETS, ConfigError, config_path, load_settings

SECRET = "sk-test-NOTFORLOCALSERVERS0123456"
ANSWER = (
    "Residual connections give the gradient a direct shortcut path, so vanishing gradients are "
    "avoided. They also stop the degradation of very deep networks: a layer can learn an "
    "identity mapping."
)


@pytest.fixture(autouse=True)
def no_environment_endpoint(monkeypatch):
    for name in ("OPENAI_BASE_URL", "MOCKINTERVIEW_LLM_MODEL", "OPENAI_API_KEY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def answer_file(tmp_path):
    path = tmp_path / "answer.txt"
    path.write_text(ANSWER, encoding="utf-8")
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def presets_on_free_ports(monkeypatch) -> dict[str, str]:
    """Every preset moved to a free port of 127.0.0.1 (nothing listening there yet)."""
    moved = {name: f"http://127.0.0.1:{_free_port()}/v1" for name in PRESETS}
    monkeypatch.setattr(config, "PRESETS", moved)
    return moved


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1].split("/")[0])


@pytest.fixture
def ollama_port_11434():
    """A fake ollama on its real port; skipped when something else holds the port."""
    models = ["llama3.2:3b", "qwen2.5:7b"]
    try:
        server = FakeServer(Script([quoting_model]), port=11434, models=models)
    except OSError as exc:
        if exc.errno in (errno.EADDRINUSE, errno.EACCES):
            pytest.skip("127.0.0.1:11434 is taken on this machine")
        raise
    with server:
        yield server


# --- settings -------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "url"), list(PRESETS.items()))
def test_a_preset_means_its_usual_address_and_no_key(monkeypatch, name, url):
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    settings = load_settings(llm_preset=name)
    assert (settings.llm_preset, settings.llm_base_url, settings.api_key) == (name, url, None)
    assert not settings.model_chosen


def test_the_preset_can_live_in_the_config_file_and_a_base_url_still_wins(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[llm]\npreset = "LM-Studio"\n', encoding="utf-8")
    settings = load_settings(path=path)
    assert (settings.llm_preset, settings.llm_base_url) == ("lmstudio", PRESETS["lmstudio"])
    path.write_text('[llm]\nllm_preset = "vllm"\nbase_url = "http://127.0.0.1:9/v1"\n')
    assert load_settings(path=path).llm_base_url == "http://127.0.0.1:9/v1"
    assert load_settings(path=path, llm_base_url="http://127.0.0.1:7/v1").llm_base_url == (
        "http://127.0.0.1:7/v1"
    )


def test_an_unknown_preset_names_the_known_ones(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[llm]\npreset = "olama"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown preset 'olama'; one of ollama, lmstudio"):
        load_settings(path=path)


# --- grading with a preset ------------------------------------------------------------------


def _grade(answer_file, capsys, *flags: str) -> tuple[int, dict]:
    argv = ["grade", "--question", "DL0001", "--answer-file", str(answer_file)]
    code = main([*argv, "--format", "json", *flags])
    return code, json.loads(capsys.readouterr().out)


def test_llm_ollama_grades_with_no_key_and_no_other_flag(
    ollama_port_11434, answer_file, capsys, monkeypatch
):
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)  # an OpenAI key must not go to a local server
    code, data = _grade(answer_file, capsys, "--llm", "ollama")
    assert code == 0
    assert data["grader"] == "llm:llama3.2:3b"  # the first model the server lists
    assert data["score"] == 100.0
    (request,) = ollama_port_11434.script.requests
    assert request["model"] == "llama3.2:3b"
    assert SECRET not in json.dumps(ollama_port_11434.script.headers)


def test_a_preset_from_the_config_file_grades_on_a_free_port(
    presets_on_free_ports, answer_file, capsys
):
    url = presets_on_free_ports["llamacpp"]
    config_path().parent.mkdir(parents=True, exist_ok=True)
    config_path().write_text(
        'grader = "llm"\n[llm]\npreset = "llamacpp"\nmodel = "tiny"\n', encoding="utf-8"
    )
    with FakeServer(Script([quoting_model]), port=_port(url), models=["other"]) as server:
        code, data = _grade(answer_file, capsys)
        assert server.model_requests == 0  # a model was named: nothing to ask
    assert code == 0 and data["grader"] == "llm:tiny"


def test_a_preset_with_no_server_falls_back_to_the_labelled_offline_grade(
    presets_on_free_ports, answer_file, capsys
):
    code, data = _grade(answer_file, capsys, "--llm", "vllm")
    assert code == 0
    assert data["grader"] == "offline (LLM unavailable)"
    assert "cannot ask" in data["warnings"][0]


# --- llm check with nothing configured ------------------------------------------------------


def test_llm_check_with_nothing_configured_finds_ollama_and_its_models(ollama_port_11434, capsys):
    code = main(["llm", "check"])
    out = capsys.readouterr().out
    assert code == 0
    assert "looking for local servers" in out
    assert "ok   ollama    http://127.0.0.1:11434/v1: llama3.2:3b, qwen2.5:7b" in out
    assert '    preset = "ollama"' in out and '    model = "llama3.2:3b"' in out
    assert str(config_path()) in out


def test_llm_check_discovery_on_free_ports_prints_config_lines_that_work(
    presets_on_free_ports, capsys
):
    url = presets_on_free_ports["lmstudio"]
    with FakeServer(Script([]), port=_port(url), models=["phi-4", "gemma"]) as server:
        code = main(["llm", "check"])
        out = capsys.readouterr().out
        assert server.model_requests == 1 and server.script.requests == []
    assert code == 0
    assert f"ok   lmstudio  {url}: phi-4, gemma" in out
    assert "--   ollama" in out and "nothing listening" in out
    lines = [line.strip() for line in out.splitlines() if line.startswith("    ")]
    text = "\n".join(lines) + "\n"
    config_path().parent.mkdir(parents=True, exist_ok=True)
    config_path().write_text(text, encoding="utf-8")
    settings = load_settings()
    assert (settings.grader, settings.llm_preset, settings.llm_model) == (
        "llm",
        "lmstudio",
        "phi-4",
    )


def test_llm_check_with_nothing_found_says_so(presets_on_free_ports, capsys):
    assert main(["llm", "check"]) == 1
    assert "No local server found" in capsys.readouterr().out


def test_llm_check_with_a_preset_checks_that_endpoint(presets_on_free_ports, capsys):
    url = presets_on_free_ports["ollama"]
    ping = (200, envelope('{"ok": true}'))
    with FakeServer(Script([ping]), port=_port(url), models=["m1"]) as server:
        code = main(["llm", "check", "--llm", "ollama"])
        out = capsys.readouterr().out
        assert server.script.requests[0]["model"] == "m1"
    assert code == 0
    assert f"endpoint: {url}" in out and "json_schema structured output supported" in out
    assert "--llm ollama --llm-model m1" in out
