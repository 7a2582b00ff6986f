"""Service functions: what the CLI and the web app call. They hold the workflow, not the maths.

read → check against reference data → compute → store → report. Every problem of a plan is
reported at once, and nothing is stored unless the whole inventory computed.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from neutra._version import __version__
from neutra.analysis.status import RegionalStatus
from neutra.errors import (
    CalculationError,
    PlanError,
    PlanValidationError,
    Problem,
    ReferenceDataError,
    choices,
    raise_if_problems,
)
from neutra.i18n import Lang
from neutra.inventory.engine import check, compute
from neutra.inventory.result import InventoryResult
from neutra.io import is_workbook, read_plan_lenient, settings_label
from neutra.model.plan import Plan
from neutra.provenance import RunInfo
from neutra.refdata.library import (
    Library,
    check_user_factors,
    gwp_sets,
    load_library,
    manifest,
)


def library_for(plan: Plan) -> tuple[Library | None, list[Problem]]:
    """The factor library a plan names (its own factors.csv last, overriding), or the problems
    that prevent building it."""
    problems: list[Problem] = []
    label = plan.table_labels.get("factors", "factors.csv")
    head = settings_label(plan)
    if plan.user_factors is not None:
        problems += check_user_factors(plan.user_factors, label)
    if plan.settings.gwp_set not in gwp_sets():
        problems.append(
            Problem(
                head,
                None,
                "settings.gwp_set",
                plan.settings.gwp_set,
                f"one of {', '.join(gwp_sets())}",
            )
        )
    known = manifest().ids
    for sid in plan.settings.factor_sets or ():
        if sid not in known:
            problems.append(
                Problem(
                    head, None, "settings.factor_sets", sid, choices(known, sid, "a factor set of")
                )
            )
    if problems:
        return None, problems
    try:
        return load_library(plan.settings.factor_sets, plan.user_factors, label), []
    except ReferenceDataError as exc:
        return None, [Problem(label, None, None, None, str(exc))]


def validate(path: str | Path) -> tuple[Plan, Library]:
    """Read a plan and check it against its reference data; raise once with every problem
    (those of the files and those found against the factor sets together).

    The wedge rows of macc.csv are checked statically, without running the simulation's wedges
    (one extra run per measure and scenario): their measure, scenario and year against the
    compiled scenario model (:func:`wedge_index`). ``neutra report`` fills them from the run."""
    plan, problems = read_plan_lenient(path)
    if plan is None:
        raise_if_problems(problems)
        raise PlanError(f"{path}: the plan could not be read")  # pragma: no cover
    library, more = library_for(plan)
    problems += more
    # Checks against reference data use the plan's settings: with broken settings they would
    # run on the defaults and report problems that are not there.
    settings_broken = any((p.field or "").startswith("settings.") for p in problems)
    compiled = None  # the scenario model, compiled once for its checks and the wedge rows'
    if library is not None and not settings_broken:
        if len(plan.activity):
            prep, con = check(plan, library)
            con.close()
            problems += prep.problems
        if is_regional(plan):
            from neutra.analysis.status import status_analysis

            problems += status_analysis(plan, library)[1]
        if has_simulation(plan):
            from neutra.simulate.model import compile_model

            compiled = compile_model(plan)
            problems += simulation_problems(plan, library, compiled)
    if not settings_broken:
        from neutra.side_tables import run_side_tables

        problems += run_side_tables(plan, wedge_index(plan, compiled))[1]
    raise_if_problems(problems)
    if library is None:  # pragma: no cover - a missing library always comes with problems
        raise PlanError(f"{path}: no factor library")
    return plan, library


def run_info(plan: Plan, library: Library, kind: str = "inventory") -> RunInfo:
    phash = plan.content_hash()
    settings = plan.settings.model_dump(mode="json")
    settings["factor_sets"] = list(library.set_ids)
    sjson = json.dumps(settings, sort_keys=True)
    rid = hashlib.sha256(
        f"{kind}|{phash}|{library.version}|{__version__}|{sjson}".encode()
    ).hexdigest()[:16]
    return RunInfo(
        rid,
        datetime.now(UTC).isoformat(timespec="seconds"),
        plan.entity.name,
        plan.source,
        phash,
        library.version,
        __version__,
        sjson,
        kind,
    )


def inventory(path: str | Path, *, detail: bool = True) -> tuple[Plan, InventoryResult, RunInfo]:
    """Read, check and compute a plan's inventory (nothing is stored). Only the inventory's
    problems are checked (with those of reading the plan and its factor library); the scenario
    model and the side tables are :func:`validate`'s."""
    plan, library = _read(path)
    result, info = inventory_of(plan, library, detail=detail)
    return plan, result, info


def inventory_of(
    plan: Plan, library: Library, *, detail: bool = True
) -> tuple[InventoryResult, RunInfo]:
    """A read plan's inventory and its run; raise with every problem of its activity data
    against the factor library."""
    rng = np.random.default_rng(plan.settings.seed)
    return compute(plan, library, rng, detail=detail), run_info(plan, library)


def default_db(path: str | Path) -> Path:
    """The store a plan uses by default: ``neutra.duckdb`` inside its folder (or beside it)."""
    p = Path(path)
    return (p if p.is_dir() else p.parent) / "neutra.duckdb"


def store_inventory(db: str | Path, info: RunInfo, result: InventoryResult) -> str:
    """Store a computed inventory run (one transaction); returns the run id."""
    from neutra.store import Store

    return Store(db).save_inventory(info, result)


def write_report(
    path: str | Path, output: str | Path, lang: Lang = "en", db: str | Path | None = None
) -> Path:
    """Compute a plan's inventory (or a region's status), its scenarios and its plan sections,
    store the runs (if ``db``), and write its HTML report. The plan is read once; the
    scenarios' calibration uses the inventory or status the report shows."""
    plan, library = _read(path)
    status = inv = None
    if is_regional(plan):
        status, info = region_of(plan, library)
    elif len(plan.activity) or not has_simulation(plan):
        inv, info = inventory_of(plan, library)
    sim = None
    extra = ""
    if has_simulation(plan):
        from neutra.report.simulation import render_simulation, simulation_section

        sim, sinfo = simulate_of(plan, library, inventory=inv, status=status)
        if db is not None:
            store_simulation(db, sinfo, sim)
        if status is None and inv is None:
            html = render_simulation(plan, sim, sinfo, lang, plan_sections(plan, sim, lang))
            return _write(output, html)
        extra = simulation_section(sim, lang)
    extra += plan_sections(plan, sim, lang)
    if status is not None:
        from neutra.report.region import render_region

        if db is not None:
            store_region(db, info, status)
        html = render_region(plan, status, info, lang, extra)
    elif inv is not None:
        from neutra.report.html import render_inventory

        if db is not None:
            store_inventory(db, info, inv)
        html = render_inventory(plan, inv, info, lang, extra)
    else:  # pragma: no cover - a plan without either has returned its scenarios' page
        raise PlanError(f"{path}: no inventory, regional status or scenario model to report")
    return _write(output, html)


def side_tables(plan: Plan, sim: Any = None) -> tuple[Any, list[Problem]]:
    """A plan's side tables (macc.csv, ets.csv, forest.csv — a folder's files or a workbook's
    sheets, as the plan carries them) run with the plan's settings
    (:class:`neutra.side_tables.SideTables`), and every problem of them.

    ``sim``: the plan's simulation, whose wedges fill the abatement of macc.csv's wedge rows;
    ``None``: no simulation (a wedge row is then a problem)."""
    from neutra.side_tables import WedgeIndex, run_side_tables

    return run_side_tables(plan, None if sim is None else WedgeIndex.of(sim.wedges))


def wedge_index(plan: Plan, compiled: tuple[Any, list[Problem]] | None = None) -> Any:
    """The wedges the plan's simulation would give — the measures each scenario applies and
    the years — without running it (a :class:`neutra.side_tables.WedgeIndex` without values),
    to check macc.csv's wedge rows; ``None`` without a scenario model or a macc.csv.

    ``compiled``: the scenario model as :func:`neutra.simulate.model.compile_model` gave it,
    if already compiled."""
    from neutra.side_tables import MACC_FILE, WedgeIndex, present

    if MACC_FILE not in present(plan) or not has_simulation(plan):
        return None
    from neutra.simulate.model import compile_model
    from neutra.simulate.results import baseline_of

    model, _problems = compiled or compile_model(plan)  # problems: simulation_problems'
    if model is None:
        return WedgeIndex(None, ())
    base = baseline_of(model)
    applied = {s: tuple(model.measure_list(s)) for s in model.scenarios if s != base}
    return WedgeIndex(applied, tuple(model.years))


def plan_sections(plan: Plan, sim: Any, lang: Lang = "en") -> str:
    """The report's targets, MACC, carbon-market and sinks sections of a plan (HTML; empty
    for a plan without targets and side tables). ``sim`` is the plan's simulation, or None."""
    from neutra.report.economics import ets_section, macc_section
    from neutra.report.sinks import sinks_section
    from neutra.report.targets import targets_section

    side, problems = side_tables(plan, sim)
    raise_if_problems(problems)
    return (
        targets_section(plan, sim, lang)
        + macc_section(side, lang)
        + ets_section(side, lang)
        + sinks_section(side, sim, lang)
    )


def _write(output: str | Path, html: str) -> Path:
    out = Path(output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return out


def has_balances(path: str | Path) -> bool:
    """Whether a plan folder or workbook holds energy balance tables (without reading them)."""
    p = Path(path)
    if p.is_dir():
        return any(p.glob("energy_balance_*.csv"))
    if is_workbook(p) and p.is_file():
        import openpyxl

        try:
            wb = openpyxl.load_workbook(p, read_only=True)
        except (OSError, ValueError, KeyError):
            return False
        names = list(wb.sheetnames)
        wb.close()
        return any(n.strip().lower().startswith("energy_balance_") for n in names)
    return False


def is_regional(plan: Plan) -> bool:
    """Whether a plan is analysed from energy balance tables (a region's status)."""
    return plan.balances is not None and len(plan.balances) > 0


def _read(path: str | Path) -> tuple[Plan, Library]:
    """The plan and its factor library; raise once with every problem of reading them."""
    plan, problems = read_plan_lenient(path)
    if plan is None:
        raise_if_problems(problems)
        raise PlanError(f"{path}: the plan could not be read")  # pragma: no cover
    library, more = library_for(plan)
    raise_if_problems(problems + more)
    if library is None:  # pragma: no cover - a missing library always comes with problems
        raise PlanError(f"{path}: no factor library")
    return plan, library


def region(path: str | Path) -> tuple[Plan, RegionalStatus, RunInfo]:
    """Read a regional plan and compute its status analysis; raise with every problem."""
    plan, library = _read(path)
    if not is_regional(plan):
        raise PlanError(f"{path}: no energy balance tables (energy_balance_YYYY.csv)")
    status, info = region_of(plan, library)
    return plan, status, info


def region_of(plan: Plan, library: Library) -> tuple[RegionalStatus, RunInfo]:
    """A read regional plan's status analysis and its run; raise with every problem."""
    from neutra.analysis.status import status_analysis

    status, more = status_analysis(plan, library)
    raise_if_problems(more)
    return status, run_info(plan, library, kind="region")


def region_tables(status: RegionalStatus) -> dict[str, pd.DataFrame | None]:
    """The tables of a regional run as they are stored (``region_*``)."""
    inv = status.inventory
    tables: dict[str, pd.DataFrame | None] = {
        "region_totals": inv.totals,
        "region_emissions": inv.emissions,
        "region_process": inv.process,
        "region_energy": inv.energy,
        "region_mix": inv.mix,
        "region_closure": inv.closure,
        "region_findings": inv.findings,
        "region_factors": inv.factors,
        "region_indicators": status.indicators,
    }
    if status.kaya is not None:
        tables["region_kaya"] = status.kaya.to_frame()
    if status.kaya_chained is not None:
        tables["region_kaya_chained"] = status.kaya_chained.to_frame()
    if status.peak is not None:
        p = status.peak
        tables["region_peak"] = pd.DataFrame(
            [
                {
                    "status": p.status.value,
                    "peak_year": p.peak_year,
                    "peak_value": p.peak_value,
                    "last_year": p.last_year,
                    "last_value": p.last_value,
                    "below_peak_pct": p.below_peak_pct,
                    "explain_en": p.explain("en"),
                    "explain_zh": p.explain("zh"),
                }
            ]
        )
    return tables


def store_region(db: str | Path, info: RunInfo, status: RegionalStatus) -> str:
    """Store a regional run (one transaction); returns the run id."""
    from neutra.store import Store

    return Store(db).save_tables(info, region_tables(status), status.inventory.meta)


# -- scenario simulation ------------------------------------------------------------------------


def has_simulation(plan: Plan) -> bool:
    """Whether a plan has a scenario model (branches, expressions, …)."""
    from neutra.simulate.model import has_simulation as _has

    return _has(plan)


def simulation_model(
    plan: Plan, library: Library, compiled: tuple[Any, list[Problem]] | None = None
) -> tuple[Any, Any, list[Problem]]:
    """The plan's checked simulation model and its runner, or the problems found.

    ``compiled``: the scenario model as :func:`neutra.simulate.model.compile_model` gave it,
    if already compiled."""
    from neutra.inventory.gases import gwp_for
    from neutra.inventory.recipes import resolver_for
    from neutra.simulate.engine import FactorBook, Runner, check
    from neutra.simulate.model import compile_model

    model, problems = compiled or compile_model(plan)
    if model is None:
        return None, None, problems
    gwp = gwp_for(library, plan.settings.gwp_set)
    book = FactorBook(resolver_for(library, gwp, plan.settings.co2_convention), gwp)
    problems = check(model, book)
    if problems:
        return None, None, problems
    return model, Runner(model, book), []


def simulation_problems(
    plan: Plan, library: Library, compiled: tuple[Any, list[Problem]] | None = None
) -> list[Problem]:
    """Problems of the scenario model: in its tables, and those only a run shows (shares that
    do not sum to 100 % in some year, a circular reference, an efficiency of 0, …).

    ``compiled``: the scenario model, if already compiled (:func:`simulation_model`)."""
    model, runner, problems = simulation_model(plan, library, compiled)
    if problems:
        return list(problems)
    found: list[Problem] = target_problems(plan, model.years)
    for sid in model.scenarios:
        try:
            runner.run(sid, lean=True)
        except PlanValidationError as exc:
            found += [p for p in exc.problems if p not in found]
        except CalculationError as exc:
            found.append(
                Problem("scenarios.csv", None, "scenario", sid, f"a scenario that runs ({exc})")
            )
    return found


def _plan_targets(plan: Plan) -> list[Any]:
    """The plan's targets (targets.csv), read against its drivers; [] when it has none."""
    from neutra.targets.plan_targets import read_targets

    frame = plan.tables.get("targets")
    if frame is None or not len(frame):
        return []
    drivers = plan.tables.get("drivers")
    units = (
        {}
        if drivers is None
        else {str(d): str(u) for d, u in zip(drivers["driver"], drivers["unit"], strict=True)}
    )
    return read_targets(frame, units, plan.table_letters.get("targets"))


def target_problems(plan: Plan, years: list[int]) -> list[Problem]:
    """Problems of targets.csv and allocation.csv found without running the scenarios."""
    from neutra.targets.aggregation import parse_method
    from neutra.targets.plan_targets import year_problems

    try:
        targets = _plan_targets(plan)
    except PlanValidationError as exc:
        return list(exc.problems)
    found: list[Problem] = year_problems(targets, years)
    for t in targets:
        if t.allocate:
            try:
                parse_method(t.allocate)
            except ValueError as exc:
                found.append(Problem(t.file, t.row, "allocate", t.allocate, str(exc)))
    return found


def assess_targets(plan: Plan, result: Any) -> dict[str, pd.DataFrame | None] | None:
    """The plan's targets against every scenario, and their allocation; None without targets."""
    from neutra.targets.aggregation import allocate_targets
    from neutra.targets.plan_targets import assess

    targets = _plan_targets(plan)
    if not targets:
        return None
    checks, lines = assess(targets, result.totals, result.summary, result.drivers)
    members = aggregation = None
    alloc = plan.tables.get("allocation")
    if alloc is not None and len(alloc):
        members, aggregation = allocate_targets(
            targets, checks, alloc, plan.table_letters.get("allocation")
        )
    return {
        "target_checks": checks,
        "target_lines": lines,
        "target_members": members,
        "target_aggregation": aggregation,
    }


def simulate(
    path: str | Path, *, wedges: bool = True, calibrate: bool = True
) -> tuple[Plan, Any, RunInfo]:
    """Read a plan and run its scenarios; raise once with every problem.

    ``wedges``: also each measure's wedge (one more run per measure and scenario);
    ``calibrate``: also the Current Accounts against the plan's own inventory or regional
    status (:func:`calibration`, computed for it)."""
    plan, library = _read(path)
    model, runner = _scenario_model(plan, library, path)
    result = _run_scenarios(plan, library, model, runner, wedges=wedges, calibrate=calibrate)
    return plan, result, run_info(plan, library, kind="simulation")


def simulate_with_draws(
    path: str | Path, draws: int
) -> tuple[Plan, Any, RunInfo, pd.DataFrame | None]:
    """:func:`simulate`, then ``draws`` Monte Carlo draws (:func:`monte_carlo`; ``None`` for
    0) with the same compiled model and runner."""
    plan, library = _read(path)
    model, runner = _scenario_model(plan, library, path)
    result = _run_scenarios(plan, library, model, runner)
    mc = _draws(plan, model, runner, draws, path) if draws else None
    return plan, result, run_info(plan, library, kind="simulation"), mc


def simulate_of(
    plan: Plan,
    library: Library,
    *,
    inventory: InventoryResult | None = None,
    status: RegionalStatus | None = None,
) -> tuple[Any, RunInfo]:
    """A read plan's scenarios, with wedges and calibration, and the run: as :func:`simulate`,
    calibrated against the plan's ``inventory`` or regional ``status`` when given (else
    computed)."""
    model, runner = _scenario_model(plan, library, plan.source)
    result = _run_scenarios(plan, library, model, runner, inventory=inventory, status=status)
    return result, run_info(plan, library, kind="simulation")


def _scenario_model(plan: Plan, library: Library, path: str | Path) -> tuple[Any, Any]:
    """The plan's checked scenario model and runner; raise when it has none or problems."""
    if not has_simulation(plan):
        raise PlanError(
            f"{path}: no scenario model (branches.csv, expressions.csv, scenarios.csv; "
            "see docs/plan-format.md)"
        )
    model, runner, more = simulation_model(plan, library)
    raise_if_problems(more)
    return model, runner


def _run_scenarios(
    plan: Plan,
    library: Library,
    model: Any,
    runner: Any,
    *,
    wedges: bool = True,
    calibrate: bool = True,
    inventory: InventoryResult | None = None,
    status: RegionalStatus | None = None,
) -> Any:
    """Every scenario of a checked model, with the plan's targets and (if ``calibrate``) the
    calibration against its inventory or status."""
    from neutra.simulate.results import simulate as run_all

    try:
        result = run_all(model, runner, wedges=wedges)
    except CalculationError as exc:  # the same problem `validate` reports, with exit code 2
        raise PlanValidationError(
            [Problem("scenarios.csv", None, None, None, f"scenarios that run ({exc})")]
        ) from exc
    if calibrate:
        result.calibration = calibration(plan, library, result, inventory=inventory, status=status)
    result.targets = assess_targets(plan, result)
    if result.calibration and abs(result.calibration["difference_pct"]) > CALIBRATION_TOLERANCE_PCT:
        c = result.calibration
        result.notes.append(
            f"Current Accounts differ from the {c['source']} of {c['year']} by "
            f"{c['difference_pct']:+.1f} % ({c['simulated_t']:,.0f} vs {c['inventory_t']:,.0f} "
            f"t CO2e, {c['measure']})"
        )
    return result


CALIBRATION_TOLERANCE_PCT = 2.0


def calibration(
    plan: Plan,
    library: Library,
    result: Any,
    *,
    inventory: InventoryResult | None = None,
    status: RegionalStatus | None = None,
) -> dict[str, Any] | None:
    """Current Accounts against the plan's own inventory of the simulation's base year: the
    enterprise inventory (scope 1 + location-based scope 2) or the region's consumption-based
    total. ``None`` when the plan has no inventory for that year.

    ``inventory``, ``status``: the plan's inventory or regional status if already computed
    (e.g. for the report); computed here otherwise."""
    year = result.years[0]
    measure = ""
    inv_t = None
    if is_regional(plan) and year in set(plan.balances["year"]):  # type: ignore[index]
        if status is None:
            from neutra.analysis.status import status_analysis

            status, problems = status_analysis(plan, library)
            if problems:
                return None
        t = status.inventory.totals.set_index("year")
        inv_t = float(t.loc[year, "consumption_based_t"])
        source, measure = "regional inventory", "consumption-based (incl. electricity inflow)"
    elif len(plan.activity) and year in set(plan.activity["year"]):
        if inventory is None:
            rng = np.random.default_rng(plan.settings.seed)
            inventory = compute(plan, library, rng, detail=False)
        t = inventory.totals.set_index("year")
        inv_t = float(t.loc[year, "scope1"] + t.loc[year, "scope2_location"])
        source, measure = "inventory", "scope 1 + location-based scope 2"
    if inv_t is None:
        return None
    tot = result.totals
    base = tot[(tot["year"] == year) & (tot["scenario"] == result.scenarios[0])].iloc[0]
    sim_t = float(base["emissions"] + base["imports"])
    diff = (sim_t - inv_t) / inv_t * 100 if inv_t else float("nan")
    return {
        "source": source,
        "measure": measure,
        "year": year,
        "inventory_t": inv_t,
        "simulated_t": sim_t,
        "difference_pct": diff,
    }


def simulation_tables(result: Any) -> dict[str, pd.DataFrame | None]:
    """The tables of a simulation run as they are stored (``sim_*``)."""
    return {
        "sim_totals": result.totals,
        "sim_summary": result.summary,
        "sim_energy": result.energy,
        "sim_emissions": result.emissions,
        "sim_transformation": result.transformation,
        "sim_capacity": result.capacity,
        "sim_primary": result.primary,
        "sim_wedges": result.wedges,
        "sim_sources": result.sources,
        "sim_carbon_prices": result.carbon_prices,
        **(result.targets or {}),
    }


def store_simulation(db: str | Path, info: RunInfo, result: Any) -> str:
    """Store a simulation run (one transaction); returns the run id."""
    from neutra.store import Store

    meta = {
        "scenarios": result.scenarios,
        "years": [result.years[0], result.years[-1]],
        "gwp_set": result.gwp_set,
        "energy_unit": result.energy_unit,
        "notes": result.notes,
    }
    return Store(db).save_tables(info, simulation_tables(result), meta)


def explain(
    path: str | Path,
    scenario: str,
    variable: str,
    branch: str,
    year: int,
    fuel: str = "",
    gas: str = "",
) -> Any:
    """Explain one value of a plan's simulation (formula, inputs, their sources)."""
    from neutra.simulate.explain import explain as run_explain

    plan, library = _read(path)
    model, runner, more = simulation_model(plan, library)
    raise_if_problems(more)
    return run_explain(model, runner, scenario, variable, branch, year, fuel, gas)


def monte_carlo(path: str | Path, draws: int) -> pd.DataFrame:
    """Percentiles of net emissions by scenario and year over ``draws`` joint draws of the
    plan's uncertain drivers, variables and factors (uncertainty.csv)."""
    plan, library = _read(path)
    model, runner, more = simulation_model(plan, library)
    raise_if_problems(more)
    return _draws(plan, model, runner, draws, path)


def _draws(plan: Plan, model: Any, runner: Any, draws: int, path: str | Path) -> pd.DataFrame:
    from neutra.simulate.results import monte_carlo as run_mc

    if not model.uncertain:
        raise PlanError(f"{path}: no uncertain drivers or factors (uncertainty.csv)")
    return run_mc(model, runner, draws, np.random.default_rng(plan.settings.seed))


# -- least-cost optimisation --------------------------------------------------------------------


def is_plan(path: str | Path) -> bool:
    """Whether ``path`` is a Neutra plan (a folder with plan.toml, or a workbook)."""
    p = Path(path)
    return (p.is_dir() and (p / "plan.toml").is_file()) or is_workbook(p)


def optimize_plan(path: str | Path, scenario: str | None) -> tuple[Plan, Any, RunInfo, str]:
    """Run a plan's scenarios and return the least-cost results of its optimised modules for
    ``scenario`` (default: the last scenario): the simulation result, its run and the id.
    Without the calibration (not shown); with the wedges (stored with the run)."""
    plan, result, info = simulate(path, calibrate=False)
    cp = result.carbon_prices
    if cp is None or cp.empty:
        raise PlanError(
            f"{path}: no module with dispatch = optimize in the plan's scenario model; "
            "optimise an OSeMOSYS data file or otoole folder, or set a module's dispatch"
        )
    sid = scenario or result.scenarios[-1]
    if sid not in result.scenarios:
        raise PlanError(f"--scenario {sid!r}: expected one of {', '.join(result.scenarios)}")
    return plan, result, info, sid


def optimize(path: str | Path, *, time_limit: float | None = None) -> tuple[Any, Any, RunInfo]:
    """Read an OSeMOSYS model (a GNU MathProg data file or an otoole CSV folder), build it,
    solve it with HiGHS; returns the data, the result (with timings) and the run's identity."""
    import time as _time

    from neutra.optimize.data import read_model
    from neutra.optimize.osemosys import build
    from neutra.optimize.solve import solve

    p = Path(path)
    if not p.exists():
        raise PlanError(
            f"{p}: no such file or folder; expected an OSeMOSYS data file (GNU "
            "MathProg) or an otoole CSV folder"
        )
    if p.is_dir() and not any(p.glob("*.csv")):
        raise PlanError(
            f"{p}: no CSV files; expected an otoole CSV folder (one file per set and "
            "parameter) or an OSeMOSYS data file"
        )
    t0 = _time.perf_counter()
    data = read_model(p)
    t1 = _time.perf_counter()
    built = build(data)
    t2 = _time.perf_counter()
    result = solve(built, time_limit=time_limit)
    result.timings = {
        "read": t1 - t0,
        "build": t2 - t1,
        "solve": result.timings.get("solve", 0.0),
        "results": result.timings.get("read_results", 0.0),
    }
    return data, result, _model_run_info(p, data)


def _model_run_info(path: Path, data: Any) -> RunInfo:
    h = hashlib.sha256()
    # The data only: an otoole folder's CSV files and config, not a store kept beside them.
    files = sorted([*path.glob("*.csv"), *path.glob("*.yaml")]) if path.is_dir() else [path]
    for f in files:
        if f.is_file():
            h.update(f.name.encode())
            h.update(f.read_bytes())
    digest = h.hexdigest()
    rid = hashlib.sha256(f"optimize|{digest}|{__version__}".encode()).hexdigest()[:16]
    return RunInfo(
        rid,
        datetime.now(UTC).isoformat(timespec="seconds"),
        path.stem,
        str(path),
        digest,
        "osemosys",
        __version__,
        json.dumps({"solver": "highs", "formulation": "OSeMOSYS 2017_11_08"}),
        "optimize",
    )


def store_optimize(db: str | Path, info: RunInfo, result: Any) -> str:
    """Store an optimisation run and its result tables (``opt_*``) in one transaction."""
    from neutra.store import Store

    tables: dict[str, pd.DataFrame | None] = {
        f"opt_{name}": frame for name, frame in result.tables.items() if len(frame)
    }
    meta = {
        "status": result.status,
        "termination": result.termination,
        "objective": result.objective,
        "emissions": result.emissions,
        "timings": result.timings,
        "size": result.size,
        "diagnosis": result.diagnosis,
    }
    return Store(db).save_tables(info, tables, meta)


def write_optimize_report(
    output: str | Path, data: Any, result: Any, info: RunInfo, lang: Lang = "en"
) -> Path:
    """Write the HTML report of a solved OSeMOSYS model (:func:`optimize`)."""
    from neutra.report.optimize import render_optimize

    return _write(output, render_optimize(result, data, info, lang))


def target_check(
    path: str | Path, ambition: str, target_year: int, column: str = "net"
) -> tuple[Any, Any, Any]:
    """A plan's scenarios against the SBTi absolute-contraction line from the simulation's
    base year (base = the baseline's ``column`` in that year): the line, the year-by-year gaps
    and the summary per scenario."""
    from neutra.targets.plan_targets import COLUMNS, sbti_check

    if column not in COLUMNS:
        raise PlanError(f"--column {column!r}: expected one of {', '.join(COLUMNS)}")
    _plan, result, _info = simulate(path, wedges=False, calibrate=False)
    tot = result.totals
    first = result.years[0]
    base = float(
        tot[(tot["year"] == first) & (tot["scenario"] == result.scenarios[0])][column].iloc[0]
    )
    return sbti_check(tot, column, first, base, target_year, ambition)


def plan_has_targets(path: str | Path) -> bool:
    """Whether a plan has targets (rows in ``targets.csv`` or its sheet), read without
    simulating; raise with every problem of reading the plan."""
    plan, _library = _read(path)
    frame = plan.tables.get("targets")
    return frame is not None and len(frame) > 0
