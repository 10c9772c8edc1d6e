"""Personal rubric overlays: the candidate's own phrasings, kept in the data dir, merged into
the rubric whenever a question is graded, checked by `bank validate`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mockinterview.bank import load_bank
from mockinterview.cli import main
from mockinterview.grading.offline.grader import OfflineGrader
from mockinterview.rubrics import overlay

QUESTION = """+++
id = "L2"
title = "L2 regularisation"
topic = "machine learning"
+++

## Question

Why does L2 regularisation help a model generalise?

## Answer

1. A penalty on large weights pulls each weight towards zero and keeps the model simple.
2. A simpler model overfits less, so it does better on unseen data.
"""

RUBRIC = """question_id = "L2"
answer_hash = "{hash}"

[[points]]
id = "p1"
title = "Penalises large weights"
text = "A penalty on large weights pulls each weight towards zero and keeps the model simple."
keywords = [["penalty on large weights", "weight penalty"], ["towards zero", "shrink"]]

[[points]]
id = "p2"
title = "Less overfitting"
text = "A simpler model overfits less, so it does better on unseen data."
keywords = [["overfit", "overfitting"], ["unseen data", "new data"]]
"""

# Says p1 in its own words: no keyword of the rubric, few of the reference's words.
ANSWER = (
    "The squared norm term drags the parameters to zero, so the model stays simple. "
    "It also overfits less on new data."
)
PHRASE = "squared norm term drags the parameters to zero"


@pytest.fixture
def bank_dir(tmp_path: Path) -> Path:
    from mockinterview.bank.markdown import parse_question

    root = tmp_path / "bank"
    (root / "ml").mkdir(parents=True)
    (root / "ml" / "L2.md").write_text(QUESTION, encoding="utf-8")
    question = parse_question(QUESTION, root / "ml" / "L2.md")
    (tmp_path / "rubrics").mkdir()
    (tmp_path / "rubrics" / "L2.toml").write_text(
        RUBRIC.format(hash=question.answer_hash), encoding="utf-8"
    )
    return root


def verdicts(bank_root: Path, overlays: Path | None) -> dict[str, str]:
    bank = load_bank(bank_root)
    bank.overlays_root = overlays
    grade = OfflineGrader().grade(bank.questions["L2"], bank.rubric_for("L2"), ANSWER)
    return {p.id: p.verdict for p in grade.points}


def test_a_remembered_phrase_earns_the_point_and_the_bundled_rubric_is_untouched(
    bank_dir: Path, tmp_path: Path
) -> None:
    rubric_file = tmp_path / "rubrics" / "L2.toml"
    before = rubric_file.read_bytes()
    overlays = tmp_path / "home" / overlay.OVERLAY_DIR
    assert verdicts(bank_dir, overlays)["p1"] == "miss"
    path = overlay.remember(overlays, "L2", "p1", PHRASE)
    assert path == overlays / "L2.toml"
    assert verdicts(bank_dir, overlays)["p1"] == "hit"
    assert verdicts(bank_dir, None)["p1"] == "miss"  # without the overlay, as before
    assert rubric_file.read_bytes() == before


def test_merging_adds_the_phrase_to_every_keyword_group_of_its_point_only(bank_dir: Path) -> None:
    bank = load_bank(bank_dir)
    rubric = bank.rubric_for("L2")
    merged = overlay.merge(rubric, overlay.Overlay("L2", {"p1": [PHRASE], "p9": ["x"]}))
    assert merged.point("p1").keywords == [  # type: ignore[union-attr]
        ["penalty on large weights", "weight penalty", PHRASE],
        ["towards zero", "shrink", PHRASE],
    ]
    assert merged.point("p2").keywords == rubric.point("p2").keywords  # type: ignore[union-attr]
    assert rubric.point("p1").keywords[0] == ["penalty on large weights", "weight penalty"]  # type: ignore[union-attr]
    assert merged.content_hash != rubric.content_hash  # attempts graded before are "stale"


def test_remembering_keeps_hand_edits_and_never_repeats_a_phrase(tmp_path: Path) -> None:
    root = tmp_path / overlay.OVERLAY_DIR
    overlay.remember(root, "L2", "p1", "first phrase")
    path = root / "L2.toml"
    path.write_text(path.read_text() + "# my note\n", encoding="utf-8")
    overlay.remember(root, "L2", "p1", "  second   phrase ")
    overlay.remember(root, "L2", "p1", "First Phrase")
    overlay.remember(root, "L2", "p2", "other point")
    text = path.read_text()
    assert "# my note" in text
    loaded = overlay.read_overlay(path)
    assert loaded.problems == []
    assert loaded.overlay is not None
    assert loaded.overlay.points == {"p1": ["first phrase", "second phrase"], "p2": ["other point"]}


def test_an_edited_overlay_is_read_again_when_the_file_changes(tmp_path: Path) -> None:
    root = tmp_path / overlay.OVERLAY_DIR
    overlay.remember(root, "L2", "p1", "one")
    assert overlay.load_overlay(root, "L2").points == {"p1": ["one"]}  # type: ignore[union-attr]
    overlay.remember(root, "L2", "p1", "two more words")
    assert overlay.load_overlay(root, "L2").points == {"p1": ["one", "two more words"]}  # type: ignore[union-attr]


def test_grade_on_the_command_line_uses_the_overlay_of_the_data_dir(
    bank_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text(ANSWER, encoding="utf-8")
    home = tmp_path / "data"
    argv = ["--bank", str(bank_dir), "--data-dir", str(home), "grade", "--question", "L2"]
    argv += ["--answer-file", str(answer), "--format", "json"]
    assert main(argv) == 0
    before = json.loads(capsys.readouterr().out)
    overlay.remember(home / overlay.OVERLAY_DIR, "L2", "p1", PHRASE)
    assert main(argv) == 0
    after = json.loads(capsys.readouterr().out)
    assert [p["verdict"] for p in before["points"]] == ["miss", "hit"]
    assert [p["verdict"] for p in after["points"]] == ["hit", "hit"]
    assert after["score"] > before["score"]


def test_eval_on_a_csv_measures_the_method_without_personal_overlays(
    bank_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = tmp_path / "graded.csv"
    rows.write_text(f'question_id,answer,score,max_score\nL2,"{ANSWER}",5,5\n', encoding="utf-8")
    home = tmp_path / "data"
    argv = ["--bank", str(bank_dir), "--data-dir", str(home), "eval", str(rows), "--format", "json"]
    assert main(argv) == 0
    before = capsys.readouterr().out
    overlay.remember(home / overlay.OVERLAY_DIR, "L2", "p1", PHRASE)
    assert main(argv) == 0
    assert capsys.readouterr().out == before


# --- bank validate --------------------------------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_bank_validate_reports_broken_overlays_as_file_line_message(
    bank_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "data"
    root = home / overlay.OVERLAY_DIR
    bad_toml = write(root / "L2.toml", 'question_id = "L2"\n\n[points.p1]\nkeywords = ["a",\n')
    unknown_q = write(root / "ZZ9.toml", 'question_id = "ZZ9"\n\n[points.p1]\nkeywords = ["a"]\n')
    argv = ["--bank", str(bank_dir), "--data-dir", str(home), "bank", "validate"]
    assert main(argv) == 1
    out = capsys.readouterr().out.splitlines()
    assert any(line.startswith(f"{bad_toml}:4: bad TOML") for line in out), out
    assert f"{unknown_q}:1: rubric overlay for unknown question 'ZZ9'" in out

    write(
        root / "L2.toml",
        'question_id = "L2"\n\n[points.p1]\nkeywords = ["fine"]\n\n'
        '[points.p7]\nkeywords = ["b"]\n\n[points.p2]\nkeywords = "not a list"\n',
    )
    unknown_q.unlink()
    assert main(argv) == 1
    out = capsys.readouterr().out.splitlines()
    assert f"{root / 'L2.toml'}:6: unknown point 'p7' for L2 (its points: p1, p2)" in out
    assert f"{root / 'L2.toml'}:10: point p2: 'keywords' must be a list of phrases (texts)" in out


def test_bank_validate_checks_one_overlay_file_and_passes_a_good_one(
    bank_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "data"
    good = overlay.remember(home / overlay.OVERLAY_DIR, "L2", "p1", PHRASE)
    argv = ["--bank", str(bank_dir), "--data-dir", str(home), "bank", "validate"]
    assert main([*argv, str(good)]) == 0
    assert capsys.readouterr().out.startswith("OK: 1 rubric overlay file(s)")
    assert main(argv) == 0
    assert capsys.readouterr().out.startswith("OK: 1 question(s), 1 rubric file(s)")
    renamed = good.with_name("L3.toml")
    good.rename(renamed)
    assert main([*argv, str(renamed)]) == 1
    out = capsys.readouterr().out
    assert f"{renamed}:" in out and "does not match the file name 'L3.toml'" in out


# --- the phrase offered ---------------------------------------------------------------------


def test_the_phrase_offered_is_the_closest_sentence_trimmed_to_content_words() -> None:
    answer = (
        "Regularisation is a broad family of methods. "
        "With L2 the optimiser adds a penalty that keeps every single large weight "
        "small and close to zero during the whole of training, which is nice. "
        "That also helps on new data."
    )
    phrase = overlay.suggest_phrase(
        answer,
        "A penalty on large weights pulls each weight towards zero.",
        "Penalises large weights",
        "Why does L2 regularisation help a model generalise?",
    )
    words = phrase.split()
    assert 1 < len(words) <= overlay.MAX_PHRASE_WORDS
    assert {"penalty", "large", "weight"} <= set(words)  # the sentence about the point
    assert not {"the", "a", "with", "and", "to"} & {w.lower() for w in words}
    assert "L2" not in words  # words of the question earn nothing: not offered
    assert overlay.suggest_phrase("", "text", "title") == ""
