"""Optimisation: Neutra vs glpsol (the OSeMOSYS MathProg model) vs HiGHS alone, in one run.

Usage::

    .venv/bin/python benchmarks/optimize_vs_peers.py [--model-file /tmp/osemosys.txt]
        [--scales 2x2,4x4] [--repeats 3] [--glpsol-repeats 1] [--glpsol-time-limit 300]

Needs ``glpsol`` (Debian: ``apt-get install -y glpk-utils``) and the OSeMOSYS reference model
file (``src/osemosys.txt`` of OSeMOSYS_GNU_MathProg, Apache-2.0; not part of this repository)::

    curl -L -o /tmp/osemosys.txt \\
        https://raw.githubusercontent.com/OSeMOSYS/OSeMOSYS_GNU_MathProg/master/src/osemosys.txt

Models: UTOPIA (``tests/optimize/data/utopia.txt``) and, for each ``RxK`` of ``--scales``, a
scaled UTOPIA made here (:func:`scale_model`): ``R`` copies of the region with no trade between
them, each of the 6 time slices split into ``K`` equal slices (YearSplit and
SpecifiedDemandProfile divided, CapacityFactor and the Conversion* maps copied). Each is written
as a MathProg data file (:func:`write_mathprog`) that every tool reads. The default ``4x4`` has
14× UTOPIA's rows in glpsol's LP and 12.6× in Neutra's.

Measured for each model, every run a fresh process (peak memory = its maximum RSS):

- **neutra**: ``read_mathprog`` + ``build`` + ``solve`` (HiGHS through linopy's direct
  interface, then the result tables), each timed, and HiGHS's ``run`` inside the solve; the
  import of the packages separately (not in the total).
- **glpsol --check --wlp**: glpsol translating the model and data and writing the LP, no solve:
  its build alone.
- **glpsol**: ``glpsol -m osemosys.txt -d data.txt``: build, simplex, the model's result files;
  the simplex is stopped after ``--glpsol-time-limit`` seconds (0: no limit), which makes the
  time a lower bound.
- **HiGHS alone**: ``highspy.Highs().readModel(lp)`` then ``run()`` (timed apart) on the LP
  glpsol wrote, with HiGHS's defaults as in Neutra's solve: the floor for an implementation that
  must solve the reference model's LP.

Neutra's objective must equal HiGHS's on glpsol's LP and glpsol's where glpsol finished; for a
scaled model also ``R`` × UTOPIA's (every split slice repeats its parent, the copies are
independent). Neutra and HiGHS alone run ``--repeats`` times, glpsol ``--glpsol-repeats``; the
best run of each is reported.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from neutra.optimize.data import PARAMS, SETS, ModelData, read_mathprog

ROOT = Path(__file__).resolve().parents[1]
UTOPIA = ROOT / "tests" / "optimize" / "data" / "utopia.txt"
MODEL_URL = (
    "https://raw.githubusercontent.com/OSeMOSYS/OSeMOSYS_GNU_MathProg/master/src/osemosys.txt"
)
MODEL_FILE = Path(tempfile.gettempdir()) / "osemosys.txt"
# Parameters over TIMESLICE that are shares of the year: divided when a slice is split.
SHARES = ("YearSplit", "SpecifiedDemandProfile")


# ---- the scaled model ---------------------------------------------------------------------------


def scale_model(data: ModelData, regions: int = 1, split: int = 1) -> ModelData:
    """UTOPIA-like ``data`` made larger: every time slice split into ``split`` equal slices
    (shares of the year divided, capacity factors and the season/day-type/bracket maps copied)
    and ``regions`` copies of every region, trade routes only within a copy.

    With ``split`` alone the LP grows but each slice's data is the old slice's; with copies of
    the regions the objective is ``regions`` × the objective of one copy."""
    sets = {k: list(v) for k, v in data.sets.items()}
    slices = list(data.sets["TIMESLICE"])
    parts = [f"_{j}" for j in range(1, split + 1)] if split > 1 else [""]
    sets["TIMESLICE"] = [f"{ts}{part}" for ts in slices for part in parts]
    regs = list(data.sets["REGION"])
    copies = [f"{r}_{i}" if regions > 1 else r for i in range(1, regions + 1) for r in regs]
    sets["REGION"] = copies
    params: dict[str, pd.Series] = {}
    for name, spec in PARAMS.items():
        s = data.value(name) if name in SHARES else data.params[name]
        if name in SHARES:
            s = s[s != data.defaults[name]]
        keys = _keys(s.index)
        values = s.to_numpy(dtype=float)
        for pos, dim in enumerate(spec.dims):
            if dim == "TIMESLICE" and split > 1:
                keys = keys.loc[keys.index.repeat(split)].reset_index(drop=True)
                values = np.repeat(values, split)
                if name in SHARES:
                    values = values / split
                j = np.tile(np.arange(1, split + 1), len(keys) // split).astype(str)
                keys[pos] = keys[pos].astype(str) + "_" + j
        region_pos = [p for p, d in enumerate(spec.dims) if d == "REGION"]
        if region_pos and regions > 1:
            n = len(keys)
            keys = pd.concat([keys] * regions, ignore_index=True)
            copy = np.repeat(np.arange(1, regions + 1), n).astype(str)
            for p in region_pos:
                keys[p] = keys[p].astype(str) + "_" + copy
            values = np.tile(values, regions)
        if len(spec.dims) == 1:
            index: pd.Index = pd.Index(keys[0], name=spec.dims[0])
        else:
            index = pd.MultiIndex.from_frame(keys, names=list(spec.dims))
        params[name] = pd.Series(values, index=index, name=name, dtype=float)
    return ModelData(sets, params, dict(data.defaults), f"scaled({regions} regions, ×{split})")


def _keys(index: pd.Index) -> pd.DataFrame:
    """The index tuples as columns 0, 1, … (TradeRoute names REGION twice)."""
    return pd.DataFrame({i: index.get_level_values(i) for i in range(index.nlevels)})


def write_mathprog(data: ModelData, path: Path) -> Path:
    """``data`` as a GNU MathProg data file: ``set S := …;`` and ``param P default d := k … v``
    records with full index tuples (every parameter gets its default written, except
    DiscountRateIdv without data, whose default in the model file is DiscountRate[r])."""
    with path.open("w", encoding="utf-8") as fh:
        for name in SETS:
            fh.write(f"set {name} := {' '.join(str(m) for m in data.sets.get(name, []))};\n")
        for name in PARAMS:
            s = data.params.get(name, pd.Series([], dtype=float))
            if name == "DiscountRateIdv" and not len(s):
                continue
            fh.write(f"param {name} default {data.defaults[name]!r} :=\n")
            if len(s):
                keys = _keys(s.index).astype(str)
                text = keys.iloc[:, 0]
                for c in range(1, keys.shape[1]):
                    text = text + " " + keys.iloc[:, c]
                text = text + " " + pd.Series([repr(float(v)) for v in s.to_numpy()])
                fh.write("\n".join(text.tolist()))
                fh.write("\n")
            fh.write(";\n")
        fh.write("end;\n")
    return path


# ---- workers (each a fresh process) -------------------------------------------------------------


def worker_neutra(data_file: str) -> dict[str, Any]:
    t0 = time.perf_counter()
    import highspy
    import numpy as np
    import xarray as xr

    from neutra.optimize.data import read_mathprog as read
    from neutra.optimize.osemosys import build
    from neutra.optimize.solve import solve

    # xarray's first DataArray imports dask.array when dask is installed (Neutra installs it for
    # ensembles): a once-per-process cost of importing, timed apart and reported beside import.
    t_init = time.perf_counter()
    xr.DataArray(np.zeros(1))
    t1 = time.perf_counter()
    # Time HiGHS's own run inside Neutra's solve (the rest is handing the model over).
    spent = {"highs_run": 0.0}
    original = highspy.Highs.run

    def timed_run(self: Any, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            spent["highs_run"] += time.perf_counter() - start

    highspy.Highs.run = timed_run  # type: ignore[method-assign]
    data = read(data_file)
    t2 = time.perf_counter()
    built = build(data)
    t3 = time.perf_counter()
    result = solve(built)
    t4 = time.perf_counter()
    solve_only = float(result.timings.get("solve", t4 - t3))
    return {
        "import": t1 - t0,
        "xarray_first_use": t1 - t_init,
        "read": t2 - t1,
        "build": t3 - t2,
        "solve": solve_only,
        "highs_run": spent["highs_run"],
        "results": (t4 - t3) - solve_only,
        "total": t4 - t1,
        "objective": result.objective,
        "termination": result.termination,
        "rows": result.size.get("constraints"),
        "columns": result.size.get("variables"),
    }


def worker_highs(lp_file: str) -> dict[str, Any]:
    import highspy

    h = highspy.Highs()  # type: ignore[no-untyped-call]
    h.setOptionValue("output_flag", False)
    t0 = time.perf_counter()
    h.readModel(lp_file)
    t1 = time.perf_counter()
    h.run()
    t2 = time.perf_counter()
    return {
        "read": t1 - t0,
        "run": t2 - t1,
        "objective": h.getInfo().objective_function_value,
        "status": h.modelStatusToString(h.getModelStatus()),
        "rows": h.getNumRow(),
        "columns": h.getNumCol(),
    }


# ---- running and measuring a child --------------------------------------------------------------


def run_child(
    cmd: list[str], cwd: Path | None = None
) -> tuple[float, float, list[tuple[float, str]]]:
    """Run ``cmd``; its wall time, peak RSS in MB and stdout lines with the time each arrived."""
    start = time.perf_counter()
    proc = subprocess.Popen(  # noqa: S603 - glpsol or our own interpreter and script
        cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    )
    lines: list[tuple[float, str]] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.append((time.perf_counter() - start, line.rstrip("\n")))
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = "\n".join(text for _, text in lines[-20:])
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{tail}")
    return wall, usage.ru_maxrss / 1024, lines


def run_worker(kind: str, path: Path) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", kind, str(path)]
    wall, rss, lines = run_child(cmd)
    out: dict[str, Any] = json.loads(lines[-1][1])
    out.update(wall=wall, rss=rss)
    return out


_ROWS = re.compile(r"^(\d+) rows, (\d+) columns, (\d+) non-zeros")
_OBJ = re.compile(r"^\*?\s*\d+: obj =\s*([-+0-9.eE]+)")


def run_glpsol(
    model: Path, data: Path, work: Path, lp: Path | None = None, time_limit: int | None = None
) -> dict[str, Any]:
    """glpsol on ``data``: with ``lp``, build and write the LP only (``--check --wlp``);
    otherwise build, solve (simplex stopped after ``time_limit`` s) and write the results."""
    work.mkdir(parents=True, exist_ok=True)
    (work / "results").mkdir(exist_ok=True)  # the model file writes its CSV results there
    cmd = [glpsol(), "-m", str(model), "-d", str(data)]
    if lp is not None:
        cmd += ["--check", "--wlp", str(lp)]
    elif time_limit:
        cmd += ["--tmlim", str(time_limit)]
    wall, rss, lines = run_child(cmd, cwd=work)
    out: dict[str, Any] = {"wall": wall, "rss": rss, "optimal": False}
    for t, text in lines:  # glpsol flushes each line: the times say when each phase ended
        if m := _ROWS.match(text):
            out.setdefault("rows", int(m.group(1)))
            out.setdefault("columns", int(m.group(2)))
            out.setdefault("built_at", t)
        elif m := _OBJ.match(text):
            out["objective"] = float(m.group(1))
        elif text.startswith("OPTIMAL LP SOLUTION FOUND"):
            out.update(optimal=True, solved_at=t)
        elif text.startswith("TIME LIMIT EXCEEDED"):
            out["solved_at"] = t
        elif text.startswith("Time used:"):
            out["simplex"] = float(text.split()[2])
        elif text.startswith("Number of rows"):
            out["rows"] = int(text.split("=")[1])
        elif text.startswith("Number of columns"):
            out["columns"] = int(text.split("=")[1])
    if lp is None and "solved_at" not in out:
        raise RuntimeError("glpsol did not solve:\n" + "\n".join(x for _, x in lines[-30:]))
    return out


# ---- the benchmark ------------------------------------------------------------------------------


def best(runs: list[dict[str, Any]], key: str) -> dict[str, Any]:
    return min(runs, key=lambda r: r[key])


def measure(
    label: str, data_file: Path, args: argparse.Namespace, work: Path, expected: float | None
) -> dict[str, Any]:
    """Every tool on one data file; the best of the repeated runs of each."""
    lp = work / "model.lp"
    print(f"\n== {label}: {data_file.name}", flush=True)
    reps = args.glpsol_repeats
    check = [run_glpsol(args.model_file, data_file, work / "check", lp) for _ in range(reps)]
    print(f"glpsol --check --wlp: {[round(c['wall'], 2) for c in check]} s", flush=True)
    full = [
        run_glpsol(args.model_file, data_file, work / "full", time_limit=args.glpsol_time_limit)
        for _ in range(reps)
    ]
    print(f"glpsol: {[round(g['wall'], 2) for g in full]} s", flush=True)
    highs = [run_worker("highs", lp) for _ in range(args.repeats)]
    print(f"HiGHS alone run: {[round(h['run'], 3) for h in highs]} s", flush=True)
    lp.unlink()
    neutra = [run_worker("neutra", data_file) for _ in range(args.repeats)]
    print(f"neutra total: {[round(n['total'], 3) for n in neutra]} s", flush=True)
    out: dict[str, Any] = {
        "label": label,
        "check": best(check, "wall"),
        "glpsol": best(full, "wall"),
        "highs": best(highs, "run"),
        "neutra": best(neutra, "total"),
        "all": {"check": check, "glpsol": full, "highs": highs, "neutra": neutra},
    }
    # Neutra against the reference formulation on the same data: glpsol's own simplex where
    # it finished, HiGHS on glpsol's LP always; and the value the scaling implies.
    n = out["neutra"]["objective"]
    refs = {"HiGHS on glpsol's LP": out["highs"]["objective"]}
    if out["glpsol"]["optimal"]:
        refs["glpsol"] = out["glpsol"]["objective"]
    if expected is not None:
        refs["regions × UTOPIA"] = expected
    for who, ref in refs.items():
        ok = bool(np.isclose(n, ref, rtol=1e-6))
        print(f"objective: Neutra {n:.5f}, {who} {ref:.5f}: {'same' if ok else 'DIFFERENT'}")
        if not ok:
            sys.exit(f"{label}: Neutra's objective {n} differs from {who}'s {ref}")
    return out


def report(results: list[dict[str, Any]], time_limit: int | None) -> str:
    def row(name: str, f: Any) -> str:
        return f"| {name} | " + " | ".join(f(r) for r in results) + " |"

    def glpsol_total(r: dict[str, Any]) -> str:
        g = r["glpsol"]
        if g["optimal"]:
            return f"{g['wall']:.1f} s (simplex {g['simplex']:.1f} s)"
        return f"> {g['wall']:.0f} s (simplex stopped at --tmlim {time_limit}, not optimal)"

    def vs_glpsol(r: dict[str, Any]) -> str:
        ratio = r["glpsol"]["wall"] / r["neutra"]["total"]
        return f"**{ratio:.1f}×**" if r["glpsol"]["optimal"] else f"**> {ratio:.0f}×**"

    def objective(r: dict[str, Any]) -> str:
        g = r["glpsol"]
        ref = f"{g['objective']:.5f}" if g["optimal"] else "—"
        return f"{r['neutra']['objective']:.5f} / {ref} / {r['highs']['objective']:.5f}"

    rows = [
        "| | " + " | ".join(r["label"] for r in results) + " |",
        "|---|" + "---|" * len(results),
        row(
            "LP rows × columns, glpsol",
            lambda r: f"{r['check']['rows']:,} × {r['check']['columns']:,}",
        ),
        row(
            "LP rows × columns, Neutra",
            lambda r: f"{r['neutra']['rows']:,} × {r['neutra']['columns']:,}",
        ),
        row("Neutra read", lambda r: f"{r['neutra']['read']:.3f} s"),
        row("Neutra build", lambda r: f"{r['neutra']['build']:.3f} s"),
        row(
            "Neutra solve (HiGHS run in it)",
            lambda r: f"{r['neutra']['solve']:.3f} s ({r['neutra']['highs_run']:.3f} s)",
        ),
        row("Neutra result tables", lambda r: f"{r['neutra']['results']:.3f} s"),
        row("**Neutra total**", lambda r: f"**{r['neutra']['total']:.3f} s**"),
        row(
            "Neutra imports, of which xarray's first use (not in the total)",
            lambda r: f"{r['neutra']['import']:.2f} s ({r['neutra']['xarray_first_use']:.2f} s)",
        ),
        row("Neutra peak RSS", lambda r: f"{r['neutra']['rss']:,.0f} MB"),
        row("glpsol build only (`--check --wlp`)", lambda r: f"{r['check']['wall']:.1f} s"),
        row("**glpsol** build + simplex + result files", glpsol_total),
        row("glpsol peak RSS", lambda r: f"{r['glpsol']['rss']:,.0f} MB"),
        row("HiGHS alone: readModel(glpsol's LP)", lambda r: f"{r['highs']['read']:.3f} s"),
        row("**HiGHS alone: run**", lambda r: f"**{r['highs']['run']:.3f} s**"),
        row("HiGHS alone peak RSS", lambda r: f"{r['highs']['rss']:,.0f} MB"),
        row("objective: Neutra / glpsol / HiGHS alone", objective),
        row(
            "Neutra total ÷ HiGHS-alone run (target ≤ 1.5×)",
            lambda r: f"**{r['neutra']['total'] / r['highs']['run']:.2f}×**",
        ),
        row("glpsol total ÷ Neutra total (target ≥ 8×)", vs_glpsol),
    ]
    return "\n".join(rows)


def _scales(text: str) -> list[tuple[int, int]]:
    out = []
    for item in text.split(","):
        regions, split = item.lower().split("x")
        out.append((int(regions), int(split)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--model-file", type=Path, default=MODEL_FILE)
    ap.add_argument(
        "--scales",
        default="2x2,4x4",
        help="scaled models, REGIONSxSPLIT: copies of UTOPIA's region × slices per time slice",
    )
    ap.add_argument("--repeats", type=int, default=3, help="runs of Neutra and HiGHS alone")
    ap.add_argument("--glpsol-repeats", type=int, default=1)
    ap.add_argument(
        "--glpsol-time-limit",
        type=int,
        default=300,
        help="glpsol's --tmlim for the simplex, seconds (0: none)",
    )
    ap.add_argument("--keep", type=Path, help="keep the data files here")
    ap.add_argument("--worker", choices=["neutra", "highs"], help=argparse.SUPPRESS)
    ap.add_argument("path", nargs="?", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker = worker_neutra if args.worker == "neutra" else worker_highs
        print(json.dumps(worker(args.path)), flush=True)
        return
    if shutil.which("glpsol") is None:
        sys.exit("glpsol not found: install GLPK's solver (Debian: apt-get install -y glpk-utils)")
    if not args.model_file.is_file():
        sys.exit(
            f"no OSeMOSYS model file at {args.model_file}: get src/osemosys.txt of "
            f"OSeMOSYS_GNU_MathProg (Apache-2.0), e.g.\n  curl -L -o {args.model_file} {MODEL_URL}"
        )
    glpk = run_child([glpsol(), "--version"])[2][0][1]
    print(
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"linopy {_version('linopy')}, highspy {_version('highspy')}, "
        f"{glpk}; load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        utopia = read_mathprog(UTOPIA)
        results = [measure("UTOPIA", UTOPIA, args, root / "utopia", None)]
        for regions, split in _scales(args.scales):
            name = f"utopia_{regions}r_{split}l"
            scaled = write_mathprog(scale_model(utopia, regions, split), root / f"{name}.txt")
            label = f"UTOPIA × {regions} region{'s' if regions > 1 else ''}, {6 * split} slices"
            expected = regions * results[0]["neutra"]["objective"]
            results.append(measure(label, scaled, args, root / name, expected))
    print(f"\nload average at the end {os.getloadavg()[0]:.2f}\n")
    print(report(results, args.glpsol_time_limit))
    print("\nall runs:", json.dumps([r["all"] for r in results], default=float))


def glpsol() -> str:
    """The full path of glpsol."""
    return shutil.which("glpsol") or "glpsol"


def _version(dist: str) -> str:
    from importlib.metadata import version

    return version(dist)


if __name__ == "__main__":
    main()
