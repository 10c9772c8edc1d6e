"""One root error, one printer: every error a user can meet derives from MockInterviewError,
and the command line turns any of them into one line and its exit code, never a traceback."""

from __future__ import annotations

import argparse

import pytest

from mockinterview import cli
from mockinterview.errors import MockInterviewError


def test_every_user_facing_error_has_the_one_root() -> None:
    from mockinterview.bank.importers import SourceError
    from mockinterview.bank.markdown import BankFileError
    from mockinterview.config import ConfigError
    from mockinterview.grading.batch import BatchError
    from mockinterview.grading.llm.client import LLMUnavailable
    from mockinterview.grading.llm.enrich import EnrichError
    from mockinterview.practice.plan import PlanError
    from mockinterview.rubrics.merge import RubricMergeError
    from mockinterview.store import StoreError

    for error in (
        SourceError,
        BankFileError,
        ConfigError,
        BatchError,
        LLMUnavailable,
        EnrichError,
        PlanError,
        RubricMergeError,
        StoreError,
        cli.CliError,
    ):
        assert issubclass(error, MockInterviewError), error


def test_an_error_escaping_a_command_is_printed_as_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from mockinterview.cli import history
    from mockinterview.store import StoreError

    def broken(args: argparse.Namespace) -> int:
        raise StoreError("/tmp/x.db: database is locked")

    monkeypatch.setattr(history, "run", broken)
    assert cli.main(["history"]) == 1
    err = capsys.readouterr().err
    assert err == "mockinterview: /tmp/x.db: database is locked\n"
