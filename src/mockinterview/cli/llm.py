"""`mockinterview llm check`: is the LLM grader usable with these settings? Exit 0 if so, else 1.

Prints where the settings came from and one line per finding; never the key itself. With
nothing configured (no preset, base URL, key or model anywhere), it looks for local servers
at their usual ports instead and prints the config lines that would use the one it found.
"""

from __future__ import annotations

import argparse
from dataclasses import replace

from mockinterview.cli import EXIT_BAD_INPUT, EXIT_OK, CliError

MARKS = {True: "ok  ", False: "FAIL", None: "note"}


def run(args: argparse.Namespace) -> int:
    if args.llm_command != "check":  # argparse allows only "check" today
        raise CliError(f"unknown llm action {args.llm_command!r}")
    from mockinterview.config import ConfigError, config_path, is_configured, load_settings

    try:
        settings = load_settings(
            llm_model=args.llm_model,
            llm_base_url=args.llm_base_url,
            llm_preset=getattr(args, "llm_preset", None),
            llm_deadline=getattr(args, "llm_deadline", None),
        )
    except ConfigError as exc:
        raise CliError(str(exc)) from exc
    if not is_configured(settings):
        return _discover(str(config_path()))
    from mockinterview.grading.llm.check import check_endpoint
    from mockinterview.grading.llm.client import LLMUnavailable, list_models
    from mockinterview.grading.llm.tokens import TokenCounter

    print(f"endpoint: {settings.llm_base_url or 'https://api.openai.com/v1 (OpenAI)'}")
    if settings.llm_preset and not settings.model_chosen:
        try:
            models = list_models(settings.llm_base_url or "", timeout=settings.timeout)
        except LLMUnavailable as exc:
            print(f"  {MARKS[False]} cannot list the models there ({exc})")
            return EXIT_BAD_INPUT
        if not models:
            print(f"  {MARKS[False]} the server lists no models: load one first")
            return EXIT_BAD_INPUT
        settings = replace(settings, llm_model=models[0], model_chosen=True)
        print(f"models:   {', '.join(models)} (using the first; --llm-model to choose)")
    print(f"model:    {settings.llm_model}")
    print(f"API key:  {settings.key_hint()}")
    print(
        f"settings: {settings.source}; timeout {settings.timeout:g} s, deadline "
        f"{settings.llm_deadline:g} s, retries {settings.max_retries}, token budget "
        f"{settings.token_budget}"
    )
    print(f"tokens:   counted with {TokenCounter.for_model(settings.llm_model).method}")
    report = check_endpoint(settings)
    for verdict, text in report.lines:
        print(f"  {MARKS[verdict]} {text}")
    if report.usable:
        how = f"--llm {settings.llm_preset}" if settings.llm_preset else "--grader llm"
        print(f"The LLM grader is usable: {how} --llm-model {settings.llm_model}")
        return EXIT_OK
    print("The LLM grader is not usable with these settings; grading falls back to offline.")
    return EXIT_BAD_INPUT


def _discover(where: str) -> int:
    """Nothing configured: look for local servers and say how to use what is there."""
    from mockinterview.grading.llm.check import config_lines, probe_local

    print("No LLM endpoint is configured; looking for local servers on 127.0.0.1:")
    servers = probe_local()
    for server in servers:
        if server.models is None:
            print(f"  --   {server.preset:9} {server.url}: {server.problem}")
        else:
            listed = ", ".join(server.models) or "no models loaded"
            print(f"  ok   {server.preset:9} {server.url}: {listed}")
    usable = [s for s in servers if s.models]
    if not usable:
        print(
            "No local server found. Start one (ollama, LM Studio, llama.cpp's llama-server, "
            "vLLM), or for OpenAI set OPENAI_API_KEY (no API key for OpenAI is set)."
        )
        return EXIT_BAD_INPUT
    first = usable[0]
    print(f"\nTo grade with {first.preset}, put these lines in {where}:\n")
    for line in config_lines(first):
        print(f"    {line}" if line else "")
    print(f"\nor pass --llm {first.preset} to one command. Then: mockinterview llm check")
    return EXIT_OK
