"""Exports: JSON for scripts, CSV for a spreadsheet, Markdown for a mentor.

The Markdown report is meant to be pasted into a message: a summary, a per-topic table, the
points missed most often, and the recent attempts with the answers and what they missed.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from mockinterview.review import stats
from mockinterview.review.records import attempt_records
from mockinterview.review.rows import BankLike, format_score, format_seconds, question_label

if TYPE_CHECKING:
    from mockinterview.store import Store

FORMATS = ("json", "csv", "md")
RECENT_IN_REPORT = 10
CSV_COLUMNS = [
    "id", "session_id", "question_id", "title", "topic", "submitted_at", "seconds", "score",
    "automatic_score", "corrected_score", "original_score", "grader", "regraded_by", "skipped",
    "hints", "hit", "partial", "missed", "missed_points", "corrected_points", "answer",
]  # fmt: skip


def export(store: Store, bank: BankLike | None, fmt: str) -> str:
    """The whole history in one of FORMATS, as text."""
    if fmt == "json":
        return export_json(store, bank)
    if fmt == "csv":
        return export_csv(store, bank)
    if fmt == "md":
        return export_markdown(store, bank)
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def export_json(store: Store, bank: BankLike | None) -> str:
    summary = stats.totals(store)
    data = {
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "totals": {
            "attempts": summary.attempts,
            "graded": summary.graded,
            "skipped": summary.skipped,
            "questions": summary.questions,
            "sessions": summary.sessions,
            "seconds": round(summary.seconds, 1),
            "average": None if summary.average is None else round(summary.average, 1),
            "current_streak": summary.current_streak,
            "longest_streak": summary.longest_streak,
        },
        "attempts": attempt_records(store, bank, newest_first=False, with_answers=True),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def export_csv(store: Store, bank: BankLike | None) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for record in attempt_records(store, bank, newest_first=False, with_answers=True):
        verdicts = [p["verdict"] for p in record["points"]]
        writer.writerow(
            {
                **record,
                "skipped": int(record["skipped"]),
                "hints": len(record["hints"]),
                "hit": verdicts.count("hit"),
                "partial": verdicts.count("partial"),
                "missed": verdicts.count("miss"),
                "missed_points": "; ".join(
                    p["title"] for p in record["points"] if p["verdict"] == "miss"
                ),
                "corrected_points": "; ".join(
                    f"{p['title']} ({p['automatic_verdict']} -> {p['verdict']})"
                    for p in record["points"]
                    if p["automatic_verdict"] != p["verdict"]
                ),
            }
        )
    return out.getvalue()


def _count(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _cell(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _quote(text: str) -> str:
    lines = text.strip().splitlines() or ["(empty answer)"]
    return "\n".join(f"> {line}" if line.strip() else ">" for line in lines)


def export_markdown(store: Store, bank: BankLike | None) -> str:
    summary = stats.totals(store)
    lines = ["# Mock interview practice report", ""]
    if summary.attempts == 0:
        return "\n".join([*lines, "No attempts yet.", ""])
    average = "-" if summary.average is None else f"{summary.average:.0f}/100"
    lines += [
        f"- **{_count(summary.attempts, 'attempt')}** ({summary.skipped} skipped) on "
        f"**{_count(summary.questions, 'question')}** over {_count(summary.days, 'day')}, "
        f"{format_seconds(summary.seconds)} of answering",
        f"- Average score: **{average}**",
        f"- Practice streak: {_count(summary.current_streak, 'day')} "
        f"(longest {summary.longest_streak})",
        "",
        "## By topic",
        "",
        "| Topic | Questions | Attempts | Last | Best | Trend |",
        "|---|---:|---:|---:|---:|---|",
    ]
    per_question = stats.question_progress(store)
    topics = stats.topic_progress(store, bank, per_question)
    for topic in sorted(topics.values(), key=lambda t: t.key):
        lines.append(
            f"| {_cell(topic.key)} | {topic.questions} | {topic.attempts} | "
            f"{format_score(topic.last)} | {format_score(topic.best)} | "
            f"{stats.sparkline_text(topic.trend[-12:])} |"
        )
    missed = stats.most_missed_points(store, limit=10)
    if missed:
        lines += ["", "## Points I miss most often", ""]
        for point in missed:
            title, _ = question_label(bank, point.question_id)
            lines.append(
                f"- **{_cell(point.title)}** ({_cell(title)}, {point.question_id}): in "
                f"{_count(point.seen, 'attempt')}, missed {point.misses} and partly covered "
                f"{point.partials}"
            )
    lines += ["", f"## Recent attempts (newest {RECENT_IN_REPORT})", ""]
    for record in attempt_records(store, bank, limit=RECENT_IN_REPORT, with_answers=True):
        lines += _attempt_section(record)
    return "\n".join(lines).rstrip() + "\n"


def _attempt_section(record: dict[str, Any]) -> list[str]:
    score = "skipped" if record["skipped"] else f"{format_score(record['score'])}/100"
    if record["corrected_score"] is not None:
        score += f" (your correction; automatic grade {format_score(record['automatic_score'])})"
    if record["regraded_by"]:
        score += f" (re-graded; originally {format_score(record['original_score'])})"
    lines = [
        f"### {_cell(record['title'])} ({record['question_id']})",
        "",
        f"{record['submitted_at'][:16].replace('T', ' ')} UTC, {format_seconds(record['seconds'])}"
        f", {score}, graded by {record['regraded_by'] or record['grader']}",
        "",
        _quote(record.get("answer", "")),
        "",
    ]
    missed = [p["title"] for p in record["points"] if p["verdict"] == "miss"]
    partial = [p["title"] for p in record["points"] if p["verdict"] == "partial"]
    if missed:
        lines.append("Missed: " + "; ".join(missed))
    if partial:
        lines.append("Partly covered: " + "; ".join(partial))
    corrected = [
        f"{p['title']} (grader: {p['automatic_verdict']}, you: {p['verdict']})"
        for p in record["points"]
        if p["automatic_verdict"] != p["verdict"]
    ]
    if corrected:
        lines.append("Corrected by me: " + "; ".join(corrected))
    if missed or partial or corrected:
        lines.append("")
    return lines
