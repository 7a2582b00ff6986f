"""``neutra macc``, ``neutra sinks`` and ``neutra ets``: measures, removals, the carbon market."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from neutra.cli_base import (
    JsonOpt,
    LangOpt,
    _fail,
    _lang,
    _out,
    app,
)
from neutra.errors import NeutraError


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

    cols = doc_.SHOWN_COLUMNS
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
