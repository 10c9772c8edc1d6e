"""`rubrics build` never silently rewrites a curated rubric: hand-edited keywords, min_groups or
misconceptions (per the `derived` hashes), or `curated = true`, keep the file byte for byte
unless `--force`; the command says per file what it did."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockinterview.bank import load_bank
from mockinterview.bank.rubric_build import build_rubrics
from mockinterview.cli import main
from mockinterview.rubrics.files import read_rubric

QUESTION = """+++
id = "QA0001"
title = "Dropout"
topic = "deep learning"
difficulty = "easy"
+++

## Question

Why does dropout help a neural network generalise?

## Answer

(1) Prevents co-adaptation:
Randomly switching units off during training stops neurons from relying on particular
partners, so each unit has to learn features that are useful on their own.

(2) Works like an ensemble:
Every mini-batch trains a different thinned sub-network; at test time all units are kept and
their activations scaled, which approximates averaging the predictions of many sub-networks.
"""
MORE = "\n(3) Cheap to apply:\nIt adds no parameters and costs one random mask per layer.\n"


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    root = tmp_path / "bank"
    (root / "deep-learning").mkdir(parents=True)
    (root / "deep-learning" / "QA0001.md").write_text(QUESTION, encoding="utf-8")
    lines = build_rubrics(load_bank(root), ["QA0001"])
    assert lines == ["created QA0001.toml (2 points)"]
    return root


def rubric_file(bank: Path) -> Path:
    return bank.parent / "rubrics" / "QA0001.toml"


def grow_the_answer(bank: Path) -> None:
    path = bank / "deep-learning" / "QA0001.md"
    path.write_text(path.read_text(encoding="utf-8") + MORE, encoding="utf-8")


def add_alternative(text: str) -> str:
    return text.replace('keywords = [\n    ["', 'keywords = [\n    ["my own phrase", "', 1)


def add_min_groups(text: str) -> str:
    return text.replace(
        "misconceptions = []", "min_groups = 1  # one is enough\nmisconceptions = []", 1
    )


def add_misconception(text: str) -> str:
    return text.replace("misconceptions = []", 'misconceptions = ["dropout at test time"]', 1)


def flag_curated(text: str) -> str:
    return text.replace('question_id = "QA0001"', 'question_id = "QA0001"\ncurated = true', 1)


@pytest.mark.parametrize(
    ("edit", "why"),
    [
        (add_alternative, "edited keywords of p1"),
        (add_min_groups, "edited min_groups of p1"),
        (add_misconception, "edited misconceptions of p1"),
        (flag_curated, "curated = true"),
    ],
)
def test_a_curated_rubric_is_kept_byte_for_byte_until_force(bank, edit, why):
    path = rubric_file(bank)
    curated = edit(path.read_text(encoding="utf-8"))
    assert curated != path.read_text(encoding="utf-8")
    path.write_text(curated, encoding="utf-8")
    grow_the_answer(bank)
    stale = load_bank(bank)
    (line,) = build_rubrics(stale, ["QA0001"])
    answer_hash = stale.questions["QA0001"].answer_hash
    assert line == (
        f"kept QA0001.toml (curated; --force to rebuild): {why}; its reference answer changed "
        f'since it was built: review the points by hand, then set answer_hash = "{answer_hash}"'
    )
    assert path.read_text(encoding="utf-8") == curated
    (line,) = build_rubrics(load_bank(bank), ["QA0001"], force=True)
    assert line == "rebuilt QA0001.toml (--force: 3 derived points)"
    rebuilt = path.read_text(encoding="utf-8")
    assert "my own phrase" not in rebuilt and "curated = true" not in rebuilt
    assert "min_groups = 1" not in rebuilt and "dropout at test time" not in rebuilt


def test_a_curated_rubric_whose_answer_did_not_change_gets_no_stale_hint(bank):
    path = rubric_file(bank)
    path.write_text(add_misconception(path.read_text(encoding="utf-8")), encoding="utf-8")
    (line,) = build_rubrics(load_bank(bank), ["QA0001"])
    assert line == "kept QA0001.toml (curated; --force to rebuild): edited misconceptions of p1"


def test_title_weight_and_comment_edits_alone_are_merged_as_before(bank):
    path = rubric_file(bank)
    text = path.read_text(encoding="utf-8")
    text = text.replace('title = "Works like an ensemble"', 'title = "Ensemble view"')
    text = text.replace("weight = 1.0", "weight = 2.0  # the main idea", 1)
    path.write_text("# my note\n" + text, encoding="utf-8")
    grow_the_answer(bank)
    (line,) = build_rubrics(load_bank(bank), ["QA0001"])
    assert line == "updated QA0001.toml: points added p3; hand edits kept p1.weight, p2.title"
    after = path.read_text(encoding="utf-8")
    assert "# my note" in after and "weight = 2.0  # the main idea" in after
    rubric = load_bank(bank).rubrics["QA0001"]
    assert [p.id for p in rubric.points] == ["p1", "p2", "p3"]
    assert rubric.points[1].title == "Ensemble view"


def test_curated_must_be_true_or_false(bank):
    path = rubric_file(bank)
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'question_id = "QA0001"', 'question_id = "QA0001"\ncurated = "yes"'
        ),
        encoding="utf-8",
    )
    problems = read_rubric(path).problems
    assert [(p.line, p.message) for p in problems] == [(5, "'curated' must be true or false")]
    flagged = path.read_text(encoding="utf-8").replace('curated = "yes"', "curated = false")
    path.write_text(flagged, encoding="utf-8")
    assert read_rubric(path).problems == []
    (line,) = build_rubrics(load_bank(bank), ["QA0001"])
    assert line == "unchanged QA0001.toml"  # false is the same as no flag


def test_the_command_says_what_it_did_per_file(bank, capsys):
    second = bank / "deep-learning" / "QA0002.md"
    second.write_text(
        QUESTION.replace("QA0001", "QA0002").replace("Dropout", "Dropout again"),
        encoding="utf-8",
    )
    path = rubric_file(bank)
    curated = add_alternative(path.read_text(encoding="utf-8"))
    path.write_text(curated, encoding="utf-8")
    assert main(["--bank", str(bank), "rubrics", "build"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "kept QA0001.toml (curated; --force to rebuild): edited keywords of p1",
        "created QA0002.toml (2 points)",
        f"1 created, 1 kept (curated) in {bank.parent / 'rubrics'}",
    ]
    assert path.read_text(encoding="utf-8") == curated
    assert main(["--bank", str(bank), "rubrics", "build", "--force", "QA0001"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "rebuilt QA0001.toml (--force: 2 derived points)"
    )
    assert "my own phrase" not in path.read_text(encoding="utf-8")


def test_an_enriched_rubric_counts_as_curated(bank):
    """`rubrics enrich` only appends alternatives: the keywords hash then differs."""
    import tomlkit

    path = rubric_file(bank)
    doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    doc["points"][1]["keywords"][0].append("averages thinned networks")
    path.write_text(tomlkit.dumps(doc), encoding="utf-8")
    (line,) = build_rubrics(load_bank(bank), ["QA0001"])
    assert line == "kept QA0001.toml (curated; --force to rebuild): edited keywords of p2"
