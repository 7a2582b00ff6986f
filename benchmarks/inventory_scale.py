"""Inventory at scale: N synthetic activity rows → totals, against a bare DuckDB aggregation.

Usage::

    .venv/bin/python benchmarks/inventory_scale.py [--rows 10000000] [--repeat 3]

The rows are generated once (seeded) and written to Parquet. Each measurement then runs in a
fresh child process that loads the Parquet file into a pandas frame (the engine's validated
input) and times only the work: ``neutra.inventory.engine.compute(..., detail=False)`` for the
engine, and ``SELECT … sum(amount) GROUP BY facility, year, scope, category, activity, unit``
over the same frame for the bare DuckDB baseline. Peak memory is the child's maximum RSS,
which includes the loaded rows. Figures go to benchmarks/RESULTS.md by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).parent / "_data"
# (activity, category, scope, unit): a mix like a large group's inventory.
SOURCES = [
    ("natural_gas", "stationary_combustion", 1, "TJ"),
    ("coking_coal", "stationary_combustion", 1, "t"),
    ("coke_oven_coke", "stationary_combustion", 1, "t"),
    ("other_bituminous_coal", "stationary_combustion", 1, "万t"),
    ("gas_diesel_oil", "mobile_combustion", 1, "t"),
    ("motor_gasoline", "mobile_combustion", 1, "t"),
    ("lpg", "stationary_combustion", 1, "t"),
    ("limestone", "process", 1, "t"),
    ("dolomite", "process", 1, "t"),
    ("HFC134a", "fugitive", 1, "kg"),
    ("r410a", "fugitive", 1, "kg"),
    ("electricity", "electricity", 2, "MWh"),
    ("electricity", "electricity", 2, "万kWh"),
    ("heat", "heat", 2, "GJ"),
    ("freight_truck_ton_mile", "4_upstream_transportation", 3, "t*km"),
    ("freight_rail_ton_mile", "4_upstream_transportation", 3, "short_ton*mi"),
    ("travel_air_medium_haul", "6_business_travel", 3, "passenger*km"),
    ("travel_bus", "7_employee_commuting", 3, "passenger*km"),
]
FACILITIES = [f"site{i:03d}" for i in range(200)]
YEARS = [2022, 2023]


def generate(n: int, path: Path, seed: int = 2060) -> None:
    rng = np.random.default_rng(seed)
    src = rng.integers(0, len(SOURCES), n)
    acts = np.array([s[0] for s in SOURCES], dtype=object)
    cats = np.array([s[1] for s in SOURCES], dtype=object)
    scopes = np.array([s[2] for s in SOURCES], dtype=np.int64)
    units = np.array([s[3] for s in SOURCES], dtype=object)
    df = pd.DataFrame(
        {
            "row": np.arange(2, n + 2, dtype=np.int64),
            "facility": pd.array(
                np.array(FACILITIES, dtype=object)[rng.integers(0, len(FACILITIES), n)], dtype="str"
            ),
            "year": np.array(YEARS, dtype=np.int64)[rng.integers(0, len(YEARS), n)],
            "month": rng.integers(1, 13, n).astype(np.int64),
            "scope": scopes[src],
            "category": pd.array(cats[src], dtype="str"),
            "activity": pd.array(acts[src], dtype="str"),
            "amount": rng.lognormal(3.0, 1.0, n),
            "unit": pd.array(units[src], dtype="str"),
            "tier": rng.integers(1, 4, n).astype(np.int64),
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_parquet(path, index=False)


def _child(kind: str, path: Path) -> dict[str, float]:
    df = pd.read_parquet(path)
    df["file"] = "activity.parquet"
    if kind == "neutra":
        from neutra.inventory.engine import compute
        from neutra.model.plan import Entity, Plan, Settings
        from neutra.refdata.library import load_library

        plan = Plan(
            entity=Entity(
                name="Benchmark Group",
                level="enterprise",
                base_year=2022,
                reporting_years=tuple(YEARS),
                grid_region="CN-East",
            ),
            settings=Settings(monte_carlo_draws=10_000),
            activity=df,
        )
        lib = load_library(None)
        t0 = time.perf_counter()
        res = compute(plan, lib, np.random.default_rng(1), detail=False)
        secs = time.perf_counter() - t0
        total = float(res.totals["total_location"].sum())
    else:
        import duckdb

        con = duckdb.connect()
        con.register("act", df)
        t0 = time.perf_counter()
        out = con.execute(
            "SELECT facility, year, scope, category, activity, unit, "
            "sum(amount) AS amount FROM act GROUP BY ALL"
        ).df()
        secs = time.perf_counter() - t0
        total = float(out["amount"].sum())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": secs, "peak_mb": peak_mb, "check": total}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--child", choices=["neutra", "duckdb"])
    ap.add_argument("--data")
    a = ap.parse_args()
    if a.child:
        print(json.dumps(_child(a.child, Path(a.data))))
        return
    path = DATA / f"activity_{a.rows}.parquet"
    if not path.exists():
        t0 = time.perf_counter()
        generate(a.rows, path)
        print(f"generated {a.rows:,} rows in {time.perf_counter() - t0:.1f} s → {path}")
    results: dict[str, list[dict[str, float]]] = {"neutra": [], "duckdb": []}
    for _ in range(a.repeat):
        for kind in ("duckdb", "neutra"):
            out = subprocess.run(  # noqa: S603 - our own interpreter and script
                [sys.executable, __file__, "--child", kind, "--data", str(path)],
                check=True,
                capture_output=True,
                text=True,
            )
            results[kind].append(json.loads(out.stdout.strip().splitlines()[-1]))
    import duckdb

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, duckdb {duckdb.__version__}, rows {a.rows:,}"
    )
    best = {k: min(r["seconds"] for r in v) for k, v in results.items()}
    for kind, runs in results.items():
        secs = ", ".join(f"{r['seconds']:.2f}" for r in runs)
        peak = max(r["peak_mb"] for r in runs)
        print(f"{kind:7s} seconds per run: {secs} (best {best[kind]:.2f}); peak RSS {peak:,.0f} MB")
    print(f"ratio neutra / bare duckdb (best runs): {best['neutra'] / best['duckdb']:.2f}")


if __name__ == "__main__":
    main()
