"""`mockinterview history` and `export` run end to end on a real store and the real bank."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from mockinterview import locations
from mockinterview.cli import main
from mockinterview.store import Store
from test_review_support import add_attempt, make_grade

REPO_BANK = Path(__file__).resolve().parents[1] / "bank"


@pytest.fixture
def store(isolated_home: Path) -> Store:
    return Store.open(locations.database_path(isolated_home))


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main([*argv, "--bank", str(REPO_BANK)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_history_json_lists_attempts_with_points(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    first = add_attempt(store, "DL0001", ["hit", "miss", "partial"], "2026-03-01T10:00:00+00:00")
    add_attempt(store, "GONE42", ["hit", "hit", "hit"], "2026-03-02T10:00:00+00:00", seconds=75)
    add_attempt(store, "DL0001", None, "2026-03-03T10:00:00+00:00")
    code, out, _ = _run(capsys, "history", "--format", "json")
    assert code == 0
    records = json.loads(out)
    assert [r["question_id"] for r in records] == ["DL0001", "GONE42", "DL0001"]
    skipped, gone, graded = records
    assert skipped["skipped"] is True and skipped["score"] is None
    assert gone["title"] == "GONE42" and gone["seconds"] == 75
    assert graded["id"] == first and graded["title"] == "Residual Connection"
    assert graded["topic"] == "deep learning"
    assert [p["verdict"] for p in graded["points"]] == ["hit", "miss", "partial"]
    assert set(graded) >= {"session_id", "submitted_at", "grader", "hints", "score"}


def test_history_filters_by_question_and_limits(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    for day in (1, 2, 3):
        add_attempt(store, "DL0001", ["hit", "hit", "miss"], f"2026-03-0{day}T10:00:00+00:00")
    add_attempt(store, "DL0002", ["miss", "miss", "miss"], "2026-03-04T10:00:00+00:00")
    _, out, _ = _run(capsys, "history", "--question", "DL0001", "--format", "json", "--limit", "2")
    records = json.loads(out)
    assert [r["submitted_at"][:10] for r in records] == ["2026-03-03", "2026-03-02"]


def test_history_table_fits_80_columns_and_marks_regrades(
    store: Store, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    attempt = add_attempt(store, "DL0003", ["miss", "miss", "miss"], "2026-03-01T10:00:00+00:00")
    store.record_regrade(attempt, make_grade("DL0003", ["hit", "hit", "miss"]), "h1")
    add_attempt(store, "NOT-IN-BANK-AT-ALL", ["hit", "hit", "hit"], "2026-03-02T10:00:00+00:00")
    add_attempt(store, "DL0001", ["hit", "hit", "hit"], "2026-03-03T10:00:00+00:00")
    code, piped, _ = _run(capsys, "history")
    assert code == 0 and "…" not in piped  # piped: nothing is cut
    assert "Residual Connection" in piped and "NOT-IN-BANK-AT-ALL" in piped
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    monkeypatch.setenv("COLUMNS", "200")
    assert _run(capsys, "history")[1] == piped
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = _run(capsys, "history")
    lines = out.splitlines()
    assert code == 0
    assert max(len(line) for line in lines) <= 80 and "…" in out
    assert "1×1 Convolution" in out
    assert "67*" in out and "re-graded" in lines[-1]
    assert lines[-1].startswith("3 attempts")


def test_history_of_an_unknown_question_is_bad_input(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "history", "--question", "NOPE")
    assert code == 1 and "NOPE" in err
    code, out, _ = _run(capsys, "history", "--question", "DL0001")  # in the bank, no attempts
    assert code == 0 and "No attempts yet" in out


def test_export_csv_md_and_json(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_attempt(store, "DL0002", ["hit", "miss", "miss"], "2026-03-01T10:00:00+00:00",
                answer="All weights equal,\nso the neurons stay symmetric.")  # fmt: skip
    add_attempt(store, "DL0002", ["hit", "hit", "miss"], "2026-03-02T10:00:00+00:00")
    target = tmp_path / "out.csv"
    code, _, err = _run(capsys, "export", "--format", "csv", "--out", str(target))
    assert code == 0 and "wrote" in err
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == 2
    assert rows[0]["answer"] == "All weights equal,\nso the neurons stay symmetric."
    assert rows[0]["missed"] == "2" and rows[1]["hit"] == "2"
    assert rows[0]["missed_points"] == "DL0002 second; DL0002 third"

    _, md, _ = _run(capsys, "export", "--format", "md")
    assert md.startswith("# Mock interview practice report")
    assert "| deep learning | 1 | 2 |" in md
    assert "**DL0002 third** (All Ones Init, DL0002): in 2 attempts, missed 2 and partly " in md
    assert "Practice streak: " in md and " 1 days" not in md
    assert "> All weights equal," in md

    _, raw, _ = _run(capsys, "export", "--format", "json")
    data = json.loads(raw)
    assert data["totals"]["attempts"] == 2
    assert data["attempts"][0]["answer"].startswith("All weights")


def test_export_to_an_unwritable_place_is_bad_input(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(capsys, "export", "--out", str(tmp_path / "missing" / "r.md"))
    assert code == 1 and "cannot write" in err


def test_empty_history_exports_cleanly(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "export", "--format", "md")[1].endswith("No attempts yet.\n")
    assert json.loads(_run(capsys, "history", "--format", "json")[1]) == []


def test_export_format_follows_the_out_extension_unless_given(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import UTC, datetime

    now = datetime.now(UTC).isoformat(timespec="seconds")
    add_attempt(store, "DL0002", ["hit", "miss", "miss"], now)
    target = tmp_path / "x.json"
    code, _, err = _run(capsys, "export", "--out", str(target))
    assert code == 0 and "(json)" in err
    assert json.loads(target.read_text(encoding="utf-8"))["totals"]["attempts"] == 1
    target = tmp_path / "x.csv"
    assert _run(capsys, "export", "--out", str(target))[0] == 0
    assert next(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))["answer"]
    target = tmp_path / "report.md"
    assert _run(capsys, "export", "--out", str(target))[0] == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Mock interview")
    assert "- Practice streak: 1 day (longest 1)" in text
    target = tmp_path / "forced.json"  # an explicit --format wins over the extension
    assert _run(capsys, "export", "--format", "md", "--out", str(target))[0] == 0
    assert target.read_text(encoding="utf-8").startswith("# Mock interview")
    assert _run(capsys, "export")[1].startswith("# Mock interview")  # stdout: Markdown
