"""The fast progress figures equal the straightforward ones they replaced.

The progress screen used to parse every grade's JSON in SQL per query and replay every card
through `fsrs.Scheduler`; it now reads `grade_points` (rows kept by triggers), one time-ordered
scan and an inlined FSRS replay. The slow versions are kept here, verbatim in substance, as
oracles: every figure must come out identical on a store with re-grades, skips, damaged grades,
odd point ids and questions gone from the bank, and on a database upgraded from schema 1.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mockinterview.review import sample, schedule, stats
from mockinterview.review.progress import progress_data
from mockinterview.review.rows import NOT_IN_BANK
from mockinterview.store import MIGRATIONS, Store, _statements
from mockinterview.store.attempts import CURRENT_SCORE, LATEST_REGRADE_JOIN
from test_review_support import library_replay

# The current grade in SQL, as the figures read it before grade_points.
CURRENT_GRADE = "COALESCE(a.corrected_grade, r.grade, a.grade)"


def safe_json(expression: str) -> str:
    """SQL for a JSON column that reads as `{}` when damaged, so json_each never raises."""
    return f"CASE WHEN json_valid({expression}) THEN {expression} ELSE '{{}}' END"


# --- the oracles: the queries and replays as they were before grade_points -----------------


def current_sql(store: Store) -> tuple[str, str]:
    """The current score and grade in SQL: with the candidate's corrections (schema 3) when
    the database has their columns, else as schemas 1 and 2 read them."""
    columns = {row[1] for row in store.conn.execute("PRAGMA table_info(attempts)")}
    if "corrected_score" in columns:
        return CURRENT_SCORE, CURRENT_GRADE
    return (
        "CASE WHEN a.skipped THEN NULL ELSE COALESCE(r.score, a.score) END",
        "COALESCE(r.grade, a.grade)",
    )


def old_scores_in_order(store: Store) -> list[tuple[str, float]]:
    current_score, _ = current_sql(store)
    sql = (
        f"SELECT a.question_id, {current_score} AS score FROM attempts a {LATEST_REGRADE_JOIN}"
        " ORDER BY a.submitted_at, a.id"
    )
    return [(qid, score) for qid, score in store.conn.execute(sql) if score is not None]


def old_question_progress(store: Store) -> dict[str, stats.Progress]:
    progress: dict[str, stats.Progress] = {}
    for qid, count in store.conn.execute(
        "SELECT question_id, COUNT(*) FROM attempts GROUP BY question_id"
    ):
        progress[qid] = stats.Progress(qid, attempts=count)
    for qid, score in old_scores_in_order(store):
        progress[qid].scores.append(float(score))
    return progress


def old_topic_progress(store: Store, bank: sample.SampleBank | None) -> dict[str, stats.Progress]:
    questions = bank.questions if bank is not None else {}

    def topic_of(qid: str) -> str:
        question = questions.get(qid)
        return question.topic if question is not None else NOT_IN_BANK

    topics: dict[str, stats.Progress] = {}
    for qid, item in old_question_progress(store).items():
        topic = topics.setdefault(topic_of(qid), stats.Progress(topic_of(qid), questions=0))
        topic.attempts += item.attempts
        topic.questions += 1
    for qid, score in old_scores_in_order(store):
        topics[topic_of(qid)].scores.append(float(score))
    return topics


def old_most_missed(store: Store, limit: int = 10) -> list[stats.MissedPoint]:
    _, grade = current_sql(store)
    sql = (
        "SELECT a.question_id AS qid, json_extract(p.value, '$.id') AS pid,"
        " MAX(json_extract(p.value, '$.title')) AS title,"
        " SUM(json_extract(p.value, '$.verdict') = 'miss') AS misses,"
        " SUM(json_extract(p.value, '$.verdict') = 'partial') AS partials,"
        " COUNT(*) AS seen"
        f" FROM attempts a {LATEST_REGRADE_JOIN}, json_each({safe_json(grade)}, '$.points') p"
        f" WHERE a.skipped = 0 AND {grade} IS NOT NULL"
        " GROUP BY qid, pid HAVING misses + partials > 0"
        " ORDER BY misses + 0.5 * partials DESC, seen ASC, qid, pid LIMIT ?"
    )
    return [
        stats.MissedPoint(
            r["qid"], str(r["pid"]), r["title"] or str(r["pid"]), r["misses"], r["partials"],
            r["seen"],
        )
        for r in store.conn.execute(sql, (max(1, limit),))
    ]  # fmt: skip


def old_point_queue(store: Store, now: datetime) -> list[schedule.PointDue]:
    _, current_grade = current_sql(store)
    sql = (
        "WITH ranked AS (SELECT id, ROW_NUMBER() OVER (PARTITION BY question_id"
        " ORDER BY submitted_at DESC, id DESC) AS rn FROM attempts"
        " WHERE skipped = 0 AND grade IS NOT NULL)"
        " SELECT a.question_id AS qid, json_extract(p.value, '$.id') AS pid,"
        " json_extract(p.value, '$.title') AS title, a.submitted_at,"
        " json_extract(p.value, '$.credit') AS credit"
        f" FROM ranked JOIN attempts a ON a.id = ranked.id {LATEST_REGRADE_JOIN},"
        f" json_each({safe_json(current_grade)}, '$.points') p"
        " WHERE ranked.rn <= ? ORDER BY qid, pid, a.submitted_at, a.id"
    )
    series: dict[tuple[str, str], list[tuple[str, float | None]]] = defaultdict(list)
    titles: dict[tuple[str, str], str] = {}
    for qid, pid, title, submitted_at, credit in store.conn.execute(sql, (schedule.POINT_HISTORY,)):
        key = (qid, str(pid))
        series[key].append((submitted_at, 100.0 * float(credit or 0.0)))
        titles[key] = title or str(pid)
    due = []
    for key, reviews in series.items():
        card = library_replay(reviews, now)
        last = reviews[-1][1] or 0.0
        due.append(schedule.PointDue(key[0], key[1], titles[key], card.due, last / 100.0))
    due.sort(key=lambda p: (p.due, p.last_credit, p.question_id, p.point_id))
    return due


def old_review_queue(
    store: Store, question_ids: list[str], now: datetime, by_point: bool = True
) -> list[schedule.QueueItem]:
    current_score, _ = current_sql(store)
    sql = (
        f"SELECT qid, submitted_at, score FROM (SELECT a.question_id AS qid, a.submitted_at,"
        f" {current_score} AS score, ROW_NUMBER() OVER (PARTITION BY a.question_id"
        f" ORDER BY a.submitted_at DESC, a.id DESC) AS rn FROM attempts a {LATEST_REGRADE_JOIN}"
        f" WHERE a.skipped = 1 OR {current_score} IS NOT NULL)"
        " WHERE rn <= ? ORDER BY qid, submitted_at"
    )
    reviews: dict[str, list[tuple[str, float | None]]] = defaultdict(list)
    for qid, submitted_at, score in store.conn.execute(sql, (schedule.QUESTION_HISTORY,)):
        reviews[qid].append((submitted_at, score))
    counts = dict(store.conn.execute("SELECT question_id, COUNT(*) FROM attempts GROUP BY 1"))
    points_due: dict[str, int] = defaultdict(int)
    if by_point:
        for point in old_point_queue(store, now):
            if point.due <= now:
                points_due[point.question_id] += 1
    items = []
    for qid in dict.fromkeys(question_ids):
        history = reviews.get(qid)
        if not history:
            items.append(schedule.QueueItem(qid, counts.get(qid, 0), None, None))
            continue
        card = library_replay(history, now)
        items.append(
            schedule.QueueItem(qid, counts.get(qid, 0), history[-1][1], card.due, points_due[qid])
        )

    def order(item: schedule.QueueItem) -> tuple[int, float, float, str]:
        if item.due is None:
            return (0, 0.0, 0.0, item.question_id)
        last = item.last_score if item.last_score is not None else -1.0
        if item.is_due(now):
            return (1, last, -item.due_points, item.question_id)
        return (2, item.due.timestamp(), last, item.question_id)

    return sorted(items, key=order)


# --- a history with everything that could tell the two apart ---------------------------------


def _regrade(store: Store, attempt_id: int, rng: random.Random) -> None:
    (text,) = store.conn.execute(
        "SELECT grade FROM attempts WHERE id = ?", (attempt_id,)
    ).fetchone()
    grade = json.loads(text) if text and text.startswith('{"') else {"points": []}
    for point in grade.get("points", []):
        if isinstance(point, dict):
            point["verdict"] = rng.choice(["hit", "partial", "miss"])
            point["credit"] = {"hit": 1.0, "partial": 0.5, "miss": 0.0}[point["verdict"]]
    score = round(rng.uniform(0, 100), 1)
    with store.conn:
        store.conn.execute(
            "INSERT INTO regrades (attempt_id, score, grade, grader, created_at)"
            " VALUES (?, ?, ?, 'llm', '2026-01-01T00:00:00+00:00')",
            (attempt_id, score, json.dumps(grade)),
        )


def add_awkward_history(store: Store, seed: int = 5) -> None:
    """Re-grades (some twice), damaged and missing grades, numeric and duplicate point ids,
    non-object points, questions gone from the bank, skips with a re-grade, equal times."""
    rng = random.Random(seed)
    ids = [r[0] for r in store.conn.execute("SELECT id FROM attempts ORDER BY id")]
    for attempt_id in rng.sample(ids, len(ids) // 12):
        for _ in range(rng.choice([1, 1, 2])):
            _regrade(store, attempt_id, rng)
    odd = {
        "points": [
            {"id": 1, "title": "Numeric id", "verdict": "miss", "credit": 0},
            {"id": "1", "verdict": "partial", "credit": 0.5},
            {"id": "p2", "title": None, "verdict": "miss", "credit": None},
            5,
            [1, 2],
        ]
    }
    with store.conn:
        for attempt_id in rng.sample(ids, 15):
            store.conn.execute("UPDATE attempts SET grade = '{broken' WHERE id = ?", (attempt_id,))
        for attempt_id in rng.sample(ids, 10):
            store.conn.execute("UPDATE attempts SET grade = NULL WHERE id = ?", (attempt_id,))
        for attempt_id in rng.sample(ids, 10):
            store.conn.execute(
                "UPDATE attempts SET grade = ? WHERE id = ?", (json.dumps(odd), attempt_id)
            )
        for attempt_id in rng.sample(ids, 10):
            store.conn.execute("UPDATE attempts SET skipped = 1 WHERE id = ?", (attempt_id,))
        for n in range(40):
            store.conn.execute(
                "INSERT INTO attempts (question_id, answer, score, grade, started_at,"
                " submitted_at, seconds, skipped) VALUES (?, 'a', ?, ?, 't', ?, 30, ?)",
                (
                    f"GONE{n % 3}",
                    None if n % 7 == 0 else 40.0 + n,
                    json.dumps(odd if n % 5 == 0 else {"points": [
                        {"id": "p1", "title": "Gone", "verdict": "miss", "credit": 0.0}]}),
                    f"2025-12-{1 + n % 28:02d}T10:00:00+00:00",
                    int(n % 7 == 0),
                ),
            )  # fmt: skip
    regraded_skip = store.conn.execute("SELECT id FROM attempts WHERE skipped = 1").fetchone()[0]
    _regrade(store, regraded_skip, rng)


def figures(store: Store, bank: sample.SampleBank, new: bool) -> dict[str, object]:
    ids = [*bank.questions, "GONE0", "NEVER"]
    last = store.conn.execute("SELECT MAX(submitted_at) FROM attempts").fetchone()[0]
    moments = [datetime.fromisoformat(last) - timedelta(days=20), datetime(2030, 1, 1, tzinfo=UTC)]
    out: dict[str, object] = {}
    if new:
        out["questions"] = stats.question_progress(store)
        out["topics"] = stats.topic_progress(store, bank)
        out["topics, no bank"] = stats.topic_progress(store, None)
        out["missed"] = stats.most_missed_points(store, 10_000)
        out["missed 8"] = stats.most_missed_points(store, 8)
        for now in moments:
            out[f"points {now}"] = schedule.point_queue(store, now)
            out[f"queue {now}"] = schedule.review_queue(store, ids, now)
            out[f"plain queue {now}"] = schedule.review_queue(store, ids, now, by_point=False)
    else:
        out["questions"] = old_question_progress(store)
        out["topics"] = old_topic_progress(store, bank)
        out["topics, no bank"] = old_topic_progress(store, None)
        out["missed"] = old_most_missed(store, 10_000)
        out["missed 8"] = old_most_missed(store, 8)
        for now in moments:
            out[f"points {now}"] = old_point_queue(store, now)
            out[f"queue {now}"] = old_review_queue(store, ids, now)
            out[f"plain queue {now}"] = old_review_queue(store, ids, now, by_point=False)
    return out


def assert_same_figures(store: Store, bank: sample.SampleBank) -> None:
    new, old = figures(store, bank, new=True), figures(store, bank, new=False)
    assert old["missed"], "the history should miss points"
    for key in old:
        assert new[key] == old[key], key
        # == on floats and datetimes: also compare the exact representation
        assert repr(new[key]) == repr(old[key]), key


@pytest.fixture(scope="module")
def bank() -> sample.SampleBank:
    return sample.SampleBank(30)


@pytest.fixture
def store(tmp_path: Path, bank: sample.SampleBank) -> Store:
    store = Store.open(tmp_path / "a.sqlite3")
    sample.fill_store(store, bank, 1500, days=120)
    add_awkward_history(store)
    return store


# --- the tests -------------------------------------------------------------------------------


def test_every_figure_equals_the_json_and_fsrs_versions(
    store: Store, bank: sample.SampleBank
) -> None:
    assert_same_figures(store, bank)


def test_the_screen_data_is_the_figures_of_the_separate_functions(
    store: Store, bank: sample.SampleBank
) -> None:
    now = datetime(2030, 1, 1, tzinfo=UTC)
    data = progress_data(store, bank, now)
    assert data.totals == stats.totals(store, now.date())
    assert data.per_question == old_question_progress(store)
    assert data.topics == old_topic_progress(store, bank)
    assert data.missed == old_most_missed(store, 8)
    assert data.queue == old_review_queue(store, list(bank.questions), now)


def test_triggers_keep_the_points_current_through_writes(
    store: Store, bank: sample.SampleBank
) -> None:
    rng = random.Random(11)
    ids = [r[0] for r in store.conn.execute("SELECT id FROM attempts ORDER BY id")]
    attempt_id = ids[-1]
    _regrade(store, attempt_id, rng)  # a new newest grade
    assert_same_figures(store, bank)
    with store.conn:  # the newest re-grade removed: the previous grade counts again
        store.conn.execute(
            "DELETE FROM regrades WHERE id = (SELECT MAX(id) FROM regrades WHERE attempt_id = ?)",
            (attempt_id,),
        )
        store.conn.execute("UPDATE attempts SET skipped = 1 - skipped WHERE id IN (?, ?)", ids[:2])
        store.conn.execute("UPDATE attempts SET question_id = 'MOVED' WHERE id = ?", (ids[2],))
        store.conn.execute("UPDATE regrades SET attempt_id = ? WHERE id = 1", (ids[3],))
        store.conn.execute(
            "UPDATE attempts SET grade = (SELECT grade FROM attempts WHERE id = ?) WHERE id = ?",
            (ids[4], ids[5]),
        )
        store.conn.execute("DELETE FROM attempts WHERE id = ? AND id NOT IN"
                           " (SELECT attempt_id FROM regrades)", (ids[6],))  # fmt: skip
    assert_same_figures(store, bank)


def test_record_attempt_and_regrade_fill_grade_points(tmp_path: Path) -> None:
    from mockinterview.models import Grade, PointResult

    store = Store.open(tmp_path / "a.sqlite3")
    points = [PointResult("p1", "One", 1.0, "miss", 0.0), PointResult("p2", "Two", 1.0, "hit", 1.0)]
    grade = Grade("Q1", "offline", 50.0, points)
    attempt_id = store.record_attempt(
        question_id="Q1", answer="x", grade=grade, rubric_hash=None,
        started_at="2026-01-01T00:00:00+00:00", seconds=3.0,
    )  # fmt: skip
    assert [(m.point_id, m.misses, m.seen) for m in stats.most_missed_points(store)] == [
        ("p1", 1, 1)
    ]
    regraded = Grade("Q1", "llm", 50.0, [PointResult("p1", "One", 1.0, "hit", 1.0),
                                         PointResult("p2", "Two", 1.0, "miss", 0.0)])  # fmt: skip
    store.record_regrade(attempt_id, regraded, None)
    assert [(m.point_id, m.misses, m.seen) for m in stats.most_missed_points(store)] == [
        ("p2", 1, 1)
    ]
    assert store.conn.execute("SELECT COUNT(*) FROM grade_points").fetchone()[0] == 4


def test_a_schema_1_database_upgrades_without_losing_data(
    tmp_path: Path, bank: sample.SampleBank
) -> None:
    """Build a database as schema 1 wrote it, fill it, and open it with today's Store."""
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    for statement in filter(str.strip, MIGRATIONS[0].split(";")):
        conn.execute(statement)
    conn.execute("INSERT INTO schema_migrations VALUES (1, '2026-01-01T00:00:00+00:00')")
    conn.commit()
    conn.close()

    class SchemaOne(Store):
        """A Store that knows only migration 1, to write the history as an old version did."""

        def _migrate(self) -> None:
            pass

    old = SchemaOne.open(path)
    sample.fill_store(old, bank, 600, days=60)
    add_awkward_history(old, seed=9)
    before = {
        table: old.conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
        for table in ("sessions", "attempts", "regrades")
    }
    assert (
        old.conn.execute("SELECT name FROM sqlite_master WHERE name = 'grade_points'").fetchall()
        == []
    )
    expected = figures(old, bank, new=False)
    old.close()

    store = Store.open(path)
    assert store.schema_version == len(MIGRATIONS) >= 2
    for table, rows in before.items():  # later schemas may add columns: compare the old ones
        columns = ", ".join(rows[0].keys()) if rows else "*"
        after = store.conn.execute(f"SELECT {columns} FROM {table} ORDER BY rowid").fetchall()
        assert [tuple(row) for row in after] == [tuple(row) for row in rows]
    upgraded = figures(store, bank, new=True)
    for key, value in expected.items():
        assert repr(upgraded[key]) == repr(value), key
    points = store.conn.execute("SELECT COUNT(*) FROM grade_points").fetchone()[0]
    assert points > 4 * 600  # the backfill read every stored grade and re-grade
    store.close()
    again = Store.open(path)  # re-opening applies nothing twice
    assert again.conn.execute("SELECT COUNT(*) FROM grade_points").fetchone()[0] == points


def test_a_migration_that_fails_leaves_nothing_behind(tmp_path: Path) -> None:
    """Each migration is one transaction: a failing statement rolls back the ones before it."""
    path = tmp_path / "a.sqlite3"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM schema_migrations WHERE version >= 2")  # 2 and those after it
    conn.execute("DROP TABLE grade_points")  # triggers and table go; the indexes on attempts stay
    conn.commit()
    conn.close()
    with pytest.raises(Exception, match="already exists"):
        Store.open(path)  # migration 2 creates attempts_timeline again: fails part-way
    conn = sqlite3.connect(path)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "grade_points" not in names  # created earlier in the same migration, rolled back
    assert {r[0] for r in conn.execute("SELECT version FROM schema_migrations")} == {1}


def test_trigger_bodies_stay_one_statement() -> None:
    script = "CREATE TABLE t (a); CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; SELECT 2; END;"
    assert [s.split()[1] for s in _statements(script)] == ["TABLE", "TRIGGER"]


def test_the_inlined_fsrs_replay_agrees_with_the_library() -> None:
    """Random review series (same-day, long, backwards and future gaps; every rating)."""
    fast = schedule.FastReplay(schedule.day_scheduler())
    rng = random.Random(2)
    now = datetime(2026, 6, 1, tzinfo=UTC)
    for _ in range(1500):
        moment = now - timedelta(days=rng.uniform(0, 900))
        reviews: list[tuple[str, float | None]] = []
        for _ in range(rng.randint(1, 14)):
            score = rng.choice([None, 0.0, 100.0, round(rng.uniform(0, 100), 1)])
            reviews.append((moment.isoformat(), score))
            moment += timedelta(days=rng.choice([0, 0.01, 0.5, 1, 1.2, 3, 10, 60, 400, -3]) * 1)
        card = library_replay(reviews, now)
        assert fast.replay(reviews, now) == (card.due, card.stability, card.difficulty), reviews
