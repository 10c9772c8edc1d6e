"""History survives edits to the bank, and the review core stays free of Textual."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mockinterview import locations
from mockinterview.cli import main
from mockinterview.store import Store
from test_review_support import add_attempt

REPO = Path(__file__).resolve().parents[1]


def test_editing_a_question_keeps_its_history(
    tmp_path: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(REPO / "bank", bank)
    store = Store.open(locations.database_path(isolated_home))
    add_attempt(store, "DL0001", ["hit", "miss"], "2026-03-01T10:00:00+00:00")
    page = bank / "deep-learning" / "DL0001.md"
    text = page.read_text(encoding="utf-8")
    edited = text.replace('title = "Residual Connection"', 'title = "Skip connections"')
    edited = edited.replace("Why are residual connections", "Why do skip connections")
    assert edited != text
    page.write_text(edited, encoding="utf-8")
    assert main(["history", "--format", "json", "--bank", str(bank)]) == 0
    [record] = json.loads(capsys.readouterr().out)
    assert record["question_id"] == "DL0001"
    assert record["title"] == "Skip connections"
    assert [p["verdict"] for p in record["points"]] == ["hit", "miss"]


def test_review_core_never_imports_textual() -> None:
    modules = ["compare", "export", "filtering", "records", "regrade", "rows", "sample",
               "schedule", "stats"]  # fmt: skip
    probe = (
        "import sys, importlib\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module('mockinterview.review.' + name)\n"
        "importlib.import_module('mockinterview.cli.history')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'openai')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
