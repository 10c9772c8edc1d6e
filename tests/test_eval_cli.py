"""`mockinterview eval`: agreement figures from a small hand-made file, bad rows, and (when the
shared human-graded data sits beside the repo) the real figures and their speed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mockinterview.cli import main

REPO = Path(__file__).resolve().parents[1]
ASAG = REPO.parent / "shared" / "asag"
HEADER = "question_id,question,reference_answer,answer,score,max_score\n"
ROWS = [
    (
        "Q1",
        "What is a stack?",
        "A last-in first-out structure: push and pop at the top.",
        "Last in, first out: you push and pop at the top.",
        5,
    ),
    (
        "Q1",
        "What is a stack?",
        "A last-in first-out structure: push and pop at the top.",
        "You push items and pop them.",
        3,
    ),
    (
        "Q1",
        "What is a stack?",
        "A last-in first-out structure: push and pop at the top.",
        "A sorted tree of nodes.",
        0,
    ),
    (
        "Q2",
        "What does a hash table give?",
        "Constant average time lookup by hashing keys.",
        "Lookup in constant time on average, by hashing the key.",
        5,
    ),
    (
        "Q2",
        "What does a hash table give?",
        "Constant average time lookup by hashing keys.",
        "It hashes keys.",
        2,
    ),
    (
        "Q2",
        "What does a hash table give?",
        "Constant average time lookup by hashing keys.",
        "I am not sure.",
        0,
    ),
]


def _csv(path: Path, extra: str = "") -> Path:
    lines = [HEADER] + [f'{q},{qt},"{ref}","{a}",{s},5\n' for q, qt, ref, a, s in ROWS]
    path.write_text("".join(lines) + extra, encoding="utf-8")
    return path


def test_json_report_has_the_contract_keys(tmp_path: Path, capsys) -> None:
    code = main(
        [
            "--bank",
            str(tmp_path / "nobank"),
            "eval",
            str(_csv(tmp_path / "e.csv")),
            "--format",
            "json",
        ]
    )
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(data) >= {"n", "pearson", "spearman", "rmse", "qwk", "per_question"}
    assert data["n"] == 6
    assert data["pearson"] > 0.8  # better answers score higher in both questions
    assert {q["question_id"] for q in data["per_question"]} == {"Q1", "Q2"}
    assert all(q["n"] == 3 for q in data["per_question"])


def test_text_report_and_bad_rows(tmp_path: Path, capsys) -> None:
    extra = 'Q3,x,,"no reference",1,5\nQ1,x,ref,answer,seven,5\nQ1,x,ref,answer,9,5\n'
    path = _csv(tmp_path / "e.csv", extra)
    code = main(["eval", str(path)])
    out, err = capsys.readouterr()
    assert code == 1  # the figures are printed, but skipped rows are bad input
    assert "6 answers graded, 3 skipped" in out
    assert "Pearson r" in out and "Spearman rho" in out and "QWK" in out
    assert f"{path}:8: question 'Q3' is not in the bank" in err
    assert f"{path}:9: score and max_score must be numbers" in err
    assert f"{path}:10: score 9 outside 0..max_score" in err


def test_missing_columns_are_bad_input(tmp_path: Path, capsys) -> None:
    path = tmp_path / "e.csv"
    path.write_text("question_id,answer\nQ1,hi\n", encoding="utf-8")
    assert main(["eval", str(path)]) == 1
    assert "no 'score', 'max_score' column" in capsys.readouterr().err


@pytest.mark.skipif(not ASAG.is_dir(), reason="shared human-graded data not present")
@pytest.mark.parametrize(("name", "floor"), [("mohler-dev.csv", 0.5), ("saf-dev.csv", 0.2)])
def test_agreement_on_human_graded_data(name: str, floor: float, capsys) -> None:
    assert main(["eval", str(ASAG / name), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["pearson"] > floor  # a regression guard, below the measured figures
    # (speed is measured by bench/bench_grading.py, not asserted on a shared machine)
