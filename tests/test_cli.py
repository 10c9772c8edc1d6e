"""The command line's own promises: every command has --help, and help is cheap."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mockinterview import __version__
from mockinterview.cli import build_parser, main

COMMANDS = [
    [],
    ["practice"],
    ["bank", "import"],
    ["bank", "list"],
    ["bank", "validate"],
    ["rubrics", "build"],
    ["rubrics", "enrich"],
    ["grade"],
    ["eval"],
    ["history"],
    ["export"],
    ["llm", "check"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "top")
def test_every_command_has_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: mockinterview" in capsys.readouterr().out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == f"mockinterview {__version__}"


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["grade"])  # needs --question or --batch
    assert exit_info.value.code == 2
    assert "--question" in capsys.readouterr().err


def test_global_flags_are_accepted_after_the_command() -> None:
    args = build_parser().parse_args(["bank", "list", "--bank", "/tmp/b", "--data-dir", "/tmp/d"])
    assert (args.bank, args.data_dir) == ("/tmp/b", "/tmp/d")
    before = build_parser().parse_args(["--bank", "/tmp/b", "bank", "list"])
    assert before.bank == "/tmp/b"


def test_help_imports_neither_textual_nor_openai() -> None:
    probe = (
        "import sys\n"
        "from mockinterview.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('textual', 'openai', 'tiktoken', 'pydantic', 'rapidfuzz')"
        " if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert "HEAVY []" in out


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["practice", "--count", "1"],
        ["--bank", "/b", "practice", "--tag", "t", "--data-dir", "/d"],
        ["--topic", "grade", "practice"],
        ["bank", "list", "--format", "json"],
        ["rubrics", "build", "A", "--force"],
        ["rubrics", "enrich", "A", "B", "--dry-run", "--llm-model", "m"],
        ["rubrics", "enrich", "--yes", "--dry-run"],
        ["grade", "--question", "X", "--format", "json"],
        ["--data-dir=/x", "history", "--limit", "3"],
        ["llm", "check", "--grader", "llm"],
        ["practice", "--count", "x"],
        ["--topic", "practice", "bogus"],
        ["practice", "--bogus"],
        ["bank"],
    ],
)
def test_quick_parse_is_the_full_parse(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Only the commands named are built to start sooner; results and errors are the same."""
    from mockinterview.cli import parse_args

    def outcome(parse: object) -> object:
        try:
            return vars(parse(argv))  # type: ignore[operator]
        except SystemExit as exc:
            return exc.code, capsys.readouterr().err

    assert outcome(parse_args) == outcome(lambda a: build_parser().parse_args(a))
