"""The seed-page importer on the real seed pages: ten questions, duplicates collapsed,
answers verbatim, and a second import that changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockinterview.bank import load_bank
from mockinterview.bank.importers.seed_page import read_seed_page
from mockinterview.bank.importing import import_files

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
PAGES = sorted(SEEDS.glob("*.txt"))
SEED_IDS = [f"DL000{n}" for n in range(1, 5)] + [f"ML00{n}" for n in range(26, 32)]

pytestmark = pytest.mark.skipif(len(PAGES) < 2, reason="seed pages not available")


def test_each_page_reads_cleanly() -> None:
    first, second = (read_seed_page(p) for p in PAGES[:2])
    assert not first.problems and not second.problems
    assert [q.id for q in first.questions] == ["DL0003", "DL0002", "DL0001"]
    assert len(second.questions) == 10
    assert all(q.difficulty == "medium" and "difficulty" in q.explicit for q in first.questions)
    assert all("difficulty" not in q.explicit for q in second.questions)


def test_both_pages_give_the_ten_seed_questions(tmp_path: Path) -> None:
    report = import_files(PAGES, tmp_path / "bank")
    assert report.ok, report.problems + report.conflicts
    assert len(report.created) == 10
    assert len(report.collapsed) == 3  # DL0001-DL0003 are on both pages
    bank = load_bank(tmp_path / "bank")
    assert bank.problems == []
    assert list(bank.questions) == SEED_IDS
    assert bank.topics() == {"deep learning": 4, "machine learning": 6}
    assert (tmp_path / "bank" / "machine-learning" / "ML0031.md").is_file()
    # page 000 says "Category: Medium"; that wins over the default for page 001's copies
    assert bank.questions["DL0001"].difficulty == "medium"
    assert bank.questions["DL0001"].source.startswith("000_")


def test_answers_are_verbatim(tmp_path: Path) -> None:
    import_files(PAGES, tmp_path / "bank")
    bank = load_bank(tmp_path / "bank")
    sigmoid = bank.questions["ML0030"].answer
    assert r"\mbox{Sigmoid}(x) = \frac{1}{1 + e^{-x}}" in sigmoid
    assert "Advantages:\n(1) Smooth, Bounded Gradient:" in sigmoid
    assert "(The below image shows an example for training loss comparison" in (
        bank.questions["DL0002"].answer
    )
    kernels = bank.questions["DL0004"].answer
    assert r"( 18 \cdot C_{in} \cdot C_{out} total parameters)" in kernels
    for question in bank.questions.values():
        assert "Login to view more content" not in question.answer
        assert "\u00a0" not in question.answer
        assert not question.answer.startswith(" ")
    assert bank.questions["DL0003"].title == "1×1 Convolution"
    assert bank.questions["DL0003"].question.startswith("What are the benefits of using 1×1")


def test_importing_twice_changes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "bank"
    import_files(PAGES, root)
    before = {p: p.read_bytes() for p in root.rglob("*.md")}
    again = import_files(PAGES, root)
    assert again.created == [] and again.updated == []
    assert len(again.unchanged) == 10
    # the page without a category does not reset the difficulty page 000 gave
    alone = import_files([PAGES[1]], root)
    assert alone.updated == [] and len(alone.unchanged) == 10
    assert {p: p.read_bytes() for p in root.rglob("*.md")} == before


def test_a_hand_edit_survives_reimport_and_answer_changes_need_replace(tmp_path: Path) -> None:
    root = tmp_path / "bank"
    import_files(PAGES, root)
    path = root / "machine-learning" / "ML0028.md"
    path.write_text(path.read_text().replace('difficulty = "easy"', 'difficulty = "hard"'))
    path.write_text(
        path.read_text().replace("Softmax is an activation", "SOFTMAX is an activation")
    )
    edited = path.read_bytes()
    report = import_files(PAGES, root)
    assert report.updated == [] and not report.ok
    assert [p.path.name for p in report.conflicts] == [PAGES[1].name]
    assert "ML0028: the answer text differs" in report.conflicts[0].message
    assert path.read_bytes() == edited  # the bank's text is not lost
    report = import_files(PAGES, root, replace=True)
    assert report.updated == [path] and report.ok
    question = load_bank(root).questions["ML0028"]
    assert question.difficulty == "hard"
    assert question.answer.startswith("Softmax is an activation")


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    report = import_files(PAGES, tmp_path / "bank", dry_run=True)
    assert len(report.created) == 10
    assert not (tmp_path / "bank").exists()
