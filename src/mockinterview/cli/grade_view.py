"""How one grade reads in a terminal: the score, then each point with its verdict, the
evidence quoted from the answer and why, then feedback and warnings.

Everything but our own labels is untrusted (the answer's quotes, notes and feedback that echo
it, a model's reply, imported titles): it is shown through `text.safe`, so an escape sequence in
an answer is seen as `␛[2J`, never executed by the terminal."""

from __future__ import annotations

from mockinterview.models import Grade, Question
from mockinterview.text.safe import one_line, visible

_STYLE = {"hit": "green", "partial": "yellow", "miss": "red"}
_MARK = {"hit": "✔", "partial": "◐", "miss": "✘"}


def print_grade(
    question: Question, grade: Grade, answer: str | None = None, required: int | None = None
) -> None:
    """The grade as a table; with the `answer`, the honest lines of `grading.explain` too."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    colour = "green" if grade.score >= 70 else "yellow" if grade.score >= 40 else "red"
    grader = escape(one_line(grade.grader))
    console.print(
        f"[bold]{escape(one_line(question.id))}[/] {escape(one_line(question.title))}  "
        f"[bold {colour}]{grade.score:.0f}/100[/]  [dim]({grader} grader)[/]"
    )
    table = Table(show_header=True, header_style="bold", expand=False, pad_edge=False)
    table.add_column("", width=1)
    table.add_column("point", overflow="fold", max_width=34)
    table.add_column("credit", justify="right")
    table.add_column("evidence from your answer / why", overflow="fold")
    for point in grade.points:
        style = _STYLE.get(point.verdict, "")
        # Each distinct quote once: a word matched at several places shows one time.
        distinct = dict.fromkeys(one_line(e.text) for e in point.evidence)
        quotes = " … ".join(f"“{escape(text)}”" for text in distinct if text)
        # The quotes already show what matched; the note adds what is missing or negated.
        rest = [part for part in point.note.split("; ") if not part.startswith("matched")]
        why = f"[dim]{escape(one_line('; '.join(rest)))}[/]" if any(rest) else ""
        table.add_row(
            f"[{style}]{_MARK.get(point.verdict, '?')}[/]",
            f"[{style}]{escape(one_line(point.title))}[/]",
            f"{point.credit:.2f}",
            "\n".join(part for part in (quotes, why) if part),
        )
    console.print(table)
    if grade.feedback:
        console.print(escape(visible(grade.feedback)))
    for warning in grade.warnings:
        console.print(f"[yellow]warning:[/] {escape(visible(warning))}")
    from mockinterview.grading.llm.report import llm_lines  # follow-up, tokens, disagreements

    for line in llm_lines(grade):
        console.print(escape(visible(line)))
    if answer is not None:
        from mockinterview.grading.explain import explain, reference_recall

        recall = reference_recall(question, answer, grade)
        hint = "correct it in the app (review, open the attempt, press the point's number)"
        for line in explain(
            grade, answer, recall=recall, required=required, correct_hint=hint
        ).lines():
            console.print(f"[dim]{escape(visible(line))}[/]")
