"""Run every scenario of a plan and gather tidy result tables, peaks, neutrality and wedges.

Totals of a scenario and year (t CO2e):

* ``gross`` — combustion, process and transformation emissions before capture;
* ``captured`` (≤ 0) — CO2 captured by CCUS; ``emissions`` = gross + captured (the series whose
  peak is reported);
* ``imports`` — emissions embodied in imported electricity (or other module imports);
* ``sinks`` (≤ 0) — removals; ``net`` = emissions + imports + sinks (the neutrality year is the
  first year it is ≤ 0);
* ``offsets`` — 易 trade: offsets and allowances bought, kept apart; ``net_after_trade`` = net −
  offsets.

Wedges split the gap between the baseline and a scenario: the scenario is rerun with its
measures switched on one at a time in their listed order (each measure's wedge is what it saves
on top of the ones before it, so savings are never counted twice); what remains of the gap is the
scenario's own assumptions (``other``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from neutra import units
from neutra.analysis.peak import detect_peak
from neutra.errors import PlanError
from neutra.simulate.engine import Runner, ScenarioRun, reuse_for
from neutra.simulate.evaluate import key_text
from neutra.simulate.model import KEY, SimModel, path_text

FloatArray = npt.NDArray[np.float64]
TOTAL_COLUMNS = [
    "gross",
    "captured",
    "emissions",
    "imports",
    "sinks",
    "net",
    "offsets",
    "net_after_trade",
]


@dataclass
class SimulationResult:
    """Every table of a simulation; energy in ``energy_unit``, emissions in t."""

    scenarios: list[str]
    years: list[int]
    gwp_set: str
    energy_unit: str
    energy: pd.DataFrame
    emissions: pd.DataFrame
    transformation: pd.DataFrame
    capacity: pd.DataFrame
    primary: pd.DataFrame
    totals: pd.DataFrame
    summary: pd.DataFrame
    wedges: pd.DataFrame
    sources: pd.DataFrame
    drivers: pd.DataFrame  # scenario, driver, unit, year, value (in the driver's unit)
    notes: list[str] = field(default_factory=list)
    # Current Accounts against the plan's inventory of the base year (set by the service).
    calibration: dict[str, Any] | None = None
    # Shadow prices of optimised modules' emission caps: scenario, module, year, value (per t
    # CO2e, undiscounted), cap_t (the cap, NaN where none).
    carbon_prices: pd.DataFrame | None = None
    # The plan's targets checked against the scenarios (set by the service): target_checks,
    # target_lines, target_members, target_aggregation (see neutra.targets.plan_targets).
    targets: dict[str, pd.DataFrame | None] | None = None


def _tidy(
    keys: Sequence[tuple[object, ...]],
    arrays: list[FloatArray],
    columns: list[str],
    years: list[int],
) -> pd.DataFrame:
    """One row per key and year; key columns as categoricals (built from codes, fast)."""
    if not arrays:
        return pd.DataFrame(columns=[*columns, "year", "value"])
    n = len(years)
    mat = np.stack([np.broadcast_to(a, (n,)) for a in arrays])
    data: dict[str, object] = {}
    for i, c in enumerate(columns):
        labels = [k[i] for k in keys]
        cats = list(dict.fromkeys(labels))
        index = {v: j for j, v in enumerate(cats)}
        codes = np.fromiter((index[v] for v in labels), dtype=np.int32, count=len(labels))
        if all(isinstance(v, str) for v in cats):
            data[c] = pd.Categorical.from_codes(np.repeat(codes, n), categories=cats)
        else:
            data[c] = np.repeat(np.asarray(labels, dtype=object), n)
    data["year"] = np.tile(np.asarray(years, dtype=np.int64), len(keys))
    data["value"] = mat.reshape(-1)
    return pd.DataFrame(data)


def totals_of(run: ScenarioRun) -> dict[str, FloatArray]:
    gross = run.total("combustion", "process", "transformation")
    captured = run.total("capture")
    imports = run.total("imports")
    sinks = run.total("sink")
    offsets = run.offsets if run.offsets is not None else np.zeros(len(run.years))
    emissions = gross + captured
    net = emissions + imports + sinks
    return {
        "gross": gross,
        "captured": captured,
        "emissions": emissions,
        "imports": imports,
        "sinks": sinks,
        "net": net,
        "offsets": offsets,
        "net_after_trade": net - offsets,
    }


def baseline_of(model: SimModel) -> str:
    """The baseline scenario: the first of kind ``baseline``, else the first listed."""
    for s in model.scenarios.values():
        if s.kind.lower() == "baseline":
            return s.id
    return next(iter(model.scenarios))


def simulate(model: SimModel, runner: Runner, *, wedges: bool = True) -> SimulationResult:
    """Run Current Accounts' base year and every scenario; gather the tables."""
    years = list(model.years)
    scenarios = list(model.scenarios)
    runs = [runner.run(s) for s in scenarios]
    to_unit = units.factor("GJ", model.energy_unit)
    e_keys, e_arr = [], []
    for r in runs:
        for (path, fuel), gj in r.energy.items():
            e_keys.append((r.scenario, path_text(path), _sector(runner, path), fuel))
            e_arr.append(gj * to_unit)
    energy = _tidy(e_keys, e_arr, ["scenario", "branch", "sector", "fuel"], years)
    f_keys, f_arr, f_co2e = [], [], []
    for r in runs:
        for f in r.flows:
            f_keys.append(
                (r.scenario, f.branch, f.sector, f.fuel, f.gas, f.source, f.factor_ids, f.status)
            )
            f_arr.append(f.tonnes)
            f_co2e.append(f.co2e)
    cols = ["scenario", "branch", "sector", "fuel", "gas", "source", "factor_ids", "status"]
    emissions = _tidy(f_keys, f_arr, cols, years).rename(columns={"value": "tonnes"})
    emissions["co2e"] = _tidy(f_keys, f_co2e, cols, years)["value"].to_numpy()
    emissions["gwp_set"] = runner.book.gwp.name
    t_keys, t_arr = [], []
    for r in runs:
        for tf in r.tflows:
            t_keys.append((r.scenario, tf.module, tf.process, tf.fuel, tf.flow))
            t_arr.append(tf.gj * to_unit)
    transformation = _tidy(t_keys, t_arr, ["scenario", "module", "process", "fuel", "flow"], years)
    c_keys, c_arr = [], []
    for r in runs:
        for module, process, exo, added in r.capacity:
            c_keys += [
                (r.scenario, module, process, "exogenous"),
                (r.scenario, module, process, "added"),
            ]
            c_arr += [exo, added]
    capacity = _tidy(c_keys, c_arr, ["scenario", "module", "process", "kind"], years)
    p_keys, p_arr = [], []
    for r in runs:
        for fuel, gj in r.primary.items():
            p_keys.append((r.scenario, fuel))
            p_arr.append(gj * to_unit)
    primary = _tidy(p_keys, p_arr, ["scenario", "fuel"], years)
    totals = _totals(model, runner, runs, to_unit)
    summary = _summary(model, totals)
    wedge = (
        _wedges(model, runner, runs)
        if wedges
        else pd.DataFrame(columns=["scenario", "year", "measure", "lever", "reduction"])
    )
    notes = sorted({n for r in runs for n in r.notes})
    d_keys, d_arr = [], []
    for r in runs:
        for did in model.drivers:
            key = ((KEY, did), "value", "")
            d_keys.append((r.scenario, did, r.evaluator.unit(key)))
            d_arr.append(r.evaluator.value(key))
    drivers = _tidy(d_keys, d_arr, ["scenario", "driver", "unit"], years)
    cp_keys = [(r.scenario, module) for r in runs for module in r.prices]
    cp_arr = [r.prices[module] for r in runs for module in r.prices]
    carbon_prices = _tidy(cp_keys, cp_arr, ["scenario", "module"], years)
    caps = [r.caps.get(module, np.full(len(years), np.nan)) for r in runs for module in r.prices]
    carbon_prices["cap_t"] = np.concatenate(caps) if caps else np.zeros(0)
    cur = [r.currency.get(module, "") for r in runs for module in r.prices]
    carbon_prices["currency"] = np.repeat(np.asarray(cur, dtype=object), len(years))
    carbon_prices["objective"] = np.repeat(
        np.asarray([r.objectives.get(module, np.nan) for r in runs for module in r.prices]),
        len(years),
    )
    if len(carbon_prices):  # the base year carries no cap (it is history)
        carbon_prices.loc[carbon_prices["year"] == years[0], "cap_t"] = np.nan
    return SimulationResult(
        scenarios,
        years,
        runner.book.gwp.name,
        model.energy_unit,
        energy,
        emissions,
        transformation,
        capacity,
        primary,
        totals,
        summary,
        wedge,
        sources_table(model, runs),
        drivers,
        notes,
        carbon_prices=carbon_prices,
    )


def _sector(runner: Runner, path: tuple[str, ...]) -> str:
    from neutra.simulate.engine import sector_of

    return sector_of(runner.model, path)


def _totals(
    model: SimModel, runner: Runner, runs: list[ScenarioRun], to_unit: float
) -> pd.DataFrame:
    frames = []
    for r in runs:
        t = totals_of(r)
        final = sum(r.energy.values(), start=np.zeros(len(r.years))) * to_unit
        prim = sum(r.primary.values(), start=np.zeros(len(r.years))) * to_unit
        data: dict[str, object] = {
            "scenario": r.scenario,
            "year": r.years,
            "final_energy": final,
            "primary_energy": prim,
        }
        data.update(t)
        for driver in ("gdp", "population"):
            key = ((KEY, driver), "value", "")
            if driver in model.drivers:
                v = r.evaluator.value(key)
                data[driver] = np.broadcast_to(v, (len(r.years),))
        frames.append(pd.DataFrame(data))
    out = pd.concat(frames, ignore_index=True)
    if "gdp" in out:
        with np.errstate(divide="ignore", invalid="ignore"):
            out["net_per_gdp"] = out["net"] / out["gdp"]
            out["energy_per_gdp"] = out["final_energy"] / out["gdp"]
    if "population" in out:
        with np.errstate(divide="ignore", invalid="ignore"):
            out["net_per_capita"] = out["net"] / out["population"]
    return out


def _summary(model: SimModel, totals: pd.DataFrame) -> pd.DataFrame:
    """One row per scenario: the peak, ``neutrality_year`` (the first year with net ≤ 0),
    ``neutral_from`` (the first year from which every later year has net ≤ 0; ``None`` if the
    last year's net is > 0), ``last_net`` and ``last_gap`` (the last year's net above 0)."""
    rows = []
    for sid, g in totals.groupby("scenario", sort=False):
        s = model.scenarios[str(sid)]
        series = pd.Series(
            np.maximum(g["emissions"].to_numpy() + g["imports"].to_numpy(), 0.0),
            index=g["year"].astype(int).to_numpy(),
        )
        try:
            peak = detect_peak(series)
            peak_year, peak_value, status = peak.peak_year, peak.peak_value, peak.status.value
            explanation = peak.explanation_en
        except PlanError as exc:
            peak_year, peak_value, status, explanation = 0, float("nan"), "unknown", str(exc)
        net = g["net"].to_numpy()
        years = g["year"].to_numpy()
        below = np.nonzero(net <= 0)[0]
        neutral = int(years[below[0]]) if below.size else None
        # neutral from: the start of the trailing run of years with net ≤ 0
        above = np.nonzero(~(net <= 0))[0]
        start = int(above[-1]) + 1 if above.size else 0
        since = int(years[start]) if start < len(years) else None
        nat = g["net_after_trade"].to_numpy()
        below_t = np.nonzero(nat <= 0)[0]
        rows.append(
            {
                "scenario": s.id,
                "kind": s.kind,
                "name": s.name,
                "name_zh": s.name_zh,
                "peak_status": status,
                "peak_year": peak_year,
                "peak_value": peak_value,
                "neutrality_year": neutral,
                "neutrality_year_with_trade": (
                    int(g["year"].to_numpy()[below_t[0]]) if below_t.size else None
                ),
                "base_value": float(series.iloc[0]),
                "last_value": float(series.iloc[-1]),
                "last_net": float(net[-1]),
                "neutral_from": since,
                "last_gap": max(float(net[-1]), 0.0),
                "explanation": explanation,
            }
        )
    return pd.DataFrame(rows)


def _wedges(model: SimModel, runner: Runner, runs: list[ScenarioRun]) -> pd.DataFrame:
    base_id = baseline_of(model)
    by_id = {r.scenario: r for r in runs}
    base = totals_of(by_id[base_id])["net_after_trade"]
    frames = []
    years = by_id[base_id].years
    for r in runs:
        if r.scenario == base_id:
            continue
        ms = model.measure_list(r.scenario)
        reuse = reuse_for(model, r, runner.demand_leaves)
        previous = totals_of(runner.run(r.scenario, enabled=[], lean=True, reuse=reuse))[
            "net_after_trade"
        ]
        frames.append(
            pd.DataFrame(
                {
                    "scenario": r.scenario,
                    "year": years,
                    "measure": "other",
                    "lever": "other",
                    "reduction": base - previous,
                }
            )
        )
        for j, m in enumerate(ms):
            cur = (
                totals_of(r)
                if j == len(ms) - 1
                else totals_of(runner.run(r.scenario, enabled=ms[: j + 1], lean=True, reuse=reuse))
            )
            now = cur["net_after_trade"]
            frames.append(
                pd.DataFrame(
                    {
                        "scenario": r.scenario,
                        "year": years,
                        "measure": m,
                        "lever": model.measures[m].lever.value,
                        "reduction": previous - now,
                    }
                )
            )
            previous = now
    if not frames:
        return pd.DataFrame(columns=["scenario", "year", "measure", "lever", "reduction"])
    return pd.concat(frames, ignore_index=True)


def sources_table(model: SimModel, runs: list[ScenarioRun]) -> pd.DataFrame:
    """Where every variable's value came from, per scenario (for the audit trail)."""
    rows = []
    for r in runs:
        for key, src in r.evaluator.sources.items():
            a = src.assignment
            rows.append(
                {
                    "scenario": r.scenario,
                    "key": key_text(key),
                    "branch": path_text(key[0]),
                    "variable": key[1],
                    "sub": key[2],
                    "owner": a.owner if a else "default",
                    "expression": a.expr.text if a else str(src.default),
                    "unit": src.unit,
                    "file": a.origin.file if a else "",
                    "row": a.origin.row if a else None,
                }
            )
    return pd.DataFrame(rows)


def monte_carlo(
    model: SimModel, runner: Runner, draws: int, rng: np.random.Generator, chunk: int = 2000
) -> pd.DataFrame:
    """Percentiles of net emissions and the distribution of peak and neutrality years, from
    ``draws`` joint draws of the uncertain drivers, variables and factors (uncertainty.csv),
    vectorised over the draws (in chunks of ``chunk`` to bound memory)."""
    out = []
    years = np.asarray(model.years)
    scenarios = list(model.scenarios)
    nets: dict[str, list[FloatArray]] = {s: [] for s in scenarios}
    peaks: dict[str, list[FloatArray]] = {s: [] for s in scenarios}
    neutral: dict[str, list[FloatArray]] = {s: [] for s in scenarios}
    done = 0
    while done < draws:
        n = min(chunk, draws - done)
        # The same draws for every scenario (common random numbers), so that differences
        # between scenarios are not sampling noise.
        mult = {u.target: _draw(u.distribution, u.p, n, rng)[:, None] for u in model.uncertain}
        for sid in scenarios:
            t = totals_of(runner.run(sid, multipliers=mult, lean=True))
            net = np.broadcast_to(t["net"], (n, len(years)))
            em = np.broadcast_to(t["emissions"] + t["imports"], (n, len(years)))
            nets[sid].append(net)
            peaks[sid].append(years[np.argmax(em, axis=-1)])
            below = net <= 0
            neutral[sid].append(np.where(below.any(-1), years[np.argmax(below, axis=-1)], -1))
        done += n
    for sid in scenarios:
        q = np.percentile(np.concatenate(nets[sid]), [5, 50, 95], axis=0)
        pk = np.concatenate(peaks[sid])
        nu = np.concatenate(neutral[sid])
        for i, y in enumerate(years):
            out.append(
                {
                    "scenario": sid,
                    "year": int(y),
                    "net_p05": q[0, i],
                    "net_p50": q[1, i],
                    "net_p95": q[2, i],
                    "peak_year_share": float(np.mean(pk == y)),
                    "neutral_by_share": float(np.mean((nu >= 0) & (nu <= y))),
                }
            )
    return pd.DataFrame(out)


def _draw(dist: str, p: tuple[float, float, float], n: int, rng: np.random.Generator) -> FloatArray:
    if dist == "normal":
        return rng.normal(1.0, p[0], n)
    if dist == "lognormal":
        # A multiplier with median 1 and log-sd p1.
        return rng.lognormal(0.0, p[0], n)
    if dist == "uniform":
        return rng.uniform(p[0], p[1], n)
    return rng.triangular(p[0], p[1], p[2], n)
