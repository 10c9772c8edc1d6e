"""Builds the grader a command or the TUI asked for: the flag, else the config file's default.

The LLM grader is built only when asked for, so the offline path never imports openai, pydantic
or tiktoken. A bad config file raises `ConfigError` (a one-line message naming file and field).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mockinterview.config import Settings
    from mockinterview.models import Grader
    from mockinterview.store import Store


def make_grader(
    kind: str | None = None,
    *,
    llm_model: str | None = None,
    llm_base_url: str | None = None,
    llm_preset: str | None = None,
    llm_deadline: float | None = None,
    store: Store | None = None,
    settings: Settings | None = None,
    http_client: Any = None,
    **_: Any,
) -> Grader:
    """`kind` is "offline", "llm", or None for the configured default (offline if none).

    `settings` replaces the config file + env lookup (tests, the TUI); `http_client` is an
    `httpx2.Client` for the openai SDK (tests replay recorded bodies through it). A preset
    (`llm_preset`, "ollama" etc.) means the LLM grader even when `kind` is None.
    """
    from mockinterview.grading.offline.grader import OfflineGrader

    if kind == "offline":
        return OfflineGrader()
    if settings is None:
        from mockinterview.config import load_settings

        settings = load_settings(
            grader=kind or ("llm" if llm_preset else None),
            llm_model=llm_model,
            llm_base_url=llm_base_url,
            llm_preset=llm_preset,
            llm_deadline=llm_deadline,
        )
    else:
        from dataclasses import replace

        from mockinterview.config import PRESETS, preset_name

        if llm_preset:
            name = preset_name(llm_preset, "--llm")
            settings = replace(
                settings, llm_preset=name, llm_base_url=PRESETS[name], api_key=None, grader="llm"
            )
        if llm_model:
            settings = replace(settings, llm_model=llm_model, model_chosen=True)
        if llm_base_url:
            settings = replace(settings, llm_base_url=llm_base_url)
        if llm_deadline:
            settings = replace(settings, llm_deadline=llm_deadline)
    if (kind or settings.grader) != "llm":
        return OfflineGrader()
    from mockinterview.grading.llm.grader import LLMGrader

    return LLMGrader(settings, fallback=OfflineGrader(), store=store, http_client=http_client)
