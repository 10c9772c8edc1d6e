"""`mockinterview completion`: tab completion of commands and flags in bash, zsh and fish.

The shell code comes from argcomplete: at a tab the shell runs `mockinterview` with
`_ARGCOMPLETE` set, and `cli.parse_args` hands the parser to argcomplete, which prints the
candidates and exits. argcomplete is imported only then, so `--help` and the app pay nothing.

`--install` writes the code where each shell looks for it (the shell from `$SHELL` unless
named): bash-completion's per-user folder, fish's completions folder, and for zsh a file
sourced from `~/.zshrc` (one line added once).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from mockinterview.cli import CliError

SHELLS = ("bash", "zsh", "fish")
ZSHRC_LINE = "[ -f {path} ] && source {path}  # mockinterview completion"


def shell_code(shell: str) -> str:

    from argcomplete.shell_integration import shellcode

    return str(shellcode(["mockinterview"], shell=shell))


def _data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def _config_home() -> Path:
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")


def install(shell: str) -> str:
    """Write the completion where `shell` finds it; what was done, for the candidate."""
    code = shell_code(shell)
    if shell == "bash":
        target = _data_home() / "bash-completion" / "completions" / "mockinterview"
        note = "new bash shells complete mockinterview (through bash-completion)"
    elif shell == "fish":
        target = _config_home() / "fish" / "completions" / "mockinterview.fish"
        note = "new fish shells complete mockinterview"
    else:
        target = _data_home() / "mockinterview" / "completion.zsh"
        zshrc = Path(os.environ.get("ZDOTDIR") or Path.home()) / ".zshrc"
        line = ZSHRC_LINE.format(path=target)
        try:
            current = zshrc.read_text(encoding="utf-8") if zshrc.exists() else ""
            if line not in current:
                with zshrc.open("a", encoding="utf-8") as out:
                    out.write(
                        ("\n" if current and not current.endswith("\n") else "") + line + "\n"
                    )
        except OSError as exc:
            raise CliError(f"{zshrc}: cannot add the completion line: {exc.strerror}") from exc
        note = f"new zsh shells complete mockinterview ({zshrc} sources it, after compinit)"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(code, encoding="utf-8")
    except OSError as exc:
        raise CliError(f"{target}: cannot write the completion: {exc.strerror}") from exc
    return f"wrote {target}: {note}"


def run(args: argparse.Namespace) -> int:
    shell = args.shell
    if shell is None:
        shell = Path(os.environ.get("SHELL", "")).name
        if shell not in SHELLS:
            raise CliError(
                f"which shell? $SHELL is {shell or 'not set'}: name one of {', '.join(SHELLS)}"
            )
    if args.install:
        print(install(shell))
    else:
        print(shell_code(shell), end="")
    return 0
