"""The root of every error a user can meet, and the one way it is put into words.

Every error raised for bad input or a failing resource (a file, a setting, the store, an
endpoint) derives from `MockInterviewError`: its message names what and where. The command line
prints it in one place (`cli.main`), the app shows it in place. Kept import-free so a face can
catch it without loading the modules that raise it.
"""

from __future__ import annotations


class MockInterviewError(Exception):
    """An error with a message fit for the user; `exit_code` is what the command line returns."""

    exit_code = 1


class InputError(MockInterviewError):
    """Bad input (a file, a flag, a setting): the message names what and where; exit 1."""


def describe(error: BaseException) -> str:
    """The one line shown for an error: `mockinterview: <message>`."""
    message = str(error).strip() or type(error).__name__
    return f"mockinterview: {message}"
