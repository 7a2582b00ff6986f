"""Net-zero targets: deep reduction plus neutralisation of the residual.

SBTi Corporate Net-Zero Standard (v1.0, October 2021), as summarised in SOURCES.md "Targets"
[R]: at least **90 %** absolute reduction of gross emissions from the base year by 2050 (or by
the net-zero year, if earlier), and the residual emissions **neutralised** by removals. So

    max residual          R_max = E_base × (1 − 0.90)
    deep reduction met    E_gross(Y) ≤ R_max
    neutralised           removals(Y) ≥ E_gross(Y)

in the net-zero year Y and in every later year of a pathway. Removals count only for
neutralisation, never as reduction: the 90 % is a cut of *gross* emissions. Offsets (avoided
emissions, credits bought) are kept apart and count for neither; they are reported so that the
user sees they were left out. Whether removals are permanent is the user's responsibility.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from neutra.errors import PlanValidationError, Problem, raise_if_problems
from neutra.targets.sbti import NET_ZERO_REDUCTION, base_and_year_problems

STANDARD = "sbti-cnzs-v1"  # SBTi Corporate Net-Zero Standard v1.0 (Oct 2021)
LATEST_NET_ZERO_YEAR = 2050  # the standard: net zero by 2050 at the latest (SOURCES.md)


@dataclass(frozen=True, slots=True)
class NetZeroTarget:
    """A net-zero target.

    Attributes:
        standard: the standard applied (``sbti-cnzs-v1``).
        base_year, base_emissions: the base year and its gross emissions, t CO2e.
        netzero_year: the year net zero is to be reached.
        min_reduction: the least absolute cut of gross emissions (0.90).
        max_residual: the most gross emissions may be in the net-zero year, t CO2e.
        residual: the planned residual, t CO2e (``max_residual`` unless given).
        reduction: the cut the planned residual means, fraction of the base.
        required_neutralisation: removals needed in the net-zero year, t CO2e (= residual).
        deep_reduction_met: the planned residual is within the most allowed.
        deep_reduction_gap: how much the planned residual exceeds the most allowed, t CO2e.
        notes: what the user must know to read the result.
    """

    standard: str
    base_year: int
    base_emissions: float
    netzero_year: int
    min_reduction: float
    max_residual: float
    residual: float
    reduction: float
    required_neutralisation: float
    deep_reduction_met: bool
    deep_reduction_gap: float
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NetZeroCheck:
    """A pathway of gross emissions and removals held against a net-zero target.

    Attributes:
        target: the target.
        years: year, gross, removals, offsets, net (gross − removals), reduction (of gross
            against the base), deep_reduction_met, neutralised, net_zero — every year of the
            pathway; the criteria apply from the net-zero year on (``None`` before it).
        gross, removals, offsets: in the net-zero year, t CO2e.
        reduction: the cut of gross emissions in the net-zero year, fraction of the base.
        deep_reduction_met: gross emissions within the most allowed residual in the net-zero
            year and every later year of the pathway.
        deep_reduction_gap: gross − max residual in the net-zero year if > 0, else 0, t CO2e.
        neutralised: removals ≥ gross in the net-zero year and every later year.
        neutralisation_gap: gross − removals in the net-zero year if > 0, else 0, t CO2e.
        net_zero: both criteria met.
        years_failing: years from the net-zero year on in which a criterion is not met.
        notes: what the user must know to read the result.
    """

    target: NetZeroTarget
    years: pd.DataFrame
    gross: float
    removals: float
    offsets: float
    reduction: float
    deep_reduction_met: bool
    deep_reduction_gap: float
    neutralised: bool
    neutralisation_gap: float
    net_zero: bool
    years_failing: tuple[int, ...]
    notes: tuple[str, ...] = ()


_TOL = 1e-9  # relative tolerance of the comparisons, of the base emissions


def _finite(x: object) -> bool:
    return isinstance(x, int | float) and math.isfinite(x)


def netzero_target(
    base_year: int,
    base_emissions: float,
    netzero_year: int,
    residual: float | None = None,
) -> NetZeroTarget:
    """The most residual emissions allowed and the neutralisation required; all problems at once.

    Args:
        base_year: the base year.
        base_emissions: gross emissions in the base year, t CO2e (≥ 0).
        netzero_year: the year net zero is to be reached (after the base year).
        residual: the planned residual emissions in the net-zero year, t CO2e (≥ 0);
            ``None``: the most allowed.
    """
    problems = base_and_year_problems(base_year, base_emissions, netzero_year, "netzero_year")
    if residual is not None and (not _finite(residual) or residual < 0):
        problems.append(
            Problem("--residual", None, "residual", str(residual), "a finite number ≥ 0 (t CO2e)")
        )
    raise_if_problems(problems)
    # 1 − 0.90 is 0.0999…98 in binary floating point: round the fraction to 12 digits so that
    # a residual of exactly 10 % of the base is within the most allowed.
    max_residual = base_emissions * round(1.0 - NET_ZERO_REDUCTION, 12)
    planned = max_residual if residual is None else float(residual)
    gap = planned - max_residual
    gap = gap if gap > _TOL * max(base_emissions, 1.0) else 0.0
    notes: list[str] = []
    if netzero_year > LATEST_NET_ZERO_YEAR:
        notes.append(
            f"net-zero year {netzero_year} is after {LATEST_NET_ZERO_YEAR}: the SBTi standard "
            f"asks for net zero by {LATEST_NET_ZERO_YEAR} at the latest"
        )
    if gap > 0:
        notes.append(
            f"the planned residual exceeds the most allowed ({max_residual:,.0f} t CO2e, "
            f"{(1 - NET_ZERO_REDUCTION) * 100:.0f} % of the base) by {gap:,.0f} t CO2e"
        )
    return NetZeroTarget(
        STANDARD,
        base_year,
        float(base_emissions),
        netzero_year,
        NET_ZERO_REDUCTION,
        float(max_residual),
        planned,
        1.0 - planned / base_emissions if base_emissions > 0 else 0.0,
        planned,
        gap <= 0,
        gap,
        tuple(notes),
    )


PATHWAY_COLUMNS = ("year", "gross", "removals")  # required; ``offsets`` optional


def check_netzero(
    target: NetZeroTarget, pathway: pd.DataFrame, *, source: str = "pathway"
) -> NetZeroCheck:
    """Hold a pathway against ``target``; every problem of the pathway at once.

    Args:
        target: from :func:`netzero_target`.
        pathway: columns ``year``, ``gross`` (gross emissions, t CO2e ≥ 0), ``removals``
            (t CO2e removed, ≥ 0) and optionally ``offsets`` (t CO2e, ≥ 0; not counted) and
            ``row`` (the row each year came from, for messages). It must have the net-zero year.
        source: the pathway's name (file), for messages.
    """
    problems: list[Problem] = []
    missing = [c for c in PATHWAY_COLUMNS if c not in pathway.columns]
    for c in missing:
        problems.append(Problem(source, None, c, None, f"a {c!r} column"))
    raise_if_problems(problems)
    rows = (
        pathway["row"].to_numpy()
        if "row" in pathway.columns
        else np.arange(2, len(pathway) + 2)  # as in a CSV file: header = row 1
    )
    cols = ["gross", "removals", *(["offsets"] if "offsets" in pathway.columns else [])]
    for c in ["year", *cols]:
        values = pd.to_numeric(pathway[c], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(values)
        ok = np.where(np.isfinite(values), values, 0.0)
        bad |= (ok % 1 != 0) if c == "year" else (ok < 0)
        for i in np.flatnonzero(bad):
            expected = "a whole year" if c == "year" else "a finite number ≥ 0 (t CO2e)"
            problems.append(Problem(source, int(rows[i]), c, str(pathway[c].iloc[i]), expected))
    raise_if_problems(problems)
    years = pathway["year"].astype(float).astype(np.int64).to_numpy()
    dup = pd.Series(years).duplicated(keep=False).to_numpy()
    for year in dict.fromkeys(years[dup]):
        rs = tuple(int(r) for r in rows[years == year])
        problems.append(Problem(source, rs[0], "year", str(year), "each year once", None, rs))
    if target.netzero_year not in set(years.tolist()):
        problems.append(
            Problem(
                source,
                None,
                "year",
                None,
                f"a row for the net-zero year {target.netzero_year}",
            )
        )
    if problems:
        raise PlanValidationError(problems)

    order = np.argsort(years, kind="stable")
    gross = pathway["gross"].astype(float).to_numpy()[order]
    removals = pathway["removals"].astype(float).to_numpy()[order]
    offsets = (
        pathway["offsets"].astype(float).to_numpy()[order]
        if "offsets" in pathway.columns
        else np.zeros(len(years))
    )
    years = years[order]
    applies = years >= target.netzero_year
    tol = _TOL * max(target.base_emissions, 1.0)
    deep = gross <= target.max_residual + tol
    neutral = removals + tol >= gross
    base = target.base_emissions
    table = pd.DataFrame(
        {
            "year": years,
            "gross": gross,
            "removals": removals,
            "offsets": offsets,
            "net": gross - removals,
            "reduction": 1.0 - gross / base if base > 0 else np.zeros(len(years)),
            "deep_reduction_met": pd.array(np.where(applies, deep, None), dtype="boolean"),
            "neutralised": pd.array(np.where(applies, neutral, None), dtype="boolean"),
            "net_zero": pd.array(np.where(applies, deep & neutral, None), dtype="boolean"),
        }
    )
    k = int(np.flatnonzero(years == target.netzero_year)[0])
    failing = tuple(int(y) for y in years[applies & ~(deep & neutral)])
    notes: list[str] = list(target.notes)
    if offsets[applies].sum() > 0:
        notes.append(
            "offsets are kept apart: they count neither as reduction nor as neutralisation"
        )
    later_fail = [y for y in failing if y > target.netzero_year]
    if later_fail:
        notes.append(
            "net zero is not held after the net-zero year in "
            + ", ".join(str(y) for y in later_fail)
        )
    deep_met = bool(deep[applies].all())
    neutral_met = bool(neutral[applies].all())
    return NetZeroCheck(
        target,
        table,
        float(gross[k]),
        float(removals[k]),
        float(offsets[k]),
        float(table["reduction"].iloc[k]),
        deep_met,
        float(gross[k]) - target.max_residual if not deep[k] else 0.0,
        neutral_met,
        float(gross[k] - removals[k]) if not neutral[k] else 0.0,
        deep_met and neutral_met,
        failing,
        tuple(notes),
    )


__all__ = [
    "LATEST_NET_ZERO_YEAR",
    "STANDARD",
    "NetZeroCheck",
    "NetZeroTarget",
    "check_netzero",
    "netzero_target",
]
