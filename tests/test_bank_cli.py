"""`bank import|list|validate` and `rubrics build` through the real command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mockinterview import locations
from mockinterview.cli import main

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((REPO.parent / "shared" / "seeds").glob("*.txt"))
DONE_WHEN = {
    "DL0001": 2,
    "DL0002": 4,
    "DL0003": 4,
    "DL0004": 4,
    "ML0026": 5,
    "ML0027": 2,
    "ML0029": 4,
    "ML0030": 4,
    "ML0031": 7,
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_bank_list_json_has_the_seed_point_counts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--bank", str(REPO / "bank"), "bank", "list", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert all(set(r) == {"id", "title", "topic", "difficulty", "tags", "points"} for r in rows)
    counts = {r["id"]: r["points"] for r in rows}
    assert {k: counts[k] for k in DONE_WHEN} == DONE_WHEN
    assert counts["ML0028"] >= 3


def test_the_bundled_bank_has_120_questions_in_8_topics_with_2_points_each(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "--bank", str(REPO / "bank"), "bank", "list", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) >= 120
    assert len({r["topic"] for r in rows}) >= 8
    assert min(r["points"] for r in rows) >= 2


def test_bank_list_table_is_whole_when_piped_and_fits_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from mockinterview.bank import load_bank

    tags = {", ".join(q.tags) for q in load_bank(REPO / "bank").questions.values()}
    code, out, _ = run(capsys, "bank", "list", "--bank", str(REPO / "bank"))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "TITLE", "TOPIC", "DIFF", "PTS", "TAGS"]
    assert "…" not in out and all(any(line.endswith(t) for line in lines) for t in tags)
    assert any(line.startswith("ML0031 Linear Regression") for line in lines)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", "80")
    code, narrow, _ = run(capsys, "bank", "list", "--bank", str(REPO / "bank"))
    assert code == 0 and max(len(line) for line in narrow.splitlines()[:-1]) <= 80
    assert "…" in narrow
    monkeypatch.setenv("COLUMNS", "200")
    assert run(capsys, "bank", "list", "--bank", str(REPO / "bank"))[1] == out


@pytest.mark.skipif(len(SEEDS) < 2, reason="seed pages not available")
def test_import_build_validate_round_trip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bank = str(tmp_path / "bank")
    code, out, _ = run(capsys, "--bank", bank, "bank", "import", *map(str, SEEDS))
    assert code == 0 and out.splitlines()[-1].startswith("10 created, 0 updated, 0 unchanged")
    code, out, _ = run(capsys, "--bank", bank, "bank", "import", *map(str, SEEDS))
    assert out.splitlines() == [
        f"0 created, 0 updated, 10 unchanged, 3 duplicate(s) collapsed, 0 conflict(s), "
        f"0 problem(s) in {bank}"
    ]
    code, out, _ = run(capsys, "--bank", bank, "rubrics", "build")
    assert code == 0 and len(out.splitlines()) == 11  # a line per file, then the summary
    assert out.splitlines()[-1].endswith(f" in {tmp_path / 'rubrics'}")
    code, out, _ = run(capsys, "--bank", bank, "bank", "validate")
    assert code == 0 and out.startswith("OK: 10 question(s), 10 rubric file(s)")


def test_validate_reports_every_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(REPO / "bank", tmp_path / "bank")
    shutil.copytree(REPO / "rubrics", tmp_path / "rubrics")
    answer = tmp_path / "bank" / "deep-learning" / "DL0001.md"
    answer.write_text(answer.read_text() + "\nOne more sentence.\n")
    header = tmp_path / "bank" / "deep-learning" / "DL0002.md"
    header.write_text(header.read_text().replace('difficulty = "medium"', "difficulty = 3"))
    code, out, _ = run(capsys, "--bank", str(tmp_path / "bank"), "bank", "validate")
    assert code == 1
    lines = out.splitlines()
    assert lines == [
        f"{header}:5: bad header: 'difficulty' is 3, expected one of easy, medium, hard",
        f"{tmp_path / 'rubrics' / 'DL0001.toml'}:5: stale rubric: the answer of DL0001 changed "
        "since it was built (run `mockinterview rubrics build DL0001`)",
        f"{tmp_path / 'rubrics' / 'DL0002.toml'}:1: rubric for 'DL0002', "
        "whose bank file has problems (see above)",
    ]
    # a PATH narrows the report to that file or folder, and its questions' rubrics
    code, out, _ = run(capsys, "bank", "validate", str(header))
    assert code == 1 and out.splitlines() == [lines[0], lines[2]]
    code, out, _ = run(capsys, "bank", "validate", str(tmp_path / "bank" / "machine-learning"))
    assert code == 0 and out.startswith("OK:")


def test_import_problems_exit_1_and_refuse_installed_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = REPO / "tests" / "fixtures" / "seeds_malformed" / "truncated.txt"
    code, out, _ = run(capsys, "--bank", str(tmp_path / "b"), "bank", "import", str(bad))
    assert code == 1
    assert f"{bad}:" in out and "truncated" in out
    code, _, err = run(capsys, "--bank", str(tmp_path / "b"), "bank", "import", "nope.txt")
    assert code == 1 and "nope.txt: no such file" in err
    monkeypatch.setattr(locations, "is_installed_copy", lambda path: True)
    code, _, err = run(capsys, "--bank", str(tmp_path / "b"), "bank", "import", str(bad))
    assert code == 1 and "read-only" in err


def test_rubrics_build_unknown_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(REPO / "bank", tmp_path / "bank")
    code, _, err = run(capsys, "--bank", str(tmp_path / "bank"), "rubrics", "build", "XX1")
    assert code == 1 and "no such question(s)" in err and "XX1" in err
    code, out, _ = run(capsys, "--bank", str(tmp_path / "bank"), "rubrics", "build", "ML0028")
    assert code == 0 and out.startswith("created ML0028.toml")
    assert (tmp_path / "rubrics" / "ML0028.toml").is_file()


def test_rubrics_build_refuses_to_overwrite_an_unparsable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(REPO / "bank", tmp_path / "bank")
    (tmp_path / "rubrics").mkdir()
    broken = tmp_path / "rubrics" / "ML0027.toml"
    broken.write_text("question_id = [\n")
    code, out, _ = run(capsys, "--bank", str(tmp_path / "bank"), "rubrics", "build", "ML0027")
    assert code == 1 and out.startswith("skipped ML0027.toml: cannot parse the existing file")
    assert broken.read_text() == "question_id = [\n"
    code, out, _ = run(
        capsys, "--bank", str(tmp_path / "bank"), "rubrics", "build", "--force", "ML0027"
    )
    assert code == 0 and out.startswith("rebuilt ML0027.toml")


def test_import_of_a_changed_answer_is_a_conflict_unless_replace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bank = tmp_path / "bank"
    shutil.copytree(REPO / "bank", bank)
    target = bank / "deep-learning" / "DL0001.md"
    original = target.read_bytes()
    source = tmp_path / "new.csv"
    source.write_text(
        "id,question,answer,difficulty\nDL0001,A new question?,A new answer.,hard\n",
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "--bank", str(bank), "bank", "import", str(source))
    assert code == 1
    assert f"{source}:2: DL0001: the question and answer texts differ" in out
    assert "--replace" in out and "1 conflict(s)" in out.splitlines()[-1]
    assert target.read_bytes() == original
    code, out, _ = run(capsys, "--bank", str(bank), "bank", "import", "--replace", str(source))
    assert code == 0 and f"updated: {target}" in out
    text = target.read_text(encoding="utf-8")
    assert "A new answer." in text and 'difficulty = "hard"' in text


def test_import_takes_a_header_change_without_replace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from mockinterview.bank import load_bank

    bank = tmp_path / "bank"
    shutil.copytree(REPO / "bank", bank)
    question = load_bank(bank).questions["DL0001"]
    source = tmp_path / "same.jsonl"
    row = {"id": "DL0001", "question": question.question, "answer": question.answer}
    source.write_text(json.dumps({**row, "difficulty": "hard"}) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "--bank", str(bank), "bank", "import", str(source))
    assert code == 0, out
    assert load_bank(bank).questions["DL0001"].difficulty == "hard"
    assert load_bank(bank).questions["DL0001"].title == question.title  # not stated: kept


def test_validate_path_checks_the_rubrics_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(REPO / "bank", tmp_path / "b2" / "bank")
    shutil.copytree(REPO / "rubrics", tmp_path / "b2" / "rubrics")
    rubrics = tmp_path / "b2" / "rubrics"
    ml = tmp_path / "b2" / "bank" / "machine-learning" / "ML0029.md"
    ml.write_text(ml.read_text() + "\nOne more sentence.\n")
    shutil.copy(rubrics / "ML0030.toml", rubrics / "XX0001.toml")
    unknown = rubrics / "XX0001.toml"
    unknown.write_text(unknown.read_text().replace('"ML0030"', '"XX0001"', 1))
    monkeypatch.chdir(tmp_path)
    code, whole, _ = run(capsys, "--bank", "b2/bank", "bank", "validate")
    assert code == 1
    assert "stale rubric: the answer of ML0029" in whole
    assert "rubric for unknown question 'XX0001'" in whole
    code, out, _ = run(capsys, "bank", "validate", "b2/bank")
    assert code == 1 and out == whole
    code, out, _ = run(capsys, "bank", "validate", "b2/bank/machine-learning/ML0029.md")
    assert code == 1
    expected = [line for line in whole.splitlines() if "ML0029" in line]
    assert [line.replace(f"{tmp_path}/", "") for line in out.splitlines()] == expected
    code, out, _ = run(capsys, "bank", "validate", "b2/bank/machine-learning/ML0030.md")
    assert code == 0 and out.startswith("OK: 1 question(s), 1 rubric file(s) for")
    code, out, _ = run(capsys, "bank", "validate", "b2/rubrics/XX0001.toml")
    assert code == 1 and "unknown question 'XX0001'" in out and "ML0029" not in out
