"""Energy balance checks and standard-coal conversion (折标准煤) of a regional balance.

Closure (SOURCES.md "Energy balance tables" [R]): for each fuel,
``available = Σ supply rows`` (printed signs), ``transformation = Σ its sub-rows``,
``final consumption = Σ sectors``, ``residential = urban + rural``, and
``available + transformation − losses − final consumption = statistical difference``.

Standard coal (GB/T 2589 reference coefficients, SOURCES.md [R]): physical amount × coefficient.
Primary electricity by either method, named in every result: calorific value (电热当量法,
0.1229 kgce/kWh) or coal equivalent (发电煤耗法, the year's average coal rate of thermal power
supply).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd

from neutra import units
from neutra.errors import Problem, UnitError
from neutra.model.balance import FUELS, ITEMS, Section
from neutra.refdata.library import Library

SUPPLY = [i.id for i in ITEMS if i.section == Section.SUPPLY]
TRANSFORM_PARTS = [i.id for i in ITEMS if i.parent == "transformation"]
SECTORS = [i.id for i in ITEMS if i.parent == "final_consumption"]


class ElectricityMethod(StrEnum):
    """How primary electricity is converted to standard coal."""

    CALORIFIC = "calorific_value"  # 电热当量法
    COAL_EQUIVALENT = "coal_equivalent"  # 发电煤耗法


@dataclass(frozen=True)
class Check:
    name: str
    total: str
    parts: tuple[str, ...]
    signs: tuple[float, ...]


CHECKS: tuple[Check, ...] = (
    Check("supply", "available", tuple(SUPPLY), (1.0,) * len(SUPPLY)),
    Check(
        "transformation", "transformation", tuple(TRANSFORM_PARTS), (1.0,) * len(TRANSFORM_PARTS)
    ),
    Check("final_consumption", "final_consumption", tuple(SECTORS), (1.0,) * len(SECTORS)),
    Check("residential", "residential", ("residential_urban", "residential_rural"), (1.0, 1.0)),
    Check(
        "balance",
        "statistical_difference",
        ("available", "transformation", "losses", "final_consumption"),
        (1.0, 1.0, -1.0, -1.0),
    ),
)


def wide(balances: pd.DataFrame) -> pd.DataFrame:
    """(year, fuel) × item values (zeros where the table printed nothing)."""
    w = balances.groupby(["year", "fuel", "item"])["value"].sum().unstack("item", fill_value=0.0)
    for it in ITEMS:
        if it.id not in w.columns:
            w[it.id] = 0.0
    return w


def closure(
    balances: pd.DataFrame, tolerance: float = 0.005, w: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Every closure check of every fuel and year: printed total, sum of its parts, difference.

    A check fails when ``|printed − computed| > tolerance × max(|available|, |final|, 1 unit)``.
    A breakdown the table does not print is not checked (nothing to compare).
    """
    w = wide(balances) if w is None else w
    printed = (
        balances.groupby(["year", "fuel", "item"])
        .size()
        .unstack("item", fill_value=0)
        .reindex(w.index, fill_value=0)
        > 0
    )
    for it in ITEMS:
        if it.id not in printed.columns:
            printed[it.id] = False
    where = balances.set_index(["year", "fuel", "item"])[["file", "row", "cell"]]
    where = where[~where.index.duplicated()]
    scale = pd.concat([w["available"].abs(), w["final_consumption"].abs()], axis=1).max(axis=1)
    scale = scale.clip(lower=1.0)
    frames = []
    for ch in CHECKS:
        computed = pd.Series(w[list(ch.parts)].to_numpy() @ np.asarray(ch.signs), index=w.index)
        total = w[ch.total]
        has_parts = printed[list(ch.parts)].any(axis=1)
        has_total = printed[ch.total]
        keep = has_parts if ch.name != "balance" else (has_parts | has_total)
        f = pd.DataFrame(
            {
                "check": ch.name,
                "item": ch.total,
                "printed": total,
                "computed": computed,
                "difference": total - computed,
            }
        )[keep]
        f["ok"] = f["difference"].abs() <= tolerance * scale[keep]
        frames.append(f)
    out = pd.concat(frames).reset_index()
    idx = pd.MultiIndex.from_arrays([out["year"], out["fuel"], out["item"]])
    loc = where.reindex(idx)
    out["file"] = loc["file"].to_numpy()
    out["row"] = loc["row"].to_numpy()
    out["cell"] = loc["cell"].to_numpy()
    out["file"] = out["file"].fillna(balances["file"].iloc[0] if len(balances) else "")
    out["year"] = out["year"].astype(int)
    return out[
        [
            "year",
            "fuel",
            "check",
            "item",
            "printed",
            "computed",
            "difference",
            "ok",
            "file",
            "row",
            "cell",
        ]
    ]


def closure_problems(check: pd.DataFrame, unit_of: dict[str, str]) -> list[Problem]:
    """Located problems for the checks that fail."""
    out = []
    for r in check[~check["ok"]].itertuples():
        out.append(
            Problem(
                str(r.file),
                None if pd.isna(r.row) else int(r.row),
                str(r.fuel),
                f"{r.printed:g}",
                f"the {r.check} check to close: {r.item} = {r.computed:g} {unit_of[str(r.fuel)]} "
                f"from its parts (difference {r.difference:+g})",
                None
                if r.cell is None or pd.isna(r.cell) or str(r.cell) == str(r.fuel)
                else str(r.cell),
            )
        )
    return out


def _coefficients(library: Library) -> dict[str, tuple[float, str, str, str]]:
    """tce per fuel's printed unit, with the factor id, status and unit, per fuel id."""
    cached = library.cache.get("ce_coefficients")
    if isinstance(cached, dict):
        return cached
    out: dict[str, tuple[float, str, str, str]] = {}
    for fuel in FUELS:
        rows = library.rows(fuel.id)
        rows = rows[rows["parameter"] == "ce_coefficient"]
        for rec in rows.itertuples():
            try:
                per_unit = float(rec.value) * units.factor(f"({rec.unit})*({fuel.unit})", "tce")
            except UnitError:  # a coefficient of another dimension: not for this column
                continue
            out[fuel.id] = (per_unit, str(rec.factor_id), str(rec.status), str(rec.unit))
            break
    library.cache["ce_coefficients"] = out
    return out


def standard_coal(
    balances: pd.DataFrame,
    w_in: pd.DataFrame | None,
    library: Library,
    coal_rates: dict[int, tuple[float, str, str]],
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Energy available for local consumption by fuel in tce, by both electricity methods.

    Args:
        coal_rates: year → (kgce per kWh of thermal power supply, factor id, status), for the
            coal-equivalent method.

    Returns:
        the table (year, fuel, kind, physical, unit, tce_calorific_value, tce_coal_equivalent,
        factor_ids) and findings (fuels without a coefficient, years without a coal rate).
    """
    w = (wide(balances) if w_in is None else w_in).reset_index()
    coeffs = _coefficients(library)
    kinds = {f.id: f.kind for f in FUELS}
    units_of = {f.id: f.unit for f in FUELS}
    findings: list[dict[str, Any]] = []
    rows = []
    for rec in w.itertuples(index=False):
        fuel, year, avail = str(rec.fuel), int(rec.year), float(rec.available)
        if avail == 0:
            continue
        if fuel == "electricity":
            cal = coeffs.get("electricity")
            kwh = avail * units.factor(units_of[fuel], "kWh")
            tce_cal = kwh * 0.1229 / 1000 if cal is None else avail * cal[0]
            ids = [cal[1]] if cal else []
            rate = coal_rates.get(year)
            if rate is None:
                tce_ce = float("nan")
                findings.append(
                    {
                        "code": "no_coal_rate",
                        "severity": "warning",
                        "year": year,
                        "detail": "no coal rate of thermal power for the coal-equivalent"
                        " method; give series 'coal_rate_thermal_power'",
                    }
                )
            else:
                tce_ce = kwh * rate[0] / 1000
                ids.append(rate[1])
        elif fuel in coeffs:
            tce_cal = tce_ce = avail * coeffs[fuel][0]
            ids = [coeffs[fuel][1]]
        elif units.same_dimension(units_of[fuel], "tce"):
            tce_cal = tce_ce = avail * units.factor(units_of[fuel], "tce")
            ids = []
        else:
            findings.append(
                {
                    "code": "no_ce_coefficient",
                    "severity": "warning",
                    "year": year,
                    "detail": f"{fuel}: no standard-coal coefficient in the factor sets; "
                    "left out of the energy total",
                }
            )
            continue
        rows.append(
            {
                "year": year,
                "fuel": fuel,
                "kind": kinds[fuel],
                "physical": avail,
                "unit": units_of[fuel],
                "tce_calorific_value": tce_cal,
                "tce_coal_equivalent": tce_ce,
                "factor_ids": ";".join(ids),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "year",
            "fuel",
            "kind",
            "physical",
            "unit",
            "tce_calorific_value",
            "tce_coal_equivalent",
            "factor_ids",
        ],
    ), findings


def energy_mix(energy: pd.DataFrame, production_electricity: pd.Series) -> pd.DataFrame:
    """Shares of coal, oil, gas, non-fossil and net electricity inflow, by both methods.

    Primary electricity produced in the region (the balance's production row) and other energy
    count as non-fossil; the rest of the electricity available is net inflow from other
    regions, shown apart.
    """
    frames = []
    elec = energy[energy["fuel"] == "electricity"].set_index("year")
    prod_share = production_electricity.reindex(elec.index).fillna(0.0) / elec["physical"].where(
        elec["physical"] != 0
    )
    for method in ("calorific_value", "coal_equivalent"):
        col = f"tce_{method}"
        by = energy.pivot_table(
            index="year", columns="kind", values=col, aggfunc="sum", fill_value=0.0
        )
        for k in ("coal", "oil", "gas", "heat", "other", "electricity"):
            if k not in by:
                by[k] = 0.0
        e = by.pop("electricity")
        share = prod_share.reindex(by.index).fillna(0.0)
        by["non_fossil"] = by.pop("other") + e * share
        by["electricity_inflow"] = e * (1 - share)
        if not (by["heat"] != 0).any():
            by = by.drop(columns="heat")
        total = by.sum(axis=1)
        long = by.stack().rename("tce").reset_index()
        long["share"] = long["tce"] / long["year"].map(total)
        long["method"] = method
        frames.append(long)
    out = pd.concat(frames, ignore_index=True)
    out["year"] = out["year"].astype(int)
    return out[["year", "method", "kind", "tce", "share"]]
