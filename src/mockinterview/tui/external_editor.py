"""Writing a long answer in the candidate's own editor (`ctrl+g` on the question screen).

The answer goes to a private temporary file, the app hands the terminal over
(`App.suspend()`) to `$VISUAL` (else `$EDITOR`), and what the editor saved comes back into the
answer box. The draft is saved before the editor opens, so nothing typed can be lost; if no
editor is set, it cannot start, or it exits with an error, `EditorError` says so and the answer
is left exactly as it was.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from mockinterview.errors import MockInterviewError


class EditorError(MockInterviewError):
    """The editor could not be used: the message says why and what to do; nothing changed."""


def editor_command(environ: dict[str, str] | None = None) -> list[str]:
    """`$VISUAL`, else `$EDITOR`, split as a shell would (`code --wait` is two words)."""
    env = os.environ if environ is None else environ
    for name in ("VISUAL", "EDITOR"):
        raw = env.get(name, "").strip()
        if not raw:
            continue
        try:
            command = shlex.split(raw)
        except ValueError as exc:
            raise EditorError(f"${name} ({raw!r}) cannot be read as a command: {exc}.") from exc
        if command:
            return command
    raise EditorError(
        "No editor is set: set $VISUAL or $EDITOR (for example `export EDITOR=nano`) to write "
        "answers in your own editor."
    )


def edit_in_editor(app: Any, text: str) -> str:
    """Open `text` in the candidate's editor with the app suspended; the text saved there.
    Raises EditorError (the answer untouched) when the editor is missing or fails."""
    command = editor_command()
    fd, name = tempfile.mkstemp(prefix="mockinterview-answer-", suffix=".md")
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:  # mode 600: the answer is private
            handle.write(text)
        status = _run(app, [*command, str(path)])
        if status != 0:
            raise EditorError(
                f"Your editor ({command[0]}) exited with status {status}: your answer was left "
                "as it was."
            )
        try:
            edited = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise EditorError(
                f"Could not read back what your editor saved ({exc}): your answer was left as "
                "it was."
            ) from exc
    finally:
        path.unlink(missing_ok=True)
    if not text.endswith("\n") and edited.endswith("\n"):
        edited = edited[:-1]  # the final newline every editor adds is not part of the answer
    return edited


def _run(app: Any, argv: list[str]) -> int:
    """Run the editor with the terminal handed over; its exit status. Headless (tests, no
    terminal) there is nothing to hand over: it just runs."""
    from textual.app import SuspendNotSupported

    try:
        try:
            with app.suspend():
                return subprocess.run(argv, check=False).returncode
        except SuspendNotSupported:
            if not getattr(app, "is_headless", False):
                raise EditorError(
                    "This terminal cannot hand over to another program: your answer was left "
                    "as it was."
                ) from None
        return subprocess.run(argv, check=False, stdin=subprocess.DEVNULL).returncode
    except FileNotFoundError as exc:
        raise EditorError(
            f"Could not start your editor: {argv[0]!r} was not found (check $VISUAL / $EDITOR). "
            "Your answer was left as it was."
        ) from exc
    except OSError as exc:
        raise EditorError(
            f"Could not start your editor {argv[0]!r} ({exc.strerror or exc}): your answer was "
            "left as it was."
        ) from exc
