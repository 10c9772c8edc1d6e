"""`rubrics build` and `rubrics enrich`: writing rubrics/<ID>.toml.

`build` derives rubrics from the reference answers and keeps curated files as they are unless
`--force`. `enrich` asks the configured LLM for more alternatives and misconceptions, prints the
change as a unified diff, and writes it only when confirmed (a y/N prompt on a terminal, `--yes`
in scripts); `--dry-run`, or no terminal and no `--yes`, writes nothing.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from mockinterview import locations
from mockinterview.cli import EXIT_BAD_INPUT, EXIT_OK, CliError
from mockinterview.cli.context import bank_from_args

if TYPE_CHECKING:
    from mockinterview.bank import Bank
    from mockinterview.grading.llm.enrich import Enrichment


def run(args: argparse.Namespace) -> int:
    action = {"build": _build, "enrich": _enrich}[args.rubrics_command]
    return action(args)


def _bank_and_ids(args: argparse.Namespace) -> tuple[Bank, list[str]]:
    bank = bank_from_args(args)
    unknown = [qid for qid in args.ids if qid not in bank.questions]
    if unknown:
        raise CliError(f"no such question(s) in {bank.root}: {', '.join(unknown)}")
    return bank, list(dict.fromkeys(args.ids)) or list(bank.questions)


def _refuse_installed_copy(bank: Bank) -> None:
    if locations.is_installed_copy(bank.rubrics_root):
        raise CliError(f"{bank.rubrics_root}: read-only installed copy; pass --bank DIR")


def _build(args: argparse.Namespace) -> int:
    from mockinterview.bank.rubric_build import Skipped, build_rubrics, summary

    bank, ids = _bank_and_ids(args)
    _refuse_installed_copy(bank)
    results = build_rubrics(bank, ids, force=args.force)
    for result in results:
        print(result)
    print(f"{summary(results)} in {bank.rubrics_root}")
    return EXIT_BAD_INPUT if any(isinstance(r, Skipped) for r in results) else EXIT_OK


def _enrich(args: argparse.Namespace) -> int:
    from mockinterview.config import ConfigError, load_settings

    bank, ids = _bank_and_ids(args)
    if not args.dry_run:
        _refuse_installed_copy(bank)
    try:
        settings = load_settings(llm_model=args.llm_model, llm_base_url=args.llm_base_url)
    except ConfigError as exc:
        raise CliError(str(exc)) from exc
    if not settings.api_key and not settings.llm_base_url:
        raise CliError(
            "no LLM configured for `rubrics enrich`: pass --llm-base-url URL (a local "
            "OpenAI-compatible server) or set OPENAI_API_KEY, or [llm] base_url / api_key in "
            "config.toml (`mockinterview llm check` tests it); no rubric changed"
        )
    from mockinterview.grading.llm.enrich import EnrichError, enrich_question, open_endpoint
    from mockinterview.rubrics.files import rubric_path

    endpoint = open_endpoint(settings)
    done: list[Enrichment] = []
    failed: list[str] = []
    endpoint_down: str | None = None
    for qid in ids:
        path = rubric_path(bank.rubrics_root, qid)
        if endpoint_down is not None:
            failed.append(qid)
            _error(
                f"{qid}: not asked, the endpoint failed on an earlier question ({endpoint_down})"
            )
            continue
        try:
            done.append(enrich_question(bank.questions[qid], path, endpoint))
        except EnrichError as exc:
            failed.append(qid)
            _error(f"{qid}: {exc}; {path.name} unchanged")
            if exc.endpoint_failed:
                endpoint_down = qid
    for enrichment in done:
        print(f"# {enrichment.summary()}")
        print(enrichment.diff(), end="")
    changed = [e for e in done if e.changed]
    code = EXIT_BAD_INPUT if failed else EXIT_OK
    if not changed:
        if done:
            print("Nothing to write: no rubric gained anything.")
        return code
    names = ", ".join(e.path.name for e in changed)
    if args.dry_run:
        print(f"Dry run: nothing written ({len(changed)} file(s) would change: {names}).")
        return code
    if not args.yes and not sys.stdin.isatty():
        print(
            f"Nothing written: not a terminal and no --yes ({len(changed)} file(s) would change: "
            f"{names}). Pass --yes to write them."
        )
        return code
    if not args.yes and not _confirm(f"Write {len(changed)} file(s) ({names})? [y/N] "):
        print("Nothing written.")
        return code
    return _write(changed, code)


def _write(changed: list[Enrichment], code: int) -> int:
    from mockinterview.grading.llm.enrich import EnrichError, write_enrichment

    for enrichment in changed:
        try:
            write_enrichment(enrichment)
        except EnrichError as exc:
            _error(f"{enrichment.question_id}: {exc}")
            code = EXIT_BAD_INPUT
        else:
            print(f"wrote {enrichment.path}")
    return code


def _confirm(prompt: str) -> bool:
    try:
        return input(prompt).strip().lower() in ("y", "yes")
    except EOFError:
        return False


def _error(message: str) -> None:
    print(f"mockinterview: {message}", file=sys.stderr)
