"""How well a grader agrees with human grades: Pearson r, Spearman rho, RMSE and quadratic
weighted kappa. Standard library only: scipy is far too heavy for four numbers."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

KAPPA_LEVELS = 10  # QWK compares grades rounded to tenths of the maximum (11 levels, 0..10)


@dataclass(slots=True)
class Agreement:
    """Agreement figures over `n` pairs; a figure is None when it is undefined (constant data)."""

    n: int
    pearson: float | None
    spearman: float | None
    rmse: float | None
    qwk: float | None

    def to_dict(self) -> dict[str, float | int | None]:
        return {
            "n": self.n,
            "pearson": _round(self.pearson),
            "spearman": _round(self.spearman),
            "rmse": _round(self.rmse),
            "qwk": _round(self.qwk),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson r, or None with fewer than two pairs or when either side is constant."""
    if len(xs) != len(ys):
        raise ValueError("pearson: sequences differ in length")
    if len(xs) < 2:
        return None
    try:
        return statistics.correlation(xs, ys)
    except statistics.StatisticsError:
        return None


def ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties sharing the mean of their ranks (as Spearman's rho requires)."""
    order = sorted(range(len(values)), key=values.__getitem__)
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        mean_rank = (i + j) / 2 + 1
        for k in range(i, j + 1):
            result[order[k]] = mean_rank
        i = j + 1
    return result


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    return pearson(ranks(xs), ranks(ys))


def rmse(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    if len(xs) != len(ys):
        raise ValueError("rmse: sequences differ in length")
    if not xs:
        return None
    return math.sqrt(sum((x - y) ** 2 for x, y in zip(xs, ys, strict=True)) / len(xs))


def quadratic_weighted_kappa(a: Sequence[int], b: Sequence[int], levels: int) -> float | None:
    """Cohen's kappa with quadratic weights over integer ratings 0..levels."""
    if len(a) != len(b):
        raise ValueError("kappa: sequences differ in length")
    n = len(a)
    if n == 0 or levels < 1:
        return None
    size = levels + 1
    observed = [[0] * size for _ in range(size)]
    for x, y in zip(a, b, strict=True):
        observed[x][y] += 1
    hist_a = [sum(row) for row in observed]
    hist_b = [sum(observed[i][j] for i in range(size)) for j in range(size)]
    num = den = 0.0
    for i in range(size):
        for j in range(size):
            weight = (i - j) ** 2 / levels**2
            num += weight * observed[i][j]
            den += weight * hist_a[i] * hist_b[j] / n
    if den == 0:
        return None
    return 1.0 - num / den


def agreement(
    predicted: Sequence[float], human: Sequence[float], scale: Sequence[float]
) -> Agreement:
    """Agreement of grades on a 0..1 scale; RMSE is reported in each row's own points (`scale`
    is the max score of each row), kappa on tenths of the maximum."""
    if not (len(predicted) == len(human) == len(scale)):
        raise ValueError("agreement: sequences differ in length")
    levels_p = [_level(p) for p in predicted]
    levels_h = [_level(h) for h in human]
    return Agreement(
        n=len(predicted),
        pearson=pearson(predicted, human),
        spearman=spearman(predicted, human),
        rmse=rmse(
            [p * s for p, s in zip(predicted, scale, strict=True)],
            [h * s for h, s in zip(human, scale, strict=True)],
        ),
        qwk=quadratic_weighted_kappa(levels_p, levels_h, KAPPA_LEVELS),
    )


def _level(fraction: float) -> int:
    return max(0, min(KAPPA_LEVELS, round(fraction * KAPPA_LEVELS)))
