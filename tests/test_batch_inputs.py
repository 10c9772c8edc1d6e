"""`grade --batch` and `eval` on malformed input: every bad row or structure is named with its
line and counted, the good rows are still graded, anything skipped means exit 1, and no input
whatever ends in a traceback."""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import pytest

from mockinterview.cli import main

REPO = Path(__file__).resolve().parents[1]
BANK = str(REPO / "bank")
GOOD = "Skip connections give gradients a shortcut, so they do not vanish."
PER_FORMAT = 30  # corrupted files per format


def grade(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    code = main(["--bank", BANK, "grade", "--batch", str(path), *extra])
    out, err = capsys.readouterr()
    return code, out, err


def csv_rows(out: str) -> list[dict[str, str]]:
    csv.field_size_limit(2**31 - 1)  # a 10 MB answer is one field
    return list(csv.DictReader(io.StringIO(out)))


def test_an_unclosed_quote_is_named_where_it_opened_and_later_rows_still_graded(
    tmp_path: Path, capsys
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        f'question_id,answer,who\nDL0001,"{GOOD}",ann\nDL0001,"never closed,bob\n'
        f"DL0001,{GOOD.replace(',', '')},cid\n",
        "utf-8",
    )
    code, out, err = grade(source, capsys)
    assert code == 1
    assert [r["who"] for r in csv_rows(out)] == ["ann", "cid"]  # no row merged into another
    assert f"{source}:3: malformed CSV: a quoted field opened here is never closed" in err
    assert "graded 2 rows, skipped 1" in err


def test_an_unclosed_quote_after_a_multiline_field_names_the_quote_and_the_row(
    tmp_path: Path, capsys
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        'question_id,answer,who\nDL0001,"two\nlines",ann,"oops\nDL0001,fine,bob\n', "utf-8"
    )
    code, out, err = grade(source, capsys)
    assert code == 1
    assert [r["who"] for r in csv_rows(out)] == ["bob"]
    assert f"{source}:3: malformed CSV: a quoted field opened here is never closed" in err
    assert "(in the row starting on line 2)" in err


def test_text_after_a_closing_quote_is_a_malformed_row_not_a_merged_one(
    tmp_path: Path, capsys
) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        f'question_id,answer\nDL0001,"quoted"tail\nDL0001,"{GOOD}"\n',
        "utf-8",
    )
    code, out, err = grade(source, capsys)
    assert code == 1 and len(csv_rows(out)) == 1
    assert f"{source}:2: malformed CSV:" in err and "skipped 1" in err


def test_deeply_nested_jsonl_is_named_not_a_recursion_traceback(tmp_path: Path, capsys) -> None:
    source = tmp_path / "in.jsonl"
    deep = "[" * 100_000 + "]" * 100_000
    inner = '{"question_id": "DL0001", "answer": "x", "meta": ' + deep + "}"
    good = json.dumps({"question_id": "DL0001", "answer": GOOD})
    source.write_text("\n".join([good, deep, inner, good]) + "\n", "utf-8")
    code, out, err = grade(source, capsys)
    assert code == 1 and len(out.splitlines()) == 2
    assert f"{source}:2: nested too deeply" in err
    assert f"{source}:3: nested too deeply" in err
    assert "Traceback" not in err and "skipped 2" in err


def test_an_integer_too_long_to_convert_is_a_bad_row(tmp_path: Path, capsys) -> None:
    source = tmp_path / "in.jsonl"
    huge = '{"question_id": "DL0001", "answer": "x", "n": ' + "9" * 5000 + "}"
    source.write_text(huge + "\n" + json.dumps({"question_id": "DL0001", "answer": GOOD}), "utf-8")
    code, out, err = grade(source, capsys)
    assert code == 1 and len(out.splitlines()) == 1
    assert f"{source}:1: not valid JSON" in err


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_a_row_with_a_nul_byte_is_named_and_skipped(tmp_path: Path, capsys, suffix: str) -> None:
    source = tmp_path / f"in{suffix}"
    if suffix == ".csv":
        source.write_bytes(f'question_id,answer\nDL0001,bad\x00row\nDL0001,"{GOOD}"\n'.encode())
    else:
        rows = [
            {"question_id": "DL0001", "answer": "bad\x00row"},
            {"question_id": "DL0001", "answer": GOOD},
        ]
        source.write_text("\n".join(json.dumps(r) for r in rows), "utf-8")  # NUL as \u0000
    code, out, err = grade(source, capsys)
    assert code == 1
    assert f"{source}:{2 if suffix == '.csv' else 1}: contains a NUL byte" in err
    assert "graded 1 rows, skipped 1" in err
    assert "\x00" not in out


def test_a_10_mb_answer_is_graded_with_the_truncation_warning(tmp_path: Path, capsys) -> None:
    line = "12:00:01 INFO request served; residual connection shortcut kept the gradient flowing.\n"
    answer = line * (10_000_000 // len(line) + 1)
    source = tmp_path / "in.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerows([["question_id", "answer"], ["DL0001", answer], ["DL0001", GOOD]])
    assert source.stat().st_size > 10_000_000
    code, out, err = grade(source, capsys)
    rows = csv_rows(out)
    assert code == 0 and len(rows) == 2 and "skipped 0" in err
    assert "answer truncated to" in rows[0]["warnings"]
    assert float(rows[0]["score"]) > 0 and rows[1]["warnings"] == ""


def test_an_empty_file_is_bad_input(tmp_path: Path, capsys) -> None:
    for name, expected in [("e.csv", "empty file"), ("e.jsonl", "no rows to grade")]:
        source = tmp_path / name
        source.write_bytes(b"")
        code, out, err = grade(source, capsys)
        assert code == 1 and out == "" and expected in err and "Traceback" not in err


def test_a_header_only_file_is_bad_input(tmp_path: Path, capsys) -> None:
    source = tmp_path / "in.csv"
    source.write_text("question_id,answer\n", "utf-8")
    code, out, err = grade(source, capsys)
    assert code == 1 and out == ""
    assert f"{source}: no rows to grade after the header" in err


def test_latin_1_lines_are_named_and_utf8_lines_graded(tmp_path: Path, capsys) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(
        b"question_id,answer\n"
        + "DL0001,café à la crème\n".encode("latin-1")
        + f'DL0001,"{GOOD} déjà vu"\n'.encode()
    )
    code, out, err = grade(source, capsys)
    assert code == 1
    assert f"{source}:2: not valid UTF-8 (byte 0xe9" in err and "skipped 1" in err
    assert csv_rows(out)[0]["answer"].endswith("déjà vu")


def test_a_latin_1_header_or_a_utf16_file_is_refused_whole(tmp_path: Path, capsys) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes("question_id,answer,élève\nDL0001,x,y\n".encode("latin-1"))
    code, _, err = grade(source, capsys)
    assert code == 1 and f"{source}:1: header not valid UTF-8" in err
    source.write_bytes("question_id,answer\nDL0001,x\n".encode("utf-16"))
    code, _, err = grade(source, capsys)
    assert code == 1 and "UTF-16" in err


def test_line_separators_inside_jsonl_strings_keep_rows_and_line_numbers(
    tmp_path: Path, capsys
) -> None:
    source = tmp_path / "in.jsonl"
    answer = f"{GOOD}\u2028second part\x85third"
    lines = [
        json.dumps({"question_id": "DL0001", "answer": answer}, ensure_ascii=False),
        "{broken",
    ]
    source.write_text("\n".join(lines) + "\n", "utf-8")
    code, out, err = grade(source, capsys)
    assert code == 1 and json.loads(out)["answer"] == answer
    assert f"{source}:2: not valid JSON" in err


def test_a_lone_surrogate_escape_is_a_bad_row_not_an_encoding_crash(tmp_path: Path, capsys) -> None:
    source = tmp_path / "in.jsonl"
    good = json.dumps({"question_id": "DL0001", "answer": GOOD})
    source.write_text('{"question_id": "DL0001", "answer": "half \\ud800 pair"}\n' + good, "utf-8")
    for out_name in ("out.csv", "out.jsonl"):
        code, _, err = grade(source, capsys, "--out", str(tmp_path / out_name))
        assert code == 1 and f"{source}:1: holds a lone surrogate" in err
        assert len((tmp_path / out_name).read_text("utf-8").splitlines()) >= 1


def test_eval_exits_1_after_printing_its_figures_when_rows_were_skipped(
    tmp_path: Path, capsys
) -> None:
    source = tmp_path / "e.csv"
    rows = [
        "question_id,question,reference_answer,answer,score,max_score",
        'Q1,What is a stack?,"Last in, first out.","Last in, first out.",5,5',
        "Q1,What is a stack?,ref,answer,seven,5",
        "Q1,What is a stack?,ref,answer,9,5",
        "Q2,x,,no reference,1,5",
        'Q1,What is a stack?,"never closed,1,5',
    ]
    source.write_text("\n".join(rows) + "\n", "utf-8")
    code = main(["--bank", str(tmp_path / "nobank"), "eval", str(source)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "1 answers graded, 4 skipped" in out and "Pearson r" in out
    assert f"{source}:6: malformed CSV: a quoted field opened here is never closed" in err
    code = main(["--bank", str(tmp_path / "nobank"), "eval", str(source), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["n"] == 1 and report["skipped"] == 4


def test_eval_of_an_empty_or_header_only_file_is_bad_input(tmp_path: Path, capsys) -> None:
    source = tmp_path / "e.csv"
    source.write_text("", "utf-8")
    assert main(["eval", str(source)]) == 1
    assert "empty file" in capsys.readouterr().err
    source.write_text("question_id,question,reference_answer,answer,score,max_score\n", "utf-8")
    assert main(["eval", str(source)]) == 1
    assert "no rows after the header" in capsys.readouterr().err


def _mutations(seed: int) -> list[bytes]:
    """Valid files broken at random: bytes dropped, doubled, swapped for quotes, brackets,
    NULs, invalid UTF-8 and control characters."""
    rng = random.Random(seed)
    base_csv = (
        f'question_id,answer,who\nDL0001,"{GOOD}",ann\nDL0002,"two\nlines",bob\nDL0003,x,"c"\n'
    ).encode()
    base_jsonl = "\n".join(
        json.dumps({"question_id": q, "answer": GOOD, "n": [1, {"k": None}]})
        for q in ("DL0001", "DL0002")
    ).encode()
    noise = [b'"', b",", b"\n", b"\r", b"\x00", b"\xe9", b"\xff\xfe", b"[", b"{", b"}", b"\\"]
    cases = []
    for base in (base_csv, base_jsonl):
        for _ in range(PER_FORMAT):
            data = bytearray(base)
            for _ in range(rng.randint(1, 6)):
                at = rng.randrange(len(data))
                choice = rng.random()
                if choice < 0.4:
                    data[at:at] = rng.choice(noise)
                elif choice < 0.7:
                    del data[at : at + rng.randint(1, 8)]
                else:
                    data[at] = rng.randrange(256)
            cases.append(bytes(data))
    return cases


def test_no_corrupted_file_ends_in_a_traceback(tmp_path: Path, capsys) -> None:
    for number, data in enumerate(_mutations(seed=11)):
        suffix = ".csv" if number < PER_FORMAT else ".jsonl"
        source = tmp_path / f"in{number}{suffix}"
        source.write_bytes(data)
        for command in (["grade", "--batch", str(source)], ["eval", str(source)]):
            code = main(["--bank", BANK, *command])
            err = capsys.readouterr().err
            assert code in (0, 1), (data, err)
            assert "Traceback" not in err
            if code == 0:
                assert "skipped" not in err or "skipped 0" in err
