"""`mockinterview grade`: one answer as text or JSON, and CSV/JSONL batches with bad rows."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from mockinterview import locations
from mockinterview.cli import main
from mockinterview.store import Store

REPO = Path(__file__).resolve().parents[1]
BANK = str(REPO / "bank")
STRONG = (REPO / "tests" / "answers" / "DL0001.toml").read_text(encoding="utf-8")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--bank", BANK, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_output_has_the_contract_shape(tmp_path: Path, capsys) -> None:
    answer = tmp_path / "a.txt"
    answer.write_text("Skip connections give a shortcut so gradients do not vanish.", "utf-8")
    code, out, _ = run(
        ["grade", "--question", "DL0001", "--answer-file", str(answer), "--format", "json"], capsys
    )
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"question_id", "grader", "score", "points", "feedback", "warnings"}
    assert data["question_id"] == "DL0001" and data["grader"] == "offline"
    assert 0 < data["score"] < 100
    point = data["points"][0]
    assert set(point) >= {"id", "title", "weight", "verdict", "credit", "evidence"}
    text = answer.read_text("utf-8")
    for ev in point["evidence"]:
        assert text[ev["start"] : ev["end"]] == ev["text"]


def test_text_output_quotes_evidence(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(
        "sys.stdin", io.TextIOWrapper(io.BytesIO(b"Gradients vanish less with a skip shortcut."))
    )
    code, out, _ = run(["grade", "--question", "DL0001"], capsys)
    assert code == 0
    assert "/100" in out and "DL0001" in out
    assert "“Gradients vanish”" in out  # the evidence, quoted from the answer


def test_unknown_question_and_missing_file_are_bad_input(tmp_path: Path, capsys) -> None:
    code, _, err = run(["grade", "--question", "NOPE", "--answer-file", "-"], capsys)
    assert code == 1 and "NOPE" in err
    code, _, err = run(
        ["grade", "--question", "DL0001", "--answer-file", str(tmp_path / "x")], capsys
    )
    assert code == 1 and "x" in err


def test_answer_file_with_broken_encoding_is_bad_input(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"caf\xe9 \xff")
    code, _, err = run(["grade", "--question", "DL0001", "--answer-file", str(bad)], capsys)
    assert code == 1 and "UTF-8" in err


def test_save_records_the_attempt(tmp_path: Path, capsys) -> None:
    answer = tmp_path / "a.txt"
    answer.write_text("A shortcut keeps the gradient from vanishing.", "utf-8")
    assert run(["grade", "--question", "DL0001", "--answer-file", str(answer)], capsys)[0] == 0
    assert (
        run(["grade", "--question", "DL0001", "--answer-file", str(answer), "--save"], capsys)[0]
        == 0
    )
    store = Store.open(locations.database_path(locations.data_dir(None)))
    attempts = store.attempts()
    assert len(attempts) == 1 and attempts[0].question_id == "DL0001"


def _write_batch(path: Path) -> None:
    path.write_bytes(
        b"question_id,answer,student\n"
        b'DL0001,"Skip connections give gradients a shortcut, so they do not vanish.",ann\n'
        b"NOPE,whatever,bob\n"
        b"DL0002,,cid\n"
        b"DL0003,caf\xe9 broken bytes,dan\n"
        b'DL0003,"A 1x1 conv reduces the number of channels, so deeper nets stay cheap.",eve\n'
    )


def test_batch_csv_keeps_order_and_columns_and_reports_bad_rows(tmp_path: Path, capsys) -> None:
    source = tmp_path / "in.csv"
    _write_batch(source)
    code, out, err = run(["grade", "--batch", str(source)], capsys)
    assert code == 1  # rows were skipped: bad input, though the good rows are all written
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["student"] for r in rows] == ["ann", "cid", "eve"]
    assert float(rows[0]["score"]) > 0 and float(rows[2]["score"]) > 0
    assert float(rows[1]["score"]) == 0  # an empty answer is graded, not skipped
    assert rows[2]["verdicts"].startswith("p1=")
    assert f"{source}:3: unknown question 'NOPE'" in err
    assert f"{source}:5: not valid UTF-8" in err
    assert "graded 3 rows, skipped 2" in err


def test_batch_jsonl_to_csv_out_file(tmp_path: Path, capsys) -> None:
    source = tmp_path / "in.jsonl"
    lines = [
        json.dumps(
            {"question_id": "ML0028", "answer": "It turns logits into probabilities.", "n": 1}
        ),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"question_id": "ML0028", "answer": "I do not know.", "n": 2}),
    ]
    source.write_text("\n".join(lines) + "\n", "utf-8")
    out = tmp_path / "out.csv"
    code, stdout, err = run(["grade", "--batch", str(source), "--out", str(out)], capsys)
    assert code == 1 and stdout == ""
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["n"] for r in rows] == ["1", "2"]
    assert float(rows[0]["score"]) > float(rows[1]["score"])
    assert ":2: not valid JSON" in err and ":3: expected a JSON object" in err


def test_batch_derives_rubrics_for_rows_with_a_reference(tmp_path: Path, capsys) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "question_id,question,reference_answer,answer,score\n"
        'X1,What is a stack?,"A last-in first-out data structure.","Last in, first out.",5\n'
        'X1,What is a stack?,"A last-in first-out data structure.",A kind of tree.,0\n',
        "utf-8",
    )
    code, out, _ = run(["grade", "--batch", str(source)], capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert rows[0]["score"] == "5" and "graded_score" in rows[0]  # input column kept
    assert float(rows[0]["graded_score"]) > float(rows[1]["graded_score"])


def test_batch_without_answer_column_or_any_good_row_fails(tmp_path: Path, capsys) -> None:
    source = tmp_path / "in.csv"
    source.write_text("question_id,text\nDL0001,hello\n", "utf-8")
    code, _, err = run(["grade", "--batch", str(source)], capsys)
    assert code == 1 and "no 'answer' column" in err
    source.write_text("question_id,answer\nNOPE,hello\n", "utf-8")
    code, _, err = run(["grade", "--batch", str(source)], capsys)
    assert code == 1 and "no row could be graded" in err
    code, _, err = run(["grade", "--batch", str(tmp_path / "in.txt")], capsys)
    assert code == 1 and "unknown format" in err


class _SlowParallelGrader:
    """Finishes rows out of order, as an LLM grader with several requests in flight would."""

    name = "fake"
    concurrency = 4

    def grade(self, question, rubric, answer):
        import random
        import time

        from mockinterview.models import Grade

        time.sleep(random.uniform(0, 0.01))
        return Grade(question_id=question.id, grader=self.name, score=len(answer), points=[])


def test_batch_keeps_input_order_with_a_concurrent_grader(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.setattr(
        "mockinterview.grading.factory.make_grader", lambda *a, **k: _SlowParallelGrader()
    )
    source = tmp_path / "in.jsonl"
    rows = [{"question_id": "DL0001", "answer": "x" * n} for n in range(1, 41)]
    source.write_text("\n".join(json.dumps(r) for r in rows), "utf-8")
    code, out, _ = run(["grade", "--batch", str(source)], capsys)
    assert code == 0
    scores = [json.loads(line)["score"] for line in out.splitlines()]
    assert scores == list(range(1, 41))


def test_batch_exits_0_only_when_no_row_was_skipped(tmp_path: Path, capsys) -> None:
    source = tmp_path / "in.csv"
    source.write_text("question_id,answer\nDL0001,A shortcut for the gradient.\n", "utf-8")
    code, out, err = run(["grade", "--batch", str(source)], capsys)
    assert code == 0 and "graded 1 rows, skipped 0" in err
    source.write_text("question_id,answer\nDL0001,A shortcut for the gradient.\nNOPE,x\n", "utf-8")
    code, out, err = run(["grade", "--batch", str(source)], capsys)
    assert code == 1 and "skipped 1" in err
    assert len(list(csv.DictReader(io.StringIO(out)))) == 1


def test_batch_format_json_writes_jsonl_and_keeps_nested_values(tmp_path: Path, capsys) -> None:
    source = tmp_path / "in.csv"
    source.write_text("question_id,answer,who\nDL0001,A shortcut for the gradient.,ann\n", "utf-8")
    code, out, _ = run(["grade", "--batch", str(source), "--format", "json"], capsys)
    assert code == 0
    assert json.loads(out.splitlines()[0])["who"] == "ann"
    plain = tmp_path / "graded"  # no extension: --format decides
    code, _, _ = run(
        ["grade", "--batch", str(source), "--format", "json", "--out", str(plain)], capsys
    )
    assert code == 0 and json.loads(plain.read_text("utf-8").splitlines()[0])["who"] == "ann"
    nested = tmp_path / "in.jsonl"
    row = {"question_id": "DL0001", "answer": "A shortcut.", "meta": {"k": [1, 2]}, "n": 3}
    nested.write_text(json.dumps(row) + "\n", "utf-8")
    code, out, _ = run(["grade", "--batch", str(nested)], capsys)
    data = json.loads(out)
    assert code == 0 and data["meta"] == {"k": [1, 2]} and data["n"] == 3


def _broken_rubric_bank(tmp_path: Path) -> Path:
    import shutil

    shutil.copytree(REPO / "bank", tmp_path / "bank")
    shutil.copytree(REPO / "rubrics", tmp_path / "rubrics")
    return tmp_path / "bank"


def test_a_broken_or_stale_rubric_is_named_in_the_warnings(tmp_path: Path, capsys) -> None:
    bank = _broken_rubric_bank(tmp_path)
    rubric = tmp_path / "rubrics" / "ML0028.toml"
    rubric.write_text(rubric.read_text("utf-8") + "\n[[[not toml\n", "utf-8")
    answer = tmp_path / "a.txt"
    answer.write_text("Softmax turns logits into probabilities.", "utf-8")
    argv = ["--bank", str(bank), "grade", "--question", "ML0028", "--answer-file", str(answer)]
    code = main([*argv, "--format", "json"])
    warnings = json.loads(capsys.readouterr().out)["warnings"]
    assert code == 0
    assert len(warnings) == 1 and warnings[0].startswith(f"{rubric}:")
    assert "bad TOML" in warnings[0]
    assert warnings[0].endswith("graded with a rubric derived from the reference answer")
    stale = bank / "deep-learning" / "DL0001.md"
    stale.write_text(stale.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    argv[4] = "DL0001"
    assert main([*argv, "--format", "json"]) == 0
    warnings = json.loads(capsys.readouterr().out)["warnings"]
    assert any("DL0001.toml" in w and "stale rubric" in w for w in warnings)
    assert main(argv) == 0
    assert "stale rubric" in capsys.readouterr().out
    (tmp_path / "rubrics" / "DL0002.toml").unlink()
    argv[4] = "DL0002"
    assert main([*argv, "--format", "json"]) == 0
    warnings = json.loads(capsys.readouterr().out)["warnings"]
    assert any("no rubric file" in w for w in warnings)


def test_batch_says_once_that_a_rubric_is_broken(tmp_path: Path, capsys) -> None:
    bank = _broken_rubric_bank(tmp_path)
    rubric = tmp_path / "rubrics" / "ML0028.toml"
    rubric.write_text("[[[not toml\n", "utf-8")
    source = tmp_path / "in.csv"
    source.write_text("question_id,answer\nML0028,Probabilities.\nML0028,Logits.\n", "utf-8")
    code = main(["--bank", str(bank), "grade", "--batch", str(source)])
    err = capsys.readouterr().err
    assert code == 0 and err.count(f"warning: {rubric}:1: bad TOML") == 1


def test_save_with_an_unusable_store_is_an_error(tmp_path: Path, capsys, monkeypatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("MOCKINTERVIEW_HOME", str(home))
    locations.database_path(locations.data_dir(None)).write_bytes(b"not a database" * 100)
    answer = tmp_path / "a.txt"
    answer.write_text("A shortcut keeps the gradient from vanishing.", "utf-8")
    argv = ["grade", "--question", "DL0001", "--answer-file", str(answer)]
    code, out, err = run([*argv, "--save"], capsys)
    assert code == 1 and "/100" in out  # the grade is printed, but nothing was saved
    assert "not saved" in err and ".;" not in err
    code, out, err = run(argv, capsys)
    assert code == 0 and "grading without the store" in err and ".;" not in err


def test_text_output_shows_each_quote_once(capsys) -> None:
    from mockinterview.cli.grade_view import print_grade
    from mockinterview.models import Evidence, Grade, PointResult, Question

    answer = "It assumes linearity and assumes independence."
    spans = [Evidence("assumes", 3, 10), Evidence("assumes", 26, 33), Evidence("linearity", 11, 20)]
    point = PointResult("p1", "Assumptions", 1.0, "hit", 1.0, spans, "matched assumes")
    grade = Grade(question_id="ML0031", grader="offline", score=100.0, points=[point])
    print_grade(Question(id="ML0031", title="t", question="q?", answer=answer), grade)
    out = capsys.readouterr().out
    assert out.count("“assumes”") == 1 and "“linearity”" in out


def test_batch_tells_a_missing_field_from_a_blank_one(tmp_path: Path, capsys) -> None:
    source = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"question_id": "DL0001"}),
        json.dumps({"question_id": " ", "answer": "text"}),
        json.dumps({"question_id": "DL0001", "answer": ""}),
    ]
    source.write_text("\n".join(lines) + "\n", "utf-8")
    code, out, err = run(["grade", "--batch", str(source)], capsys)
    assert code == 1
    assert f"{source}:1: missing 'answer'" in err
    assert f"{source}:2: empty 'question_id'" in err
    graded = [json.loads(line) for line in out.splitlines()]
    assert len(graded) == 1 and graded[0]["score"] == 0


def _saved_store(tmp_path: Path) -> Path:
    """A migrated attempts database in the test's data dir, and its path."""
    path = locations.database_path(locations.data_dir(None))
    Store.open(path).close()
    return path


def test_save_to_a_store_locked_by_another_process_prints_the_grade_then_fails(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    import sqlite3

    database = _saved_store(tmp_path)
    holder = sqlite3.connect(database)
    holder.execute("BEGIN EXCLUSIVE")  # another process mid-write, for longer than we wait
    real_connect = sqlite3.connect
    monkeypatch.setattr(
        sqlite3, "connect", lambda *a, **k: real_connect(*a, **{**k, "timeout": 0.05})
    )
    answer = tmp_path / "a.txt"
    answer.write_text("A shortcut keeps the gradient from vanishing.", "utf-8")
    try:
        code, out, err = run(
            ["grade", "--question", "DL0001", "--answer-file", str(answer), "--save"], capsys
        )
    finally:
        holder.rollback()
        holder.close()
    assert code == 1 and "/100" in out  # the grade first
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mockinterview: not saved: ")
    assert str(database) in lines[0] and "locked" in lines[0]
    assert "Traceback" not in err
    assert Store.open(database).attempts() == []


def test_save_to_a_full_disk_prints_the_grade_then_fails(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    import sqlite3

    database = _saved_store(tmp_path)

    class FullDisk(sqlite3.Connection):
        def execute(self, sql, *args):  # type: ignore[override]
            if sql.lstrip().upper().startswith("INSERT INTO ATTEMPTS"):
                raise sqlite3.OperationalError("database or disk is full")
            return super().execute(sql, *args)

    real_connect = sqlite3.connect
    monkeypatch.setattr(
        sqlite3, "connect", lambda *a, **k: real_connect(*a, **{**k, "factory": FullDisk})
    )
    answer = tmp_path / "a.txt"
    answer.write_text("A shortcut keeps the gradient from vanishing.", "utf-8")
    argv = ["grade", "--question", "DL0001", "--answer-file", str(answer), "--save"]
    code, out, err = run([*argv, "--format", "json"], capsys)
    assert code == 1 and json.loads(out)["question_id"] == "DL0001"
    assert err.count("\n") == 1 and "not saved" in err
    assert str(database) in err and "disk is full" in err
