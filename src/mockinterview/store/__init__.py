"""The attempts store: SQLite with WAL and numbered migrations.

Everything the candidate did lives here: sessions, graded attempts, autosaved drafts, re-grades
and the LLM grade cache. A database that cannot be read is reported and never overwritten.

Every SQL statement of the project is in this package: `Store` (here) opens and migrates the
database and writes to it; `attempts` holds the queries that return attempts, `figures` those
behind the progress figures; `records` the types they return; `schema` the migrations.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # Windows: sessions are not locked (two apps there may both offer one)
    fcntl = None  # type: ignore[assignment]

from mockinterview.errors import MockInterviewError
from mockinterview.models import Grade
from mockinterview.store import attempts as attempt_queries
from mockinterview.store.records import (
    Attempt,
    AttemptSummary,
    Draft,
    FollowUpDraft,
    FollowUpRecord,
    Session,
    json_or_none,
    session_from_row,
)
from mockinterview.store.schema import MIGRATIONS

__all__ = [
    "MIGRATIONS",
    "Attempt",
    "AttemptSummary",
    "Draft",
    "FollowUpDraft",
    "FollowUpRecord",
    "Session",
    "Store",
    "StoreError",
    "now_iso",
]


class StoreError(MockInterviewError):
    """The database cannot be opened, read or written; the message names the file and what to
    do. `reason` is SQLite's own words ("database is locked"), `busy` says another connection
    holds the write lock (worth retrying soon), `damaged` that the file itself is unreadable."""

    def __init__(
        self, message: str, *, path: Path | None = None, reason: str = "", code: str = ""
    ) -> None:
        super().__init__(message)
        self.path = path
        self.reason = reason or message
        self.code = code

    @property
    def busy(self) -> bool:
        return self.code in ("SQLITE_BUSY", "SQLITE_LOCKED") or "locked" in self.reason

    @property
    def damaged(self) -> bool:
        return self.code in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or "malformed" in self.reason


def _store_error(exc: sqlite3.Error | OSError, path: Path | None, doing: str) -> StoreError:
    """A StoreError naming the file, what failed and SQLite's reason (kept for the app)."""
    reason = str(exc) or type(exc).__name__
    code = getattr(exc, "sqlite_errorname", "") or ""
    where = path or ":memory:"
    return StoreError(
        f"{where}: could not {doing} ({reason}).", path=path, reason=reason, code=code
    )


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _statements(script: str) -> Iterator[str]:
    """The statements of a migration script; a trigger body's `;` does not end its statement."""
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \t\n;"):
                yield pending
            pending = ""
    if pending.strip(" \t\n;"):
        yield pending


class Store:
    """A connection to one attempts database. Use `Store.open(path)`; `":memory:"` for tests."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self.conn = conn
        self.path = path
        self._transaction_depth = 0
        self._transaction_owner: int | None = None
        self._held: dict[int, int | None] = {}  # session id -> its lock file's descriptor

    @classmethod
    def open(cls, path: Path | str, *, busy_timeout: float = 5.0) -> Store:
        """Open (creating and migrating) the database; `busy_timeout` is how long a write
        waits for another connection's write lock before failing with a `busy` StoreError."""
        target = None if str(path) == ":memory:" else Path(path)
        try:
            if target is not None:
                target.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), timeout=busy_timeout, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys=ON")
            if target is not None:
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            store = cls(conn, target)
            store._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{path}: cannot use the attempts database ({exc}). It was left untouched; "
                "move it aside or pass --data-dir to start a fresh one."
            ) from exc
        except OSError as exc:
            raise StoreError(f"{path}: cannot create the attempts database ({exc}).") from exc
        return store

    def close(self) -> None:
        """Close the connection and let go of every session this store held."""
        for session_id in list(self._held):
            self.release_session(session_id)
        self.conn.close()

    def set_busy_timeout(self, seconds: float) -> None:
        """How long a write waits for another connection's lock: the app keeps it short and
        retries in the background, so a held lock never freezes the screen."""
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute(f"PRAGMA busy_timeout = {max(0, int(seconds * 1000))}")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Writes inside this block are one transaction: all of them are saved or none (a
        recorded attempt never stays without its session moving on). Nested blocks join the
        outer one; a failure raises StoreError and leaves the database as it was."""
        me = threading.get_ident()
        if self._transaction_depth and self._transaction_owner == me:
            self._transaction_depth += 1
            try:
                yield
            finally:
                self._transaction_depth -= 1
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _store_error(exc, self.path, "save") from exc
        self._transaction_depth, self._transaction_owner = 1, me
        try:
            yield
            self.conn.commit()
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):
                self.conn.rollback()
            if isinstance(exc, sqlite3.Error):
                raise _store_error(exc, self.path, "save") from exc
            raise
        finally:
            self._transaction_depth, self._transaction_owner = 0, None

    @contextlib.contextmanager
    def _reading(self) -> Iterator[None]:
        """A read that fails (a damaged page, a vanished file) raises StoreError, not sqlite3's."""
        try:
            yield
        except sqlite3.Error as exc:
            raise _store_error(exc, self.path, "read the attempts database") from exc

    # --- which sessions are open in a live process --------------------------------------------

    def _lock_path(self, session_id: int) -> Path | None:
        if self.path is None or fcntl is None:
            return None
        return self.path.parent / "locks" / f"session-{session_id}.lock"

    def claim_session(self, session_id: int) -> bool:
        """Hold the session for as long as this store is open (or until it is finished): a
        second app on the same data dir does not offer it for resume. False when another live
        process holds it. The lock (`flock` on `locks/session-<id>.lock`) dies with the
        process, so a killed app's session is offered again at once."""
        if session_id in self._held:
            return True
        path = self._lock_path(session_id)
        if path is None:
            self._held[session_id] = None
            return True
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:  # a read-only data dir: no lock, as before locks existed
            self._held[session_id] = None
            return True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        with contextlib.suppress(OSError):  # for a person looking: which process holds it
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        self._held[session_id] = fd
        return True

    def session_in_use(self, session_id: int) -> bool:
        """True when another live process holds the session (see `claim_session`)."""
        if session_id in self._held:
            return False
        path = self._lock_path(session_id)
        if path is None:
            return False
        try:
            fd = os.open(path, os.O_RDWR)
        except OSError:
            return False  # no lock file: nobody has it open
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)
            return False
        finally:
            os.close(fd)

    def release_session(self, session_id: int, *, ended: bool = False) -> None:
        """Let go of a held session; `ended` (finished or abandoned) also removes its lock file."""
        fd = self._held.pop(session_id, None)
        if fd is None:
            return
        path = self._lock_path(session_id)
        if ended and path is not None:
            with contextlib.suppress(OSError):
                path.unlink()
        with contextlib.suppress(OSError):
            os.close(fd)

    # --- migrations -------------------------------------------------------------------------

    def _migrate(self) -> None:
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        applied = {row[0] for row in self.conn.execute("SELECT version FROM schema_migrations")}
        if applied and max(applied) > len(MIGRATIONS):
            raise StoreError(
                f"{self.path}: written by a newer mockinterview (schema {max(applied)}); "
                "upgrade mockinterview to use it."
            )
        for number, script in enumerate(MIGRATIONS, start=1):
            if number in applied:
                continue
            with self.conn:
                # One write transaction per migration: a crash leaves none of it behind, and
                # a second process opening the same file waits, then sees it applied.
                self.conn.execute("BEGIN IMMEDIATE")
                if self.conn.execute(
                    "SELECT 1 FROM schema_migrations WHERE version = ?", (number,)
                ).fetchone():
                    continue
                for statement in _statements(script):
                    self.conn.execute(statement)
                self.conn.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?)", (number, now_iso())
                )

    @property
    def schema_version(self) -> int:
        row = self.conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
        return int(row[0] or 0)

    def _write(self, sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        try:
            if self._transaction_depth and self._transaction_owner == threading.get_ident():
                return self.conn.execute(sql, params)  # part of `transaction()`: it commits
            with self.conn:
                return self.conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise _store_error(exc, self.path, "save") from exc

    # --- sessions ---------------------------------------------------------------------------

    def start_session(self, question_ids: list[str], settings: dict[str, Any]) -> int:
        """A new active session, held by this store (see `claim_session`)."""
        cur = self._write(
            "INSERT INTO sessions (started_at, settings, question_ids) VALUES (?, ?, ?)",
            (now_iso(), json.dumps(settings), json.dumps(question_ids)),
        )
        session_id = int(cur.lastrowid or 0)
        self.claim_session(session_id)
        return session_id

    def advance_session(self, session_id: int, position: int) -> None:
        self._write("UPDATE sessions SET position = ? WHERE id = ?", (position, session_id))

    def finish_session(self, session_id: int, status: str = "finished") -> None:
        self._write(
            "UPDATE sessions SET status = ?, finished_at = ? WHERE id = ?",
            (status, now_iso(), session_id),
        )
        if not self._transaction_depth:  # else once the transaction is committed (see below)
            self.release_session(session_id, ended=True)

    def session(self, session_id: int) -> Session | None:
        with self._reading():
            row = self.conn.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
            return session_from_row(row) if row else None

    def resumable_session(self) -> Session | None:
        """The newest session left active (quit or crashed mid-way), if any, that no other live
        process has open: two apps on one data dir never both run the same session."""
        with self._reading():
            rows = self.conn.execute(
                "SELECT * FROM sessions WHERE status = 'active' ORDER BY id DESC"
            )
            for row in rows:
                if not self.session_in_use(int(row["id"])):
                    return session_from_row(row)
        return None

    def sessions(self, limit: int | None = None) -> list[Session]:
        sql = "SELECT * FROM sessions ORDER BY id DESC" + (" LIMIT ?" if limit else "")
        with self._reading():
            return [session_from_row(r) for r in self.conn.execute(sql, (limit,) if limit else ())]

    # --- attempts ---------------------------------------------------------------------------

    def record_attempt(
        self,
        *,
        question_id: str,
        answer: str,
        grade: Grade | None,
        rubric_hash: str | None,
        started_at: str,
        seconds: float,
        session_id: int | None = None,
        hints: list[str] | None = None,
        skipped: bool = False,
        origin: str = "tui",
    ) -> int:
        from mockinterview.models import text_hash

        extra = grade.extra if grade else {}
        cur = self._write(
            "INSERT INTO attempts (session_id, question_id, answer, score, grade, grader, model, "
            "prompt_version, rubric_hash, answer_hash, started_at, submitted_at, seconds, hints, "
            "skipped, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                session_id,
                question_id,
                answer,
                None if grade is None or skipped else grade.score,
                json.dumps(grade.to_dict()) if grade else None,
                grade.grader if grade else "none",
                extra.get("model"),
                extra.get("prompt_version"),
                rubric_hash,
                text_hash(answer),
                started_at,
                now_iso(),
                seconds,
                json.dumps(hints or []),
                int(skipped),
                origin,
            ),
        )
        return int(cur.lastrowid or 0)

    def attempts(
        self,
        *,
        question_id: str | None = None,
        session_id: int | None = None,
        limit: int | None = None,
        newest_first: bool = True,
    ) -> list[Attempt]:
        """Attempts with their answers and grades, in time order (see `store.attempts`)."""
        with self._reading():
            return attempt_queries.attempts(
                self,
                question_id=question_id,
                session_id=session_id,
                limit=limit,
                newest_first=newest_first,
            )

    def attempt(self, attempt_id: int) -> Attempt | None:
        with self._reading():
            return attempt_queries.attempt(self, attempt_id)

    # --- re-grades --------------------------------------------------------------------------

    def record_regrade(self, attempt_id: int, grade: Grade, rubric_hash: str | None) -> int:
        """Keep a new grade beside the original; the attempt row itself is never rewritten."""
        cur = self._write(
            "INSERT INTO regrades (attempt_id, score, grade, grader, rubric_hash, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                attempt_id,
                grade.score,
                json.dumps(grade.to_dict()),
                grade.grader,
                rubric_hash,
                now_iso(),
            ),
        )
        return int(cur.lastrowid or 0)

    def regrades(self, attempt_id: int) -> list[tuple[str, Grade]]:
        rows = self.conn.execute(
            "SELECT created_at, grade FROM regrades WHERE attempt_id = ? ORDER BY id",
            (attempt_id,),
        )
        return [(r["created_at"], Grade.from_dict(json.loads(r["grade"]))) for r in rows]

    # --- corrections ------------------------------------------------------------------------

    def set_correction(self, attempt_id: int, grade: Grade | None) -> None:
        """Keep the candidate's corrected grade beside the automatic ones, which are never
        rewritten; None removes the correction (the automatic grade counts again)."""
        self._write(
            "UPDATE attempts SET corrected_score = ?, corrected_grade = ? WHERE id = ?",
            (
                None if grade is None else grade.score,
                None if grade is None else json.dumps(grade.to_dict()),
                attempt_id,
            ),
        )

    def corrected_attempt_rows(self) -> list[sqlite3.Row]:
        """Attempts the candidate corrected (id, question_id, corrected_grade), oldest first."""
        return self.conn.execute(
            "SELECT id, question_id, corrected_grade FROM attempts"
            " WHERE corrected_grade IS NOT NULL AND skipped = 0 ORDER BY submitted_at, id"
        ).fetchall()

    # --- follow-ups -------------------------------------------------------------------------

    def record_follow_up(
        self,
        attempt_id: int,
        follow_up: FollowUpRecord,
        merged: Grade | None = None,
    ) -> None:
        """Keep the follow-up of an attempt and, when it raised points, the attempt's merged
        grade (its points and score then count in every figure and in the practice queue),
        in one transaction: both are saved or neither, and the follow-up's draft is dropped.
        A second follow-up replaces the first."""
        with self.transaction():
            self._write("DELETE FROM follow_up_drafts WHERE attempt_id = ?", (attempt_id,))
            self._write(
                "INSERT OR REPLACE INTO follow_ups (attempt_id, question, source, point_ids,"
                " status, answer, grade, score_before, raised, seconds, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    attempt_id,
                    follow_up.question,
                    follow_up.source,
                    json.dumps(follow_up.point_ids),
                    follow_up.status,
                    follow_up.answer,
                    None if follow_up.grade is None else json.dumps(follow_up.grade.to_dict()),
                    follow_up.score_before,
                    json.dumps(follow_up.raised),
                    follow_up.seconds,
                    now_iso(),
                ),
            )
            if merged is not None:
                self._write(
                    "UPDATE attempts SET grade = ?, score = ? WHERE id = ? AND skipped = 0",
                    (json.dumps(merged.to_dict()), merged.score, attempt_id),
                )

    def follow_up(self, attempt_id: int) -> FollowUpRecord | None:
        """The follow-up of an attempt, if one was asked."""
        with self._reading():
            return attempt_queries.follow_up(self, attempt_id)

    def save_follow_up_draft(self, draft: FollowUpDraft) -> None:
        """Keep the answer to a follow-up as it is typed (one per attempt, the newest)."""
        self._write(
            "INSERT OR REPLACE INTO follow_up_drafts (attempt_id, question, source, point_ids,"
            " focus, text, seconds, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                draft.attempt_id,
                draft.question,
                draft.source,
                json.dumps(draft.point_ids),
                draft.focus,
                draft.text,
                draft.seconds,
                now_iso(),
            ),
        )

    def follow_up_draft(self, attempt_id: int) -> FollowUpDraft | None:
        """The follow-up of an attempt being answered when the app last stopped, if any."""
        with self._reading():
            row = self.conn.execute(
                "SELECT * FROM follow_up_drafts WHERE attempt_id = ?", (attempt_id,)
            ).fetchone()
        if not row:
            return None
        point_ids = json_or_none(row["point_ids"])
        return FollowUpDraft(
            attempt_id=int(row["attempt_id"]),
            question=str(row["question"]),
            source=str(row["source"] or "offline"),
            point_ids=[str(p) for p in point_ids] if isinstance(point_ids, list) else [],
            focus=row["focus"],
            text=str(row["text"] or ""),
            seconds=float(row["seconds"] or 0.0),
            updated_at=str(row["updated_at"]),
        )

    def settle_follow_up_drafts(self) -> int:
        """Record as skipped, with the text typed so far, every follow-up draft whose session
        can no longer be resumed (finished, abandoned, or none): the app was killed while the
        last question's follow-up was being answered. The text then shows with its attempt in
        the review and the exports. Returns how many were settled."""
        settled = (
            "SELECT d.attempt_id FROM follow_up_drafts d JOIN attempts a ON a.id = d.attempt_id"
            " LEFT JOIN sessions s ON s.id = a.session_id WHERE s.status IS NOT 'active'"
        )
        with self.transaction():
            cur = self._write(
                "INSERT OR IGNORE INTO follow_ups (attempt_id, question, source, point_ids,"
                " status, answer, grade, score_before, raised, seconds, created_at)"
                " SELECT attempt_id, question, source, point_ids, 'skipped', text, NULL, NULL,"
                f" '[]', seconds, updated_at FROM follow_up_drafts WHERE attempt_id IN ({settled})"
            )
            self._write(f"DELETE FROM follow_up_drafts WHERE attempt_id IN ({settled})")
        return max(0, cur.rowcount)

    # --- drafts -----------------------------------------------------------------------------

    def save_draft(
        self, session_id: int, question_id: str, text: str, started_at: str, hints: list[str]
    ) -> None:
        self._write(
            "INSERT INTO drafts (session_id, question_id, text, started_at, updated_at, hints) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(session_id, question_id) DO UPDATE SET "
            "text = excluded.text, updated_at = excluded.updated_at, hints = excluded.hints",
            (session_id, question_id, text, started_at, now_iso(), json.dumps(hints)),
        )

    def draft(self, session_id: int, question_id: str) -> Draft | None:
        with self._reading():
            row = self.conn.execute(
                "SELECT * FROM drafts WHERE session_id = ? AND question_id = ?",
                (session_id, question_id),
            ).fetchone()
        if not row:
            return None
        return Draft(
            session_id=row["session_id"],
            question_id=row["question_id"],
            text=row["text"],
            started_at=row["started_at"],
            updated_at=row["updated_at"],
            hints=json.loads(row["hints"]),
        )

    def delete_draft(self, session_id: int, question_id: str) -> None:
        self._write(
            "DELETE FROM drafts WHERE session_id = ? AND question_id = ?",
            (session_id, question_id),
        )

    # --- LLM grade cache --------------------------------------------------------------------

    def cached_grade(self, key: str) -> Grade | None:
        row = self.conn.execute("SELECT grade FROM llm_cache WHERE key = ?", (key,)).fetchone()
        return Grade.from_dict(json.loads(row["grade"])) if row else None

    def cache_grade(self, key: str, grade: Grade) -> None:
        self._write(
            "INSERT OR REPLACE INTO llm_cache (key, grade, created_at) VALUES (?, ?, ?)",
            (key, json.dumps(grade.to_dict()), now_iso()),
        )
