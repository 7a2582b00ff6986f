"""The LEAP-style expression language: parsing, LEAP's documented cases, errors, broadcasting."""

from __future__ import annotations

import pickle

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from neutra.errors import ExpressionError, PlanError
from neutra.simulate.expressions import Expr, Ref, describe, evaluate, parse

FloatArray = npt.NDArray[np.float64]


class Ctx:
    """A small evaluation context that records which of its methods were called."""

    def __init__(
        self,
        base_year: int = 2000,
        end_year: int = 2030,
        base: FloatArray | float = 10.0,
        refs: dict[str, FloatArray | list[float]] | None = None,
        inherited: FloatArray | None = None,
        siblings: FloatArray | None = None,
    ) -> None:
        self.years = np.arange(base_year, end_year + 1, dtype=np.int64)
        self.base_year = base_year
        self._base = base
        self._refs = {k: np.asarray(v, dtype=np.float64) for k, v in (refs or {}).items()}
        self._inherited = inherited
        self._siblings = siblings
        self.calls: list[str] = []

    def ref(self, ref: Ref) -> FloatArray:
        self.calls.append(str(ref))
        return self._refs[str(ref)]

    def base_value(self) -> FloatArray | float:
        self.calls.append("base")
        return self._base

    def inherited(self) -> FloatArray:
        self.calls.append("inherited")
        assert self._inherited is not None
        return self._inherited

    def siblings_sum(self) -> FloatArray:
        self.calls.append("siblings")
        assert self._siblings is not None
        return self._siblings

    def at(self, values: FloatArray, year: int) -> FloatArray:
        return values[..., year - self.base_year]


def run(text: str, ctx: Ctx | None = None) -> FloatArray:
    return evaluate(parse(text), ctx or Ctx())


# --- LEAP's documented cases ------------------------------------------------------------------

LEAP_INTERP = "Interp(2000, 10, 2010, 16, 2020, 30, 2%)"


def test_interp_leap_documented_example() -> None:
    # LEAP help, Interp function: Interp(2000,10,2010,16,2020,30,2%) gives 13.0 in 2005 and
    # 30.6 in 2021 (https://leap.sei.org/help/Expressions/Interp.htm).
    ctx = Ctx(base_year=2000, base=10.0)
    v = run(LEAP_INTERP, ctx)
    assert ctx.at(v, 2000) == pytest.approx(10.0)
    assert ctx.at(v, 2005) == pytest.approx(13.0)
    assert ctx.at(v, 2020) == pytest.approx(30.0)
    assert ctx.at(v, 2021) == pytest.approx(30.6)
    assert ctx.at(v, 2025) == pytest.approx(30 * 1.02**5)
    assert "base" not in ctx.calls  # the first year is the base year: no implicit point


def test_interp_base_year_value_is_the_implicit_first_point() -> None:
    ctx = Ctx(base_year=1995, base=5.0)
    v = run(LEAP_INTERP, ctx)
    assert ctx.at(v, 1995) == pytest.approx(5.0)
    assert ctx.at(v, 1997) == pytest.approx(7.0)
    assert ctx.at(v, 2005) == pytest.approx(13.0)
    # The same help page: base year 1998 with base-year value 6.0 gives 8.0 in 1999.
    ctx = Ctx(base_year=1998, base=6.0)
    assert ctx.at(run(LEAP_INTERP, ctx), 1999) == pytest.approx(8.0)


def test_interp_constant_after_last_point_and_one_point() -> None:
    ctx = Ctx(base=10.0)
    v = run("Interp(2010, 20)", ctx)
    assert ctx.at(v, 2005) == pytest.approx(15.0)
    assert ctx.at(v, 2010) == ctx.at(v, 2030) == pytest.approx(20.0)


def test_interp_growth_from_a_point_before_the_model_years() -> None:
    ctx = Ctx(base_year=2000)
    v = run("Interp(1990, 1, 1995, 2, 10%)", ctx)
    assert ctx.at(v, 2000) == pytest.approx(2 * 1.1**5)
    assert ctx.at(v, 2003) == pytest.approx(2 * 1.1**8)


def test_interp_values_may_be_formulas_evaluated_each_year() -> None:
    ctx = Ctx()
    v = run("Interp(2000, 0, 2010, Year - 2000)", ctx)
    assert ctx.at(v, 2005) == pytest.approx(0.5 * 0 + 0.5 * 5)
    assert ctx.at(v, 2012) == pytest.approx(12.0)


def test_step_leap_documented_example() -> None:
    # LEAP help, Step function: Step(2000, 300, 2010, 500, 2020, 900) gives 300 in 2000, 500 in
    # 2012, 900 in 2022; with base year 1997 and base-year value 200, 200 in 1998 and 1999.
    ctx = Ctx(base_year=1997, end_year=2025, base=200.0)
    v = run("Step(2000, 300.0, 2010, 500.0, 2020, 900.0)", ctx)
    expected = {1997: 200, 1998: 200, 1999: 200, 2000: 300, 2009: 300, 2012: 500, 2022: 900}
    assert {y: ctx.at(v, y) for y in expected} == pytest.approx(expected)


def test_step_from_the_base_year_needs_no_base_value() -> None:
    ctx = Ctx()
    v = run("Step(2000, 1, 2010, 2)", ctx)
    assert (ctx.at(v, 2009), ctx.at(v, 2010)) == (1.0, 2.0)
    assert ctx.calls == []


def test_data_has_no_implicit_point_and_is_constant_outside() -> None:
    ctx = Ctx(base=99.0)
    expr = parse("Data(2005, 1, 2010, 2)")
    v = evaluate(expr, ctx)
    assert not expr.uses_base
    assert ctx.calls == []
    assert ctx.at(v, 2000) == ctx.at(v, 2005) == 1.0
    assert ctx.at(v, 2007) == pytest.approx(1.4)
    assert ctx.at(v, 2030) == 2.0


# --- growth -----------------------------------------------------------------------------------


def test_growth_single_rate() -> None:
    ctx = Ctx(base=100.0)
    v = run("Growth(3%)", ctx)
    assert v[:3] == pytest.approx([100.0, 103.0, 106.09])
    assert ctx.at(v, 2010) == pytest.approx(100 * 1.03**10)


def test_growth_piecewise() -> None:
    # 10 % a year up to and including 2002, 5 % up to 2004, then none; compounded year by year.
    ctx = Ctx(base=100.0, end_year=2008)
    v = run("Growth(10%, 2002, 5%, 2004, 0)", ctx)
    assert v == pytest.approx(
        [100.0, 110.0, 121.0, 127.05, 133.4025, 133.4025, 133.4025] + [133.4025] * 2
    )


def test_growth_as_with_elasticity_one_and_half() -> None:
    gdp = [100.0, 110.0, 121.0, 145.2]
    ctx = Ctx(end_year=2003, base=50.0, refs={"Key\\gdp": gdp})
    assert run("GrowthAs(gdp)", ctx) == pytest.approx([50.0, 55.0, 60.5, 72.6])
    assert run("GrowthAs(Key\\gdp, 1)", ctx) == pytest.approx([50.0, 55.0, 60.5, 72.6])
    half = [50.0, 50 * 1.1**0.5, 55.0, 55 * 1.2**0.5]
    assert run("GrowthAs(gdp, 0.5)", ctx) == pytest.approx(half)


def test_growth_as_with_an_elasticity_that_changes_over_the_years() -> None:
    gdp = [100.0, 110.0, 121.0, 145.2]
    ctx = Ctx(end_year=2003, base=50.0, refs={"Key\\gdp": gdp})
    v = run("GrowthAs(gdp, If(Year < 2002, 1, 0.5))", ctx)
    assert v == pytest.approx([50.0, 55.0, 55 * 1.1**0.5, 55 * 1.1**0.5 * 1.2**0.5])


def test_remainder_and_inherited() -> None:
    sib = np.array([30.0, 40.0, 50.0])
    ctx = Ctx(end_year=2002, siblings=sib, inherited=np.array([1.0, 2.0, 3.0]))
    expr = parse("Remainder(100)")
    assert expr.uses_siblings
    assert not expr.uses_inherited
    assert evaluate(expr, ctx) == pytest.approx([70.0, 60.0, 50.0])
    expr = parse("Inherited * 0.9")
    assert expr.uses_inherited
    assert not expr.uses_base
    assert evaluate(expr, ctx) == pytest.approx([0.9, 1.8, 2.7])


# --- operators, numbers, keywords -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("-2^2", -4),
        ("2^3^2", 512),
        ("2^-1", 0.5),
        ("(-2)^2", 4),
        ("10 - 4 - 3", 3),
        ("12 / 2 / 3", 2),
        ("2 * -3", -6),
        ("+3", 3),
        ("1 < 2", 1),
        ("2 <= 1", 0),
        ("1 = 1", 1),
        ("1 == 1", 1),
        ("1 <> 1", 0),
        ("1 != 2", 1),
        ("1 + 2 > 2", 1),
        ("1 < 2 and 2 < 1", 0),
        ("1 < 2 OR 2 < 1", 1),
        ("not 0", 1),
        ("NOT 1 And 1", 0),
        ("1e3", 1000),
        ("1.5E-1", 0.15),
        (".5", 0.5),
        ("6%", 0.06),
        ("5% * 200", 10),
        ("Min(3, 1, 2)", 1),
        ("max(3, 1, 2)", 3),
        ("Abs(-2)", 2),
        ("Exp(0)", 1),
        ("Ln(1)", 0),
        ("LOG(Exp(2))", 2),
        ("Sqrt(16)", 4),
        ("Round(2.5)", 3),
        ("Round(-2.5)", -3),
        ("Round(1.2345, 2)", 1.23),
        ("If(1 > 2, 5, 6)", 6),
        ("BaseYear", 2000),
    ],
)
def test_operators_and_functions(text: str, value: float) -> None:
    v = run(text)
    assert v.shape == (31,)
    assert v == pytest.approx(np.full(31, value))


def test_year_and_base_year_value() -> None:
    ctx = Ctx(end_year=2003, base=4.0)
    assert run("Year - baseyear", ctx).tolist() == [0.0, 1.0, 2.0, 3.0]
    assert run("BaseYearValue * 2", ctx).tolist() == [8.0] * 4
    assert parse("BaseYearValue * 2").uses_base


@pytest.mark.parametrize(
    ("text", "constant"),
    [("12", 12.0), ("-3", -3.0), ("5%", 0.05), ("(2)", 2.0), ("1 + 2", None), ("gdp", None)],
)
def test_constant(text: str, constant: float | None) -> None:
    assert parse(text).constant == constant


def test_invalid_arithmetic_is_silent() -> None:
    v = run("1/0 + 0*Ln(0) + Sqrt(-1)")
    assert np.isnan(v).all()
    assert np.isinf(run("1/0")).all()


def test_parse_is_cached_and_expressions_are_values() -> None:
    assert parse("gdp * 2") is parse("gdp * 2")
    assert isinstance(parse("1"), Expr)
    assert parse("Interp(2000, 1, 2010, 2)").node == parse("interp（2000，1，2010，2）").node
    assert parse("Interp(2000, 1, 2010, 2)").node != parse("Interp(2000, 1, 2010, 3)").node


# --- references -------------------------------------------------------------------------------

GDP = Ref(("gdp",), None, True)
STEEL = Ref(("Demand", "Industry", "Steel"), "activity", False)


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("gdp", GDP),
        ("Key\\gdp", GDP),
        ("key\\gdp", GDP),
        ("[Key Assumptions/gdp]", GDP),
        ("人口", Ref(("人口",), None, True)),
        ("Demand\\Industry\\Steel:activity", STEEL),
        ("Demand\\Industry\\Steel", Ref(("Demand", "Industry", "Steel"), None, False)),
        ("Demand:activity", Ref(("Demand",), "activity", False)),
        (
            "[Demand/Industry/Iron and steel:activity]",
            Ref(("Demand", "Industry", "Iron and steel"), "activity", False),
        ),
        ("[ Demand \\ Industry ]", Ref(("Demand", "Industry"), None, False)),
        ('Value("Demand/Industry", "activity")', Ref(("Demand", "Industry"), "activity", False)),
        ("Value('Demand\\Industry\\Steel:activity')", STEEL),
        ("Value(“需求/工业”，“activity”)", Ref(("需求", "工业"), "activity", False)),
    ],
)
def test_reference_forms(text: str, ref: Ref) -> None:
    expr = parse(text)
    assert expr.refs == (ref,)
    assert expr.node == ref
    assert parse(str(ref)).refs == (ref,)  # the canonical text parses back


def test_reference_canonical_text() -> None:
    assert str(GDP) == "Key\\gdp"
    assert str(STEEL) == "Demand\\Industry\\Steel:activity"
    assert str(Ref(("Demand", "Industry"), "activity", False)) == "Demand\\Industry:activity"
    assert str(Ref(("Demand",), None, False)) == "[Demand]"
    assert str(Ref(("Demand", "Iron and steel"), "activity", False)) == (
        "[Demand\\Iron and steel:activity]"
    )


def test_refs_are_unique_in_order_of_appearance_and_case_sensitive() -> None:
    expr = parse("pop * gdp + Key\\gdp / GDP")
    assert expr.refs == (Ref(("pop",), None, True), GDP, Ref(("GDP",), None, True))


def test_each_reference_is_read_once_and_only_what_is_needed() -> None:
    ctx = Ctx(end_year=2002, refs={"Key\\gdp": [1.0, 2.0, 3.0]})
    assert run("gdp + Key\\gdp * 2", ctx).tolist() == [3.0, 6.0, 9.0]
    assert ctx.calls == ["Key\\gdp"]


def test_reference_with_wrong_years_is_an_error() -> None:
    ctx = Ctx(end_year=2002, refs={"Key\\gdp": [1.0, 2.0]})
    with pytest.raises(ExpressionError, match="expected") as info:
        run("gdp", ctx)
    assert info.value.position == -1


# --- batch dimension --------------------------------------------------------------------------


def test_batch_broadcasting() -> None:
    draws = np.array([10.0, 20.0, 40.0])
    gdp = np.array([[100.0, 110.0, 121.0]] * 3) * np.array([[1.0], [2.0], [3.0]])
    ctx = Ctx(end_year=2002, base=draws, refs={"Key\\gdp": gdp})
    assert run("12", ctx).shape == (3,)
    g = run("Growth(10%)", ctx)
    assert g.shape == (3, 3)
    assert g[:, 2] == pytest.approx(draws * 1.21)
    assert run("GrowthAs(gdp, 0.5)", ctx)[:, 2] == pytest.approx(draws * 1.1)
    assert run("BaseYearValue + gdp", ctx)[:, 0] == pytest.approx(draws + gdp[:, 0])
    v = run("Interp(2002, 0)", ctx)
    assert v.shape == (3, 3)
    assert v[:, 1] == pytest.approx(draws / 2)
    s = run("Step(2001, gdp)", ctx)
    assert s[:, 0] == pytest.approx(draws)
    assert s[:, 1:] == pytest.approx(gdp[:, 1:])


def test_result_is_a_fresh_writable_array() -> None:
    v = run("1")
    v[0] = 5.0
    assert run("1")[0] == 1.0


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "at", "reason"),
    [
        ("", 0, "empty"),
        ("   ", 0, "empty"),
        ("(1 + 2", "(", "never closed"),
        ("1 + 2)", ")", "unmatched"),
        ("Interp(2000, 10", "(", "never closed"),
        ("Foo(1)", "Foo", "unknown function"),
        ("Abs(1, 2)", "Abs", "cannot take 2 arguments"),
        ("Step(2000)", "Step", "cannot take 1 argument"),
        ("Growth(1%, 2%)", "Growth", "cannot take 2 arguments"),
        ("If(1, 2)", "If", "If(condition, then, else)"),
        ("Interp(2000 + 1, 10)", "2000", "argument 1 of Interp must be a year"),
        ("Interp(2000, 10, x, 20)", "x", "argument 3 of Interp must be a year"),
        ("Interp(2000, 10, 2010, 16, 2%, 3)", "2%", "argument 5 of Interp must be a year"),
        ("Growth(1%, 2030.5, 2%)", "2030.5", "argument 2 of Growth must be a year"),
        ("Data(-2000, 1)", "-", "must be a year"),
        ("Interp(2010, 1, 2000, 2)", "2000", "must increase"),
        ("1 2", "2", "unexpected '2'"),
        ("gdp pop", "pop", "unexpected 'pop'"),
        ("1 +", "end", "ends too early"),
        ("2 $ 3", "$", "unexpected character"),
        ("5 %", "%", "unexpected character"),
        ("1 < 2 < 3", "< 3", "cannot be chained"),
        ("[Demand/Industry", "[", "never closed"),
        ("[Demand//Steel]", "[", "empty branch name"),
        ('"gdp"', '"', "only allowed in Value"),
        ("Value(gdp)", "gdp", "quoted text"),
        ("Key", "Key", "driver name"),
        ("Key\\gdp:x", "Key", "no variables"),
        ("Demand\\", "end", "expected a branch name"),
        ("Interp", "Interp", "needs arguments"),
    ],
)
def test_parse_errors(text: str, at: str, reason: str) -> None:
    with pytest.raises(ExpressionError) as info:
        parse(text)
    err = info.value
    position = len(text) if at == "end" else text.index(at) if text.strip() else 0
    assert (err.text, err.position) == (text, position)
    assert reason in err.reason
    assert str(err) == f"{err.reason} at position {position} in {text!r}"


def test_expression_error_is_a_plan_error_and_pickles() -> None:
    err = ExpressionError("1 +", -1, "bad")
    assert isinstance(err, PlanError)
    assert isinstance(err, ValueError)
    assert str(err) == "bad in '1 +'"
    again = pickle.loads(pickle.dumps(err))  # noqa: S301 - our own object
    assert (again.text, again.position, again.reason, str(again)) == ("1 +", -1, "bad", str(err))


# --- description ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("12", "constant 12"),
        ("Key\\gdp", "equal to Key\\gdp"),
        (
            "Interp(2005, 13, 2020, 30, 2%)",
            "linear interpolation through 2005=13, 2020=30, then +2 %/yr",
        ),
        ("Interp(2030, 5)", "linear interpolation through 2030=5, then constant"),
        ("Data(2000, 1, 2010, 2)", "data 2000=1, 2010=2, constant outside"),
        ("Step(2030, 5)", "the base-year value, then steps to 2030=5"),
        ("Growth(3%)", "+3 %/yr from the base-year value"),
        (
            "Growth(3%, 2030, -1.5%)",
            "from the base-year value: +3 %/yr to 2030, then -1.5 %/yr",
        ),
        ("GrowthAs(gdp, 0.5)", "grows as Key\\gdp (elasticity 0.5) from the base-year value"),
        ("Remainder(100)", "remainder: 100 minus the sibling branches"),
        ("Inherited * 0.9", "formula Inherited * 0.9"),
    ],
)
def test_describe(text: str, description: str) -> None:
    assert describe(parse(text)) == description


@pytest.mark.parametrize(
    "text",
    [
        "-(1 + 2) * gdp",
        "(-2)^2 - -2^2 + 2^3^2 + (2^3)^2",
        "not (1 < 2) and (1 = 1 or not 0) or (1 < 2) < 3",
        "a - (b - c) / (d * e) + f / g * h",
        "If(Year >= 2030, Min(gdp, 3), Max(1, 2)) + Round(x, 2) + BaseYearValue",
        "Interp(2000, -1, 2010, gdp) + Data(2000, 1, 2005, 2) * Step(2001, 3)",
        "Growth(2%, 2030, 1%) + GrowthAs(Key\\gdp) + [Demand/Iron and steel:activity]",
    ],
)
def test_description_formula_parses_back_to_the_same_tree(text: str) -> None:
    rendered = describe(parse(text)).removeprefix("formula ")
    assert parse(rendered).node == parse(text).node


# --- properties -------------------------------------------------------------------------------


@given(
    rate=st.floats(-0.5, 0.5, allow_subnormal=False),
    base=st.floats(0.1, 1e6),
)
def test_growth_ratio_between_consecutive_years_is_one_plus_rate(rate: float, base: float) -> None:
    v = run(f"Growth({rate!r})", Ctx(base=base))
    assert v[1:] / v[:-1] == pytest.approx(np.full(30, 1 + rate), rel=1e-12, abs=0)


@given(
    points=st.dictionaries(
        st.integers(2000, 2030),
        st.floats(-1e6, 1e6, allow_subnormal=False),
        min_size=1,
        max_size=6,
    ),
    base=st.floats(-1e6, 1e6),
)
def test_interp_passes_through_its_points(points: dict[int, float], base: float) -> None:
    pairs = sorted(points.items())
    text = "Interp(" + ", ".join(f"{y}, {v!r}" for y, v in pairs) + ")"
    ctx = Ctx(base=base)
    v = run(text, ctx)
    for year, value in pairs:
        assert ctx.at(v, year) == pytest.approx(value, rel=1e-12, abs=1e-6)
    if pairs[0][0] > 2000:
        assert v[0] == base
