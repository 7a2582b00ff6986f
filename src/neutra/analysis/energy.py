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
    # NumPy over the (year, fuel) × item matrix: five checks, one frame at the end.
    cols = {c: i for i, c in enumerate(w.columns)}
    values = w.to_numpy(dtype=float)
    printed = np.zeros(values.shape, dtype=bool)
    keys = pd.MultiIndex.from_arrays([balances["year"], balances["fuel"]])
    printed[w.index.get_indexer(keys), w.columns.get_indexer(balances["item"])] = True
    scale = np.maximum(
        np.maximum(
            np.abs(values[:, cols["available"]]), np.abs(values[:, cols["final_consumption"]])
        ),
        1.0,
    )
    years = np.asarray([k[0] for k in w.index])
    fuels = np.asarray([k[1] for k in w.index], dtype=object)
    parts_out: dict[str, list[np.ndarray]] = {
        k: [] for k in ("year", "fuel", "check", "item", "printed", "computed", "difference", "ok")
    }
    for ch in CHECKS:
        idx = [cols[p] for p in ch.parts]
        computed = values[:, idx] @ np.asarray(ch.signs)
        total = values[:, cols[ch.total]]
        has_parts = printed[:, idx].any(axis=1)
        keep = has_parts if ch.name != "balance" else has_parts | printed[:, cols[ch.total]]
        diff = total - computed
        n = int(keep.sum())
        parts_out["year"].append(years[keep])
        parts_out["fuel"].append(fuels[keep])
        parts_out["check"].append(np.full(n, ch.name, dtype=object))
        parts_out["item"].append(np.full(n, ch.total, dtype=object))
        parts_out["printed"].append(total[keep])
        parts_out["computed"].append(computed[keep])
        parts_out["difference"].append(diff[keep])
        parts_out["ok"].append(np.abs(diff[keep]) <= tolerance * scale[keep])
    out = pd.DataFrame({k: np.concatenate(v) for k, v in parts_out.items()})
    out["year"] = out["year"].astype(int)
    out["file"] = out["year"].map(balances.groupby("year")["file"].first())
    out["row"] = None
    out["cell"] = None
    bad = ~out["ok"]
    if bad.any():  # locate only what fails: the printed total's cell
        loc = {
            (int(y), f, i): (fl, r, c)
            for y, f, i, fl, r, c in zip(
                balances["year"],
                balances["fuel"],
                balances["item"],
                balances["file"],
                balances["row"],
                balances["cell"],
                strict=True,
            )
        }
        for ix in out.index[bad]:
            key = (int(out.at[ix, "year"]), out.at[ix, "fuel"], out.at[ix, "item"])
            fl, r, c = loc.get(key, (out.at[ix, "file"], None, None))
            out.at[ix, "file"], out.at[ix, "row"], out.at[ix, "cell"] = fl, r, c
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
    prod = {int(k): float(v) for k, v in production_electricity.items()}
    acc: dict[tuple[int, str, str], float] = {}
    elec_phys: dict[int, float] = {}
    for year, fuel, kind, phys, cal, ce in zip(
        energy["year"],
        energy["fuel"],
        energy["kind"],
        energy["physical"],
        energy["tce_calorific_value"],
        energy["tce_coal_equivalent"],
        strict=True,
    ):
        y = int(year)
        if fuel == "electricity":
            elec_phys[y] = float(phys)
        for method, v in (
            (ElectricityMethod.CALORIFIC.value, cal),
            (ElectricityMethod.COAL_EQUIVALENT.value, ce),
        ):
            k = (y, method, str(kind))
            acc[k] = acc.get(k, 0.0) + float(v)
    rows = []
    for y in sorted({k[0] for k in acc}):
        share_prod = prod.get(y, 0.0) / elec_phys[y] if elec_phys.get(y) else 0.0
        for method in (m.value for m in ElectricityMethod):
            kinds = {k[2]: v for k, v in acc.items() if k[0] == y and k[1] == method}
            e = kinds.pop("electricity", 0.0)
            kinds["non_fossil"] = kinds.pop("other", 0.0) + e * share_prod
            kinds["electricity_inflow"] = e * (1 - share_prod)
            if not kinds.get("heat"):
                kinds.pop("heat", None)
            total = sum(kinds.values())
            for kind, v in kinds.items():
                rows.append(
                    {
                        "year": y,
                        "method": method,
                        "kind": kind,
                        "tce": v,
                        "share": v / total if total and not np.isnan(total) else np.nan,
                    }
                )
    return pd.DataFrame(rows, columns=["year", "method", "kind", "tce", "share"])
