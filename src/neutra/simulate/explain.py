"""Explain one computed value: its formula, its inputs, and where each input came from.

``neutra explain PLAN --scenario S --var V --branch B --year Y`` answers what LEAP users rebuild
in spreadsheets: for an input variable, the expression that set it (scenario, measure, parent or
Current Accounts, with file and row), what it means, and the values it referred to; for a
computed one (total activity, energy, emissions, transformation flows, totals), the formula
with the numbers put in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from neutra import units
from neutra.errors import PlanError
from neutra.simulate.catalogue import VARIABLES, Kind
from neutra.simulate.engine import Runner, ScenarioRun
from neutra.simulate.evaluate import Evaluator, key_text
from neutra.simulate.expressions import describe
from neutra.simulate.model import CURRENT, KEY, Key, SimModel, split_path
from neutra.simulate.results import TOTAL_COLUMNS, totals_of

COMPUTED = {
    "total_activity": "activity of the branch: the product of the levels down its path",
    "energy": "final energy of a fuel: total activity × intensity",
    "emissions": "emissions of the branch by fuel and gas: energy × factor × GWP",
    "output": "output of a process or module",
    "inputs": "inputs of a process by fuel: output / efficiency × input share",
    "imports": "imports of a module and the emissions they carry",
    "total_capacity": "capacity of a process: exogenous + endogenous additions",
    "net": "net emissions: emissions + imports + sinks (and after trade)",
}


@dataclass
class Explanation:
    """Lines of text (formula, inputs, sources) and the same as data for ``--json``."""

    scenario: str
    variable: str
    branch: str
    year: int
    value: float
    unit: str
    lines: list[str] = field(default_factory=list)
    inputs: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "schema": "neutra.explain/1",
            "scenario": self.scenario,
            "variable": self.variable,
            "branch": self.branch,
            "year": self.year,
            "value": self.value,
            "unit": self.unit,
            "lines": self.lines,
            "inputs": self.inputs,
        }


def _at(a: Any, i: int) -> float:
    return float(np.asarray(a)[..., i].mean())


def _num(v: float) -> str:
    return f"{v:,.6g}"


def _source_text(ev: Evaluator, key: Key) -> tuple[str, dict[str, Any]]:
    src = ev.sources.get(key)
    if src is None or src.assignment is None:
        default = None if src is None else src.default
        return f"default {default}", {"owner": "default", "value": default}
    a = src.assignment
    owner = a.owner if a.owner != CURRENT else "Current Accounts"
    text = f"{owner}: {a.expr.text!r} ({describe(a.expr)}) — {a.origin.file}, row {a.origin.row}"
    return text, {
        "owner": a.owner,
        "expression": a.expr.text,
        "meaning": describe(a.expr),
        "file": a.origin.file,
        "row": a.origin.row,
        "unit": a.unit or src.unit,
    }


def _input(ex: Explanation, ev: Evaluator, key: Key, i: int, indent: str = "  ") -> None:
    value = _at(ev.value(key), i)
    unit = ev.unit(key)
    where, data = _source_text(ev, key)
    ex.lines.append(f"{indent}{key_text(key)} = {_num(value)} {unit}  ← {where}")
    ex.inputs.append({"key": key_text(key), "value": value, "unit": unit, **data})


def explain(
    model: SimModel,
    runner: Runner,
    scenario: str,
    variable: str,
    branch: str,
    year: int,
    fuel: str = "",
    gas: str = "",
) -> Explanation:
    """Explain ``variable`` of ``branch`` in ``scenario`` and ``year``."""
    if scenario != CURRENT and scenario not in model.scenarios:
        raise PlanError(f"scenario {scenario!r}: expected one of {', '.join(model.scenarios)}")
    if year not in model.years:
        raise PlanError(f"year {year}: expected {model.base_year}–{model.end_year}")
    i = year - model.base_year
    run = runner.run(scenario)
    ev = run.evaluator
    path = split_path(branch) if branch else ()
    if variable in VARIABLES:
        return _explain_input(model, run, scenario, variable, path, year, i, fuel or gas)
    if variable not in COMPUTED:
        known = sorted({*VARIABLES, *COMPUTED})
        raise PlanError(f"variable {variable!r}: expected one of {', '.join(known)}")
    if variable != "net" and path not in model.branches:
        raise PlanError(f"branch {branch!r}: expected a branch of branches.csv")
    ex = Explanation(scenario, variable, branch, year, float("nan"), "")
    if variable == "total_activity":
        _total_activity(ex, model, runner, run, path, i)
    elif variable == "energy":
        _energy(ex, model, runner, run, path, i, fuel)
    elif variable == "emissions":
        _emissions(ex, run, path, i, fuel, gas)
    elif variable in ("output", "inputs", "imports"):
        _flows(ex, model, run, path, i, variable)
    elif variable == "total_capacity":
        _capacity(ex, run, path, i)
    else:
        _net(ex, run, i)
    del ev
    return ex


def _explain_input(
    model: SimModel,
    run: ScenarioRun,
    scenario: str,
    variable: str,
    path: tuple[str, ...],
    year: int,
    i: int,
    sub: str,
) -> Explanation:
    ev = run.evaluator
    if variable == "value" and len(path) == 1:
        path = (KEY, path[0])
    key: Key = (path, variable, sub)
    value = ev.value(key)  # raises with the reason when there is no value
    ex = Explanation(scenario, variable, "/".join(path), year, _at(value, i), ev.unit(key))
    where, data = _source_text(ev, key)
    ex.lines.append(f"{key_text(key)} in {year} = {_num(ex.value)} {ex.unit}")
    ex.lines.append(f"  from {where}")
    ex.inputs.append({"key": key_text(key), "value": ex.value, "unit": ex.unit, **data})
    src = ev.sources.get(key)
    a = src.assignment if src else None
    if a is not None:
        if a.owner != CURRENT and year != model.base_year:
            ex.lines.append(f"  base year {model.base_year}: Current Accounts value")
        if a.expr.uses_base and a.owner != CURRENT:
            ex.lines.append(
                f"  BaseYearValue = {_num(float(np.mean(ev.base_value(key))))} {ex.unit}"
            )
        if a.expr.uses_inherited:
            j = ev.owners.index(a.owner) + 1
            inh = ev.value_from(key, j)
            nxt = next((o for o in ev.owners[j:] if key in model.assignments.get(o, {})), "default")
            ex.lines.append(f"  Inherited (from {nxt}) = {_num(_at(inh, i))} {ex.unit}")
        for r in a.expr.refs:
            rkey: Key = (
                ((KEY, r.path[-1]), "value", "")
                if r.driver
                else (tuple(r.path), r.variable or "activity", "")
            )
            _input(ex, ev, rkey, i, "  uses ")
    return ex


def _total_activity(
    ex: Explanation,
    model: SimModel,
    runner: Runner,
    run: ScenarioRun,
    path: tuple[str, ...],
    i: int,
) -> None:
    ev = run.evaluator
    b = model.branches[path]
    if b.kind == Kind.STOCK:
        ex.lines.append("total activity = devices in service × usage")
        for v in ("stock", "sales", "lifetime", "shape", "usage"):
            _input(ex, ev, (path, v, ""), i)
    else:
        runner.total_activity(ev, path, run)
        ex.lines.append(
            "total activity = "
            + " × ".join(
                "/".join(path[:k])
                for k in range(1, len(path) + 1)
                if model.branches[path[:k]].kind != Kind.CATEGORY
            )
        )
        for k in range(1, len(path) + 1):
            node = model.branches[path[:k]]
            if node.kind != Kind.CATEGORY:
                _input(ex, ev, (node.path, "activity", ""), i)
    ex.value = _at(run.activity[path], i)
    ex.unit = "SI base units (" + str(runner.dims(ev, path)) + ")"
    ex.lines.append(f"  = {_num(ex.value)} {ex.unit}")


def _energy(
    ex: Explanation,
    model: SimModel,
    runner: Runner,
    run: ScenarioRun,
    path: tuple[str, ...],
    i: int,
    fuel: str,
) -> None:
    fuels = [f for p, f in run.energy if p == path]
    if not fuel:
        if len(fuels) != 1:
            raise PlanError(f"--fuel: expected one of {', '.join(fuels) or '(none)'}")
        fuel = fuels[0]
    if (path, fuel) not in run.energy:
        raise PlanError(f"fuel {fuel!r}: expected one of {', '.join(fuels) or '(none)'}")
    _total_activity(ex, model, runner, run, path, i)
    ex.lines.append(
        f"energy[{fuel}] = total activity × intensity[{fuel}]"
        + (" (by vintage)" if model.branches[path].kind == Kind.STOCK else "")
    )
    _input(ex, run.evaluator, (path, "intensity", fuel), i)
    gj = _at(run.energy[(path, fuel)], i)
    ex.value = gj * units.factor("GJ", model.energy_unit)
    ex.unit = model.energy_unit
    ex.lines.append(f"  = {_num(gj)} GJ = {_num(ex.value)} {ex.unit}")


def _emissions(
    ex: Explanation, run: ScenarioRun, path: tuple[str, ...], i: int, fuel: str, gas: str
) -> None:
    text = "/".join(path)
    total = 0.0
    for f in run.flows:
        if f.branch != text or (fuel and f.fuel != fuel) or (gas and f.gas != gas):
            continue
        t = _at(f.tonnes, i)
        c = _at(f.co2e, i)
        total += c
        ex.lines.append(
            f"{f.source} {f.fuel or '-'} {f.gas}: {_num(t)} t × GWP = {_num(c)} t CO2e"
            f"  ← factors {f.factor_ids} ({f.status})"
        )
        ex.inputs.append(
            {
                "source": f.source,
                "fuel": f.fuel,
                "gas": f.gas,
                "tonnes": t,
                "co2e": c,
                "factor_ids": f.factor_ids,
                "status": f.status,
            }
        )
    ex.value, ex.unit = total, "t CO2e"
    ex.lines.append(f"  total = {_num(total)} t CO2e")


def _flows(
    ex: Explanation,
    model: SimModel,
    run: ScenarioRun,
    path: tuple[str, ...],
    i: int,
    variable: str,
) -> None:
    text = "/".join(path)
    b = model.branches[path]
    module = text if b.kind == Kind.MODULE else "/".join(path[:-1])
    want = {"output": ("output",), "inputs": ("input",), "imports": ("imports",)}[variable]
    total = 0.0
    for tf in run.tflows:
        if tf.module != module or tf.flow not in want:
            continue
        if b.kind == Kind.PROCESS and tf.process != text:
            continue
        v = _at(tf.gj, i)
        total += v
        ex.lines.append(f"{tf.flow} {tf.process or tf.module} {tf.fuel}: {_num(v)} GJ")
    if variable == "inputs" and b.kind == Kind.PROCESS:
        ex.lines.append("inputs = output / efficiency × input share")
        _input(ex, run.evaluator, (path, "efficiency", ""), i)
    if variable == "imports":
        for f in run.flows:
            if f.source == "imports" and f.branch == module:
                ex.lines.append(f"  carries {_num(_at(f.co2e, i))} t CO2e ← {f.factor_ids}")
    ex.value, ex.unit = total, "GJ"


def _capacity(ex: Explanation, run: ScenarioRun, path: tuple[str, ...], i: int) -> None:
    text = "/".join(path)
    for _module, process, exo, added in run.capacity:
        if process == text:
            e, a = _at(exo, i), _at(added, i)
            ex.lines.append(f"capacity = exogenous {_num(e)} MW + added {_num(a)} MW")
            ex.lines.append(
                "  (additions in the order of additions.csv while capacity is below "
                "peak × (1 + reserve margin))"
            )
            ex.value, ex.unit = e + a, "MW"
            return
    raise PlanError(f"branch {text!r}: expected a process")


def _net(ex: Explanation, run: ScenarioRun, i: int) -> None:
    t = totals_of(run)
    for k in TOTAL_COLUMNS:
        ex.lines.append(f"{k} = {_num(_at(t[k], i))} t CO2e")
    ex.lines.insert(0, "net = gross + captured + imports + sinks; net after trade = net − offsets")
    ex.value, ex.unit = _at(t["net"], i), "t CO2e"
