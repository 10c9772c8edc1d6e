"""Agreement metrics against values worked out by hand."""

from __future__ import annotations

import math

import pytest

from mockinterview.grading.agreement import (
    agreement,
    pearson,
    quadratic_weighted_kappa,
    ranks,
    rmse,
    spearman,
)


def test_pearson_of_a_linear_relation_and_of_constant_data() -> None:
    assert pearson([1, 2, 3, 4], [2, 4, 6, 8]) == pytest.approx(1.0)
    assert pearson([1, 2, 3, 4], [8, 6, 4, 2]) == pytest.approx(-1.0)
    assert pearson([1, 2, 3], [5, 5, 5]) is None
    assert pearson([1], [2]) is None


def test_pearson_matches_a_hand_computed_value() -> None:
    # x = 1,2,3 ; y = 1,3,2 -> cov = 0.5, var x = 1, var y = 1 -> r = 0.5
    assert pearson([1, 2, 3], [1, 3, 2]) == pytest.approx(0.5)


def test_ranks_share_ties() -> None:
    assert ranks([10, 20, 20, 30]) == [1.0, 2.5, 2.5, 4.0]


def test_spearman_sees_monotonic_relations() -> None:
    assert spearman([1, 2, 3, 4], [1, 4, 9, 100]) == pytest.approx(1.0)


def test_rmse() -> None:
    assert rmse([0, 0], [3, 4]) == pytest.approx(math.sqrt(12.5))
    assert rmse([], []) is None


def test_qwk_perfect_opposite_and_hand_computed() -> None:
    assert quadratic_weighted_kappa([0, 1, 2], [0, 1, 2], 2) == pytest.approx(1.0)
    assert quadratic_weighted_kappa([0, 2], [2, 0], 2) == pytest.approx(-1.0)
    # a=[0,0,1,1], b=[0,1,1,1]: one (0,1) disagreement observed; expected counts
    # (0,1) = 2*3/4 and (1,0) = 2*1/4, so 2 -> kappa = 1 - 1/2
    assert quadratic_weighted_kappa([0, 0, 1, 1], [0, 1, 1, 1], 1) == pytest.approx(0.5)


def test_agreement_scales_rmse_to_each_rows_points() -> None:
    result = agreement([0.5, 1.0], [1.0, 1.0], [4.0, 2.0])
    assert result.n == 2
    assert result.rmse == pytest.approx(math.sqrt((2.0**2 + 0) / 2))
    assert result.pearson is None  # human side constant
    assert set(result.to_dict()) == {"n", "pearson", "spearman", "rmse", "qwk"}


def test_lengths_must_match() -> None:
    with pytest.raises(ValueError):
        agreement([0.1], [0.1, 0.2], [1, 1])
