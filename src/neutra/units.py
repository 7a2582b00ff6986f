"""Units: one pint registry, Chinese statistical units and multipliers, dimension checks.

Quantities are parsed and converted at the edges. Inside the engines amounts are plain floats in
SI base units (kg, m³, J, …) and the unit of every column is recorded beside it.

Chinese multipliers (万 = 10⁴, 亿 = 10⁸, ``10^4``) are read *before* pint sees the text, because
pint does not stack prefixes: ``亿kWh`` is 10⁸ × kWh, and ``GJ/10^4Nm3`` is GJ per 10⁴ Nm³.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

import pint

from neutra.errors import UnitDimensionError, UnitError

# Definitions added to pint's defaults. 1 kgce = 7 000 kcal(IT-ish) = 29.3076 MJ: GB/T 2589 as
# reproduced in SOURCES.md ("Statistical conversions" [R]).
_DEFINITIONS = """
kilogram_coal_equivalent = 29.3076 * megajoule = kgce
tonne_coal_equivalent = 1000 * kilogram_coal_equivalent = tce
gram_coal_equivalent = kilogram_coal_equivalent / 1000 = gce
normal_cubic_metre = meter ** 3 = Nm3
passenger = [passenger]
vehicle = [vehicle]
person = [person] = capita
US_dollar = [currency_USD] = USD
chinese_yuan = [currency_CNY] = CNY = RMB
euro = [currency_EUR] = EUR
"""

EXPECTED_GENERIC = "a unit such as t, 万t, m3, 万Nm3, GJ, MWh, 亿kWh, tce, 万tce"

# Longest first: the replacement is a simple scan.
_CHINESE_WORDS: tuple[tuple[str, str], ...] = (
    ("吨标准煤", "tce"),
    ("吨标煤", "tce"),
    ("千克标准煤", "kgce"),
    ("千克标煤", "kgce"),
    ("克标准煤", "gce"),
    ("克标煤", "gce"),
    ("标准立方米", "Nm3"),
    ("标立方米", "Nm3"),
    ("立方米", "m3"),
    ("标方", "Nm3"),
    ("千瓦时", "kWh"),
    ("兆瓦时", "MWh"),
    ("吉瓦时", "GWh"),
    ("百万千焦", "(1e6*kJ)"),
    ("千焦", "kJ"),
    ("兆焦", "MJ"),
    ("吉焦", "GJ"),
    ("太焦", "TJ"),
    ("千瓦", "kW"),
    ("兆瓦", "MW"),
    ("吨公里", "t*km"),
    ("人公里", "passenger*km"),
    ("公里", "km"),
    ("千米", "km"),
    ("千克", "kg"),
    ("公斤", "kg"),
    ("吨", "t"),
    ("元", "CNY"),
    ("人", "person"),
    ("度", "kWh"),
)
_MULTIPLIERS: dict[str, str] = {"千万": "1e7", "百万": "1e6", "万": "1e4", "亿": "1e8"}
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_MULT_RE = re.compile(
    r"(千万|百万|万|亿|10\^\s*(\d+)|10\*\*\s*(\d+)|1e(\d+))\s*\*?\s*"
    r"(\([^()]*\)|[A-Za-z_]+\d*(?:\*\*\d+)?)"
)
_POWER_RE = re.compile(r"(?<![A-Za-z])(m|km|cm|mm)([23])(?![0-9])")
_KT_RE = re.compile(r"(?<![A-Za-z])kt(?![A-Za-z])")
_GAS_LABEL_RE = re.compile(
    r"(?<=[A-Za-z)])\s+(CO2e|CO2eq|CO2-eq|CO₂e|CO2|C|CH4|N2O)(?![A-Za-z0-9])"
)

# Friendly names of the dimensions users meet, for messages, by a reference unit of each.
_DIMENSION_UNITS: dict[str, str] = {
    "mass": "kg",
    "volume": "m**3",
    "energy": "J",
    "power": "W",
    "distance": "m",
    "mass × distance": "kg*m",
    "passenger × distance": "passenger*m",
    "vehicle × distance": "vehicle*m",
    "persons": "person",
    "currency (CNY)": "CNY",
    "currency (USD)": "USD",
    "currency (EUR)": "EUR",
    "dimensionless": "dimensionless",
    "energy per mass": "J/kg",
    "energy per volume": "J/m**3",
}


@functools.cache
def registry() -> pint.UnitRegistry[Any]:
    """The application's one unit registry, built on first use (never at import)."""
    ureg: pint.UnitRegistry[Any] = pint.UnitRegistry(
        autoconvert_offset_to_baseunit=True, cache_folder=None
    )
    for line in _DEFINITIONS.strip().splitlines():
        ureg.define(line)
    return ureg


def _normalise(text: str) -> str:
    s = re.sub(r"10([⁰¹²³⁴⁵⁶⁷⁸⁹]+)", lambda m: "10^" + m.group(1), text.strip())
    s = s.translate(_SUPERSCRIPTS)
    s = unicodedata.normalize("NFKC", s)
    s = s.replace("·", "*").replace("×", "*").replace("％", "%")
    for word, symbol in _CHINESE_WORDS:
        s = s.replace(word, symbol)
    s = _GAS_LABEL_RE.sub("", s)
    # pint reads "kt" as the knot; in emission accounting it is the kilotonne.
    s = _KT_RE.sub("kilotonne", s)
    s = _POWER_RE.sub(lambda m: f"{m.group(1)}**{m.group(2)}", s)

    def _mult(m: re.Match[str]) -> str:
        word = m.group(1)
        power = m.group(2) or m.group(3) or m.group(4)
        factor = _MULTIPLIERS.get(word) or f"1e{power}"
        return f"({factor}*{m.group(5)})"

    s = _MULT_RE.sub(_mult, s)
    if s in {"1", "%", "fraction", "-", ""}:
        return {"%": "percent"}.get(s, "dimensionless")
    return s


@functools.cache
def parse(text: str) -> Any:
    """Parse a unit text (``万tce``, ``GJ/10^4Nm3``, ``kg CO2/kWh``) into a pint Quantity.

    The quantity's magnitude carries any multiplier: ``parse("万t")`` is 10 000 t.

    Raises:
        UnitError: the text does not parse.
    """
    if not isinstance(text, str) or not text.strip():
        raise UnitError(str(text), EXPECTED_GENERIC, "empty")
    ureg = registry()
    expr = _normalise(text)
    try:
        q = ureg.parse_expression(expr)
    except Exception as exc:  # pint raises several unrelated types for bad text
        raise UnitError(text, EXPECTED_GENERIC, type(exc).__name__) from exc
    if not isinstance(q, ureg.Quantity):
        q = ureg.Quantity(float(q), "dimensionless")
    if not isinstance(q.magnitude, int | float) or q.magnitude <= 0:
        raise UnitError(text, EXPECTED_GENERIC, "a unit must have a positive scale")
    return q


@functools.cache
def _dimension_names() -> dict[Any, str]:
    ureg = registry()
    return {ureg.parse_expression(u).dimensionality: name for name, u in _DIMENSION_UNITS.items()}


def dimension_of(text: str) -> str:
    """Friendly name of a unit's dimension (``mass``, ``energy``, …)."""
    dim = parse(text).dimensionality
    return _dimension_names().get(dim, str(dim))


@functools.cache
def to_base(text: str) -> tuple[float, str]:
    """Factor converting 1 ``text`` into SI base units, and the dimension's friendly name."""
    q = parse(text)
    base = q.to_base_units()
    return float(base.magnitude), dimension_of(text)


@functools.cache
def factor(text: str, target: str) -> float:
    """How many ``target`` are in one ``text`` (``factor("万tce", "GJ") == 293076``).

    Raises:
        UnitError: either text does not parse.
        UnitDimensionError: the two are not of the same dimension.
    """
    q = parse(text)
    t = parse(target)
    try:
        return float((q / t).to("dimensionless").magnitude)
    except pint.DimensionalityError as exc:
        raise UnitDimensionError(
            text, f"a unit of {dimension_of(target)} like {target!r}", dimension_of(text)
        ) from exc


def check_dimension(text: str, allowed: tuple[str, ...]) -> str:
    """Return the dimension name of ``text`` if it is one of ``allowed`` friendly names.

    Raises:
        UnitError: the text does not parse.
        UnitDimensionError: its dimension is not allowed.
    """
    dim = dimension_of(text)
    if dim not in allowed:
        raise UnitDimensionError(text, "a unit of " + " or ".join(allowed), dim)
    return dim


def same_dimension(a: str, b: str) -> bool:
    """Whether two unit texts measure the same kind of quantity."""
    return bool(parse(a).dimensionality == parse(b).dimensionality)
