"""The targets of a plan (``targets.csv``), read and checked against every scenario.

Kinds (docs/method-targets.md "Targets in a plan"):

* ``absolute`` — at most ``value`` in ``year``, or ``reduction`` % below ``base_year``;
* ``intensity`` — emissions per unit of a driver (``per``, e.g. gdp) at most ``value``, or
  ``reduction`` % below the base year's intensity (``base_value`` when the base year is not
  simulated, e.g. China's 2030 target of CO2 per GDP more than 65 % below 2005);
* ``peak`` — the scenario's emissions have peaked by ``year`` (the simulation's peak rule), and
  the peak is at most ``value`` if given;
* ``neutrality`` — ``column`` (net by default) ≤ 0 in ``year`` and every year after;
* ``budget`` — the sum over ``start_year``–``end_year`` at most ``value``; budgets marked
  ``banking`` or ``borrowing`` form one chain in which a surplus carries into the next budget
  and a deficit may be borrowed from it (up to ``borrow_limit`` of it, 1 % by default);
* ``sbti`` — the SBTi absolute-contraction line (linear, ``aca-v5``) from the base year;
* ``netzero`` — the net-zero standard: ≥ 90 % cut of gross emissions by ``year``, the residual
  neutralised by removals (offsets kept apart).

Emission amounts are in t CO2e inside; ``unit`` converts a target's ``value``/``base_value``
(万t, Mt …; an intensity's unit is converted to t per the driver's unit).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from neutra import units
from neutra.errors import PlanValidationError, Problem, UnitError, raise_if_problems
from neutra.io.tables import Origin, cell_text
from neutra.targets.budgets import Budget, check_budgets
from neutra.targets.check import check_pathway
from neutra.targets.netzero import check_netzero, netzero_target
from neutra.targets.sbti import SbtTarget, absolute_contraction

KINDS = ("absolute", "intensity", "peak", "neutrality", "budget", "sbti", "netzero")
COLUMNS = ("net", "emissions", "net_after_trade")
KIND_ZH = {
    "absolute": "总量目标",
    "intensity": "强度目标",
    "peak": "达峰目标",
    "neutrality": "中和目标",
    "budget": "碳预算",
    "sbti": "科学碳目标",
    "netzero": "净零目标",
}
_TOL = 1e-9


@dataclass(frozen=True, slots=True)
class Target:
    """One row of ``targets.csv``, checked and in t CO2e (an intensity in t per driver unit)."""

    id: str
    kind: str
    year: int | None
    base_year: int | None
    reduction: float | None  # fraction (0.65 for 65 %)
    value: float | None
    base_value: float | None
    unit: str
    per: str
    start_year: int | None
    end_year: int | None
    banking: bool
    borrowing: bool
    borrow_limit: float
    ambition: str
    column: str
    allocate: str
    name: str
    name_zh: str
    source: str
    file: str
    row: int
    # The size of one unit of ``unit`` in the results' unit (t CO2e; an intensity: t CO2e per
    # the driver's unit): a result divided by it is in the target's own unit.
    display_scale: float = 1.0


def _text(rec: dict[str, Any], key: str) -> str:
    return cell_text(rec.get(key))


def _flag(rec: dict[str, Any], key: str) -> bool:
    v = rec.get(key)
    return False if v is None or pd.isna(v) else bool(v)


def _num(rec: dict[str, Any], key: str) -> float | None:
    v = rec.get(key)
    return None if v is None or pd.isna(v) else float(v)


def read_targets(
    frame: pd.DataFrame,
    drivers: dict[str, str],
    letters: dict[str, str] | None = None,
) -> list[Target]:
    """The typed rows of the targets table (``row``, ``file`` columns from the reader), every
    problem at once; ``drivers`` maps the plan's driver ids to their units. Ranges of the
    table's spec (:data:`neutra.model.tables.TARGETS`, e.g. ``reduction`` from 0 to 100 %) are
    checked by the reader, not here."""
    pairs = tuple(sorted((letters or {}).items()))
    problems: list[Problem] = []
    out: list[Target] = []
    seen: dict[str, int] = {}
    for rec in frame.to_dict("records"):
        row, file = int(rec["row"]), str(rec.get("file", "targets.csv"))
        origin = Origin(file, row, pairs)

        def bad(col: str, value: Any, expected: str, origin: Origin = origin) -> None:
            problems.append(origin.problem(col, value, expected))

        tid, kind = _text(rec, "target"), _text(rec, "kind").lower()
        if tid in seen:
            bad("target", tid, f"each target id once (already on row {seen[tid]})")
        seen.setdefault(tid, row)
        if kind not in KINDS:
            bad("kind", kind, "one of " + ", ".join(KINDS))
            continue
        year = _num(rec, "year")
        base_year = _num(rec, "base_year")
        reduction = _num(rec, "reduction")
        value = _num(rec, "value")
        base_value = _num(rec, "base_value")
        start, end = _num(rec, "start_year"), _num(rec, "end_year")
        per = _text(rec, "per")
        unit = _text(rec, "unit") or (f"t/({drivers[per]})" if per in drivers else "t")
        column = _text(rec, "column") or "net"
        ambition = _text(rec, "ambition") or "1.5C"
        if column not in COLUMNS:
            bad("column", column, "one of " + ", ".join(COLUMNS))
        needs_year = kind != "budget"
        if needs_year and year is None:
            bad("year", None, f"the target year of a {kind} target")
        if kind in ("absolute", "intensity") and value is None and None in (reduction, base_year):
            bad("value", None, f"a {kind} target's value, or base_year and reduction")
        if kind == "budget":
            if start is None or end is None or (start > end):
                bad("start_year", start, "a budget's start_year ≤ end_year, both given")
            if value is None or value < 0:
                bad("value", value, "the budget, ≥ 0")
        if kind == "netzero" and base_year is None:
            bad("base_year", None, "the base year of a net-zero target")
        if kind == "sbti" and ambition not in ("1.5C", "WB2C"):
            bad("ambition", ambition, "1.5C or WB2C")
        factor = 1.0
        if kind == "intensity":
            if per not in drivers:
                bad("per", per or None, "a driver of drivers.csv: " + ", ".join(sorted(drivers)))
            else:
                try:
                    factor = units.factor(unit, f"t/({drivers[per]})")
                except UnitError as exc:
                    bad("unit", unit, f"t CO2e per {drivers[per]} or alike ({exc})")
        else:
            try:
                factor = units.factor(unit, "t")
            except UnitError:
                bad("unit", unit, "a mass unit of CO2e such as t, 万t, Mt")
        out.append(
            Target(
                tid,
                kind,
                None if year is None else int(year),
                None if base_year is None else int(base_year),
                None if reduction is None else reduction / 100.0,
                None if value is None else value * factor,
                None if base_value is None else base_value * factor,
                unit,
                per,
                None if start is None else int(start),
                None if end is None else int(end),
                _flag(rec, "banking"),
                _flag(rec, "borrowing"),
                0.01 if _num(rec, "borrow_limit") is None else float(rec["borrow_limit"]),
                ambition,
                column,
                _text(rec, "allocate"),
                _text(rec, "name"),
                _text(rec, "name_zh"),
                _text(rec, "source"),
                file,
                row,
                factor,
            )
        )
    if problems:
        raise PlanValidationError(problems)
    return out


def _located(t: Target, field: str, value: Any, expected: str) -> PlanValidationError:
    return PlanValidationError([Origin(t.file, t.row).problem(field, value, expected)])


def _needs_base(t: Target) -> bool:
    """Whether the target is relative to its base year's value."""
    return t.kind in ("intensity", "sbti", "netzero") or (t.kind == "absolute" and t.value is None)


def year_problems(targets: list[Target], years: list[int]) -> list[Problem]:
    """Every year a target names that the simulation does not have (``years``, the simulated
    years in order): its ``year``, ``start_year`` or ``end_year`` (a peak's year is a deadline,
    not a simulated year), and a base year outside them without its ``base_value``."""
    found: list[Problem] = []
    span = f"{years[0]}–{years[-1]}"
    simulated = set(years)
    for t in targets:
        o = Origin(t.file, t.row)
        for field, y in (("year", t.year), ("start_year", t.start_year), ("end_year", t.end_year)):
            if y is not None and t.kind != "peak" and y not in simulated:
                found.append(o.problem(field, y, f"a simulated year ({span})"))
        if (
            _needs_base(t)
            and t.base_year is not None
            and t.base_year not in simulated
            and t.base_value is None
        ):
            found.append(
                o.problem(
                    "base_value",
                    None,
                    f"the base year's value: {t.base_year} is not simulated ({span})",
                )
            )
    return found


def assess(
    targets: list[Target],
    totals: pd.DataFrame,
    summary: pd.DataFrame,
    drivers: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each target against each scenario of a simulation.

    ``totals``, ``summary`` and ``drivers`` are the simulation's tables. Returns ``checks``
    (target × scenario: limit, value, gap, met, years off track, detail) and ``lines`` (target,
    scenario, year, limit, value: what the report draws).
    """
    years = sorted(int(y) for y in totals["year"].unique())
    raise_if_problems(year_problems(targets, years))
    checks: list[dict[str, Any]] = []
    lines: list[pd.DataFrame] = []
    chained = [t for t in targets if t.kind == "budget" and (t.banking or t.borrowing)]
    for sid, g in totals.groupby("scenario", sort=False):
        g = g.set_index(g["year"].astype(int))
        summ = summary[summary["scenario"] == sid].iloc[0]
        for t in targets:
            if t in chained:
                continue
            rec, line = _one(t, str(sid), g, summ, drivers)
            checks.append(rec)
            if line is not None:
                lines.append(line)
        if chained:
            for rec, line in _budget_chain(chained, str(sid), g):
                checks.append(rec)
                lines.append(line)
    frame = pd.DataFrame(checks)
    order = {t.id: i for i, t in enumerate(targets)}
    frame = frame.sort_values(
        by="target", key=lambda s: s.map(order), kind="stable", ignore_index=True
    )
    cols = ["target", "scenario", "year", "limit", "value"]
    line_frame = pd.concat(lines, ignore_index=True) if lines else pd.DataFrame(columns=cols)
    return frame, line_frame


def _base(t: Target, g: pd.DataFrame, column: str, year: int) -> float:
    """The base: the target's ``base_value``, else ``column`` in ``year`` (its base year)."""
    return t.base_value if t.base_value is not None else float(g.loc[year, column])


def _need(t: Target, value: int | None, field: str) -> int:
    """A field that validation made sure of."""
    if value is None:
        raise _located(t, field, None, f"the {field} of a {t.kind} target")
    return value


def _record(
    t: Target, sid: str, limit: float, value: float, met: bool, off: list[int], detail: str
) -> dict[str, Any]:
    return {
        "target": t.id,
        "kind": t.kind,
        "kind_zh": KIND_ZH[t.kind],
        "name": t.name,
        "name_zh": t.name_zh,
        "scenario": sid,
        "year": t.year if t.kind != "budget" else t.end_year,
        "column": t.column,
        "unit": "t CO2e" if t.kind != "intensity" else f"t CO2e per driver unit ({t.per})",
        "display_unit": t.unit if t.kind != "peak" else "year",
        "display_scale": t.display_scale if t.kind != "peak" else 1.0,
        "limit": limit,
        "value": value,
        "gap": value - limit,
        "met": bool(met),
        "years_off_track": off,
        "detail": detail,
        "source": t.source,
    }


def _series_line(t: Target, sid: str, years: list[int], limit: Any, value: Any) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "target": t.id,
            "scenario": sid,
            "year": years,
            "limit": np.broadcast_to(np.asarray(limit, dtype=float), (len(years),)),
            "value": np.asarray(value, dtype=float),
        }
    )


def _one(
    t: Target, sid: str, g: pd.DataFrame, summ: pd.Series, drivers: pd.DataFrame
) -> tuple[dict[str, Any], pd.DataFrame | None]:
    col = t.column
    series = g[col].astype(float)
    year = _need(t, t.end_year if t.kind == "budget" else t.year, "year")
    tol = _TOL * max(float(series.abs().max()), 1.0)
    if t.kind == "absolute":
        limit = (
            t.value
            if t.value is not None
            else _base(t, g, col, _need(t, t.base_year, "base_year")) * (1 - (t.reduction or 0))
        )
        value = float(series.loc[year])
        return _record(
            t,
            sid,
            limit,
            value,
            value <= limit + tol,
            [] if value <= limit + tol else [year],
            f"{col} in {year}",
        ), _series_line(t, sid, [year], limit, [value])
    if t.kind == "intensity":
        d = drivers[(drivers["scenario"] == sid) & (drivers["driver"] == t.per)]
        per = d.set_index(d["year"].astype(int))["value"].astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            intensity = series / per.reindex(series.index)
        if t.value is not None:
            limit = t.value
        else:
            base = (
                t.base_value
                if t.base_value is not None
                else float(intensity.loc[_need(t, t.base_year, "base_year")])
            )
            limit = base * (1 - (t.reduction or 0))
        value = float(intensity.loc[year])
        met = value <= limit * (1 + 1e-9)
        gap_t = (value - limit) * float(per.loc[year])
        detail = (
            f"{col} / {t.per} in {year}; in emissions the gap is {gap_t:,.0f} t CO2e"
            if not met
            else f"{col} / {t.per} in {year}"
        )
        return _record(t, sid, limit, value, met, [] if met else [year], detail), _series_line(
            t, sid, [int(y) for y in intensity.index], limit, intensity.to_numpy()
        )
    if t.kind == "peak":
        status = str(summ["peak_status"])
        peak_year, peak_value = int(summ["peak_year"]), float(summ["peak_value"])
        peaked = status in ("peaked", "plateau") and peak_year <= year
        level_ok = t.value is None or peak_value <= t.value * (1 + 1e-9)
        limit = float(year)
        detail = f"peak status {status}, peak {peak_year} at {peak_value:,.0f} t CO2e"
        if t.value is not None:
            detail += f" (at most {t.value:,.0f} allowed)"
        rec = _record(t, sid, limit, float(peak_year), peaked and level_ok, [], detail)
        rec["unit"] = "year"
        return rec, None
    if t.kind == "neutrality":
        after = series[series.index >= year]
        off = [int(y) for y in after.index[after > tol]]
        value = float(series.loc[year])
        return _record(
            t, sid, 0.0, value, not off, off, f"{col} ≤ 0 from {year} to {int(series.index[-1])}"
        ), _series_line(t, sid, [int(y) for y in series.index], 0.0, series.to_numpy())
    if t.kind == "budget":  # a budget of no chain: a chain of one, banking and borrowing off
        first = _need(t, t.start_year, "start_year")
        rec = check_budgets(series, [Budget(t.id, first, year, t.value or 0.0)]).iloc[0]
        met = bool(rec["met"])
        return _record(
            t,
            sid,
            float(rec["budget_amount"]),
            float(rec["emissions"]),
            met,
            [] if met else [year],
            f"Σ {col} {first}–{year}",
        ), None
    if t.kind == "sbti":
        base_year = t.base_year if t.base_year is not None else int(series.index[0])
        tot = pd.DataFrame({"scenario": sid, "year": series.index, col: series.to_numpy()})
        line, gaps, summary = sbti_check(
            tot, col, base_year, _base(t, g, col, base_year), year, t.ambition
        )
        s = summary.iloc[0]
        return _record(
            t,
            sid,
            float(s["target"]),
            float(s["value"]),
            bool(s["met_in_target_year"]),
            list(s["years_off_track"]),
            f"{line.method} {line.ambition.value} from {base_year}",
        ), _series_line(
            t,
            sid,
            [int(y) for y in gaps["year"]],
            gaps["target"].to_numpy(),
            gaps["value"].to_numpy(),
        )
    # netzero
    base_year = _need(t, t.base_year, "base_year")
    gross = (g["emissions"] + g["imports"]).astype(float)
    base = t.base_value if t.base_value is not None else float(gross.loc[base_year])
    target = netzero_target(base_year, base, year)
    path = pd.DataFrame(
        {
            "year": gross.index,
            "gross": np.maximum(gross.to_numpy(), 0.0),
            "removals": np.maximum(-g["sinks"].astype(float).to_numpy(), 0.0),
            "offsets": np.maximum(g["offsets"].astype(float).to_numpy(), 0.0),
        }
    )
    res = check_netzero(target, path, source=f"{t.file} (scenario {sid})")
    detail = (
        f"gross {res.gross:,.0f} t CO2e in {year} against a residual of at most "
        f"{target.max_residual:,.0f} ({target.min_reduction:.0%} cut from {t.base_year}); "
        f"removals {res.removals:,.0f}"
    )
    return _record(
        t, sid, target.max_residual, res.gross, res.net_zero, list(res.years_failing), detail
    ), _series_line(t, sid, [int(y) for y in gross.index], target.max_residual, gross.to_numpy())


def sbti_check(
    totals: pd.DataFrame, column: str, base_year: int, base: float, year: int, ambition: str
) -> tuple[SbtTarget, pd.DataFrame, pd.DataFrame]:
    """The SBTi absolute-contraction line (``aca-v5``) from ``base`` t CO2e in ``base_year`` to
    ``year``, and every scenario of ``totals`` (its ``column``) against it: the line, the
    year-by-year gaps and the summary per scenario (:func:`neutra.targets.check.check_pathway`)."""
    line = absolute_contraction(base_year, base, year, ambition)
    gaps, summary = check_pathway(totals, line.pathway, column)
    return line, gaps, summary


def _budget_chain(
    chain: list[Target], sid: str, g: pd.DataFrame
) -> list[tuple[dict[str, Any], pd.DataFrame]]:
    """Budgets marked ``banking`` or ``borrowing``, checked as one chain per column (a surplus
    carries forward; a deficit may be borrowed from the next budget, up to ``borrow_limit``)."""
    out = []
    by_column: dict[str, list[Target]] = {}
    for t in chain:
        by_column.setdefault(t.column, []).append(t)
    for col, ts in by_column.items():
        budgets = [
            Budget(t.id, int(t.start_year or 0), int(t.end_year or 0), float(t.value or 0))
            for t in ts
        ]
        table = check_budgets(
            g[col].astype(float),
            budgets,
            banking=any(t.banking for t in ts),
            borrowing=any(t.borrowing for t in ts),
            borrow_limit=min(t.borrow_limit for t in ts),
        )
        for t, rec in zip(
            sorted(ts, key=lambda x: x.start_year or 0), table.to_dict("records"), strict=True
        ):
            met = bool(rec["met"])
            detail = (
                f"Σ {col} {t.start_year}–{t.end_year}; carried in {rec['carried_in']:,.0f}, "
                f"banked out {rec['banked']:,.0f}, borrowed {rec['borrowed']:,.0f}"
            )
            r = _record(
                t,
                sid,
                float(rec["effective_budget"]) + float(rec["borrowed"]),
                float(rec["emissions"]),
                met,
                [] if met else [int(t.end_year or 0)],
                detail,
            )
            out.append((r, _series_line(t, sid, [int(t.end_year or 0)], r["limit"], [r["value"]])))
    return out


__all__ = ["COLUMNS", "KINDS", "Target", "assess", "read_targets", "sbti_check", "year_problems"]
