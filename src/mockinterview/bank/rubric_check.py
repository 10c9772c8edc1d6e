"""The rubric a question is graded with, and what is wrong with it, said to the candidate.

`Bank.rubric_for` quietly falls back to a rubric derived from the reference answer when the
rubric file is missing or unreadable, and uses a stale file as it is; graders of the command
line (and the app) need to say so, naming the file and the problem, beside the grade.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mockinterview.bank.loader import Bank
    from mockinterview.models import Rubric

DERIVED = "graded with a rubric derived from the reference answer"


def rubric_with_warnings(bank: Bank, question_id: str) -> tuple[Rubric, list[str]]:
    """The rubric `bank.rubric_for` hands out, and one warning per problem of its file
    (`path:line: problem`), or about its absence; raises KeyError for an unknown id."""
    rubric = bank.rubric_for(question_id)
    path = bank.rubrics_root / f"{question_id}.toml"
    from_file = bank.rubrics.get(question_id)
    problems = [p for p in bank.problems if p.path.resolve() == path.resolve()]
    if from_file is not None:  # a stale file, or one with a bad entry, is still used
        return rubric, [str(p) for p in problems]
    if problems:
        return rubric, [f"{p}; {DERIVED}" for p in problems]
    if not path.exists():
        return rubric, [
            f"{path}: no rubric file; {DERIVED} (run `mockinterview rubrics build {question_id}`)"
        ]
    return rubric, [f"{path}: not used; {DERIVED}"]
