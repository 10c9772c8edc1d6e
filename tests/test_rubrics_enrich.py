"""`rubrics enrich` through the real command line, against a fake OpenAI-compatible server on
127.0.0.1 replaying recorded bodies (tests/recorded/enrich_*.response.json): the diff, the
confirmation, what the sanitiser refuses, and every failure leaving the files untouched."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from fake_llm_server import FakeServer, Script
from mockinterview.bank import load_bank
from mockinterview.cli import main
from mockinterview.config import config_path

GOOD = (200, "enrich_dropout.response.json")
WRONG_SCHEMA = (200, "enrich_wrong_schema.response.json")
NOT_JSON = (200, "malformed_json.response.json")

DROPOUT = """+++
id = "QA0001"
title = "Dropout"
topic = "deep learning"
difficulty = "easy"
tags = ["regularisation"]
+++

## Question

Why does dropout help a neural network generalise?

## Answer

(1) Prevents co-adaptation:
Randomly switching units off during training stops neurons from relying on particular
partners, so each unit has to learn features that are useful on their own.

(2) Works like an ensemble:
Every mini-batch trains a different thinned sub-network; at test time all units are kept and
their activations scaled, which approximates averaging the predictions of many sub-networks.
"""

BATCHNORM = """+++
id = "QA0002"
title = "Batch normalisation"
topic = "deep learning"
difficulty = "easy"
+++

## Question

What does batch normalisation do during training?

## Answer

(1) Standardises activations:
Each feature is shifted and scaled with the mean and variance of the mini-batch, then given a
learned scale and offset.
"""

DROPOUT_RUBRIC = """# Dropout rubric, curated by hand: keep this comment
question_id = "QA0001"
answer_hash = "{hash}"

[[points]]
id = "p1"
title = "Prevents co-adaptation"
text = "Randomly switching units off stops neurons from relying on particular partners."
keywords = [
    ["co-adaptation", "rely on each other"],  # the core idea
    ["randomly", "switched off", "drop units"],
]
min_groups = 2  # both: the mechanism and its effect
misconceptions = []

[[points]]
id = "p2"
title = "Works like an ensemble"
text = "Training thinned sub-networks approximates averaging many of them at test time."
weight = 2.0  # hand-edited weight
keywords = [
    ["ensemble", "averaging"],
    "sub-networks",
]
misconceptions = ["dropout used at test time"]
"""

BATCHNORM_RUBRIC = """question_id = "QA0002"
answer_hash = "{hash}"

[[points]]
id = "p1"
title = "Standardises activations"
text = "Shifts and scales each feature with the mini-batch mean and variance."
keywords = [["mean", "variance"], ["scale", "shift"]]
misconceptions = []
"""


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    """A two-question bank with hand-written rubrics (comments, hand edits, a bare group)."""
    root = tmp_path / "bank"
    (root / "deep-learning").mkdir(parents=True)
    (root / "deep-learning" / "QA0001.md").write_text(DROPOUT, encoding="utf-8")
    (root / "deep-learning" / "QA0002.md").write_text(BATCHNORM, encoding="utf-8")
    questions = load_bank(root).questions
    rubrics = tmp_path / "rubrics"
    rubrics.mkdir()
    (rubrics / "QA0001.toml").write_text(
        DROPOUT_RUBRIC.format(hash=questions["QA0001"].answer_hash), encoding="utf-8"
    )
    (rubrics / "QA0002.toml").write_text(
        BATCHNORM_RUBRIC.format(hash=questions["QA0002"].answer_hash), encoding="utf-8"
    )
    return root


@pytest.fixture(autouse=True)
def quick_retries() -> None:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[llm]\nbackoff = 0\nmax_retries = 1\ntimeout = 2\n", encoding="utf-8")


@pytest.fixture(autouse=True)
def no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def enrich(
    capsys: pytest.CaptureFixture[str], bank: Path, url: str, *argv: str
) -> tuple[int, str, str]:
    flags = ["--llm-base-url", url, "--llm-model", "fake-curator"]
    code = main(["--bank", str(bank), "rubrics", "enrich", *argv, *flags])
    out, err = capsys.readouterr()
    return code, out, err


def files(bank: Path) -> dict[str, str]:
    rubrics = bank.parent / "rubrics"
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(rubrics.glob("*.toml"))}


def test_yes_writes_only_additions_and_keeps_comments_and_hand_edits(capsys, bank):
    before = files(bank)["QA0001.toml"]
    with FakeServer(Script([GOOD])) as server:
        code, out, err = enrich(capsys, bank, server.url, "QA0001", "--yes")
        (request,) = server.script.requests
    assert code == 0, err
    after = files(bank)["QA0001.toml"]
    assert f"wrote {bank.parent / 'rubrics' / 'QA0001.toml'}" in out
    # every line but the lists that grew is still there, comments and hand edits included
    grown = ("    [", '    "sub-networks"', "misconceptions = ")
    untouched = [line for line in before.splitlines() if not line.startswith(grown)]
    assert [line for line in after.splitlines() if not line.startswith(grown)] == untouched
    for line in ("# Dropout rubric, curated by hand: keep this comment", "min_groups = 2  # both"):
        assert line in after
    assert "weight = 2.0  # hand-edited weight" in after
    rubric = load_bank(bank).rubrics["QA0001"]
    p1, p2 = rubric.points
    assert p1.keywords == [
        [
            "co-adaptation",
            "rely on each other",
            "neurons depend on each other",
            "units rely on each other",
        ],
        ["randomly", "switched off", "drop units", "turn neurons off at random"],
    ]
    assert p1.misconceptions == ["dropout removes neurons permanently"]
    assert p2.keywords == [
        ["ensemble", "averaging", "averages many thinned networks"],
        ["sub-networks", "thinned subnetworks"],  # the bare-string group became a list
    ]
    assert p2.misconceptions == ["dropout used at test time", "dropout active during inference"]
    assert p1.min_groups == 2 and p2.weight == 2.0
    assert '    ["co-adaptation", "rely on each other", "neurons depend' in after
    assert after.count("# the core idea") == 1
    # the request was bounded: ids as an enum, lists and strings capped
    schema = request["response_format"]["json_schema"]["schema"]
    point = schema["$defs"]["PointAdditions"]["properties"]
    assert point["id"]["enum"] == ["p1", "p2"]
    assert point["misconceptions"]["maxItems"] == 3
    assert point["misconceptions"]["items"]["maxLength"] == 64
    group = schema["$defs"]["GroupAlternatives"]["properties"]
    assert group["alternatives"]["maxItems"] == 6
    assert group["alternatives"]["items"]["maxLength"] == 48
    assert "Why does dropout help" in request["messages"][1]["content"]


def test_the_diff_is_shown_and_says_what_was_refused(capsys, bank):
    with FakeServer(Script([GOOD])) as server:
        code, out, _ = enrich(capsys, bank, server.url, "QA0001", "--dry-run")
    assert code == 0
    rubric = bank.parent / "rubrics" / "QA0001.toml"
    assert f"--- {rubric}\n+++ {rubric}\n@@ " in out
    assert '+    ["co-adaptation", "rely on each other", "neurons depend on each other"' in out
    assert '-    ["co-adaptation", "rely on each other"],  # the core idea' in out
    assert '+misconceptions = ["dropout removes neurons permanently"]' in out
    removed = [
        line for line in out.splitlines() if line.startswith("-") and not line.startswith("---")
    ]
    added = [line for line in out.splitlines() if line.startswith("+") and "+++" not in line]
    assert len(removed) == len(added) == 6  # each changed line comes back, longer
    summary = next(line for line in out.splitlines() if line.startswith("# QA0001"))
    assert "+5 alternative(s), +2 misconception(s)" in summary
    for why in (
        "4 already in the rubric",
        "2 only question or stop words",
        "1 a single generic word",
        "1 control characters",
        "1 fewer than two content words",
        "1 the reference answer itself says it",
    ):
        assert why in summary
    assert "Dry run: nothing written (1 file(s) would change: QA0001.toml)." in out
    for refused in ("dropout network", "the of and", '"model"', "units kept at test time"):
        assert refused not in out
    assert files(bank)["QA0001.toml"] == DROPOUT_RUBRIC.format(
        hash=load_bank(bank).questions["QA0001"].answer_hash
    )


def test_a_second_run_with_the_same_reply_changes_nothing(capsys, bank):
    with FakeServer(Script([GOOD])) as server:
        assert enrich(capsys, bank, server.url, "QA0001", "--yes")[0] == 0
        once = files(bank)
        code, out, _ = enrich(capsys, bank, server.url, "QA0001", "--yes")
    assert code == 0
    assert files(bank) == once
    assert "QA0001 (QA0001.toml): nothing new to add" in out
    assert "Nothing to write" in out and "@@" not in out and "wrote" not in out


def test_without_a_terminal_or_yes_the_diff_is_printed_and_nothing_written(capsys, bank):
    before = files(bank)
    with FakeServer(Script([GOOD])) as server:
        code, out, _ = enrich(capsys, bank, server.url, "QA0001")
    assert code == 0
    assert "@@" in out
    assert "Nothing written: not a terminal and no --yes" in out and "--yes to write" in out
    assert files(bank) == before


@pytest.mark.parametrize(("reply", "written"), [("y\n", True), ("\n", False), ("n\n", False)])
def test_on_a_terminal_it_asks_before_writing(capsys, bank, monkeypatch, reply, written):
    before = files(bank)
    monkeypatch.setattr("sys.stdin", Terminal(reply))
    with FakeServer(Script([GOOD])) as server:
        code, out, _ = enrich(capsys, bank, server.url, "QA0001")
    assert code == 0
    assert "Write 1 file(s) (QA0001.toml)? [y/N]" in out
    assert (files(bank) != before) is written
    assert ("Nothing written." in out) is not written


@pytest.mark.parametrize(
    ("step", "expected"),
    [
        (NOT_JSON, "QA0001: the model's reply was not valid JSON"),
        (
            WRONG_SCHEMA,
            "QA0001: the model's reply broke the schema (points.0.id: Input should be 'p1' or "
            "'p2' and 1 more)",
        ),
        ((200, {"choices": [], "object": "chat.completion"}), "QA0001: LLM unavailable"),
    ],
)
def test_a_bad_reply_is_a_clear_error_and_the_file_is_untouched(capsys, bank, step, expected):
    before = files(bank)
    with FakeServer(Script([step])) as server:
        code, out, err = enrich(capsys, bank, server.url, "QA0001", "--yes")
    assert code == 1
    assert expected in err and "QA0001.toml unchanged" in err
    assert "Traceback" not in err and "wrote" not in out
    assert files(bank) == before


def test_one_bad_question_does_not_stop_the_others(capsys, bank):
    before = files(bank)
    with FakeServer(Script([NOT_JSON, GOOD])) as server:
        code, out, err = enrich(capsys, bank, server.url, "QA0002", "QA0001", "--yes")
        assert len(server.script.requests) == 2
    assert code == 1
    assert "QA0002: the model's reply was not valid JSON" in err
    after = files(bank)
    assert after["QA0002.toml"] == before["QA0002.toml"]
    assert after["QA0001.toml"] != before["QA0001.toml"]
    assert "wrote" in out and "QA0001.toml" in out


def test_an_endpoint_that_is_down_is_a_clear_error(capsys, bank):
    before = files(bank)
    with FakeServer(Script([])) as server:
        url = server.url  # the port is free again once the server is closed
    code, out, err = enrich(capsys, bank, url, "--yes")
    assert code == 1
    assert f"QA0001: LLM unavailable: cannot reach {url}" in err
    assert "QA0002: not asked, the endpoint failed on an earlier question (QA0001)" in err
    assert files(bank) == before and "@@" not in out


def test_no_llm_configured_is_a_clear_error(capsys, bank):
    before = files(bank)
    code = main(["--bank", str(bank), "rubrics", "enrich", "--yes"])
    _, err = capsys.readouterr()
    assert code == 1
    assert "no LLM configured for `rubrics enrich`" in err and "--llm-base-url" in err
    assert files(bank) == before


def test_a_file_changed_meanwhile_is_not_overwritten(capsys, bank, monkeypatch):
    rubric = bank.parent / "rubrics" / "QA0001.toml"
    import mockinterview.grading.llm.enrich as enrich_module

    real = enrich_module.enrich_question

    def and_a_curator_edits(*args: object) -> object:
        result = real(*args)  # type: ignore[arg-type]
        rubric.write_text(rubric.read_text() + "# a curator's late note\n")
        return result

    monkeypatch.setattr(enrich_module, "enrich_question", and_a_curator_edits)
    with FakeServer(Script([GOOD])) as server:
        code, out, err = enrich(capsys, bank, server.url, "QA0001", "--yes")
    assert code == 1
    assert "changed on disk while enrich ran; run it again" in err and "wrote" not in out
    assert rubric.read_text().endswith("# a curator's late note\n")
    assert "neurons depend" not in rubric.read_text()


def test_unknown_ids_and_a_missing_rubric_file(capsys, bank):
    code = main(["--bank", str(bank), "rubrics", "enrich", "XX9", "--llm-base-url", "x"])
    assert code == 1 and "no such question(s)" in capsys.readouterr().err
    (bank.parent / "rubrics" / "QA0002.toml").unlink()
    with FakeServer(Script([GOOD])) as server:
        code, _, err = enrich(capsys, bank, server.url, "QA0002", "--yes")
        assert server.script.requests == []
    assert code == 1
    assert "QA0002: no rubric file" in err and "rubrics build QA0002" in err


def test_a_server_without_json_schema_is_asked_again_in_json_mode(capsys, bank):
    rejected = (500, "llama-cpp-python_smollm2-135m_json_schema_rejected.response.json")
    with FakeServer(Script([rejected, GOOD])) as server:
        code, out, _ = enrich(capsys, bank, server.url, "QA0001", "--dry-run")
        formats = [r["response_format"]["type"] for r in server.script.requests]
    assert code == 0 and formats == ["json_schema", "json_object"]
    assert "+5 alternative(s), +2 misconception(s)" in out


def test_the_sanitiser_caps_groups_and_misconceptions_and_repeats_nothing():
    from mockinterview.grading.llm.enrich import PointView, sanitise
    from mockinterview.models import Question

    question = Question("Q", "Q", "Why does dropout help?", "It stops co-adaptation.")
    full = [f"phrase number {n}" for n in range(14)]  # one place left of 15
    point = PointView("p1", "T", "text", [full], [0], [f"claim {n} wrong" for n in range(5)])
    reply = {
        "points": [
            {
                "id": "p1",
                "groups": [{"group": 1, "alternatives": ["thinned nets", "random masks"]}],
                "misconceptions": ["weights grow unbounded", "kills every unit"],
            },
            {  # the same point again: nothing twice
                "id": "p1",
                "groups": [{"group": 2, "alternatives": ["x y"]}],
                "misconceptions": ["Weights grow unbounded"],
            },
        ]
    }
    additions, dropped = sanitise(reply, [point], question)
    assert additions["p1"].groups == {0: ["thinned nets"]}
    assert additions["p1"].misconceptions == ["weights grow unbounded"]
    assert dropped == {
        "group full": 1,
        "misconception list full": 1,
        "no such keyword group": 1,
        "already in the rubric": 1,
    }
