"""CSV and JSONL imports: required columns, optional metadata, row-level problems."""

from __future__ import annotations

import json
from pathlib import Path

from mockinterview.bank import load_bank
from mockinterview.bank.importers.tabular import read_csv, read_jsonl
from mockinterview.bank.importing import import_files


def test_csv_with_optional_columns_and_multiline_answer(tmp_path: Path) -> None:
    path = tmp_path / "qs.csv"
    path.write_bytes(
        "\ufeffid,question,answer,title,topic,tags,difficulty\r\n"
        'SD0001,"Why shard a database?","(1) Scale: spread writes.\r\n'
        '(2) Isolation: limit blast radius.",Sharding,System Design,"databases; scaling",hard\r\n'
        "ST0002,What is a p-value?,The probability of data at least this extreme.,,,,\r\n".encode()
    )
    result = read_csv(path)
    assert result.problems == []
    first, second = result.questions
    assert (first.id, first.title, first.topic, first.difficulty) == (
        "SD0001",
        "Sharding",
        "system design",
        "hard",
    )
    assert first.tags == ["databases", "scaling"]
    assert first.answer == "(1) Scale: spread writes.\n(2) Isolation: limit blast radius."
    assert second.line == 4  # the first row spans lines 2-3
    assert second.title == "What is a p-value"
    assert second.explicit == set()

    report = import_files([path], tmp_path / "bank")
    assert report.ok
    bank = load_bank(tmp_path / "bank")
    assert bank.questions["SD0001"].path == tmp_path / "bank" / "system-design" / "SD0001.md"
    assert bank.questions["ST0002"].topic == "statistics"  # guessed from the id prefix
    assert bank.questions["ST0002"].difficulty == "easy"  # a "what is" definition


def test_csv_missing_column_and_bad_rows(tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    missing.write_text("id,question\nA1,Why?\n")
    (problem,) = read_csv(missing).problems
    assert str(problem) == f"{missing}:1: missing column(s) answer; found ['id', 'question']"

    rows = tmp_path / "rows.csv"
    rows.write_text(
        "id,question,answer,difficulty\n"
        "A1,Why?,,\n"
        "bad id!,Why?,Because.,\n"
        "A3,Why?,Because.,impossible\n"
        "A4,Why?,Because.,easy\n"
    )
    result = read_csv(rows)
    assert [q.id for q in result.questions] == ["A4"]
    assert [(p.line, p.message.split(":")[0]) for p in result.problems] == [
        (2, "empty or missing field(s)"),
        (3, "id 'bad id!' is not usable as a file name (letters, digits, '_', '-', '.')"),
        (4, "difficulty 'impossible' is not one of easy, medium, hard; row skipped"),
    ]


def test_csv_unclosed_quote_is_named_with_the_line_it_starts_on(tmp_path: Path) -> None:
    source = tmp_path / "open.csv"
    source.write_text(
        "id,question,answer\n"
        "A1,Why?,Because.\n"
        'A2,"What is a stack?,A LIFO structure.\n'
        "A3,What is a queue?,A FIFO structure.\n"
    )
    result = read_csv(source)
    assert [q.id for q in result.questions] == ["A1"]
    assert [str(p) for p in result.problems] == [
        f"{source}:3: unclosed quote starting at line 3: lines 3-4 were read as one row; "
        "row skipped"
    ]
    last = tmp_path / "last.csv"  # the quote opens on the last line
    last.write_text('id,question,answer\nA1,"Why?,Because.\n')
    assert [p.message.split(":")[0] for p in read_csv(last).problems] == [
        "unclosed quote starting at line 2"
    ]
    stray = tmp_path / "stray.csv"  # a later stray quote ends the runaway field early
    stray.write_text('id,question,answer\n"A1,Why?,Because.\nA2,What "x,Y\nA3,Why?,Because.\n')
    result = read_csv(stray)
    assert [q.id for q in result.questions] == ["A3"]
    assert [p.message.split(":")[0] for p in result.problems] == [
        "unclosed quote starting at line 2"
    ]
    fine = tmp_path / "fine.csv"  # quoted newlines and doubled quotes are not unclosed
    fine.write_text('id,question,answer\nA1,"Why ""so""?\nReally?",Because.\nA2,5" disk,Yes.\n')
    result = read_csv(fine)
    assert not result.problems and [q.id for q in result.questions] == ["A1", "A2"]


def test_jsonl_rows_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "qs.jsonl"
    lines = [
        json.dumps(
            {
                "id": "NLP0001",
                "question": "What is BPE?",
                "answer": "Merges pairs.",
                "tags": ["Tokenization"],
            }
        ),
        "",
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"id": "NLP0002", "question": "Q?", "answer": "A.", "tags": 3}),
    ]
    path.write_text("\n".join(lines) + "\n")
    result = read_jsonl(path)
    assert [q.id for q in result.questions] == ["NLP0001"]
    assert result.questions[0].tags == ["tokenization"]
    assert [p.line for p in result.problems] == [3, 4, 5]
    assert result.problems[0].message.startswith("bad JSON:")
    assert "'tags' must be a list" in result.problems[2].message


def test_duplicate_rows_across_formats_collapse(tmp_path: Path) -> None:
    csv_path = tmp_path / "a.csv"
    csv_path.write_text("id,question,answer\nX1,Why?,Because.\n")
    jsonl_path = tmp_path / "b.jsonl"
    jsonl_path.write_text(json.dumps({"id": "X1", "question": "Why?", "answer": "Because."}))
    report = import_files([csv_path, jsonl_path], tmp_path / "bank", topic="Trivia")
    assert report.ok and report.collapsed == ["X1: b.jsonl:1 = a.csv:2"]
    assert load_bank(tmp_path / "bank").questions["X1"].topic == "trivia"
