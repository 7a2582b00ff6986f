"""Structure and intensity indicators of a region from its statistical series.

GDP at constant prices, in this order of preference (the method is named in every result):
1. the series ``gdp_constant`` (at base-year prices, as published);
2. ``gdp`` of the base year chained with ``gdp_index`` (previous year = 100, real growth);
3. otherwise no constant-price GDP: intensities per GDP are not computed and the years are
   reported as problems.
Industry structure: shares of ``va_primary``, ``va_secondary``, ``va_tertiary`` in their sum
(current prices); ``va_industry`` as a share of GDP where given.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from neutra import units
from neutra.errors import Problem, UnitError

INDICATOR_COLUMNS = [
    "year",
    "gdp_current_wan_cny",
    "gdp_constant_wan_cny",
    "gdp_method",
    "population",
    "energy_tce_calorific_value",
    "energy_tce_coal_equivalent",
    "co2_t",
    "energy_intensity_tce_per_wan_cny",
    "co2_intensity_t_per_wan_cny",
    "co2_per_capita_t",
    "energy_per_capita_tce",
    "share_primary",
    "share_secondary",
    "share_tertiary",
    "share_industry",
]


def _values(
    series: pd.DataFrame, indicator: str, target: str, problems: list[Problem]
) -> dict[int, float]:
    s = series[series["indicator"] == indicator]
    out: dict[int, float] = {}
    for unit, g in s.groupby("unit", sort=False):
        try:
            f = units.factor(str(unit), target)
        except UnitError as exc:
            for rec in g.itertuples():
                problems.append(
                    Problem(
                        str(rec.file),
                        int(rec.row),
                        "unit",
                        str(unit),
                        f"{exc.expected} for {indicator}",
                    )
                )
            continue
        out.update(zip(g["year"].astype(int), g["value"].astype(float) * f, strict=True))
    return out


def _index(series: pd.DataFrame, problems: list[Problem]) -> dict[int, float]:
    """``gdp_index`` as printed (previous year = 100, unit ``%`` or ``1``) → growth ratio."""
    out: dict[int, float] = {}
    for rec in series[series["indicator"] == "gdp_index"].itertuples():
        if units.dimension_of(str(rec.unit)) != "dimensionless":
            problems.append(
                Problem(
                    str(rec.file),
                    int(rec.row),
                    "unit",
                    str(rec.unit),
                    "% or 1 for gdp_index (previous year = 100)",
                )
            )
            continue
        out[int(rec.year)] = float(rec.value) / 100.0
    return out


def gdp_constant(
    series: pd.DataFrame, base_year: int, years: list[int], problems: list[Problem]
) -> tuple[dict[int, float], str]:
    """Constant-price GDP in 万CNY of the base year, and the method used."""
    const = _values(series, "gdp_constant", "万CNY", problems)
    if const and all(y in const for y in years):
        return const, f"series gdp_constant (prices of {base_year} as published)"
    gdp = _values(series, "gdp", "万CNY", problems)
    index = _index(series, problems)
    if base_year in gdp and all(y in index for y in years if y > base_year):
        out = {base_year: gdp[base_year]}
        for y in sorted(y for y in years if y > base_year):
            prev = out.get(y - 1)
            if prev is None:
                break
            out[y] = prev * index[y]
        if all(y in out for y in years if y >= base_year):
            return out, f"gdp of {base_year} chained with gdp_index (previous year = 100)"
    return {}, "none"


def indicators(
    series: pd.DataFrame | None,
    totals: pd.DataFrame,
    base_year: int,
    co2_column: str = "production_based_t",
) -> tuple[pd.DataFrame, list[Problem]]:
    """Intensities, per-capita values and structure by year (tce, t, 万CNY at constant prices)."""
    problems: list[Problem] = []
    years = [int(y) for y in totals["year"]]
    if series is None:  # no statistical series: intensities stay blank, nothing is wrong
        series = pd.DataFrame(columns=["indicator", "year", "value", "unit", "file", "row"])
        quiet: list[Problem] = []
        frame, _ = indicators_from(series, totals, base_year, years, co2_column, quiet)
        return frame, []
    return indicators_from(series, totals, base_year, years, co2_column, problems)


def indicators_from(
    series: pd.DataFrame,
    totals: pd.DataFrame,
    base_year: int,
    years: list[int],
    co2_column: str,
    problems: list[Problem],
) -> tuple[pd.DataFrame, list[Problem]]:
    """:func:`indicators` for a plan that has series (problems are collected)."""
    const, method = gdp_constant(series, base_year, years, problems)
    missing = [y for y in years if y not in const]
    if missing:
        problems.append(
            Problem(
                "series.csv",
                None,
                "gdp_constant",
                None,
                "GDP at constant prices for every year "
                f"({', '.join(map(str, missing))}): a gdp_constant series, or "
                "gdp of the base year with a gdp_index series",
            )
        )
    gdp = _values(series, "gdp", "万CNY", problems)
    pop = _values(series, "population", "person", problems)
    no_pop = [y for y in years if y not in pop]
    if no_pop:
        problems.append(
            Problem(
                "series.csv",
                None,
                "population",
                None,
                f"population for every year ({', '.join(map(str, no_pop))})",
            )
        )
    va = {
        k: _values(series, f"va_{k}", "万CNY", problems)
        for k in ("primary", "secondary", "tertiary", "industry")
    }
    rows: list[dict[str, Any]] = []
    for rec in totals.to_dict("records"):
        y = int(rec["year"])
        co2 = float(rec[co2_column])
        e_cal = float(rec["energy_tce_calorific_value"])
        e_ce = float(rec["energy_tce_coal_equivalent"])
        g = const.get(y, math.nan)
        p = pop.get(y, math.nan)
        three = [va[k].get(y, math.nan) for k in ("primary", "secondary", "tertiary")]
        s3 = sum(three)
        rows.append(
            {
                "year": y,
                "gdp_current_wan_cny": gdp.get(y, math.nan),
                "gdp_constant_wan_cny": g,
                "gdp_method": method,
                "population": p,
                "energy_tce_calorific_value": e_cal,
                "energy_tce_coal_equivalent": e_ce,
                "co2_t": co2,
                "energy_intensity_tce_per_wan_cny": e_cal / g if g else math.nan,
                "co2_intensity_t_per_wan_cny": co2 / g if g else math.nan,
                "co2_per_capita_t": co2 / p if p else math.nan,
                "energy_per_capita_tce": e_cal / p if p else math.nan,
                "share_primary": three[0] / s3 if s3 else math.nan,
                "share_secondary": three[1] / s3 if s3 else math.nan,
                "share_tertiary": three[2] / s3 if s3 else math.nan,
                "share_industry": (va["industry"].get(y, math.nan) / gdp[y])
                if gdp.get(y)
                else math.nan,
            }
        )
    return pd.DataFrame(rows, columns=INDICATOR_COLUMNS), problems
