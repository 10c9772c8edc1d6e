"""History JSON and every export stream from the store: records built straight from the rows
equal those built from `Attempt` objects (damaged grades included), the hand-written JSON equals
`json.dumps`, output is written while rows are still being read, and a failed export to a file
leaves the old file whole."""

from __future__ import annotations

import errno
import io
import json
import math
from pathlib import Path
from typing import Any

import pytest

from mockinterview import locations
from mockinterview.cli import main
from mockinterview.review import export, records, sample
from mockinterview.store import Store
from mockinterview.store.attempts import attempts, iter_attempts
from test_review_support import TinyBank, add_attempt, make_grade

DAMAGED_GRADES = [
    "{broken",
    "[1, 2]",
    '{"points": [{"id": "p1", "verdict": "hit", "credit": 1}]}',  # no question_id: lenient
    '{"question_id": "Q1", "points": [{"title": "no id"}, {"id": "p2", "credit": "x"}]}',
    '{"question_id": "Q1", "points": "not a list", "feedback": ["not", "text"]}',
    '{"question_id": "Q1", "points": [{"id": 7, "title": 8, "credit": null}], "feedback": 3}',
    '{"question_id": "Q1", "points": [{"id": "p1", "evidence": [{"text": "a"}]}]}',
    '{"question_id": "Q1", "points": [{"id": "p1", "credit": NaN}], "extra": [["a", 1]]}',
    '{"question_id": "Q1", "score": 1, "points": [], "extra": {"correction": "odd"}}',
]


def _store_with_odd_grades() -> Store:
    store = Store.open(":memory:")
    for day, verdicts in enumerate([["hit", "miss", "partial"], None, ["hit", "hit", "miss"]]):
        add_attempt(store, "Q1", verdicts, f"2026-03-0{day + 1}T10:00:00+00:00",
                    answer=f"answer {day}")  # fmt: skip
    first = add_attempt(store, "Q2", ["miss", "miss", "hit"], "2026-03-05T10:00:00+00:00")
    store.record_regrade(first, make_grade("Q2", ["hit", "miss", "hit"]), "h2")
    corrected = make_grade("Q2", ["hit", "hit", "hit"])
    corrected.extra["correction"] = {"automatic": {"p2": "miss"}, "automatic_score": 66.7}
    store.set_correction(first, corrected)
    gone = add_attempt(store, "GONE", ["hit", "hit", "hit"], "2026-03-06T10:00:00+00:00")
    store.set_correction(gone, make_grade("GONE", ["miss", "miss", "miss"]))
    store.conn.execute("UPDATE attempts SET corrected_grade = '{bad' WHERE id = ?", (gone,))
    for n, text in enumerate(DAMAGED_GRADES):
        attempt_id = add_attempt(store, "Q1", ["hit"], f"2026-04-{n + 1:02d}T10:00:00+00:00")
        column = "corrected_grade" if n % 3 == 2 else "grade"
        store.conn.execute(f"UPDATE attempts SET {column} = ? WHERE id = ?", (text, attempt_id))
    store.conn.execute("UPDATE attempts SET hints = '{oops' WHERE id = 2")
    store.conn.commit()
    return store


@pytest.mark.parametrize("with_answers", [False, True])
def test_records_read_from_rows_equal_records_of_attempts(with_answers: bool) -> None:
    store = _store_with_odd_grades()
    bank = TinyBank()
    expected = [records.attempt_record(a, bank, with_answers=with_answers) for a in attempts(store)]
    got = records.attempt_records(store, bank, with_answers=with_answers)
    assert len(got) == len(DAMAGED_GRADES) + 5
    # NaN is not equal to itself: compare the JSON the two give
    assert json.dumps(got, allow_nan=True) == json.dumps(expected, allow_nan=True)


def test_iter_attempts_yields_what_attempts_returns() -> None:
    store = _store_with_odd_grades()
    assert list(iter_attempts(store, newest_first=False, batch=2)) == attempts(
        store, newest_first=False
    )


VALUES: list[Any] = [
    [],
    {},
    [{}],
    {"a": [], "b": {}, "c": [1, 2.5, -0.0, 1e300, True, False, None, "x"]},
    {"nested": [[["deep"]], {"k": {"k2": [{}]}}]},
    {3: "int key", 2.5: "float key", False: "bool key", None: "none key"},
    {"text": 'quotes " and \\ and \n\t\x00\x1b[2J'},
    {"non-ascii": "é ✔ 漢字 \U0001f600"},
    [float("inf"), -float("inf")],
]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_json_text_writes_what_json_dumps_writes(value: Any) -> None:
    assert records.json_text(value) == json.dumps(value, indent=2, ensure_ascii=False)
    out = io.StringIO()
    records.write_json_array([value, value], out)
    assert out.getvalue() == json.dumps([value, value], indent=2, ensure_ascii=False)


def test_json_text_escapes_what_a_terminal_would_run() -> None:
    value = {"answer": "a\x9b2J b\u202ec \x7f d\u2066 \u2028"}
    text = records.json_text(value)
    assert all(c not in text for c in "\x9b\u202e\x7f\u2066\u2028")
    assert "\\u009b" in text and "\\u202e" in text
    assert json.loads(text) == value
    nan = records.json_text([math.nan])
    assert nan == json.dumps([math.nan], indent=2)


def test_an_empty_history_exports_as_before() -> None:
    store = Store.open(":memory:")
    data = json.loads(export.export(store, None, "json"))
    assert data["attempts"] == [] and data["totals"]["attempts"] == 0
    assert '"attempts": []\n}\n' in export.export(store, None, "json")
    assert export.export(store, None, "csv").count("\r\n") == 1
    assert export.export(store, None, "md").endswith("No attempts yet.\n")


class _Recording(io.StringIO):
    """Notes how many records had been built when each piece of output was written."""

    def __init__(self, built: list[int]) -> None:
        super().__init__()
        self.built = built
        self.seen: list[int] = []

    def write(self, text: str) -> int:
        self.seen.append(self.built[0])
        return super().write(text)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_exports_write_while_still_reading(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store.open(":memory:")
    bank = sample.SampleBank(20)
    sample.fill_store(store, bank, 2000)
    built = [0]
    build = records.record_from_row

    def counted(*args: Any, **kw: Any) -> dict[str, Any]:
        built[0] += 1
        return build(*args, **kw)

    monkeypatch.setattr(records, "record_from_row", counted)
    out = _Recording(built)
    export.write_export(store, bank, fmt, out)
    assert built[0] == 2000
    # the first attempts were on their way out long before the last was read
    assert 0 < min(n for n in out.seen if n > 0) < 10


def test_history_json_streams_the_same_text_json_dumps_gave(
    isolated_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store.open(locations.database_path(isolated_home))
    sample.fill_store(store, sample.SampleBank(10), 300)
    expected = records.attempt_records(store, None)
    store.close()
    (tmp_path / "empty-bank").mkdir()
    assert main(["history", "--format", "json", "--bank", str(tmp_path / "empty-bank")]) == 0
    out = capsys.readouterr().out
    assert out == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"


def test_a_failed_export_leaves_the_old_file_whole(
    isolated_home: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = Store.open(locations.database_path(isolated_home))
    sample.fill_store(store, sample.SampleBank(10), 50)
    store.close()
    target = tmp_path / "history.csv"
    target.write_text("the old export\n", encoding="utf-8")

    def full_disk(store: Store, bank: object, fmt: str, out: io.TextIOBase) -> None:
        out.write("id,half a row")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(export, "write_export", full_disk)
    assert main(["export", "--out", str(target)]) == 1
    err = capsys.readouterr().err
    assert "history.csv: cannot write the export (No space left on device)" in err
    assert "Traceback" not in err
    assert target.read_text(encoding="utf-8") == "the old export\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
