"""What `grade` writes is safe where it lands: answers holding escape sequences never reach the
terminal raw (text view, JSON, JSONL), and a batch CSV opens in a spreadsheet without running
a formula."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from mockinterview.cli import main

REPO = Path(__file__).resolve().parents[1]
BANK = str(REPO / "bank")
# Clear the screen, retitle the window, a disguised OSC-8 link, a C1 CSI, a bidi override.
HOSTILE = (
    "Gradients \x1b[2J vanish less with a skip "
    "\x1b]8;;https://evil.example\x1b\\shortcut\x1b]8;;\x1b\\. The identity\x1b]0;pwned\x07 "
    "mapping and \x9b31m residual\u202e paths keep deep networks trainable."
)


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--bank", BANK, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_hostile_answer_graded_to_text_shows_no_escape_byte(tmp_path: Path, capsys) -> None:
    answer = tmp_path / "a.txt"
    answer.write_text(HOSTILE, "utf-8")
    code, out, _ = _run(["grade", "--question", "DL0001", "--answer-file", str(answer)], capsys)
    assert code == 0 and "/100" in out
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert "\u202e" not in out
    assert "“Gradients ␛[2J vanish”" in out  # shown visibly in the evidence quoted


def test_every_untrusted_part_of_the_text_view_is_shown_visibly(capsys) -> None:
    from mockinterview.cli.grade_view import print_grade
    from mockinterview.models import Evidence, Grade, PointResult, Question

    point = PointResult(
        "p1",
        "Title\x1b[31m",
        1.0,
        "partial",
        0.5,
        [Evidence("quote\x1b]0;t\x07", 0, 10)],
        "missing\x1b[2J; negated",
    )
    grade = Grade(
        question_id="Q\x1b[1m",
        grader="offline",
        score=50.0,
        points=[point],
        feedback="feedback\x1b]8;;http://x\x1b\\",
        warnings=["warning\x9b2J"],
    )
    question = Question(id="Q\x1b[1m", title="title\x1b]2;x\x07", question="q?", answer="ref")
    print_grade(question, grade, answer="quote\x1b]0;t\x07 rest", required=None)
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    for seen in ("Title␛[31m", "quote␛]0;t␇", "missing␛[2J", "feedback␛]8;;", "<U+009B>2J"):
        assert seen in out


def test_json_output_escapes_every_control_character_and_keeps_the_text(
    tmp_path: Path, capsys
) -> None:
    answer = tmp_path / "a.txt"
    answer.write_text(HOSTILE, "utf-8")
    argv = ["grade", "--question", "DL0001", "--answer-file", str(answer), "--format", "json"]
    code, out, _ = _run(argv, capsys)
    assert code == 0
    assert "\x1b" not in out and "\x9b" not in out and "\u202e" not in out
    assert "\\u001b" in out
    quotes = [e["text"] for p in json.loads(out)["points"] for e in p["evidence"]]
    assert "Gradients \x1b[2J vanish" in quotes  # the same text, once decoded


def test_formula_answers_and_headers_are_neutralised_in_batch_csv(tmp_path: Path, capsys) -> None:
    source = tmp_path / "in.jsonl"
    rows = [
        {"question_id": "DL0001", "answer": '=HYPERLINK("http://evil.example","x")', "=cmd": "+1"},
        {"question_id": "DL0001", "answer": "@SUM(A1:A9)", "=cmd": "-2+3"},
        {"question_id": "DL0001", "answer": "\x1b[2Jplain words", "=cmd": "ok"},
    ]
    source.write_text("\n".join(json.dumps(r) for r in rows), "utf-8")
    out = tmp_path / "out.csv"
    code, _, _ = _run(["grade", "--batch", str(source), "--out", str(out)], capsys)
    assert code == 0
    raw = out.read_text("utf-8")
    assert "\x1b" not in raw
    table = list(csv.reader(io.StringIO(raw)))
    assert table[0][:3] == ["question_id", "answer", "'=cmd"]
    assert table[1][1].startswith("'=HYPERLINK(") and table[1][2] == "'+1"
    assert table[2][1] == "'@SUM(A1:A9)" and table[2][2] == "'-2+3"
    assert table[3][1] == "␛[2Jplain words"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in table for cell in row)


def test_batch_jsonl_output_escapes_control_characters(tmp_path: Path, capsys) -> None:
    source = tmp_path / "in.csv"
    source.write_text(f'question_id,answer\nDL0001,"{HOSTILE}"\n', "utf-8")
    code, out, _ = _run(["grade", "--batch", str(source), "--format", "json"], capsys)
    assert code == 0
    assert "\x1b" not in out and "\x9b" not in out and "\u202e" not in out
    assert json.loads(out)["answer"] == HOSTILE  # the same value, only escaped


def test_windows_line_ends_in_a_cell_stay_line_ends(tmp_path: Path, capsys) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(b'question_id,answer\r\nDL0001,"first line\r\nsecond line"\r\n')
    code, out, _ = _run(["grade", "--batch", str(source)], capsys)
    assert code == 0
    (row,) = csv.DictReader(io.StringIO(out))
    assert row["answer"] == "first line\nsecond line"
