"""``neutra target …``: science-based, plan, sectoral and net-zero targets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from neutra.cli_base import (
    JsonOpt,
    PlanArg,
    _fail,
    _out,
    target_app,
)
from neutra.errors import NeutraError, PlanValidationError, Problem
from neutra.report.cells import years_text


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
    from neutra.results_json import sbti_json
    from neutra.targets.sbti import absolute_contraction

    try:
        t = absolute_contraction(base_year, base_emissions, target_year, ambition, method)
    except NeutraError as exc:
        _fail(exc, as_json)
    if as_json:
        print(json.dumps(sbti_json(t), ensure_ascii=False, indent=2))
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
    from neutra.results_json import target_check_json

    if target_year is None:
        _plan_targets(plan, as_json)
        return
    try:
        line, _gaps, summary = services.target_check(plan, ambition, target_year, column)
    except NeutraError as exc:
        _fail(exc, as_json)
    if as_json:
        doc = target_check_json(line, summary, column)
        print(json.dumps(doc, ensure_ascii=False, indent=2, default=str))
        return
    tab = Table(
        title=f"SBTi {line.ambition.value} ({line.method}) from {line.base_year}: "
        f"{line.target_year} ≤ {line.target_emissions:,.0f} t CO2e ({column})"
    )
    for c in ("scenario", "value", "gap", "met", "years off track"):
        tab.add_column(c, justify="right")
    for rec in summary.to_dict("records"):
        tab.add_row(
            str(rec["scenario"]),
            f"{rec['value']:,.0f}",
            f"{rec['gap_in_target_year']:+,.0f}",
            "yes" if rec["met_in_target_year"] else "no",
            years_text(rec["years_off_track"]),
        )
    _out().print(tab)


def _plan_targets(plan: str | Path, as_json: bool) -> None:
    """``neutra target check PLAN``: every target of targets.csv against every scenario."""
    from neutra import services
    from neutra.results_json import targets_json

    no_targets = PlanValidationError(
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
    )
    try:
        if not services.plan_has_targets(plan):  # before simulating: fail fast
            raise no_targets
        _splan, result, info = services.simulate(plan, wedges=False, calibrate=False)
    except NeutraError as exc:
        _fail(exc, as_json)
    found = result.targets
    if not found:  # pragma: no cover - the plan was seen to have targets
        _fail(no_targets, as_json)
    checks = found["target_checks"]
    if as_json:
        print(json.dumps(targets_json(found, info), ensure_ascii=False, indent=2, default=str))
        return
    tab = Table(title="Targets against scenarios / 目标与情景对比")
    for c in ("target / 目标", "scenario", "limit", "value", "gap", "unit", "met", "off track"):
        tab.add_column(c, justify="right" if c in ("limit", "value", "gap") else "left")
    for rec in checks.to_dict("records"):
        shown = str(rec["display_unit"])
        scale = float(rec["display_scale"])  # results in the target's own unit

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
            years_text(rec["years_off_track"]),
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
    from neutra.results_json import sda_json
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
        print(json.dumps(sda_json(t), ensure_ascii=False, indent=2, default=str))
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
    from neutra.results_json import netzero_json
    from neutra.targets.netzero import netzero_target

    try:
        t = netzero_target(base_year, base_emissions, netzero_year, residual)
    except NeutraError as exc:
        _fail(exc, as_json)
    if as_json:
        print(json.dumps(netzero_json(t), ensure_ascii=False, indent=2))
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
