"""Loading the bank: the real seed bank, and broken files that become problems, not crashes."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockinterview.bank import load_bank
from mockinterview.bank.markdown import render_question
from mockinterview.models import Question

REPO = Path(__file__).resolve().parents[1]


def test_the_repository_bank_is_clean() -> None:
    bank = load_bank(REPO / "bank")
    assert [str(p) for p in bank.problems] == []
    assert len(bank.questions) == len(list((REPO / "bank").glob("*/*.md")))
    assert set(bank.rubrics) == set(bank.questions)
    assert bank.rubrics_root == REPO / "rubrics"
    assert [q.id for q in bank.select(topic="deep-learning")][:4] == [
        "DL0001",
        "DL0002",
        "DL0003",
        "DL0004",
    ]
    assert "ML0031" in [q.id for q in bank.select(topic="Machine Learning", tag="regression")]
    assert bank.get("ML0028") is not None and bank.get("nope") is None
    assert bank.rubric_for("ML0031") is bank.rubrics["ML0031"]


def write(root: Path, name: str, text: str) -> Path:
    path = root / "general" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


GOOD = render_question(
    Question(id="Q1", title="Title", question="Why?", answer="(1) Because: it is.")
)


@pytest.mark.parametrize(
    ("name", "text", "line", "message"),
    [
        ("Q1.md", "id = 'Q1'\n", 1, "bad header: the file must start with a '+++' line"),
        ("Q1.md", "+++\nid = 'Q1'\n", 1, "bad header: no closing '+++' line"),
        ("Q1.md", GOOD.replace('title = "Title"', "title = Title"), 3, "bad header: Invalid"),
        ("Q1.md", GOOD.replace("## Answer", "## Reply"), 9, "missing section: '## Answer'"),
        ("Q1.md", GOOD.replace("Why?", ""), 10, "empty section: '## Question'"),
        ("Q1.md", GOOD.replace('"medium"', '"brutal"'), 5, "bad header: 'difficulty' is"),
        ("Q1.md", GOOD.replace("tags = []", "tags = []\nauthor = 'me'"), 7, "'author' is not"),
        ("Q2.md", GOOD, 2, "bad header: 'id' 'Q1' does not match the file name 'Q2.md'"),
        ("Q1.md", GOOD.replace("## Question\n", "Intro\n## Question\n"), 10, "text outside"),
    ],
)
def test_bad_files_become_problems(
    tmp_path: Path, name: str, text: str, line: int, message: str
) -> None:
    path = write(tmp_path / "bank", name, text)
    write(tmp_path / "bank", "Q9.md", GOOD.replace('"Q1"', '"Q9"'))
    bank = load_bank(tmp_path / "bank")
    assert list(bank.questions) == ["Q9"]  # the good file still loads
    (problem,) = bank.problems
    assert problem.path == path and problem.line == line
    assert message in problem.message
    assert str(problem).startswith(f"{path}:{line}: ")


def test_duplicate_ids_and_garbage_bytes(tmp_path: Path) -> None:
    write(tmp_path / "bank", "Q1.md", GOOD)
    other = tmp_path / "bank" / "other" / "Q1.md"
    other.parent.mkdir()
    other.write_text(GOOD)
    junk = write(tmp_path / "bank", "Q3.md", "")
    junk.write_bytes(b"+++\n\xff\xfe\n")
    bank = load_bank(tmp_path / "bank")
    assert sorted(p.message.split(":")[0] for p in bank.problems) == [
        "duplicate id 'Q1'",
        "not UTF-8 text",
    ]


def test_rendered_file_round_trips(tmp_path: Path) -> None:
    question = Question(
        id="F1",
        title='Quotes " and \\ back',
        question="Q?\nSecond line",
        answer="A with $\\frac{1}{2}$\n\nAdvantages:\n1. x",
        tags=["a b", "c"],
        difficulty="hard",
        topic="maths",
    )
    path = write(tmp_path / "bank", "F1.md", render_question(question))
    loaded = load_bank(tmp_path / "bank").questions["F1"]
    assert (loaded.title, loaded.question, loaded.answer, loaded.tags) == (
        question.title,
        question.question,
        question.answer,
        question.tags,
    )
    assert loaded.path == path and loaded.answer_hash == question.answer_hash


def test_loading_is_fast_and_light() -> None:
    import subprocess
    import sys

    code = (
        "import sys, time; from pathlib import Path; t = time.perf_counter();"
        "from mockinterview.bank import load_bank; b = load_bank(Path(sys.argv[1]));"
        "heavy = [m for m in ('tomlkit', 'rapidfuzz', 'textual', 'openai', 'pydantic', 'rich')"
        " if m in sys.modules]; print(len(b.questions), heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(REPO / "bank")], capture_output=True, text=True, check=True
    )
    count = len(list((REPO / "bank").glob("*/*.md")))
    assert out.stdout.strip() == f"{count} []"


def test_rubric_files_are_read_on_first_use(tmp_path: Path) -> None:
    bank_root = tmp_path / "bank"
    write(bank_root, "Q1.md", GOOD)
    rubrics = tmp_path / "rubrics"
    rubrics.mkdir()
    (rubrics / "Q1.toml").write_text("question_id = 'Q1'\nanswer_hash = 'x'\n", encoding="utf-8")
    bank = load_bank(bank_root)
    assert bank._rubrics is None  # nothing read yet: the app's first paint does not wait for it
    # first use: the broken rubric becomes a problem and the rubric is derived instead
    assert bank.rubric_for("Q1").points
    assert bank._rubrics == {}
    (problem,) = bank.problems
    assert problem.path == rubrics / "Q1.toml" and "no [[points]]" in problem.message
