"""Markdown Q&A files as interview-prep repositories write them: questions as headings (with or
without "Q1:", "2.", "Question 3 -") or as bold lines, answers up to the next question, the
top-level heading naming the topic. The answers' numbered and bulleted points become rubric
points, and the rubric files are built right after the import."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from mockinterview.bank import load_bank
from mockinterview.bank.importers import ReadResult
from mockinterview.bank.importing import detect_format, import_files, read_source
from mockinterview.cli import main
from mockinterview.models import Question
from mockinterview.rubrics.derive import derive_rubric

HEADINGS = """\
# Machine Learning Interview Questions

## Contents
- [What is overfitting?](#q1-what-is-overfitting)

## Q1: What is overfitting?

**Answer:** The model learns noise in the training set and does worse on new data.

1. **Symptom:** training error far below validation error.
2. **Cause**: too much capacity for the amount of data.
3. Remedy - regularisation, more data or early stopping.

[⬆ Back to top](#contents)

---

## 2. Why keep a separate test set?

<details><summary>Answer</summary>

- Validation data is used to tune, so its score is optimistic.
- The test set is touched once, for an unbiased estimate.

</details>

```python
# a comment in code is not a heading
model.fit(x, y)
```

### Question 3 - Explain the bias-variance trade-off [Hard]

Expected error splits into (1) Bias: error from wrong assumptions. (2) Variance: error from
sensitivity to the sample. (3) Noise: the part no model removes.

#### Why does it matter?

Model choice moves error between the first two terms.

## Describe k-fold cross-validation

Split the data into k folds; train on k-1 and validate on the rest, k times.

## References

Some links.
"""

BOLD = """\
Statistics questions I was asked

**What is a p-value?**
The chance of data at least this extreme if the null hypothesis holds.

**Q2:** When would you use a median instead of a mean?
1) Skewed data: the median resists the long tail. 2) Outliers: one extreme value barely moves it.

**Note:** this line is not a question.
"""


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def headings(tmp_path: Path) -> Path:
    path = tmp_path / "ml.md"
    path.write_text(HEADINGS, encoding="utf-8")
    return path


def test_heading_questions_in_every_numbering_style(headings: Path) -> None:
    result = read_source(headings)
    assert result.problems == []
    assert [(q.line, q.question) for q in result.questions] == [
        (6, "What is overfitting?"),
        (18, "Why keep a separate test set?"),
        (32, "Explain the bias-variance trade-off"),
        (41, "Describe k-fold cross-validation"),
    ]
    assert {q.topic for q in result.questions} == {"machine learning"}
    overfit, test_set, tradeoff, kfold = result.questions
    assert overfit.answer.startswith("The model learns noise")  # "**Answer:**" dropped
    assert "Back to top" not in overfit.answer and not overfit.answer.endswith("---")
    assert test_set.answer.startswith("- Validation data") and "<details>" not in test_set.answer
    assert "# a comment in code is not a heading" in test_set.answer
    assert tradeoff.difficulty == "hard" and "difficulty" in tradeoff.explicit
    assert "#### Why does it matter?" in tradeoff.answer  # a deeper heading stays in the answer
    assert kfold.answer.endswith("k times.")  # "## References" ends it


def test_answer_points_become_rubric_points(headings: Path) -> None:
    result = read_source(headings)
    titles = [[p.title for p in derive_rubric(q).points] for q in _questions(result)]
    assert titles[0] == ["Symptom", "Cause", "Remedy - regularisation, more data or early stopping"]
    assert len(titles[1]) == 2
    assert titles[2] == ["Bias", "Variance", "Noise"]  # "(1) ... (2) ... (3)" on one line


def _questions(result: ReadResult) -> list[Question]:
    return [Question(q.id or "X", q.title, q.question, q.answer) for q in result.questions]


def test_bold_line_questions_when_there_are_no_question_headings(tmp_path: Path) -> None:
    path = tmp_path / "stats.txt"
    path.write_text(BOLD, encoding="utf-8")
    assert detect_format(path, path.read_bytes()) == "markdown"
    result = read_source(path)
    assert [q.question for q in result.questions] == [
        "What is a p-value?",
        "When would you use a median instead of a mean?",
    ]
    median = result.questions[1]
    assert median.answer.endswith("**Note:** this line is not a question.")
    assert [p.title for p in derive_rubric(_questions(result)[1]).points] == [
        "Skewed data",
        "Outliers",
    ]


def test_import_builds_the_rubrics_and_a_second_import_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], headings: Path
) -> None:
    bank = tmp_path / "b" / "bank"
    code, out, _ = run(capsys, "--bank", str(bank), "bank", "import", str(headings))
    assert code == 0, out
    assert out.splitlines()[-1].startswith("4 created, 0 updated, 0 unchanged")
    questions = load_bank(bank).questions
    assert all(qid.startswith("ML-") for qid in questions)
    rubrics = tmp_path / "b" / "rubrics"
    assert sorted(p.stem for p in rubrics.glob("*.toml")) == sorted(questions)
    tradeoff = next(q for q in questions.values() if "bias-variance" in q.question)
    points = tomllib.loads((rubrics / f"{tradeoff.id}.toml").read_text())["points"]
    assert [p["title"] for p in points] == ["Bias", "Variance", "Noise"]
    before = snapshot(tmp_path / "b")
    code, out, _ = run(capsys, "--bank", str(bank), "bank", "import", str(headings))
    assert code == 0 and out.splitlines() == [
        f"0 created, 0 updated, 4 unchanged, 0 duplicate(s) collapsed, 0 conflict(s), "
        f"0 problem(s) in {bank}"
    ]
    assert snapshot(tmp_path / "b") == before
    code, out, _ = run(capsys, "--bank", str(bank), "bank", "validate")
    assert code == 0 and out.startswith("OK: 4 question(s), 4 rubric file(s)")


def test_a_curated_rubric_is_never_touched_and_a_missing_one_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], headings: Path
) -> None:
    bank = tmp_path / "b" / "bank"
    import_files([headings], bank)  # the library call builds no rubrics
    ids = sorted(load_bank(bank).questions)
    rubrics = tmp_path / "b" / "rubrics"
    rubrics.mkdir()
    curated = rubrics / f"{ids[0]}.toml"
    curated.write_text("# hand written, do not touch\n", encoding="utf-8")
    code, out, _ = run(capsys, "--bank", str(bank), "bank", "validate")
    warnings = [line for line in out.splitlines() if ": warning: no rubric file" in line]
    assert len(warnings) == 3 and f"`mockinterview rubrics build {ids[1]}`" in out
    assert code == 1  # the hand-written file is broken: a problem, unlike the warnings
    headings.write_text(
        HEADINGS + "\n## What is early stopping?\n\nStop when validation loss rises.\n"
    )
    code, out, _ = run(capsys, "--bank", str(bank), "bank", "import", str(headings))
    assert code == 0 and out.count("rubric created") == 1
    assert curated.read_text() == "# hand written, do not touch\n"


def test_edited_answer_keeps_the_id_and_edited_question_is_a_new_one(
    tmp_path: Path, headings: Path
) -> None:
    bank = tmp_path / "bank"
    import_files([headings], bank)
    ids = set(load_bank(bank).questions)
    headings.write_text(HEADINGS.replace("k times.", "k times, then average."))
    report = import_files([headings], bank)
    (conflict,) = report.conflicts
    assert conflict.line == 41 and "answer text differs" in conflict.message
    report = import_files([headings], bank, replace=True)
    assert len(report.updated) == 1 and set(load_bank(bank).questions) == ids
    headings.write_text(HEADINGS.replace("Describe k-fold", "Describe stratified k-fold"))
    report = import_files([headings], bank)
    assert len(report.created) == 1 and len(load_bank(bank).questions) == 5


def test_topic_flag_names_the_topic_when_the_file_has_no_title(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("## Why index a column?\n\nLookups skip the full scan.\n")
    report = import_files([path], tmp_path / "bank", topic="Databases")
    (created,) = report.created
    assert created.parent.name == "databases" and created.stem.startswith("DB-")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"# Notes\n\nJust prose, nothing asked.\n", "no questions found: expected headings"),
        (b"## What is X?\n\xff\xfe broken bytes\n", "not UTF-8 text: byte 0xff"),
        (b"\x00\x01\x02binary" * 50, "binary data (NUL bytes)"),
    ],
)
def test_unreadable_markdown_is_named_and_leaves_the_bank_as_it_was(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    headings: Path,
    content: bytes,
    message: str,
) -> None:
    bank = tmp_path / "b" / "bank"
    run(capsys, "--bank", str(bank), "bank", "import", str(headings))
    before = snapshot(tmp_path / "b")
    bad = tmp_path / "bad.md"
    bad.write_bytes(content)
    code, out, _ = run(capsys, "--bank", str(bank), "bank", "import", str(bad))
    assert code == 1 and message in out and f"{bad}:" in out
    assert snapshot(tmp_path / "b") == before


def test_a_question_without_an_answer_is_skipped_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "qa.md"
    path.write_text("## Q1: What is a tensor?\n\n## Q2: What is a scalar?\n\nA single number.\n")
    result = read_source(path)
    assert [q.question for q in result.questions] == ["What is a scalar?"]
    (problem,) = result.problems
    assert str(problem) == f"{path}:1: no answer under 'What is a tensor?'; skipped"
    assert dict(result.skipped) == {"no answer": 1}
