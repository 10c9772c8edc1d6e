"""Anki `.apkg` decks: a zip holding the collection, an SQLite database. The legacy
`collection.anki2`/`collection.anki21` keep note types as JSON in `col.models`; the current
`collection.anki21b` is zstd-compressed and keeps them in the `notetypes` and `fields` tables.
A note's fields are `notes.flds` split on 0x1f; the field named Front/Question (else the first)
is the question, Back/Answer (else the second) the answer, both HTML turned into text. The note
guid gives the stable id, so an edited question keeps it.

Nothing is extracted to disk: the database is read from memory (`sqlite3` deserialize), or from
a temporary file in a private temporary folder that is removed straight after."""

from __future__ import annotations

import contextlib
import io
import json
import re
import sqlite3
import tempfile
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mockinterview.bank.importers import Imported, ReadResult, SourceError
from mockinterview.bank.importers.delimited import anki_tags, deck_topic
from mockinterview.bank.importers.html_text import UnreadablePair, pair_to_text
from mockinterview.bank.importers.ids import guid_key, question_key
from mockinterview.bank.importers.tabular import _title_from

SQLITE_MAGIC = b"SQLite format 3\x00"
ZIP_MAGIC = b"PK\x03\x04"
COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
MAX_COLLECTION_BYTES = 512 * 1024 * 1024  # unpacked: a zip bomb is refused, not read
_QUESTION_FIELDS = ("front", "question", "q", "prompt", "term")
_ANSWER_FIELDS = ("back", "answer", "a", "response", "definition")
_CLOZE = re.compile(r"\{\{c\d+::")
CLOZE_KIND = 1
IN_MEMORY = True  # False: read through a private temporary file (as without `deserialize`)


@dataclass
class _NoteType:
    name: str
    kind: int  # 0 standard, 1 cloze
    fields: list[str]


def looks_like_apkg(data: bytes) -> bool:
    return data.startswith(ZIP_MAGIC) or data.startswith(SQLITE_MAGIC)


def read_apkg(path: Path, data: bytes, columns: Mapping[str, str] | None = None) -> ReadResult:
    """The notes of an .apkg (or of a bare collection file); raises SourceError when the file
    is no readable Anki deck. Cloze, media-only and empty notes are skipped by note id."""
    if data.startswith(SQLITE_MAGIC):
        blob, member = data, path.name
    else:
        blob, member = _collection_bytes(path, data)
    try:
        with _open_sqlite(blob) as db:
            note_types, decks, note_decks, notes = _read_collection(db, path, member)
    except sqlite3.DatabaseError as exc:
        raise SourceError(path, 0, f"{member} is not a readable SQLite database ({exc})") from None
    result = ReadResult()
    for nid, guid, mid, tags, flds in notes:
        _add_note(
            path,
            result,
            note_types,
            (nid, guid, mid, tags, flds),
            decks.get(note_decks.get(nid, -1), ""),
            columns or {},
        )
    return result


def _collection_bytes(path: Path, data: bytes) -> tuple[bytes, str]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise SourceError(
            path, 0, f"not a readable .apkg: the zip archive is truncated or damaged ({exc})"
        ) from None
    with archive:
        names = archive.namelist()
        member = next((name for name in COLLECTIONS if name in names), None)
        if member is None:
            shown = ", ".join(names[:8]) + (" …" if len(names) > 8 else "") or "nothing"
            raise SourceError(
                path,
                0,
                f"no Anki collection in the archive (expected {' or '.join(COLLECTIONS)}; "
                f"it holds: {shown})",
            )
        info = archive.getinfo(member)
        if info.file_size > MAX_COLLECTION_BYTES:
            raise SourceError(
                path, 0, f"{member} unpacks to {info.file_size} bytes, over the 512 MB limit"
            )
        try:
            blob = archive.read(member)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            raise SourceError(
                path, 0, f"{member} cannot be unpacked: the archive is damaged ({exc})"
            ) from None
    if member.endswith("b"):
        blob = _unzstd(path, member, blob)
    if not blob.startswith(SQLITE_MAGIC):
        raise SourceError(path, 0, f"{member} is not an SQLite database")
    return blob, member


def _unzstd(path: Path, member: str, blob: bytes) -> bytes:
    try:
        import zstandard
    except ImportError:
        raise SourceError(
            path, 0, f"{member} is zstd-compressed and the 'zstandard' package is not installed"
        ) from None
    reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(blob))
    chunks: list[bytes] = []
    size = 0
    try:
        while chunk := reader.read(1 << 20):
            size += len(chunk)
            if size > MAX_COLLECTION_BYTES:
                raise SourceError(path, 0, f"{member} unpacks to over the 512 MB limit")
            chunks.append(chunk)
    except zstandard.ZstdError as exc:
        raise SourceError(
            path, 0, f"{member} cannot be decompressed: damaged zstd data ({exc})"
        ) from None
    return b"".join(chunks)


@contextlib.contextmanager
def _open_sqlite(blob: bytes) -> Iterator[sqlite3.Connection]:
    """The database in memory; where `deserialize` is missing, a temporary file in a private
    folder (mode 0700) that is deleted on the way out."""
    if IN_MEMORY and hasattr(sqlite3.Connection, "deserialize"):
        db = sqlite3.connect(":memory:")
        try:
            db.deserialize(blob)
            yield db
        finally:
            db.close()
        return
    with tempfile.TemporaryDirectory(prefix="mockinterview-apkg-") as folder:
        file = Path(folder) / "collection.sqlite"
        file.write_bytes(blob)
        db = sqlite3.connect(f"{file.as_uri()}?mode=ro", uri=True)
        try:
            yield db
        finally:
            db.close()


def _read_collection(
    db: sqlite3.Connection, path: Path, member: str
) -> tuple[dict[int, _NoteType], dict[int, str], dict[int, int], list[tuple[Any, ...]]]:
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "notes" not in tables or not ({"notetypes", "fields"} <= tables or "col" in tables):
        shown = ", ".join(sorted(tables)) or "none"
        raise SourceError(
            path, 0, f"{member} is an SQLite database but not an Anki collection (tables: {shown})"
        )
    if {"notetypes", "fields"} <= tables:
        note_types, decks = _modern_types(db), _modern_decks(db, tables)
    else:
        note_types, decks = _legacy_types_and_decks(db, path, member)
    note_decks: dict[int, int] = {}
    if "cards" in tables:
        for nid, did in db.execute("SELECT nid, did FROM cards ORDER BY ord DESC, id DESC"):
            note_decks[nid] = did  # the first card's deck wins (read last)
    notes = list(db.execute("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id"))
    return note_types, decks, note_decks, notes


def _modern_types(db: sqlite3.Connection) -> dict[int, _NoteType]:
    types = {
        ntid: _NoteType(str(name), _kind(config or b""), [])
        for ntid, name, config in db.execute("SELECT id, name, config FROM notetypes")
    }
    for ntid, _ord, name in db.execute("SELECT ntid, ord, name FROM fields ORDER BY ntid, ord"):
        if ntid in types:
            types[ntid].fields.append(str(name))
    return types


def _modern_decks(db: sqlite3.Connection, tables: set[str]) -> dict[int, str]:
    if "decks" not in tables:
        return {}
    return {did: str(name) for did, name in db.execute("SELECT id, name FROM decks")}


def _legacy_types_and_decks(
    db: sqlite3.Connection, path: Path, member: str
) -> tuple[dict[int, _NoteType], dict[int, str]]:
    row = db.execute("SELECT models, decks FROM col LIMIT 1").fetchone()
    if row is None:
        raise SourceError(path, 0, f"{member}: the 'col' table is empty (no note types)")
    try:
        models, decks = json.loads(row[0] or "{}"), json.loads(row[1] or "{}")
    except (json.JSONDecodeError, TypeError) as exc:
        raise SourceError(path, 0, f"{member}: col.models/decks is not JSON ({exc})") from None
    if not isinstance(models, dict) or not isinstance(decks, dict):
        raise SourceError(path, 0, f"{member}: col.models/decks is not a JSON object")
    types: dict[int, _NoteType] = {}
    for mid, model in models.items():
        if not isinstance(model, dict):
            continue
        flds = model.get("flds")
        fields: list[Any] = flds if isinstance(flds, list) else []
        ordered = sorted(
            (f for f in fields if isinstance(f, dict)), key=lambda f: f.get("ord", 0) or 0
        )
        with contextlib.suppress(ValueError, TypeError):
            types[int(mid)] = _NoteType(
                str(model.get("name", "")),
                int(model.get("type", 0) or 0),
                [str(f.get("name", "")) for f in ordered],
            )
    names: dict[int, str] = {}
    for did, deck in decks.items():
        if isinstance(deck, dict):
            with contextlib.suppress(ValueError, TypeError):
                names[int(did)] = str(deck.get("name", ""))
    return types, names


def _kind(config: bytes) -> int:
    """Field 1 (`kind`, 0 normal, 1 cloze) of the NotetypeConfig protobuf; 0 when absent."""
    pos = 0

    def varint() -> int:
        nonlocal pos
        shift = value = 0
        while pos < len(config):
            byte = config[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return value
            shift += 7
        raise ValueError("truncated varint")

    try:
        while pos < len(config):
            key = varint()
            number, wire = key >> 3, key & 7
            if wire == 0:
                value = varint()
                if number == 1:
                    return value
            elif wire == 1:
                pos += 8
            elif wire == 2:
                pos += varint()
            elif wire == 5:
                pos += 4
            else:
                return 0
    except ValueError:
        return 0
    return 0


def _field_index(names: list[str], role: str, columns: Mapping[str, str], default: int) -> int:
    lowered = [n.strip().lower() for n in names]
    wanted = columns.get(role)
    if wanted:
        if wanted.isdigit():
            return int(wanted) - 1
        return lowered.index(wanted.lower()) if wanted.lower() in lowered else -1
    candidates = _QUESTION_FIELDS if role == "question" else _ANSWER_FIELDS
    return next((lowered.index(c) for c in candidates if c in lowered), default)


def _add_note(
    path: Path,
    result: ReadResult,
    note_types: dict[int, _NoteType],
    note: tuple[Any, ...],
    deck: str,
    columns: Mapping[str, str],
) -> None:
    nid, guid, mid, tags, flds = note
    where = f"note {nid}"

    def skip(reason: str, detail: str) -> None:
        result.skip(path, 0, reason, detail, where=where)

    kind = note_types.get(mid)
    if kind is None:
        skip("unknown note type", f"note type {mid} is not in the collection")
        return
    fields = str(flds or "").split("\x1f")
    if kind.kind == CLOZE_KIND or any(_CLOZE.search(f) for f in fields):
        skip("cloze note", f"cloze note type {kind.name!r}: fill-in-the-blanks, not Q&A")
        return
    names = kind.fields or [str(n) for n in range(1, len(fields) + 1)]
    q_index = _field_index(names, "question", columns, 0)
    a_index = _field_index(names, "answer", columns, 1 if q_index != 1 else 0)
    if not 0 <= q_index < len(fields) or not 0 <= a_index < len(fields) or q_index == a_index:
        skip(
            "no answer field",
            f"note type {kind.name!r} has fields {names}: no separate question and answer field",
        )
        return
    try:
        question, answer = pair_to_text(fields[q_index], fields[a_index])
    except UnreadablePair as why:
        skip(why.reason, why.detail)
        return
    if not question or not answer:
        empty = " and ".join(n for n, v in (("question", question), ("answer", answer)) if not v)
        skip(f"empty {empty}", f"empty {empty} field")
        return
    entry = Imported(
        id="",
        title=_title_from(question),
        question=question,
        answer=answer,
        path=path,
        line=0,
        key=guid_key(str(guid)) if guid else question_key(question),
        note=where,
    )
    topic = deck_topic(deck) if deck else ""
    if topic:
        entry.topic = topic
        entry.explicit.add("topic")
    tag_list = anki_tags(str(tags or ""))
    if tag_list:
        entry.tags = tag_list
        entry.explicit.add("tags")
    result.questions.append(entry)
