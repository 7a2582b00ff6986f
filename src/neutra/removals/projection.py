"""Afforestation and forest-management scenarios: a yearly projection of forest strata.

Each stratum is a set of cohorts (standing forest by age in the first year, and the area newly
planted in each year). In year ``y`` a cohort planted in year ``p`` is ``y − p`` years old (0 in
its planting year, when it already grows), a standing cohort of age ``a`` in the first year is
``a + (y − first year)`` years old. Its above-ground growth ``G_W`` is that of its age class
(the class with the greatest first age ≤ its age). The stratum's year then goes through the
gain–loss method (IPCC 2006 Vol. 4 Ch. 2 Eq. 2.7, 2.9–2.12) with the area-weighted ``G_W``:

    ΔC_G = Σ_cohorts A_c × G_W(age_c) × (1 + R) × CF,   L_wood-removals = H × BCEF_R × (1 + R) × CF

so removals scale with the planted area and with the growth rates, and harvests (wood removals
``H``, m³/yr) are losses. The area of forest only grows by planting here: deforestation, land
converted to forest land and its soil and dead-organic-matter pools are outside this projection.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from neutra.errors import Problem, raise_if_problems
from neutra.removals.forest import ForestSinks, GainLossYear, gain_loss


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectedStratum:
    """One stratum of a forest projection.

    Attributes:
        name: the stratum's name.
        growth: age classes as ``(first age, G_W)``: G_W above-ground biomass growth in
            t d.m./ha/yr from that age on; the first class starts at age 0.
        root_shoot: R, below- to above-ground biomass ratio.
        carbon_fraction: CF, t C/t d.m.; ``None`` → the unverified default 0.47.
        area_by_age_ha: standing forest in the first year, ``{age: ha}``.
        planting_ha: new planting, ``{year: ha planted that year}``.
        removals_m3: wood removals (harvest), ``{year: m³}``.
        bcef_r: BCEF_R, t d.m. per m³ removed (needed when there are removals).
    """

    name: str
    growth: Sequence[tuple[int, float]]
    root_shoot: float
    carbon_fraction: float | None = None
    area_by_age_ha: Mapping[int, float] = field(default_factory=dict)
    planting_ha: Mapping[int, float] = field(default_factory=dict)
    removals_m3: Mapping[int, float] = field(default_factory=dict)
    bcef_r: float | None = None


@dataclass(frozen=True, eq=False)
class ForestProjection:
    """A projection's result.

    Attributes:
        sinks: the gain–loss result of every stratum and year (t C/yr, t CO2/yr, + emission).
        area: ``stratum, year, area_ha, planted_ha, gw_t_per_ha`` (area-weighted G_W).
    """

    sinks: ForestSinks
    area: pd.DataFrame


def _check(strata: Sequence[ProjectedStratum], first: int, last: int) -> list[Problem]:
    label = "forest projection"
    problems: list[Problem] = []
    if last < first:
        problems.append(Problem(label, None, "last_year", str(last), f"a year ≥ {first}"))
    if not strata:
        problems.append(Problem(label, None, None, None, "at least one stratum"))
    names = [s.name for s in strata]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(Problem(label, None, "name", name, "each stratum name once"))
    for s in strata:
        where = f"{label}: {s.name}"
        ages = [a for a, _ in s.growth]
        if not ages or ages[0] != 0 or ages != sorted(set(ages)):
            problems.append(
                Problem(
                    where, None, "growth", str(list(s.growth)), "age classes ascending from age 0"
                )
            )
        for age, gw in s.growth:
            if not gw >= 0:
                problems.append(
                    Problem(where, None, "growth", f"{age}: {gw}", "G_W ≥ 0 t d.m./ha/yr")
                )
        if not s.root_shoot >= 0:
            problems.append(Problem(where, None, "root_shoot", str(s.root_shoot), "R ≥ 0"))
        cf = s.carbon_fraction
        if cf is not None and not 0 <= cf <= 1:
            problems.append(Problem(where, None, "carbon_fraction", str(cf), "a fraction 0–1"))
        for age, ha in s.area_by_age_ha.items():
            if age < 0 or not ha >= 0:
                problems.append(
                    Problem(
                        where, None, "area_by_age_ha", f"{age}: {ha}", "ages ≥ 0 and areas ≥ 0 ha"
                    )
                )
        for what, table in (("planting_ha", s.planting_ha), ("removals_m3", s.removals_m3)):
            for year, v in table.items():
                if not first <= year <= last or not v >= 0:
                    problems.append(
                        Problem(
                            where,
                            None,
                            what,
                            f"{year}: {v}",
                            f"years {first}–{last} and values ≥ 0",
                        )
                    )
        if any(v > 0 for v in s.removals_m3.values()) and s.bcef_r is None:
            problems.append(
                Problem(where, None, "bcef_r", None, "BCEF_R for the wood removals (Eq. 2.12)")
            )
        if s.bcef_r is not None and not s.bcef_r >= 0:
            problems.append(Problem(where, None, "bcef_r", str(s.bcef_r), "BCEF_R ≥ 0 t d.m./m³"))
    return problems


def _gw(ages: list[int], rates: list[float], age: int) -> float:
    return rates[bisect.bisect_right(ages, age) - 1]


def project(
    strata: Sequence[ProjectedStratum],
    first_year: int,
    last_year: int,
    source: str = "forest projection",
) -> ForestProjection:
    """Project the strata year by year from ``first_year`` to ``last_year`` (inclusive).

    Raises:
        PlanValidationError: every problem of the input at once.
    """
    raise_if_problems(_check(strata, first_year, last_year))
    items: list[GainLossYear] = []
    area_rows = []
    for s in strata:
        ages = [a for a, _ in s.growth]
        rates = [g for _, g in s.growth]
        # cohorts as (year the cohort was age 0, area ha)
        cohorts = [(first_year - age, ha) for age, ha in s.area_by_age_ha.items()]
        for year in range(first_year, last_year + 1):
            planted = float(s.planting_ha.get(year, 0.0))
            if planted > 0:
                cohorts.append((year, planted))
            area = sum(ha for _, ha in cohorts)
            growth = sum(ha * _gw(ages, rates, year - born) for born, ha in cohorts)
            gw = growth / area if area > 0 else 0.0
            items.append(
                GainLossYear(
                    stratum=s.name,
                    year=year,
                    area_ha=area,
                    root_shoot=s.root_shoot,
                    gw_t_per_ha=gw,
                    carbon_fraction=s.carbon_fraction,
                    removals_m3=float(s.removals_m3.get(year, 0.0)),
                    bcef_r=s.bcef_r,
                )
            )
            area_rows.append(
                {
                    "stratum": s.name,
                    "year": year,
                    "area_ha": area,
                    "planted_ha": planted,
                    "gw_t_per_ha": gw,
                }
            )
    return ForestProjection(gain_loss(items, source), pd.DataFrame(area_rows))


__all__ = ["ForestProjection", "ProjectedStratum", "project"]
