"""Units: Chinese statistical units, calorific-value units, dimension errors, round trips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neutra import units
from neutra.errors import UnitDimensionError, UnitError
from neutra.testing import assert_quantity_close


@pytest.mark.parametrize(
    ("text", "target", "expected"),
    [
        ("万t", "t", 1e4),
        ("10^4 t", "t", 1e4),
        ("10⁴t", "t", 1e4),
        ("亿kWh", "kWh", 1e8),
        ("万kWh", "MWh", 10.0),
        ("万m3", "m**3", 1e4),
        ("亿m3", "m**3", 1e8),
        ("万Nm3", "m**3", 1e4),
        # 1 kgce = 29.3076 MJ (SOURCES.md, statistical conversions [R]); 万tce = 10^4 tce.
        ("kgce", "MJ", 29.3076),
        ("万tce", "GJ", 293_076.0),
        ("万吨标准煤", "GJ", 293_076.0),
        ("亿立方米", "m**3", 1e8),
        ("GJ/t", "kJ/kg", 1_000.0),
        ("GJ/10^4Nm3", "MJ/m**3", 0.1),
        ("kt CO2e", "t", 1_000.0),  # kilotonne, not knot
        ("Mt CO2e", "t", 1e6),
        ("kg C/GJ", "t/TJ", 1.0),
        ("万元", "CNY", 1e4),
        ("亿CNY", "万CNY", 1e4),
        ("passenger*km", "passenger*mi", 1 / 1.609344),
        ("short_ton*mi", "t*km", 0.90718474 * 1.609344),
    ],
)
def test_factor(text: str, target: str, expected: float) -> None:
    assert units.factor(text, target) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("text", "dimension"),
    [
        ("万t", "mass"),
        ("亿kWh", "energy"),
        ("万tce", "energy"),
        ("万m3", "volume"),
        ("GJ/t", "energy per mass"),
        ("GJ/10^4Nm3", "energy per volume"),
        ("t*km", "mass × distance"),
    ],
)
def test_dimension(text: str, dimension: str) -> None:
    assert units.dimension_of(text) == dimension


@pytest.mark.parametrize("text", ["kgg", "", "foo/bar", "kg/", "-1 t"])
def test_bad_unit_names_text_and_expectation(text: str) -> None:
    with pytest.raises(UnitError) as info:
        units.parse(text)
    assert repr(text) in str(info.value)
    assert "expected" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_wrong_dimension_is_a_type_error() -> None:
    with pytest.raises(UnitDimensionError) as info:
        units.factor("万kWh", "t")
    assert isinstance(info.value, TypeError)
    assert "energy" in str(info.value)
    with pytest.raises(UnitDimensionError):
        units.check_dimension("MWh", ("mass", "volume"))


def test_assert_quantity_close_converts() -> None:
    assert_quantity_close(2.93076, "GJ", 100.0, "kgce", rel=1e-12)
    with pytest.raises(AssertionError):
        assert_quantity_close(1.0, "t", 1.1, "t")


UNIT_PAIRS = [
    ("t", "万t"),
    ("kWh", "亿kWh"),
    ("GJ", "万tce"),
    ("m3", "万m3"),
    ("MJ/m3", "GJ/10^4Nm3"),
]


@given(st.floats(min_value=1e-6, max_value=1e12), st.sampled_from(UNIT_PAIRS))
def test_round_trip(x: float, pair: tuple[str, str]) -> None:
    a, b = pair
    back = x * units.factor(a, b) * units.factor(b, a)
    assert back == pytest.approx(x, rel=1e-12)
