"""Regional status at scale: 31 provinces × 20 years of energy balances → inventory + chained LMDI.

Usage::

    .venv/bin/python benchmarks/region_scale.py [--provinces 31] [--years 20] [--repeat 3]

Each synthetic province is the bundled city example's 2015 balance and series, scaled by a seeded
random factor per province and year (so every table still closes), over ``years`` consecutive
years. Plans are built in memory (reading files is not timed); the timed work is, for every
province, :func:`neutra.analysis.status.status_analysis`: closure checks, standard coal by both
methods, sectoral and reference approaches, process and consumption-based totals, indicators,
Kaya LMDI-I between the first and last year and chained year by year, and peak detection.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import numpy as np
import pandas as pd

from neutra.analysis.status import status_analysis
from neutra.io import read_plan
from neutra.refdata.library import load_library

CITY = Path(__file__).resolve().parents[1] / "src" / "neutra" / "examples" / "city"


def provinces(n: int, years: int, seed: int = 31):  # type: ignore[no-untyped-def]
    base = read_plan(CITY)
    assert base.balances is not None
    assert base.series is not None
    b0 = base.balances[base.balances["year"] == 2015]
    s0 = base.series[base.series["year"] == 2015]
    rng = np.random.default_rng(seed)
    out = []
    for p in range(n):
        scale = rng.uniform(0.5, 3.0)
        bal, ser = [], []
        for k in range(years):
            f = scale * (1 + 0.03 * k) * rng.uniform(0.97, 1.03)
            y = 2000 + k
            bal.append(b0.assign(year=y, value=b0["value"] * f))
            sv = s0.assign(year=y)
            growth = (1 + 0.06) ** k
            sv.loc[
                sv["indicator"].isin(
                    [
                        "gdp",
                        "gdp_constant",
                        "va_primary",
                        "va_secondary",
                        "va_tertiary",
                        "va_industry",
                    ]
                ),
                "value",
            ] *= growth * scale
            sv.loc[sv["indicator"] == "population", "value"] *= scale * (1 + 0.01 * k)
            sv.loc[sv["indicator"] == "output_cement_clinker", "value"] *= scale
            ser.append(sv)
        entity = base.entity.model_copy(
            update={
                "name": f"Province {p:02d} (synthetic)",
                "base_year": 2000,
                "reporting_years": tuple(range(2000, 2000 + years)),
            }
        )
        out.append(
            base.model_copy(
                update={
                    "entity": entity,
                    "balances": pd.concat(bal, ignore_index=True),
                    "series": pd.concat(ser, ignore_index=True),
                }
            )
        )
    return out, load_library(base.settings.factor_sets)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--provinces", type=int, default=31)
    ap.add_argument("--years", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    plans, lib = provinces(a.provinces, a.years)
    times = []
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        for plan in plans:
            status, problems = status_analysis(plan, lib)
            assert not problems, problems[:3]
            assert status.kaya_chained is not None
        times.append(time.perf_counter() - t0)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {a.provinces} provinces × {a.years} years"
    )
    print("seconds per run: " + ", ".join(f"{t:.2f}" for t in times) + f" (best {min(times):.2f})")


if __name__ == "__main__":
    main()
