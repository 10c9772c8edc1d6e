"""The help screen lists the keys of the screen it was opened from, beside the app's own."""

from __future__ import annotations

from textual.widgets import Markdown

from mockinterview.store import Store
from mockinterview.tui.screens.help import HelpScreen
from tui_helpers import build_app

SIZE = (100, 30)


async def test_help_lists_the_keys_of_the_screen_it_was_opened_from() -> None:
    app = build_app(Store.open(":memory:"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        expected = {
            "start": ["`ctrl+s`"],
            "review": ["`/`", "`c`", "`r`", "`g`", "`G`", "`s`", "`enter`"],
            "progress": ["`p`"],
        }
        for where, keys in expected.items():
            if where != "start":
                app.action_open(where)
                await pilot.pause()
            await pilot.press("f1")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            text = app.screen.query_one(Markdown).source
            for key in [*keys, "`f1` or `?`", "`f2`", "`ctrl+q`", "`ctrl+p`"]:
                assert key in text, (where, key)
            await pilot.press("escape")
            await pilot.pause()
            if where != "start":
                footer_keys = {
                    b.binding.key for b in app.active_bindings.values() if b.binding.show
                }
                assert set(keys) - {"`/`"} <= {f"`{k}`" for k in footer_keys} | {"`enter`"}
                app.pop_screen()
                await pilot.pause()
