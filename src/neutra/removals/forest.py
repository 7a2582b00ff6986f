"""Forest carbon: stock-difference and gain–loss, IPCC 2006 Guidelines Vol. 4 (AFOLU) Ch. 2 and 4.

Equations (IPCC 2006 Vol. 4 Ch. 2; numbers as printed in public transcriptions, see
docs/method-removals.md):

* Eq. 2.8, stock-difference: ``C = V × BCEF_S × (1 + R) × CF`` for each stratum (``V``
  merchantable growing stock, m³ = area ha × m³/ha, or given in total) and
  ``ΔC = (C_t2 − C_t1) / (t2 − t1)`` (t C/yr);
* Eq. 2.7, gain–loss: ``ΔC = ΔC_G − ΔC_L``;
* Eq. 2.9 and 2.10, gains: ``ΔC_G = Σ A × G_TOTAL × CF`` with ``G_TOTAL = G_W × (1 + R)`` or
  ``G_TOTAL = I_V × BCEF_I × (1 + R)``;
* Eq. 2.11, losses: ``ΔC_L = L_wood-removals + L_fuelwood + L_disturbance``;
* Eq. 2.12: ``L_wood-removals = H × BCEF_R × (1 + R) × CF``;
* Eq. 2.13: ``L_fuelwood = [FG_trees × BCEF_R × (1 + R) + FG_part × D] × CF``;
* Eq. 2.14: ``L_disturbance = A_disturbance × B_W × (1 + R) × CF × fd``.

**Sign convention.** ``delta_c_tc`` is the change of the carbon stock (t C/yr; > 0 the stock
grows). ``net_emissions_tco2`` is the net CO2 flux to the atmosphere, ``−ΔC × 44/12`` (t CO2/yr):
**positive is an emission, negative a removal** — the IPCC reporting convention, and the sign of
``sinks`` (≤ 0) in the scenario simulation. 44/12 is the ratio of the molar masses of CO2 and C.

Only the carbon fraction has a default here: ``CF = 0.47`` (IPCC 2006 Vol. 4 Ch. 4 Table 4.3),
which SOURCES.md lists as not yet confirmed [M]; every result that used it says so
(``ForestSinks.unverified``). BCEF, R, growth and densities come from the user.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd

from neutra.errors import Problem, raise_if_problems
from neutra.model.tables import Column, TableSpec
from neutra.results_json import frame_records

SCHEMA = "neutra.sinks/1"
C_TO_CO2 = 44.0 / 12.0  # t CO2 per t C: molar masses 44 (CO2) and 12 (C)
# IPCC 2006 Vol. 4 Ch. 4 Table 4.3, default carbon fraction of above-ground forest biomass,
# t C / t d.m. SOURCES.md "Sinks": [M] (not confirmed against the official table) → unverified.
DEFAULT_CARBON_FRACTION = 0.47
DEFAULT_CF_SOURCE = (
    "IPCC 2006 Vol. 4 Ch. 4 Table 4.3 default carbon fraction 0.47 t C/t d.m. "
    "(status: unverified, not yet checked against the official table)"
)
SIGN_CONVENTION = (
    "net_emissions_tco2 = −ΔC × 44/12: positive is a net emission to the atmosphere, "
    "negative a net removal (IPCC reporting convention); delta_c_tc > 0 is a growing stock"
)
SOURCES: dict[str, str] = {
    "stock-difference": "IPCC 2006 Guidelines Vol. 4 Ch. 2 Eq. 2.8 (generic form Eq. 2.5)",
    "gain-loss": "IPCC 2006 Guidelines Vol. 4 Ch. 2 Eq. 2.7, 2.9, 2.10, 2.11, 2.12, 2.13, 2.14",
}


class SinkMethod(StrEnum):
    """How forest carbon stock changes are estimated (IPCC 2006 Vol. 4 Ch. 2)."""

    STOCK_DIFFERENCE = "stock-difference"
    GAIN_LOSS = "gain-loss"


@dataclass(frozen=True, slots=True, kw_only=True)
class StockInventory:
    """One stratum's living-biomass stock in one inventory year (Eq. 2.8).

    The stock is taken as at the end of ``year``. Give either ``area_ha`` with
    ``volume_m3_per_ha``, or the stratum's total ``volume_m3`` (``area_ha`` is then optional and
    only reported).

    Attributes:
        stratum: name of the stratum (forest type, age class, district …).
        year: inventory year.
        bcef_s: biomass conversion and expansion factor for growing stock, t d.m. per m³.
        root_shoot: R, below-ground to above-ground biomass ratio, t d.m./t d.m.
        area_ha: A, area of the stratum, ha.
        volume_m3_per_ha: V, merchantable growing stock volume, m³/ha.
        volume_m3: the stratum's total merchantable growing stock, m³.
        carbon_fraction: CF, t C/t d.m.; ``None`` → the unverified default 0.47.
    """

    stratum: str
    year: int
    bcef_s: float
    root_shoot: float
    area_ha: float | None = None
    volume_m3_per_ha: float | None = None
    volume_m3: float | None = None
    carbon_fraction: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class GainLossYear:
    """One stratum in one year, for the gain–loss method (Eq. 2.7, 2.9–2.14).

    Growth: give ``gw_t_per_ha`` (G_W), or ``iv_m3_per_ha`` (I_V) with ``bcef_i``. Losses are
    optional; an amount of 0 (the default) is no loss, and a loss > 0 needs its factors.

    Attributes:
        stratum: name of the stratum.
        year: the year the flows belong to.
        area_ha: A, area of the stratum, ha.
        root_shoot: R, below-ground to above-ground biomass ratio.
        gw_t_per_ha: G_W, above-ground biomass growth, t d.m./ha/yr.
        iv_m3_per_ha: I_V, net annual increment, m³/ha/yr.
        bcef_i: BCEF for increment, t d.m. above-ground growth per m³ of increment.
        carbon_fraction: CF, t C/t d.m.; ``None`` → the unverified default 0.47.
        removals_m3: H, annual wood removals (roundwood), m³/yr.
        bcef_r: BCEF for removals, t d.m. per m³ removed (also used for fuelwood as whole trees).
        fuelwood_trees_m3: FG_trees, fuelwood removed as whole trees, m³/yr.
        fuelwood_parts_m3: FG_part, fuelwood removed as tree parts, m³/yr.
        wood_density_t_per_m3: D, basic wood density, t d.m./m³ (for FG_part).
        disturbed_ha: A_disturbance, area affected by disturbances, ha/yr.
        disturbed_biomass_t_per_ha: B_W, above-ground biomass of the disturbed area, t d.m./ha.
        disturbance_fraction: fd, fraction of the biomass lost (0–1).
    """

    stratum: str
    year: int
    area_ha: float
    root_shoot: float
    gw_t_per_ha: float | None = None
    iv_m3_per_ha: float | None = None
    bcef_i: float | None = None
    carbon_fraction: float | None = None
    removals_m3: float = 0.0
    bcef_r: float | None = None
    fuelwood_trees_m3: float = 0.0
    fuelwood_parts_m3: float = 0.0
    wood_density_t_per_m3: float | None = None
    disturbed_ha: float = 0.0
    disturbed_biomass_t_per_ha: float | None = None
    disturbance_fraction: float | None = None


# The columns of a forest table for each method (the fields above, with their ranges): read by
# neutra.removals.forest_table; the engines' checks take their ranges from here.
_COMMON = (
    Column("stratum", "str", True, "the stratum's name (forest type, age class, district …)"),
    Column("year", "int", True, "year, e.g. 2020", 1900, 2300),
)
_ROOT_SHOOT = Column(
    "root_shoot", "float", True, "R, below- to above-ground biomass ratio, ≥ 0", 0.0, None
)
_CF = Column("carbon_fraction", "float", False, "CF, t C/t d.m., 0–1", 0.0, 1.0)
_NOTE = Column("note", "str", False, "free text")

STOCK_DIFFERENCE = TableSpec(
    "forest",
    (
        *_COMMON,
        Column("bcef_s", "float", True, "BCEF_S, t d.m. per m³ of growing stock, ≥ 0", 0.0, None),
        _ROOT_SHOOT,
        Column("area_ha", "float", False, "area, ha, ≥ 0", 0.0, None),
        Column("volume_m3_per_ha", "float", False, "growing stock volume, m³/ha, ≥ 0", 0.0, None),
        Column("volume_m3", "float", False, "total growing stock volume, m³, ≥ 0", 0.0, None),
        _CF,
        _NOTE,
    ),
    "forest strata with their growing stock at two or more inventory years",
)

GAIN_LOSS = TableSpec(
    "forest",
    (
        *_COMMON,
        Column("area_ha", "float", True, "area, ha, ≥ 0", 0.0, None),
        _ROOT_SHOOT,
        Column("gw_t_per_ha", "float", False, "G_W, above-ground growth, t d.m./ha/yr", 0.0, None),
        Column("iv_m3_per_ha", "float", False, "I_V, net annual increment, m³/ha/yr", 0.0, None),
        Column("bcef_i", "float", False, "BCEF_I, t d.m. per m³ of increment", 0.0, None),
        _CF,
        Column("removals_m3", "float", False, "H, wood removals, m³/yr", 0.0, None),
        Column("bcef_r", "float", False, "BCEF_R, t d.m. per m³ removed", 0.0, None),
        Column(
            "fuelwood_trees_m3",
            "float",
            False,
            "FG_trees, fuelwood as whole trees, m³/yr",
            0.0,
            None,
        ),
        Column(
            "fuelwood_parts_m3", "float", False, "FG_part, fuelwood as tree parts, m³/yr", 0.0, None
        ),
        Column(
            "wood_density_t_per_m3", "float", False, "D, basic wood density, t d.m./m³", 0.0, None
        ),
        Column("disturbed_ha", "float", False, "A_disturbance, disturbed area, ha/yr", 0.0, None),
        Column(
            "disturbed_biomass_t_per_ha",
            "float",
            False,
            "B_W, above-ground biomass, t d.m./ha",
            0.0,
            None,
        ),
        Column(
            "disturbance_fraction", "float", False, "fd, fraction of biomass lost, 0–1", 0.0, 1.0
        ),
        _NOTE,
    ),
    "forest strata with their growth and losses per year",
)


def _limits(spec: TableSpec) -> dict[str, tuple[float, float | None]]:
    """The ranges of a spec's numbers (every one has a minimum)."""
    return {c.name: (c.minimum or 0.0, c.maximum) for c in spec.columns if c.kind == "float"}


@dataclass(frozen=True, eq=False)
class ForestSinks:
    """Forest carbon stock changes of a set of strata.

    Attributes:
        method: the IPCC method used.
        strata: one row per stratum and period (stock-difference: ``year_from``, ``year_to``,
            stocks in t C) or per stratum and year (gain–loss: gains and losses in t C/yr);
            always ``delta_c_tc`` (t C/yr) and ``net_emissions_tco2`` (t CO2/yr, + emission).
        totals: the strata summed per period or year, with ``n_strata``.
        yearly: ``year``, ``delta_c_tc``, ``net_emissions_tco2`` for every year that every
            stratum covers (stock-difference: each period's rate in each year ``t1 < y ≤ t2``).
        unverified: what used an unverified default, in words.
        notes: other remarks (years left out of ``yearly``, net sources).
        source: where the input came from (file name or label).
    """

    method: SinkMethod
    strata: pd.DataFrame
    totals: pd.DataFrame
    yearly: pd.DataFrame
    unverified: tuple[str, ...]
    notes: tuple[str, ...]
    source: str

    def net_emissions_by_year(self) -> pd.Series:
        """``net_emissions_tco2`` indexed by year (t CO2/yr; + emission, − removal): the
        ``sinks`` input of :func:`neutra.removals.neutrality.check_neutrality`."""
        s = pd.Series(
            self.yearly["net_emissions_tco2"].to_numpy(dtype=np.float64),
            index=pd.Index(self.yearly["year"].astype(int).to_numpy(), name="year"),
            name="net_emissions_tco2",
        )
        return s


# ---------------------------------------------------------------------------------------------
# Checks (shared by the programmatic API and the CSV reader)


def _where(label: str, rows: Sequence[int] | None, i: int) -> tuple[str, int]:
    """Location of item ``i``: the CSV row the user sees, or its 1-based position."""
    return label, (rows[i] if rows is not None else i + 1)


def _bad_number(v: float | None, *, minimum: float = 0.0, maximum: float | None = None) -> bool:
    if v is None:
        return False
    if not math.isfinite(v) or v < minimum:
        return True
    return maximum is not None and v > maximum


def _range_problems(
    label: str,
    row: int,
    values: dict[str, float | None],
    limits: dict[str, tuple[float, float | None]],
) -> list[Problem]:
    out = []
    for name, (lo, hi) in limits.items():
        v = values[name]
        if _bad_number(v, minimum=lo, maximum=hi):
            want = f"a number from {lo:g} to {hi:g}" if hi is not None else f"a number ≥ {lo:g}"
            out.append(Problem(label, row, name, repr(v), want))
    return out


def _single_inventories(
    keys: Sequence[tuple[str, int]], label: str, rows: Sequence[int] | None
) -> list[Problem]:
    """Strata with fewer than two inventory years (``keys``: each row's stratum and year),
    named at their first row."""
    first: dict[str, int] = {}
    years: dict[str, set[int]] = {}
    for i, (name, year) in enumerate(keys):
        first.setdefault(name, i)
        years.setdefault(name, set()).add(year)
    out = []
    for name, i in first.items():
        if len(years[name]) < 2:
            lab, row = _where(label, rows, i)
            out.append(
                Problem(
                    lab,
                    row,
                    "year",
                    f"{name} {keys[i][1]}",
                    "at least two inventory years for the stratum",
                )
            )
    return out


def _duplicates(
    label: str, keys: list[tuple[str, int]], rows: Sequence[int] | None
) -> list[Problem]:
    seen: dict[tuple[str, int], list[int]] = {}
    for i, k in enumerate(keys):
        seen.setdefault(k, []).append(_where(label, rows, i)[1])
    return [
        Problem(
            label, rs[0], "year", f"{k[0]} {k[1]}", "one row per stratum and year", None, tuple(rs)
        )
        for k, rs in seen.items()
        if len(rs) > 1
    ]


def check_inventories(
    items: Sequence[StockInventory],
    label: str = "stock inventories",
    rows: Sequence[int] | None = None,
    *,
    require_pairs: bool = True,
) -> list[Problem]:
    """Every problem of stock-difference input (empty list: usable); with ``require_pairs``,
    also every stratum with fewer than two inventory years."""
    problems: list[Problem] = []
    if not items:
        return [Problem(label, None, None, None, "at least two inventory years of one stratum")]
    for i, it in enumerate(items):
        lab, row = _where(label, rows, i)
        values = {
            "bcef_s": it.bcef_s,
            "root_shoot": it.root_shoot,
            "area_ha": it.area_ha,
            "volume_m3_per_ha": it.volume_m3_per_ha,
            "volume_m3": it.volume_m3,
            "carbon_fraction": it.carbon_fraction,
        }
        problems += _range_problems(lab, row, values, _limits(STOCK_DIFFERENCE))
        if not it.stratum.strip():
            problems.append(Problem(lab, row, "stratum", it.stratum, "the stratum's name"))
        if it.volume_m3 is None and it.volume_m3_per_ha is None:
            problems.append(
                Problem(
                    lab,
                    row,
                    "volume_m3_per_ha",
                    None,
                    "volume_m3_per_ha (with area_ha) or volume_m3",
                )
            )
        elif it.volume_m3 is not None and it.volume_m3_per_ha is not None:
            problems.append(
                Problem(
                    lab,
                    row,
                    "volume_m3",
                    f"{it.volume_m3} and {it.volume_m3_per_ha} m³/ha",
                    "either volume_m3 (total) or volume_m3_per_ha, not both",
                )
            )
        elif it.volume_m3_per_ha is not None and it.area_ha is None:
            problems.append(
                Problem(lab, row, "area_ha", None, "the stratum's area in ha (volume is per ha)")
            )
    keys = [(it.stratum, it.year) for it in items]
    problems += _duplicates(label, keys, rows)
    if require_pairs:
        problems += _single_inventories(keys, label, rows)
    return problems


def check_gain_loss(
    items: Sequence[GainLossYear], label: str = "gain-loss years", rows: Sequence[int] | None = None
) -> list[Problem]:
    """Every problem of gain–loss input (empty list: usable)."""
    if not items:
        return [Problem(label, None, None, None, "at least one stratum-year")]
    problems: list[Problem] = []
    for i, it in enumerate(items):
        lab, row = _where(label, rows, i)
        values: dict[str, float | None] = {
            "area_ha": it.area_ha,
            "root_shoot": it.root_shoot,
            "gw_t_per_ha": it.gw_t_per_ha,
            "iv_m3_per_ha": it.iv_m3_per_ha,
            "bcef_i": it.bcef_i,
            "carbon_fraction": it.carbon_fraction,
            "removals_m3": it.removals_m3,
            "bcef_r": it.bcef_r,
            "fuelwood_trees_m3": it.fuelwood_trees_m3,
            "fuelwood_parts_m3": it.fuelwood_parts_m3,
            "wood_density_t_per_m3": it.wood_density_t_per_m3,
            "disturbed_ha": it.disturbed_ha,
            "disturbed_biomass_t_per_ha": it.disturbed_biomass_t_per_ha,
            "disturbance_fraction": it.disturbance_fraction,
        }
        problems += _range_problems(lab, row, values, _limits(GAIN_LOSS))
        if not it.stratum.strip():
            problems.append(Problem(lab, row, "stratum", it.stratum, "the stratum's name"))
        by_gw = it.gw_t_per_ha is not None
        by_iv = it.iv_m3_per_ha is not None or it.bcef_i is not None
        if by_gw and by_iv:
            problems.append(
                Problem(
                    lab,
                    row,
                    "gw_t_per_ha",
                    str(it.gw_t_per_ha),
                    "either gw_t_per_ha or iv_m3_per_ha with bcef_i, not both",
                )
            )
        elif not by_gw and not by_iv:
            problems.append(
                Problem(
                    lab,
                    row,
                    "gw_t_per_ha",
                    None,
                    "the growth: gw_t_per_ha, or iv_m3_per_ha with bcef_i",
                )
            )
        elif by_iv and (it.iv_m3_per_ha is None or it.bcef_i is None):
            missing = "bcef_i" if it.bcef_i is None else "iv_m3_per_ha"
            problems.append(
                Problem(lab, row, missing, None, "iv_m3_per_ha and bcef_i together (Eq. 2.10)")
            )
        if (it.removals_m3 > 0 or it.fuelwood_trees_m3 > 0) and it.bcef_r is None:
            problems.append(
                Problem(
                    lab,
                    row,
                    "bcef_r",
                    None,
                    "BCEF_R, t d.m./m³, for the wood removed (Eq. 2.12, 2.13)",
                )
            )
        if it.fuelwood_parts_m3 > 0 and it.wood_density_t_per_m3 is None:
            problems.append(
                Problem(
                    lab,
                    row,
                    "wood_density_t_per_m3",
                    None,
                    "D, t d.m./m³, for fuelwood removed as tree parts (Eq. 2.13)",
                )
            )
        if it.disturbed_ha > 0:
            for name, v in (
                ("disturbed_biomass_t_per_ha", it.disturbed_biomass_t_per_ha),
                ("disturbance_fraction", it.disturbance_fraction),
            ):
                if v is None:
                    problems.append(
                        Problem(lab, row, name, None, f"{name} for the disturbed area (Eq. 2.14)")
                    )
    problems += _duplicates(label, [(it.stratum, it.year) for it in items], rows)
    return problems


# ---------------------------------------------------------------------------------------------
# Engines


def _cf(values: Sequence[float | None]) -> tuple[np.ndarray, np.ndarray]:
    """Carbon fractions with the default filled in, and the mask of rows that used it."""
    used = np.array([v is None for v in values], dtype=bool)
    cf = np.array([DEFAULT_CARBON_FRACTION if v is None else v for v in values], dtype=np.float64)
    return cf, used


def _unverified(frame: pd.DataFrame) -> tuple[str, ...]:
    """What used the unverified default carbon fraction: the rows of ``frame`` (``stratum``,
    ``year``) whose ``cf_default`` is set."""
    used = frame["cf_default"].to_numpy(dtype=bool)
    if not used.any():
        return ()
    where = sorted(
        {f"{s} {int(y)}" for s, y in zip(frame["stratum"][used], frame["year"][used], strict=True)}
    )
    return (f"{DEFAULT_CF_SOURCE}, used for: {', '.join(where)}",)


def _yearly(per_year: pd.DataFrame, strata: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """Sum ``per_year`` (stratum, year, delta_c_tc) over strata for the years all strata cover."""
    n = per_year.groupby("year")["stratum"].nunique()
    full = sorted(int(y) for y, k in n.items() if k == len(strata))
    partial = sorted(int(y) for y, k in n.items() if k != len(strata))
    notes = []
    if partial:
        notes.append(
            "years left out of the yearly totals because not every stratum covers them: "
            + ", ".join(map(str, partial))
        )
    g = per_year[per_year["year"].isin(full)].groupby("year", sort=True)["delta_c_tc"].sum()
    out = pd.DataFrame({"year": g.index.astype(int), "delta_c_tc": g.to_numpy(dtype=np.float64)})
    return out.reset_index(drop=True), notes


def stock_difference(
    inventories: Sequence[StockInventory], source: str = "stock inventories"
) -> ForestSinks:
    """Annual carbon stock change of living biomass between inventories (Eq. 2.8).

    Per stratum, for each pair of consecutive inventory years ``t1 < t2``:
    ``C = V × BCEF_S × (1 + R) × CF`` at each year, ``ΔC = (C_t2 − C_t1)/(t2 − t1)`` t C/yr,
    ``net_emissions_tco2 = −ΔC × 44/12``.

    Raises:
        PlanValidationError: every problem of the input at once.
    """
    raise_if_problems(check_inventories(inventories, source))
    return _stock_difference(inventories, source)


def _stock_difference(inventories: Sequence[StockInventory], source: str) -> ForestSinks:
    """:func:`stock_difference` of inventories already checked (:func:`check_inventories`)."""
    cf, used = _cf([it.carbon_fraction for it in inventories])
    f = pd.DataFrame(
        {
            "stratum": [it.stratum for it in inventories],
            "year": np.array([it.year for it in inventories], dtype=np.int64),
            "area_ha": np.array(
                [np.nan if it.area_ha is None else it.area_ha for it in inventories]
            ),
            "volume_m3": np.array(
                [
                    it.volume_m3
                    if it.volume_m3 is not None
                    else (it.area_ha or 0.0) * (it.volume_m3_per_ha or 0.0)
                    for it in inventories
                ]
            ),
            "bcef_s": np.array([it.bcef_s for it in inventories], dtype=np.float64),
            "root_shoot": np.array([it.root_shoot for it in inventories], dtype=np.float64),
            "carbon_fraction": cf,
            "cf_default": used,
        }
    )
    # Eq. 2.8: C = V × BCEF_S × (1 + R) × CF, t C
    f["stock_tc"] = f["volume_m3"] * f["bcef_s"] * (1.0 + f["root_shoot"]) * f["carbon_fraction"]
    f = f.sort_values(["stratum", "year"], kind="stable").reset_index(drop=True)
    order = list(dict.fromkeys(it.stratum for it in inventories))
    periods = []
    per_year = []
    for name in order:
        g = f[f["stratum"] == name]
        for a, b in zip(g.iloc[:-1].itertuples(), g.iloc[1:].itertuples(), strict=True):
            span = int(b.year) - int(a.year)
            dc = (float(b.stock_tc) - float(a.stock_tc)) / span  # Eq. 2.8, t C/yr
            periods.append(
                {
                    "stratum": name,
                    "year_from": int(a.year),
                    "year_to": int(b.year),
                    "area_from_ha": float(a.area_ha),
                    "area_to_ha": float(b.area_ha),
                    "stock_from_tc": float(a.stock_tc),
                    "stock_to_tc": float(b.stock_tc),
                    "delta_c_tc": dc,
                    "cf_default": bool(a.cf_default or b.cf_default),
                }
            )
            per_year += [
                {"stratum": name, "year": y, "delta_c_tc": dc}
                for y in range(int(a.year) + 1, int(b.year) + 1)
            ]
    strata = pd.DataFrame(periods)
    totals = (
        strata.groupby(["year_from", "year_to"], sort=True)
        .agg(
            n_strata=("stratum", "nunique"),
            stock_from_tc=("stock_from_tc", "sum"),
            stock_to_tc=("stock_to_tc", "sum"),
            delta_c_tc=("delta_c_tc", "sum"),
        )
        .reset_index()
    )
    return _sinks(SinkMethod.STOCK_DIFFERENCE, strata, totals, pd.DataFrame(per_year), f, source)


def _source_notes(strata: pd.DataFrame, *cols: str) -> list[str]:
    src = strata[strata["net_emissions_tco2"] > 0]
    if src.empty:
        return []
    when = ", ".join(
        f"{r['stratum']} {'–'.join(str(int(r[c])) for c in cols)}" for r in src.to_dict("records")
    )
    return [f"net source (stock falling) in: {when}"]


def _opt(v: float | None) -> float:
    return np.nan if v is None else float(v)


def gain_loss(items: Sequence[GainLossYear], source: str = "gain-loss years") -> ForestSinks:
    """Annual carbon stock change of living biomass from gains and losses (Eq. 2.7, 2.9–2.14).

    Raises:
        PlanValidationError: every problem of the input at once.
    """
    raise_if_problems(check_gain_loss(items, source))
    return _gain_loss(items, source)


def _gain_loss(items: Sequence[GainLossYear], source: str) -> ForestSinks:
    """:func:`gain_loss` of stratum-years already checked (:func:`check_gain_loss`)."""
    cf, used = _cf([it.carbon_fraction for it in items])
    r1 = 1.0 + np.array([it.root_shoot for it in items], dtype=np.float64)
    area = np.array([it.area_ha for it in items], dtype=np.float64)
    # Eq. 2.10: G_W, or I_V × BCEF_I (above-ground growth, t d.m./ha/yr); × (1 + R) = G_TOTAL
    gw = np.array(
        [
            it.gw_t_per_ha
            if it.gw_t_per_ha is not None
            else _opt(it.iv_m3_per_ha) * _opt(it.bcef_i)
            for it in items
        ],
        dtype=np.float64,
    )
    gain = area * gw * r1 * cf  # Eq. 2.9, t C/yr
    bcef_r = np.array([_opt(it.bcef_r) for it in items], dtype=np.float64)
    h = np.array([it.removals_m3 for it in items], dtype=np.float64)
    fg_trees = np.array([it.fuelwood_trees_m3 for it in items], dtype=np.float64)
    fg_part = np.array([it.fuelwood_parts_m3 for it in items], dtype=np.float64)
    dens = np.array([_opt(it.wood_density_t_per_m3) for it in items], dtype=np.float64)
    a_dist = np.array([it.disturbed_ha for it in items], dtype=np.float64)
    b_w = np.array([_opt(it.disturbed_biomass_t_per_ha) for it in items], dtype=np.float64)
    fd = np.array([_opt(it.disturbance_fraction) for it in items], dtype=np.float64)
    # A zero amount is no loss whatever its (possibly blank) factors.
    loss_wood = np.where(h > 0, h * bcef_r * r1 * cf, 0.0)  # Eq. 2.12
    loss_fuel = (
        np.where(fg_trees > 0, fg_trees * bcef_r * r1, 0.0)
        + np.where(fg_part > 0, fg_part * dens, 0.0)
    ) * cf  # Eq. 2.13
    loss_dist = np.where(a_dist > 0, a_dist * b_w * r1 * cf * fd, 0.0)  # Eq. 2.14
    loss = loss_wood + loss_fuel + loss_dist  # Eq. 2.11
    delta = gain - loss  # Eq. 2.7
    strata = pd.DataFrame(
        {
            "stratum": [it.stratum for it in items],
            "year": np.array([it.year for it in items], dtype=np.int64),
            "area_ha": area,
            "gain_tc": gain,
            "loss_wood_removals_tc": loss_wood,
            "loss_fuelwood_tc": loss_fuel,
            "loss_disturbance_tc": loss_dist,
            "loss_tc": loss,
            "delta_c_tc": delta,
            "cf_default": used,
        }
    )
    strata = strata.sort_values(["year"], kind="stable").reset_index(drop=True)
    sums = [
        "area_ha",
        "gain_tc",
        "loss_wood_removals_tc",
        "loss_fuelwood_tc",
        "loss_disturbance_tc",
        "loss_tc",
        "delta_c_tc",
    ]
    totals = strata.groupby("year", sort=True)[sums].sum().reset_index()
    totals.insert(1, "n_strata", strata.groupby("year", sort=True)["stratum"].nunique().to_numpy())
    per_year = strata[["stratum", "year", "delta_c_tc"]]
    return _sinks(SinkMethod.GAIN_LOSS, strata, totals, per_year, strata, source)


def _sinks(
    method: SinkMethod,
    strata: pd.DataFrame,
    totals: pd.DataFrame,
    per_year: pd.DataFrame,
    inputs: pd.DataFrame,
    source: str,
) -> ForestSinks:
    """The result of either method: the net emissions of the strata, totals and years
    (``−ΔC × 44/12``, after each ``delta_c_tc``), the yearly sums for the years every stratum
    covers, notes on net sources, and what used the default carbon fraction (``inputs``: one
    row per input record, with ``stratum``, ``year`` and ``cf_default``)."""
    yearly, notes = _yearly(per_year, list(dict.fromkeys(inputs["stratum"])))
    for frame in (strata, totals, yearly):
        at = int(frame.columns.get_loc("delta_c_tc")) + 1
        frame.insert(at, "net_emissions_tco2", -frame["delta_c_tc"] * C_TO_CO2)
    period = ("year_from", "year_to") if method is SinkMethod.STOCK_DIFFERENCE else ("year",)
    notes += _source_notes(strata, *period)
    return ForestSinks(method, strata, totals, yearly, _unverified(inputs), tuple(notes), source)


# ---------------------------------------------------------------------------------------------
# The documented JSON


def json_document(result: ForestSinks) -> dict[str, Any]:
    """The ``neutra.sinks/1`` document of a result (numbers rounded to 6 decimals)."""
    return {
        "schema": SCHEMA,
        "method": result.method.value,
        "table": result.source,
        "sign_convention": SIGN_CONVENTION,
        "units": {
            "delta_c_tc": "t C/yr",
            "net_emissions_tco2": "t CO2/yr",
            "stock_tc": "t C",
            "gain_tc": "t C/yr",
            "loss_tc": "t C/yr",
            "area_ha": "ha",
        },
        "equations": SOURCES[result.method.value],
        "strata": frame_records(result.strata),
        "totals": frame_records(result.totals),
        "yearly": frame_records(result.yearly),
        "unverified": list(result.unverified),
        "notes": list(result.notes),
    }


__all__ = [
    "C_TO_CO2",
    "DEFAULT_CARBON_FRACTION",
    "GAIN_LOSS",
    "SCHEMA",
    "SIGN_CONVENTION",
    "STOCK_DIFFERENCE",
    "ForestSinks",
    "GainLossYear",
    "SinkMethod",
    "StockInventory",
    "check_gain_loss",
    "check_inventories",
    "gain_loss",
    "json_document",
    "stock_difference",
]
