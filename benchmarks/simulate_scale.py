"""Scenario simulation at scale: a 40-year, 500-branch model with 5 scenarios; and Monte Carlo.

Usage::

    .venv/bin/python benchmarks/simulate_scale.py [--leaves 500] [--years 40] [--draws 10000]

The synthetic model (seeded) has drivers gdp and population; a demand tree of 5 sectors × 10
subsectors × 10 end uses (500 leaf branches, shares under each subsector, two fuels each:
electricity and a fossil fuel with IPCC factors, process CO2 on a tenth of them); an electricity
module with 5 processes dispatched in merit order, reserve-margin additions and imports; a forest
sink; and 5 scenarios: a baseline and 4 policy scenarios inheriting from it (or from each other)
with 3 measures each (intensity ramps with ``Inherited``, fuel switching, capture).

Timed: (1) reading the plan folder and compiling the model (parse every expression, check
units and references); (2) running the 5 scenarios and building every result table, including
the wedges (each policy scenario rerun once per measure); (3) Monte Carlo: ``draws`` joint draws
of 4 uncertain items (gdp, population, a factor, an intensity) for every scenario, vectorised
over the draws in chunks.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from neutra import services
from neutra.io import read_plan
from neutra.simulate.results import monte_carlo, simulate
from neutra.testing import write_plan

SECTORS = ["Industry", "Buildings", "Transport", "Agriculture", "Services"]
FOSSIL = ["natural_gas", "other_bituminous_coal", "gas_diesel_oil", "motor_gasoline", "lpg"]


def build(folder: Path, leaves: int, years: int, seed: int = 40) -> Path:
    rng = np.random.default_rng(seed)
    base = 2020
    branches: list[dict[str, Any]] = []
    ex: list[dict[str, Any]] = []

    def e(scen: str, branch: str, var: str, value: object, **kw: Any) -> None:
        ex.append({"scenario": scen, "branch": branch, "variable": var, "expression": value, **kw})

    drivers = [{"driver": "gdp", "unit": "1e8*CNY"}, {"driver": "population", "unit": "person"}]
    e("current", "Key/gdp", "value", 10_000)
    e("baseline", "Key/gdp", "value", "Growth(5%, 2030, 4%, 2040, 3%)")
    e("current", "Key/population", "value", 2e7)
    e("baseline", "Key/population", "value", "Interp(2030, 2.1e7, 2050, 2.05e7)")
    per_sector = max(1, leaves // len(SECTORS) // 10)
    n = 0
    for s in SECTORS:
        sp = f"Demand/{s}"
        branches.append({"branch": sp, "kind": "activity", "unit": "1e8*CNY"})
        e("current", sp, "activity", round(rng.uniform(500, 3000), 1))
        e("baseline", sp, "activity", f"GrowthAs(gdp, {rng.uniform(0.6, 1.1):.2f})")
        for j in range(10):
            sub = f"{sp}/Sub{j}"
            branches.append({"branch": sub, "kind": "share"})
            e("current", sub, "activity", 10 if j < 9 else "Remainder(100)")
            for k in range(per_sector):
                leaf = f"{sub}/Use{k}"
                branches.append({"branch": leaf, "kind": "share"})
                e(
                    "current",
                    leaf,
                    "activity",
                    round(100 / per_sector, 6) if k < per_sector - 1 else "Remainder(100)",
                )
                fossil = FOSSIL[n % len(FOSSIL)]
                e(
                    "current",
                    leaf,
                    "intensity",
                    round(rng.uniform(0.5, 5), 3),
                    fuel=fossil,
                    unit="GJ/(1e4*CNY)",
                )
                e(
                    "current",
                    leaf,
                    "intensity",
                    round(rng.uniform(50, 500), 1),
                    fuel="electricity",
                    unit="kWh/(1e4*CNY)",
                )
                if n % 10 == 0:
                    e(
                        "current",
                        leaf,
                        "process_ef",
                        round(rng.uniform(0.01, 0.2), 3),
                        gas="CO2",
                        unit="t/(1e4*CNY)",
                    )
                n += 1
    branches += [
        {
            "branch": "Supply/Power",
            "kind": "module",
            "fuel": "electricity",
            "dispatch": "merit",
            "import_grid": "CN-East",
            "order": 1,
        },
        {"branch": "Sinks/Forest", "kind": "sink"},
    ]
    for i, (p, fuel, eff) in enumerate(
        [
            ("Nuclear", "nuclear", 33),
            ("Hydro", "hydro", 100),
            ("Wind", "wind", 100),
            ("Gas", "natural_gas", 55),
            ("Coal", "other_bituminous_coal", 40),
        ]
    ):
        pp = f"Supply/Power/{p}"
        branches.append({"branch": pp, "kind": "process", "fuel": fuel, "order": i + 1})
        e("current", pp, "efficiency", eff)
        e("current", pp, "capacity", round(rng.uniform(2000, 8000)), unit="MW")
        e("current", pp, "availability", [85, 40, 25, 60, 75][i])
    e("current", "Supply/Power", "losses", 5)
    e("current", "Supply/Power", "reserve_margin", 15)
    e("current", "Supply/Power", "load_factor", 60)
    e("current", "Sinks/Forest", "area", 5e5, unit="ha")
    e("current", "Sinks/Forest", "removal_factor", 3, unit="t/ha")
    additions = [{"process": "Supply/Power/Gas", "size": 500, "unit": "MW"} for _ in range(10)]
    scenarios = [{"scenario": "baseline", "kind": "baseline"}]
    measures = []
    for k in range(4):
        ms = []
        for j in range(3):
            m = f"m{k}{j}"
            ms.append(m)
            lever = ["reduce", "replace", "absorb"][j]
            measures.append({"measure": m, "lever": lever})
            for s in SECTORS:
                sp = f"Demand/{s}/Sub{j}"
                for u in range(per_sector):
                    leaf = f"{sp}/Use{u}"
                    if lever == "reduce":
                        ex.append(
                            {
                                "measure": m,
                                "branch": leaf,
                                "variable": "intensity",
                                "fuel": "electricity",
                                "expression": f"Inherited * Data(2020, 1, 2050, {0.6 + 0.05 * k})",
                            }
                        )
                    elif lever == "replace":
                        fossil = FOSSIL[(SECTORS.index(s) * 100 + j * per_sector + u) % len(FOSSIL)]
                        ex.append(
                            {
                                "measure": m,
                                "branch": leaf,
                                "variable": "intensity",
                                "fuel": fossil,
                                "expression": f"Inherited * Data(2020, 1, 2060, {0.3 + 0.1 * k})",
                            }
                        )
                    else:
                        ex.append(
                            {
                                "measure": m,
                                "branch": leaf,
                                "variable": "capture_rate",
                                "expression": f"Step(2035, {20 + 10 * k})",
                            }
                        )
        parent = "baseline" if k < 2 else f"policy{k - 2}"
        scenarios.append(
            {
                "scenario": f"policy{k}",
                "parents": parent,
                "measures": ",".join(ms),
                "kind": "policy",
            }
        )
    uncertainty = [
        {"target": "Key/gdp", "distribution": "normal", "p1": 0.05},
        {"target": "Key/population", "distribution": "uniform", "p1": 0.97, "p2": 1.03},
        {
            "target": "factor:natural_gas",
            "distribution": "triangular",
            "p1": 0.97,
            "p2": 1,
            "p3": 1.03,
        },
        {"target": "Demand/Industry:activity", "distribution": "lognormal", "p1": 0.1},
    ]
    tables = {
        "drivers": drivers,
        "branches": branches,
        "expressions": ex,
        "scenarios": scenarios,
        "measures": measures,
        "additions": additions,
        "uncertainty": uncertainty,
    }
    return write_plan(
        folder,
        tables,
        {
            "end_year": base + years - 1,
            "energy_unit": "TJ",
            "factor_sets": ["ipcc2006", "cn-mee-grid"],
        },
        base_year=base,
        entity={"name": "Synthetic region (benchmark)", "grid_region": "CN-East"},
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--leaves", type=int, default=500)
    ap.add_argument("--years", type=int, default=40)
    ap.add_argument("--draws", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = build(Path(tmp) / "plan", a.leaves, a.years)
        plan = read_plan(folder)
        n_leaves = sum(1 for b in plan.sim["branches"]["branch"] if "/Use" in str(b))
        n_expr = len(plan.sim["expressions"])
        print(
            f"model: {n_leaves} leaf branches, {len(plan.sim['branches'])} branches, "
            f"{n_expr} expressions, {a.years} years, 5 scenarios"
        )
        for r in range(a.repeat):
            t0 = time.perf_counter()
            plan = read_plan(folder)
            library, _ = services.library_for(plan)
            assert library is not None
            model, runner, problems = services.simulation_model(plan, library)
            assert not problems, problems
            t1 = time.perf_counter()
            res = simulate(model, runner)
            t2 = time.perf_counter()
            print(
                f"run {r + 1}: read + compile {t1 - t0:.3f} s; 5 scenarios + tables + wedges "
                f"{t2 - t1:.3f} s; total {t2 - t0:.3f} s "
                f"({len(res.emissions):,} emission rows)"
            )
        t3 = time.perf_counter()
        mc = monte_carlo(model, runner, a.draws, np.random.default_rng(1))
        t4 = time.perf_counter()
        p50 = mc[mc["year"] == mc["year"].max()][["scenario", "net_p05", "net_p50", "net_p95"]]
        print(f"Monte Carlo: {a.draws:,} draws × 5 scenarios in {t4 - t3:.2f} s")
        print(p50.to_string(index=False))


if __name__ == "__main__":
    main()
