"""Rubric files: build, reload, keep hand edits on rebuild, detect drift, report bad files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mockinterview.bank import load_bank
from mockinterview.bank.rubric_build import build_rubrics
from mockinterview.rubrics.derive import derive_rubric
from mockinterview.rubrics.files import read_rubric

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def bank_copy(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "bank", tmp_path / "bank")
    return tmp_path / "bank"


def test_built_files_read_back_as_the_derived_rubric(bank_copy: Path) -> None:
    bank = load_bank(bank_copy)
    lines = build_rubrics(bank, list(bank.questions))
    created = [line for line in lines if line.startswith("created ")]
    assert len(created) == len(bank.questions)
    reloaded = load_bank(bank_copy)
    assert reloaded.problems == []
    for qid, question in reloaded.questions.items():
        fresh = derive_rubric(question)
        stored = reloaded.rubrics[qid]
        assert [(p.id, p.title, p.text, p.section, p.keywords) for p in stored.points] == [
            (p.id, p.title, p.text, p.section, p.keywords) for p in fresh.points
        ]
    assert build_rubrics(reloaded, ["DL0003"]) == ["unchanged DL0003.toml"]


def test_rebuild_keeps_hand_edits_and_force_discards_them(bank_copy: Path) -> None:
    bank = load_bank(bank_copy)
    build_rubrics(bank, ["ML0030"])
    path = bank.rubrics_root / "ML0030.toml"
    text = path.read_text()
    text = text.replace('title = "Probability interpretation"', 'title = "Outputs are probs"')
    text = text.replace("weight = 1.0", "weight = 3.0  # the core idea", 1)
    text = text.replace("question_id", "# my note\nquestion_id")
    path.write_text(text)
    answer_file = bank.questions["ML0030"].path
    answer_file.write_text(answer_file.read_text() + "\n(3) Cheap: one exp per unit.\n")

    stale = load_bank(bank_copy)
    assert [p.message.split(":")[0] for p in stale.problems] == ["stale rubric"]
    (line,) = build_rubrics(stale, ["ML0030"])
    assert line.startswith("updated ML0030.toml: points added p5")
    assert "hand edits kept p1.weight, p2.title" in line
    after = load_bank(bank_copy)
    assert after.problems == []
    rubric = after.rubrics["ML0030"]
    assert rubric.points[0].weight == 3.0
    assert rubric.points[1].title == "Outputs are probs"
    assert rubric.points[4].title == "Cheap"
    assert "# my note" in path.read_text() and "# the core idea" in path.read_text()

    build_rubrics(after, ["ML0030"], force=True)
    forced = load_bank(bank_copy).rubrics["ML0030"]
    assert forced.points[0].weight == 1.0 and forced.points[1].title == "Probability interpretation"
    assert "# my note" not in path.read_text()


def test_bad_rubric_files_are_reported_with_lines(bank_copy: Path) -> None:
    bank = load_bank(bank_copy)
    build_rubrics(bank, ["DL0001", "DL0002"])
    root = bank.rubrics_root
    dl1 = root / "DL0001.toml"
    lines = dl1.read_text().splitlines()
    start = lines.index("keywords = [", lines.index('id = "p2"'))
    end = lines.index("]", start)
    dl1.write_text("\n".join([*lines[:start], "keywords = []", *lines[end + 1 :]]) + "\n")
    (root / "ZZ9999.toml").write_text(
        (root / "DL0002.toml").read_text().replace('"DL0002"', '"ZZ9999"')
    )
    (root / "BROKEN.toml").write_text("question_id = \n")
    problems = sorted(str(p) for p in load_bank(bank_copy).problems)
    assert problems == [
        f"{root / 'BROKEN.toml'}:1: bad TOML: Invalid value (at line 1, column 15)",
        f"{dl1}:{start + 1}: point p2: no keywords, so no answer can ever earn it",
        f"{root / 'ZZ9999.toml'}:1: rubric for unknown question 'ZZ9999'",
    ]


def test_read_rubric_field_checks(tmp_path: Path) -> None:
    path = tmp_path / "Q1.toml"
    path.write_text(
        'question_id = "Q1"\nanswer_hash = "x"\nrequired = 5\n\n'
        '[[points]]\nid = "p1"\ntitle = "T"\ntext = "x"\nweight = -1\nkeywords = [["a"]]\n\n'
        '[[points]]\nid = "p2"\ntitle = "T"\ntext = "x"\nkeywords = ["plain", ["b", "c"]]\n'
        "min_groups = 7\n\n"
        '[[points]]\nid = "p2"\ntitle = "T"\ntext = "x"\nkeywords = [["d"]]\n'
    )
    loaded = read_rubric(path)
    assert [(p.line, p.message) for p in loaded.problems] == [
        (9, "point p1: 'weight' must be a number above 0"),
        (17, "point p2: 'min_groups' must be between 1 and 2"),
        (20, "duplicate point id 'p2'"),
        (3, "'required' is 5 but the rubric has 1 points"),
    ]
    assert loaded.rubric is not None
    (point,) = loaded.rubric.points
    assert point.keywords == [["plain"], ["b", "c"]] and point.min_groups is None
    assert loaded.rubric.required == 1


def test_hand_written_rubric_is_not_overwritten(bank_copy: Path) -> None:
    bank = load_bank(bank_copy)
    bank.rubrics_root.mkdir()
    path = bank.rubrics_root / "ML0027.toml"
    path.write_text(
        'question_id = "ML0027"\nanswer_hash = "old"\nrequired = 1\n\n'
        "[[points]]  # written by a teacher\n"
        'id = "dying"\ntitle = "Addresses the dying ReLU problem"\ntext = "No dead units."\n'
        'keywords = [["dying relu", "dead neurons"], ["negative slope", "small gradient"]]\n'
    )
    (line,) = build_rubrics(bank, ["ML0027"])
    assert line.startswith("updated ML0027.toml: points added p2") and "hand edits kept" in line
    rubric = load_bank(bank_copy).rubrics["ML0027"]
    assert rubric.required == 1
    assert [p.id for p in rubric.points] == ["dying", "p2"]
    assert rubric.points[0].text == "No dead units."
    assert rubric.points[0].keywords[0] == ["dying relu", "dead neurons"]
    assert rubric.points[1].title == "Retains the benefits of ReLU for positive inputs"
    assert rubric.answer_hash == bank.questions["ML0027"].answer_hash
    assert "# written by a teacher" in path.read_text()
