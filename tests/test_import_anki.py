"""Anki .apkg decks, legacy (`collection.anki2`, note types as JSON in `col.models`) and current
(`collection.anki21b`, zstd-compressed, note types in `notetypes`/`fields`), built by the tests
themselves with sqlite3, zipfile and zstandard. Damaged decks end in a named error and leave the
bank exactly as it was."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from mockinterview.bank import load_bank
from mockinterview.bank.importers import MAX_SOURCE_BYTES, anki
from mockinterview.bank.importing import import_files, read_source
from mockinterview.cli import main
from mockinterview.models import Question
from mockinterview.rubrics.derive import derive_rubric

BASIC, REVERSED, CLOZE = 1111, 2222, 3333
DECK = 44
SEP = "\x1f"

# (note id, guid, note type, fields, tags)
NOTES = [
    (
        101,
        "gUiD+1",
        BASIC,
        [
            "What is <b>overfitting</b>?",
            "Fitting noise rather than signal:<ol><li>Low training error</li>"
            "<li>High validation error&nbsp;&amp; poor generalisation</li></ol>",
        ],
        " ml Generalisation leech ",
    ),
    (
        102,
        "gUiD/2",
        REVERSED,  # its field names put the answer first
        [
            "It averages many decorrelated trees.<br>It lowers variance.",
            "Why does a random forest beat one deep tree?",
        ],
        "",
    ),
    (103, "gUiD#3", CLOZE, ["{{c1::Dropout}} randomly zeroes activations.", ""], ""),
    (104, "gUiD%4", BASIC, ['<img src="diagram.png">', "A confusion matrix."], ""),
    (105, "gUiD&5", BASIC, ["What does <i>L2</i> do?", '<div class="x'], ""),
]
SKIPPED = {103: "cloze note", 104: "media only", 105: "broken HTML"}


def legacy_collection(notes: list[tuple] = NOTES) -> bytes:
    """A schema-11 collection (the `col` table holds note types and decks as JSON)."""
    db = sqlite3.connect(":memory:")
    db.executescript(
        "CREATE TABLE col (id integer primary key, crt integer, mod integer, scm integer,"
        " ver integer, dty integer, usn integer, ls integer, conf text, models text,"
        " decks text, dconf text, tags text);"
        "CREATE TABLE notes (id integer primary key, guid text, mid integer, mod integer,"
        " usn integer, tags text, flds text, sfld text, csum integer, flags integer, data text);"
        "CREATE TABLE cards (id integer primary key, nid integer, did integer, ord integer,"
        " mod integer, usn integer, type integer, queue integer, due integer, ivl integer,"
        " factor integer, reps integer, lapses integer, left integer, odue integer,"
        " odid integer, flags integer, data text);"
    )
    models = {
        str(BASIC): {
            "name": "Basic",
            "type": 0,
            "flds": [{"name": "Front", "ord": 0}, {"name": "Back", "ord": 1}],
        },
        str(REVERSED): {
            "name": "Reversed",
            "type": 0,
            "flds": [{"name": "Answer", "ord": 0}, {"name": "Question", "ord": 1}],
        },
        str(CLOZE): {
            "name": "Cloze",
            "type": 1,
            "flds": [{"name": "Text", "ord": 0}, {"name": "Extra", "ord": 1}],
        },
    }
    decks = {"1": {"name": "Default"}, str(DECK): {"name": "Interview::Machine Learning"}}
    db.execute(
        "INSERT INTO col VALUES (1,0,0,0,11,0,0,0,'{}',?,?,'{}','{}')",
        (json.dumps(models), json.dumps(decks)),
    )
    _insert_notes(db, notes, DECK)
    return _serialised(db)


def modern_collection(notes: list[tuple] = NOTES) -> bytes:
    """A schema-18 collection: note types, fields and decks in their own tables; the note
    type's kind (1 = cloze) is field 1 of its protobuf config."""
    db = sqlite3.connect(":memory:")
    db.executescript(
        "CREATE TABLE col (id integer primary key, crt integer, mod integer, scm integer,"
        " ver integer, dty integer, usn integer, ls integer, conf text, models text,"
        " decks text, dconf text, tags text);"
        "CREATE TABLE notes (id integer primary key, guid text, mid integer, mod integer,"
        " usn integer, tags text, flds text, sfld integer, csum integer, flags integer,"
        " data text);"
        "CREATE TABLE cards (id integer primary key, nid integer, did integer, ord integer,"
        " mod integer, usn integer, type integer, queue integer, due integer, ivl integer,"
        " factor integer, reps integer, lapses integer, left integer, odue integer,"
        " odid integer, flags integer, data text);"
        "CREATE TABLE notetypes (id integer primary key, name text, mtime_secs integer,"
        " usn integer, config blob);"
        "CREATE TABLE fields (ntid integer, ord integer, name text, config blob,"
        " primary key (ntid, ord));"
        "CREATE TABLE decks (id integer primary key, name text, mtime_secs integer,"
        " usn integer, common blob, kind blob);"
    )
    css = b".card { font-family: arial; }"
    normal = b"\x1a" + bytes([len(css)]) + css  # field 3 (css) only: kind defaults to 0
    cloze = b"\x08\x01" + normal
    db.execute("INSERT INTO col VALUES (1,0,0,0,18,0,0,0,'','','','','')")
    for ntid, name, config, fields in (
        (BASIC, "Basic", normal, ["Front", "Back"]),
        (REVERSED, "Reversed", normal, ["Answer", "Question"]),
        (CLOZE, "Cloze", cloze, ["Text", "Back Extra"]),
    ):
        db.execute("INSERT INTO notetypes VALUES (?,?,0,0,?)", (ntid, name, config))
        for ord_, field in enumerate(fields):
            db.execute("INSERT INTO fields VALUES (?,?,?,x'')", (ntid, ord_, field))
    db.execute("INSERT INTO decks VALUES (1,'Default',0,0,x'',x'')")
    db.execute(
        "INSERT INTO decks VALUES (?,?,0,0,x'',x'')", (DECK, "Interview\x1fMachine Learning")
    )
    _insert_notes(db, notes, DECK)
    return _serialised(db)


def _insert_notes(db: sqlite3.Connection, notes: list[tuple], deck: int) -> None:
    for nid, guid, mid, fields, tags in notes:
        db.execute(
            "INSERT INTO notes VALUES (?,?,?,0,0,?,?,'',0,0,'')",
            (nid, guid, mid, tags, SEP.join(fields)),
        )
        db.execute(
            "INSERT INTO cards VALUES (?,?,?,0,0,0,0,0,0,0,0,0,0,0,0,0,0,'')",
            (nid * 10, nid, deck),
        )


def _serialised(db: sqlite3.Connection) -> bytes:
    db.commit()
    data = db.serialize()
    db.close()
    return data


def apkg(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def legacy_apkg(path: Path, notes: list[tuple] = NOTES) -> Path:
    return apkg(path, {"collection.anki2": legacy_collection(notes), "media": b"{}"})


def modern_apkg(path: Path, notes: list[tuple] = NOTES) -> Path:
    import zstandard

    compressed = zstandard.ZstdCompressor().compress(modern_collection(notes))
    # current exports also carry a stub legacy collection for old Anki versions: never read
    stub = [(1, "stub", BASIC, ["Please update to the latest Anki version", "x"], "")]
    return apkg(
        path,
        {
            "collection.anki2": legacy_collection(stub),
            "collection.anki21b": compressed,
            "media": zstandard.ZstdCompressor().compress(b""),
        },
    )


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under the bank's parent (bank and rubrics), by relative path."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("build", [legacy_apkg, modern_apkg], ids=["anki2", "anki21b"])
def test_each_collection_kind_gives_the_question_and_answer_notes(
    tmp_path: Path, build: object
) -> None:
    deck = build(tmp_path / "deck.apkg")  # type: ignore[operator]
    result = read_source(deck)
    overfit, forest = result.questions
    assert overfit.question == "What is overfitting?"
    assert overfit.answer == (
        "Fitting noise rather than signal:\n1. Low training error\n"
        "2. High validation error & poor generalisation"
    )
    assert overfit.topic == "machine learning" and overfit.tags == ["ml", "generalisation"]
    assert forest.question == "Why does a random forest beat one deep tree?"  # named fields
    assert forest.answer == "It averages many decorrelated trees.\nIt lowers variance."
    assert {p.where: p.message.split(":")[0] for p in result.problems} == {
        "note 103": "cloze note type 'Cloze'",
        "note 104": "the question or answer is only an image or a sound; skipped",
        "note 105": "broken HTML",
    }
    assert all(str(p).startswith(f"{deck}: note 10") for p in result.problems)
    assert dict(result.skipped) == dict.fromkeys(SKIPPED.values(), 1)
    points = derive_rubric(load_bank_question(tmp_path, deck, overfit.question)).points
    assert [p.text for p in points] == ["Low training error", overfit.answer.split("2. ")[1]]


def load_bank_question(tmp_path: Path, deck: Path, question: str) -> Question:
    root = tmp_path / "bank"
    import_files([deck], root)
    return next(q for q in load_bank(root).questions.values() if q.question == question)


def test_a_second_import_changes_nothing_and_skips_are_reported_by_note_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = modern_apkg(tmp_path / "deck.apkg")
    bank = tmp_path / "b" / "bank"
    code, out, _ = run(capsys, "--bank", str(bank), "bank", "import", str(deck))
    assert code == 1  # three notes skipped
    lines = out.splitlines()
    assert sum(line.startswith("created: ") for line in lines) == 2
    for nid, reason in SKIPPED.items():
        assert any(line.startswith(f"{deck}: note {nid}: ") for line in lines), reason
    assert "skipped 3 question(s): 1 broken HTML, 1 cloze note, 1 media only" in lines
    assert sum(line.startswith("rubric created") for line in lines) == 2
    assert lines[-1].startswith("2 created, 0 updated, 0 unchanged")
    ids = sorted(load_bank(bank).questions)
    assert all(qid.startswith("ML-") for qid in ids)
    assert sorted(p.stem for p in (tmp_path / "b" / "rubrics").glob("*.toml")) == ids
    before = snapshot(tmp_path / "b")
    code, out, _ = run(capsys, "--bank", str(bank), "bank", "import", str(deck))
    assert out.splitlines()[-1].startswith("0 created, 0 updated, 2 unchanged")
    assert snapshot(tmp_path / "b") == before
    # the legacy export of the same deck is the same questions (ids come from the note guids)
    legacy = legacy_apkg(tmp_path / "old.apkg")
    assert import_files([legacy], bank).unchanged and snapshot(tmp_path / "b") == before


def test_the_note_guid_keeps_the_id_when_the_question_is_edited(tmp_path: Path) -> None:
    bank = tmp_path / "bank"
    import_files([legacy_apkg(tmp_path / "v1.apkg")], bank)
    first = {q.question: q.id for q in load_bank(bank).questions.values()}
    edited = [list(note) for note in NOTES]
    edited[0][3] = ["What is overfitting, and how do you spot it?", NOTES[0][3][1]]
    v2 = legacy_apkg(tmp_path / "v2.apkg", [tuple(n) for n in edited])
    report = import_files([v2], bank)
    (conflict,) = report.conflicts
    assert conflict.where == "note 101" and "--replace" in conflict.message
    report = import_files([v2], bank, replace=True)
    assert [p.stem for p in report.updated] == [first["What is overfitting?"]]
    assert len(load_bank(bank).questions) == 2


def test_the_database_is_read_in_memory_or_from_a_private_temp_dir_removed_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = legacy_apkg(tmp_path / "deck.apkg")
    temp_root = tmp_path / "tmp"
    temp_root.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temp_root))
    monkeypatch.setattr(anki, "IN_MEMORY", False)  # as on an SQLite without deserialize
    seen: list[Path] = []
    real = sqlite3.connect

    def spy(database: str, *args: object, **kwargs: object) -> sqlite3.Connection:
        seen.append(Path(database.removeprefix("file:").split("?")[0]))
        return real(database, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(anki.sqlite3, "connect", spy)
    assert len(read_source(deck).questions) == 2
    (used,) = seen
    assert used.parent.parent == temp_root and used.parent.name.startswith("mockinterview-")
    assert list(temp_root.iterdir()) == []  # removed after
    assert not (tmp_path / "collection.anki2").exists()


def _truncated(path: Path, tmp_path: Path) -> Path:
    data = legacy_apkg(tmp_path / "whole.apkg").read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _no_collection(path: Path, tmp_path: Path) -> Path:
    return apkg(path, {"media": b"{}", "notes.txt": b"hello"})


def _not_anki(path: Path, tmp_path: Path) -> Path:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE people (name text)")
    return apkg(path, {"collection.anki2": _serialised(db)})


def _bare_sqlite(path: Path, tmp_path: Path) -> Path:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE invoices (total real)")
    path.write_bytes(_serialised(db))
    return path


def _oversized(path: Path, tmp_path: Path) -> Path:
    with path.open("wb") as out:  # sparse: no 50 MB written
        out.truncate(MAX_SOURCE_BYTES + 1)
    return path


def _junk(path: Path, tmp_path: Path) -> Path:
    path.write_bytes(bytes(range(256)) * 8)
    return path


def _damaged_zstd(path: Path, tmp_path: Path) -> Path:
    return apkg(path, {"collection.anki21b": b"\x28\xb5\x2f\xfd" + b"\x00garbage" * 20})


def _broken_html_only(path: Path, tmp_path: Path) -> Path:
    return legacy_apkg(path, [NOTES[4]])


@pytest.mark.parametrize(
    ("make", "name", "message"),
    [
        (_truncated, "cut.apkg", "the zip archive is truncated or damaged"),
        (_no_collection, "empty.apkg", "no Anki collection in the archive"),
        (_not_anki, "people.apkg", "is an SQLite database but not an Anki collection"),
        (_bare_sqlite, "ledger.sqlite", "but not an Anki collection (tables: invoices)"),
        (_oversized, "huge.apkg", "over the 50 MB limit"),
        (_junk, "junk.bin", "binary data (NUL bytes), not a text file"),
        (_damaged_zstd, "bad.apkg", "cannot be decompressed: damaged zstd data"),
        (_broken_html_only, "html.apkg", "note 105: broken HTML: unterminated tag"),
    ],
)
def test_malformed_decks_end_in_a_named_error_and_leave_the_bank_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: object, name: str, message: str
) -> None:
    bank = tmp_path / "b" / "bank"
    good = legacy_apkg(tmp_path / "good.apkg")
    run(capsys, "--bank", str(bank), "bank", "import", str(good))
    before = snapshot(tmp_path / "b")
    bad = make(tmp_path / name, tmp_path)  # type: ignore[operator]
    code, out, err = run(capsys, "--bank", str(bank), "bank", "import", str(bad))
    assert code == 1 and not err
    assert f"{bad}" in out and message in out
    assert snapshot(tmp_path / "b") == before
    assert not list((tmp_path / "b").rglob("*.tmp"))


def test_format_apkg_forced_on_a_text_file_is_a_named_error(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("What is bias?\tThe error of wrong assumptions.\n")
    (problem,) = read_source(text, "apkg").problems
    assert "not a readable .apkg" in str(problem) and str(problem).startswith(f"{text}:")
    assert "nothing imported from this file" in problem.message


def test_field_names_can_be_chosen_with_the_column_map(tmp_path: Path) -> None:
    deck = legacy_apkg(tmp_path / "deck.apkg", [NOTES[1]])
    (entry,) = read_source(deck, columns={"question": "Answer", "answer": "Question"}).questions
    assert entry.question.startswith("It averages")
