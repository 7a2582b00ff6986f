"""The neutrality check, year by year: residual emissions against removals; offsets kept apart.

All quantities are t CO2e per year in the **atmosphere's sign**: emissions positive, removals
negative — the sign of ``captured`` and ``sinks`` (≤ 0) in the scenario simulation
(:mod:`neutra.simulate.results`). For each year:

* ``gross_tco2e`` — residual emissions before capture and removals;
* ``ccus_tco2e`` (≤ 0) — CO2 captured and stored; ``sinks_tco2e`` — forest and other land
  sinks (the net flux: a year in which the land is a net source is > 0, and is said so in the
  notes); ``other_removals_tco2e`` (≤ 0) — e.g. direct air capture with storage;
* ``removals_tco2e`` = ccus + sinks + other; ``net_tco2e`` = gross + removals;
* ``neutral`` when ``net_tco2e ≤ tolerance``; ``gap_tco2e`` = max(net − tolerance, 0), what is
  still to be cut or removed;
* ``offsets_tco2e`` (≥ 0) — credits bought (avoided-emission offsets, allowances): they are
  **not** removals and never make a year neutral; ``net_after_offsets_tco2e`` = net − offsets is
  shown for information only. A removal credit that the plan counts as neutralisation belongs in
  ``other_removals``.

The first neutral year is the first year with ``neutral``; ``neutral_from`` is the first year
from which every later year is neutral too. Series are aligned strictly: every series given must
have exactly the years of ``gross`` (a year missing on one side is reported, not filled with 0).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from neutra.errors import PlanValidationError, Problem, raise_if_problems

COLUMNS = (
    "year",
    "gross_tco2e",
    "ccus_tco2e",
    "sinks_tco2e",
    "other_removals_tco2e",
    "removals_tco2e",
    "net_tco2e",
    "neutral",
    "gap_tco2e",
    "offsets_tco2e",
    "net_after_offsets_tco2e",
)


@dataclass(frozen=True, eq=False)
class NeutralityCheck:
    """The neutrality check of one path.

    Attributes:
        table: one row per year with :data:`COLUMNS` (t CO2e/yr).
        first_neutral_year: the first year with net ≤ tolerance, or ``None``.
        neutral_from: the first year from which every later year is neutral, or ``None``.
        tolerance_tco2e: the net emissions still counted as neutral, t CO2e/yr.
        notes: remarks (years in which the land is a net source).
    """

    table: pd.DataFrame
    first_neutral_year: int | None
    neutral_from: int | None
    tolerance_tco2e: float
    notes: tuple[str, ...]

    @property
    def last_gap_tco2e(self) -> float:
        """The gap in the last year, t CO2e/yr."""
        return float(self.table["gap_tco2e"].iloc[-1])


def _years_text(years: list[int]) -> str:
    return ", ".join(map(str, years[:20])) + (", …" if len(years) > 20 else "")


def _series(
    name: str, s: pd.Series | None, label: str, problems: list[Problem], sign: str | None
) -> pd.Series | None:
    """Check one input series: integer years, each once, finite values of the right sign."""
    if s is None:
        return None
    try:
        years = pd.Index([int(y) for y in s.index])
    except (TypeError, ValueError):
        problems.append(
            Problem(label, None, name, str(list(s.index)[:5]), "years (whole numbers) as the index")
        )
        return None
    if any(float(y) != float(x) for y, x in zip(years, s.index, strict=True)):
        problems.append(
            Problem(label, None, name, str(list(s.index)[:5]), "whole-number years as the index")
        )
        return None
    if years.has_duplicates:
        dup = sorted({int(y) for y in years[years.duplicated()]})
        problems.append(Problem(label, None, name, _years_text(dup), "each year once"))
        return None
    values = pd.to_numeric(pd.Series(s.to_numpy(), index=years), errors="coerce").astype(np.float64)
    bad = [int(y) for y, v in values.items() if not math.isfinite(v)]
    if bad:
        problems.append(
            Problem(label, None, name, _years_text(bad), "a finite number in every year")
        )
    if sign == "≤ 0":
        wrong = [int(y) for y, v in values.items() if v > 0]
        if wrong:
            problems.append(
                Problem(
                    label,
                    None,
                    name,
                    _years_text(wrong),
                    "values ≤ 0 in every year (removals are negative: the atmosphere's sign)",
                )
            )
    elif sign == "≥ 0":
        wrong = [int(y) for y, v in values.items() if v < 0]
        if wrong:
            problems.append(
                Problem(label, None, name, _years_text(wrong), "values ≥ 0 (offsets bought)")
            )
    return values.sort_index()


def check_neutrality(
    gross: pd.Series,
    *,
    sinks: pd.Series | None = None,
    ccus: pd.Series | None = None,
    other_removals: pd.Series | None = None,
    offsets: pd.Series | None = None,
    tolerance_tco2e: float = 0.0,
    label: str = "neutrality",
) -> NeutralityCheck:
    """The neutrality check of a path, year by year (series indexed by year, t CO2e/yr).

    Args:
        gross: residual emissions before capture and removals (> 0 is an emission).
        sinks: land sinks, net flux (< 0 a removal), e.g.
            :meth:`neutra.removals.forest.ForestSinks.net_emissions_by_year`.
        ccus: CO2 captured and stored, ≤ 0.
        other_removals: other removals, ≤ 0.
        offsets: offsets bought, ≥ 0, kept apart from the check.
        tolerance_tco2e: net emissions still counted as neutral (≥ 0; default 0).
        label: names the input in error messages.

    Raises:
        PlanValidationError: every problem of the input at once (years that do not match,
            missing values, wrong signs).
    """
    problems: list[Problem] = []
    if not (math.isfinite(tolerance_tco2e) and tolerance_tco2e >= 0):
        problems.append(
            Problem(label, None, "tolerance_tco2e", str(tolerance_tco2e), "a number ≥ 0")
        )
    g = _series("gross", gross, label, problems, None)
    parts = {
        "ccus": _series("ccus", ccus, label, problems, "≤ 0"),
        "sinks": _series("sinks", sinks, label, problems, None),
        "other_removals": _series("other_removals", other_removals, label, problems, "≤ 0"),
        "offsets": _series("offsets", offsets, label, problems, "≥ 0"),
    }
    if g is not None and g.empty:
        problems.append(Problem(label, None, "gross", None, "at least one year"))
    if g is not None:
        want = set(g.index)
        for name, s in parts.items():
            if s is None:
                continue
            missing = sorted(want - set(s.index))
            extra = sorted(set(s.index) - want)
            if missing:
                problems.append(
                    Problem(
                        label,
                        None,
                        name,
                        f"no value for {_years_text(missing)}",
                        "the same years as gross",
                    )
                )
            if extra:
                problems.append(
                    Problem(
                        label,
                        None,
                        name,
                        f"years not in gross: {_years_text(extra)}",
                        "the same years as gross",
                    )
                )
    if g is None and not problems:
        problems.append(Problem(label, None, "gross", None, "a series of emissions by year"))
    raise_if_problems(problems)
    if g is None:  # unreachable: a missing gross is a problem above
        raise PlanValidationError(problems)
    zero = pd.Series(0.0, index=g.index)
    col = {k: (zero if v is None else v.reindex(g.index)) for k, v in parts.items()}
    t = pd.DataFrame({"year": g.index.astype(int), "gross_tco2e": g.to_numpy()})
    t["ccus_tco2e"] = col["ccus"].to_numpy()
    t["sinks_tco2e"] = col["sinks"].to_numpy()
    t["other_removals_tco2e"] = col["other_removals"].to_numpy()
    t["removals_tco2e"] = t["ccus_tco2e"] + t["sinks_tco2e"] + t["other_removals_tco2e"]
    t["net_tco2e"] = t["gross_tco2e"] + t["removals_tco2e"]
    t["neutral"] = t["net_tco2e"] <= tolerance_tco2e
    t["gap_tco2e"] = np.maximum(t["net_tco2e"] - tolerance_tco2e, 0.0)
    t["offsets_tco2e"] = col["offsets"].to_numpy()
    t["net_after_offsets_tco2e"] = t["net_tco2e"] - t["offsets_tco2e"]
    t = t[list(COLUMNS)]
    neutral = t["neutral"].to_numpy(dtype=bool)
    years = t["year"].to_numpy()
    first = int(years[np.argmax(neutral)]) if neutral.any() else None
    # neutral from: the start of the trailing run of neutral years
    not_neutral = np.nonzero(~neutral)[0]
    if not neutral.any():
        since = None
    elif not_neutral.size == 0:
        since = int(years[0])
    else:
        k = int(not_neutral[-1]) + 1
        since = int(years[k]) if k < len(years) else None
    notes = []
    src = [int(y) for y, v in zip(years, t["sinks_tco2e"], strict=True) if v > 0]
    if src:
        notes.append(f"the land sinks are a net source (> 0) in {_years_text(src)}")
    return NeutralityCheck(
        t.reset_index(drop=True), first, since, float(tolerance_tco2e), tuple(notes)
    )


__all__ = [
    "COLUMNS",
    "NeutralityCheck",
    "check_neutrality",
]
