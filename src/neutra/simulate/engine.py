"""One scenario of the accounting simulation: demand, transformation, emissions, sinks, trade.

The calculation, year by year as arrays (LEAP's accounting logic; docs/method-simulate.md):

* **demand** — total activity of a branch is the product of the activity levels down its path
  (absolute levels, shares and saturations as fractions); final energy of a fuel is total
  activity × its final energy intensity. A stock branch's energy is Σ over vintages of devices
  in service × usage × the intensity of the year they were sold (:mod:`.stock`);
* **transformation** — modules in their order meet the demand for their output fuel
  (:mod:`.transform`); their inputs become demand for the modules after them and primary energy;
* **emissions** — energy burnt × the factor set's combustion factors, process emissions =
  total activity × process factor, CO2 captured = capture rate × the branch's CO2 (its energy
  penalty is burnt too), imports × the source grid's factor, sinks as negative CO2, all in CO2e
  by the plan's GWP set; offsets (易 trade) are kept apart from physical emissions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from neutra import units
from neutra.errors import CalculationError, PlanValidationError, Problem, UnitError
from neutra.inventory.gases import GwpSet
from neutra.inventory.recipes import Resolver
from neutra.simulate import factors as fx
from neutra.simulate.catalogue import NON_COMBUSTION_FUELS, Kind
from neutra.simulate.evaluate import Evaluator, key_text
from neutra.simulate.model import CURRENT, KEY, Branch, Key, Path, SimModel, path_text
from neutra.simulate.stock import survival_weibull, turnover, vintage_weighted
from neutra.simulate.transform import (
    GJ_PER_MWH,
    HOURS_PER_YEAR,
    additions,
    available_energy,
    dispatch,
    production,
)

FloatArray = npt.NDArray[np.float64]
C_TO_CO2 = 44.0 / 12.0
TRANSPORT = frozenset({"transport", "transportation", "交通", "交通运输", "交通运输业"})
DEMAND_LEAVES = (Kind.ACTIVITY, Kind.SHARE, Kind.SATURATION, Kind.STOCK)


@dataclass(frozen=True, slots=True)
class Flow:
    """Emissions (or removals, negative) of one gas from one source of one branch."""

    branch: str
    sector: str
    fuel: str
    gas: str
    source: str  # combustion | process | transformation | imports | capture | sink
    tonnes: FloatArray  # t of gas
    co2e: FloatArray  # t CO2e
    factor_ids: str
    status: str


@dataclass(frozen=True, slots=True)
class TFlow:
    """A transformation flow of a process (or module), GJ."""

    module: str
    process: str
    fuel: str
    flow: str  # output | input | losses | own_use | imports
    gj: FloatArray


@dataclass
class ScenarioRun:
    """Everything one scenario computes, as arrays over years (GJ, t, MW)."""

    scenario: str
    years: npt.NDArray[np.int64]
    evaluator: Evaluator
    activity: dict[Path, FloatArray] = field(default_factory=dict)  # SI base units
    activity_unit: dict[Path, str] = field(default_factory=dict)
    energy: dict[tuple[Path, str], FloatArray] = field(default_factory=dict)  # GJ final
    flows: list[Flow] = field(default_factory=list)
    tflows: list[TFlow] = field(default_factory=list)
    capacity: list[tuple[str, str, FloatArray, FloatArray]] = field(default_factory=list)
    primary: dict[str, FloatArray] = field(default_factory=dict)  # GJ
    offsets: FloatArray | None = None  # t CO2e
    notes: list[str] = field(default_factory=list)
    # Lean runs (Monte Carlo, wedges) keep only sums by source and final energy by fuel.
    lean: bool = False
    sums: dict[str, FloatArray] = field(default_factory=dict)
    # Carbon prices of optimised modules' emission caps (undiscounted, per t CO2e).
    prices: dict[str, FloatArray] = field(default_factory=dict)
    caps: dict[str, FloatArray] = field(default_factory=dict)  # their caps, t CO2e
    currency: dict[str, str] = field(default_factory=dict)  # the prices' currency
    objectives: dict[str, float] = field(default_factory=dict)  # least discounted cost

    def record(self, flow: Flow) -> None:
        if self.lean:
            self.add(flow.source, flow.co2e)
        else:
            self.flows.append(flow)

    def add(self, source: str, co2e: FloatArray | float) -> None:
        found = self.sums.get(source)
        self.sums[source] = co2e if found is None else found + co2e  # type: ignore[assignment]

    def total(self, *sources: str) -> FloatArray:
        out: FloatArray = np.zeros(len(self.years))
        if self.lean:
            for k, v in self.sums.items():
                if not sources or k in sources:
                    out = out + v
            return out
        for f in self.flows:
            if not sources or f.source in sources:
                out = out + f.co2e
        return out


class FactorBook:
    """Combustion and grid factors, found once per fuel and category."""

    def __init__(self, resolver: Resolver, gwp: GwpSet) -> None:
        self.resolver = resolver
        self.gwp = gwp
        self._fuel: dict[tuple[str, str], fx.FuelFactors | str] = {}
        self._grid: dict[tuple[str, int], tuple[fx.GasFactor, str] | str] = {}

    def fuel(self, fuel: str, category: str = "stationary_combustion") -> fx.FuelFactors:
        found = self.fuel_or_error(fuel, category)
        if isinstance(found, str):
            raise CalculationError(f"fuel {fuel!r}: {found}")
        return found

    def fuel_or_error(self, fuel: str, category: str) -> fx.FuelFactors | str:
        key = (fuel, category)
        if key not in self._fuel:
            self._fuel[key] = fx.combustion(self.resolver, self.gwp, fuel, category)
        return self._fuel[key]

    def grid(self, region: str, year: int) -> tuple[fx.GasFactor, str] | str:
        key = (region, year)
        if key not in self._grid:
            self._grid[key] = fx.grid(self.resolver, region, year)
        return self._grid[key]


def sector_of(model: SimModel, path: Path) -> str:
    """The reporting sector: the nearest declared sector up the path, else the branch below
    the root (Demand/Industry/Steel → Industry)."""
    for i in range(len(path), 0, -1):
        s = model.branches[path[:i]].sector
        if s:
            return s
    return path[1] if len(path) > 1 else path[0]


def combustion_category(sector: str) -> str:
    return "mobile_combustion" if sector.strip().lower() in TRANSPORT else "stationary_combustion"


def _subs(model: SimModel, path: Path, variable: str) -> list[str]:
    found: set[str] = set()
    for book in model.assignments.values():
        for p, v, sub in book:
            if p == path and v == variable:
                found.add(sub)
    return sorted(found)


class Runner:
    """Runs scenarios of one model with one factor book (reused across scenarios and draws)."""

    def __init__(self, model: SimModel, book: FactorBook) -> None:
        self.model = model
        self.book = book
        self.years = np.asarray(model.years, dtype=np.int64)
        self.subs: dict[tuple[Path, str], list[str]] = {}
        for owner in model.assignments.values():
            for p, v, sub in owner:
                if sub:
                    self.subs.setdefault((p, v), [])
                    if sub not in self.subs[(p, v)]:
                        self.subs[(p, v)].append(sub)
        for found in self.subs.values():
            found.sort()
        self.demand_leaves = [p for p in model.leaves() if model.branches[p].kind in DEMAND_LEAVES]
        self.modules = sorted(
            (b for b in model.branches.values() if b.kind == Kind.MODULE),
            key=lambda b: (b.order, b.path),
        )
        self.produced = {m.fuel for m in self.modules}
        self.sinks = [b for b in model.branches.values() if b.kind == Kind.SINK]
        self.trades = [b for b in model.branches.values() if b.kind == Kind.TRADE]
        self._dims: dict[Path, Any] = {}
        self.multipliers: dict[str, FloatArray] = {}
        self.shared: dict[Key, Any] = {}
        self._to_base: dict[Key, float] = {}
        self._to_frac: dict[Key, float] = {}
        self.share_parents = sorted(
            {p[:-1] for p, b in model.branches.items() if b.kind == Kind.SHARE}
        )

    def located(self, ev: Evaluator, key: Key, expected: str) -> PlanValidationError:
        """An error pointing at the row that set ``key`` (or at its branch)."""
        src = ev.sources.get(key)
        if src is not None and src.assignment is not None:
            a = src.assignment
            return PlanValidationError([a.origin.problem("expression", a.expr.text, expected)])
        b = self.model.branches.get(key[0])
        if b is not None and b.origin is not None:
            return PlanValidationError([b.origin.problem("branch", b.text, expected)])
        return PlanValidationError([Problem("expressions.csv", None, None, None, expected)])

    # -- units ----------------------------------------------------------------------------
    def base(self, ev: Evaluator, key: Key) -> FloatArray:
        """A key's values in SI base units."""
        f = self._to_base.get(key)
        if f is None:
            f = self._to_base[key] = units.to_base(ev.unit(key))[0]
        return ev.value(key) * f

    def frac(self, ev: Evaluator, key: Key) -> FloatArray:
        f = self._to_frac.get(key)
        if f is None:
            f = self._to_frac[key] = units.factor(ev.unit(key), "dimensionless")
        return ev.value(key) * f

    def dims(self, ev: Evaluator, path: Path) -> Any:
        """pint dimensionality of a branch's total activity."""
        if path not in self._dims:
            d = units.parse("dimensionless").dimensionality
            for i in range(1, len(path) + 1):
                b = self.model.branches[path[:i]]
                if b.kind == Kind.ACTIVITY:
                    d = d * units.parse(ev.unit((b.path, "activity", ""))).dimensionality
            self._dims[path] = d
        return self._dims[path]

    # -- demand ----------------------------------------------------------------------------
    def total_activity(self, ev: Evaluator, path: Path, run: ScenarioRun) -> FloatArray:
        found = run.activity.get(path)
        if found is not None:
            return found
        b = self.model.branches[path]
        if b.kind == Kind.ACTIVITY:
            own = self.base(ev, (path, "activity", ""))
        elif b.kind in (Kind.SHARE, Kind.SATURATION):
            own = self.frac(ev, (path, "activity", ""))
        else:
            own = np.ones(len(self.years))
        out = own if len(path) == 1 else own * self.total_activity(ev, path[:-1], run)
        run.activity[path] = out
        return out

    def _leaf(self, ev: Evaluator, path: Path, run: ScenarioRun) -> None:
        b = self.model.branches[path]
        sector = sector_of(self.model, path)
        cat = combustion_category(sector)
        text = b.text
        if b.kind == Kind.STOCK:
            energy = self._stock(ev, b, run)
            total = run.activity[path]
        else:
            total = self.total_activity(ev, path, run)
            energy = {}
            for fuel in self.subs.get((path, "intensity"), []):
                key = (path, "intensity", fuel)
                energy[fuel] = total * self.base(ev, key) / fx.J_PER_GJ
        co2: FloatArray | float = 0.0
        for fuel, gj in energy.items():
            co2 = co2 + self._burn(run, text, sector, fuel, gj, cat, "combustion")
        for gas in self.subs.get((path, "process_ef"), []):
            tonnes = total * self.base(ev, (path, "process_ef", gas)) / 1000.0
            gv = self.book.gwp.value(gas).value
            if gas == "CO2":
                co2 = co2 + tonnes
            run.record(
                Flow(
                    text,
                    sector,
                    "",
                    gas,
                    "process",
                    tonnes,
                    tonnes * gv,
                    f"plan:{text}:process_ef:{gas}",
                    "plan",
                )
            )
        if b.kind != Kind.STOCK and ev.has((path, "capture_rate", "")):
            captured = self.frac(ev, (path, "capture_rate", "")) * co2
            run.record(
                Flow(
                    text,
                    sector,
                    "",
                    "CO2",
                    "capture",
                    -captured,
                    -captured,
                    f"plan:{text}:capture_rate",
                    "plan",
                )
            )
            for fuel in self.subs.get((path, "capture_energy"), []):
                gj = captured * 1000.0 * self.base(ev, (path, "capture_energy", fuel)) / 1e9
                energy[fuel] = energy.get(fuel, 0.0) + gj
                self._burn(run, text, sector, fuel, gj, cat, "combustion")
        n = len(self.years)
        for fuel, gj in energy.items():
            ekey: tuple[Path, str] = ((), fuel) if run.lean else (path, fuel)
            if np.ndim(gj) == 0 or np.shape(gj)[-1] != n:
                gj = np.broadcast_to(gj, np.broadcast_shapes(np.shape(gj), (n,)))
            found = run.energy.get(ekey)
            run.energy[ekey] = gj if found is None else found + gj

    def _burn(
        self,
        run: ScenarioRun,
        branch: str,
        sector: str,
        fuel: str,
        gj: FloatArray,
        category: str,
        source: str,
    ) -> FloatArray | float:
        """Record the emissions of ``gj`` of ``fuel`` burnt; return the CO2 (t) emitted. A fuel
        a module of the model makes (electricity, heat, steam, …) emits in that module."""
        if fuel in self.produced:
            return 0.0
        ff = self.book.fuel(fuel, category)
        mult = self.multipliers.get(fuel, 1.0)
        if run.lean:  # totals only: one multiplication per fuel
            co2 = gj * (ff.co2 * mult)
            run.add(source, co2 + gj * ((ff.co2e - ff.co2) * mult))
            return co2
        co2_t: FloatArray | float = 0.0
        for g in ff.gases:
            tonnes = gj * g.t_per_gj * mult
            if g.gas == "CO2":
                co2_t = co2_t + tonnes
            run.record(
                Flow(branch, sector, fuel, g.gas, source, tonnes, tonnes * g.gwp, g.ids, g.status)
            )
        return co2_t

    def _stock(self, ev: Evaluator, b: Branch, run: ScenarioRun) -> dict[str, FloatArray]:
        path = b.path
        stock0 = self.base(ev, (path, "stock", ""))[..., 0]
        sales = self.base(ev, (path, "sales", ""))
        life = ev.value((path, "lifetime", ""))[..., 0] * units.factor(
            ev.unit((path, "lifetime", "")), "year"
        )
        shape = self.frac(ev, (path, "shape", ""))[..., 0]
        ages = np.arange(
            int(np.ceil(float(np.max(life)) * 4)) + len(self.years) + 1, dtype=np.float64
        )
        surv = survival_weibull(ages, life, shape)
        t = turnover(self.years, stock0, sales, surv)
        usage = self.base(ev, (path, "usage", ""))
        run.activity[path] = t.stock * usage
        idx = np.clip(t.vintage_years - self.years[0], 0, len(self.years) - 1)
        out = {}
        for fuel in self.subs.get((path, "intensity"), []):
            inten = self.base(ev, (path, "intensity", fuel))
            out[fuel] = vintage_weighted(t.by_vintage, inten[..., idx]) * usage / fx.J_PER_GJ
        return out

    # -- transformation ---------------------------------------------------------------------
    def _modules(self, ev: Evaluator, run: ScenarioRun, scenario: str) -> None:
        final: dict[str, FloatArray] = {}
        for (_, fuel), gj in run.energy.items():
            final[fuel] = final.get(fuel, 0.0) + gj
        inputs: dict[str, FloatArray] = {}
        produced: set[str] = set()
        for m in self.modules:
            self._module(ev, run, scenario, m, final, inputs)
            produced.add(m.fuel)
        zero = np.zeros(len(self.years))
        for fuel in sorted(set(final) | set(inputs)):
            if fuel not in produced:
                run.primary[fuel] = final.get(fuel, zero) + inputs.get(fuel, zero)
        for tf in run.tflows:
            if tf.flow == "imports":
                k = f"{tf.fuel} (imports)"
                run.primary[k] = run.primary.get(k, zero) + tf.gj

    def _module(
        self,
        ev: Evaluator,
        run: ScenarioRun,
        scenario: str,
        m: Branch,
        final: dict[str, FloatArray],
        inputs: dict[str, FloatArray],
    ) -> None:
        zero = np.zeros(len(self.years))
        path = m.path
        demand = final.get(m.fuel, zero) + inputs.get(m.fuel, zero)
        losses = self.frac(ev, (path, "losses", ""))
        own = self.frac(ev, (path, "own_use", ""))
        try:
            need = production(demand, losses, own)
        except CalculationError as exc:
            raise self.located(ev, (path, "losses", ""), f"{exc} (scenario {scenario})") from exc
        imports = need * self.frac(ev, (path, "import_share", ""))
        local = need - imports
        procs = [self.model.branches[p] for p in self.model.children.get(path, [])]
        cap = [self.base(ev, (p.path, "capacity", "")) / 1e6 for p in procs]  # MW
        adds = self._additions(scenario, m, procs)
        added = [zero for _ in procs]
        if adds:
            lf = self.frac(ev, (path, "load_factor", ""))
            rm = self.frac(ev, (path, "reserve_margin", ""))
            peak = need / GJ_PER_MWH / HOURS_PER_YEAR / lf
            built = additions(peak * (1 + rm), sum(cap, start=zero), [a[1] for a in adds])
            for k, (i, size) in enumerate(adds):
                added[i] = added[i] + built[..., k] * size
        if m.dispatch == "optimize":
            outs, added, bought = self._optimise(ev, run, scenario, m, procs, cap, local, imports)
            shortfall = zero
            imports = imports + bought
        else:
            outs, shortfall = self._dispatch(ev, scenario, m, procs, cap, added, local)
        imports = imports + shortfall
        self._flows(
            ev, run, scenario, m, procs, cap, added, outs, inputs, need, losses, own, imports
        )

    def _optimise(
        self,
        ev: Evaluator,
        run: ScenarioRun,
        scenario: str,
        m: Branch,
        procs: list[Branch],
        cap: list[FloatArray],
        local: FloatArray,
        exogenous: FloatArray,
    ) -> tuple[list[FloatArray], list[FloatArray], FloatArray]:
        """Least-cost supply of the module (:mod:`neutra.optimize.module`): outputs, capacity
        added, imports bought. Its emission cap's shadow price is kept as the carbon price."""
        from neutra.optimize.module import ModuleProblem, Technology, solve_module

        if np.ndim(local) > 1:
            raise CalculationError(
                f"module {m.text} is optimised: Monte Carlo draws would need one least-cost "
                "solve per draw; run the Monte Carlo without dispatch = optimize"
            )
        n = len(self.years)
        path = m.path

        def per(key: Key, target: str) -> FloatArray:
            if not ev.has(key):  # a cost the plan does not give: the default, 0
                return np.broadcast_to(ev.value(key), (n,)).astype(float)
            unit = ev.unit(key)
            return np.broadcast_to(ev.value(key) * units.factor(unit, target), (n,)).astype(float)

        currency = self._currency(ev, procs, m)
        techs = []
        for p, c in zip(procs, cap, strict=True):
            eff = self.frac(ev, (p.path, "efficiency", ""))
            fuels = self.subs.get((p.path, "input_share"), []) or [p.fuel]
            fuel_cost: FloatArray = np.zeros(n)
            co2e: FloatArray = np.zeros(n)
            for f in fuels:
                share = self.frac(ev, (p.path, "input_share", f)) / eff
                if ev.has((path, "fuel_price", f)):
                    fuel_cost = fuel_cost + share * per((path, "fuel_price", f), f"{currency}/GJ")
                if f not in self.produced:
                    ff = self.book.fuel(f)
                    co2e = co2e + share * ff.co2e * self.multipliers.get(f, 1.0)
            if ev.has((p.path, "capture_rate", "")):
                captured = self.frac(ev, (p.path, "capture_rate", "")) * sum(
                    (
                        self.frac(ev, (p.path, "input_share", f)) / eff * self.book.fuel(f).co2
                        for f in fuels
                        if f not in self.produced
                    ),
                    start=np.zeros(n),
                )
                co2e = co2e - captured
                # The energy penalty of capture: fuel per t captured, burnt and paid for.
                for f in self.subs.get((p.path, "capture_energy"), []):
                    extra = captured * 1000.0 * self.base(ev, (p.path, "capture_energy", f)) / 1e9
                    if f not in self.produced:
                        co2e = co2e + extra * self.book.fuel(f).co2e
                    if ev.has((path, "fuel_price", f)):
                        fuel_cost = fuel_cost + extra * per(
                            (path, "fuel_price", f), f"{currency}/GJ"
                        )
            max_key = (p.path, "max_capacity", "")
            techs.append(
                Technology(
                    name=p.path[-1],
                    residual_mw=np.broadcast_to(c, (n,)).astype(float),
                    availability=np.broadcast_to(self.frac(ev, (p.path, "availability", "")), (n,)),
                    capital_per_mw=per((p.path, "capital_cost", ""), f"{currency}/MW"),
                    fixed_per_mw_year=per((p.path, "fixed_cost", ""), f"{currency}/MW"),
                    variable_per_gj=per((p.path, "variable_cost", ""), f"{currency}/GJ")
                    + fuel_cost,
                    co2e_per_gj=np.broadcast_to(co2e, (n,)).astype(float),
                    lifetime=float(per((p.path, "lifetime", ""), "year")[0]),
                    max_mw=per(max_key, "MW") if ev.has(max_key) else None,
                )
            )
        import_price = None
        import_co2 = None
        if ev.has((path, "import_price", "")):
            import_price = per((path, "import_price", ""), f"{currency}/GJ")
            import_co2 = self._import_t_per_gj(ev, m)
        cap_key = (path, "emission_cap", "")
        cap_t = per(cap_key, "t") if ev.has(cap_key) else None
        if cap_t is not None and np.any(exogenous > 0):
            # Imports fixed by import_share are under the cap too: what they carry is taken off.
            cap_t = cap_t - np.broadcast_to(exogenous, (n,)) * self._import_t_per_gj(ev, m)
        problem = ModuleProblem(
            years=[int(y) for y in self.years],
            demand_gj=np.broadcast_to(local, (n,)).astype(float),
            technologies=techs,
            discount_rate=float(self.frac(ev, (path, "discount_rate", ""))[0]),
            import_price_per_gj=import_price,
            import_co2e_per_gj=import_co2,
            emission_cap_t=cap_t,
        )
        try:
            sol = solve_module(problem)
        except CalculationError as exc:
            raise self.located(
                ev,
                (path, "discount_rate", ""),
                f"a module that can meet its demand (scenario {scenario}): {exc}",
            ) from exc
        run.prices[m.text] = sol.carbon_price
        run.currency[m.text] = currency
        run.objectives[m.text] = sol.objective
        if problem.emission_cap_t is not None:
            run.caps[m.text] = problem.emission_cap_t
        outs = [sol.output_gj[p.path[-1]] for p in procs]
        added = [
            np.maximum(sol.capacity_mw[p.path[-1]] - c, 0.0)
            for p, c in zip(procs, cap, strict=True)
        ]
        return outs, added, sol.imports_gj

    def _currency(self, ev: Evaluator, procs: list[Branch], m: Branch) -> str:
        """The one currency of a module's costs (CNY, USD or EUR)."""
        found = set()
        keys = [
            (p.path, v, "") for p in procs for v in ("capital_cost", "fixed_cost", "variable_cost")
        ]
        keys += [(m.path, "import_price", "")]
        keys += [(m.path, "fuel_price", f) for f in self.subs.get((m.path, "fuel_price"), [])]
        for key in keys:
            if ev.has(key):
                unit = ev.unit(key)
                for c in ("CNY", "USD", "EUR"):
                    if units.same_dimension(unit, f"{c}/W") or units.same_dimension(unit, f"{c}/J"):
                        found.add(c)
        if len(found) > 1:
            raise self.located(
                ev,
                (procs[0].path, "capital_cost", ""),
                f"one currency for the costs of {m.text} (found {', '.join(sorted(found))})",
            )
        return found.pop() if found else "CNY"

    def _import_factor(self, ev: Evaluator, m: Branch) -> tuple[FloatArray, str, str, str] | None:
        """What a unit of the module's imports carries: t CO2 per GJ by year, the factor ids,
        their status and how the grid factor was found; ``None`` when nothing is given."""
        n = len(self.years)
        key = (m.path, "import_factor", "")
        if ev.has(key):
            # kg/kWh → t/GJ; a Monte Carlo run keeps its draws in front: (draws, years)
            value = np.asarray(self.base(ev, key) * 1e9 / 1000.0, dtype=float)
            t_per_gj = np.broadcast_to(value, np.broadcast_shapes(value.shape, (n,))).astype(float)
            return t_per_gj, f"plan:{m.text}:import_factor", "plan", "exact"
        if not m.import_grid:
            return None
        found = self.book.grid(m.import_grid, int(self.years[0]))
        if isinstance(found, str):  # no factor as early as the base year: the latest one
            found = self.book.grid(m.import_grid, int(self.years[-1]))
            if not isinstance(found, str):
                found = (found[0], "latest_available")
        if isinstance(found, str):
            raise CalculationError(f"module {m.text}: import_grid: {found}")
        g, tag = found
        mult = self.multipliers.get("electricity_import", 1.0)
        return np.full(n, g.t_per_gj) * mult, g.ids, g.status, tag

    def _import_t_per_gj(self, ev: Evaluator, m: Branch) -> FloatArray:
        found = self._import_factor(ev, m)
        return np.zeros(len(self.years)) if found is None else found[0]

    def _dispatch(
        self,
        ev: Evaluator,
        scenario: str,
        m: Branch,
        procs: list[Branch],
        cap: list[FloatArray],
        added: list[FloatArray],
        local: FloatArray,
    ) -> tuple[list[FloatArray], FloatArray]:
        total_cap = [c + a for c, a in zip(cap, added, strict=True)]
        avail = [
            available_energy(c, self.frac(ev, (p.path, "availability", "")))
            for c, p in zip(total_cap, procs, strict=True)
        ]
        shares = [self.frac(ev, (p.path, "share", "")) for p in procs]
        try:
            return dispatch(m.dispatch, local, avail, shares, [p.order for p in procs])
        except CalculationError as exc:
            raise self.located(
                ev,
                (procs[0].path, "share", ""),
                f"{exc} for the processes of {m.text} (scenario {scenario})",
            ) from exc

    def _flows(
        self,
        ev: Evaluator,
        run: ScenarioRun,
        scenario: str,
        m: Branch,
        procs: list[Branch],
        cap: list[FloatArray],
        added: list[FloatArray],
        outs: list[FloatArray],
        inputs: dict[str, FloatArray],
        need: FloatArray,
        losses: FloatArray,
        own: FloatArray,
        imports: FloatArray,
    ) -> None:
        zero = np.zeros(len(self.years))
        path = m.path
        mt = m.text
        sector = m.sector or path[-1]
        for p, out, c, a in zip(procs, outs, cap, added, strict=True):
            run.capacity.append((mt, p.text, c, a))
            run.tflows.append(TFlow(mt, p.text, m.fuel, "output", out))
            eff = self.frac(ev, (p.path, "efficiency", ""))
            if np.any(eff <= 0):
                raise self.located(
                    ev, (p.path, "efficiency", ""), f"an efficiency > 0 (scenario {scenario})"
                )
            fuels = self.subs.get((p.path, "input_share"), []) or [p.fuel]
            shares_in = {f: self.frac(ev, (p.path, "input_share", f)) for f in fuels}
            tot = sum(shares_in.values(), start=zero)
            if np.any(np.abs(tot - 1.0) > 1e-6):
                raise self.located(
                    ev,
                    (p.path, "input_share", fuels[0]),
                    f"input shares of {p.text} summing to 100 % (they sum to "
                    f"{float(np.max(tot)) * 100:.4g} % in scenario {scenario}; a process with "
                    "input_share rows needs one for every fuel it uses, its own fuel too)",
                )
            rate: FloatArray | float = 0.0
            capture = ev.has((p.path, "capture_rate", ""))
            if capture:
                rate = self.frac(ev, (p.path, "capture_rate", ""))
            captured: FloatArray | float = 0.0
            for f, sh in shares_in.items():
                gj = out / eff * sh
                run.tflows.append(TFlow(mt, p.text, f, "input", gj))
                inputs[f] = inputs.get(f, zero) + gj
                # Gross emissions here; what is captured is the negative flow below.
                self._burn(run, p.text, sector, f, gj, "stationary_combustion", "transformation")
                if capture:
                    co2_gross = gj * self.book.fuel(f).co2 * self.multipliers.get(f, 1.0)
                    cap_t = co2_gross * rate
                    captured = captured + cap_t
                    run.record(
                        Flow(
                            p.text,
                            sector,
                            f,
                            "CO2",
                            "capture",
                            -cap_t,
                            -cap_t,
                            f"plan:{p.text}:capture_rate",
                            "plan",
                        )
                    )
            # The energy penalty of capture: an extra input of the process, burnt uncaptured.
            for f in self.subs.get((p.path, "capture_energy"), []) if capture else []:
                gj = captured * 1000.0 * self.base(ev, (p.path, "capture_energy", f)) / 1e9
                run.tflows.append(TFlow(mt, p.text, f, "input", gj))
                inputs[f] = inputs.get(f, zero) + gj
                self._burn(run, p.text, sector, f, gj, "stationary_combustion", "transformation")
        run.tflows.append(TFlow(mt, "", m.fuel, "losses", need * losses))
        run.tflows.append(TFlow(mt, "", m.fuel, "own_use", need * own))
        run.tflows.append(TFlow(mt, "", m.fuel, "imports", imports))
        self._imports(ev, run, m, imports)

    def _additions(self, scenario: str, m: Branch, procs: list[Branch]) -> list[tuple[int, float]]:
        index = {p.path: i for i, p in enumerate(procs)}
        rows = [a for a in self.model.additions if a.process in index]
        if not rows:
            return []
        for s in [*self.model.lookup_order(scenario), ""]:
            chosen = [a for a in rows if a.scenario == s]
            if chosen:
                return [(index[a.process], a.size * units.factor(a.unit, "MW")) for a in chosen]
        return []

    def _imports(self, ev: Evaluator, run: ScenarioRun, m: Branch, imports: FloatArray) -> None:
        found = self._import_factor(ev, m)
        if found is None:
            if np.any(imports > 0):
                run.notes.append(
                    f"imports of {m.fuel} into {m.text} carry no emission factor "
                    "(give the module an import_grid or import_factor)"
                )
            return
        t_per_gj, ids, status, tag = found
        if tag != "exact" and np.any(imports > 0):
            run.notes.append(
                f"imports into {m.text}: grid factor {ids} ({tag}) held constant over the horizon"
            )
        tonnes = imports * t_per_gj
        run.record(Flow(m.text, "imports", m.fuel, "CO2", "imports", tonnes, tonnes, ids, status))

    def _shares(self, ev: Evaluator, scenario: str) -> None:
        """Sibling shares must sum to 100 % in every year (LEAP's rule for share branches)."""
        problems = []
        for parent in self.share_parents:
            kids = [
                p for p in self.model.children[parent] if self.model.branches[p].kind == Kind.SHARE
            ]
            total = sum(
                (self.frac(ev, (k, "activity", "")) for k in kids), start=np.zeros(len(self.years))
            )
            bad = np.abs(total - 1.0) > 1e-6
            if np.any(bad):
                where = np.argwhere(bad)[0]
                year = int(self.years[where[-1]])
                value = float(total[tuple(where)]) * 100
                src = next(
                    (
                        ev.sources[(k, "activity", "")].assignment
                        for k in kids
                        if ev.sources.get((k, "activity", "")) is not None
                        and ev.sources[(k, "activity", "")].assignment is not None
                    ),
                    None,
                )
                expected = (
                    f"shares of the branches under {path_text(parent)} summing to "
                    f"100 % in scenario {scenario} (they sum to {value:.6g} % in {year})"
                )
                if src is not None:
                    problems.append(src.origin.problem("expression", src.expr.text, expected))
                else:
                    problems.append(Problem("expressions.csv", None, "expression", None, expected))
        if problems:
            raise PlanValidationError(problems)

    # -- sinks and trade ----------------------------------------------------------------------
    def _sink(self, ev: Evaluator, run: ScenarioRun, b: Branch) -> None:
        path = b.path
        if ev.has((path, "carbon_stock", "")):
            key = (path, "carbon_stock", "")
            c = self.base(ev, key) / 1000.0  # t C
            d = np.diff(c, axis=-1)
            # The base year has no earlier stock: it takes Current Accounts' first change, so
            # that it is the same in every scenario.
            if key in self.model.assignments.get(CURRENT, {}):
                ca = ev.current(key) * self._to_base[key] / 1000.0
                first = ca[..., 1:2] - ca[..., :1]
            else:
                first = d[..., :1]
            change = np.concatenate([np.broadcast_to(first, (*d.shape[:-1], 1)), d], axis=-1)
            removal = -change * C_TO_CO2
            ids = f"plan:{b.text}:carbon_stock; IPCC 2006 Vol. 4 Ch. 4 stock difference"
        else:
            area = self.base(ev, (path, "area", ""))
            rf = self.base(ev, (path, "removal_factor", ""))
            removal = -(area * rf) / 1000.0
            ids = f"plan:{b.text}:removal_factor"
        run.record(
            Flow(b.text, b.sector or "sinks", "", "CO2", "sink", removal, removal, ids, "plan")
        )

    # -- a scenario ---------------------------------------------------------------------------
    def run(
        self,
        scenario: str,
        enabled: Iterable[str] | None = None,
        multipliers: Mapping[str, FloatArray] | None = None,
        *,
        lean: bool = False,
        reuse: Reuse | None = None,
    ) -> ScenarioRun:
        """Run ``scenario`` (``current``: Current Accounts alone) with the measures
        ``enabled`` (``None``: all) and Monte Carlo ``multipliers`` (by target)."""
        self.multipliers = {
            k[7:]: v for k, v in (multipliers or {}).items() if k.startswith("factor:")
        }
        keyed = {}
        for u in self.model.uncertain:
            if u.key is not None and multipliers and u.target in multipliers:
                keyed[u.key] = multipliers[u.target]
        owners = [CURRENT] if scenario == CURRENT else self.model.owners(scenario, enabled)
        ev = Evaluator(self.model, owners, keyed, self.shared)
        run = ScenarioRun(scenario, self.years, ev, lean=lean)
        try:
            self._shares(ev, scenario)
            for path in self.demand_leaves:
                if reuse is not None and path in reuse.leaves:
                    reuse.add_to(path, run)
                else:
                    self._leaf(ev, path, run)
            self._modules(ev, run, scenario)
            for b in self.sinks:
                self._sink(ev, run, b)
            off = np.zeros(len(self.years))
            for b in self.trades:
                off = off + self.base(ev, (b.path, "offsets", "")) / 1000.0
            run.offsets = off
        except UnitError as exc:
            raise CalculationError(f"scenario {scenario}: {exc}") from exc
        return run


@dataclass
class Reuse:
    """Demand leaves whose results a run can take from another run of the same scenario: none
    of their variables, nor anything those depend on, is set by a measure that differs between
    the runs (used to split wedges without recomputing the untouched part of the tree)."""

    leaves: set[Path]
    energy: dict[Path, dict[str, FloatArray]]
    sums: dict[Path, dict[str, FloatArray]]

    def add_to(self, path: Path, run: ScenarioRun) -> None:
        for fuel, gj in self.energy.get(path, {}).items():
            k: tuple[Path, str] = ((), fuel) if run.lean else (path, fuel)
            found = run.energy.get(k)
            run.energy[k] = gj if found is None else found + gj
        for source, v in self.sums.get(path, {}).items():
            run.add(source, v)


def reuse_for(model: SimModel, full: ScenarioRun, leaves: list[Path]) -> Reuse:
    """What the runs of ``full.scenario`` with fewer measures can take from ``full``."""
    owners = model.owners(full.scenario)
    measure_keys: set[Key] = set()
    deps: dict[Key, set[Key]] = {}
    for o in owners:
        book = model.assignments.get(o, {})
        if o.startswith("measure:"):
            measure_keys.update(book)
        for key, a in book.items():
            d = deps.setdefault(key, set())
            for r in a.expr.refs:
                d.add(
                    ((KEY, r.path[-1]), "value", "")
                    if r.driver
                    else (tuple(r.path), r.variable or "activity", "")
                )
            if a.expr.uses_siblings:
                d.update((sib, "activity", "") for sib in model.children.get(key[0][:-1], []))
    users: dict[Key, set[Key]] = {}
    for k, ds in deps.items():
        for dep in ds:
            users.setdefault(dep, set()).add(k)
    tainted = set(measure_keys)
    todo = list(measure_keys)
    while todo:
        for u in users.get(todo.pop(), ()):
            if u not in tainted:
                tainted.add(u)
                todo.append(u)
    tainted_paths = {k[0] for k in tainted}
    free = set()
    for leaf in leaves:
        if not any(leaf[:i] in tainted_paths for i in range(1, len(leaf) + 1)):
            free.add(leaf)
    energy: dict[Path, dict[str, FloatArray]] = {}
    for (path, fuel), gj in full.energy.items():
        if path in free:
            energy.setdefault(path, {})[fuel] = gj
    text = {path_text(p): p for p in free}
    sums: dict[Path, dict[str, FloatArray]] = {}
    for f in full.flows:
        p = text.get(f.branch)
        if p is not None:
            acc = sums.setdefault(p, {})
            acc[f.source] = acc[f.source] + f.co2e if f.source in acc else f.co2e
    return Reuse(free, energy, sums)


def check(model: SimModel, book: FactorBook) -> list[Problem]:
    """Problems the tables alone do not show: fuels without factors, units whose product with
    the branch's activity is not energy (or mass), shares of a scenario over 100 %."""
    problems: list[Problem] = []
    runner = Runner(model, book)
    ev = Evaluator(model, [CURRENT])
    energy = units.parse("J").dimensionality
    mass = units.parse("kg").dimensionality
    seen_fuel: set[tuple[str, str]] = set()
    for assigned in model.assignments.values():
        for key, a in assigned.items():
            path, variable, sub = key
            b = model.branches.get(path)
            if b is None:
                continue
            unit = model.canonical_units.get(key, "")
            if variable in ("intensity", "process_ef") and unit:
                if b.kind == Kind.STOCK:
                    usage = model.canonical_units.get((path, "usage", ""), "dimensionless")
                    dims = units.parse(usage).dimensionality
                else:
                    dims = runner.dims(ev, path)
                want = energy if variable == "intensity" else mass
                if dims * units.parse(unit).dimensionality != want:
                    what = "energy" if variable == "intensity" else "a mass of gas"
                    problems.append(
                        a.origin.problem(
                            "unit",
                            a.unit or unit,
                            f"a unit that gives {what} when multiplied by "
                            f"the branch's activity ({_dims_text(dims)}), e.g. GJ/t or kWh/person",
                        )
                    )
            if variable in ("intensity", "capture_energy", "input_share") and sub:
                cat = combustion_category(sector_of(model, path))
                if b.kind == Kind.PROCESS:
                    cat = "stationary_combustion"
                if (sub, cat) in seen_fuel:
                    continue
                seen_fuel.add((sub, cat))
                produced = {m.fuel for m in runner.modules}
                if sub in produced:
                    continue
                found = book.fuel_or_error(sub, cat)
                if isinstance(found, str):
                    problems.append(
                        a.origin.problem(
                            "fuel",
                            sub,
                            found
                            + " (or a fuel that burns nothing where used: "
                            + ", ".join(sorted(NON_COMBUSTION_FUELS))
                            + "; or the output fuel of a module)",
                        )
                    )
            if variable == "process_ef" and sub:
                try:
                    book.gwp.value(sub)
                except Exception:
                    problems.append(
                        a.origin.problem("gas", sub, f"a gas of GWP set {book.gwp.name}")
                    )
    return problems


def _dims_text(dims: Any) -> str:
    text = str(dims)
    return "dimensionless" if text == "dimensionless" else text


__all__ = [
    "FactorBook",
    "Flow",
    "Runner",
    "ScenarioRun",
    "TFlow",
    "check",
    "key_text",
    "path_text",
    "sector_of",
]
