"""`mockinterview` and `mockinterview practice`: open the interview app.

With --topic, --tag or --count the session starts at once; otherwise the start screen opens.
Either way follow-ups are asked as the start form's switch was last left, never with
--no-follow-ups.
Only the store and the bank load before the first paint; graders are built when first needed.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
from collections.abc import Iterator
from typing import TYPE_CHECKING

from mockinterview import locations
from mockinterview.cli import CliError

if TYPE_CHECKING:
    from mockinterview.bank import Bank
    from mockinterview.store import Store

THEME_FILE = "tui-theme"


def grader_choice(args: argparse.Namespace) -> tuple[str, bool]:
    """The grader to use (flag, else config file/env, else offline) and whether the LLM grader
    is configured enough to offer on the start screen."""
    from mockinterview.config import ConfigError, load_settings

    try:
        settings = load_settings(
            grader=args.grader,
            llm_model=args.llm_model,
            llm_base_url=args.llm_base_url,
            llm_preset=getattr(args, "llm_preset", None),
        )
    except ConfigError as exc:
        raise CliError(str(exc)) from exc
    offered = settings.grader == "llm" or bool(
        settings.api_key or settings.llm_base_url or args.llm_model or settings.llm_preset
    )
    return settings.grader, offered


def run(args: argparse.Namespace) -> int:
    if args.count is not None and args.count <= 0:
        raise CliError(f"--count must be a whole number above 0, not {args.count}")
    with _collector_paused():  # start-up allocates much and frees little: bench/README.md
        store, bank = _load_store_and_bank(args)
        from mockinterview.practice.plan import Mode, SessionPlan
        from mockinterview.tui.settings import FORM_FILE, AppSettings, read_form, read_theme

        if not bank.questions:
            store.close()
            raise CliError(f"{bank.root}: the question bank has no questions")
        grader, llm_offered = grader_choice(args)
        data = locations.data_dir(getattr(args, "data_dir", None))
        theme_file = data / THEME_FILE
        follow_ups = _follow_ups(args, read_form(data / FORM_FILE))
        plan = None
        if args.topic or args.tag or args.count:
            mode: Mode = "topic" if args.topic else "tag" if args.tag else "random"
            plan = SessionPlan(
                mode=mode,
                topic=args.topic,
                tag=args.tag,
                count=args.count,
                grader=grader,
                follow_ups=follow_ups,
            )
            _check_plan(plan, bank)
        settings = AppSettings(
            plan=plan,
            grader=grader,
            llm_available=llm_offered,
            llm_model=args.llm_model,
            llm_base_url=args.llm_base_url,
            llm_preset=getattr(args, "llm_preset", None),
            follow_ups=follow_ups,
            theme=read_theme(theme_file),
            theme_file=theme_file,
        )
        from mockinterview.tui.app import make_app  # the heavy import: Textual

        app = make_app(bank=bank, store=store, settings=settings)
    try:
        app.run()
    finally:
        store.close()
        gc.unfreeze()
    return app.return_code or 0  # 1 when the app ended on a store it could not use


def _follow_ups(args: argparse.Namespace, form: dict[str, object]) -> bool:
    """Whether the session asks follow-ups: not with --no-follow-ups, else as the start form's
    switch was last left (on when it was never set, or its file is unreadable)."""
    if getattr(args, "no_follow_ups", False):
        return False
    return form.get("follow_ups", True) is not False


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No garbage collection while the app's modules import and the bank loads (they make
    many objects and little garbage: the collector would only walk them, ~10 ms); once that
    went well, what exists is frozen, out of the collector's way while the app runs."""
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        gc.enable()


def _load_store_and_bank(args: argparse.Namespace) -> tuple[Store, Bank]:
    """Open the store and load the bank, before Textual is imported (so a bad store or bank
    fails fast). Not in a thread beside Textual's import: the two only take turns (the GIL),
    and on two free cores the handovers cost more CPU than they save (bench/README.md)."""
    from mockinterview.cli.context import bank_from_args, store_from_args

    store = store_from_args(args)  # corrupt: CliError naming the file
    try:
        bank = bank_from_args(args)
        if not (args.topic or args.tag or args.count):
            bank.rubrics  # noqa: B018  (the start screen reports rubric problems: read now)
    except BaseException:
        store.close()
        raise
    return store, bank


def _check_plan(plan: object, bank: object) -> None:
    """Fail on the command line, not in the app, when the filters match nothing."""
    from mockinterview.practice.plan import PlanError, choose_questions

    try:
        choose_questions(plan, bank)  # type: ignore[arg-type]
    except PlanError as exc:
        raise CliError(str(exc)) from exc
