"""Shared fixtures: an isolated data dir for every test, never the user's real one."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("MOCKINTERVIEW_HOME", str(home))
    for name in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "MOCKINTERVIEW_LLM_MODEL",
        "MOCKINTERVIEW_BANK",
    ):
        monkeypatch.delenv(name, raising=False)
    return home
