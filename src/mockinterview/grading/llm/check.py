"""`mockinterview llm check`: one tiny request, and a plain answer to each question a user has
when the LLM grader does not work: is the server reachable, is the key accepted, is the model
known, does it do json_schema (or only JSON mode)? With nothing configured, it looks for the
usual local servers on 127.0.0.1 instead (`probe_local`) and says what to write in the config.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from mockinterview.config import Settings, redact
from mockinterview.grading.llm.client import (
    ChatEndpoint,
    LLMUnavailable,
    _error_text,
    list_models,
)

PROBE_TIMEOUT = 0.5  # a local server answers /models at once; nothing there is refused at once

PING_SCHEMA = {
    "type": "json_schema",
    "json_schema": {
        "name": "ping",
        "strict": True,
        "schema": {
            "type": "object",
            "properties": {"ok": {"type": "boolean"}},
            "required": ["ok"],
            "additionalProperties": False,
        },
    },
}
PING_MESSAGES = [
    {"role": "system", "content": 'Reply with exactly this JSON object: {"ok": true}'},
    {"role": "user", "content": "ping"},
]


@dataclass(slots=True)
class CheckReport:
    """Lines of (verdict, text): verdict True = works, False = does not, None = not known."""

    lines: list[tuple[bool | None, str]] = field(default_factory=list)
    usable: bool = False

    def add(self, verdict: bool | None, text: str) -> None:
        self.lines.append((verdict, text))


def _send(endpoint: ChatEndpoint, response_format: dict[str, Any]) -> Any:
    return endpoint.client().chat.completions.create(
        model=endpoint.settings.llm_model,
        messages=PING_MESSAGES,
        temperature=0,
        max_tokens=20,
        response_format=response_format,
    )


def _is_json(response: Any) -> bool:
    try:
        return isinstance(json.loads(response.choices[0].message.content or ""), dict)
    except (ValueError, IndexError, AttributeError):
        return False


def check_endpoint(settings: Settings, *, http_client: Any = None) -> CheckReport:
    """Probe the endpoint with at most two tiny requests: json_schema, then JSON mode."""
    import openai

    report = CheckReport()
    endpoint = ChatEndpoint(settings, http_client=http_client)
    where, model = endpoint.where, settings.llm_model

    def fail(text: str) -> CheckReport:
        report.add(False, redact(text, settings.api_key))
        return report

    try:
        endpoint.client()
    except LLMUnavailable as exc:
        return fail(str(exc))
    try:
        response = _send(endpoint, PING_SCHEMA)
        schema_ok = True
    except openai.APITimeoutError:
        return fail(f"{where}: no reply within {settings.timeout:g} s (is the server busy?)")
    except openai.APIConnectionError as exc:
        return fail(f"{where}: unreachable ({_error_text(exc)})")
    except openai.APIStatusError as exc:
        status, detail = exc.status_code, _error_text(exc)
        report.add(True, f"{where}: reachable")
        if status in (401, 403):
            return fail(f"API key refused (HTTP {status}); key is {settings.key_hint()}")
        if status == 404:
            if "model" in detail.lower():
                return fail(f"model {model!r} is not known there ({detail[:160]})")
            return fail("no chat/completions endpoint there (HTTP 404): does the URL end in /v1?")
        if status == 429:
            report.add(True, "API key accepted")
            return fail(f"rate limited or out of quota (HTTP 429: {detail[:160]})")
        if "response_format" not in detail.lower() and "json_schema" not in detail.lower():
            return fail(f"HTTP {status}: {detail[:200]}")
        schema_ok = False
        report.add(None, f"json_schema not supported (HTTP {status}); trying JSON mode")
        try:
            response = _send(endpoint, {"type": "json_object"})
        except openai.OpenAIError as exc:
            return fail(f"JSON mode failed too ({_error_text(exc)[:200]})")
    except openai.OpenAIError as exc:
        return fail(f"{type(exc).__name__}: {exc}")
    report.add(True, f"{where}: reachable")
    report.add(True, "API key accepted" if settings.api_key else "no API key needed")
    served = getattr(response, "model", None) or model
    report.add(True, f"model {model!r} answers (served as {served!r})")
    if not _is_json(response):
        mode = "json_schema" if schema_ok else "JSON mode"
        return fail(f"{mode} accepted but the reply was not a JSON object")
    if schema_ok:
        report.add(True, "json_schema structured output supported")
    else:
        report.add(True, "JSON mode works: grades will use JSON mode + validation")
    report.usable = True
    return report


@dataclass(slots=True)
class LocalServer:
    """What one preset's address answered: its models, or why there are none."""

    preset: str
    url: str
    models: list[str] | None = None
    problem: str = ""


def probe_local(timeout: float = PROBE_TIMEOUT) -> list[LocalServer]:
    """Ask each preset's address on 127.0.0.1 for its models (`GET /v1/models`), briefly."""
    from mockinterview import config

    found = []
    for name, url in config.PRESETS.items():
        try:
            found.append(LocalServer(name, url, list_models(url, timeout=timeout)))
        except LLMUnavailable as exc:
            text = str(exc)
            if "refused" in text.lower():
                text = "nothing listening"
            elif "timeout" in text.lower() or "timed out" in text.lower():
                text = f"no answer within {timeout:g} s"
            found.append(LocalServer(name, url, None, text))
    return found


def config_lines(server: LocalServer) -> list[str]:
    """The config file lines that grade with `server`: its preset and first model."""
    lines = ['grader = "llm"', "", "[llm]", f'preset = "{server.preset}"']
    if server.models:
        lines.append(f"model = {json.dumps(server.models[0])}")
    return lines
