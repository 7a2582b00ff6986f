"""The LMDI-I engine: logarithmic mean, invariants (hypothesis), zero-value limits, a worked example,
input checks, chaining and the Kaya identity."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neutra.analysis import lmdi
from neutra.errors import CalculationError, PlanValidationError

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REL = 1e-9  # "exact": closure to 1e-9 of the size of V


def close(a: float, b: float, scale: float, rel: float = REL) -> bool:
    """|a − b| within ``rel`` of ``scale`` (the size of V: a change can cancel to ~0)."""
    return abs(a - b) <= rel * max(scale, 1e-300)


# --------------------------------------------------------------------------------------------------
# The logarithmic mean


def test_logmean_definition_and_limits() -> None:
    assert float(lmdi.logmean(3.0, 3.0)) == 3.0
    assert math.isclose(float(lmdi.logmean(2.0, 1.0)), 1 / math.log(2), rel_tol=1e-15)
    assert float(lmdi.logmean(5.0, 0.0)) == 0.0  # (a − δ)/(ln a − ln δ) → 0
    assert float(lmdi.logmean(0.0, 5.0)) == 0.0
    assert float(lmdi.logmean(0.0, 0.0)) == 0.0


def test_logmean_is_vectorised_and_broadcasts() -> None:
    out = lmdi.logmean(np.array([[1.0, 2.0, 0.0]]), np.array([[1.0], [4.0]]))
    assert out.shape == (2, 3)
    assert out[0, 0] == 1.0
    assert out[1, 2] == 0.0
    assert math.isclose(out[1, 1], 2 / math.log(2), rel_tol=1e-15)


def test_logmean_keeps_precision_when_values_are_close() -> None:
    # Series: L(b(1+e), b) = b (1 + e/2 − e²/12 + …); the naive quotient loses ~half the digits here.
    e = 1e-9
    assert math.isclose(float(lmdi.logmean(1 + e, 1.0)), 1 + e / 2 - e * e / 12, rel_tol=1e-15)


def test_logmean_extreme_ratio() -> None:
    # L(1e-300, 1) = (1 − 1e-300) / (0 − ln 1e-300) = 1 / (300 ln 10)
    assert math.isclose(float(lmdi.logmean(1e-300, 1.0)), 1 / (300 * math.log(10)), rel_tol=1e-12)


@pytest.mark.parametrize(("a", "b"), [(-1.0, 2.0), (math.nan, 1.0), (1.0, math.inf)])
def test_logmean_rejects_negative_and_non_finite(a: float, b: float) -> None:
    with pytest.raises(CalculationError):
        lmdi.logmean(a, b)


positive = st.floats(min_value=1e-6, max_value=1e6, allow_nan=False, allow_infinity=False)


@FAST
@given(positive, positive, positive)
def test_logmean_properties(a: float, b: float, k: float) -> None:
    la = float(lmdi.logmean(a, b))
    assert la == float(lmdi.logmean(b, a))  # symmetric
    assert math.sqrt(a * b) * (1 - 1e-12) <= la <= (a + b) / 2 * (1 + 1e-12)  # G ≤ L ≤ A
    assert math.isclose(float(lmdi.logmean(k * a, k * b)), k * la, rel_tol=1e-9)  # homogeneous


# --------------------------------------------------------------------------------------------------
# Invariants (hypothesis)

value = st.floats(min_value=1e-3, max_value=1e3, allow_nan=False, allow_infinity=False)
value_or_zero = st.one_of(st.just(0.0), value)


@st.composite
def panels(
    draw: st.DrawFn, cells: st.SearchStrategy[float] = value
) -> tuple[pd.DataFrame, list[str]]:
    """A tidy frame: 2–4 years × 1–5 groups, 1–4 factors, every group in every year."""
    n_years = draw(st.integers(2, 4))
    n_groups = draw(st.integers(1, 5))
    n_factors = draw(st.integers(1, 4))
    factors = [f"f{k}" for k in range(n_factors)]
    rows = []
    for y in range(2000, 2000 + n_years):
        for g in range(n_groups):
            rows.append({"year": y, "group": f"g{g}", **{f: draw(cells) for f in factors}})
    return pd.DataFrame(rows), factors


@FAST
@given(panels(value_or_zero))
def test_additive_effects_sum_to_the_change(panel: tuple[pd.DataFrame, list[str]]) -> None:
    frame, factors = panel
    r = lmdi.decompose(frame, factors, 2000, 2001, by="group")
    total = math.fsum(e.additive for e in r.effects)
    assert close(total, r.delta, r.v0 + r.vt)
    # and group by group (LMDI-I is perfect at the subcategory level)
    for g in r.groups:
        assert close(math.fsum(g.additive), g.vt - g.v0, g.v0 + g.vt)
    # the per-group effects add up to the factor's effect
    gf = r.group_frame().groupby("factor")["additive_effect"].sum()
    for e in r.effects:
        assert close(gf[e.factor], e.additive, r.v0 + r.vt)


@FAST
@given(panels())
def test_multiplicative_factors_multiply_to_the_ratio(
    panel: tuple[pd.DataFrame, list[str]],
) -> None:
    frame, factors = panel
    r = lmdi.decompose(frame, factors, 2000, 2001, by="group")
    assert r.ratio is not None
    product = math.prod(e.multiplicative for e in r.effects if e.multiplicative is not None)
    assert math.isclose(product, r.ratio, rel_tol=REL)


@FAST
@given(panels(value_or_zero))
def test_swapping_the_years_flips_the_effects(panel: tuple[pd.DataFrame, list[str]]) -> None:
    frame, factors = panel
    fwd = lmdi.decompose(frame, factors, 2000, 2001, by="group")
    back = lmdi.decompose(frame, factors, 2001, 2000, by="group")
    for f, b in zip(fwd.effects, back.effects, strict=True):
        assert close(f.additive, -b.additive, fwd.v0 + fwd.vt)
        if f.multiplicative is not None:
            assert b.multiplicative is not None
            assert math.isclose(f.multiplicative * b.multiplicative, 1.0, rel_tol=REL)
        else:
            assert b.multiplicative is None


@FAST
@given(panels(value_or_zero), st.data())
def test_a_factor_that_does_not_change_has_no_effect(
    panel: tuple[pd.DataFrame, list[str]], data: st.DataObject
) -> None:
    frame, factors = panel
    k = data.draw(st.sampled_from(factors))
    frame = frame.copy()
    # the factor keeps its 2000 value in 2001, group by group
    base = frame[frame["year"] == 2000].set_index("group")[k]
    later = frame["year"] == 2001
    frame.loc[later, k] = frame.loc[later, "group"].map(base).to_numpy()
    r = lmdi.decompose(frame, factors, 2000, 2001, by="group")
    assert r.effect(k).additive == 0.0
    assert r.effect(k).multiplicative in (1.0, None)


@FAST
@given(panels(value_or_zero))
def test_chained_effects_add_up_to_the_total_change(panel: tuple[pd.DataFrame, list[str]]) -> None:
    frame, factors = panel
    c = lmdi.decompose_chained(frame, factors, by="group")
    scale = max(s.v0 + s.vt for s in c.steps)
    assert close(math.fsum(e.additive for e in c.cumulative), c.delta, scale)
    for k, e in enumerate(c.cumulative):
        assert close(math.fsum(s.effects[k].additive for s in c.steps), e.additive, scale)
    first = frame[frame["year"] == c.years[0]]
    assert c.v0 == pytest.approx(math.fsum(first[factors].prod(axis=1)), rel=1e-12)
    if c.ratio is not None and all(s.ratio is not None for s in c.steps):
        product = math.prod(e.multiplicative for e in c.cumulative if e.multiplicative is not None)
        assert math.isclose(product, c.ratio, rel_tol=REL)
    # the running sums in the tidy frame end at the cumulative effects
    tidy = c.to_frame()
    last = tidy[tidy["to"] == c.years[-1]].set_index("factor")["cumulative_additive"]
    for e in c.cumulative:
        assert last[e.factor] == pytest.approx(e.additive, rel=1e-12, abs=1e-12)


@FAST
@given(panels())
def test_a_two_year_chain_is_the_direct_decomposition(
    panel: tuple[pd.DataFrame, list[str]],
) -> None:
    frame, factors = panel
    direct = lmdi.decompose(frame, factors, 2000, 2001, by="group")
    chain = lmdi.decompose_chained(frame, factors, [2000, 2001], by="group")
    assert chain.steps == (direct,)


# --------------------------------------------------------------------------------------------------
# A worked example, computed by hand
#
# We looked for a published numerical example with its input data (Ang 2005, Energy Policy
# 33:867–871; Ang 2015, Energy Policy 86:233–238; Ang's "A Simple Guide to LMDI Decomposition
# Analysis" slides) but could read only the formulas and an illustration that gives results without
# the data behind them. So this example is constructed and computed by hand, step by step below;
# the expected numbers are those hand results, rounded to 6 decimals.
#
# Industry energy E = Σᵢ Q · Sᵢ · Iᵢ (activity Q, structure S = output share, intensity I).
#   year 0: Q = 100, S = (0.6, 0.4), I = (2.0, 1.0)  →  E = (120, 40), total 160
#   year T: Q = 120, S = (0.5, 0.5), I = (1.8, 1.1)  →  E = (108, 66), total 174;  ΔE = 14
#   w₁ = L(108, 120) = −12 / ln 0.9   = 113.894659
#   w₂ = L(66, 40)   =  26 / ln 1.65  =  51.919495
#   ΔE_act = (w₁ + w₂) · ln 1.2                      = 165.814154 × 0.182322       =  30.231495
#   ΔE_str = w₁ ln(0.5/0.6) + w₂ ln(0.5/0.4)         = −20.765452 + 11.585500      =  −9.179951
#   ΔE_int = w₁ ln 0.9 + w₂ ln(1.1)                  = −12.000000 + 4.948456       =  −7.051544
#   sum = 14.000000 = ΔE
#   L(174, 160) = 14 / ln 1.0875 = 166.902150
#   D_act = exp(30.231495 / 166.902150) = 1.198575; D_str = 0.946483; D_int = 0.958631;
#   product = 1.087500 = 174 / 160

WORKED = pd.DataFrame(
    {
        "year": [0, 0, 1, 1],
        "sector": ["one", "two", "one", "two"],
        "activity": [100.0, 100.0, 120.0, 120.0],
        "structure": [0.6, 0.4, 0.5, 0.5],
        "intensity": [2.0, 1.0, 1.8, 1.1],
    }
)


def test_worked_example_by_hand() -> None:
    r = lmdi.decompose(WORKED, ["activity", "structure", "intensity"], 0, 1, by="sector", unit="PJ")
    assert (r.v0, r.vt) == (160.0, pytest.approx(174.0, rel=1e-15))
    expected = {
        "activity": (30.231495, 1.198575),
        "structure": (-9.179951, 0.946483),
        "intensity": (-7.051544, 0.958631),
    }
    for name, (add, mult) in expected.items():
        assert r.effect(name).additive == pytest.approx(add, abs=5e-7)
        assert r.effect(name).multiplicative == pytest.approx(mult, abs=5e-7)
    groups = {g.group: g.additive for g in r.groups}
    assert groups[("one",)][1] == pytest.approx(-20.765452, abs=5e-7)
    assert groups[("two",)][2] == pytest.approx(4.948456, abs=5e-7)
    tidy = r.to_frame()
    assert list(tidy.columns) == ["factor", "additive_effect", "multiplicative_factor"]
    assert tidy.attrs["units"] == "PJ"


# --------------------------------------------------------------------------------------------------
# Zero values: the analytical limits, checked against hand-computed values


def frame_of(rows: list[tuple[int, str, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["year", "g", "x", "y"])


# group "a" exists throughout: x 1 → 2, y 5 → 5 (V 5 → 10; its x effect is L(10, 5) ln 2 = 5).
A = [(0, "a", 1.0, 5.0), (1, "a", 2.0, 5.0)]


def test_a_group_that_appears_gives_its_value_to_the_factor_from_zero() -> None:
    # "new": x 0 → 3, y 2 → 4, V 0 → 12: x (from zero) takes all 12, y takes 0.
    r = lmdi.decompose(
        frame_of([*A, (0, "new", 0.0, 2.0), (1, "new", 3.0, 4.0)]), ["x", "y"], 0, 1, "g"
    )
    assert r.effect("x").additive == pytest.approx(5 + 12, rel=1e-15)
    assert r.effect("y").additive == 0.0
    # V 5 → 22: D_x = exp(17 / L(22, 5)) = exp(ln 4.4) = 4.4; D_y = 1
    assert r.effect("x").multiplicative == pytest.approx(4.4, rel=1e-14)
    assert r.effect("y").multiplicative == 1.0


def test_a_group_that_disappears_takes_its_value_from_the_factor_to_zero() -> None:
    r = lmdi.decompose(
        frame_of([*A, (0, "old", 3.0, 4.0), (1, "old", 0.0, 2.0)]), ["x", "y"], 0, 1, "g"
    )
    # "old": V 12 → 0; x goes to zero and takes −12. Total ΔV = 10 − 17 = −7.
    assert r.effect("x").additive == pytest.approx(5 - 12, rel=1e-15)
    assert r.effect("y").additive == 0.0
    assert r.delta == -7.0


def test_several_factors_from_zero_share_equally() -> None:
    # "new": x 0 → 3 and y 0 → 4 (V 0 → 12): the equal-rate limit gives each 6.
    r = lmdi.decompose(
        frame_of([*A, (0, "new", 0.0, 0.0), (1, "new", 3.0, 4.0)]), ["x", "y"], 0, 1, "g"
    )
    assert r.effect("x").additive == pytest.approx(5 + 6, rel=1e-15)
    assert r.effect("y").additive == pytest.approx(6, rel=1e-15)


def test_a_group_zero_in_both_years_contributes_nothing() -> None:
    with_zero = frame_of([*A, (0, "z", 0.0, 3.0), (1, "z", 2.0, 0.0)])
    r = lmdi.decompose(with_zero, ["x", "y"], 0, 1, "g")
    without = lmdi.decompose(frame_of(A), ["x", "y"], 0, 1, "g")
    assert r.effects == without.effects
    assert r.effect("x").additive == pytest.approx(5.0, rel=1e-15)


def test_an_aggregate_of_zero_has_additive_but_no_multiplicative_decomposition() -> None:
    r = lmdi.decompose(
        frame_of([(0, "new", 0.0, 4.0), (1, "new", 3.0, 4.0)]), ["x", "y"], 0, 1, "g"
    )
    assert (r.v0, r.vt, r.ratio) == (0.0, 12.0, None)
    assert [e.additive for e in r.effects] == [12.0, 0.0]
    assert [e.multiplicative for e in r.effects] == [None, None]
    assert r.to_frame()["multiplicative_factor"].isna().all()


def test_small_substitutes_converge_to_the_limit_only_slowly() -> None:
    # The limit is what substituting δ for the zero tends to, but the error falls like 1/ln δ: with
    # δ = 1e-10 the y factor of "new" (2 → 4) still gets L(12, 2δ) ln 2 ≈ 12 ln 2 / ln(6/δ) ≈ 0.34.
    def y_effect_with(delta: float) -> float:
        w = (12 - 2 * delta) / (math.log(12) - math.log(2 * delta))
        return w * math.log(4 / 2)

    errors = [y_effect_with(d) for d in (1e-10, 1e-100, 1e-300)]
    assert errors[0] > 0.3
    assert errors[0] > errors[1] > errors[2] > 0.0
    r = lmdi.decompose(
        frame_of([*A, (0, "new", 0.0, 2.0), (1, "new", 3.0, 4.0)]), ["x", "y"], 0, 1, "g"
    )
    assert r.effect("y").additive == 0.0  # the limit itself


# --------------------------------------------------------------------------------------------------
# Input checks: every problem, located


def problems_of(
    frame: pd.DataFrame, factors: list[str], y0: int, yt: int, by: str | None = "g"
) -> list[str]:
    with pytest.raises(PlanValidationError) as info:
        lmdi.decompose(frame, factors, y0, yt, by, source="t.csv")
    assert all(p.file == "t.csv" for p in info.value.problems)
    return [str(p) for p in info.value.problems]


def test_nan_and_negative_values_are_located() -> None:
    f = frame_of(
        [(0, "a", 1.0, math.nan), (0, "b", -2.0, 1.0), (1, "a", 1.0, 1.0), (1, "b", 1.0, 1.0)]
    )
    out = problems_of(f, ["x", "y"], 0, 1)
    assert len(out) == 2
    assert "row 2, field 'y'" in out[0]
    assert "row 3, field 'x': got '-2.0'" in out[1]
    assert "≥ 0" in out[1]


def test_a_group_missing_in_a_year_is_named_with_its_year() -> None:
    f = frame_of([(0, "a", 1.0, 1.0), (0, "b", 1.0, 1.0), (1, "a", 1.0, 1.0)])
    (msg,) = problems_of(f, ["x", "y"], 0, 1)
    assert "g=b" in msg
    assert "in 1 as well" in msg
    assert "row 3" in msg  # b's row in year 0


def test_a_group_written_with_zero_factors_is_aligned() -> None:
    f = frame_of([(0, "a", 1.0, 1.0), (0, "b", 1.0, 1.0), (1, "a", 1.0, 1.0), (1, "b", 0.0, 1.0)])
    assert lmdi.decompose(f, ["x", "y"], 0, 1, "g").effect("x").additive == -1.0


def test_every_problem_at_once() -> None:
    f = frame_of([(0, "a", 1.0, 1.0), (0, "a", 1.0, 2.0), (1, "b", -1.0, 1.0)])
    out = problems_of(f, ["x", "y"], 0, 1)
    text = "\n".join(out)
    assert "rows 2, 3" in text  # duplicate (year, group)
    assert "got '-1.0'" in text  # negative
    assert "g=a" in text  # each missing in one year
    assert "g=b" in text
    assert len(out) == 4


def test_unknown_columns_and_years() -> None:
    f = frame_of(A)
    out = problems_of(f, ["x", "yy"], 0, 7, by="grp")
    text = "\n".join(out)
    assert "field 'yy'" in text
    assert "did you mean 'y'?" in text
    assert "field 'grp'" in text
    out = problems_of(f, ["x", "y"], 0, 7)
    assert out == [
        "t.csv, field 'year': got '7'; expected a year that is in the table (it has 0, 1)"
    ]
    assert "two or more different years" in problems_of(f, ["x", "y"], 1, 1)[0]


def test_rows_are_numbered_from_the_index_named_row() -> None:
    f = frame_of([(0, "a", 1.0, 1.0), (1, "a", math.nan, 1.0)])
    f.index = pd.Index([10, 12], name="row")
    assert "row 12" in problems_of(f, ["x", "y"], 0, 1)[0]


def test_no_grouping_needs_one_row_per_year() -> None:
    f = frame_of(A)
    r = lmdi.decompose(f[["year", "x", "y"]], ["x", "y"], 0, 1)
    assert r.groups[0].group == ()
    assert r.by == ()
    dup = pd.concat([f, f])
    out = problems_of(dup, ["x", "y"], 0, 1, by=None)
    assert "--by" in out[0]


def test_multi_level_grouping() -> None:
    f = pd.DataFrame(
        {
            "year": [0, 0, 1, 1],
            "region": ["n", "n", "n", "n"],
            "sector": ["s1", "s2", "s1", "s2"],
            "x": [1.0, 2.0, 2.0, 2.0],
        }
    )
    r = lmdi.decompose(f, ["x"], 0, 1, by=["region", "sector"])
    assert [g.group for g in r.groups] == [("n", "s1"), ("n", "s2")]
    assert list(r.group_frame().columns) == ["region", "sector", "factor", "additive_effect"]
    assert r.effect("x").additive == pytest.approx(1.0)


def test_unit_comes_from_attrs() -> None:
    f = frame_of(A)
    f.attrs["units"] = "t CO2"
    assert lmdi.decompose(f, ["x", "y"], 0, 1, "g").unit == "t CO2"
    assert lmdi.decompose(f, ["x", "y"], 0, 1, "g", unit="kt").unit == "kt"


# --------------------------------------------------------------------------------------------------
# Kaya identity

kaya_value = st.floats(min_value=1e-2, max_value=1e4, allow_nan=False, allow_infinity=False)


@FAST
@given(st.lists(st.tuples(kaya_value, kaya_value, kaya_value, kaya_value), min_size=2, max_size=2))
def test_kaya_factors_multiply_to_co2_and_decompose_its_change(
    rows: list[tuple[float, float, float, float]],
) -> None:
    frame = pd.DataFrame(rows, columns=list(lmdi.KAYA_INPUTS)).assign(year=[2010, 2020])
    frame.attrs["units"] = "Mt CO2"
    k = lmdi.kaya(frame)
    product = k[list(lmdi.KAYA_FACTORS)].prod(axis=1)
    assert np.allclose(product, frame["co2"], rtol=1e-12, atol=0)
    r = lmdi.decompose(k, lmdi.KAYA_FACTORS, 2010, 2020)
    assert r.unit == "Mt CO2"
    delta = rows[1][3] - rows[0][3]
    assert close(math.fsum(e.additive for e in r.effects), delta, rows[0][3] + rows[1][3], 1e-9)


def test_kaya_names_and_checks() -> None:
    frame = pd.DataFrame(
        {"year": [1, 2], "population": [10.0, 0.0], "gdp": [100.0, 120.0], "energy": [5.0, 6.0]}
    )
    with pytest.raises(PlanValidationError) as info:
        lmdi.kaya(frame)
    assert [p.field for p in info.value.problems] == ["co2"]
    frame["co2"] = [12.0, -1.0]
    with pytest.raises(PlanValidationError) as info:
        lmdi.kaya(frame)
    assert [(p.field, p.row) for p in info.value.problems] == [("population", 3), ("co2", 3)]
    good = lmdi.kaya(frame.assign(population=[10.0, 11.0], co2=[12.0, 13.0]))
    assert good.loc[0, "affluence"] == 10.0
    assert good.loc[0, "energy_intensity"] == 0.05
    assert good.loc[0, "carbon_intensity"] == 12.0 / 5.0
