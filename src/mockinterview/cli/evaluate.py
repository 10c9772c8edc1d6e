"""`eval FILE.csv`: how well the grader agrees with human grades, overall and per question.
`eval --mine`: how well it agrees with the candidate's own corrections of their grades.

Questions not in the bank get a rubric derived from the row's `reference_answer` exactly as
`rubrics build` would, with no hand edits, so the figures measure the method, not curation.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mockinterview.cli import EXIT_BAD_INPUT, CliError
from mockinterview.text.safe import one_line

if TYPE_CHECKING:
    from mockinterview.bank import Bank
    from mockinterview.models import Question, Rubric

COLUMNS = ("question_id", "question", "reference_answer", "answer", "score", "max_score")


@dataclass(slots=True)
class Case:
    line: int
    question: Question
    rubric: Rubric
    answer: str
    human: float  # 0..1
    max_score: float


def run(args: argparse.Namespace) -> int:
    if getattr(args, "mine", False):
        if args.file:
            raise CliError("give FILE.csv or --mine, not both")
        return _mine(args)
    if not args.file:
        raise CliError("eval needs FILE.csv (human-graded answers) or --mine")
    from mockinterview.grading.batch import BatchError, default_jobs, grade_in_order

    try:
        cases, skipped = _read_cases(args.file, _bank_if_any(args))
    except BatchError as exc:
        raise CliError(str(exc)) from exc
    if not cases:
        if not skipped:
            raise CliError(f"{args.file}: no rows after the header")
        raise CliError(f"{args.file}: no gradable row ({skipped} skipped)")
    from mockinterview.grading.factory import make_grader

    grader = make_grader(args.grader, llm_model=args.llm_model, llm_base_url=args.llm_base_url)
    jobs = getattr(args, "jobs", None) or default_jobs(len(cases))
    grades = grade_in_order(grader, [(c.question, c.rubric, c.answer) for c in cases], jobs)
    predicted = [max(0.0, min(100.0, g.score)) / 100 for g in grades]
    report = _report(cases, predicted)
    if args.format == "json":
        print(json.dumps({**report, "skipped": skipped}, indent=2))
    else:
        _print_text(report, args.file, skipped)
    # The figures stand for the rows read; a skipped row is still bad input.
    return EXIT_BAD_INPUT if skipped else 0


def _bank_if_any(args: argparse.Namespace) -> Bank | None:
    from mockinterview.cli.context import bank_from_args

    try:
        bank = bank_from_args(args)
    except CliError:
        return None
    bank.overlays_root = None  # measure the method, not the candidate's own phrasings
    return bank


def _mine(args: argparse.Namespace) -> int:
    """How the automatic grades agree with the candidate's corrections of them."""
    from mockinterview.cli.context import store_from_args
    from mockinterview.review.corrections import agreement_with_corrections

    store = store_from_args(args)
    try:
        report = agreement_with_corrections(store)
    finally:
        store.close()
    if args.format == "json":
        print(json.dumps(report.to_dict(), indent=2))
        return 0
    if not report.attempts:
        print(
            "No corrected attempts yet: on a result or a reviewed attempt, press a rubric "
            "point's number to correct its verdict, then run this again."
        )
        return 0
    agreement = report.agreement
    lines = [
        f"Your corrections: {report.attempts} attempt(s) corrected, "
        f"{report.points} rubric point verdicts in them",
        f"Pearson r (automatic vs corrected score) {_fmt(report.pearson).strip()}"
        + ("   (needs 2+ attempts with differing scores)" if report.pearson is None else ""),
        f"Verdicts left standing {report.agreeing}/{report.points} "
        f"({0.0 if agreement is None else agreement:.0%}); you marked {report.raised} "
        f"missed point(s) covered and {report.lowered} hit(s) missed",
        f"Mean score: automatic {report.mean_automatic:.1f}, corrected {report.mean_corrected:.1f}",
    ]
    if report.per_point:
        lines += ["", f"{'question':<12}{'point':<8}{'corrected':>10}{'agree':>7}  title"]
        for p in report.per_point[:15]:
            lines.append(
                f"{one_line(p.question_id)[:11]:<12}{one_line(p.point_id)[:7]:<8}"
                f"{p.corrected:>4} of {p.seen:<3}{p.agreement:>7.0%}  {one_line(p.title)[:40]}"
            )
    print("\n".join(lines))
    return 0


def _read_cases(path: str, bank: Bank | None) -> tuple[list[Case], int]:
    from mockinterview.grading.batch import BadRow, file_format, read_rows
    from mockinterview.models import Question
    from mockinterview.rubrics.derive import derive_rubric

    if file_format(path) != ".csv":
        raise CliError(f"{path}: eval reads a .csv file with columns {', '.join(COLUMNS)}")
    cases: list[Case] = []
    skipped = 0
    known: dict[str, tuple[Question, Rubric]] = {}
    for item in read_rows(path, required=("question_id", "score", "max_score")):
        if isinstance(item, BadRow):
            skipped += _skip(path, item.line, item.message)
            continue
        fields = item.fields
        try:
            score, top = float(fields["score"]), float(fields["max_score"])
        except ValueError:
            skipped += _skip(path, item.line, "score and max_score must be numbers")
            continue
        if top <= 0 or not 0 <= score <= top:
            skipped += _skip(path, item.line, f"score {score:g} outside 0..max_score ({top:g})")
            continue
        qid = fields["question_id"].strip()
        if qid not in known:
            in_bank = bank.get(qid) if bank is not None else None
            if in_bank is not None:
                known[qid] = (in_bank, bank.rubric_for(qid))  # type: ignore[union-attr]
            elif (fields.get("reference_answer") or "").strip():
                question = Question(
                    id=qid,
                    title="",
                    question=fields.get("question") or "",
                    answer=fields["reference_answer"],
                )
                known[qid] = (question, derive_rubric(question))
            else:
                skipped += _skip(
                    path,
                    item.line,
                    f"question {qid!r} is not in the bank and the row has no reference_answer",
                )
                continue
        question, rubric = known[qid]
        cases.append(
            Case(item.line, question, rubric, fields.get("answer") or "", score / top, top)
        )
    return cases, skipped


def _skip(path: str, line: int, message: str) -> int:
    print(f"{path}:{line}: {one_line(message)}; row skipped", file=sys.stderr)
    return 1


def _report(cases: list[Case], predicted: list[float]) -> dict[str, Any]:
    from mockinterview.grading.agreement import agreement

    overall = agreement(predicted, [c.human for c in cases], [c.max_score for c in cases])
    groups: dict[str, list[int]] = defaultdict(list)
    for i, case in enumerate(cases):
        groups[case.question.id].append(i)
    per_question = []
    for qid, indices in groups.items():
        stats: dict[str, Any] = dict(
            agreement(
                [predicted[i] for i in indices],
                [cases[i].human for i in indices],
                [cases[i].max_score for i in indices],
            ).to_dict()
        )
        stats["question_id"] = qid
        stats["mean_grader"] = round(sum(predicted[i] for i in indices) / len(indices), 4)
        stats["mean_human"] = round(sum(cases[i].human for i in indices) / len(indices), 4)
        per_question.append(stats)
    return {**overall.to_dict(), "per_question": per_question}


def _fmt(value: float | None) -> str:
    return "   n/a" if value is None else f"{value:6.3f}"


def _print_text(report: dict[str, Any], path: str, skipped: int) -> None:
    lines = [
        f"{path}: {report['n']} answers graded" + (f", {skipped} skipped" if skipped else ""),
        f"Pearson r {_fmt(report['pearson'])}   Spearman rho {_fmt(report['spearman'])}   "
        f"RMSE {_fmt(report['rmse'])} points   QWK {_fmt(report['qwk'])}",
        "",
        f"{'question':<16}{'n':>5}{'pearson':>9}{'spearman':>9}{'rmse':>8}{'qwk':>8}"
        f"{'human':>8}{'grader':>8}",
    ]
    for q in report["per_question"]:
        lines.append(
            f"{one_line(q['question_id'])[:15]:<16}{q['n']:>5}{_fmt(q['pearson']):>9}{_fmt(q['spearman']):>9}"
            f"{_fmt(q['rmse']):>8}{_fmt(q['qwk']):>8}{q['mean_human']:>8.2f}{q['mean_grader']:>8.2f}"
        )
    print("\n".join(lines))
