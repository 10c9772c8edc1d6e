"""Settings: the config file, then environment variables, then command-line flags, each overriding
the one before. A small dataclass + tomllib rather than pydantic-settings, which costs ~270 ms of
start-up for a handful of fields.

The API key is looked up explicit -> config file -> `OPENAI_API_KEY`, is never printed, and is
scrubbed from any error text and any model reply we show (`redact`, which also catches a key
echoed in another case, reversed or split up). A config file holding a key that others can read
is named in a warning; a config file we write is written with mode 600.

A preset (`--llm ollama`, `[llm] preset = "ollama"`) stands for a local server's usual address
with no key; when no model is set, the grader asks the server which models it has.
"""

from __future__ import annotations

import logging
import os
import re
import stat
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from mockinterview import locations
from mockinterview.errors import InputError

CONFIG_NAME = "config.toml"
GRADERS = ("offline", "llm")
DEFAULT_MODEL = "gpt-4o-mini"
# Local OpenAI-compatible servers at their usual ports: no key, nothing to set up.
PRESETS = {
    "ollama": "http://127.0.0.1:11434/v1",
    "lmstudio": "http://127.0.0.1:1234/v1",
    "llamacpp": "http://127.0.0.1:8080/v1",
    "vllm": "http://127.0.0.1:8000/v1",
}
log = logging.getLogger("mockinterview")


class ConfigError(InputError):
    """The config file is unreadable or a value is invalid; the message names file and field."""


@dataclass(slots=True)
class Settings:
    """Everything that chooses and tunes a grader. Config file section: `[llm]` plus `grader`."""

    grader: str = "offline"
    """The grader used when no --grader flag is given: "offline" or "llm"."""

    llm_model: str = DEFAULT_MODEL
    """Model name sent to the endpoint (env MOCKINTERVIEW_LLM_MODEL, flag --llm-model)."""

    llm_base_url: str | None = None
    """OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1 (env OPENAI_BASE_URL);
    None means OpenAI itself."""

    api_key: str | None = field(default=None, repr=False)
    """Key for the endpoint (env OPENAI_API_KEY). Local servers need none. Never printed."""

    timeout: float = 60.0
    """Seconds to wait for one reply before it counts as a failed try (tried once more). A small
    local model on a busy CPU can need minutes: raise it for local servers."""

    max_retries: int = 3
    """Further tries after a 429, a 5xx, a timeout or a dropped connection, with backoff."""

    backoff: float = 1.0
    """Seconds before the first retry; doubled for each further one (a Retry-After wins)."""

    token_budget: int = 3000
    """Most prompt tokens sent per grade; a longer answer is truncated, and the grade says so."""

    max_output_tokens: int = 800
    """`max_tokens` of every request: small models otherwise loop until the context is full."""

    price_in_per_1k: float | None = None
    """USD per 1,000 prompt tokens, for the cost estimate; None: unknown (no estimate)."""

    price_out_per_1k: float | None = None
    """USD per 1,000 completion tokens, for the cost estimate; None: unknown."""

    concurrency: int = 4
    """Requests in flight at once in `grade --batch`."""

    llm_deadline: float = 60.0
    """Seconds one grade may take in all (connecting, reading, retries and their waits); past
    it the labelled offline grade is returned. Flag --llm-deadline, file `[llm] deadline`."""

    llm_preset: str | None = None
    """A local server by name (ollama, lmstudio, llamacpp, vllm): its usual base URL, no key.
    Flag --llm, file `[llm] preset`."""

    model_chosen: bool = field(default=False, repr=False)
    """Whether a model was named (file, env or flag); with a preset and none named, the first
    model the server lists is used."""

    source: str = field(default="defaults", repr=False)
    """Where the settings came from, for `llm check` (never includes the key)."""

    def key_hint(self) -> str:
        """Whether a key is set and where it came from, without any of its characters."""
        return "set" if self.api_key else "not set"


_FILE_KEYS = {
    "grader": "grader",
    "model": "llm_model",
    "base_url": "llm_base_url",
    "api_key": "api_key",
    "timeout": "timeout",
    "max_retries": "max_retries",
    "backoff": "backoff",
    "token_budget": "token_budget",
    "max_output_tokens": "max_output_tokens",
    "price_in_per_1k": "price_in_per_1k",
    "price_out_per_1k": "price_out_per_1k",
    "concurrency": "concurrency",
    "deadline": "llm_deadline",
    "llm_deadline": "llm_deadline",
    "preset": "llm_preset",
    "llm_preset": "llm_preset",
}
_TYPES: dict[str, type] = {f.name: f.type for f in fields(Settings)}  # type: ignore[misc]


def config_path() -> Path:
    return locations.config_dir() / CONFIG_NAME


def _coerce(name: str, value: Any, where: str) -> Any:
    """Check one value's type; ints are accepted where floats are expected."""
    kind = str(_TYPES[name])
    if "float" in kind and isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        if number < 0:
            raise ConfigError(f"{where}: must not be negative")
        return number
    if "int" in kind and isinstance(value, int) and not isinstance(value, bool):
        if value < (1 if name in ("token_budget", "max_output_tokens", "concurrency") else 0):
            raise ConfigError(f"{where}: {value} is too small")
        return value
    if "str" in kind and isinstance(value, str):
        return value
    raise ConfigError(f"{where}: expected {kind.replace(' | None', '')}, got {value!r}")


def read_file(path: Path) -> dict[str, Any]:
    """The known settings of a config file; a missing file is simply no settings."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    found: dict[str, Any] = {}
    if "grader" in raw:
        found["grader"] = _coerce("grader", raw["grader"], f"{path}: grader")
    section = raw.get("llm", {})
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [llm] must be a table")
    for key, value in section.items():
        name = _FILE_KEYS.get(key)
        if name is None or name == "grader":
            raise ConfigError(f"{path}: [llm] {key}: unknown setting")
        found[name] = _coerce(name, value, f"{path}: [llm] {key}")
    if "llm_preset" in found:
        found["llm_preset"] = preset_name(found["llm_preset"], f"{path}: [llm] preset")
    if found.get("api_key"):
        warn_if_readable(path)
    return found


def preset_name(value: str, where: str) -> str:
    """A known preset's name (any case), else a ConfigError listing them."""
    name = value.strip().lower().replace("-", "").replace(".", "").replace("_", "")
    if name not in PRESETS:
        raise ConfigError(f"{where}: unknown preset {value!r}; one of {', '.join(PRESETS)}")
    return name


def warn_if_readable(path: Path) -> bool:
    """Warn (naming the file) when a file that holds a key can be read by group or others."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    if os.name != "posix" or not mode & (stat.S_IRWXG | stat.S_IRWXO):
        return False
    log.warning(
        "mockinterview: warning: %s holds an API key and is readable by other users; "
        "run: chmod 600 %s",
        path,
        path,
    )
    return True


def write_config_file(path: Path, text: str) -> None:
    """Write a config file readable by its owner only (mode 600), replacing it whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # umask or an older file of that name cannot widen it
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    temporary.replace(path)


def save_llm_choice(
    path: Path, *, model: str | None, preset: str | None = None, base_url: str | None = None
) -> None:
    """Make the LLM grader the default in the config file: `grader = "llm"` and, in `[llm]`,
    the preset (a local server, no key) or the base URL, and the model (none: the server's
    first). Everything else in the file (a key, prices, comments) is kept; the file is written
    with mode 600 (`write_config_file`). An unreadable file raises ConfigError, untouched."""
    import tomlkit

    text = ""
    if path.is_file():
        read_file(path)  # a file we cannot read is named, never overwritten
        text = path.read_text(encoding="utf-8")
    doc = tomlkit.parse(text)
    doc["grader"] = "llm"
    table = doc.get("llm")
    if not isinstance(table, dict):
        table = tomlkit.table()
        doc["llm"] = table
    for key in ("preset", "llm_preset", "base_url", "model"):
        if key in table:
            del table[key]
    if preset:
        table["preset"] = preset_name(preset, f"{path}: [llm] preset")
    elif base_url:
        table["base_url"] = base_url
    if model:
        table["model"] = model
    try:
        write_config_file(path, tomlkit.dumps(doc))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write the config file ({exc.strerror or exc}).") from exc


def load_settings(
    *,
    grader: str | None = None,
    llm_model: str | None = None,
    llm_base_url: str | None = None,
    api_key: str | None = None,
    llm_preset: str | None = None,
    llm_deadline: float | None = None,
    path: Path | None = None,
    **overrides: Any,
) -> Settings:
    """Defaults < config file < env < explicit arguments (the flags).

    A preset sets the base URL at its own level (a base URL of the same or a later level wins)
    and means no key: a local server never receives the OpenAI key of the environment."""
    path = path or config_path()
    values = read_file(path)
    if "llm_preset" in values and "llm_base_url" not in values:
        values["llm_base_url"] = PRESETS[values["llm_preset"]]
    env = os.environ
    if env.get("MOCKINTERVIEW_LLM_MODEL"):
        values["llm_model"] = env["MOCKINTERVIEW_LLM_MODEL"]
    if env.get("OPENAI_BASE_URL"):
        values["llm_base_url"] = env["OPENAI_BASE_URL"]
    if env.get("OPENAI_API_KEY"):
        values["api_key"] = env["OPENAI_API_KEY"]
    if llm_preset is not None:
        values["llm_preset"] = preset_name(llm_preset, "--llm")
        values["llm_base_url"] = PRESETS[values["llm_preset"]]
    if llm_deadline is not None and llm_deadline <= 0:
        raise ConfigError(f"--llm-deadline: must be more than 0 seconds, got {llm_deadline:g}")
    explicit: dict[str, Any] = {
        "grader": grader,
        "llm_model": llm_model,
        "llm_base_url": llm_base_url,
    }
    explicit |= {"api_key": api_key, "llm_deadline": llm_deadline, **overrides}
    values |= {k: v for k, v in explicit.items() if v is not None}
    if values.get("grader", "offline") not in GRADERS:
        raise ConfigError(f"{path}: grader: expected one of {', '.join(GRADERS)}")
    if values.get("llm_deadline", 1.0) <= 0:
        raise ConfigError(f"{path}: [llm] deadline: must be more than 0 seconds")
    values["model_chosen"] = "llm_model" in values
    if values.get("llm_preset") and api_key is None:
        values["api_key"] = None  # local servers take no key; never send one from the env
    settings = replace(Settings(), **values)
    settings.source = str(path) if path.is_file() else "defaults"
    return settings


def is_configured(settings: Settings) -> bool:
    """Whether anything (file, env or flag) chose an endpoint: a preset, a base URL, a key or
    a model. If not, `llm check` looks for local servers instead."""
    return bool(
        settings.llm_preset or settings.llm_base_url or settings.api_key or settings.model_chosen
    )


REDACTED = "[key redacted]"
_KEY_SHAPED = re.compile(r"\bsk-[A-Za-z0-9_\-]{8,}")
MIN_FUZZY_KEY = 8  # shorter keys are redacted only as written: their letters occur by chance


def redact(text: str, secret: str | None) -> str:
    """`text` with the secret blotted out: as written, in any case, reversed, or with spaces
    or punctuation between its characters (a model echoing it back); and anything shaped like
    an sk- key."""
    if secret and len(secret) >= 4:
        text = text.replace(secret, REDACTED)
        pattern = _echo_pattern(secret)
        if pattern is not None:
            text = pattern.sub(REDACTED, text)
    return _KEY_SHAPED.sub(REDACTED, text)


_echo_patterns: dict[str, re.Pattern[str] | None] = {}


def _echo_pattern(secret: str) -> re.Pattern[str] | None:
    """The key's letters and digits, forwards or backwards, any case, up to three spaces or
    punctuation marks between each two."""
    if secret in _echo_patterns:
        return _echo_patterns[secret]
    core = [ch for ch in secret if ch.isalnum()]
    pattern = None
    if len(core) >= MIN_FUZZY_KEY:
        gap = r"[\W_]{0,3}"
        forwards = gap.join(re.escape(ch) for ch in core)
        backwards = gap.join(re.escape(ch) for ch in reversed(core))
        pattern = re.compile(f"{forwards}|{backwards}", re.IGNORECASE)
    if len(_echo_patterns) < 64:
        _echo_patterns[secret] = pattern
    return pattern
