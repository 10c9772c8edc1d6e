"""The grader settings screen: local servers found by `llm check`'s probe, a pick or a typed
endpoint, one tiny test request, and the choice saved to the config file (mode 600), all
against fake servers on 127.0.0.1. Also `practice --llm ollama` reaching the app."""

from __future__ import annotations

import socket
import stat
import tomllib
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select, Static

from fake_llm_server import FakeServer, Script, envelope
from mockinterview import config
from mockinterview.store import Store
from mockinterview.tui.screens.grader_settings import GraderSettingsScreen
from mockinterview.tui.screens.start import StartScreen
from tui_helpers import build_app, wait_for_screen, wait_until, workers_done

SIZE = (110, 40)
SECRET = "sk-test-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def local_ollama(monkeypatch):
    """Every preset moved to a free port of 127.0.0.1, a fake ollama listening on its own."""
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "MOCKINTERVIEW_LLM_MODEL"):
        monkeypatch.delenv(name, raising=False)
    moved = {name: f"http://127.0.0.1:{free_port()}/v1" for name in config.PRESETS}
    port = int(moved["ollama"].rsplit(":", 1)[1].split("/")[0])
    monkeypatch.setattr(config, "PRESETS", moved)
    script = Script([lambda payload: (200, envelope('{"ok": true}'))])
    with FakeServer(script, port=port, models=["llama3.2:3b", "qwen2.5:7b"]) as server:
        yield server, moved["ollama"]


def app_with_config(tmp_path: Path):
    app = build_app(Store.open(":memory:"))
    app.settings.config_file = tmp_path / "config.toml"
    return app


def status(screen) -> str:
    return str(screen.query_one("#probe-status", Static).render())


async def test_pick_a_found_model_test_it_and_save_it_to_the_config_file(
    local_ollama, tmp_path, monkeypatch
):
    server, url = local_ollama
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    app = app_with_config(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, StartScreen)
        await pilot.press("g")
        screen = await wait_for_screen(pilot, GraderSettingsScreen)
        await workers_done(pilot)
        await wait_until(pilot, lambda: "Found ollama (2 models)" in status(screen), "the probe")
        table = screen.query_one("#servers", DataTable)
        assert table.row_count == 2
        table.move_cursor(row=1)
        table.focus()
        await pilot.press("enter")
        assert screen.query_one("#base-url", Input).value == url
        assert screen.query_one("#model", Input).value == "qwen2.5:7b"

        await pilot.press("ctrl+t")
        await workers_done(pilot)
        result = str(screen.query_one("#test-result", Static).render())
        assert "It works" in result and "model 'qwen2.5:7b' answers" in result
        assert server.script.requests[-1]["model"] == "qwen2.5:7b"  # one tiny request
        assert SECRET not in str(server.script.headers)  # no key goes to a local server

        await pilot.press("ctrl+s")
        start = await wait_for_screen(pilot, StartScreen)
        assert start.query_one("#grader", Select).value == "llm"
    path = tmp_path / "config.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    saved = tomllib.loads(path.read_text())
    assert saved == {"grader": "llm", "llm": {"preset": "ollama", "model": "qwen2.5:7b"}}
    assert (app.settings.llm_available, app.settings.llm_preset) == (True, "ollama")
    assert app.settings.llm_model == "qwen2.5:7b"


async def test_a_typed_endpoint_is_saved_and_the_rest_of_the_file_kept(local_ollama, tmp_path):
    _server, url = local_ollama
    path = tmp_path / "config.toml"
    path.write_text("# my settings\n[llm]\ntimeout = 90\n", encoding="utf-8")
    app = app_with_config(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, StartScreen)
        app.action_grader_settings()  # as the palette's "Grader settings" does
        screen = await wait_for_screen(pilot, GraderSettingsScreen)
        await workers_done(pilot)
        screen.query_one("#base-url", Input).value = url.replace("/v1", "/v1/")
        screen.query_one("#model", Input).value = "llama3.2:3b"
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, StartScreen)
    text = path.read_text()
    assert text.startswith("# my settings")
    assert tomllib.loads(text) == {
        "grader": "llm",
        "llm": {"timeout": 90, "base_url": url.replace("/v1", "/v1/"), "model": "llama3.2:3b"},
    }
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


async def test_nothing_running_is_said_and_nothing_is_saved_on_escape(monkeypatch, tmp_path):
    moved = {name: f"http://127.0.0.1:{free_port()}/v1" for name in config.PRESETS}
    monkeypatch.setattr(config, "PRESETS", moved)
    app = app_with_config(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, StartScreen)
        await pilot.press("g")
        screen = await wait_for_screen(pilot, GraderSettingsScreen)
        await workers_done(pilot)
        await wait_until(pilot, lambda: "No local server found" in status(screen), "the probe")
        await pilot.press("escape")
        await wait_for_screen(pilot, StartScreen)
    assert not (tmp_path / "config.toml").exists()


async def test_the_palette_offers_the_grader_settings(tmp_path):
    app = app_with_config(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, StartScreen)
        (command,) = [
            c for c in app.get_system_commands(app.screen) if c.title == "Grader settings"
        ]
        command.callback()
        await wait_for_screen(pilot, GraderSettingsScreen)
        await workers_done(pilot)


def test_practice_takes_llm_ollama(monkeypatch, tmp_path):
    """`practice --llm ollama` opens the app with that preset and the LLM grader chosen."""
    from mockinterview.cli import main
    from mockinterview.tui import app as app_module

    seen = {}

    def fake_run(self) -> None:
        seen["settings"] = self.settings

    monkeypatch.setattr(app_module.MockInterviewApp, "run", fake_run)
    monkeypatch.setenv("MOCKINTERVIEW_HOME", str(tmp_path))
    monkeypatch.setenv("OPENAI_API_KEY", "sk-never-sent-to-a-local-server")
    assert main(["--data-dir", str(tmp_path), "practice", "--llm", "ollama"]) == 0
    settings = seen["settings"]
    assert (settings.llm_preset, settings.grader, settings.llm_available) == ("ollama", "llm", True)
