"""`mockinterview llm check`: is the LLM grader usable with these settings? Exit 0 if so, else 1.

Prints where the settings came from and one line per finding; never the key itself.
"""

from __future__ import annotations

import argparse

from mockinterview.cli import EXIT_BAD_INPUT, EXIT_OK, CliError

MARKS = {True: "ok  ", False: "FAIL", None: "note"}


def run(args: argparse.Namespace) -> int:
    if args.llm_command != "check":  # argparse allows only "check" today
        raise CliError(f"unknown llm action {args.llm_command!r}")
    from mockinterview.config import ConfigError, load_settings

    try:
        settings = load_settings(llm_model=args.llm_model, llm_base_url=args.llm_base_url)
    except ConfigError as exc:
        raise CliError(str(exc)) from exc
    from mockinterview.grading.llm.check import check_endpoint
    from mockinterview.grading.llm.tokens import TokenCounter

    print(f"endpoint: {settings.llm_base_url or 'https://api.openai.com/v1 (OpenAI)'}")
    print(f"model:    {settings.llm_model}")
    print(f"API key:  {settings.key_hint()}")
    print(
        f"settings: {settings.source}; timeout {settings.timeout:g} s, retries "
        f"{settings.max_retries}, token budget {settings.token_budget}"
    )
    print(f"tokens:   counted with {TokenCounter.for_model(settings.llm_model).method}")
    report = check_endpoint(settings)
    for verdict, text in report.lines:
        print(f"  {MARKS[verdict]} {text}")
    if report.usable:
        print(f"The LLM grader is usable: --grader llm --llm-model {settings.llm_model}")
        return EXIT_OK
    print("The LLM grader is not usable with these settings; grading falls back to offline.")
    return EXIT_BAD_INPUT
