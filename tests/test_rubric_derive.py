"""Rubric derivation on every answer shape the seeds use, and on short outside references."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockinterview.bank import load_bank
from mockinterview.models import Question
from mockinterview.rubrics.derive import asked_count, derive_rubric

BANK = load_bank(Path(__file__).resolve().parents[1] / "bank")
EXPECTED_POINTS = {
    "DL0001": 2,
    "DL0002": 4,
    "DL0003": 4,
    "DL0004": 4,
    "ML0026": 5,
    "ML0027": 2,
    "ML0029": 4,
    "ML0030": 4,
    "ML0031": 7,
}


def derived(qid: str):
    return derive_rubric(BANK.questions[qid])


@pytest.mark.parametrize(("qid", "count"), sorted(EXPECTED_POINTS.items()))
def test_numbered_points_are_counted(qid: str, count: int) -> None:
    rubric = derived(qid)
    assert len(rubric.points) == count
    assert [p.id for p in rubric.points] == [f"p{n}" for n in range(1, count + 1)]
    assert rubric.answer_hash == BANK.questions[qid].answer_hash
    for point in rubric.points:
        assert point.title and point.text and point.weight == 1.0
        assert point.keywords and all(group for group in point.keywords)


def test_sections_restart_numbering() -> None:
    ml31 = derived("ML0031")
    assert [p.section for p in ml31.points] == ["Advantages"] * 3 + ["Disadvantages"] * 4
    assert ml31.points[3].title == "Assumes Linearity"
    ml26 = derived("ML0026")
    assert [p.section for p in ml26.points] == ["Advantages of ReLU"] * 3 + [
        "Drawbacks of ReLU"
    ] * 2
    assert ml26.points[3].title == "Dying ReLU Problem"
    assert ml26.points[3].text.startswith("Neurons can become inactive")  # next line's text


def test_titles_and_continuation_lines() -> None:
    dl1 = derived("DL0001")
    assert [p.title for p in dl1.points] == [
        "Tackle vanishing gradient problem",
        "Address network degradation",
    ]
    assert "y = F(x) + x" not in dl1.points[0].text  # the preamble is no point
    dl3 = derived("DL0003").points[0]
    assert dl3.title == "Dimensionality control"
    assert "bottleneck block" in dl3.text and "(64→256)" in dl3.text
    dl4 = derived("DL0004").points[1]
    assert dl4.title == "Reduced Parameters"
    assert r"25 \cdot C_{in} \cdot C_{out}" in dl4.text
    assert (
        derived("DL0002").points[2].text.endswith("ones initialization vs random initialization)")
    )


def test_answer_without_numbered_points_uses_key_sentences() -> None:
    rubric = derived("ML0028")
    assert 3 <= len(rubric.points) <= 5
    texts = [p.text for p in rubric.points]
    assert texts[0].startswith("Softmax is an activation function")
    assert any("probability distribution" in t for t in texts)
    assert not any("\\frac" in t or "z_i represents" in t for t in texts)  # formula, glossary


def test_short_and_odd_references_never_fail() -> None:
    one = derive_rubric(Question("X", "t", "Why cache?", "It avoids recomputation."))
    assert len(one.points) == 1 and one.points[0].text == "It avoids recomputation."
    assert one.points[0].keywords
    tiny = derive_rubric(Question("X", "t", "?", "Yes."))
    assert len(tiny.points) == 1 and tiny.points[0].keywords
    empty = derive_rubric(Question("X", "t", "?", "   "))
    assert empty.points == []
    bullets = derive_rubric(Question("X", "t", "?", "Use:\n- Caching: fewer calls\n- Batching"))
    assert [p.title for p in bullets.points] == ["Caching", "Batching"]


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Give two reasons why caching helps.", 2),
        ("Name three activation functions.", 3),
        ("List 4 advantages of SQL.", 4),
        ("What are two drawbacks of ReLU?", 2),
        ("What are the advantages and disadvantages of linear regression?", None),
        ("Why is one-hot encoding used?", None),
        ("Explain one-hot encoding.", None),
        ("Describe 2.5D convolutions.", None),
        ("Name the 2 phases of congestion control.", 2),
        ("State at least 4 of the differences between UDP and TCP.", 4),
    ],
)
def test_asked_count(text: str, count: int | None) -> None:
    assert asked_count(text) == count


def test_required_is_set_only_when_fewer_than_all_points() -> None:
    answer = "(1) A: a thing here.\n(2) B: b thing here.\n(3) C: c thing here."
    assert derive_rubric(Question("X", "t", "Give two reasons.", answer)).required == 2
    assert derive_rubric(Question("X", "t", "Give three reasons.", answer)).required is None


def test_headed_paragraphs_and_one_idea_per_line() -> None:
    headed = derive_rubric(
        Question(
            "X",
            "t",
            "Name the 2 phases of congestion control.",
            "Slow start (cwnd < ssthresh)::\nThe window doubles every round trip.\n\n"
            "Congestion avoidance:\nThe window grows by one segment per round trip.",
        )
    )
    assert [p.title for p in headed.points] == [
        "Slow start (cwnd < ssthresh)",
        "Congestion avoidance",
    ]
    assert headed.points[1].text == "The window grows by one segment per round trip."
    lines = derive_rubric(
        Question(
            "X",
            "t",
            "State the differences.",
            "Possible differences:\nThe UDP header is much shorter than the TCP header\n"
            "The UDP header has a fixed length while TCP varies\n"
            "Additionally, UDP carries no sequence numbers at all.",
        )
    )
    assert len(lines.points) == 3
    assert lines.points[0].text == "The UDP header is much shorter than the TCP header"
    assert lines.points[2].title == "Additionally, UDP carries no sequence numbers at all"


def test_a_list_longer_than_the_count_asked_gives_one_point_per_item() -> None:
    question = Question(
        id="L1",
        title="IPv6",
        question="What are the objectives of IPv6? Please state at least 3 objectives.",
        answer="To support billions of end-systems.\nTo reduce routing tables.\n"
        "To increase security.\n-Flow label, traffic class\nTo support mobility (roaming).",
    )
    rubric = derive_rubric(question)
    assert rubric.required == 3
    assert [p.title for p in rubric.points] == [
        "To support billions of end-systems",
        "To reduce routing tables",
        "To increase security",
        "Flow label, traffic class",
        "To support mobility",
    ]


def test_a_decimal_is_not_a_numbered_item() -> None:
    reference = "0.5 P for a sensible choice out of: Token Ring or TDMA with reservation."
    rubric = derive_rubric(Question(id="S1", title="", question="Which?", answer=reference))
    assert len(rubric.points) == 1
    assert rubric.points[0].text.startswith("0.5 P")


CHOICE_QUESTION = "Which encoding should be used in this network? Give two reasons."
CHOICE_REFERENCE = (
    "Binary Encoding, as it is the most efficient in terms of bandwidth. Additionally, you do not "
    "have to deal with clock drift as all clocks are perfect."
)


def test_a_choice_question_gets_a_point_for_the_option_chosen() -> None:
    question = Question(id="C1", title="", question=CHOICE_QUESTION, answer=CHOICE_REFERENCE)
    rubric = derive_rubric(question)
    assert rubric.points[0].title == "Binary Encoding"
    assert ["binary"] in rubric.points[0].keywords
    assert rubric.required == 2  # any two of the choice and its reasons


@pytest.mark.parametrize(
    ("question_text", "reference"),
    [
        ("Explain how encoding works.", CHOICE_REFERENCE),  # no choice asked for
        (CHOICE_QUESTION, "1. Binary encoding is efficient. 2. Clocks are perfect."),
        (CHOICE_QUESTION, "Yes, it depends on the clocks and on the bandwidth."),
        ("Which encoding, binary or Manchester?", "Binary encoding, as it is efficient."),
    ],
)
def test_no_choice_point_without_a_named_option(question_text: str, reference: str) -> None:
    question = Question(id="C2", title="", question=question_text, answer=reference)
    titles = [p.title for p in derive_rubric(question).points]
    assert "Binary Encoding" not in titles and "Binary encoding" not in titles


@pytest.mark.parametrize(
    "answer",
    [
        "Error has parts: (1) Bias: wrong assumptions. (2) Variance: sensitivity to the sample.",
        "1) Bias: wrong assumptions. 2) Variance: sensitivity to the sample.",
        "(1) Bias: wrong assumptions. (2) Variance: sensitivity\nto the sample.",
    ],
)
def test_numbered_points_on_one_line_give_one_point_each(answer: str) -> None:
    rubric = derive_rubric(Question("X", "t", "Explain the decomposition.", answer))
    assert [p.title for p in rubric.points] == ["Bias", "Variance"]
    assert rubric.points[0].text == "wrong assumptions."
    assert rubric.points[1].text.startswith("sensitivity")


def test_a_wrapped_one_line_list_continues_on_the_next_line() -> None:
    answer = (
        "(1) Bias: wrong assumptions. (2) Variance: sensitivity to\nthe sample. (3) Noise: rest."
    )
    rubric = derive_rubric(Question("X", "t", "Explain it.", answer))
    assert [p.title for p in rubric.points] == ["Bias", "Variance", "Noise"]
    assert rubric.points[1].text == "sensitivity to\nthe sample."


@pytest.mark.parametrize(
    "answer",
    [
        "f(1) and f(2) are values of the function at two points.",
        "See step 2) and then step 1) of the recipe for the details.",
        "Only one marker (1) Bias: here, nothing to split at all.",
    ],
)
def test_markers_that_are_no_list_split_nothing(answer: str) -> None:
    rubric = derive_rubric(Question("X", "t", "Explain it.", answer))
    assert len(rubric.points) == 1


def test_markdown_bold_titles_are_point_titles() -> None:
    answer = "1. **Bias:** wrong assumptions.\n2. **Variance**: sensitivity.\n3. __Noise__ - rest."
    rubric = derive_rubric(Question("X", "t", "Explain it.", answer))
    assert [(p.title, p.text) for p in rubric.points] == [
        ("Bias", "wrong assumptions."),
        ("Variance", "sensitivity."),
        ("Noise", "rest."),
    ]
