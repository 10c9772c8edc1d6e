"""The start screen's note on bad bank files tells question files (skipped) from rubric files
(their questions are still asked, graded with a derived rubric)."""

from __future__ import annotations

import shutil
from pathlib import Path

from mockinterview.bank import load_bank
from mockinterview.tui.screens.start import bank_problem_note

REPO = Path(__file__).resolve().parents[1]


def _bank_copy(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "bank", tmp_path / "bank")
    shutil.copytree(REPO / "rubrics", tmp_path / "rubrics")
    return tmp_path / "bank"


def test_a_good_bank_gets_no_note(tmp_path: Path) -> None:
    bank = load_bank(_bank_copy(tmp_path))
    bank.rubric_for("DL0001")
    assert bank_problem_note(bank) == ""


def test_question_and_rubric_problems_are_told_apart(tmp_path: Path) -> None:
    root = _bank_copy(tmp_path)
    (root / "deep-learning" / "DL9999.md").write_text("+++\nid = [broken\n+++\nbody\n")
    (tmp_path / "rubrics" / "DL0001.toml").write_text("this is = = not toml\n")
    bank = load_bank(root)
    bank.rubric_for("DL0001")
    note = bank_problem_note(bank)
    assert "1 question file(s) have problems and were skipped" in note
    assert "1 rubric file(s) have problems" in note
    assert "bank validate" in note


def test_rubric_problems_alone_skip_no_question(tmp_path: Path) -> None:
    root = _bank_copy(tmp_path)
    (tmp_path / "rubrics" / "DL0002.toml").write_text("[[points]\n")
    bank = load_bank(root)
    bank.rubric_for("DL0002")
    note = bank_problem_note(bank)
    assert "skipped" not in note and "1 rubric file(s)" in note
