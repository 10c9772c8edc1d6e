"""The side-by-side view: where the offline and LLM graders disagree, and the text lines."""

from __future__ import annotations

from mockinterview.grading.compare import disagreements, format_disagreements, offline_of
from mockinterview.grading.llm.report import llm_lines
from mockinterview.models import Grade, PointResult


def point(pid: str, verdict: str, note: str = "") -> PointResult:
    credit = {"hit": 1.0, "partial": 0.5, "miss": 0.0}[verdict]
    return PointResult(pid, f"Point {pid}", 1.0, verdict, credit, [], note)  # type: ignore[arg-type]


def grades() -> tuple[Grade, Grade]:
    llm = Grade(
        "Q1",
        "llm:m",
        66.7,
        [point("p1", "hit"), point("p2", "partial", "vague"), point("p3", "miss")],
    )
    offline = Grade(
        "Q1",
        "offline",
        40.0,
        [point("p1", "hit"), point("p2", "miss", "missing 'x'"), point("p3", "hit")],
    )
    return llm, offline


def test_disagreements_list_only_points_judged_differently():
    llm, offline = grades()
    found = disagreements(llm, offline)
    assert [(d.point_id, d.llm_verdict, d.offline_verdict) for d in found] == [
        ("p2", "partial", "miss"),
        ("p3", "miss", "hit"),
    ]
    assert found[0].llm_more_generous and not found[1].llm_more_generous
    assert found[0].llm_note == "vague" and found[0].offline_note == "missing 'x'"


def test_identical_grades_agree():
    llm, _ = grades()
    assert disagreements(llm, llm) == []
    assert format_disagreements([]) == ["The offline and LLM graders agree on every point."]


def test_a_point_only_one_grader_has_counts_as_missed_by_the_other():
    llm, offline = grades()
    offline.points.append(point("p9", "partial"))
    assert disagreements(llm, offline)[-1].point_id == "p9"
    llm.points.append(point("p8", "miss"))
    assert all(d.point_id != "p8" for d in disagreements(llm, offline))


def test_text_lines_of_an_llm_grade_carry_follow_up_usage_and_disagreements():
    llm, offline = grades()
    llm.extra = {
        "offline_grade": offline.to_dict(),
        "follow_up": "Why?",
        "tokens": {"prompt": 700, "completion": 200, "count_method": "cl100k_base"},
        "cost_usd": 0.00123,
    }
    assert offline_of(llm).score == 40.0
    lines = llm_lines(llm)
    assert lines[0] == "Follow-up question: Why?"
    assert "700 prompt + 200 completion" in lines[1] and "$0.0012" in lines[1]
    assert "  Point p3: miss vs hit" in lines
    assert llm_lines(offline) == []
