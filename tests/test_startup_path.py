"""What the app's start-up does to be quick changes nothing it reads or leaves behind.

Bank headers in the plain form are read without tomllib, to the same result; the garbage
collector paused while `practice` starts is running again, and nothing left frozen, once the
app is done (bench/README.md, "Start-up time").
"""

from __future__ import annotations

import gc
import tomllib
from pathlib import Path

import pytest

from mockinterview import locations
from mockinterview.bank.markdown import BankFileError, _plain_header, _read_header
from mockinterview.cli import main


def _header(path: Path) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    return "\n".join(lines[1 : lines.index("+++", 1)])


def test_every_bundled_header_reads_as_tomllib_reads_it_without_tomllib() -> None:
    files = sorted(locations.bundled_bank_dir().rglob("*.md"))
    headers = [_header(f) for f in files if f.read_text(encoding="utf-8").startswith("+++")]
    assert len(headers) > 100
    for text in headers:
        assert _plain_header(text) is not None, text
        assert _read_header(text) == tomllib.loads(text)


@pytest.mark.parametrize(
    "text",
    [
        'title = "commas, inside"\ntags = ["a, b", "c"]',
        'tags = []\nsource = ""',
        'title = "tab\there, and \u00e9 \u4e2d"',
    ],
)
def test_a_plain_header_reads_as_tomllib_reads_it(text: str) -> None:
    assert _plain_header(text) is not None
    assert _read_header(text) == tomllib.loads(text)


@pytest.mark.parametrize(
    "text",
    [
        'title = "a \\"quoted\\" word"',  # an escape
        'title = "x"  # a comment',
        'title="x"',
        'tags = [ "a" ]',
        "title = 'literal'",
        'title = "x"\n\ntopic = "y"',
        'a.b = "dotted"',
    ],
)
def test_any_other_valid_header_is_left_to_tomllib(text: str) -> None:
    assert _plain_header(text) is None
    assert _read_header(text) == tomllib.loads(text)


def test_a_repeated_key_is_still_tomllibs_error() -> None:
    text = 'id = "A"\nid = "B"\ntitle = "T"'
    assert _plain_header(text) is None
    with pytest.raises(tomllib.TOMLDecodeError) as direct:
        tomllib.loads(text)
    with pytest.raises(BankFileError) as caught:
        _read_header(text)
    assert str(caught.value) == f"bad header: {direct.value}"


def test_practice_leaves_the_garbage_collector_as_it_found_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mockinterview.tui import app as app_module

    seen: dict[str, object] = {}

    def fake_run(self: object) -> None:
        seen["enabled"], seen["frozen"] = gc.isenabled(), gc.get_freeze_count()

    monkeypatch.setattr(app_module.MockInterviewApp, "run", fake_run)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert main(["--data-dir", str(tmp_path), "practice", "--count", "1"]) == 0
    assert seen["enabled"] is True
    assert isinstance(seen["frozen"], int) and seen["frozen"] > 0  # start-up's objects
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_practice_refused_still_leaves_the_collector_running(tmp_path: Path) -> None:
    db = tmp_path / "attempts.sqlite3"
    db.write_bytes(b"this is not a database" * 100)
    assert main(["--data-dir", str(tmp_path), "practice", "--count", "1"]) == 1
    assert gc.isenabled() and gc.get_freeze_count() == 0
