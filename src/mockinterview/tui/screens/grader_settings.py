"""Grader settings: pick a local model server and model, or type an endpoint; test; save.

What `mockinterview llm check` finds with nothing configured is found here too, by the same
probe (`grading.llm.check.probe_local`, in a thread): each usual local server on 127.0.0.1 and
the models it lists. Picking a row fills the base URL and the model; either can be typed
instead. Test sends one tiny request (`check_endpoint`); Save writes the choice to the config
file (mode 600, the rest of the file kept: `config.save_llm_choice`), and the app offers the
LLM grader from then on. Nobody has to edit TOML to start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Input, Label, Static
from textual.worker import Worker, WorkerState

from mockinterview.text.safe import one_line
from mockinterview.tui.host import HostedScreen

if TYPE_CHECKING:
    from mockinterview.grading.llm.check import CheckReport, LocalServer

LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")


class GraderSettingsScreen(HostedScreen, Screen[None]):
    """Choose the LLM grader's server and model; escape goes back without saving."""

    DEFAULT_CSS = """
    GraderSettingsScreen #grader-body { padding: 0 1; }
    GraderSettingsScreen #servers { height: auto; max-height: 12; margin: 0 0 1 0; }
    GraderSettingsScreen #probe-status { color: $text-muted; margin: 0 0 1 0; }
    GraderSettingsScreen #test-result { margin: 1 0 0 0; height: auto; }
    GraderSettingsScreen .setup-row { height: auto; }
    GraderSettingsScreen .setup-label { width: 12; }
    GraderSettingsScreen Input { width: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+t", "test", "Test"),
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("ctrl+r", "probe", "Look again"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.servers: list[LocalServer] = []
        self.preset: str | None = None  # the local server picked, while its URL is unchanged
        self.tested: CheckReport | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(classes="topbar"):
            yield Static("Grader settings · the LLM grader's server and model", id="progress")
        with VerticalScroll(id="grader-body"):
            yield Static("Local servers on 127.0.0.1", classes="section-title")
            yield Static("Looking for ollama, LM Studio, llama.cpp and vLLM…", id="probe-status")
            yield DataTable(id="servers", cursor_type="row", zebra_stripes=True)
            yield Static("Or type an endpoint", classes="section-title")
            settings = self.host.settings
            for label, input_id, value, hint in (
                (
                    "Base URL",
                    "base-url",
                    settings.llm_base_url or "",
                    "http://127.0.0.1:11434/v1 (blank: OpenAI, with OPENAI_API_KEY)",
                ),
                ("Model", "model", settings.llm_model or "", "e.g. qwen2.5:7b"),
            ):
                with Horizontal(classes="setup-row"):
                    yield Label(label, classes="setup-label")
                    yield Input(value, placeholder=hint, id=input_id, compact=True)
            with Horizontal(classes="buttons"):
                yield Button("Test ^t", id="test", compact=True)
                yield Button("Save ^s", id="save", variant="primary", compact=True)
                yield Button("Look again ^r", id="probe", compact=True)
            yield Static("", id="test-result")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#servers", DataTable)
        table.add_columns("server", "model", "address")
        self.action_probe()

    # --- finding local servers --------------------------------------------------------------

    def action_probe(self) -> None:
        """Ask each usual local port for its models, in a thread (half a second at most each)."""
        from mockinterview.grading.llm.check import probe_local

        self.query_one("#probe-status", Static).update(
            "Looking for ollama, LM Studio, llama.cpp and vLLM…"
        )
        self.run_worker(probe_local, thread=True, group="probe", exit_on_error=False)

    def _found(self, servers: list[LocalServer]) -> None:
        self.servers = servers
        table = self.query_one("#servers", DataTable)
        table.clear()
        for index, server in enumerate(servers):
            for number, model in enumerate(server.models or []):
                table.add_row(
                    Text(server.preset),
                    Text(one_line(model)),
                    Text(server.url),
                    key=f"{index}:{number}",
                )
        running = [s for s in servers if s.models is not None]
        absent = [s.preset for s in servers if s.models is None]
        if not running:
            text = (
                "No local server found (" + ", ".join(absent) + "). Start one, then ctrl+r; "
                "or type an endpoint below."
            )
        else:
            names = ", ".join(f"{s.preset} ({len(s.models or [])} models)" for s in running)
            text = f"Found {names}. enter on a row picks it."
            if absent:
                text += " Not running: " + ", ".join(absent) + "."
        self.query_one("#probe-status", Static).update(Text(text))
        if running and table.row_count:
            table.focus()

    @on(DataTable.RowSelected, "#servers")
    def _picked(self, event: DataTable.RowSelected) -> None:
        index, number = (int(part) for part in str(event.row_key.value).split(":"))
        server = self.servers[index]
        self.preset = server.preset
        self.query_one("#base-url", Input).value = server.url
        self.query_one("#model", Input).value = (server.models or [""])[number]
        self.query_one("#test", Button).focus()

    # --- the endpoint typed or picked ---------------------------------------------------------

    def _choice(self) -> tuple[str | None, str | None, str | None]:
        """(base URL, model, preset): the preset only while its address is unchanged."""
        base_url = self.query_one("#base-url", Input).value.strip() or None
        model = self.query_one("#model", Input).value.strip() or None
        preset = self.preset
        if preset is not None:
            from mockinterview import config

            if base_url != config.PRESETS.get(preset):
                preset = None
        return base_url, model, preset

    def _settings(self) -> Any:
        """Settings for a test: the choice over the config file's other values; no key for a
        local address (a key from the environment never goes to a local server)."""
        from dataclasses import replace

        from mockinterview.config import load_settings

        base_url, model, preset = self._choice()
        settings = load_settings(grader="llm", path=self.host.settings.config_file)
        local = base_url is not None and any(f"//{h}" in base_url for h in LOCAL_HOSTS)
        return replace(
            settings,
            llm_base_url=base_url,
            llm_model=model or settings.llm_model,
            llm_preset=preset,
            api_key=None if local or preset else settings.api_key,
            timeout=min(settings.timeout, 20.0),
            max_retries=0,
        )

    def action_test(self) -> None:
        """One tiny request to the endpoint: reachable, key, model, structured output."""
        from mockinterview.config import ConfigError

        base_url, model, _preset = self._choice()
        if model is None:
            self.notify("Type a model name (or pick a row) first.", severity="warning")
            return
        try:
            settings = self._settings()
        except ConfigError as exc:
            self._show_result(Text(str(exc), "bold red"))
            return
        self._show_result(Text(f"Testing {base_url or 'OpenAI'} with {model}…"))

        def test() -> CheckReport:
            from mockinterview.grading.llm.check import check_endpoint

            return check_endpoint(settings)

        self.run_worker(test, thread=True, group="test", exclusive=True, exit_on_error=False)

    def _tested(self, report: CheckReport) -> None:
        self.tested = report
        text = Text()
        for verdict, line in report.lines:
            mark, style = {True: ("✔", "green"), False: ("✘", "red"), None: ("·", "yellow")}[
                verdict
            ]
            text.append(f"{mark} ", style)
            text.append(one_line(line) + "\n")
        text.append(
            "It works: ctrl+s saves it." if report.usable else "It does not work yet.",
            "bold green" if report.usable else "bold red",
        )
        self._show_result(text)

    def _show_result(self, text: Text) -> None:
        self.query_one("#test-result", Static).update(text)

    def action_save(self) -> None:
        """Write the choice to the config file; the LLM grader is offered from now on."""
        from mockinterview import config

        base_url, model, preset = self._choice()
        if base_url is None and model is None:
            self.notify("Pick a server or type a base URL and a model first.", severity="warning")
            return
        path = self.host.settings.config_file or config.config_path()
        try:
            config.save_llm_choice(path, model=model, preset=preset, base_url=base_url)
        except config.ConfigError as exc:
            self.notify(str(exc), severity="error", timeout=10, markup=False)
            return
        self.host.grader_configured(model, None if preset else base_url, preset)
        for screen in self.app.screen_stack:  # a start form below offers "LLM" now, chosen
            saved = getattr(screen, "grader_saved", None)
            if callable(saved):
                saved()
        where = preset or base_url or "OpenAI"
        untested = "" if self.tested is not None and self.tested.usable else " (not tested)"
        self.notify(
            f"Saved to {path}: sessions grade with {where}{' · ' + model if model else ''}"
            f"{untested}.",
            title="Grader saved",
            markup=False,
        )
        self.dismiss(None)

    def action_back(self) -> None:
        self.dismiss(None)

    @on(Input.Changed, "#base-url")
    @on(Input.Changed, "#model")
    def _edited(self) -> None:
        self.tested = None

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_test()

    @on(Button.Pressed, "#test")
    def _test_pressed(self) -> None:
        self.action_test()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#probe")
    def _probe_pressed(self) -> None:
        self.action_probe()

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state == WorkerState.SUCCESS and worker.result is not None:
            if worker.group == "probe":
                self._found(worker.result)
            elif worker.group == "test":
                self._tested(worker.result)
        elif event.state == WorkerState.ERROR:
            what = "Looking for local servers" if worker.group == "probe" else "The test"
            self.notify(f"{what} failed: {worker.error}", severity="error", markup=False)
