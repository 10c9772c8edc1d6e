"""The command line (DESIGN.md contract). Parsing only: each command lives in its own module,
imported when it runs, so `--help` and `--version` never pay for Textual, openai or rapidfuzz."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from mockinterview import __version__
from mockinterview.errors import InputError, MockInterviewError, describe

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2


class CliError(InputError):
    """Bad input: printed as `mockinterview: <message>` and exit 1."""


def _add_grader_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--grader",
        choices=["offline", "llm"],
        default=None,
        help="which grader to use (default: offline, or the config file's choice)",
    )
    parser.add_argument("--llm-model", metavar="NAME", help="model name for --grader llm")
    parser.add_argument("--llm-base-url", metavar="URL", help="OpenAI-compatible endpoint")


class _LocalLLM(argparse.Action):
    """`--llm ollama`: that local server's preset, and the LLM grader (nothing else to say)."""

    def __call__(
        self, parser: object, namespace: argparse.Namespace, value: object, *_: object
    ) -> None:
        namespace.llm_preset = value
        namespace.grader = "llm"


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0: {value!r}")
    return seconds


def _add_llm_preset_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--llm",
        dest="llm_preset",
        action=_LocalLLM,
        choices=["ollama", "lmstudio", "llamacpp", "vllm"],
        help="grade with a local server at its usual address, no key (implies --grader llm)",
    )


def _add_llm_flags(parser: argparse.ArgumentParser) -> None:
    _add_llm_preset_flag(parser)
    parser.add_argument(
        "--llm-deadline",
        type=_seconds,
        metavar="S",
        help="most seconds one LLM grade may take, retries included (default 60), then offline",
    )


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"expected a number of processes, 1 or more: {value!r}")
    return jobs


def _add_jobs_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--jobs",
        type=_jobs,
        metavar="N",
        help="grading processes for the offline grader (default: every CPU for 200+ rows, "
        "else 1); the LLM grader keeps its own concurrency",
    )


def _add_session_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--topic", help="only questions of this topic")
    parser.add_argument("--tag", help="only questions with this tag")
    parser.add_argument("--count", type=int, metavar="N", help="how many questions")
    parser.add_argument(
        "--no-follow-ups",
        dest="no_follow_ups",
        action="store_true",
        help="ask no follow-up question after an answer (default: as last set on the start form)",
    )
    _add_grader_flags(parser)
    _add_llm_preset_flag(parser)


def _add_global_flags(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--bank",
        metavar="DIR",
        default=default,
        help="question bank folder (env MOCKINTERVIEW_BANK; rubrics sit in ../rubrics)",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default,
        help="where attempts are stored (env MOCKINTERVIEW_HOME)",
    )


class _NeedFullParser(Exception):
    """The quick parser met something it cannot judge alone: parse again with the full one."""


class _QuickParser(argparse.ArgumentParser):
    """A parser holding only the commands named on the command line; on any error it hands
    over to the full parser, so messages (which list every command) stay the same."""

    def error(self, message: str) -> NoReturn:
        raise _NeedFullParser(message)


def build_parser(
    only: frozenset[str] | None = None, parser_class: type[argparse.ArgumentParser] | None = None
) -> argparse.ArgumentParser:
    """The command line. `only`: build just these commands' sub-parsers (a quick start; each
    costs about a millisecond), the others being left out; None builds them all."""

    def wanted(name: str) -> bool:
        return only is None or name in only

    parser = (parser_class or argparse.ArgumentParser)(
        prog="mockinterview",
        description="Practise technical interviews in the terminal. With no command, opens "
        "the interview app on the bundled question bank.",
    )
    parser.add_argument("--version", action="version", version=f"mockinterview {__version__}")
    _add_global_flags(parser, None)
    _add_session_flags(parser)
    # Global flags are accepted after the command too; SUPPRESS keeps a value given before it.
    common = argparse.ArgumentParser(add_help=False)
    _add_global_flags(common, argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(
        group: argparse._SubParsersAction, name: str, **kw: object
    ) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = group.add_parser(name, parents=[common], **kw)  # type: ignore[arg-type]
        return parser

    if wanted("practice"):
        practice = command(sub, "practice", help="start a mock interview session (the default)")
        _add_session_flags(practice)

    if wanted("bank"):
        bank = command(sub, "bank", help="import, list and validate questions")
        bank_sub = bank.add_subparsers(dest="bank_command", metavar="ACTION", required=True)
        imp = command(
            bank_sub,
            "import",
            help="seed pages, Markdown Q&A, CSV/TSV, JSONL, Anki text or .apkg -> bank files",
        )
        imp.add_argument("files", nargs="+", metavar="FILE")
        imp.add_argument("--topic", help="topic for questions whose source names none")
        imp.add_argument("--dry-run", action="store_true", help="report, write nothing")
        imp.add_argument(
            "--format",
            choices=["auto", "seed", "markdown", "csv", "tsv", "jsonl", "anki-text", "apkg"],
            default="auto",
            help="the files' format (default: guessed from the content, then the suffix)",
        )
        imp.add_argument(
            "--columns",
            metavar="MAP",
            help="which column holds what, by header name or 1-based position: "
            "question=Front,answer=Back,topic=Deck,tags=Tags (also id, guid, title, difficulty)",
        )
        imp.add_argument(
            "--replace",
            action="store_true",
            help="overwrite the question and answer of existing files whose text differs "
            "(without it such a row is a conflict: exit 1, file untouched)",
        )
        lst = command(bank_sub, "list", help="list the questions of the bank")
        lst.add_argument("--format", choices=["table", "json"], default="table")
        val = command(bank_sub, "validate", help="check bank and rubric files; exit 1 on error")
        val.add_argument("path", nargs="?", metavar="PATH", help="a bank folder or file")

    if wanted("rubrics"):
        rubrics = command(sub, "rubrics", help="derive and enrich rubrics/<ID>.toml")
        rub_sub = rubrics.add_subparsers(dest="rubrics_command", metavar="ACTION", required=True)
        build = command(rub_sub, "build", help="derive or refresh rubrics/<ID>.toml")
        build.add_argument("ids", nargs="*", metavar="ID")
        build.add_argument(
            "--force",
            action="store_true",
            help="rebuild from scratch, discarding hand edits (curated files are otherwise kept)",
        )
        enrich = command(
            rub_sub, "enrich", help="ask the LLM for more alternatives and misconceptions (diff)"
        )
        enrich.add_argument("ids", nargs="*", metavar="ID", help="default: every question")
        confirm = enrich.add_mutually_exclusive_group()
        confirm.add_argument("--yes", action="store_true", help="write without asking")
        confirm.add_argument("--dry-run", action="store_true", help="print the diff only")
        enrich.add_argument("--llm-model", metavar="NAME", help="model name (as for grading)")
        enrich.add_argument("--llm-base-url", metavar="URL", help="OpenAI-compatible endpoint")

    if wanted("grade"):
        grade = command(sub, "grade", help="grade one answer, or a whole CSV/JSONL, headless")
        target = grade.add_mutually_exclusive_group(required=True)
        target.add_argument("--question", metavar="ID", help="the question the answer is for")
        target.add_argument("--batch", metavar="FILE", help=".csv or .jsonl: question_id, answer")
        grade.add_argument("--answer-file", metavar="F", help="the answer; '-' or absent: stdin")
        grade.add_argument("--out", metavar="F", help="with --batch: output file (default stdout)")
        grade.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="one answer: text or JSON; --batch: an --out extension (.csv, .jsonl) decides, "
            "else json writes JSONL and text the input's format",
        )
        grade.add_argument(
            "--save",
            action="store_true",
            help="record the attempt in your history (--question); if the history cannot be "
            "opened the grade is still printed, then exit 1",
        )
        _add_grader_flags(grade)
        _add_llm_flags(grade)
        _add_jobs_flag(grade)

    if wanted("eval"):
        ev = command(sub, "eval", help="agreement of the grader with human-graded answers")
        ev.add_argument("file", metavar="FILE.csv", nargs="?")
        ev.add_argument(
            "--mine",
            action="store_true",
            help="instead of FILE.csv: agreement with your own corrections of your grades",
        )
        ev.add_argument("--format", choices=["text", "json"], default="text")
        _add_grader_flags(ev)
        _add_jobs_flag(ev)

    if wanted("history"):
        hist = command(sub, "history", help="past attempts")
        hist.add_argument("--question", metavar="ID")
        hist.add_argument("--format", choices=["table", "json"], default="table")
        hist.add_argument("--limit", type=int, metavar="N", help="newest N attempts")

    if wanted("export"):
        exp = command(sub, "export", help="export attempts for a mentor, a spreadsheet or a script")
        exp.add_argument(
            "--format",
            choices=["json", "csv", "md"],
            default=None,
            help="default: from the --out extension (.json, .csv, .md), else md",
        )
        exp.add_argument("--out", metavar="F", help="output file (default stdout)")

    if wanted("llm"):
        llm = command(sub, "llm", help="the optional LLM grader")
        llm_sub = llm.add_subparsers(dest="llm_command", metavar="ACTION", required=True)
        check = command(llm_sub, "check", help="send one tiny request and report what works")
        _add_grader_flags(check)
        _add_llm_flags(check)

    if wanted("completion"):
        comp = command(
            sub, "completion", help="tab completion for bash, zsh or fish (see --install)"
        )
        comp.add_argument(
            "shell", nargs="?", choices=["bash", "zsh", "fish"], help="default: $SHELL"
        )
        comp.add_argument(
            "--install", action="store_true", help="write it where the shell looks for it"
        )
    return parser


# command name -> module under mockinterview.cli that has `run(args) -> int`
_HANDLERS = {
    None: "practice",
    "practice": "practice",
    "bank": "bank",
    "rubrics": "rubrics",
    "grade": "grade",
    "eval": "evaluate",
    "history": "history",
    "export": "history",
    "llm": "llm",
    "completion": "completion",
}


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse with only the named commands built (the app starts sooner); help, version and
    every error go through the full parser, so what is printed never changes."""
    if argv is None and "_ARGCOMPLETE" in os.environ:  # a tab in the shell: print, exit
        import argcomplete

        argcomplete.autocomplete(build_parser())
    tokens = list(sys.argv[1:] if argv is None else argv)
    if not any(t.startswith(("-h", "--h", "--v")) for t in tokens):
        named = frozenset(t for t in tokens if t in _HANDLERS)
        try:
            return build_parser(named, _QuickParser).parse_args(tokens)
        except _NeedFullParser:
            pass
    return build_parser().parse_args(tokens)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    module = importlib.import_module(f"mockinterview.cli.{_HANDLERS[args.command]}")
    try:
        return int(module.run(args) or 0)
    except MockInterviewError as exc:  # bad input, a failing store or endpoint: one line
        print(describe(exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("mockinterview: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
