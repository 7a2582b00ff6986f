"""Peak detection: the documented rule, its edge cases, invariants and published cases."""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from neutra.analysis.peak import PeakResult, PeakStatus, PeakTiming, Plateau, detect_peak
from neutra.errors import NeutraError, PlanError

PEAKED = PeakStatus.PEAKED
PLATEAU = PeakStatus.PLATEAU
NOT_PEAKED = PeakStatus.NOT_PEAKED
INSUFFICIENT = PeakStatus.INSUFFICIENT_DATA


def series(start: int, *values: float) -> pd.Series:
    """Consecutive years from ``start``."""
    return pd.Series(list(values), index=range(start, start + len(values)), dtype=float)


# --- the shapes the rule is about -----------------------------------------------------------


def test_explanation_of_a_peak() -> None:
    r = detect_peak(series(2021, 11.0, 12.0, 12.3, 11.9, 12.3 * (1 - 0.041)), plateau_years=2)
    assert r.status is PEAKED
    assert (r.peak_year, r.peak_value, r.last_year) == (2023, 12.3, 2025)
    assert r.below_peak_pct == pytest.approx(4.1)
    assert r.years_since_peak == 2
    assert r.explanation_en == "peaked in 2023 at 12.3; 2025 is 4.1 % below the peak"
    assert r.explanation_zh == "已于2023年达峰（峰值12.3）；2025年比峰值低4.1%"
    assert r.explain("zh") == r.explanation_zh
    assert r.explain() == r.explanation_en


def test_monotonic_rise_is_not_peaked() -> None:
    r = detect_peak(series(2015, 1, 2, 3, 4, 5, 6))
    assert r.status is NOT_PEAKED
    assert r.last_is_peak
    assert (r.peak_year, r.peak_value, r.below_peak_pct, r.years_since_peak) == (2020, 6, 0, 0)
    assert "still rising" in r.explanation_en
    assert r.explanation_zh.startswith("尚未达峰")


def test_slow_rise_within_tolerance_is_still_not_peaked() -> None:
    # A new high in the last year is never a plateau, however small the rise.
    r = detect_peak(series(2020, 100, 100.1, 100.2, 100.3))
    assert r.status is NOT_PEAKED
    assert r.plateau == Plateau(2020, 2023, 4, True)


def test_monotonic_fall_peaked_in_the_first_year() -> None:
    # Decided: a series that only falls has PEAKED in its first year; the real peak may be earlier.
    r = detect_peak(series(2010, 100, 90, 80, 70, 60))
    assert r.status is PEAKED
    assert r.peak_year == 2010
    assert r.peak_at_start
    assert r.below_peak_pct == pytest.approx(40)
    assert "the peak may be earlier" in r.explanation_en
    assert "实际峰值可能更早" in r.explanation_zh


def test_gentle_fall_within_tolerance_is_a_plateau() -> None:
    r = detect_peak(series(2010, 100, 99.5, 99, 98.5))
    assert r.status is PLATEAU
    assert r.plateau == Plateau(2010, 2013, 4, True)
    assert r.explanation_en == (
        "plateau: the last 3 values (2011–2013) are within 2 % of the maximum, 100 in 2010"
    )
    assert r.explanation_zh.startswith("处于平台期")


def test_single_spike_is_the_peak() -> None:
    r = detect_peak(series(2010, 10, 10, 50, 10, 10, 10))
    assert r.status is PEAKED
    assert (r.peak_year, r.peak_value) == (2012, 50)
    assert r.plateau == Plateau(2012, 2012, 1, False)
    assert r.below_peak_pct == pytest.approx(80)


def test_rise_plateau_decline() -> None:
    r = detect_peak(series(2015, 80, 90, 99, 100, 99.5, 99, 95, 92, 90))
    assert r.status is PEAKED
    assert r.peak_year == 2018
    assert r.plateau == Plateau(2017, 2020, 4, True)  # 99 … 99: within 2 % of 100


def test_rebound_below_the_maximum_still_peaked() -> None:
    r = detect_peak(series(2010, 100, 90, 99.5, 90, 90, 90))
    assert r.status is PEAKED
    assert r.peak_year == 2010
    assert r.plateau == Plateau(2012, 2012, 1, False)  # the latest run within tolerance


def test_fall_not_yet_confirmed() -> None:
    r = detect_peak(series(2018, 90, 100, 95, 99, 95))
    assert r.status is NOT_PEAKED
    assert not r.last_is_peak
    assert r.explanation_en.startswith("peak not confirmed: the maximum is 100 in 2019")
    assert r.explanation_zh.startswith("达峰尚未确认")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ((90, 100, 98, 98, 98), PLATEAU),  # exactly 2 % below counts as within
        ((90, 100, 97.99, 98, 98), NOT_PEAKED),  # one just outside: straddles the band
        ((90, 100, 97.99, 97.99, 97.99), PEAKED),  # all just outside
        ((12.0, 12.3, 12.3 * 0.98, 12.3 * 0.98, 12.3 * 0.98), PLATEAU),  # not exact in binary
        ((12.0, 12.3, 12.3 * 0.979, 12.3 * 0.979, 12.3 * 0.979), PEAKED),
    ],
)
def test_plateau_at_the_tolerance_boundary(values: tuple[float, ...], expected: PeakStatus) -> None:
    assert detect_peak(series(2020, *values)).status is expected


def test_ties_take_the_earliest_year() -> None:
    r = detect_peak(series(2010, 80, 100, 90, 100, 70, 70, 70))
    assert r.status is PEAKED
    assert r.peak_year == 2011
    assert r.years_since_peak == 5


def test_flat_series_is_a_plateau_from_its_first_year() -> None:
    r = detect_peak(series(2010, 100, 100, 100, 100))
    assert r.status is PLATEAU
    assert r.peak_year == 2010
    assert not r.last_is_peak  # equal to the maximum is not a new high


def test_last_value_equal_to_an_earlier_maximum_is_not_a_new_high() -> None:
    r = detect_peak(series(2010, 100, 90, 100), plateau_years=1)
    assert r.status is PLATEAU
    assert r.peak_year == 2010
    assert (
        r.explanation_en
        == "plateau: the last value (2012) is within 2 % of the maximum, 100 in 2010"
    )
    assert r.explanation_zh == "处于平台期：最近1个数值（2012年）在最大值（2010年，100）的2%以内"


@pytest.mark.parametrize(
    ("tolerance", "values", "expected"),
    [
        (0.0, (100, 100, 100, 100), PLATEAU),
        (0.0, (100, 99.99, 99.99, 99.99), PEAKED),
        (0.02, (100, 99.99, 99.99, 99.99), PLATEAU),
        (0.0, (99.99, 100, 100, 99.99), NOT_PEAKED),
    ],
)
def test_tolerance_zero(tolerance: float, values: tuple[float, ...], expected: PeakStatus) -> None:
    assert detect_peak(series(2020, *values), tolerance=tolerance).status is expected


@pytest.mark.parametrize(
    ("values", "plateau_years", "expected"),
    [
        ((1, 2), 3, INSUFFICIENT),
        ((1, 2), 1, NOT_PEAKED),
        ((2, 1), 1, PEAKED),
        ((2, 1.99), 1, PLATEAU),
    ],
)
def test_two_point_series(
    values: tuple[float, ...], plateau_years: int, expected: PeakStatus
) -> None:
    r = detect_peak(series(2020, *values), plateau_years=plateau_years)
    assert r.status is expected
    assert r.points == 2


def test_fewest_points_is_plateau_years_plus_one() -> None:
    r = detect_peak(series(2020, 100, 50, 40))
    assert r.status is INSUFFICIENT
    # The facts are still reported; only the verdict is withheld.
    assert (r.peak_year, r.last_year) == (2020, 2022)
    assert r.below_peak_pct == pytest.approx(60)
    assert r.explanation_en == "insufficient data: 3 values; at least 4 needed"
    assert r.explanation_zh == "数据不足：仅3个数值，至少需要4个"
    assert detect_peak(series(2020, 100, 50, 40, 30)).status is PEAKED


def test_single_point() -> None:
    r = detect_peak(series(2020, 5.0))
    assert r.status is INSUFFICIENT
    assert r.plateau == Plateau(2020, 2020, 1, False)


def test_gaps_are_reported_and_years_count_in_calendar_years() -> None:
    r = detect_peak([2010, 2012, 2015, 2016, 2020], [50, 100, 90, 80, 70])
    assert r.gaps == ((2011, 2011), (2013, 2014), (2017, 2019))
    assert r.status is PEAKED  # judged on the last three observations: 2015, 2016, 2020
    assert r.years_since_peak == 8
    assert r.explanation_en.endswith("; missing years: 2011, 2013–2014, 2017–2019")
    assert r.explanation_zh.endswith("；缺少年份：2011, 2013–2014, 2017–2019")
    assert detect_peak(series(2010, 1, 2, 3, 4)).gaps == ()


def test_projected_peak_after_as_of() -> None:
    s = series(2018, 90, 93, 95, 97, 98, 99, 99.5, 100, 97, 95, 93, 91, 89)  # 2018 … 2030
    r = detect_peak(s, as_of=2023)
    assert r.status is PEAKED
    assert r.peak_year == 2025
    assert r.timing is PeakTiming.PROJECTED
    assert r.as_of == 2023
    assert r.explanation_en.startswith("is projected to peak in 2025 at 100")
    assert r.explanation_en.endswith("; values after 2023 are projections")
    assert r.explanation_zh.startswith("预计于2025年达峰")
    assert r.explanation_zh.endswith("；2023年以后为预测值")

    later = detect_peak(s, as_of=2026)
    assert later.timing is PeakTiming.HISTORICAL
    assert later.explanation_en.startswith("peaked in 2025")
    unsplit = detect_peak(s)
    assert unsplit.timing is PeakTiming.UNSPLIT
    assert "projection" not in unsplit.explanation_en
    # as_of only labels the peak; the status is the same.
    assert r.status == later.status == unsplit.status
    # Outside the series: all projection, or all history (no projection note).
    assert detect_peak(s, as_of=2000).timing is PeakTiming.PROJECTED
    all_history = detect_peak(s, as_of=2040)
    assert all_history.timing is PeakTiming.HISTORICAL
    assert "projection" not in all_history.explanation_en


def test_two_arrays_equal_a_series() -> None:
    s = series(2010, 3, 5, 4, 2, 1)
    from_arrays = detect_peak(np.arange(2010, 2015), np.array([3, 5, 4, 2, 1.0]))
    assert from_arrays == detect_peak(s)
    assert detect_peak(list(s.index), list(s)) == detect_peak(s)


def test_unit_from_attrs() -> None:
    s = series(2020, 10, 12.3, 11, 10, 9)
    s.attrs["units"] = "Mt CO2e"
    r = detect_peak(s)
    assert r.unit == "Mt CO2e"
    assert r.explanation_en.startswith("peaked in 2021 at 12.3 Mt CO2e;")


def test_large_values_are_printed_with_thousands_separators() -> None:
    r = detect_peak(series(2020, 1_000_000, 1_234_567.8, 900_000, 800_000, 700_000))
    assert "at 1,234,568;" in r.explanation_en


def test_all_zero_series_is_a_plateau() -> None:
    r = detect_peak(series(2020, 0, 0, 0, 0))
    assert r.status is PLATEAU
    assert r.below_peak_pct == 0


def test_fall_to_zero() -> None:
    r = detect_peak(series(2050, 10, 8, 0, 0, 0))
    assert r.status is PEAKED
    assert r.below_peak_pct == 100


def test_result_is_frozen() -> None:
    r = detect_peak(series(2020, 1, 2, 3, 4))
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.status = PEAKED  # type: ignore[misc]
    assert r.tolerance == 0.02
    assert r.plateau_years == 3
    assert isinstance(r.status, PeakStatus)
    assert r.status == "not_peaked"


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "kwargs", "fragments"),
    [
        ((series(2020, 1, math.nan, 3),), {}, ["year 2021", "nan", "NaN", "≥ 0"]),
        (([2020, 2021], [1.0, None]), {}, ["year 2021", "None", "missing"]),
        ((series(2020, 1, -2, 3),), {}, ["year 2021", "-2.0", "negative", "≥ 0"]),
        ((series(2020, 1, math.inf),), {}, ["year 2021", "inf", "finite"]),
        (([2020, 2022, 2021], [1, 2, 3]), {}, ["year 2021", "after 2022", "strictly increasing"]),
        (([2020, 2021, 2021], [1, 2, 3]), {}, ["year 2021", "repeats 2021", "strictly increasing"]),
        ((pd.Series([], dtype=float),), {}, ["empty"]),
        (([], []), {}, ["empty"]),
        (([2020, 2021], [1.0]), {}, ["2 years and 1 values", "one value per year"]),
        ((["2020", "2021"], [1, 2]), {}, ["'2020'", "not an integer"]),
        (([2020.0, 2021.0], [1, 2]), {}, ["2020.0", "not an integer"]),
        (([2020, 2021], [1, "2"]), {}, ["year 2021", "'2'", "not a number"]),
        (([2020, 2021], [1, True]), {}, ["year 2021", "True", "not a number"]),
        (([2020, 2021], "12"), {}, ["values", "str"]),
        (([2020, 2021],), {}, ["list", "pandas Series"]),
        (({2020: 1.0},), {}, ["dict", "pandas Series"]),
        ((series(2020, 1, 2),), {"tolerance": -0.1}, ["tolerance", "-0.1", "0 ≤ tolerance < 1"]),
        ((series(2020, 1, 2),), {"tolerance": 1.0}, ["tolerance", "1.0"]),
        ((series(2020, 1, 2),), {"tolerance": math.nan}, ["tolerance", "nan"]),
        ((series(2020, 1, 2),), {"plateau_years": 0}, ["plateau_years", "0", "integer ≥ 1"]),
        ((series(2020, 1, 2),), {"plateau_years": 2.5}, ["plateau_years", "2.5"]),
        ((series(2020, 1, 2),), {"plateau_years": True}, ["plateau_years", "True"]),
        ((series(2020, 1, 2),), {"as_of": "2023"}, ["as_of", "'2023'", "integer"]),
    ],
)
def test_bad_input_names_the_year_value_and_expectation(
    args: tuple[object, ...], kwargs: dict[str, object], fragments: list[str]
) -> None:
    with pytest.raises(PlanError) as info:
        detect_peak(*args, **kwargs)  # type: ignore[arg-type]
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, NeutraError)
    for fragment in fragments:
        assert fragment in str(info.value)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(PlanError) as info:
        detect_peak(series(2020, math.nan, 1, -1, math.nan), tolerance=2)
    message = str(info.value)
    assert message.startswith("4 problems in the series / 序列中有 4 处问题:")
    for year in ("year 2020", "year 2022", "year 2023", "tolerance"):
        assert year in message


def test_numpy_scalars_are_accepted() -> None:
    r = detect_peak(np.array([2020, 2021, 2022, 2023]), np.array([4, 3, 2, 1], dtype=np.int64))
    assert r.status is PEAKED
    assert isinstance(r.peak_year, int)
    assert isinstance(r.peak_value, float)
    as_of = np.int64(2021)
    assert detect_peak(series(2020, 1, 2, 3, 4), as_of=as_of).as_of == 2021  # type: ignore[arg-type]


# --- published cases (SOURCES.md, "Cases" and "Targets"; figures as published, [R]) ------------


def test_shenzhen_peak_2025_and_2030_fifteen_percent_below() -> None:
    # SOURCES.md Cases, Shenzhen: "peak 2025; 2030 emissions 15 % below the peak", "first fall
    # in emissions reported for 2023" (so 2023 is the last year of history). As an index, peak = 100.
    plan = pd.Series({2025: 100.0, 2030: 100.0 * (1 - 0.15)})
    r = detect_peak(plan, plateau_years=1, as_of=2023)
    assert r.status is PEAKED
    assert r.peak_year == 2025
    assert r.timing is PeakTiming.PROJECTED
    assert r.below_peak_pct == pytest.approx(15.0)
    assert r.years_since_peak == 5
    assert r.gaps == ((2026, 2029),)
    assert r.explanation_zh.startswith("预计于2025年达峰")
    # Two published points are too few to confirm a peak on three years.
    assert detect_peak(plan, as_of=2023).status is INSUFFICIENT


def test_uk_emissions_48_percent_below_1990_by_2022() -> None:
    # SOURCES.md Cases, UK: "emissions ≈ −48 % vs 1990 by 2022". As an index, 1990 = 100.
    uk = pd.Series({1990: 100.0, 2022: 100.0 * (1 - 0.48)})
    r = detect_peak(uk, plateau_years=1)
    assert r.status is PEAKED
    assert r.peak_year == 1990
    assert r.peak_at_start  # 1990 is the base year, not a peak found in the data
    assert r.below_peak_pct == pytest.approx(48.0)
    assert r.gaps == ((1991, 2021),)


def test_uk_carbon_budgets_five_yearly() -> None:
    # SOURCES.md Targets, UK carbon budgets (MtCO2e, five-year sums): CB1 2008–12 3 018; CB2
    # 2013–17 2 782; CB3 2018–22 2 544; CB4 2023–27 1 950; CB5 2028–32 1 725; CB6 2033–37 965.
    # Caps, not emissions: used as a published, falling, five-yearly series indexed by each
    # budget's first year, to show the rule judging the last three points of a gapped series.
    budgets = pd.Series({2008: 3018, 2013: 2782, 2018: 2544, 2023: 1950, 2028: 1725, 2033: 965})
    budgets.attrs["units"] = "MtCO2e"
    r = detect_peak(budgets)
    assert r.status is PEAKED
    assert (r.peak_year, r.peak_value, r.last_value) == (2008, 3018, 965)
    assert r.below_peak_pct == pytest.approx((3018 - 965) / 3018 * 100)
    assert r.plateau == Plateau(2008, 2008, 1, False)
    assert len(r.gaps) == 5
    assert r.explanation_en.startswith("peaked in 2008 at 3,018 MtCO2e; 2033 is 68.0 % below")


# --- properties ---------------------------------------------------------------------------------

# Integer values and tolerances in hundredths keep every comparison either exactly on the
# boundary or at least 1e-6 of the maximum away from it, far outside the 1e-9 rounding slack,
# so an exact restatement of the rule in fractions must agree with the float implementation.
TOLERANCES = st.sampled_from([0.0, 0.01, 0.02, 0.05, 0.1])
VALUES = st.lists(st.integers(0, 10_000), min_size=1, max_size=15)
K = st.integers(1, 4)


def exact_status(values: list[int], tolerance: float, k: int) -> PeakStatus:
    """The documented rule, restated in exact arithmetic."""
    tau = Fraction(round(tolerance * 100), 100)
    m = max(values)
    p = values.index(m)

    def within(v: int) -> bool:
        return m - v <= tau * m

    tail = values[-k:]
    if len(values) < k + 1:
        return INSUFFICIENT
    if p == len(values) - 1:
        return NOT_PEAKED
    if all(within(v) for v in tail):
        return PLATEAU
    if not any(within(v) for v in tail):
        return PEAKED
    return NOT_PEAKED


def result_for(values: list[int], tolerance: float, k: int, start: int = 2000) -> PeakResult:
    return detect_peak(series(start, *values), tolerance=tolerance, plateau_years=k)


@given(VALUES, TOLERANCES, K)
def test_status_follows_the_documented_rule(values: list[int], tolerance: float, k: int) -> None:
    r = result_for(values, tolerance, k)
    assert r.status is exact_status(values, tolerance, k)
    assert r.peak_value == max(values)
    assert r.peak_year == 2000 + values.index(max(values))
    assert 0 <= r.below_peak_pct <= 100
    assert r.plateau.first_year <= r.plateau.last_year
    assert r.plateau.sustained == (r.plateau.points >= k)
    if r.status is PEAKED:
        assert r.below_peak_pct > tolerance * 100
        assert r.years_since_peak >= k
    if r.status is PLATEAU:
        assert r.below_peak_pct <= tolerance * 100 + 1e-9
        assert r.plateau.last_year == r.last_year
        assert r.plateau.sustained


@given(VALUES, TOLERANCES, K, st.floats(1e-3, 1e3))
def test_scaling_keeps_status_and_peak_year(
    values: list[int], tolerance: float, k: int, factor: float
) -> None:
    r = result_for(values, tolerance, k)
    scaled = detect_peak(
        series(2000, *(v * factor for v in values)), tolerance=tolerance, plateau_years=k
    )
    assert scaled.status is r.status
    assert scaled.peak_year == r.peak_year
    assert scaled.plateau == r.plateau
    assert scaled.below_peak_pct == pytest.approx(r.below_peak_pct, abs=1e-9)


@given(VALUES, TOLERANCES, K, st.floats(1e-6, 1e6))
def test_a_new_high_at_the_end_is_not_peaked(
    values: list[int], tolerance: float, k: int, rise: float
) -> None:
    extended = [*map(float, values), max(values) + rise]
    r = detect_peak(series(2000, *extended), tolerance=tolerance, plateau_years=k)
    if len(extended) >= k + 1:
        assert r.status is NOT_PEAKED
    else:
        assert r.status is INSUFFICIENT
    assert r.last_is_peak
    assert r.peak_year == r.last_year


@given(VALUES, TOLERANCES, K, st.integers(1900, 2100))
def test_as_of_only_labels_the_peak(
    values: list[int], tolerance: float, k: int, as_of: int
) -> None:
    r = detect_peak(series(2000, *values), tolerance=tolerance, plateau_years=k, as_of=as_of)
    assert r.status is result_for(values, tolerance, k).status
    expected = PeakTiming.HISTORICAL if r.peak_year <= as_of else PeakTiming.PROJECTED
    assert r.timing is expected


@given(st.lists(st.integers(1, 4), min_size=1, max_size=12), TOLERANCES)
def test_gaps_cover_exactly_the_missing_years(steps: list[int], tolerance: float) -> None:
    years = [2000]
    for step in steps:
        years.append(years[-1] + step)
    r = detect_peak(years, [1.0] * len(years), tolerance=tolerance)
    missing = {y for a, b in r.gaps for y in range(a, b + 1)}
    assert missing == set(range(years[0], years[-1] + 1)) - set(years)
    assert r.points == len(years)
