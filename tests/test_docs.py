"""The README and docs/ stay true: every command's `--help` appears in docs/commands.md, every
`mockinterview ...` example uses flags the command has, and every link and repository path
they name exists inside the repository. `python tests/test_docs.py --write` refreshes the help
blocks of docs/commands.md in place (without it, prints every command's block)."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from mockinterview.cli import build_parser, parse_args
from mockinterview.config import _FILE_KEYS, load_settings

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
DOCS = REPO / "docs"
COMMANDS_DOC = DOCS / "commands.md"
HELP_COLUMNS = "100"  # the width docs/commands.md was generated at

_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
_REPO_ROOTS = ("bank/", "rubrics/", "bench/", "docs/", "tests/", "src/", ".ci/")
_REPO_PATH = re.compile(r"^[\w.-]+(?:/[\w.-]+)+/?$")
_INVOCATION = re.compile(r"(?<![\w/.-])mockinterview((?:[ \t]+[^\s`#]+)*)")


def doc_files() -> list[Path]:
    """The README and every page under docs/: the house a newcomer reads."""
    return [README, *sorted(DOCS.glob("*.md"))]


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found.update(action.choices)
    return found


def command_parsers() -> dict[tuple[str, ...], argparse.ArgumentParser]:
    """Every command path of the full parser, () being `mockinterview` itself."""
    found: dict[tuple[str, ...], argparse.ArgumentParser] = {}

    def walk(path: tuple[str, ...], parser: argparse.ArgumentParser) -> None:
        found[path] = parser
        for name, child in _subcommands(parser).items():
            walk((*path, name), child)

    walk((), build_parser())
    return found


@contextlib.contextmanager
def _fixed_terminal() -> Iterator[None]:
    """argparse wraps at the terminal width and, on newer Pythons, may add colour."""
    saved = {name: os.environ.get(name) for name in ("COLUMNS", "NO_COLOR", "PYTHON_COLORS")}
    os.environ.update(COLUMNS=HELP_COLUMNS, NO_COLOR="1", PYTHON_COLORS="0")
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def help_text(path: tuple[str, ...]) -> str:
    """What `mockinterview PATH --help` prints, through the real argument parsing."""
    out = io.StringIO()
    with _fixed_terminal(), contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        parse_args([*path, "--help"])
    return out.getvalue()


def _squeeze(text: str) -> str:
    """Whitespace-insensitive: line wrapping differs between terminal widths and Pythons."""
    return " ".join(text.split())


def _prose(text: str) -> str:
    """The text outside fenced code blocks."""
    return _FENCE.sub("", text)


def _code(text: str) -> list[str]:
    """Fenced blocks' lines and inline code spans: where commands and paths are written."""
    pieces = [line for block in _FENCE.findall(text) for line in block.splitlines()[1:-1]]
    return pieces + _CODE_SPAN.findall(_prose(text))


def _github_anchor(heading: str) -> str:
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    headings = re.findall(r"^#{1,6}\s+(.+?)\s*#*$", _prose(path.read_text(encoding="utf-8")), re.M)
    return {_github_anchor(h) for h in headings}


@pytest.mark.parametrize("path", sorted(command_parsers()), ids=lambda p: " ".join(p) or "main")
def test_every_commands_help_appears_in_the_command_reference(path: tuple[str, ...]) -> None:
    text = help_text(path)
    assert text.startswith("usage: mockinterview"), text
    doc = _squeeze(COMMANDS_DOC.read_text(encoding="utf-8"))
    command = " ".join(("mockinterview", *path))
    assert _squeeze(text) in doc, (
        f"docs/commands.md lacks the current `{command} --help`; refresh it with "
        f"`python tests/test_docs.py --write`:\n{text}"
    )


def test_the_command_reference_has_a_heading_for_every_command() -> None:
    headings = set(re.findall(r"^#{2,4} `([^`]+)`", COMMANDS_DOC.read_text(encoding="utf-8"), re.M))
    wanted = {" ".join(("mockinterview", *path)) for path in command_parsers()}
    assert wanted <= headings, f"no heading for: {sorted(wanted - headings)}"


def _invocations(text: str) -> Iterator[list[str]]:
    for piece in _code(text):
        for match in _INVOCATION.finditer(piece):
            yield match.group(1).split()


def test_every_mockinterview_example_uses_flags_its_command_has() -> None:
    parsers = command_parsers()
    wrong: list[str] = []
    for doc in doc_files():
        for tokens in _invocations(doc.read_text(encoding="utf-8")):
            path: tuple[str, ...] = ()
            for token in tokens:
                if (*path, token) in parsers:
                    path = (*path, token)
                    continue
                for flag in re.findall(r"(?<![\w-])--?[a-z][\w-]*", token):
                    if flag not in parsers[path]._option_string_actions:
                        command = " ".join(("mockinterview", *path))
                        wrong.append(f"{doc.relative_to(REPO)}: {command} has no {flag}")
    assert not wrong, "\n".join(wrong)


def test_every_relative_link_resolves_inside_the_repository() -> None:
    broken: list[str] = []
    for doc in doc_files():
        for target in _LINK.findall(_prose(doc.read_text(encoding="utf-8"))):
            where = f"{doc.relative_to(REPO)}: {target}"
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):
                broken.append(f"{where} (points outside the repository)")
                continue
            file_part, _, anchor = target.partition("#")
            resolved = (doc.parent / file_part).resolve() if file_part else doc
            if not resolved.is_relative_to(REPO):
                broken.append(f"{where} (outside the repository)")
            elif not resolved.exists():
                broken.append(f"{where} (no such file)")
            elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
                broken.append(f"{where} (no such heading)")
    assert not broken, "\n".join(broken)


def test_repository_paths_named_in_code_exist() -> None:
    missing: list[str] = []
    for doc in doc_files():
        for span in _CODE_SPAN.findall(_prose(doc.read_text(encoding="utf-8"))):
            candidate = span.strip()
            named = candidate.startswith(_REPO_ROOTS) and _REPO_PATH.match(candidate)
            if named and not (REPO / candidate).exists():
                missing.append(f"{doc.relative_to(REPO)}: {candidate}")
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("doc", doc_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_nothing_points_outside_the_repository(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    for outside in ("../shared", "DESIGN.md", "/work/"):
        assert outside not in text, f"{doc.relative_to(REPO)} names {outside}"


def _toml_blocks() -> Iterator[tuple[Path, str]]:
    for doc in doc_files():
        for block in _FENCE.findall(doc.read_text(encoding="utf-8")):
            if block.startswith("```toml"):
                yield doc, "\n".join(block.splitlines()[1:-1])


def test_every_toml_example_is_valid_toml() -> None:
    blocks = list(_toml_blocks())
    assert blocks
    for doc, block in blocks:
        try:
            tomllib.loads(block)
        except tomllib.TOMLDecodeError as exc:
            pytest.fail(f"{doc.relative_to(REPO)}: {exc}\n{block}")


def test_the_config_example_is_read_by_the_config_loader(tmp_path: Path) -> None:
    examples = [block for _, block in _toml_blocks() if "[llm]" in block]
    assert examples, "no config.toml example in the docs"
    for block in examples:
        path = tmp_path / "config.toml"
        path.write_text(block, encoding="utf-8")
        settings = load_settings(path=path)
        assert settings.source == str(path)
        keys = re.findall(r"^#?\s*(\w+)\s*=", block.partition("[llm]")[2], re.M)
        assert set(keys) <= set(_FILE_KEYS), f"not settings: {set(keys) - set(_FILE_KEYS)}"
        settable = set(_FILE_KEYS.values()) - {"grader"}
        missing = settable - {_FILE_KEYS[key] for key in keys}
        assert not missing, f"the example leaves out {sorted(missing)}"


def test_the_readme_is_a_short_front_door_with_both_set_up_commands_first() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) < 120
    head = "\n".join(lines[:30])
    assert "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/mockinterview" in head
    test_command = (
        "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"
    )
    assert test_command in head
    assert test_command in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_the_readme_links_every_page_of_the_docs() -> None:
    linked = {
        (REPO / target.partition("#")[0]).resolve()
        for target in _LINK.findall(README.read_text(encoding="utf-8"))
    }
    unlinked = [p.name for p in sorted(DOCS.glob("*.md")) if p.resolve() not in linked]
    assert not unlinked, f"README.md does not link {unlinked}"


_HELP_BLOCK = re.compile(r"```text\nusage: mockinterview(?P<path>(?: [a-z]+)*) \[-h\].*?```", re.S)


def rewrite_help_blocks(text: str) -> str:
    """Every help block of docs/commands.md replaced by the current `--help` of its command."""

    def fresh(match: re.Match[str]) -> str:
        return f"```text\n{help_text(tuple(match.group('path').split()))}```"

    return _HELP_BLOCK.sub(fresh, text)


def test_rewriting_the_help_blocks_keeps_every_command() -> None:
    text = COMMANDS_DOC.read_text(encoding="utf-8")
    paths = {tuple(m.group("path").split()) for m in _HELP_BLOCK.finditer(text)}
    assert paths == set(command_parsers())


def main() -> None:
    """Print every command's help as Markdown; with --write, refresh docs/commands.md in place."""
    if "--write" in sys.argv[1:]:
        text = COMMANDS_DOC.read_text(encoding="utf-8")
        COMMANDS_DOC.write_text(rewrite_help_blocks(text), encoding="utf-8")
        return
    for path in sorted(command_parsers()):
        command = " ".join(("mockinterview", *path))
        sys.stdout.write(f"#### `{command}`\n\n```text\n{help_text(path)}```\n\n")


if __name__ == "__main__":
    main()
