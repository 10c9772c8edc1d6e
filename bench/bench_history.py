"""How fast history stays with 10,000 attempts: queries, stats, exports, the review screen.

Run: `python bench/bench_history.py [--attempts N]`. Fills a temporary store with a synthetic,
deterministic history (`mockinterview.review.sample`) and prints the median of a few runs.
The review screen is timed in a headless Textual app, from pushing the screen to (a) its table
showing the newest attempts and (b) the app going idle with every attempt loaded for filtering.
The progress screen is timed from pushing it to its first paint (a loading indicator), to its
figures mounted (`ready`), and to the app going idle (Pilot's pause waits for the whole process,
worker threads included, to stop using CPU).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mockinterview.review import export, records, sample, schedule, stats
from mockinterview.review.progress import progress_data
from mockinterview.store import Store
from mockinterview.store.attempts import attempt_summaries


def timed(fn: Callable[[], Any], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


async def _screen_times(store: Store, bank: sample.SampleBank, runs: int) -> dict[str, float]:
    from textual.app import App
    from textual.widgets import DataTable

    from mockinterview.tui.screens.progress import ProgressScreen
    from mockinterview.tui.screens.review import ReviewScreen

    class BenchApp(App[None]):
        def __init__(self) -> None:
            super().__init__()
            self.store, self.bank = store, bank

        def start_session(self, question_ids: list[str]) -> None:
            pass

    shown, idle, progress, queued, painted, ready = [], [], [], [], [], []
    app = BenchApp()
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(runs):
            start = time.perf_counter()
            screen = ReviewScreen(store, bank)
            await app.push_screen(screen)
            while not screen.query(DataTable) or screen.query_one(DataTable).row_count == 0:
                await asyncio.sleep(0)
            shown.append(time.perf_counter() - start)
            await pilot.pause()
            idle.append(time.perf_counter() - start)
            await app.pop_screen()
            await pilot.pause()
            start = time.perf_counter()
            progress_screen = ProgressScreen(store, bank)
            await app.push_screen(progress_screen)
            painted.append(time.perf_counter() - start)
            while not progress_screen.ready:
                await asyncio.sleep(0.005)
            ready.append(time.perf_counter() - start)
            await pilot.pause()
            progress.append(time.perf_counter() - start)
            await app.workers.wait_for_complete()
            await pilot.pause()
            queued.append(time.perf_counter() - start)
            await app.pop_screen()
            await pilot.pause()
    return {
        "review screen: first rows shown": statistics.median(shown),
        "review screen: idle, all rows loaded": statistics.median(idle),
        "progress screen: first paint (loading)": statistics.median(painted),
        "progress screen: all figures shown": statistics.median(ready),
        "progress screen: trends shown": statistics.median(progress),
        "progress screen: what-next queue shown": statistics.median(queued),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=10_000)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "attempts.sqlite3")
        bank = sample.SampleBank(args.questions)
        start = time.perf_counter()
        sample.fill_store(store, bank, args.attempts)
        print(f"{args.attempts} attempts on {args.questions} questions, filled in "
              f"{time.perf_counter() - start:.2f} s; median of {args.runs} runs:")  # fmt: skip
        ids = list(bank.questions)
        figures = {
            "history rows (table)": timed(lambda: attempt_summaries(store)),
            "history --format json records": timed(lambda: records.attempt_records(store, bank)),
            "history --question (one question)": timed(
                lambda: records.attempt_records(store, bank, question_id=ids[0])
            ),
            "stats: per question + per topic": timed(lambda: stats.topic_progress(store, bank)),
            "stats: most-missed points": timed(lambda: stats.most_missed_points(store)),
            "stats: totals and streaks": timed(lambda: stats.totals(store)),
            "what next: weakest_questions": timed(
                lambda: schedule.weakest_questions(store, ids, 10)
            ),
            "export md": timed(lambda: export.export(store, bank, "md"), runs=3),
            "export csv": timed(lambda: export.export(store, bank, "csv"), runs=3),
            "export json": timed(lambda: export.export(store, bank, "json"), runs=3),
            "progress screen data (all figures)": timed(
                lambda: progress_data(store, bank, datetime.now(UTC))
            ),
        }
        figures.update(asyncio.run(_screen_times(store, bank, args.runs)))
        for name, seconds in figures.items():
            print(f"  {name:<40} {seconds * 1000:8.1f} ms")
        store.close()


if __name__ == "__main__":
    main()
