"""Hostile text goes out shown, never run: answers, titles, evidence quotes, notes, feedback and
warnings holding escape sequences, controls, bidi overrides or spreadsheet formulas leave
`history` (table and JSON), `export` (JSON, CSV, Markdown, to stdout and to a file) and `grade`
with no escape sequence raw and every formula cell neutralised."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from hostile_text import ESCAPES, FORMULAS, HOSTILE, assert_inert
from mockinterview import locations
from mockinterview.cli import main
from mockinterview.models import Evidence, Grade, PointResult
from mockinterview.store import Store
from mockinterview.text.safe import visible

TITLE = f'=HYPERLINK("http://evil.example","c") Vanishing gradients {HOSTILE}'
TOPIC = f"-hostile {ESCAPES['C1 CSI and OSC']} topic"
QUESTION_FILE = """+++
id = "HX0001"
title = {title}
topic = {topic}
difficulty = "easy"
tags = ["hostile"]
source = "tests"
+++

## Question

Why do gradients vanish? {hostile}

## Answer

1. Sigmoid saturates, so its derivative is small.
2. The chain rule multiplies many small factors.
"""


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    """A bank of one question whose title, topic and text carry escape sequences."""
    root = tmp_path / "bank"
    (root / "hostile").mkdir(parents=True)
    text = QUESTION_FILE.format(
        title=json.dumps(TITLE), topic=json.dumps(TOPIC), hostile=HOSTILE
    )  # a JSON string is a TOML basic string
    (root / "hostile" / "HX0001.md").write_text(text, encoding="utf-8")
    return root


def _grade(answer: str) -> Grade:
    points = [
        PointResult("p1", f"@Saturation {HOSTILE}", 1.0, "hit", 1.0,
                    [Evidence(answer[:12], 0, 12)], f"note {HOSTILE}"),
        PointResult("p2", f"=cmd|' /C calc'!A0 {HOSTILE}", 1.0, "miss", 0.0, [],
                    f"missing {HOSTILE}"),
    ]  # fmt: skip
    return Grade("HX0001", "offline", 50.0, points, feedback=f"feedback {HOSTILE}",
                 warnings=[f"warning {HOSTILE}"])  # fmt: skip


@pytest.fixture
def answers(isolated_home: Path) -> list[str]:
    """One attempt per formula, each answer a formula followed by every escape; the first is
    corrected (its corrected point titles go out too) and one is skipped."""
    store = Store.open(locations.database_path(isolated_home))
    texts = [f"{formula} then {HOSTILE}\nsecond line" for formula in FORMULAS]
    for n, answer in enumerate(texts):
        attempt_id = store.record_attempt(
            question_id="HX0001",
            answer=answer,
            grade=_grade(answer),
            rubric_hash="h",
            started_at=f"2026-03-0{n + 1}T10:00:00+00:00",
            seconds=30.0,
            hints=[f"p1 {HOSTILE}"],
        )
        if n == 0:
            corrected = _grade(answer)
            corrected.points[1].verdict, corrected.points[1].credit = "hit", 1.0
            corrected.extra["correction"] = {"automatic": {"p2": "miss"}, "automatic_score": 50}
            store.set_correction(attempt_id, corrected)
    store.record_attempt(
        question_id="HX0001",
        answer=HOSTILE,
        grade=None,
        rubric_hash=None,
        started_at="2026-03-09T10:00:00+00:00",
        seconds=1.0,
        skipped=True,
    )
    store.close()
    return texts


def _run(capsys: pytest.CaptureFixture[str], bank: Path, *argv: str) -> str:
    code = main([*argv, "--bank", str(bank)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert_inert(captured.err, f"{argv} stderr")
    return captured.out


def test_history_table_shows_hostile_titles_inert(
    answers: list[str], bank: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _run(capsys, bank, "history")
    assert_inert(out, "history")
    assert "␛[2J" in out and "<U+202E>" in out  # shown, visibly


def test_history_json_escapes_what_a_terminal_runs_and_keeps_the_strings(
    answers: list[str], bank: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _run(capsys, bank, "history", "--format", "json")
    assert_inert(out, "history --format json")
    records = json.loads(out)
    assert {r["title"] for r in records} == {TITLE}  # a script reads the real strings back
    assert records[-1]["points"][0]["title"] == f"@Saturation {HOSTILE}"


def test_export_json_escapes_and_round_trips_the_answers(
    answers: list[str], bank: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _run(capsys, bank, "export", "--format", "json")
    assert_inert(out, "export json")
    data = json.loads(out)
    assert [a["answer"] for a in data["attempts"]] == [*answers, HOSTILE]
    assert data["attempts"][0]["feedback"] == f"feedback {HOSTILE}"


def test_export_csv_neutralises_every_formula_cell(
    answers: list[str], bank: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _run(capsys, bank, "export", "--format", "csv")
    assert_inert(out.replace("\r\n", "\n"), "export csv")
    rows = list(csv.reader(io.StringIO(out, newline="")))
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    header, *attempts = rows
    answer = header.index("answer")
    assert [r[answer] for r in attempts[:-1]] == ["'" + visible(a) for a in answers]
    assert attempts[0][header.index("title")].startswith("'=HYPERLINK(")
    assert attempts[0][header.index("topic")].startswith("'-hostile")
    assert "=cmd" in attempts[1][header.index("missed_points")]  # inside a cell: inert
    assert attempts[0][header.index("corrected_points")].startswith("'=cmd")


def test_export_markdown_shows_controls_visibly(
    answers: list[str], bank: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _run(capsys, bank, "export", "--format", "md")
    assert_inert(out, "export md")
    assert "␛]0;PWNED␛\\" in out and "<U+009B>" in out


@pytest.mark.parametrize("name", ["report.md", "rows.csv", "data.json"])
def test_export_files_are_inert_too(
    answers: list[str], bank: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    target = tmp_path / name
    _run(capsys, bank, "export", "--out", str(target))
    text = target.read_text(encoding="utf-8")
    assert_inert(text.replace("\r\n", "\n") if name.endswith(".csv") else text, name)
    assert len(text) > 500


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_grade_prints_a_hostile_answer_inert(
    bank: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text(
        f"Sigmoid saturates {HOSTILE} and the chain rule multiplies {HOSTILE} small factors",
        encoding="utf-8",
    )
    out = _run(capsys, bank, "grade", "--question", "HX0001", "--answer-file", str(answer),
               "--format", fmt)  # fmt: skip
    assert_inert(out, f"grade --format {fmt}")
    assert "saturates" in out.lower()
