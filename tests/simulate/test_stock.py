"""Stock turnover (LEAP method): a worked example, conservation, steady state, batching, sales
derived from stock, Weibull mean lifetime, survival tables and input checks."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neutra.errors import CalculationError
from neutra.simulate.stock import (
    sales_for_stock,
    survival_table,
    survival_weibull,
    turnover,
    vintage_weighted,
)

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
YEARS = np.arange(2020, 2023, dtype=np.int64)
S = np.array([1.0, 0.8, 0.4, 0.0])  # survival by age 0, 1, 2, 3
PROFILE = np.array([0.5, 0.3, 0.2])  # base stock shares by age 0, 1, 2
SALES = np.array([50.0, 40.0, 20.0])  # 2020 (part of the base stock), 2021, 2022

lifetimes = st.floats(min_value=2.0, max_value=25.0)
shapes = st.floats(min_value=0.7, max_value=6.0)
amounts = st.floats(min_value=0.0, max_value=1e4)


# --------------------------------------------------------------------------------------------------
# A worked example


def test_hand_computed_turnover() -> None:
    tv = turnover(YEARS, 100.0, SALES, S, PROFILE)
    # Vintages: the base stock's ages 2, 1, 0 (sold 2018, 2019, 2020), then sales of 2021, 2022.
    assert tv.vintage_years.tolist() == [2018, 2019, 2020, 2021, 2022]
    expected = [
        # 2020: the base stock 100 × (0.2, 0.3, 0.5); 2020 sales are its age-0 cohort.
        [20.0, 30.0, 50.0, 0.0, 0.0],
        # 2021: 2018 → 20 S(3)/S(2) = 0; 2019 → 30 S(2)/S(1) = 30·0.4/0.8 = 15;
        #       2020 → 50 S(1)/S(0) = 40; 2021 sales → 40 S(0) = 40.
        [0.0, 15.0, 40.0, 40.0, 0.0],
        # 2022: 2019 → 30 S(3)/S(1) = 0; 2020 → 50·0.4 = 20; 2021 → 40·0.8 = 32; 2022 → 20.
        [0.0, 0.0, 20.0, 32.0, 20.0],
    ]
    np.testing.assert_allclose(tv.by_vintage, expected, rtol=1e-12)
    np.testing.assert_allclose(tv.stock, [100.0, 95.0, 72.0], rtol=1e-12)
    # 2021: 100 + 40 − 95 = 45; 2022: 95 + 20 − 72 = 43.
    np.testing.assert_allclose(tv.retirements, [0.0, 45.0, 43.0], rtol=1e-12)
    # Intensity by vintage 5, 4, 3, 2, 1: 2020 20·5 + 30·4 + 50·3 = 370;
    # 2021 15·4 + 40·3 + 40·2 = 260; 2022 20·3 + 32·2 + 20·1 = 144.
    energy = vintage_weighted(tv.by_vintage, np.array([5.0, 4.0, 3.0, 2.0, 1.0]))
    np.testing.assert_allclose(energy, [370.0, 260.0, 144.0], rtol=1e-12)


def test_steady_state_profile_is_the_default() -> None:
    # Trailing zeros of S are trimmed: A_base = 3, shares (1, 0.8, 0.4) / 2.2.
    tv = turnover(YEARS, 220.0, SALES, S)
    np.testing.assert_allclose(tv.by_vintage[0, :3], [40.0, 80.0, 100.0], rtol=1e-12)
    assert tv.vintage_years[0] == 2018


def test_sales_derived_from_stock_worked_example() -> None:
    got = sales_for_stock(YEARS, 100.0, [100.0, 95.0, 72.0], S, PROFILE)
    np.testing.assert_allclose(got, SALES, rtol=1e-12)  # 2020: the base's age-0 cohort 100·0.5
    # Unreachable: 55 units of the base stock survive into 2021 (15 + 40), above a target of 10.
    low = sales_for_stock(YEARS, 100.0, [100.0, 10.0, 10.0], S, PROFILE)
    np.testing.assert_allclose(low, [50.0, 0.0, 0.0])


# --------------------------------------------------------------------------------------------------
# Invariants


@FAST
@given(
    lifetimes,
    shapes,
    st.floats(min_value=0.0, max_value=1e5),
    st.lists(amounts, min_size=1, max_size=12),
)
def test_conservation_and_non_negative_retirements(
    life: float, k: float, base: float, sales: list[float]
) -> None:
    years = np.arange(2020, 2020 + len(sales), dtype=np.int64)
    surv = survival_weibull(np.arange(60.0), life, k)
    tv = turnover(years, base, np.array(sales), surv)
    scale = 1.0 + base + sum(sales)
    np.testing.assert_allclose(tv.stock, tv.by_vintage.sum(-1))
    assert tv.stock[0] == pytest.approx(base, rel=1e-12, abs=1e-9)
    flow = tv.stock[:-1] + np.array(sales[1:]) - tv.retirements[1:]
    np.testing.assert_allclose(tv.stock[1:], flow, rtol=0, atol=1e-9 * scale)
    assert np.all(tv.retirements >= -1e-9 * scale)
    # No vintage ever grows after its sales year.
    sold_before = tv.vintage_years[None, :] < years[1:, None]
    assert np.all(np.diff(tv.by_vintage, axis=0)[sold_before] <= 1e-9 * scale)


def test_no_retirement_within_the_horizon() -> None:
    years = np.arange(2020, 2026, dtype=np.int64)
    sales = np.array([7.0, 3.0, 0.0, 5.0, 2.5, 1.0])
    profile = np.full(10, 0.1)
    tv = turnover(years, 80.0, sales, np.ones(20), profile)
    np.testing.assert_allclose(tv.stock, 80.0 + np.r_[0.0, np.cumsum(sales[1:])])
    np.testing.assert_allclose(tv.retirements, 0.0, atol=1e-12)


@FAST
@given(lifetimes, shapes, st.floats(min_value=1.0, max_value=1e6))
def test_steady_state_stays_constant(life: float, k: float, base: float) -> None:
    surv = survival_weibull(np.arange(200.0), life, k)
    years = np.arange(2020, 2051, dtype=np.int64)
    sales = np.full(years.size, base / surv.sum())
    tv = turnover(years, base, sales, surv)
    np.testing.assert_allclose(tv.stock, base, rtol=1e-9)
    np.testing.assert_allclose(tv.retirements[1:], sales[1:], rtol=1e-9)


def test_batch_matches_single_draws() -> None:
    rng = np.random.default_rng(7)
    n, years = 5, np.arange(2020, 2031, dtype=np.int64)
    life, k = rng.uniform(5, 20, n), rng.uniform(1, 4, n)
    surv = survival_weibull(np.arange(80.0), life, k)
    assert surv.shape == (n, 80)
    base, sales = rng.uniform(50, 150, n), rng.uniform(0, 20, (n, years.size))
    profile = rng.dirichlet(np.ones(12), n)
    for prof in (None, profile):
        tv = turnover(years, base, sales, surv, prof)
        target = tv.stock * rng.uniform(0.8, 1.3, tv.stock.shape)
        derived = sales_for_stock(years, base, target, surv, prof)
        for i in range(n):
            p = None if prof is None else prof[i]
            one = turnover(years, base[i], sales[i], surv[i], p)
            # A steady-state batch keeps the ages where any draw survives: more, empty, columns.
            extra = tv.vintage_years.size - one.vintage_years.size
            np.testing.assert_array_equal(tv.vintage_years[extra:], one.vintage_years)
            np.testing.assert_allclose(tv.by_vintage[i, :, extra:], one.by_vintage, rtol=1e-12)
            np.testing.assert_allclose(tv.by_vintage[i, :, :extra], 0.0)
            np.testing.assert_allclose(tv.retirements[i], one.retirements, rtol=1e-12, atol=1e-9)
            alone = sales_for_stock(years, base[i], target[i], surv[i], p)
            np.testing.assert_allclose(derived[i], alone, rtol=1e-12)


def test_scalar_inputs_broadcast_against_batched_survival() -> None:
    surv = survival_weibull(np.arange(40.0), np.array([8.0, 12.0]), 2.0)
    tv = turnover(YEARS, 100.0, SALES, surv)
    assert tv.stock.shape == (2, 3)
    assert tv.by_vintage.shape[:2] == (2, 3)
    assert vintage_weighted(tv.by_vintage, np.ones(tv.vintage_years.size)).shape == (2, 3)


@FAST
@given(lifetimes, shapes, st.lists(amounts, min_size=2, max_size=15))
def test_sales_for_stock_reproduces_a_reachable_target(
    life: float, k: float, sales: list[float]
) -> None:
    years = np.arange(2020, 2020 + len(sales), dtype=np.int64)
    surv = survival_weibull(np.arange(80.0), life, k)
    target = turnover(years, 500.0, np.array(sales), surv).stock
    derived = sales_for_stock(years, 500.0, target, surv)
    np.testing.assert_allclose(derived[1:], sales[1:], rtol=0, atol=1e-7 * (500 + sum(sales)))
    again = turnover(years, 500.0, derived, surv).stock
    np.testing.assert_allclose(again, target, rtol=1e-9)


# --------------------------------------------------------------------------------------------------
# Survival curves


@FAST
@given(st.floats(min_value=3.0, max_value=60.0), st.floats(min_value=1.0, max_value=6.0))
def test_weibull_mean_lifetime_in_yearly_steps(life: float, k: float) -> None:
    # ∫₀^∞ S = L by the choice of λ.  Summing S at whole ages is the trapezoid rule plus S(0)/2:
    # Σ_a S(a) = L + ½ − S'(0)/12 + …  (Euler–Maclaurin); for k ≥ 1 and L ≥ 3 the error is at
    # most 1/(12 L), reached at k = 1 where S'(0) = −1/L.
    total = survival_weibull(np.arange(4000.0), life, k).sum()
    assert abs(total - (life + 0.5)) <= 1 / (12 * life) + 1e-9


def test_weibull_shape_one_is_geometric() -> None:
    # k = 1: S(a) = e^(−a/L), Σ_a S(a) = 1 / (1 − e^(−1/L)) = L + ½ + 1/(12 L) − …
    total = survival_weibull(np.arange(5000.0), 20.0, 1.0).sum()
    assert total == pytest.approx(1 / (1 - math.exp(-1 / 20)), rel=1e-12)


def test_weibull_values_and_broadcasting() -> None:
    ages = np.arange(30.0)
    s = survival_weibull(ages, np.array([[10.0], [15.0]]), np.array([[2.0, 3.0]]))
    assert s.shape == (2, 2, 30)
    np.testing.assert_allclose(s[..., 0], 1.0)
    lam = 15.0 / math.gamma(1 + 1 / 3.0)
    assert s[1, 1, 7] == pytest.approx(math.exp(-((7 / lam) ** 3)), rel=1e-14)
    assert np.all(np.diff(s, axis=-1) <= 0)


def test_survival_table_interpolates_and_extends() -> None:
    ages = np.arange(8.0)
    # Age 0 not given: S(0) = 1; linear between given points; last value held.
    got = survival_table(ages, [2, 4], [0.8, 0.6])
    np.testing.assert_allclose(got, [1.0, 0.9, 0.8, 0.7, 0.6, 0.6, 0.6, 0.6])
    ends = survival_table(ages, [0, 3, 5], [1.0, 0.5, 0.0])
    np.testing.assert_allclose(ends, [1.0, 5 / 6, 4 / 6, 0.5, 0.25, 0.0, 0.0, 0.0])
    assert survival_table(2.5, [0, 1, 2], [1, 0.5, 0]).shape == ()


# --------------------------------------------------------------------------------------------------
# Input checks


@pytest.mark.parametrize(("life", "k"), [(0.0, 2.0), (-5.0, 2.0), (10.0, 0.0), (np.nan, 1.0)])
def test_weibull_rejects_bad_parameters(life: float, k: float) -> None:
    with pytest.raises(CalculationError):
        survival_weibull(np.arange(5.0), life, k)


def test_weibull_names_the_bad_draws() -> None:
    with pytest.raises(CalculationError, match=r"lifetime: got -1, 0"):
        survival_weibull(np.arange(5.0), np.array([3.0, -1.0, 0.0]), 2.0)


def test_survival_table_lists_bad_ages() -> None:
    with pytest.raises(CalculationError, match=r"ages: got 3, 5;"):
        survival_table(np.arange(6.0), [0, 2, 3, 4, 5], [1.0, 0.7, 0.8, 0.5, 1.2])
    with pytest.raises(CalculationError, match="strictly increasing"):
        survival_table(np.arange(6.0), [0, 3, 2], [1.0, 0.5, 0.4])
    with pytest.raises(CalculationError, match="as many"):
        survival_table(np.arange(6.0), [0, 3], [1.0])


@pytest.mark.parametrize(
    ("years", "base", "sales", "surv", "profile", "match"),
    [
        (np.array([2020, 2022, 2023]), 1.0, SALES, S, None, "consecutive"),
        (np.array([2020.0, 2021.0, 2022.0]), 1.0, SALES, S, None, "integer"),
        (YEARS, -1.0, SALES, S, None, "base stock"),
        (YEARS, 1.0, np.array([1.0, -2.0, 0.0]), S, None, "sales"),
        (YEARS, 1.0, SALES[:2], S, None, "3 years"),
        (YEARS, 1.0, SALES, np.array([1.0, 0.5, 0.7]), None, "never increase"),
        (YEARS, 1.0, SALES, np.array([1.5, 0.5]), None, "within"),
        (YEARS, 1.0, SALES, np.zeros(3), None, "all zero"),
        (YEARS, 1.0, SALES, S, np.array([0.5, 0.3]), "profile sum"),
        (YEARS, 1.0, SALES, S, np.array([1.5, -0.5]), "profile"),
    ],
)
def test_turnover_rejects_bad_input(
    years: np.ndarray,
    base: float,
    sales: np.ndarray,
    surv: np.ndarray,
    profile: np.ndarray | None,
    match: str,
) -> None:
    with pytest.raises(CalculationError, match=match):
        turnover(years, base, sales, surv, profile)


def test_sales_for_stock_rejects_bad_input() -> None:
    with pytest.raises(CalculationError, match="age 0"):
        sales_for_stock(YEARS, 1.0, [1.0, 1.0, 1.0], np.array([0.0, 0.0]), np.array([1.0]))
    with pytest.raises(CalculationError, match="target stock"):
        sales_for_stock(YEARS, 1.0, [1.0, 1.0], S)


def test_vintage_weighted_checks_the_vintage_axis() -> None:
    with pytest.raises(CalculationError, match="vintage axis"):
        vintage_weighted(np.ones((3, 4)), np.ones(5))
