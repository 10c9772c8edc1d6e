"""What an LLM grade adds to the text view: the follow-up question, tokens and estimated cost,
and where the offline grader disagrees. Plain lines, so the CLI and logs can print them as is."""

from __future__ import annotations

from mockinterview.grading.compare import disagreements, format_disagreements, offline_of
from mockinterview.models import Grade


def usage_line(grade: Grade) -> str | None:
    """ "tokens: 702 prompt + 231 completion (counted with ...); cost ~$0.0012" or None."""
    tokens = grade.extra.get("tokens")
    if not isinstance(tokens, dict):
        return None
    line = f"tokens: {tokens.get('prompt', 0)} prompt + {tokens.get('completion', 0)} completion"
    if tokens.get("count_method"):
        line += f" (budget counted with {tokens['count_method']})"
    cost = grade.extra.get("cost_usd")
    line += "; cost unknown (no price set)" if cost is None else f"; estimated cost ${cost:.4f}"
    if grade.extra.get("cached"):
        line += "; from the cache, no request sent"
    return line


def llm_lines(grade: Grade) -> list[str]:
    """Lines to print under an LLM grade; empty for an offline (or fallback) grade."""
    if not grade.grader.startswith("llm:"):
        return []
    lines = []
    if grade.extra.get("follow_up"):
        lines.append(f"Follow-up question: {grade.extra['follow_up']}")
    usage = usage_line(grade)
    if usage:
        lines.append(usage)
    offline = offline_of(grade)
    if offline is not None:
        lines.append(f"offline grader: {offline.score:.0f}/100")
        lines += format_disagreements(disagreements(grade, offline))
    return lines
