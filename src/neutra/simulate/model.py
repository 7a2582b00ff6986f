"""Compile a plan's simulation tables into a checked model, collecting every problem at once.

Checks the tree (kinds, units, where modules and processes sit), the scenarios (parents that
exist, no cycle of inheritance, measures that exist), every expression (it parses; it names a
known branch, variable, fuel or gas; what it refers to exists; its unit has the dimension the
variable needs) and the Current Accounts values a model needs. Problems name the file, row,
column (cell in a workbook), the bad value and what was expected.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from neutra import units
from neutra.errors import ExpressionError, Problem, UnitError
from neutra.io.tables import Origin
from neutra.io.tables import cell_text as _text
from neutra.model.plan import Plan
from neutra.simulate.catalogue import (
    DEMAND_KINDS,
    LEAF_ONLY,
    LEVER_ALIASES,
    NON_COMBUSTION_FUELS,
    OPTIMIZE_ONLY,
    VARIABLES,
    Dim,
    Kind,
    Lever,
)
from neutra.simulate.expressions import Expr, Ref, parse

CURRENT = "current"  # the Current Accounts "scenario"
CURRENT_ALIASES = frozenset({"current", "current accounts", "current_accounts", "现状", "基年"})
KEY = "Key"  # drivers live under Key/<driver>

Path = tuple[str, ...]
Key = tuple[Path, str, str]  # (branch path, variable, fuel or gas or "")


def split_path(text: str) -> Path:
    return tuple(p.strip() for p in str(text).replace("\\", "/").split("/") if p.strip())


def path_text(path: Path) -> str:
    return "/".join(path)


def _split_list(text: Any) -> list[str]:
    if text is None or (isinstance(text, float) and math.isnan(text)) or text is pd.NA:
        return []
    return [t.strip() for t in str(text).replace("，", ",").split(",") if t.strip()]


def _number(v: Any) -> float:
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return math.nan
    return float(v)


@dataclass(frozen=True, slots=True)
class Branch:
    path: Path
    kind: Kind
    unit: str  # activity unit ("" for none, "%" for shares)
    sector: str
    fuel: str
    order: int
    dispatch: str
    import_grid: str
    name: str
    name_zh: str
    origin: Origin | None  # None for an implicit category

    @property
    def text(self) -> str:
        return path_text(self.path)


@dataclass(frozen=True, slots=True)
class Driver:
    id: str
    unit: str
    name: str
    name_zh: str
    origin: Origin


@dataclass(frozen=True, slots=True)
class Assignment:
    """One expression row: who sets which variable, how, in which unit."""

    owner: str  # scenario id, "current", or "measure:<id>"
    key: Key
    expr: Expr
    unit: str
    origin: Origin


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    parents: tuple[str, ...]
    measures: tuple[str, ...]
    kind: str
    name: str
    name_zh: str
    origin: Origin | None


@dataclass(frozen=True, slots=True)
class Measure:
    id: str
    lever: Lever
    name: str
    name_zh: str
    origin: Origin


@dataclass(frozen=True, slots=True)
class Addition:
    process: Path
    size: float  # in the unit below
    unit: str
    scenario: str  # "" for all
    origin: Origin


@dataclass(frozen=True, slots=True)
class Uncertain:
    target: str
    kind: str  # driver | variable | factor
    key: Key | None
    fuel: str
    distribution: str
    p: tuple[float, float, float]
    origin: Origin


@dataclass
class SimModel:
    """A checked simulation model: the tree, drivers, scenarios, measures and expressions."""

    base_year: int
    end_year: int
    energy_unit: str
    branches: dict[Path, Branch]
    children: dict[Path, list[Path]]
    drivers: dict[str, Driver]
    scenarios: dict[str, Scenario]
    measures: dict[str, Measure]
    assignments: dict[str, dict[Key, Assignment]]  # by owner
    canonical_units: dict[Key, str]
    additions: list[Addition]
    uncertain: list[Uncertain]
    fuels: set[str] = field(default_factory=set)

    @property
    def years(self) -> list[int]:
        return list(range(self.base_year, self.end_year + 1))

    def lookup_order(self, scenario: str) -> list[str]:
        """LEAP's look-up order: the scenario, its parents in order, their parents (breadth
        first), up to Current Accounts. Measures are not in it (see :meth:`owners`)."""
        order: list[str] = []
        queue = [scenario]
        while queue:
            s = queue.pop(0)
            if s in order or s == CURRENT:
                continue
            order.append(s)
            queue.extend(self.scenarios[s].parents)
        return order

    def measure_list(self, scenario: str) -> list[str]:
        """Every measure a scenario applies, in order: the farthest ancestor's first (they are
        already in place in the parent scenarios), the scenario's own last."""
        out: list[str] = []
        for s in reversed(self.lookup_order(scenario)):
            for m in self.scenarios[s].measures:
                if m not in out:
                    out.append(m)
        return out

    def owners(self, scenario: str, enabled: Iterable[str] | None = None) -> list[str]:
        """Where expressions are looked up, first to last: each scenario of the look-up order
        with its own expressions, then its measures (the last listed first, so that each can
        build on the ones before it through ``Inherited``); then Current Accounts.
        ``enabled`` restricts the measures applied (for wedges); ``None``: all of them."""
        allowed = None if enabled is None else set(enabled)
        out: list[str] = []
        for s in self.lookup_order(scenario):
            out.append(s)
            for m in reversed(self.scenarios[s].measures):
                owner = f"measure:{m}"
                if (allowed is None or m in allowed) and owner not in out:
                    out.append(owner)
        out.append(CURRENT)
        return out

    def leaves(self) -> list[Path]:
        return [p for p in self.branches if not self.children.get(p)]


# --------------------------------------------------------------------------------------------


class _Compiler:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.problems: list[Problem] = []
        self.sim = plan.tables
        self.letters = plan.table_letters
        self._children: dict[Path, list[Path]] = {}
        self.fuels: set[str] = set()
        self.produced: set[str] = set()

    def origin(self, table: str, rec: dict[str, Any]) -> Origin:
        letters = tuple(sorted(self.letters.get(table, {}).items()))
        return Origin(str(rec.get("file", f"{table}.csv")), int(rec["row"]), letters)

    def records(self, table: str) -> list[dict[str, Any]]:
        frame = self.sim.get(table)
        if frame is None:
            return []
        return [dict(r) for r in frame.to_dict("records")]

    def add(self, origin: Origin | None, column: str | None, value: Any, expected: str) -> None:
        if origin is None:
            self.problems.append(Problem("branches.csv", None, column, value, expected))
        else:
            self.problems.append(origin.problem(column, value, expected))

    # -- tree ---------------------------------------------------------------------------------
    def branches(self) -> tuple[dict[Path, Branch], dict[Path, list[Path]]]:
        out: dict[Path, Branch] = {}
        for rec in self.records("branches"):
            o = self.origin("branches", rec)
            path = split_path(rec["branch"])
            if not path or path[0] == KEY:
                self.add(
                    o,
                    "branch",
                    rec["branch"],
                    "a branch path such as Demand/Industry (Key/… is for drivers, in drivers.csv)",
                )
                continue
            if path in out:
                first = out[path].origin
                self.add(
                    o,
                    "branch",
                    rec["branch"],
                    f"each branch once (already on row {first.row if first else '?'})",
                )
                continue
            kind_text = _text(rec.get("kind")).lower()
            try:
                kind = Kind(kind_text)
            except ValueError:
                self.add(o, "kind", rec.get("kind"), "one of " + ", ".join(k.value for k in Kind))
                continue
            unit = _text(rec.get("unit"))
            if kind in (Kind.SHARE, Kind.SATURATION):
                unit = unit or "%"
                if unit != "%":
                    self.add(o, "unit", unit, "% (a share or saturation is a percentage)")
            elif kind in (Kind.ACTIVITY, Kind.STOCK):
                if not unit:
                    self.add(
                        o,
                        "unit",
                        None,
                        f"the activity unit of a {kind.value} branch, e.g. t, person, vehicle, m2",
                    )
                else:
                    try:
                        units.parse(unit)
                    except UnitError as exc:
                        self.add(o, "unit", unit, exc.expected)
            order = rec.get("order")
            out[path] = Branch(
                path=path,
                kind=kind,
                unit=unit,
                sector=_text(rec.get("sector")),
                fuel=_text(rec.get("fuel")),
                order=int(order) if order is not None and not pd.isna(order) else 0,
                dispatch=_text(rec.get("dispatch")).lower(),
                import_grid=_text(rec.get("import_grid")),
                name=_text(rec.get("name")),
                name_zh=_text(rec.get("name_zh")),
                origin=o,
            )
        # Implicit categories for intermediate paths nobody declared.
        for path in list(out):
            for i in range(1, len(path)):
                parent = path[:i]
                if parent not in out:
                    out[parent] = Branch(parent, Kind.CATEGORY, "", "", "", 0, "", "", "", "", None)
        children: dict[Path, list[Path]] = {}
        for path in out:
            if len(path) > 1:
                children.setdefault(path[:-1], []).append(path)
        self._children = children
        for b in out.values():
            self._check_place(b, out, children)
        return out, children

    def _check_place(
        self, b: Branch, tree: dict[Path, Branch], children: dict[Path, list[Path]]
    ) -> None:
        parent = tree.get(b.path[:-1]) if len(b.path) > 1 else None
        kids = children.get(b.path, [])
        o = b.origin
        if b.kind == Kind.PROCESS and (parent is None or parent.kind != Kind.MODULE):
            self.add(o, "kind", b.kind.value, "a process directly under a module branch")
        if b.kind == Kind.MODULE:
            if not b.fuel:
                self.add(o, "fuel", None, "the module's output fuel, e.g. electricity")
            if b.dispatch not in ("share", "merit", "capacity", "optimize"):
                self.add(o, "dispatch", b.dispatch or None, "share, merit, capacity or optimize")
            if not kids:
                self.add(o, "branch", b.text, "at least one process under the module")
        if parent is not None and parent.kind == Kind.MODULE and b.kind != Kind.PROCESS:
            self.add(o, "kind", b.kind.value, "process (branches under a module are processes)")
        if b.kind == Kind.PROCESS and not b.fuel:
            self.add(o, "fuel", None, "the process's feedstock fuel, e.g. raw_coal or solar")
        if b.kind in (Kind.STOCK, Kind.SINK, Kind.TRADE, Kind.PROCESS) and kids:
            self.add(
                o,
                "kind",
                b.kind.value,
                f"a branch without branches under it (found {path_text(kids[0])})",
            )
        if b.kind == Kind.STOCK:
            above = [tree[b.path[:i]] for i in range(1, len(b.path))]
            if any(a.kind != Kind.CATEGORY for a in above):
                self.add(
                    o,
                    "kind",
                    b.kind.value,
                    "a stock branch under category branches only (its stock is absolute)",
                )
        if b.kind in (Kind.SHARE, Kind.SATURATION) and (
            parent is None or parent.kind == Kind.CATEGORY
        ):
            self.add(
                o,
                "kind",
                b.kind.value,
                f"a {b.kind.value} branch below a branch with an "
                "activity level (the % is of the parent's activity)",
            )

    # -- drivers, scenarios, measures ---------------------------------------------------------
    def drivers(self) -> dict[str, Driver]:
        out: dict[str, Driver] = {}
        for rec in self.records("drivers"):
            o = self.origin("drivers", rec)
            did = _text(rec["driver"])
            if did in out:
                self.add(
                    o, "driver", did, f"each driver once (already on row {out[did].origin.row})"
                )
                continue
            unit = _text(rec["unit"])
            try:
                units.parse(unit)
            except UnitError as exc:
                self.add(o, "unit", unit, exc.expected)
            out[did] = Driver(did, unit, _text(rec.get("name")), _text(rec.get("name_zh")), o)
        return out

    def measures(self) -> dict[str, Measure]:
        out: dict[str, Measure] = {}
        for rec in self.records("measures"):
            o = self.origin("measures", rec)
            mid = _text(rec["measure"])
            lever = LEVER_ALIASES.get(_text(rec["lever"]).lower())
            if lever is None:
                self.add(
                    o, "lever", rec["lever"], "reduce (减), replace (替), absorb (吸) or trade (易)"
                )
                continue
            if mid in out:
                self.add(
                    o, "measure", mid, f"each measure once (already on row {out[mid].origin.row})"
                )
                continue
            out[mid] = Measure(mid, lever, _text(rec.get("name")), _text(rec.get("name_zh")), o)
        return out

    def scenarios(self, measures: dict[str, Measure]) -> dict[str, Scenario]:
        out: dict[str, Scenario] = {}
        for rec in self.records("scenarios"):
            o = self.origin("scenarios", rec)
            sid = _text(rec["scenario"])
            if sid.lower() in CURRENT_ALIASES:
                self.add(
                    o,
                    "scenario",
                    sid,
                    "a scenario id other than 'current' (Current Accounts is implicit)",
                )
                continue
            if sid in out:
                self.add(o, "scenario", sid, "each scenario once")
                continue
            parents = tuple(
                CURRENT if p.lower() in CURRENT_ALIASES else p
                for p in _split_list(rec.get("parents"))
            )
            ms = tuple(_split_list(rec.get("measures")))
            for m in ms:
                if m not in measures:
                    self.add(
                        o,
                        "measures",
                        m,
                        "a measure of measures.csv: "
                        + (", ".join(sorted(measures)) or "(none declared)"),
                    )
            out[sid] = Scenario(
                sid,
                tuple(p for p in parents if p != CURRENT),
                tuple(m for m in ms if m in measures),
                _text(rec.get("kind")),
                _text(rec.get("name")),
                _text(rec.get("name_zh")),
                o,
            )
        for s in out.values():
            for p in s.parents:
                if p not in out:
                    self.add(
                        s.origin,
                        "parents",
                        p,
                        "a scenario of scenarios.csv: " + ", ".join(sorted(out)),
                    )
        # Cycles of inheritance.
        reported: set[frozenset[str]] = set()
        for s in out.values():
            cycle = _find_cycle(s.id, out)
            if cycle and frozenset(cycle) not in reported:
                reported.add(frozenset(cycle))
                self.add(
                    s.origin,
                    "parents",
                    ", ".join(s.parents),
                    "no cycle of inheritance (" + " → ".join([*cycle, cycle[0]]) + ")",
                )
        return out

    # -- expressions --------------------------------------------------------------------------
    def expressions(
        self,
        tree: dict[Path, Branch],
        drivers: dict[str, Driver],
        scenarios: dict[str, Scenario],
        measures: dict[str, Measure],
    ) -> tuple[dict[str, dict[Key, Assignment]], dict[Key, str], set[str]]:
        out: dict[str, dict[Key, Assignment]] = {}
        fuels: set[str] = set()
        pending_refs: list[tuple[Assignment, Ref]] = []
        for rec in self.records("expressions"):
            o = self.origin("expressions", rec)
            scen, meas = _text(rec.get("scenario")), _text(rec.get("measure"))
            if bool(scen) == bool(meas):
                self.add(
                    o,
                    "scenario",
                    scen or None,
                    "either a scenario (or current) or a measure, not both",
                )
                continue
            if meas:
                if meas not in measures:
                    self.add(
                        o,
                        "measure",
                        meas,
                        "a measure of measures.csv: "
                        + (", ".join(sorted(measures)) or "(none declared)"),
                    )
                    continue
                owner = f"measure:{meas}"
            elif scen.lower() in CURRENT_ALIASES:
                owner = CURRENT
            elif scen not in scenarios:
                self.add(
                    o,
                    "scenario",
                    scen,
                    "current or a scenario of scenarios.csv: "
                    + (", ".join(sorted(scenarios)) or "(none declared)"),
                )
                continue
            else:
                owner = scen
            key = self._key(o, rec, tree, drivers)
            if key is None:
                continue
            if key[1] in ("intensity", "input_share", "capture_energy") and key[2]:
                fuels.add(key[2])
            text = _text(rec["expression"])
            try:
                expr = parse(text)
            except ExpressionError as exc:
                where = f" at character {exc.position + 1}" if exc.position >= 0 else ""
                self.add(o, "expression", text, f"a valid expression ({exc.reason}{where})")
                continue
            a = Assignment(owner, key, expr, _text(rec.get("unit")), o)
            book = out.setdefault(owner, {})
            if key in book:
                self.add(
                    o,
                    "variable",
                    key[1],
                    f"one value per scenario, branch and variable "
                    f"(already on row {book[key].origin.row})",
                )
                continue
            book[key] = a
            pending_refs.extend((a, r) for r in expr.refs)
            if expr.uses_siblings and not (
                key[1] == "activity" and tree[key[0]].kind == Kind.SHARE
            ):
                self.add(
                    o, "expression", text, "Remainder() only for the activity of a share branch"
                )
        for a, r in pending_refs:
            self._check_ref(a, r, tree, drivers)
        canonical = self._units(out, tree, drivers)
        return out, canonical, fuels

    def _key(
        self, o: Origin, rec: dict[str, Any], tree: dict[Path, Branch], drivers: dict[str, Driver]
    ) -> Key | None:
        path = split_path(rec["branch"])
        variable = _text(rec["variable"]).lower()
        fuel, gas = _text(rec.get("fuel")), _text(rec.get("gas"))
        if len(path) == 2 and path[0] == KEY:
            if path[1] not in drivers:
                self.add(
                    o,
                    "branch",
                    rec["branch"],
                    "Key/<driver> with a driver of drivers.csv: "
                    + (", ".join(sorted(drivers)) or "(none declared)"),
                )
                return None
            if variable != "value":
                self.add(o, "variable", variable, "value (the variable of a driver)")
                return None
            return (path, "value", "")
        if path not in tree:
            self.add(o, "branch", rec["branch"], "a branch of branches.csv or Key/<driver>")
            return None
        b = tree[path]
        var = VARIABLES.get(variable)
        if var is not None and variable in LEAF_ONLY and self._children.get(path):
            self.add(
                o,
                "variable",
                variable,
                f"{variable} on a branch without branches under it "
                f"({b.text} has {path_text(self._children[path][0])})",
            )
            return None
        module = b if b.kind == Kind.MODULE else tree.get(path[:-1])
        optimised = module is not None and module.dispatch == "optimize"
        if (
            var is not None
            and b.kind in var.kinds
            and not optimised
            and (variable in OPTIMIZE_ONLY or (variable == "lifetime" and b.kind == Kind.PROCESS))
        ):
            self.add(
                o,
                "variable",
                variable,
                f"{variable} only in a module with dispatch optimize "
                f"({(module or b).text} is dispatched by rule)",
            )
            return None
        if var is None or b.kind not in var.kinds:
            allowed = sorted(n for n, v in VARIABLES.items() if b.kind in v.kinds)
            self.add(
                o,
                "variable",
                variable,
                f"a variable of a {b.kind.value} branch: "
                + (", ".join(allowed) or "(none: a category has no variables)"),
            )
            return None
        sub = ""
        if var.per == "fuel":
            if not fuel:
                self.add(o, "fuel", None, f"the fuel of this {variable} row")
                return None
            sub = fuel
        elif var.per == "gas":
            if not gas:
                self.add(o, "gas", None, f"the gas of this {variable} row, e.g. CO2")
                return None
            sub = gas
        return (path, variable, sub)

    def _check_ref(
        self, a: Assignment, r: Ref, tree: dict[Path, Branch], drivers: dict[str, Driver]
    ) -> None:
        text = a.expr.text
        if r.driver:
            name = r.path[-1]
            if name not in drivers:
                self.add(
                    a.origin,
                    "expression",
                    text,
                    f"'{name}' to be a driver of drivers.csv "
                    "(or a branch written Demand\\Industry:activity)",
                )
            return
        path = tuple(r.path)
        if path not in tree:
            self.add(a.origin, "expression", text, f"'{r}' to name a branch of branches.csv")
            return
        var = r.variable or "activity"
        v = VARIABLES.get(var)
        if v is None or tree[path].kind not in v.kinds or v.per is not None:
            self.add(
                a.origin,
                "expression",
                text,
                f"'{r}' to name a variable of that branch "
                "without fuel or gas (activity, stock, sales, efficiency, …)",
            )

    def _units(
        self,
        book: dict[str, dict[Key, Assignment]],
        tree: dict[Path, Branch],
        drivers: dict[str, Driver],
    ) -> dict[Key, str]:
        """The unit each key is evaluated in (the first row's, Current Accounts first), checking
        that every row's unit has the dimension the variable needs."""
        canonical: dict[Key, str] = {}
        owners = [CURRENT, *sorted(k for k in book if k != CURRENT)]
        for owner in owners:
            for key, a in book.get(owner, {}).items():
                unit = a.unit or canonical.get(key) or self._default_unit(key, tree, drivers)
                if not unit:
                    self.add(a.origin, "unit", None, f"the unit of this {key[1]} value")
                    continue
                ok = self._check_unit(a, key, unit, tree, drivers)
                if ok and key not in canonical:
                    canonical[key] = unit
                elif ok and not units.same_dimension(unit, canonical[key]):
                    self.add(
                        a.origin,
                        "unit",
                        unit,
                        f"a unit of the same kind as "
                        f"{canonical[key]!r} (the unit of this variable's other rows)",
                    )
        return canonical

    @staticmethod
    def _default_unit(key: Key, tree: dict[Path, Branch], drivers: dict[str, Driver]) -> str:
        path, variable, _ = key
        if variable == "value":
            return drivers[path[1]].unit
        var = VARIABLES[variable]
        if var.dim == Dim.ACTIVITY and variable not in ("usage",):
            return tree[path].unit
        if var.dim == Dim.PERCENT:
            return "%"
        if var.dim == Dim.YEARS:
            return "year"
        return var.default_unit or ""

    def _check_unit(
        self,
        a: Assignment,
        key: Key,
        unit: str,
        tree: dict[Path, Branch],
        drivers: dict[str, Driver],
    ) -> bool:
        path, variable, _ = key
        try:
            q = units.parse(unit)
        except UnitError as exc:
            self.add(a.origin, "unit", unit, exc.expected)
            return False
        if variable == "value":
            want = drivers[path[1]].unit
            ok = units.same_dimension(unit, want)
            if not ok:
                self.add(
                    a.origin,
                    "unit",
                    unit,
                    f"a unit of the same kind as {want!r} (the driver's unit)",
                )
            return ok
        var = VARIABLES[variable]
        dims = {
            Dim.PERCENT: "dimensionless",
            Dim.NUMBER: "dimensionless",
            Dim.POWER: "W",
            Dim.YEARS: "year",
            Dim.AREA: "m**2",
            Dim.MASS: "kg",
            Dim.MASS_PER_AREA: "kg/m**2",
            Dim.ENERGY_PER_MASS: "J/kg",
            Dim.MASS_PER_ENERGY: "kg/J",
        }
        if var.dim == Dim.ACTIVITY and variable != "usage":
            want_unit = tree[path].unit
            ok = bool(want_unit) and units.same_dimension(unit, want_unit)
            if not ok and want_unit:
                self.add(
                    a.origin,
                    "unit",
                    unit,
                    f"a unit of the same kind as {want_unit!r} (the branch's unit)",
                )
            return ok
        if var.dim in (Dim.COST_PER_POWER, Dim.COST_PER_ENERGY):
            per = "W" if var.dim == Dim.COST_PER_POWER else "J"
            reg = units.registry()
            ok = any(
                q.dimensionality == reg.parse_expression(f"{c}/{per}").dimensionality
                for c in ("CNY", "USD", "EUR")
            )
            if not ok:
                self.add(
                    a.origin,
                    "unit",
                    unit,
                    f"a unit of {var.dim.value}, e.g. " + ("CNY/kW" if per == "W" else "CNY/MWh"),
                )
            return ok
        if var.dim in dims:
            reg = units.registry()
            ok = bool(q.dimensionality == reg.parse_expression(dims[var.dim]).dimensionality)
            if not ok:
                self.add(a.origin, "unit", unit, f"a unit of {var.dim.value}")
            return ok
        return True  # per-activity units are checked against the tree by the engine

    def additions(self, tree: dict[Path, Branch], scenarios: dict[str, Scenario]) -> list[Addition]:
        out = []
        for rec in self.records("additions"):
            o = self.origin("additions", rec)
            path = split_path(rec["process"])
            b = tree.get(path)
            if b is None or b.kind != Kind.PROCESS:
                self.add(o, "process", rec["process"], "a process branch of branches.csv")
                continue
            unit = _text(rec["unit"])
            try:
                units.check_dimension(unit, ("power",))
            except UnitError as exc:
                self.add(o, "unit", unit, exc.expected)
                continue
            scen = _text(rec.get("scenario"))
            if scen and scen not in scenarios:
                self.add(o, "scenario", scen, "blank or a scenario of scenarios.csv")
                continue
            if not float(rec["size"]) > 0:
                self.add(o, "size", rec["size"], "a size > 0")
                continue
            out.append(Addition(path, float(rec["size"]), unit, scen, o))
        return out

    def uncertain(self, tree: dict[Path, Branch], drivers: dict[str, Driver]) -> list[Uncertain]:
        out = []
        for rec in self.records("uncertainty"):
            o = self.origin("uncertainty", rec)
            target = _text(rec["target"])
            dist = _text(rec["distribution"]).lower()
            p1, p2, p3 = (_number(rec.get(k)) for k in ("p1", "p2", "p3"))
            p = (p1, p2, p3)
            need = {"normal": 1, "lognormal": 1, "uniform": 2, "triangular": 3}
            if dist not in need:
                self.add(o, "distribution", dist, "normal, lognormal, uniform or triangular")
                continue
            if any(math.isnan(x) for x in p[: need[dist]]):
                self.add(o, f"p{need[dist]}", None, f"{need[dist]} parameters for {dist}")
                continue
            if dist == "uniform" and not p[0] <= p[1]:
                self.add(o, "p2", p[1], f"high ≥ low ({p[0]})")
                continue
            if dist == "triangular" and not p[0] <= p[1] <= p[2]:
                self.add(o, "p2", p[1], f"low ≤ mode ≤ high ({p[0]}, {p[2]})")
                continue
            if target.startswith("factor:"):
                fuel = target[7:].strip()
                burnt = self.fuels - NON_COMBUSTION_FUELS - self.produced
                if fuel not in burnt and fuel != "electricity_import":
                    self.add(
                        o,
                        "target",
                        target,
                        "factor:<fuel> with a fuel the model uses ("
                        + ", ".join(sorted(self.fuels))
                        + ") or factor:electricity_import",
                    )
                    continue
                out.append(Uncertain(target, "factor", None, fuel, dist, p, o))
                continue
            if ":" in target:
                btext, var = target.rsplit(":", 1)
                path = split_path(btext)
                v = VARIABLES.get(var.strip())
                if path not in tree or v is None or tree[path].kind not in v.kinds or v.per:
                    self.add(
                        o,
                        "target",
                        target,
                        "Key/<driver>, <branch>:<variable> (a variable"
                        " without fuel or gas) or factor:<fuel>",
                    )
                    continue
                out.append(Uncertain(target, "variable", (path, var.strip(), ""), "", dist, p, o))
                continue
            path = split_path(target)
            if len(path) == 2 and path[0] == KEY and path[1] in drivers:
                out.append(Uncertain(target, "driver", (path, "value", ""), "", dist, p, o))
                continue
            self.add(o, "target", target, "Key/<driver>, <branch>:<variable> or factor:<fuel>")
        return out

    def required(self, model: SimModel) -> None:
        """Current Accounts values a model needs (variables without a default)."""
        ca = model.assignments.get(CURRENT, {})
        for d in model.drivers.values():
            if ((KEY, d.id), "value", "") not in ca:
                self.add(
                    d.origin,
                    "driver",
                    d.id,
                    f"a Current Accounts value: a row of "
                    f"expressions.csv with scenario current, branch Key/{d.id}, variable "
                    "value",
                )
        for b in model.branches.values():
            for name, var in VARIABLES.items():
                if b.kind not in var.kinds or var.default is not None or var.per:
                    continue
                if name in (
                    "carbon_stock",
                    "import_factor",
                    "max_capacity",
                    "import_price",
                    "emission_cap",
                ) or (
                    name == "load_factor"
                    and not any(a.process[:-1] == b.path for a in model.additions)
                ):
                    continue
                module = b if b.kind == Kind.MODULE else model.branches.get(b.path[:-1])
                optimised = module is not None and module.dispatch == "optimize"
                if (
                    name in OPTIMIZE_ONLY or (name == "lifetime" and b.kind == Kind.PROCESS)
                ) and not optimised:
                    continue
                if (b.path, name, "") not in ca:
                    self.add(
                        b.origin,
                        "branch",
                        b.text,
                        f"a Current Accounts value of {name} "
                        f"({var.description}): a row of expressions.csv with scenario "
                        f"current, branch {b.text}, variable {name}",
                    )
            if b.kind == Kind.SINK:
                has_area = (b.path, "area", "") in ca
                has_stock = (b.path, "carbon_stock", "") in ca
                if not has_area and not has_stock:
                    self.add(
                        b.origin,
                        "branch",
                        b.text,
                        "a Current Accounts area (with "
                        "removal_factor) or carbon_stock for the sink",
                    )


def _find_cycle(start: str, scenarios: dict[str, Scenario]) -> list[str] | None:
    """A cycle of inheritance reachable from ``start``, as the list of its scenarios."""
    stack: list[str] = []
    on: set[str] = set()
    done: set[str] = set()

    def visit(s: str) -> list[str] | None:
        if s in on:
            return stack[stack.index(s) :]
        if s in done or s not in scenarios:
            return None
        on.add(s)
        stack.append(s)
        for p in scenarios[s].parents:
            found = visit(p)
            if found:
                return found
        on.discard(s)
        stack.pop()
        done.add(s)
        return None

    return visit(start)


def has_simulation(plan: Plan) -> bool:
    """Whether the plan has a scenario model (a branches or an expressions table)."""
    return "branches" in plan.tables or "expressions" in plan.tables


def compile_model(plan: Plan) -> tuple[SimModel | None, list[Problem]]:
    """The plan's simulation model, and every problem found in its tables."""
    c = _Compiler(plan)
    tree, children = c.branches()
    drivers = c.drivers()
    measures = c.measures()
    scenarios = c.scenarios(measures)
    book, canonical, fuels = c.expressions(tree, drivers, scenarios, measures)
    c.fuels = fuels | {b.fuel for b in tree.values() if b.kind == Kind.PROCESS and b.fuel}
    c.produced = {b.fuel for b in tree.values() if b.kind == Kind.MODULE and b.fuel}
    additions = c.additions(tree, scenarios)
    uncertain = c.uncertain(tree, drivers)
    base = plan.settings.sim_base_year or plan.entity.base_year
    end = plan.settings.end_year
    if end <= base:
        c.problems.append(
            Problem(
                "plan.toml",
                None,
                "settings.end_year",
                str(end),
                f"a year after the simulation's base year {base}",
            )
        )
    try:
        units.check_dimension(plan.settings.energy_unit, ("energy",))
    except UnitError as exc:
        c.problems.append(
            Problem(
                "plan.toml", None, "settings.energy_unit", plan.settings.energy_unit, exc.expected
            )
        )
    if not scenarios:
        c.problems.append(
            Problem("scenarios.csv", None, None, None, "at least one scenario (e.g. baseline)")
        )
    model = SimModel(
        base,
        end,
        plan.settings.energy_unit,
        tree,
        children,
        drivers,
        scenarios,
        measures,
        book,
        canonical,
        additions,
        uncertain,
        fuels,
    )
    c.required(model)
    return (None if c.problems else model), c.problems


__all__ = [
    "CURRENT",
    "DEMAND_KINDS",
    "Addition",
    "Assignment",
    "Branch",
    "Driver",
    "Key",
    "Measure",
    "Origin",
    "Scenario",
    "SimModel",
    "Uncertain",
    "compile_model",
    "has_simulation",
    "path_text",
    "split_path",
]
