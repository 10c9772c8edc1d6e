"""Builds the grader a command or the TUI asked for.

Interim version: offline only. The LLM grader's owner extends it (config, flags, fallback).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mockinterview.models import Grader


def make_grader(kind: str | None = None, **options: Any) -> Grader:
    """`kind` is "offline" or "llm"; options: llm_model, llm_base_url, store, settings."""
    from mockinterview.grading.offline import OfflineGrader

    return OfflineGrader()
