"""The ``neutra`` command. Thin: it parses options, calls :mod:`neutra.services`, prints."""

from __future__ import annotations

import json
import os
import shutil
import sys
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from neutra import i18n, units
from neutra.errors import NeutraError, PlanValidationError, Problem
from neutra.i18n import Lang

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Neutra: carbon-neutrality planning and management (碳中和规划与管理).",
)
factors_app = typer.Typer(
    no_args_is_help=True, help="Browse the reference factor sets / 浏览因子集."
)
runs_app = typer.Typer(no_args_is_help=True, help="Stored runs / 已保存的运行.")
plan_app = typer.Typer(no_args_is_help=True, help="Plan files / 计划文件.")
target_app = typer.Typer(no_args_is_help=True, help="Targets / 目标设定.")
app.add_typer(factors_app, name="factors")
app.add_typer(target_app, name="target")
app.add_typer(runs_app, name="runs")
app.add_typer(plan_app, name="plan")

PlanArg = Annotated[Path, typer.Argument(help="plan folder (plan.toml + CSV) or .xlsx workbook")]
DbOpt = Annotated[Path | None, typer.Option("--db", help="DuckDB store (default: inside the plan)")]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="print the documented JSON (docs/cli-json.md)")
]
NoStoreOpt = Annotated[bool, typer.Option("--no-store", help="do not store")]
LangOpt = Annotated[str, typer.Option("--lang", help="zh or en")]

EXIT_PROBLEMS = 2  # the plan has problems; every one is listed


def _out() -> Console:
    return Console(highlight=False, soft_wrap=True)


def _err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _lang(value: str | None) -> Lang:
    v = (value or os.environ.get("NEUTRA_LANG", "en")).lower()
    if v.startswith("zh"):
        return "zh"
    if v.startswith("en"):
        return "en"
    raise typer.BadParameter(f"--lang {value!r}: expected zh or en")


def _fail(exc: NeutraError, as_json: bool = False) -> None:
    """Print an error the user can act on and exit (2 for plan problems, 1 otherwise)."""
    code = EXIT_PROBLEMS if isinstance(exc, PlanValidationError) else 1
    if as_json:
        problems = [
            {
                "file": p.file,
                "row": p.row,
                "rows": list(p.rows),
                "cell": p.cell,
                "field": p.field,
                "value": p.value,
                "expected": p.expected,
            }
            for p in getattr(exc, "problems", ())
        ]
        print(
            json.dumps(
                {
                    "schema": "neutra.error/1",
                    "error": type(exc).__name__,
                    "message": str(exc),
                    "problems": problems,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        _err().print(f"[bold red]error / 错误:[/] {escape(str(exc))}")
    raise typer.Exit(code)


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
    """Write a plan in the other form: folder ⇄ workbook (lossless) / 导出计划."""
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
def macc(
    table: Annotated[
        Path,
        typer.Argument(
            help="CSV: name, capex, opex, annual_savings, lifetime, annual_abatement (t CO2e/yr); "
            "optional columns in docs/method-measures.md / 措施表"
        ),
    ],
    rate: Annotated[
        float,
        typer.Option(
            "--rate",
            help="private discount rate as a fraction (default 0.08, i.e. 8 %) / 私人折现率",
        ),
    ] = 0.08,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            help="year of the curve: start year of measures without a start_year, year of "
            "--gap / 曲线年份",
        ),
    ] = None,
    social_rate: Annotated[
        float | None,
        typer.Option(
            "--social-rate", help="social discount rate as a fraction (no default) / 社会折现率"
        ),
    ] = None,
    carbon_price: Annotated[
        float | None,
        typer.Option(
            "--carbon-price", help="flat carbon price, currency per t CO2e / 碳价（常数）"
        ),
    ] = None,
    carbon_price_file: Annotated[
        Path | None,
        typer.Option(
            "--carbon-price-file", help="CSV of year, price (currency per t CO2e) / 碳价路径文件"
        ),
    ] = None,
    subsidy: Annotated[
        float | None,
        typer.Option(
            "--subsidy",
            help="capex subsidy as a fraction of the capex, for every measure (a table's "
            "subsidy columns take precedence) / 投资补贴比例",
        ),
    ] = None,
    baseline: Annotated[
        float | None,
        typer.Option(
            "--baseline",
            help="baseline emissions, t CO2e/yr: measures interact, applied in order against "
            "the declining baseline / 基准排放（措施交互）",
        ),
    ] = None,
    gap: Annotated[
        float | None,
        typer.Option(
            "--gap", help="target gap, t CO2e: choose the least-cost set of measures / 目标缺口"
        ),
    ] = None,
    gap_until: Annotated[
        int | None,
        typer.Option(
            "--gap-until",
            help="last year of a cumulative gap (from --year through this year) / 累计缺口截止年",
        ),
    ] = None,
    fractional: Annotated[
        bool,
        typer.Option("--fractional", help="allow partial adoption of measures (LP) / 允许部分采用"),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Marginal abatement cost curve: measures sorted by levelised cost of abatement / 边际减排成本曲线."""
    from neutra.errors import PlanError as _PlanError
    from neutra.io.measures_table import read_carbon_prices, read_measures_table
    from neutra.measures import policy as pol
    from neutra.measures.appraisal import analyse_measures
    from neutra.measures.portfolio import Adoption, Gap

    try:
        if carbon_price is not None and carbon_price_file is not None:
            raise _PlanError("give --carbon-price or --carbon-price-file, not both")
        t = read_measures_table(table)
        prices = (
            read_carbon_prices(carbon_price_file)
            if carbon_price_file is not None
            else pol.CarbonPrice(flat=carbon_price)
            if carbon_price is not None
            else None
        )
        common = pol.Policy(
            subsidy=None if subsidy is None else pol.CapexSubsidy(share=subsidy),
            carbon_price=prices,
        )
        result = analyse_measures(
            t.measures,
            t.label,
            rate,
            social_rate=social_rate,
            year=year,
            policy=common,
            table_policies=t.policies,
            baseline_tco2e=baseline,
            gap=None if gap is None else Gap(gap, year, gap_until),
            adoption=Adoption.FRACTIONAL if fractional else Adoption.BINARY,
        )
    except NeutraError as exc:
        _fail(exc, as_json)
    if as_json:
        print(json.dumps(result.document, ensure_ascii=False, indent=2))
        return

    def num(v: Any, fmt: str) -> str:
        return "—" if v is None or v != v else format(v, fmt)

    curve = result.curve
    social = social_rate is not None
    policy = bool(curve.attrs.get("has_policy"))
    cols = ["#", "measure", "LCOA (per t CO2e)", "abatement (t CO2e/yr)"]
    cols += ["cumulative (t CO2e/yr)", "NPV", "IRR", "payback (yr)"]
    if social:
        cols += ["NPV (social)", "LCOA (social)"]
    if policy:
        cols += ["NPV with policy", "LCOA with policy", "ΔNPV"]
    tab = Table(*cols)
    when = f", {year}" if year is not None else ""
    soc = f", social {social_rate:.2%}" if social_rate is not None else ""
    tab.title = f"MACC at a discount rate of {rate:.2%}{soc}{when}, {t.label}"
    for r in curve.to_dict("records"):
        cells = [
            str(r["rank"]),
            escape(str(r["name"])),
            num(r["lcoa"], ",.2f"),
            num(r["annual_abatement"], ",.6g"),
            num(r["x1"], ",.6g"),
            num(r["npv"], ",.2f"),
            num(r["irr"], ".2%"),
            num(r["payback"], ".2f"),
        ]
        if social:
            cells += [num(r["npv_social"], ",.2f"), num(r["lcoa_social"], ",.2f")]
        if policy:
            cells += [
                num(r["npv_policy"], ",.2f"),
                num(r["lcoa_policy"], ",.2f"),
                num(r["npv_policy_change"], ",.2f"),
            ]
        tab.add_row(*cells)
    con = _out()
    con.print(tab)
    for r in curve.to_dict("records"):
        if r["lcoa_note"]:
            con.print(f"{escape(str(r['name']))}: {r['lcoa_note']}")
    if result.policy:
        shown = dict(result.policy)
        path = shown.get("carbon_price", {}).get("by_year")
        if path:  # a path: its years and range, not every price
            years, values = [int(y) for y in path], list(path.values())
            shown["carbon_price"] = (
                f"{min(years)}–{max(years)}: {min(values):,.6g}–{max(values):,.6g} per t CO2e"
            )
        con.print(f"policy / 政策: {escape(json.dumps(shown, ensure_ascii=False))}")
    if result.interactions is not None:
        inter = result.interactions
        itab = Table("#", "measure", "share of remaining", "abatement (t CO2e/yr)", "LCOA")
        itab.title = (
            f"With interactions against a baseline of {baseline:,.6g} t CO2e/yr: "
            f"{inter.attrs['total']:,.6g} (naive sum {inter.attrs['naive_total']:,.6g})"
        )
        for r in inter.to_dict("records"):
            itab.add_row(
                str(r["rank"]),
                escape(str(r["name"])),
                f"{r['share_of_remaining']:.2%}",
                f"{r['interacting_abatement']:,.6g}",
                num(r["lcoa_interacting"], ",.2f"),
            )
        con.print(itab)
    if result.portfolio is not None:
        pf = result.portfolio
        chosen = ", ".join(pf.chosen) or "none"
        con.print(
            f"Least-cost portfolio / 最低成本措施组合 ({pf.adoption}) for a gap of "
            f"{pf.gap.describe()}: {escape(chosen)}"
        )
        con.print(
            f"  abatement {pf.abatement_tco2e:,.6g} t CO2e (at most {pf.maximum_tco2e:,.6g}); "
            f"cost {pf.cost:,.2f} ({pf.cost_unit})"
        )
        if pf.adoption is Adoption.FRACTIONAL:
            for r in pf.table.to_dict("records"):
                if r["chosen"]:
                    con.print(f"  {escape(str(r['name']))}: {r['adopted']:.2%} adopted")


@app.command()
def sinks(
    table: Annotated[
        Path,
        typer.Argument(
            help="CSV of forest strata, one row per stratum and year (docs/method-removals.md) "
            "/ 森林分层表（每层每年一行）"
        ),
    ],
    method: Annotated[
        str,
        typer.Option(
            "--method",
            help="stock-difference (default, IPCC 2006 Vol.4 Eq. 2.8) or gain-loss "
            "(Eq. 2.7, 2.9–2.14) / 蓄积量差值法（默认）或增减法",
        ),
    ] = "stock-difference",
    as_json: JsonOpt = False,
) -> None:
    """Forest carbon sinks, IPCC 2006 Vol. 4 (− = removal) / 森林碳汇（IPCC 2006 第4卷，负值为清除）."""
    from neutra.removals import forest as fr
    from neutra.removals.forest_table import forest_sinks

    try:
        result = forest_sinks(table, method)
    except NeutraError as exc:
        _fail(exc, as_json)
    if as_json:
        print(json.dumps(fr.json_document(result), ensure_ascii=False, indent=2))
        return
    con = _out()
    by_period = result.method is fr.SinkMethod.STOCK_DIFFERENCE
    when = ("period / 时段",) if by_period else ("year / 年份",)
    tab = Table(
        "stratum / 分层",
        *when,
        "ΔC (t C/yr)",
        "net CO2 (t/yr) / 净排放",
    )
    tab.title = (
        f"Forest carbon, {result.method.value} ({fr.SOURCES[result.method.value]}), "
        f"{result.source} / 森林碳储量变化"
    )
    for r in result.strata.to_dict("records"):
        period = f"{r['year_from']}–{r['year_to']}" if by_period else str(r["year"])
        tab.add_row(
            escape(str(r["stratum"])),
            period,
            f"{r['delta_c_tc']:,.1f}",
            f"{r['net_emissions_tco2']:,.1f}",
        )
    for r in result.totals.to_dict("records"):
        period = f"{r['year_from']}–{r['year_to']}" if by_period else str(r["year"])
        tab.add_row(
            "[bold]total / 合计[/]",
            period,
            f"{r['delta_c_tc']:,.1f}",
            f"{r['net_emissions_tco2']:,.1f}",
        )
    con.print(tab)
    con.print(
        "net CO2 = −ΔC × 44/12: + emission, − removal / 净排放为正、清除（碳汇）为负", markup=False
    )
    for text in result.unverified:
        con.print(f"unverified / 未核实: {text}", markup=False)
    for text in result.notes:
        con.print(f"note / 注: {text}", markup=False)


@app.command()
def ets(
    table: Annotated[
        Path,
        typer.Argument(
            help="CSV: entity, year, verified_emissions_t, unit_type, electricity_supplied_mwh, "
            "heat_supplied_gj, history_t, free_allocation_t, offsets_t, … (docs/method-market.md)"
            " / 排放单位逐年数据表"
        ),
    ],
    template: Annotated[
        str, typer.Option("--template", help="cn-power, cn-industry, eu-ets or uk-ets / 模板")
    ] = "cn-power",
    price: Annotated[
        float | None,
        typer.Option("--price", help="one price per allowance for every year / 统一碳价"),
    ] = None,
    price_file: Annotated[
        Path | None,
        typer.Option("--price-file", help="CSV: year, price / 逐年碳价表"),
    ] = None,
    banking: Annotated[
        bool | None,
        typer.Option(
            "--banking/--no-banking",
            help="carry surpluses forward (default: the template's) / 盈余配额结转",
        ),
    ] = None,
    method: Annotated[
        str | None,
        typer.Option(
            "--method",
            help="benchmark, grandfathering, given, auction, or a mix such as "
            "benchmark:0.7,auction:0.3 (default: the template's) / 分配方法",
        ),
    ] = None,
    grandfather_factor: Annotated[
        float,
        typer.Option("--grandfather-factor", help="share of history_t given free / 历史法系数"),
    ] = 1.0,
    benchmark_year: Annotated[
        int | None,
        typer.Option(
            "--benchmark-year", help="use this year's benchmarks for every year / 基准值年份"
        ),
    ] = None,
    rate: Annotated[
        float, typer.Option("--rate", help="discount rate, fraction (0.05 = 5 %) / 折现率")
    ] = 0.0,
    as_json: JsonOpt = False,
    lang: LangOpt = "",
) -> None:
    """ETS allocation and compliance position, cost or revenue / 碳配额分配与履约成本."""
    from neutra.market import AllocationRule, assess, load_template
    from neutra.market import document as doc_
    from neutra.market.tables import read_entities_table, read_price_file

    lg = _lang(lang or None)
    try:
        tpl = load_template(template)
        t = read_entities_table(table)
        prices = read_price_file(price_file) if price_file is not None else None
        rule = AllocationRule.parse(
            method or tpl.default_method, grandfather_factor, benchmark_year
        )
        result = assess(
            t.frame,
            tpl,
            rule,
            label=t.label,
            columns=t.columns,
            price=price,
            prices=prices.prices if prices is not None else None,
            price_label=prices.label if prices is not None else None,
            banking=banking,
            rate=rate,
        )
    except NeutraError as exc:
        _fail(exc, as_json)
    if as_json:
        print(json.dumps(doc_.json_document(result), ensure_ascii=False, indent=2))
        return

    def lab(key: str) -> str:
        return doc_.label(key, lg)

    def num(v: object, fmt: str = ",.0f") -> str:
        f = float(v)  # type: ignore[arg-type]
        return "—" if f != f else format(f, fmt)

    cols: tuple[str, ...] = ("verified_t", "free_t", "auctioned_t", "banked_in_t")
    cols += ("offsets_used_t", "bought_t", "sold_t", "banked_out_t", "net_cost")
    cols += ("net_cost_discounted",)
    tab = Table(lab("entity"), lab("year"), *(lab(c) for c in cols))
    tab.title = f"{lab('title')}: {tpl.title_zh if lg == 'zh' else tpl.title_en}, {t.label}"
    for r in result.positions.to_dict("records"):
        tab.add_row(escape(str(r["entity"])), str(r["year"]), *(num(r[c]) for c in cols))
    tot = result.total
    tab.add_row(f"[bold]{lab('total')}[/]", "", *(num(tot.get(c, float("nan"))) for c in cols))
    con = _out()
    con.print(tab)
    source = result.price_source or lab("none")
    switch = lab("on") if result.banking else lab("off")
    con.print(
        f"{lab('method')}: {result.rule.describe()}; {lab('banking')}: {switch}; "
        f"{lab('price')}: {source}; {lab('rate')}: {result.rate:.2%}",
        markup=False,
    )
    caps = [c for c in result.cap if c.cap is not None]
    if caps:
        con.print(
            f"{lab('cap_t')}: " + ", ".join(f"{c.year} {c.cap:,.0f}" for c in caps), markup=False
        )
    for note in result.notes:
        con.print(f"{lab('note')}: {note}", markup=False)


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
    mc = None
    try:
        with _err().status(i18n.both("cli_simulating")):
            p, result, info = services.simulate(plan)
            if not no_store:
                services.store_simulation(db or services.default_db(plan), info, result)
            if draws:
                mc = services.monte_carlo(plan, draws)
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
                from neutra.report.optimize import render_optimize

                report.parent.mkdir(parents=True, exist_ok=True)
                html = render_optimize(result, _data, info, _lang(lang or None))
                report.write_text(html, encoding="utf-8")
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


@target_app.command("sbti")
def target_sbti(
    base_year: Annotated[int, typer.Option("--base-year", help="base year")],
    base_emissions: Annotated[
        float, typer.Option("--base-emissions", help="base-year emissions, t CO2e")
    ],
    target_year: Annotated[int, typer.Option("--target-year", help="target year")],
    ambition: Annotated[str, typer.Option("--ambition", help="1.5C or WB2C")] = "1.5C",
    as_json: JsonOpt = False,
    method: Annotated[
        str,
        typer.Option(
            "--method",
            help="method version: aca-v5 (default; cnzs-v2 is known but not offered) / 方法版本",
        ),
    ] = "aca-v5",
) -> None:
    """Science-based target, absolute contraction (linear, SBTi v5) / 科学碳目标（绝对减排法）."""
    from neutra.targets.sbti import absolute_contraction

    try:
        t = absolute_contraction(base_year, base_emissions, target_year, ambition, method)
    except NeutraError as exc:
        _fail(exc, as_json)
    if as_json:
        doc = {
            "schema": "neutra.sbti/1",
            "method": t.method,
            "ambition": t.ambition.value,
            "annual_linear_rate": t.rate,
            "base_year": t.base_year,
            "base_emissions_t": t.base_emissions,
            "target_year": t.target_year,
            "target_emissions_t": round(t.target_emissions, 6),
            "reduction": round(t.reduction, 6),
            "pathway": {
                int(y): round(float(v), 6)
                for y, v in zip(t.pathway["year"], t.pathway["emissions"], strict=True)
            },
            "notes": list(t.notes),
        }
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    _out().print(
        f"SBTi absolute contraction ({t.method}, {t.ambition.value}, linear "
        f"{t.rate * 100:.1f} %/yr): {t.base_year} {t.base_emissions:,.0f} t CO2e → "
        f"{t.target_year} {t.target_emissions:,.0f} t CO2e (−{t.reduction * 100:.1f} %)"
    )
    for note in t.notes:
        _out().print(f"note: {note}", markup=False)


@target_app.command("check")
def target_check(
    plan: PlanArg,
    target_year: Annotated[
        int | None,
        typer.Option(
            "--target-year",
            help="SBTi line to this year; without it, the plan's targets.csv / 不给出时检查 targets.csv",
        ),
    ] = None,
    ambition: Annotated[str, typer.Option("--ambition", help="1.5C or WB2C")] = "1.5C",
    column: Annotated[
        str, typer.Option("--column", help="net, emissions or net_after_trade")
    ] = "net",
    as_json: JsonOpt = False,
) -> None:
    """Each scenario against the plan's targets, or the SBTi line / 各情景与目标对比."""
    from neutra import services

    if target_year is None:
        _plan_targets(plan, as_json)
        return
    try:
        line, _gaps, summary = services.target_check(plan, ambition, target_year, column)
    except NeutraError as exc:
        _fail(exc, as_json)
    if as_json:
        doc = {
            "schema": "neutra.target-check/1",
            "method": line.method,
            "ambition": line.ambition.value,
            "base_year": line.base_year,
            "base_t": round(line.base_emissions, 6),
            "target_year": line.target_year,
            "target_t": round(line.target_emissions, 6),
            "column": column,
            "scenarios": summary.to_dict("records"),
        }
        print(json.dumps(doc, ensure_ascii=False, indent=2, default=str))
        return
    tab = Table(
        title=f"SBTi {line.ambition.value} ({line.method}) from {line.base_year}: "
        f"{line.target_year} ≤ {line.target_emissions:,.0f} t CO2e ({column})"
    )
    for c in ("scenario", "value", "gap", "met", "years off track"):
        tab.add_column(c, justify="right")
    for rec in summary.to_dict("records"):
        off = rec["years_off_track"]
        tab.add_row(
            str(rec["scenario"]),
            f"{rec['value']:,.0f}",
            f"{rec['gap_in_target_year']:+,.0f}",
            "yes" if rec["met_in_target_year"] else "no",
            f"{off[0]}–{off[-1]} ({len(off)})" if off else "—",
        )
    _out().print(tab)


def _plan_targets(plan: str | Path, as_json: bool) -> None:
    """``neutra target check PLAN``: every target of targets.csv against every scenario."""
    from neutra import services
    from neutra.results_json import frame_records

    try:
        _splan, result, info = services.simulate(plan, wedges=False)
    except NeutraError as exc:
        _fail(exc, as_json)
    found = result.targets
    if not found:
        _fail(
            PlanValidationError(
                [
                    Problem(
                        "targets.csv",
                        None,
                        None,
                        None,
                        "a targets.csv beside plan.toml (docs/plan-format.md), or --target-year "
                        "for the SBTi line / 计划中没有 targets.csv",
                    )
                ]
            ),
            as_json,
        )
    checks = found["target_checks"]
    if as_json:
        doc = {
            "schema": "neutra.targets/1",
            "plan_hash": info.plan_hash,
            "checks": frame_records(checks),
            "allocation": frame_records(found.get("target_members")),
            "aggregation": frame_records(found.get("target_aggregation")),
        }
        print(json.dumps(doc, ensure_ascii=False, indent=2, default=str))
        return
    tab = Table(title="Targets against scenarios / 目标与情景对比")
    for c in ("target / 目标", "scenario", "limit", "value", "gap", "unit", "met", "off track"):
        tab.add_column(c, justify="right" if c in ("limit", "value", "gap") else "left")
    for rec in checks.to_dict("records"):
        off = rec["years_off_track"]
        shown = str(rec["display_unit"])
        scale = 1.0 if shown == "year" or rec["kind"] == "intensity" else units.factor(shown, "t")

        def num(v: float, sign: str = "", scale: float = scale, shown: str = shown) -> str:
            if shown == "year":
                return f"{v:{sign}.0f}"
            return f"{v / scale:{sign},.1f}" if abs(v / scale) < 1e4 else f"{v / scale:{sign},.0f}"

        tab.add_row(
            f"{rec['target']} ({rec['kind_zh']})",
            str(rec["scenario"]),
            num(rec["limit"]),
            num(rec["value"]),
            num(rec["gap"], "+"),
            "year 年" if shown == "year" else shown,
            "yes 是" if rec["met"] else "no 否",
            (f"{off[0]}–{off[-1]} ({len(off)})" if len(off) > 1 else str(off[0])) if off else "—",
        )
    _out().print(tab)
    agg = found.get("target_aggregation")
    if agg is not None and len(agg):
        t2 = Table(title="Top-down against bottom-up / 自上而下与自下而上 (t CO2e)")
        for c in ("target", "method", "top-down", "Σ plans", "gap", "members over"):
            t2.add_column(c)
        for rec in agg.to_dict("records"):
            t2.add_row(
                str(rec["target"]),
                str(rec["method"]),
                f"{rec['top_down']:,.0f}",
                f"{rec['bottom_up']:,.0f}",
                f"{rec['gap']:+,.0f}",
                f"{rec['members_over']}/{rec['members']}",
            )
        _out().print(t2)


@target_app.command("sda")
def target_sda(
    pathway: Annotated[
        Path, typer.Argument(help="sector pathways CSV (sector, year, intensity, unit, source, …)")
    ],
    sector: Annotated[str, typer.Option("--sector", help="sector of the pathway file / 行业")],
    base_year: Annotated[int, typer.Option("--base-year", help="base year / 基准年")],
    base_emissions: Annotated[
        float, typer.Option("--base-emissions", help="base-year emissions, t CO2e / 基准年排放")
    ],
    base_activity: Annotated[
        float,
        typer.Option("--base-activity", help="base-year activity, e.g. t of product / 基准年产量"),
    ],
    target_year: Annotated[int, typer.Option("--target-year", help="target year / 目标年")],
    as_json: JsonOpt = False,
) -> None:
    """Sectoral decarbonisation approach (SDA) / 行业脱碳法科学碳目标."""
    from neutra.io.tables import read_text_file
    from neutra.results_json import frame_records
    from neutra.targets.sda import parse_sector_pathways, sectoral_decarbonisation

    try:
        text, problem = read_text_file(pathway, pathway.name)
        if problem is not None or text is None:
            raise PlanValidationError([problem] if problem else [])
        found = parse_sector_pathways(text, pathway.name)
        if sector not in found:
            raise PlanValidationError(
                [
                    Problem(
                        pathway.name,
                        None,
                        "sector",
                        sector,
                        "a sector of the file: " + ", ".join(found),
                    )
                ]
            )
        t = sectoral_decarbonisation(
            found[sector], base_year, base_emissions, base_activity, target_year
        )
    except (NeutraError, OSError) as exc:
        err = (
            exc
            if isinstance(exc, NeutraError)
            else PlanValidationError(
                [Problem(str(pathway), None, None, None, f"a readable file ({exc})")]
            )
        )
        _fail(err, as_json)
    if as_json:
        doc = {
            "schema": "neutra.sda/1",
            "method": t.method,
            "sector": t.sector,
            "unit": t.unit,
            "base_year": t.base_year,
            "base_intensity": t.base_intensity,
            "target_year": t.target_year,
            "target_intensity": t.target_intensity,
            "target_emissions_t": t.target_emissions,
            "convergence_year": t.convergence_year,
            "convergence_intensity": t.convergence_intensity,
            "verified": t.verified,
            "sources": list(t.sources),
            "pathway": frame_records(t.pathway),
            "notes": list(t.notes),
        }
        print(json.dumps(doc, ensure_ascii=False, indent=2, default=str))
        return
    emissions = "" if t.target_emissions is None else f", {t.target_emissions:,.0f} t CO2e"
    _out().print(
        f"SDA ({t.method}, {t.sector}): {t.base_year} {t.base_intensity:.4g} → "
        f"{t.target_year} {t.target_intensity:.4g} {t.unit}{emissions}; converges to "
        f"{t.convergence_intensity:.4g} in {t.convergence_year}"
    )
    if not t.verified:
        _out().print("note: the sector pathway is not verified / 行业路径未经核实", markup=False)
    for note in t.notes:
        _out().print(f"note: {note}", markup=False)


@target_app.command("netzero")
def target_netzero(
    base_year: Annotated[int, typer.Option("--base-year", help="base year / 基准年")],
    base_emissions: Annotated[
        float,
        typer.Option("--base-emissions", help="base-year gross emissions, t CO2e / 基准年排放量"),
    ],
    netzero_year: Annotated[int, typer.Option("--netzero-year", help="net-zero year / 净零目标年")],
    residual: Annotated[
        float | None,
        typer.Option(
            "--residual",
            help="planned residual emissions in the net-zero year, t CO2e / 计划剩余排放量",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Net-zero target: ≥ 90 % cut and neutralisation (SBTi) / 净零目标：深度减排与剩余排放中和."""
    from neutra.targets.netzero import netzero_target

    try:
        t = netzero_target(base_year, base_emissions, netzero_year, residual)
    except NeutraError as exc:
        _fail(exc, as_json)
    if as_json:
        doc = {
            "schema": "neutra.netzero/1",
            "standard": t.standard,
            "base_year": t.base_year,
            "base_emissions_t": t.base_emissions,
            "netzero_year": t.netzero_year,
            "min_reduction": t.min_reduction,
            "max_residual_t": round(t.max_residual, 6),
            "residual_t": round(t.residual, 6),
            "reduction": round(t.reduction, 6),
            "required_neutralisation_t": round(t.required_neutralisation, 6),
            "deep_reduction_met": t.deep_reduction_met,
            "deep_reduction_gap_t": round(t.deep_reduction_gap, 6),
            "notes": list(t.notes),
        }
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    met = "yes / 是" if t.deep_reduction_met else "no / 否"
    _out().print(
        f"Net zero ({t.standard}) by {t.netzero_year}: gross emissions ≤ "
        f"{t.max_residual:,.0f} t CO2e (−{t.min_reduction * 100:.0f} % from {t.base_year} "
        f"{t.base_emissions:,.0f}); planned residual {t.residual:,.0f} t CO2e "
        f"(−{t.reduction * 100:.1f} %), deep reduction met / 深度减排达标: {met}; "
        f"removals needed / 需中和的清除量: {t.required_neutralisation:,.0f} t CO2e",
        markup=False,
    )
    for note in t.notes:
        _out().print(f"note: {note}", markup=False)


def main(argv: list[str] | None = None) -> Any:
    """Entry point of the ``neutra`` command."""
    return app(args=argv if argv is not None else sys.argv[1:])
