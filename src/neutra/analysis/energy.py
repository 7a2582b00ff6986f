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
    w = balances.pivot_table(
        index=["year", "fuel"], columns="item", values="value", aggfunc="sum", fill_value=0.0
    )
    for it in ITEMS:
        if it.id not in w.columns:
            w[it.id] = 0.0
    return w


def closure(balances: pd.DataFrame, tolerance: float = 0.005) -> pd.DataFrame:
    """Every closure check of every fuel and year: printed total, sum of its parts, difference.

    A check fails when ``|printed − computed| > tolerance × max(|available|, |final|, 1 unit)``.
    Totals the table does not print are not checked (nothing to compare).
    """
    w = wide(balances)
    printed = set(zip(balances["year"], balances["fuel"], balances["item"], strict=True))
    where = {
        (y, f, i): (file, r, c)
        for y, f, i, file, r, c in zip(
            balances["year"],
            balances["fuel"],
            balances["item"],
            balances["file"],
            balances["row"],
            balances["cell"],
            strict=True,
        )
    }
    scale = pd.concat([w["available"].abs(), w["final_consumption"].abs()], axis=1).max(axis=1)
    scale = scale.clip(lower=1.0)
    out = []
    for ch in CHECKS:
        computed = sum(w[p] * s for p, s in zip(ch.parts, ch.signs, strict=True))
        total = w[ch.total]
        diff = total - computed
        for (year, fuel), d in diff.items():
            parts_printed = any((year, fuel, p) in printed for p in ch.parts)
            if (year, fuel, ch.total) not in printed and not parts_printed:
                continue
            if ch.name != "balance" and not parts_printed:
                continue  # a total printed without its breakdown: nothing to check
            file, row, cell = where.get((year, fuel, ch.total), ("", None, None))
            ok = abs(d) <= tolerance * float(scale.loc[(year, fuel)])
            out.append(
                {
                    "year": int(year),
                    "fuel": fuel,
                    "check": ch.name,
                    "item": ch.total,
                    "printed": float(total.loc[(year, fuel)]),
                    "computed": float(computed.loc[(year, fuel)]),
                    "difference": float(d),
                    "ok": bool(ok),
                    "file": file,
                    "row": row,
                    "cell": cell,
                }
            )
    return pd.DataFrame(
        out,
        columns=[
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
        ],
    )


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
    return out


def standard_coal(
    balances: pd.DataFrame, library: Library, coal_rates: dict[int, tuple[float, str, str]]
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Energy available for local consumption by fuel in tce, by both electricity methods.

    Args:
        coal_rates: year → (kgce per kWh of thermal power supply, factor id, status), for the
            coal-equivalent method.

    Returns:
        the table (year, fuel, kind, physical, unit, tce_calorific_value, tce_coal_equivalent,
        factor_ids) and findings (fuels without a coefficient, years without a coal rate).
    """
    w = wide(balances).reset_index()
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
    out = []
    for year, g in energy.groupby("year"):
        for method in ("calorific_value", "coal_equivalent"):
            col = f"tce_{method}"
            by_kind = g.groupby("kind")[col].sum().to_dict()
            elec = g.loc[g["fuel"] == "electricity"]
            prod = float(production_electricity.get(year, 0.0))
            if len(elec) and elec["physical"].iloc[0]:
                e_total = float(elec[col].iloc[0])
                share_prod = prod / float(elec["physical"].iloc[0])
                by_kind["non_fossil"] = by_kind.get("other", 0.0) + e_total * share_prod
                by_kind["electricity_inflow"] = e_total * (1 - share_prod)
            else:
                by_kind["non_fossil"] = by_kind.get("other", 0.0)
            by_kind.pop("electricity", None)
            by_kind.pop("other", None)
            total = sum(v for v in by_kind.values() if not np.isnan(v))
            for kind, v in by_kind.items():
                out.append(
                    {
                        "year": int(year),
                        "method": method,
                        "kind": kind,
                        "tce": v,
                        "share": v / total if total else float("nan"),
                    }
                )
    return pd.DataFrame(out, columns=["year", "method", "kind", "tce", "share"])
