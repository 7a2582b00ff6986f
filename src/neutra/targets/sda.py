"""Science-based targets by the sectoral decarbonisation approach (SDA).

Method: Krabbe et al. (2015), "Aligning corporate greenhouse-gas emissions targets with climate
goals", Nature Climate Change 5:1057–1060, and the SBTi report "Sectoral Decarbonization Approach
(SDA)", version 1, May 2015. A company's emission intensity converges on its sector's intensity
in the convergence year (2050):

    d    = I_c(b) − I_s(2050)                                   initial performance
    p(t) = (I_s(t) − I_s(2050)) / (I_s(b) − I_s(2050))          sector decarbonisation index
    m(t) = (CA(b) / SA(b)) / (CA(t) / SA(t))                    market-share parameter
    I_c(t) = d × p(t) × m(t) + I_s(2050)                        company intensity target
    E_c(t) = I_c(t) × CA(t)                                     absolute target, t CO2e

with ``b`` the base year, ``I_s`` the sector's intensity pathway, ``CA`` the company's activity
and ``SA`` the sector's. The formulas were checked against two public write-ups of the method:
the r2dii.analysis "SDA target" vignette (d, m and p as above; its code adds ``I_s(2050)``, not
``I_s(t)``, to ``d × p``) and a public SDA calculator citing the SBTi SDA report (steps 1–4,
``initial_performance × decarbonization_index × market_share_parameter + I_s(2050)``). With
``I_s(2050)`` the target starts at the company's own base intensity (p = m = 1 in ``b``) and ends
at the sector's (p = 0 in 2050) whatever the base intensity.

Sector pathways are data the user supplies (a CSV with ``sector, year, intensity, unit,
activity, source, verified``): the SBTi pathways are derived from IEA scenarios, which may not be
shipped, so none is packaged. A pathway not verified against its source is flagged in every
result that used it.

Assumptions (stated, not hidden): no interpolation — the target is computed in the pathway's
years only; the market-share parameter is not capped (some tools cap m at 1 for a company that
loses share; that rule is not confirmed in our sources); without the company's projected activity
the company keeps its market share (m = 1) and grows with the sector.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from neutra.errors import PlanValidationError, Problem, raise_if_problems
from neutra.io.tables import TableText, duplicate_keys, raw_text_table, type_table
from neutra.model.tables import Column, TableSpec

METHOD = "sda-2015"  # Krabbe et al. 2015 / SBTi SDA report v1 (May 2015)
CONVERGENCE_YEAR = 2050  # Krabbe et al. 2015: intensities converge in 2050
INPUT = "SDA input"  # the "file" of problems with the arguments themselves

PATHWAY = TableSpec(
    "sda_pathway",
    (
        Column("sector", "str", True, "sector name, e.g. cement, iron_and_steel"),
        Column("year", "int", True, "year of the pathway", 1900, 2200),
        Column("intensity", "float", True, "sector emission intensity, in `unit`"),
        Column("unit", "str", True, "unit of intensity, e.g. t CO2/t cement"),
        Column("activity", "float", False, "sector activity in the year (> 0)", 0.0, None),
        Column("activity_unit", "str", False, "unit of activity, e.g. Mt cement"),
        Column("source", "str", True, "document, table and edition the figures come from"),
        Column("verified", "bool", True, "true if checked against the source (是/否)"),
        Column("note", "str", False, "free text"),
    ),
    "a sector intensity pathway for the sectoral decarbonisation approach",
)

# Chinese headers of a pathway table.
PATHWAY_HEADER_ALIASES: dict[str, str] = {
    "部门": "sector",
    "行业": "sector",
    "年份": "year",
    "强度": "intensity",
    "排放强度": "intensity",
    "单位": "unit",
    "活动水平": "activity",
    "产量": "activity",
    "活动水平单位": "activity_unit",
    "来源": "source",
    "已核实": "verified",
    "备注": "note",
}


@dataclass(frozen=True, slots=True)
class SectorPathway:
    """One sector's intensity pathway, checked.

    Attributes:
        sector: the sector's name.
        unit: unit of the intensities (t CO2e per unit of activity).
        years: the years, ascending.
        intensity: the sector's intensity in each year, ``unit``.
        activity: the sector's activity in each year (any unit, ratios only), or ``None``.
        sources: the distinct sources of the rows.
        verified: every row verified against its source.
        label: the file (or name) the pathway came from, for messages.
        rows: the row of each year in the file (header = row 1), or empty.
    """

    sector: str
    unit: str
    years: tuple[int, ...]
    intensity: tuple[float, ...]
    activity: tuple[float, ...] | None
    sources: tuple[str, ...]
    verified: bool
    label: str = "pathway"
    rows: tuple[int, ...] = ()

    def index(self, year: int) -> int | None:
        """Position of ``year`` in :attr:`years`, or ``None``."""
        try:
            return self.years.index(year)
        except ValueError:
            return None


@dataclass(frozen=True, slots=True)
class SdaTarget:
    """A company's SDA target and its pathway.

    Attributes:
        method: ``sda-2015``.
        sector, unit: the sector pathway's name and intensity unit.
        base_year, base_emissions, base_activity, base_intensity: the company in the base year
            (t CO2e; activity in the unit of the intensity's denominator; ``unit``).
        target_year, target_intensity: the target (``unit``).
        target_activity, target_emissions: company activity and absolute target (t CO2e) in the
            target year; ``None`` when the company's activity there is not known.
        convergence_year, convergence_intensity: the sector's intensity the company converges on.
        distance: ``d = I_c(b) − I_s(convergence year)``.
        market_share: ``"constant"`` (m = 1) or ``"projected"`` (from the company's activity).
        verified: the pathway's figures are all verified.
        sources: the pathway's sources.
        pathway: year, sector_intensity, sector_activity, p, m, company_activity, intensity,
            emissions — the pathway's years from the base to the target year.
        notes: what the user must know to read the result.
    """

    method: str
    sector: str
    unit: str
    base_year: int
    base_emissions: float
    base_activity: float
    base_intensity: float
    target_year: int
    target_intensity: float
    target_activity: float | None
    target_emissions: float | None
    convergence_year: int
    convergence_intensity: float
    distance: float
    market_share: str
    verified: bool
    sources: tuple[str, ...]
    pathway: pd.DataFrame
    notes: tuple[str, ...] = ()


def _finite(x: float) -> bool:
    return isinstance(x, int | float) and math.isfinite(x)


def _input(field: str, value: str | None, expected: str) -> Problem:
    """A problem with the arguments themselves (the "file" :data:`INPUT`)."""
    return Problem(INPUT, None, field, value, expected)


def sector_pathway(
    sector: str,
    unit: str,
    intensity: Mapping[int, float],
    *,
    source: str,
    verified: bool,
    activity: Mapping[int, float] | None = None,
    label: str = "pathway",
) -> SectorPathway:
    """A sector pathway from mappings of year → value; every problem at once.

    Args:
        sector: the sector's name.
        unit: unit of the intensities, e.g. ``t CO2/t cement``.
        intensity: the sector's intensity by year, ``unit``.
        source: where the figures come from (document, table, edition).
        verified: whether they were checked against that source.
        activity: the sector's activity by year (> 0), the same years as ``intensity``.
        label: a name for messages.
    """
    problems: list[Problem] = []
    if not sector.strip():
        problems.append(Problem(label, None, "sector", sector, "a sector name"))
    if not unit.strip():
        problems.append(Problem(label, None, "unit", unit, "the unit of the intensities"))
    if not source.strip():
        problems.append(Problem(label, None, "source", source, "the source of the figures"))
    if not intensity:
        problems.append(Problem(label, None, "intensity", None, "at least one year"))
    for year, value in intensity.items():
        if not _finite(value):
            problems.append(
                Problem(label, None, "intensity", f"{year}: {value}", "a finite number")
            )
    if activity is not None:
        if set(activity) != set(intensity):
            problems.append(
                Problem(
                    label,
                    None,
                    "activity",
                    ", ".join(str(y) for y in sorted(set(activity) ^ set(intensity))),
                    "an activity for every year of the intensities and for no other year",
                )
            )
        for year, value in activity.items():
            if not _finite(value) or value <= 0:
                problems.append(
                    Problem(label, None, "activity", f"{year}: {value}", "a finite number > 0")
                )
    raise_if_problems(problems)
    years = tuple(sorted(int(y) for y in intensity))
    return SectorPathway(
        sector.strip(),
        unit.strip(),
        years,
        tuple(float(intensity[y]) for y in years),
        None if activity is None else tuple(float(activity[y]) for y in years),
        (source.strip(),),
        bool(verified),
        label,
    )


def parse_sector_pathways(text: str, label: str) -> dict[str, SectorPathway]:
    """Sector pathways from the text of a pathway CSV (a file is read by
    :func:`neutra.io.tables.read_text_file`: UTF-8 or GBK), by sector.

    Columns: ``sector, year, intensity, unit, source, verified`` (required), ``activity``,
    ``activity_unit``, ``note`` (optional); Chinese headers such as 部门, 年份, 排放强度 are
    understood. Every problem of the table is reported at once, by row and field.

    Raises:
        PlanValidationError: every problem of the table.
    """
    raw = raw_text_table(TableText(text, label), PATHWAY, PATHWAY_HEADER_ALIASES)
    typed, _bad = type_table(raw)
    problems = list(raw.problems)
    raise_if_problems(problems)
    problems += duplicate_keys(raw, typed, ["sector", "year"], "year of a sector")
    has_activity = "activity" in typed.columns
    out: dict[str, SectorPathway] = {}
    for sector, g in typed.groupby("sector", sort=False):
        rows = [int(r) for r in g["row"]]
        units = list(dict.fromkeys(g["unit"]))
        if len(units) > 1:
            other = g[g["unit"] != units[0]]
            rs = tuple(int(r) for r in other["row"])
            problems.append(
                Problem(
                    label,
                    rs[0],
                    "unit",
                    str(other["unit"].iloc[0]),
                    f"the same unit on every row of {sector} ({units[0]!r}, as in row {rows[0]})",
                    None,
                    rs if len(rs) > 1 else (),
                )
            )
        activity = None
        if has_activity:
            act = g["activity"].to_numpy(dtype=float)
            given = ~np.isnan(act)
            if given.any() and not given.all():
                rs = tuple(int(r) for r in g["row"][~given])
                problems.append(
                    Problem(
                        label,
                        rs[0],
                        "activity",
                        None,
                        f"an activity on every row of {sector}, or on none",
                        None,
                        rs if len(rs) > 1 else (),
                    )
                )
            zero = given & (act <= 0)
            if zero.any():
                rs = tuple(int(r) for r in g["row"][zero])
                problems.append(
                    Problem(
                        label,
                        rs[0],
                        "activity",
                        "0",
                        "a sector activity > 0 (the market share divides by it)",
                        None,
                        rs if len(rs) > 1 else (),
                    )
                )
            if given.all():
                activity = act
        if problems:
            continue
        order = np.argsort(g["year"].to_numpy(dtype=np.int64), kind="stable")
        out[str(sector)] = SectorPathway(
            str(sector),
            units[0],
            tuple(int(y) for y in g["year"].to_numpy()[order]),
            tuple(float(v) for v in g["intensity"].to_numpy(dtype=float)[order]),
            None if activity is None else tuple(float(v) for v in activity[order]),
            tuple(str(s) for s in dict.fromkeys(g["source"])),
            bool(g["verified"].astype(bool).all()),
            label,
            tuple(rows[i] for i in order),
        )
    raise_if_problems(problems)
    return out


def _pathway_problem(pw: SectorPathway, year: int, what: str) -> Problem:
    return Problem(pw.label, None, "year", str(year), f"a row of sector {pw.sector!r} for {what}")


def sectoral_decarbonisation(
    pathway: SectorPathway,
    base_year: int,
    base_emissions: float,
    base_activity: float,
    target_year: int,
    company_activity: Mapping[int, float] | None = None,
    *,
    convergence_year: int = CONVERGENCE_YEAR,
) -> SdaTarget:
    """The company's SDA intensity pathway and absolute target; every problem at once.

    Args:
        pathway: the sector's pathway; it must have the base, target and convergence years.
        base_year: the company's base year ``b``.
        base_emissions: the company's emissions in ``b``, t CO2e (≥ 0).
        base_activity: the company's activity in ``b`` (> 0), in the unit of the intensity's
            denominator (e.g. t cement for t CO2/t cement).
        target_year: the target year, after ``b`` and not after the convergence year.
        company_activity: the company's projected activity for every pathway year after ``b``
            up to the target year (same unit as ``base_activity``); ``None``: the company keeps
            its market share (m = 1) and its activity grows with the sector's.
        convergence_year: the year the intensities converge (2050 in Krabbe et al. 2015).
    """
    problems: list[Problem] = []
    if not _finite(base_emissions) or base_emissions < 0:
        problems.append(_input("base_emissions", str(base_emissions), "a finite number ≥ 0 (t)"))
    if not _finite(base_activity) or base_activity <= 0:
        problems.append(
            _input(
                "base_activity",
                str(base_activity),
                "a finite number > 0 (the company's activity in the base year)",
            )
        )
    if target_year <= base_year:
        problems.append(
            _input("target_year", str(target_year), f"a year after the base year {base_year}")
        )
    if target_year > convergence_year:
        problems.append(
            _input(
                "target_year",
                str(target_year),
                f"a year not after the convergence year {convergence_year}",
            )
        )
    ib = pathway.index(base_year)
    ic = pathway.index(convergence_year)
    it = pathway.index(target_year)
    if ib is None:
        problems.append(_pathway_problem(pathway, base_year, f"the base year {base_year}"))
    if ic is None:
        problems.append(
            _pathway_problem(pathway, convergence_year, f"the convergence year {convergence_year}")
        )
    if it is None and target_year != convergence_year:
        problems.append(_pathway_problem(pathway, target_year, f"the target year {target_year}"))
    if ib is not None and ic is not None and pathway.intensity[ib] == pathway.intensity[ic]:
        row = pathway.rows[ib] if pathway.rows else None
        problems.append(
            Problem(
                pathway.label,
                row,
                "intensity",
                str(pathway.intensity[ib]),
                f"a sector intensity in {base_year} different from that in {convergence_year} "
                "(the decarbonisation index divides by their difference)",
            )
        )
    years = [y for y in pathway.years if base_year <= y <= target_year]
    later = [y for y in years if y > base_year]
    if company_activity is not None:
        if pathway.activity is None:
            problems.append(
                Problem(
                    pathway.label,
                    None,
                    "activity",
                    None,
                    f"the sector's activity for {pathway.sector!r} (the market-share parameter "
                    "needs it when the company's activity is projected)",
                )
            )
        missing = [y for y in later if y not in company_activity]
        if missing:
            problems.append(
                _input(
                    "company_activity",
                    None,
                    "the company's activity in every pathway year after the base year up to "
                    f"the target year; missing: {', '.join(map(str, missing))}",
                )
            )
        for year, value in sorted(company_activity.items()):
            given = f"{year}: {value}"
            if year == base_year and value != base_activity:
                problems.append(
                    _input(
                        "company_activity",
                        given,
                        f"the base-year activity {base_activity} (or no base-year entry)",
                    )
                )
            elif base_year < year <= target_year and year not in pathway.years:
                problems.append(
                    _input(
                        "company_activity",
                        given,
                        f"a year of the sector pathway ({', '.join(map(str, later))})",
                    )
                )
            elif not _finite(value) or value <= 0:
                problems.append(_input("company_activity", given, "a finite number > 0"))
    if problems or ib is None or ic is None:  # a missing ib / ic is among the problems
        raise PlanValidationError(problems)

    y = np.asarray(years, dtype=np.int64)
    idx = [pathway.years.index(int(v)) for v in years]
    i_s = np.asarray([pathway.intensity[i] for i in idx], dtype=float)
    i_s_base, i_s_conv = pathway.intensity[ib], pathway.intensity[ic]
    base_intensity = base_emissions / base_activity
    d = base_intensity - i_s_conv
    p = (i_s - i_s_conv) / (i_s_base - i_s_conv)
    notes: list[str] = []
    sa = None if pathway.activity is None else np.asarray([pathway.activity[i] for i in idx])
    if company_activity is not None and sa is not None:
        ca = np.asarray(
            [base_activity if v == base_year else float(company_activity[int(v)]) for v in y]
        )
        m = (base_activity / sa[0]) / (ca / sa)
        share = "projected"
    else:
        m = np.ones(len(y))
        share = "constant"
        if sa is not None:
            ca = base_activity * sa / sa[0]
        else:
            ca = np.full(len(y), np.nan)
            ca[0] = base_activity
            notes.append(
                "the pathway has no sector activity and no company activity was given: the "
                "market share is taken as constant (m = 1) and the absolute target is not known"
            )
    intensity = d * p * m + i_s_conv
    emissions = intensity * ca
    if d < 0:
        notes.append(
            f"the base intensity {base_intensity:g} is already below the sector's "
            f"{convergence_year} intensity {i_s_conv:g}: the SDA pathway rises toward it"
        )
    if not pathway.verified:
        notes.append(
            f"the sector pathway {pathway.sector!r} ({pathway.label}) is not verified against "
            f"its source ({'; '.join(pathway.sources)}): results are unverified"
        )
    table = pd.DataFrame(
        {
            "year": y,
            "sector_intensity": i_s,
            "sector_activity": sa if sa is not None else np.full(len(y), np.nan),
            "p": p,
            "m": m,
            "company_activity": ca,
            "intensity": intensity,
            "emissions": emissions,
        }
    )
    end_emissions = float(emissions[-1])
    return SdaTarget(
        METHOD,
        pathway.sector,
        pathway.unit,
        base_year,
        float(base_emissions),
        float(base_activity),
        float(base_intensity),
        target_year,
        float(intensity[-1]),
        None if math.isnan(ca[-1]) else float(ca[-1]),
        None if math.isnan(end_emissions) else end_emissions,
        convergence_year,
        float(i_s_conv),
        float(d),
        share,
        pathway.verified,
        pathway.sources,
        table,
        tuple(notes),
    )


__all__ = [
    "CONVERGENCE_YEAR",
    "METHOD",
    "PATHWAY",
    "SdaTarget",
    "SectorPathway",
    "parse_sector_pathways",
    "sector_pathway",
    "sectoral_decarbonisation",
]
