"""`ctrl+g` on the question screen: the answer in $VISUAL / $EDITOR and back, the draft kept.

The editor is a small script run by this Python: it keeps what it was given in a side file and
rewrites the answer file, as a person saving in their editor would (or fails, on request)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest
from textual.widgets import TextArea

from mockinterview.practice.plan import SessionPlan
from mockinterview.store import Store
from mockinterview.tui.external_editor import EditorError, editor_command
from mockinterview.tui.screens.question import QuestionScreen
from tui_helpers import build_app, wait_for_screen, wait_until

SIZE = (100, 30)
EDITOR = """\
import sys
from pathlib import Path

answer = Path(sys.argv[-1])
side = Path(sys.argv[1])
side.write_text(answer.read_text(encoding="utf-8"), encoding="utf-8")
if sys.argv[2] == "fail":
    answer.write_text("this must not come back", encoding="utf-8")
    sys.exit(3)
answer.write_text(sys.argv[2].replace("|", "\\n") + "\\n", encoding="utf-8")
"""


@pytest.fixture
def fake_editor(tmp_path: Path, monkeypatch):
    """Set $VISUAL to the fake editor; returns (side file, set what it writes)."""
    script = tmp_path / "editor.py"
    script.write_text(EDITOR, encoding="utf-8")
    side = tmp_path / "given.md"

    def writes(text: str) -> None:
        command = [sys.executable, str(script), str(side), text]
        monkeypatch.setenv("VISUAL", shlex.join(command))

    monkeypatch.delenv("EDITOR", raising=False)
    return side, writes


def draft_text(app) -> str | None:
    session = app.session
    draft = app.store.draft(session.id, session.current_id)
    return None if draft is None else draft.text


async def typed(pilot, text: str) -> TextArea:
    await wait_for_screen(pilot, QuestionScreen)
    editor = pilot.app.screen.query_one("#answer", TextArea)
    editor.text = text
    await pilot.pause()
    return editor


async def test_ctrl_g_opens_the_answer_in_the_editor_and_takes_back_what_was_saved(fake_editor):
    side, writes = fake_editor
    writes("A longer answer|written in my own editor.")
    app = build_app(Store.open(":memory:"), plan=SessionPlan(mode="all"))
    async with app.run_test(size=SIZE) as pilot:
        editor = await typed(pilot, "A first line typed here.")
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: "own editor" in editor.text, "the edited answer back")
        assert side.read_text() == "A first line typed here."  # the editor got the draft
        assert editor.text == "A longer answer\nwritten in my own editor."
        assert draft_text(app) == "A longer answer\nwritten in my own editor."
        assert str(app.screen.query_one("#words").render()) == "8 words"


async def test_a_failing_editor_leaves_the_answer_and_its_draft_untouched(fake_editor):
    side, writes = fake_editor
    writes("fail")
    app = build_app(Store.open(":memory:"), plan=SessionPlan(mode="all"))
    async with app.run_test(size=SIZE) as pilot:
        editor = await typed(pilot, "Keep me.")
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: bool(app._notifications), "a notice")
        notice = next(iter(app._notifications)).message
        assert "exited with status 3" in notice and "left as it was" in notice
        assert side.read_text() == "Keep me."
        assert editor.text == "Keep me."
        assert draft_text(app) == "Keep me."  # saved before the editor opened


async def test_a_missing_editor_is_named_and_the_answer_kept(monkeypatch):
    monkeypatch.setenv("VISUAL", "/nonexistent/bin/no-such-editor --wait")
    app = build_app(Store.open(":memory:"), plan=SessionPlan(mode="all"))
    async with app.run_test(size=SIZE) as pilot:
        editor = await typed(pilot, "Still here.")
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: bool(app._notifications), "a notice")
        notice = next(iter(app._notifications)).message
        assert "'/nonexistent/bin/no-such-editor' was not found" in notice
        assert editor.text == "Still here." and draft_text(app) == "Still here."


async def test_ctrl_e_in_the_answer_box_is_end_of_line_and_opens_no_editor(fake_editor):
    side, writes = fake_editor
    writes("must not appear")
    app = build_app(Store.open(":memory:"), plan=SessionPlan(mode="all"))
    async with app.run_test(size=SIZE) as pilot:
        editor = await typed(pilot, "first line\nsecond")
        editor.focus()
        editor.move_cursor((0, 0))
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: editor.cursor_location == (0, 10), "the end of line 1")
        assert not side.exists() and editor.text == "first line\nsecond"


def test_no_editor_set_says_how_to_set_one():
    with pytest.raises(EditorError, match=r"set \$VISUAL or \$EDITOR"):
        editor_command({})
    assert editor_command({"EDITOR": "code --wait"}) == ["code", "--wait"]
    assert editor_command({"VISUAL": "nvim", "EDITOR": "nano"}) == ["nvim"]
