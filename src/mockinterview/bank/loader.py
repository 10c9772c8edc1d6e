"""Loading a bank folder and its rubrics. Bad files never stop the load: each becomes a Problem
and is skipped, so one typo does not take the whole bank down."""

from __future__ import annotations

import threading
from pathlib import Path

from mockinterview import locations
from mockinterview.bank.markdown import BankFileError, parse_question, topic_folder
from mockinterview.models import Question, Rubric
from mockinterview.problems import Problem

_SKIPPED_NAMES = {"readme.md", "index.md"}


class Bank:
    """The questions of one bank folder, their rubric files, and what was wrong with them.

    Rubric files are read on first use (`rubric_for`, `rubrics`, `problems`), not at load:
    the app shows its first question without them, and grading reads them in a thread.
    """

    def __init__(
        self,
        root: Path,
        rubrics_root: Path,
        questions: dict[str, Question] | None = None,
        rubrics: dict[str, Rubric] | None = None,
        problems: list[Problem] | None = None,
    ) -> None:
        self.root = root
        self.rubrics_root = rubrics_root
        self.questions: dict[str, Question] = questions if questions is not None else {}
        self._question_problems: list[Problem] = list(problems or [])
        self._rubrics = rubrics  # None until the rubric files are read
        self._rubric_problems: list[Problem] = []
        self._derived: dict[str, Rubric] = {}
        self._lock = threading.Lock()
        # The candidate's rubric overlays (`rubrics.overlay`), merged by `rubric_for`; None: none.
        self.overlays_root: Path | None = None

    def __repr__(self) -> str:
        return f"Bank(root={self.root!r}, questions={len(self.questions)})"

    @property
    def rubrics(self) -> dict[str, Rubric]:
        """Question id -> the rubric of its file (read on first use)."""
        if self._rubrics is None:
            with self._lock:
                if self._rubrics is None:
                    broken = frozenset(p.path.stem for p in self._question_problems)
                    rubrics, self._rubric_problems = load_rubrics(
                        self.rubrics_root, self.questions, broken
                    )
                    self._rubrics = rubrics
        return self._rubrics

    @property
    def problems(self) -> list[Problem]:
        """What was wrong with the bank files, then with the rubric files."""
        self.rubrics  # noqa: B018  (reads the rubric files, and so their problems, if not yet)
        return self._question_problems + self._rubric_problems

    def get(self, question_id: str) -> Question | None:
        return self.questions.get(question_id)

    def rubric_for(self, question_id: str) -> Rubric:
        """The rubric a question is graded with: `base_rubric_for`, plus the phrasings of the
        candidate's overlay for it when `overlays_root` is set (re-read when the file changes)."""
        rubric = self.base_rubric_for(question_id)
        if self.overlays_root is None:
            return rubric
        from mockinterview.rubrics.overlay import with_overlay

        return with_overlay(rubric, self.overlays_root)

    def base_rubric_for(self, question_id: str) -> Rubric:
        """The rubric file's rubric, else one derived from the reference answer (cached)."""
        rubric = self.rubrics.get(question_id)
        if rubric is not None:
            return rubric
        if question_id not in self._derived:
            question = self.questions.get(question_id)
            if question is None:
                raise KeyError(f"no question {question_id!r} in {self.root}")
            from mockinterview.rubrics.derive import derive_rubric

            self._derived[question_id] = derive_rubric(question)
        return self._derived[question_id]

    def select(self, topic: str | None = None, tag: str | None = None) -> list[Question]:
        """Questions of a topic and/or tag; `deep-learning` and `Deep Learning` both match."""
        chosen = list(self.questions.values())
        if topic:
            chosen = [q for q in chosen if topic_folder(q.topic) == topic_folder(topic)]
        if tag:
            wanted = tag.strip().lower()
            chosen = [q for q in chosen if wanted in (t.lower() for t in q.tags)]
        return chosen

    def topics(self) -> dict[str, int]:
        """Topic -> number of questions, sorted by topic name."""
        counts: dict[str, int] = {}
        for question in self.questions.values():
            counts[question.topic] = counts.get(question.topic, 0) + 1
        return dict(sorted(counts.items()))

    def tags(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for question in self.questions.values():
            for tag in question.tags:
                counts[tag] = counts.get(tag, 0) + 1
        return dict(sorted(counts.items()))


def bank_files(root: Path) -> list[Path]:
    """Every question file under the bank folder, in a stable order."""
    if root.is_file():
        return [root]
    return sorted(
        p for p in root.rglob("*.md") if p.is_file() and p.name.lower() not in _SKIPPED_NAMES
    )


def load_questions(root: Path) -> tuple[dict[str, Question], list[Problem]]:
    questions: dict[str, Question] = {}
    problems: list[Problem] = []
    for path in bank_files(root):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Problem(path, 1, f"not UTF-8 text: {exc.reason} at byte {exc.start}"))
            continue
        except OSError as exc:
            problems.append(Problem(path, 1, f"cannot read: {exc.strerror or exc}"))
            continue
        try:
            question = parse_question(text, path)
        except BankFileError as exc:
            problems.append(Problem(path, exc.line, str(exc)))
            continue
        first = questions.get(question.id)
        if first is not None:
            problems.append(
                Problem(path, 2, f"duplicate id {question.id!r}: already in {first.path}")
            )
            continue
        questions[question.id] = question
    return dict(sorted(questions.items())), problems


def load_rubrics(
    rubrics_root: Path, questions: dict[str, Question], broken: frozenset[str] = frozenset()
) -> tuple[dict[str, Rubric], list[Problem]]:
    """Rubric files, checked against the questions: unknown question, stale answer hash."""
    from mockinterview.rubrics.files import read_rubric

    rubrics: dict[str, Rubric] = {}
    problems: list[Problem] = []
    if not rubrics_root.is_dir():
        return rubrics, problems
    for path in sorted(rubrics_root.glob("*.toml")):
        loaded = read_rubric(path)
        problems.extend(loaded.problems)
        rubric = loaded.rubric
        if rubric is None:
            continue
        question = questions.get(rubric.question_id)
        if question is None:
            qid = rubric.question_id
            message = (
                f"rubric for {qid!r}, whose bank file has problems (see above)"
                if qid in broken
                else f"rubric for unknown question {qid!r}"
            )
            problems.append(Problem(path, 1, message))
            continue
        if rubric.answer_hash and rubric.answer_hash != question.answer_hash:
            problems.append(
                Problem(
                    path,
                    _line_of(path, "answer_hash"),
                    f"stale rubric: the answer of {question.id} changed since it was built "
                    f"(run `mockinterview rubrics build {question.id}`)",
                )
            )
        rubrics[rubric.question_id] = rubric
    return rubrics, problems


def _line_of(path: Path, key: str) -> int:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    return next((i + 1 for i, line in enumerate(lines) if line.startswith(key)), 1)


def load_bank(root: Path, rubrics_root: Path | None = None) -> Bank:
    """Load the questions (rubric files are read on first use); problems are recorded on the
    Bank, never raised."""
    root = Path(root)
    rubrics_root = Path(rubrics_root) if rubrics_root else locations.rubrics_dir_for(root)
    questions, problems = load_questions(root)
    return Bank(root, rubrics_root, questions, problems=problems)
