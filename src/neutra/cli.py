"""The ``neutra`` command. Thin: it parses options, calls :mod:`neutra.services`, prints."""

from __future__ import annotations

import json
import shutil
import sys
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

# The command modules add their commands to ``app`` as they are imported.
from neutra import cli_economics, cli_targets, i18n  # noqa: F401
from neutra.cli_base import (
    DbOpt,
    JsonOpt,
    LangOpt,
    NoStoreOpt,
    PlanArg,
    _err,
    _fail,
    _lang,
    _out,
    app,
    factors_app,
    plan_app,
    runs_app,
)
from neutra.errors import NeutraError


@app.command()
def validate(plan: PlanArg) -> None:
    """Check a plan's files and its fit to the reference data / 校验计划文件."""
    from neutra import services

    try:
        p, lib = services.validate(plan)
    except NeutraError as exc:
        _fail(exc)
    _out().print(
        f"{i18n.both('cli_valid')}: {p.entity.name} — {_rows(len(p.activity), 'activity row')}, "
        f"{_rows(0 if p.balances is None else p.balances['year'].nunique(), 'energy balance')}, "
        f"years {', '.join(map(str, p.years))}, factor sets {', '.join(lib.set_ids)}"
    )


@app.command()
def inventory(
    plan: PlanArg,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    no_store: NoStoreOpt = False,
    lang: LangOpt = "",
) -> None:
    """Compute the GHG inventory and store the run / 计算温室气体排放清单."""
    from neutra import services
    from neutra.cli_output import inventory_json, print_inventory

    lg = _lang(lang or None)
    if _regional(plan):
        _region_inventory(plan, as_json, db, no_store)
        return
    try:
        with _err().status(i18n.both("cli_computing")):
            _p, result, info = services.inventory(plan)
            if not no_store:
                services.store_inventory(db or services.default_db(plan), info, result)
    except NeutraError as exc:
        _fail(exc, as_json)
    if as_json:
        print(json.dumps(inventory_json(result, info), ensure_ascii=False, indent=2))
        return
    print_inventory(_out(), result, info, lg)
    if not no_store:
        _err().print(
            f"{i18n.both('cli_run_stored')}: {db or services.default_db(plan)} (run {info.run_id})"
        )


def _rows(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


def _regional(plan: Path) -> bool:
    """A plan with energy balance tables (files or sheets) is analysed as a region."""
    from neutra import services

    return services.has_balances(plan)


def _region_inventory(plan: Path, as_json: bool, db: Path | None, no_store: bool) -> None:
    from neutra import services
    from neutra.cli_output import print_region
    from neutra.results_json import region_json

    try:
        with _err().status(i18n.both("cli_computing")):
            _p, status, info = services.region(plan)
            if not no_store:
                services.store_region(db or services.default_db(plan), info, status)
    except NeutraError as exc:
        _fail(exc, as_json)
    if as_json:
        print(json.dumps(region_json(status, info), ensure_ascii=False, indent=2, default=str))
        return
    print_region(_out(), status, info)


@app.command()
def report(
    plan: PlanArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="HTML file to write")],
    lang: LangOpt = "",
    db: DbOpt = None,
    no_store: Annotated[bool, typer.Option("--no-store")] = False,
) -> None:
    """Write the self-contained bilingual HTML report / 生成报告 (HTML, 离线可用)."""
    from neutra import services

    lg = _lang(lang or None)
    try:
        with _err().status(i18n.both("cli_computing")):
            path = services.write_report(
                plan, output, lg, None if no_store else (db or services.default_db(plan))
            )
    except NeutraError as exc:
        _fail(exc)
    _out().print(f"{i18n.both('cli_report_written')}: {path.resolve()}")


@app.command()
def demo(
    output: Annotated[
        Path, typer.Option("-o", "--output", help="folder for the example plans, store, reports")
    ] = Path("neutra-demo"),
) -> None:
    """Run the bundled examples end to end / 运行内置示例（钢铁企业、沿海城市）."""
    from neutra import services

    output.mkdir(parents=True, exist_ok=True)
    jobs = (("steel_enterprise", "steel-enterprise", "report"), ("city", "city", "city"))
    paths = []
    try:
        with _err().status(i18n.both("cli_computing")):
            for package, folder, stem in jobs:
                plan_dir = _copy_example(package, output / folder)
                for suffix, lg in (("", "en"), (".zh", "zh")):
                    paths.append(
                        services.write_report(
                            plan_dir,
                            output / f"{stem}{suffix}.html",
                            lg,  # type: ignore[arg-type]
                            output / "neutra.duckdb",
                        )
                    )
    except NeutraError as exc:
        _fail(exc)
    for pth in paths:
        _out().print(f"{i18n.both('cli_report_written')}: {pth.resolve()}")


def _copy_example(package: str, dest: Path) -> Path:
    """A fresh copy of a bundled example plan."""
    src = resources.files("neutra.examples") / package
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for f in src.iterdir():
        if f.is_file() and f.name.endswith((".csv", ".toml", ".md")):
            (dest / f.name).write_bytes(f.read_bytes())
    return dest


@factors_app.command("list")
def factors_list(
    set_id: Annotated[str | None, typer.Option("--set", help="one set")] = None,
) -> None:
    """List factor sets, or the ids of one set / 列出因子集."""
    from neutra.refdata.library import manifest, packaged_set

    m = manifest()
    con = _out()
    if set_id is None:
        t = Table("set", "default", "rows", "title", "licence", title=f"reference data {m.version}")
        for s in m.sets:
            t.add_row(
                s.id,
                "yes" if s.default else "",
                str(len(packaged_set(s.id))),
                f"{s.title_en}\n{s.title_zh}",
                s.licence,
            )
        con.print(t)
        con.print(f"GWP sets: {', '.join(m.gwp_sets)} (default {m.default_gwp})")
        return
    try:
        df = packaged_set(set_id)
    except NeutraError as exc:
        _fail(exc)
    t = Table("id", "name", "名称", "parameters", "status", title=set_id)
    for aid, g in df.groupby("id", sort=True):
        t.add_row(
            str(aid),
            str(g["name_en"].iloc[0]),
            str(g["name_zh"].iloc[0]),
            ", ".join(sorted(set(g["parameter"] + (":" + g["gas"]).where(g["gas"] != "", "")))),
            ", ".join(sorted(set(g["status"]))),
        )
    con.print(t)


@factors_app.command("show")
def factors_show(
    activity_id: Annotated[str, typer.Argument(help="activity or fuel id")],
    set_id: Annotated[str | None, typer.Option("--set")] = None,
) -> None:
    """Every factor row of one id, with its source / 显示因子及来源."""
    from neutra.refdata.library import load_library

    try:
        lib = load_library([set_id] if set_id else None)
    except NeutraError as exc:
        _fail(exc)
    aid = lib.canonical(activity_id)
    if aid is None:
        near = lib.suggest(activity_id)
        _err().print(
            f"unknown id {activity_id!r}" + (f"; did you mean {', '.join(near)}?" if near else "")
        )
        raise typer.Exit(1)
    rows = lib.rows(aid)
    t = Table(title=aid)
    t.add_column("factor id", no_wrap=True)
    for c in ("value", "unit", "bounds", "status"):
        t.add_column(c)
    t.add_column("source", overflow="fold")
    for r in rows.itertuples():
        bounds = "" if str(r.lower) == "nan" else f"{r.lower:g}–{r.upper:g}"
        t.add_row(
            str(r.factor_id), f"{r.value:g}", str(r.unit), bounds, str(r.status), str(r.source)
        )
    _out().print(t)


@runs_app.command("list")
def runs_list(
    plan: Annotated[Path | None, typer.Argument(help="plan (for its store)")] = None,
    db: DbOpt = None,
) -> None:
    """List stored runs / 列出已保存的运行."""
    from neutra import services
    from neutra.store import Store

    path = db or services.default_db(plan or Path("."))
    try:
        df = Store(path).runs()
    except NeutraError as exc:
        _fail(exc)
    t = Table(*df.columns, title=str(path))
    for row in df.itertuples(index=False):
        t.add_row(*[str(v) for v in row])
    _out().print(t)


@runs_app.command("show")
def runs_show(
    run_id: Annotated[str, typer.Argument(help="run id (a unique prefix is enough)")],
    plan: Annotated[Path | None, typer.Argument()] = None,
    db: DbOpt = None,
) -> None:
    """Show one run: provenance and totals / 显示一次运行."""
    from neutra import services
    from neutra.store import Store

    store = Store(db or services.default_db(plan or Path(".")))
    try:
        info = store.run(run_id)
        prefix = "region" if info.get("kind") == "region" else "inventory"
        totals = store.table(str(info["run_id"]), "totals", prefix)
    except NeutraError as exc:
        _fail(exc)
    con = _out()
    for k, v in info.items():
        con.print(f"[bold]{k}[/]: {v}")
    t = Table(*totals.columns, title="totals, t CO2e")
    for row in totals.itertuples(index=False):
        t.add_row(*[f"{v:,.1f}" if isinstance(v, float) else str(v) for v in row])
    con.print(t)


@plan_app.command("export")
def plan_export(
    plan: PlanArg,
    output: Annotated[
        Path, typer.Option("-o", "--output", help=".xlsx file, or a folder for plan.toml + CSV")
    ],
) -> None:
    """Write a plan in the other form: folder ⇄ workbook, side tables included (lossless) /
    导出计划."""
    from neutra.io import read_plan
    from neutra.io.export import write_folder, write_workbook

    try:
        p = read_plan(plan)
        path = (
            write_workbook(p, output)
            if output.suffix.lower() == ".xlsx"
            else write_folder(p, output)
        )
    except NeutraError as exc:
        _fail(exc)
    _out().print(f"written / 已写入: {path}")


@app.command()
def decompose(
    table: Annotated[
        Path, typer.Argument(help="CSV: a year column, optional grouping columns, factor columns")
    ],
    factors: Annotated[
        str, typer.Option("--factors", help="factor columns whose product is V, comma-separated")
    ],
    year_from: Annotated[int, typer.Option("--from", help="base year")],
    year_to: Annotated[int, typer.Option("--to", help="end year")],
    by: Annotated[
        str | None, typer.Option("--by", help="grouping column(s), comma-separated")
    ] = None,
    chained: Annotated[
        bool, typer.Option("--chained", help="year by year from --from to --to, and cumulated")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Split a change into factor effects, LMDI-I (docs/method-decomposition.md) / 因素分解."""
    from neutra.analysis import lmdi
    from neutra.io.decomposition_table import read_decomposition_table

    names = [s.strip() for s in factors.split(",") if s.strip()]
    groups = [s.strip() for s in (by or "").split(",") if s.strip()]
    try:
        t = read_decomposition_table(table, names, year_from, year_to, groups, chained)
        result: lmdi.Decomposition | lmdi.ChainedDecomposition = (
            lmdi.decompose_chained(t.frame, t.factors, t.years, t.by, source=t.label)
            if chained
            else lmdi.decompose(t.frame, t.factors, year_from, year_to, t.by, source=t.label)
        )
    except NeutraError as exc:
        _fail(exc, as_json)
    if as_json:
        print(json.dumps(lmdi.json_document(result, t.label), ensure_ascii=False, indent=2))
        return
    unit = f" ({t.unit})" if t.unit else ""
    v_unit = f" {t.unit}" if t.unit else ""
    periods = result.steps if isinstance(result, lmdi.ChainedDecomposition) else (result,)
    tab = Table("period", "factor", f"additive effect{unit}", "multiplicative factor")
    tab.title = f"LMDI-I decomposition of {' × '.join(t.factors)}, {t.label}"
    rows = [(f"{p.y0}→{p.yt}", p.effects, p.delta, p.ratio) for p in periods]
    if isinstance(result, lmdi.ChainedDecomposition):
        rows.append(("cumulative", result.cumulative, result.delta, result.ratio))
    for period, effects, delta, ratio in rows:
        for e in effects:
            mult = "—" if e.multiplicative is None else f"{e.multiplicative:.6f}"
            tab.add_row(period, e.factor, f"{e.additive:,.6g}", mult)
        tab.add_row(
            period, "[bold]total[/]", f"{delta:,.6g}", "—" if ratio is None else f"{ratio:.6f}"
        )
    con = _out()
    con.print(tab)
    con.print(
        f"V({t.years[0]}) = {result.v0:,.6g}{v_unit}, V({t.years[-1]}) = {result.vt:,.6g}{v_unit}"
    )


@app.command()
def simulate(
    plan: PlanArg,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    no_store: NoStoreOpt = False,
    iamc: Annotated[
        Path | None, typer.Option("--iamc", help="also write the IAMC long format (.csv/.xlsx)")
    ] = None,
    draws: Annotated[
        int, typer.Option("--draws", help="Monte Carlo draws over uncertainty.csv (0: none)")
    ] = 0,
    lang: LangOpt = "",
) -> None:
    """Run the plan's scenarios to the end year / 情景模拟（基准、政策、强化情景）."""
    from neutra import services
    from neutra.cli_output import print_simulation
    from neutra.results_json import simulation_json

    lg = _lang(lang or None)
    try:
        with _err().status(i18n.both("cli_simulating")):
            p, result, info, mc = services.simulate_with_draws(plan, draws)
            if not no_store:
                services.store_simulation(db or services.default_db(plan), info, result)
            if iamc is not None:
                from neutra.io.iamc import iamc_frame, write_iamc

                region = p.entity.name
                write_iamc(iamc_frame(result, region=region), iamc)
    except NeutraError as exc:
        _fail(exc, as_json)
    if as_json:
        doc = simulation_json(result, info, mc)
        print(json.dumps(doc, ensure_ascii=False, indent=2, default=str))
        return
    print_simulation(_out(), result, info, lg, mc)
    if iamc is not None:
        _err().print(f"{i18n.both('cli_iamc_written')}: {iamc.resolve()}")
    if not no_store:
        _err().print(
            f"{i18n.both('cli_run_stored')}: {db or services.default_db(plan)} (run {info.run_id})"
        )


@app.command()
def explain(
    plan: PlanArg,
    scenario: Annotated[str, typer.Option("--scenario", "-s", help="scenario id, or current")],
    var: Annotated[
        str,
        typer.Option(
            "--var",
            help="an input variable (activity, intensity, efficiency, …) or a computed one "
            "(total_activity, energy, emissions, output, inputs, imports, total_capacity, net)",
        ),
    ],
    year: Annotated[int, typer.Option("--year", "-y", help="year")],
    branch: Annotated[
        str, typer.Option("--branch", "-b", help="branch path, or Key/<driver>")
    ] = "",
    fuel: Annotated[str, typer.Option("--fuel", help="fuel of a per-fuel variable")] = "",
    gas: Annotated[str, typer.Option("--gas", help="gas of a per-gas variable")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="print as JSON")] = False,
) -> None:
    """Explain one value: formula, inputs and where each came from / 追溯计算过程与数据来源."""
    from neutra import services

    try:
        ex = services.explain(plan, scenario, var, branch, year, fuel, gas)
    except NeutraError as exc:
        _fail(exc, as_json)
    if as_json:
        print(json.dumps(ex.as_dict(), ensure_ascii=False, indent=2, default=str))
        return
    con = _out()
    for line in ex.lines:
        con.print(line, markup=False, highlight=False)


@app.command()
def optimize(
    model: Annotated[
        Path,
        typer.Argument(
            help="an OSeMOSYS data file (GNU MathProg), an otoole CSV folder, or a Neutra plan "
            "with a module of dispatch = optimize"
        ),
    ],
    scenario: Annotated[
        str | None, typer.Option("--scenario", "-s", help="a plan's scenario (default: last)")
    ] = None,
    as_json: JsonOpt = False,
    db: DbOpt = None,
    no_store: NoStoreOpt = False,
    results: Annotated[
        Path | None, typer.Option("--results", help="write otoole result CSVs into this folder")
    ] = None,
    time_limit: Annotated[
        float | None, typer.Option("--time-limit", help="seconds HiGHS may take")
    ] = None,
    report: Annotated[
        Path | None, typer.Option("--report", help="write the HTML report to this file")
    ] = None,
    lang: LangOpt = "",
) -> None:
    """Least-cost pathway: build the OSeMOSYS model, solve it with HiGHS / 最优化路径."""
    from neutra import services
    from neutra.results_json import optimize_json

    if services.is_plan(model):
        _optimize_plan(model, scenario, as_json, db, no_store)
        return
    try:
        with _err().status(i18n.both("cli_optimizing")):
            _data, result, info = services.optimize(model, time_limit=time_limit)
            if not no_store and result.objective is not None:
                services.store_optimize(db or services.default_db(model), info, result)
            if results is not None and result.objective is not None:
                from neutra.optimize.export import write_otoole_results

                write_otoole_results(result, results)
            if report is not None and result.objective is not None:
                services.write_optimize_report(report, _data, result, info, _lang(lang or None))
    except NeutraError as exc:
        _fail(exc, as_json)
    if as_json:
        print(json.dumps(optimize_json(result, info), ensure_ascii=False, indent=2))
        if result.objective is None:
            raise typer.Exit(3)
        return
    con = _out()
    if result.objective is None:
        _err().print(f"{i18n.both('cli_not_optimal')}: {result.termination}")
        for line in result.diagnosis:
            _err().print(f"  {line}", markup=False, highlight=False)
        raise typer.Exit(3)
    tab = Table(title=f"{info.plan_name} — OSeMOSYS / HiGHS ({result.termination})")
    tab.add_column(i18n.t("quantity", "en"))
    tab.add_column("value", justify="right")
    tab.add_row("total discounted cost", f"{result.objective:,.6f}")
    for name, v in result.emissions.items():
        tab.add_row(f"model-period emissions {name}", f"{v:,.6f}")
    tm = result.timings
    tab.add_row(
        "time: read / build / solve / results (s)",
        " / ".join(f"{tm.get(k, 0.0):.3f}" for k in ("read", "build", "solve", "results")),
    )
    tab.add_row(
        "variables / constraints", f"{result.size['variables']:,} / {result.size['constraints']:,}"
    )
    con.print(tab)
    if results is not None:
        _err().print(f"otoole results: {results.resolve()}")
    if report is not None:
        _out().print(f"{i18n.both('cli_report_written')}: {report.resolve()}")
    if not no_store:
        _err().print(
            f"{i18n.both('cli_run_stored')}: {db or services.default_db(model)} (run {info.run_id})"
        )


def _optimize_plan(
    model: Path, scenario: str | None, as_json: bool, db: Path | None, no_store: bool
) -> None:
    """`neutra optimize PLAN`: the least-cost modules of a scenario of a plan."""
    from neutra import services
    from neutra.results_json import optimize_plan_json

    try:
        with _err().status(i18n.both("cli_optimizing")):
            _plan, result, info, sid = services.optimize_plan(model, scenario)
            if not no_store:
                services.store_simulation(db or services.default_db(model), info, result)
    except NeutraError as exc:
        _fail(exc, as_json)
    doc = optimize_plan_json(result, info, sid)
    if as_json:
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    tab = Table(title=f"{info.plan_name} — {sid}: least-cost modules (HiGHS)")
    for c in ("module", "year", "capacity MW", "carbon price", "cap t CO2e"):
        tab.add_column(c, justify="right")
    cap = result.capacity[result.capacity["scenario"] == sid]
    for module, entry in doc["modules"].items():
        mcap = cap[cap["module"].astype(str) == module].groupby("year")["value"].sum()
        for year in (y for y in result.years if y % 5 == 0 or y == result.years[0]):
            price = entry["price"].get(year)
            limit = entry["cap_t"].get(year)
            tab.add_row(
                module,
                str(year),
                f"{float(mcap.get(year, 0.0)):,.0f}",
                "" if price is None else f"{price:,.2f} {entry['currency_per_t']}/t",
                "" if limit is None else f"{limit:,.0f}",
            )
    _out().print(tab)
    _out().print(f"objective (discounted cost of the modules): {doc['objective']:,.2f}")


def main(argv: list[str] | None = None) -> Any:
    """Entry point of the ``neutra`` command."""
    return app(args=argv if argv is not None else sys.argv[1:])
