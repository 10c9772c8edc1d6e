"""Exports: JSON for scripts, CSV for a spreadsheet, Markdown for a mentor.

The Markdown report is meant to be pasted into a message: a summary, a per-topic table, the
points missed most often, and the recent attempts with the answers and what they missed.

Every export is written as it is read (`write_export`): attempts stream from the store a batch
at a time, so 100,000 of them take no more memory than ten (bench/bench_memory.py). Answers,
titles and feedback are untrusted: the Markdown shows their control characters visibly
(`text.safe.visible`), every CSV cell is one no spreadsheet runs (`text.safe.csv_cell`), and the
JSON escapes what a terminal would act on (`records.json_text`).
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO

from mockinterview.review import stats
from mockinterview.review.records import iter_records, json_text, write_json_array
from mockinterview.review.rows import BankLike, format_score, format_seconds, question_label
from mockinterview.text.safe import csv_cell, visible

if TYPE_CHECKING:
    from mockinterview.store import Store

FORMATS = ("json", "csv", "md")
RECENT_IN_REPORT = 10
CSV_COLUMNS = [
    "id", "session_id", "question_id", "title", "topic", "submitted_at", "seconds", "score",
    "automatic_score", "corrected_score", "original_score", "grader", "regraded_by", "skipped",
    "hints", "hit", "partial", "missed", "missed_points", "corrected_points", "answer",
    "follow_up", "follow_up_status", "follow_up_answer", "follow_up_raised",
]  # fmt: skip


def write_export(store: Store, bank: BankLike | None, fmt: str, out: TextIO) -> None:
    """The whole history in one of FORMATS, written to `out` as it is read."""
    if fmt == "json":
        write_json(store, bank, out)
    elif fmt == "csv":
        write_csv(store, bank, out)
    elif fmt == "md":
        write_markdown(store, bank, out)
    else:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def export(store: Store, bank: BankLike | None, fmt: str) -> str:
    """The whole history in one of FORMATS, as text (for small histories and tests)."""
    out = io.StringIO(newline="")
    write_export(store, bank, fmt, out)
    return out.getvalue()


def export_json(store: Store, bank: BankLike | None) -> str:
    return export(store, bank, "json")


def export_csv(store: Store, bank: BankLike | None) -> str:
    return export(store, bank, "csv")


def export_markdown(store: Store, bank: BankLike | None) -> str:
    return export(store, bank, "md")


def write_json(store: Store, bank: BankLike | None, out: TextIO) -> None:
    """`{"exported_at", "totals", "attempts": [...]}`, the attempts written one by one."""
    summary = stats.totals(store)
    totals = {
        "attempts": summary.attempts,
        "graded": summary.graded,
        "skipped": summary.skipped,
        "questions": summary.questions,
        "sessions": summary.sessions,
        "seconds": round(summary.seconds, 1),
        "average": None if summary.average is None else round(summary.average, 1),
        "current_streak": summary.current_streak,
        "longest_streak": summary.longest_streak,
    }
    exported_at = datetime.now(UTC).isoformat(timespec="seconds")
    out.write(f'{{\n  "exported_at": {json_text(exported_at)},\n')
    out.write(f'  "totals": {json_text(totals, "  ")},\n  "attempts": ')
    records = iter_records(store, bank, newest_first=False, with_answers=True)
    write_json_array(records, out, "  ")
    out.write("\n}\n")


def _csv_row(record: dict[str, Any]) -> list[object]:
    verdicts = [p["verdict"] for p in record["points"]]
    row = {
        **record,
        "skipped": int(record["skipped"]),
        "hints": len(record["hints"]),
        "hit": verdicts.count("hit"),
        "partial": verdicts.count("partial"),
        "missed": verdicts.count("miss"),
        "missed_points": "; ".join(p["title"] for p in record["points"] if p["verdict"] == "miss"),
        "corrected_points": "; ".join(
            f"{p['title']} ({p['automatic_verdict']} -> {p['verdict']})"
            for p in record["points"]
            if p["automatic_verdict"] != p["verdict"]
        ),
    }
    follow_up = record.get("follow_up")
    if follow_up:
        titles = {p["id"]: p["title"] for p in record["points"]}
        row |= {
            "follow_up": follow_up["question"],
            "follow_up_status": follow_up["status"],
            "follow_up_answer": follow_up.get("answer", ""),
            "follow_up_raised": "; ".join(titles.get(r, r) for r in follow_up["raised"]),
        }
    else:
        row["follow_up"] = None  # the record's own key: not a cell
    return [csv_cell(row.get(column)) for column in CSV_COLUMNS]


def write_csv(store: Store, bank: BankLike | None, out: TextIO) -> None:
    """One row per attempt, oldest first, written as read; no cell a spreadsheet would run."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    records = iter_records(store, bank, newest_first=False, with_answers=True)
    for record in records:
        writer.writerow(_csv_row(record))


def _count(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _inline(text: object) -> str:
    """Untrusted text on one line of the report, its control characters shown."""
    return visible(str(text)).replace("\n", " ")


def _cell(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return _inline(text).replace("|", "\\|")


def _quote(text: str) -> str:
    lines = visible(text).strip().splitlines() or ["(empty answer)"]
    return "\n".join(f"> {line}" if line.strip() else ">" for line in lines)


def write_markdown(store: Store, bank: BankLike | None, out: TextIO) -> None:
    """The report, written section by section (the recent attempts are streamed too)."""
    summary = stats.totals(store)
    head = ["# Mock interview practice report", ""]
    if summary.attempts == 0:
        out.write("\n".join([*head, "No attempts yet.", ""]))
        return
    average = "-" if summary.average is None else f"{summary.average:.0f}/100"
    head += [
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
    out.write("\n".join(head))
    per_question = stats.question_progress(store)
    topics = stats.topic_progress(store, bank, per_question)
    del per_question
    for topic in sorted(topics.values(), key=lambda t: t.key):
        out.write(
            f"\n| {_cell(topic.key)} | {topic.questions} | {topic.attempts} | "
            f"{format_score(topic.last)} | {format_score(topic.best)} | "
            f"{stats.sparkline_text(topic.trend[-12:])} |"
        )
    del topics
    missed = stats.most_missed_points(store, limit=10)
    if missed:
        out.write("\n\n## Points I miss most often\n")
        for point in missed:
            title, _ = question_label(bank, point.question_id)
            out.write(
                f"\n- **{_cell(point.title)}** ({_cell(title)}, {_inline(point.question_id)}): "
                f"in {_count(point.seen, 'attempt')}, missed {point.misses} and partly covered "
                f"{point.partials}"
            )
    # the report ends with the recent attempts, the last one's blank lines cut (as `rstrip` on
    # the whole report once did)
    out.write(f"\n\n## Recent attempts (newest {RECENT_IN_REPORT})")
    pending = [""]
    for record in iter_records(store, bank, limit=RECENT_IN_REPORT, with_answers=True):
        out.write("\n" + "\n".join(pending))
        pending = _attempt_section(record)
    out.write(("\n" + "\n".join(pending)).rstrip() + "\n")


def _attempt_section(record: dict[str, Any]) -> list[str]:
    score = "skipped" if record["skipped"] else f"{format_score(record['score'])}/100"
    if record["corrected_score"] is not None:
        score += f" (your correction; automatic grade {format_score(record['automatic_score'])})"
    if record["regraded_by"]:
        score += f" (re-graded; originally {format_score(record['original_score'])})"
    grader = _inline(record["regraded_by"] or record["grader"])
    lines = [
        f"### {_cell(record['title'])} ({_inline(record['question_id'])})",
        "",
        f"{record['submitted_at'][:16].replace('T', ' ')} UTC, {format_seconds(record['seconds'])}"
        f", {score}, graded by {grader}",
        "",
        _quote(record.get("answer", "")),
        "",
    ]
    points = record["points"]
    missed = [_inline(p["title"]) for p in points if p["verdict"] == "miss"]
    partial = [_inline(p["title"]) for p in points if p["verdict"] == "partial"]
    if missed:
        lines.append("Missed: " + "; ".join(missed))
    if partial:
        lines.append("Partly covered: " + "; ".join(partial))
    corrected = [
        f"{_inline(p['title'])} (grader: {_inline(p['automatic_verdict'])}, "
        f"you: {_inline(p['verdict'])})"
        for p in points
        if p["automatic_verdict"] != p["verdict"]
    ]
    if corrected:
        lines.append("Corrected by me: " + "; ".join(corrected))
    if missed or partial or corrected:
        lines.append("")
    lines.extend(_follow_up_lines(record))
    return lines


def _follow_up_lines(record: dict[str, Any]) -> list[str]:
    """The follow-up asked after the answer, and the answer to it (or that it was skipped)."""
    follow_up = record.get("follow_up")
    if not follow_up:
        return []
    lines = [f"Follow-up: {_inline(follow_up['question'])}", ""]
    if follow_up["status"] == "skipped":
        return [*lines, "Follow-up skipped.", ""]
    lines += [_quote(follow_up.get("answer", "")), ""]
    titles = {p["id"]: p["title"] for p in record["points"]}
    raised = [_inline(titles.get(r, r)) for r in follow_up["raised"]]
    if raised:
        before = format_score(follow_up["score_before"])
        lines += [f"Raised by my follow-up (from {before}): " + "; ".join(raised), ""]
    return lines
