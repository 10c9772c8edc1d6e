"""Settings: file < env < flags; bad files are reported by name; the key never leaks."""

from __future__ import annotations

import pytest

from mockinterview.config import ConfigError, config_path, load_settings, redact

SECRET = "sk-proj-abcdefghijklmnop1234"


def write_config(text: str):
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_file_or_env():
    settings = load_settings()
    assert settings.grader == "offline"
    assert settings.llm_base_url is None and settings.api_key is None
    assert settings.source == "defaults"


def test_file_then_env_then_flags(monkeypatch):
    path = write_config(
        'grader = "llm"\n[llm]\nmodel = "from-file"\nbase_url = "http://127.0.0.1:1/v1"\n'
        "timeout = 5\ntoken_budget = 1234\nprice_in_per_1k = 0.5\n"
    )
    settings = load_settings()
    assert (settings.grader, settings.llm_model, settings.timeout) == ("llm", "from-file", 5.0)
    assert settings.token_budget == 1234 and settings.price_in_per_1k == 0.5
    assert settings.source == str(path)
    monkeypatch.setenv("MOCKINTERVIEW_LLM_MODEL", "from-env")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:2/v1")
    settings = load_settings()
    assert (settings.llm_model, settings.llm_base_url) == ("from-env", "http://127.0.0.1:2/v1")
    settings = load_settings(llm_model="from-flag", grader="offline")
    assert (settings.llm_model, settings.grader) == ("from-flag", "offline")


def test_key_explicit_beats_env_and_is_not_in_repr(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    assert load_settings().api_key == SECRET
    assert load_settings(api_key="sk-explicit-000000000").api_key == "sk-explicit-000000000"
    assert SECRET not in repr(load_settings())
    assert load_settings().key_hint() == "set"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[llm\nmodel = 1", "not valid TOML"),
        ('[llm]\ntimeout = "soon"', "[llm] timeout: expected float"),
        ("[llm]\ntemperature = 1", "[llm] temperature: unknown setting"),
        ('grader = "gpt"', "grader: expected one of offline, llm"),
        ("[llm]\nmax_retries = -1", "[llm] max_retries: -1 is too small"),
        ("[llm]\ntoken_budget = 0", "[llm] token_budget: 0 is too small"),
        ("llm = 3", "[llm] must be a table"),
    ],
)
def test_bad_files_name_the_file_and_field(text, message):
    path = write_config(text)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


def test_redact_hides_the_key_and_key_shaped_strings():
    text = f"401 for {SECRET}; also sk-otherKEY1234567890 was tried"
    cleaned = redact(text, SECRET)
    assert SECRET not in cleaned and "sk-otherKEY" not in cleaned
    assert cleaned.count("[key redacted]") == 2
