"""Malformed pages give clear `file:line: message` problems, never a traceback, and the good
questions of a damaged page are still imported."""

from __future__ import annotations

from pathlib import Path

from mockinterview.bank.importers.seed_page import read_seed_page
from mockinterview.bank.importing import import_files

BAD = Path(__file__).parent / "fixtures" / "seeds_malformed"


def messages(path: Path) -> list[str]:
    return [str(p) for p in read_seed_page(path).problems]


def test_truncated_page_skips_the_cut_question() -> None:
    result = read_seed_page(BAD / "truncated.txt")
    assert [q.id for q in result.questions] == ["DL0003", "DL0002"]
    (problem,) = result.problems
    assert "DL0001" in problem.message and "truncated" in problem.message
    assert str(problem).startswith(f"{BAD / 'truncated.txt'}:")
    assert problem.line > 30


def test_question_without_answer_line() -> None:
    result = read_seed_page(BAD / "no_answer.txt")
    assert [q.id for q in result.questions] == ["DL0003", "DL0001"]
    (problem,) = result.problems
    assert problem.line == 20  # the DL0002 bullet
    assert "DL0002: no 'Answer' line" in problem.message


def test_garbage_bytes_are_named_with_their_line() -> None:
    (message,) = messages(BAD / "garbage.txt")
    assert message.startswith(f"{BAD / 'garbage.txt'}:20: not UTF-8 text: byte 0xff at offset")


def test_binary_file() -> None:
    (message,) = messages(BAD / "binary.txt")
    assert "binary data" in message


def test_empty_answer_and_no_bullets() -> None:
    (empty,) = messages(BAD / "empty_answer.txt")
    assert "XY0001: empty answer" in empty
    (none,) = messages(BAD / "no_bullets.txt")
    assert none.endswith("no questions found: expected bullets like '• DL0001 Title'")


def test_crlf_and_bom_read_like_the_original() -> None:
    crlf = read_seed_page(BAD / "crlf.txt")
    good = read_seed_page(BAD / "no_answer.txt")  # shares DL0003 with the original page
    assert crlf.problems == []
    assert [q.id for q in crlf.questions] == ["DL0003", "DL0002", "DL0001"]
    assert "\r" not in crlf.questions[0].answer
    assert crlf.questions[0].answer == good.questions[0].answer


def test_conflicting_duplicate_is_reported_not_dropped(tmp_path: Path) -> None:
    original = BAD / "crlf.txt"
    report = import_files([original, BAD / "conflict.txt"], tmp_path / "bank")
    (conflict,) = report.conflicts
    assert conflict.path == BAD / "conflict.txt"
    assert "DL0003: conflicting duplicate of crlf.txt:1 (answer differ)" in conflict.message
    assert not report.ok
    kept = (tmp_path / "bank" / "deep-learning" / "DL0003.md").read_text(encoding="utf-8")
    assert "plays several crucial roles" in kept
    assert len(report.collapsed) == 2  # DL0001 and DL0002 agree


def test_bad_pages_beside_good_ones_still_import_the_good(tmp_path: Path) -> None:
    report = import_files(
        [BAD / "binary.txt", BAD / "truncated.txt", BAD / "garbage.txt"], tmp_path / "bank"
    )
    assert len(report.problems) == 3
    assert sorted(p.stem for p in report.created) == ["DL0002", "DL0003"]


def test_answer_on_the_same_line_and_no_footer_before_next_bullet(tmp_path: Path) -> None:
    page = tmp_path / "inline.txt"
    page.write_text(
        "• AB0001 Inline\nWhy?\n    Answer: Because it is.\n    (1) Point: one.\n"
        "• AB0002 Next\nHow?\nanswer\n\u00a0 Like this.\nLogin to view more content\n",
        encoding="utf-8",
    )
    result = read_seed_page(page)
    assert result.problems == []
    first, second = result.questions
    assert first.answer == "Because it is.\n(1) Point: one."
    assert (second.id, second.question, second.answer) == ("AB0002", "How?", "Like this.")
