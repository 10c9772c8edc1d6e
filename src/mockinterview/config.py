"""Settings: the config file, then environment variables, then command-line flags, each overriding
the one before. A small dataclass + tomllib rather than pydantic-settings, which costs ~270 ms of
start-up for a handful of fields.

The API key is looked up explicit -> config file -> `OPENAI_API_KEY`, is never printed, and is
scrubbed from any error text we show (`redact`).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from mockinterview import locations
from mockinterview.errors import InputError

CONFIG_NAME = "config.toml"
GRADERS = ("offline", "llm")
DEFAULT_MODEL = "gpt-4o-mini"


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
    return found


def load_settings(
    *,
    grader: str | None = None,
    llm_model: str | None = None,
    llm_base_url: str | None = None,
    api_key: str | None = None,
    path: Path | None = None,
    **overrides: Any,
) -> Settings:
    """Defaults < config file < env < explicit arguments (the flags)."""
    path = path or config_path()
    values = read_file(path)
    env = os.environ
    if env.get("MOCKINTERVIEW_LLM_MODEL"):
        values["llm_model"] = env["MOCKINTERVIEW_LLM_MODEL"]
    if env.get("OPENAI_BASE_URL"):
        values["llm_base_url"] = env["OPENAI_BASE_URL"]
    if env.get("OPENAI_API_KEY"):
        values["api_key"] = env["OPENAI_API_KEY"]
    explicit = {"grader": grader, "llm_model": llm_model, "llm_base_url": llm_base_url}
    explicit |= {"api_key": api_key, **overrides}
    values |= {k: v for k, v in explicit.items() if v is not None}
    if values.get("grader", "offline") not in GRADERS:
        raise ConfigError(f"{path}: grader: expected one of {', '.join(GRADERS)}")
    settings = replace(Settings(), **values)
    settings.source = str(path) if path.is_file() else "defaults"
    return settings


def redact(text: str, secret: str | None) -> str:
    """`text` with the secret (and anything shaped like an sk- key) blotted out."""
    import re

    if secret and len(secret) >= 4:
        text = text.replace(secret, "[key redacted]")
    return re.sub(r"\bsk-[A-Za-z0-9_\-]{8,}", "[key redacted]", text)
