"""`--jobs N`: big batches graded in worker processes give exactly the output of one process,
in input order; a grader with its own concurrency keeps its threads; dead workers cost speed,
never rows."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest

from mockinterview.bank import load_bank
from mockinterview.cli import main
from mockinterview.grading import batch

REPO = Path(__file__).resolve().parents[1]
BANK = str(REPO / "bank")


def _answers(rows: int, seed: int = 3) -> list[tuple[str, str]]:
    """(question id, answer) pairs: pieces of the bank's reference answers, some words left
    out, so that grades differ from row to row."""
    rng = random.Random(seed)
    bank = load_bank(REPO / "bank")
    ids = sorted(bank.questions)
    pairs = []
    for _ in range(rows):
        question = bank.questions[rng.choice(ids)]
        words = question.answer.split()
        start = rng.randrange(len(words))
        piece = words[start : start + rng.randint(0, 60)]
        pairs.append((question.id, " ".join(w for w in piece if rng.random() > 0.15)))
    return pairs


def _write_csv(path: Path, pairs: list[tuple[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["question_id", "answer", "row"])
        writer.writerows((qid, answer, n) for n, (qid, answer) in enumerate(pairs))


@pytest.mark.parametrize("out_name", ["out.csv", "out.jsonl"])
def test_two_processes_write_byte_identical_output_to_one(
    tmp_path: Path, capsys, out_name: str
) -> None:
    source = tmp_path / "in.csv"
    _write_csv(source, _answers(300))
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"{jobs}-{out_name}"
        argv = ["--bank", BANK, "grade", "--batch", str(source), "--out", str(out)]
        assert main([*argv, "--jobs", jobs]) == 0
        assert "graded 300 rows, skipped 0" in capsys.readouterr().err
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    text = outputs[0].decode()
    rows = (
        list(csv.DictReader(text.splitlines()))
        if out_name.endswith(".csv")
        else [json.loads(line) for line in text.splitlines()]
    )
    assert [int(r["row"]) for r in rows] == list(range(300))  # input order kept
    assert len({r["score"] for r in rows}) > 10  # real grades, not one value repeated


def test_eval_figures_are_the_same_with_two_processes(tmp_path: Path, capsys) -> None:
    source = tmp_path / "e.csv"
    rng = random.Random(5)
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["question_id", "question", "reference_answer", "answer", "score", "max_score"]
        )
        for qid, answer in _answers(240):
            writer.writerow([qid, "", "", answer, rng.randint(0, 5), 5])
    reports = []
    for jobs in ("1", "2"):
        assert main(["--bank", BANK, "eval", str(source), "--format", "json", "--jobs", jobs]) == 0
        reports.append(capsys.readouterr().out)
    assert reports[0] == reports[1] and json.loads(reports[0])["n"] == 240


def test_a_big_batch_uses_every_cpu_by_default_and_a_small_one_a_single_process(
    monkeypatch,
) -> None:
    monkeypatch.setattr(batch.os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    assert batch.default_jobs(batch.PARALLEL_FROM - 1) == 1
    assert batch.default_jobs(batch.PARALLEL_FROM) == 3


def test_the_default_sends_a_big_offline_batch_to_worker_processes(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    seen: list[int] = []
    real = batch._grade_in_processes

    def spy(grader, tasks, jobs, advance):
        seen.append(jobs)
        return real(grader, tasks, jobs, advance)

    monkeypatch.setattr(batch, "_grade_in_processes", spy)
    monkeypatch.setattr(batch, "default_jobs", lambda rows: 2 if rows >= 200 else 1)
    source = tmp_path / "in.csv"
    _write_csv(source, _answers(batch.PARALLEL_FROM))
    assert main(["--bank", BANK, "grade", "--batch", str(source)]) == 0
    _write_csv(source, _answers(batch.PARALLEL_FROM - 1))
    assert main(["--bank", BANK, "grade", "--batch", str(source)]) == 0
    assert seen == [2]  # the small batch stayed in this process
    capsys.readouterr()


class _Concurrent:
    """An LLM-like grader: several requests in flight, not picklable into a worker."""

    name = "fake"
    concurrency = 3

    def __init__(self) -> None:
        import threading

        self.lock = threading.Lock()  # cannot be pickled: a process pool would fail

    def grade(self, question, rubric, answer):
        from mockinterview.models import Grade

        return Grade(question_id=question.id, grader=self.name, score=len(answer), points=[])


def test_a_grader_with_its_own_concurrency_keeps_its_threads_whatever_jobs_says(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    monkeypatch.setattr("mockinterview.grading.factory.make_grader", lambda *a, **k: _Concurrent())
    source = tmp_path / "in.jsonl"
    rows = [{"question_id": "DL0001", "answer": "x" * n} for n in range(1, 31)]
    source.write_text("\n".join(json.dumps(r) for r in rows), "utf-8")
    assert main(["--bank", BANK, "grade", "--batch", str(source), "--jobs", "2"]) == 0
    scores = [json.loads(line)["score"] for line in capsys.readouterr().out.splitlines()]
    assert scores == list(range(1, 31))


def test_rows_of_workers_that_died_are_graded_in_this_process(monkeypatch) -> None:
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    from mockinterview.grading.offline.grader import OfflineGrader

    class DyingPool:
        """Finishes the first chunk, then every worker is gone (killed, out of memory)."""

        def __init__(self, *args, **kwargs) -> None:
            self.calls = 0

        def submit(self, func, chunk):
            future: Future = Future()
            self.calls += 1
            if self.calls == 1:
                batch._start_worker(OfflineGrader(), targets)
                future.set_result(func(chunk))
            else:
                future.set_exception(BrokenProcessPool("a worker died"))
            return future

        def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
            pass

    monkeypatch.setattr("concurrent.futures.ProcessPoolExecutor", DyingPool)
    bank = load_bank(REPO / "bank")
    pairs = _answers(50)
    targets = [(bank.get(qid), bank.rubric_for(qid)) for qid, _ in pairs]
    tasks = [(q, r, answer) for (q, r), (_, answer) in zip(targets, pairs, strict=True)]
    done: list[int] = []
    grader = OfflineGrader()
    grades = batch.grade_in_order(grader, tasks, jobs=2, advance=done.append)
    assert [g.score for g in grades] == [grader.grade(*t).score for t in tasks]
    assert sum(done) == len(tasks)


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(value: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["grade", "--batch", "x.csv", "--jobs", value])
    assert exit_info.value.code == 2 and "--jobs" in capsys.readouterr().err
