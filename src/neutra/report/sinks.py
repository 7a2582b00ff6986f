"""The sinks section of the report (碳汇): forest carbon of a plan's ``forest.csv`` (IPCC 2006
Vol. 4, :mod:`neutra.removals.forest`) and the neutrality of every scenario: residual
emissions against removals, year by year, as the simulation's summary states it
(:mod:`neutra.simulate.results`).

Signs as in the IPCC tables and the simulation: emissions positive, removals negative.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from neutra.i18n import Lang
from neutra.removals import forest as fr
from neutra.report.cells import WAN, label, missing, num, table
from neutra.report.charts import PALETTE, html_fragment
from neutra.report.html import _env
from neutra.side_tables import SideTables

L: dict[str, tuple[str, str]] = {
    "row_notes": ("Sources and notes, by row", "各行来源与备注"),
    "title": ("Sinks", "碳汇"),
    "forest": ("Forest carbon", "森林碳储量变化"),
    "forest_intro": (
        "Carbon stock changes of the strata of forest.csv; net CO2 = −ΔC × 44/12 (+ emission, "
        "− removal).",
        "forest.csv 中各分层的碳储量变化；净排放 = −ΔC × 44/12（正为排放，负为清除）。",
    ),
    "method": ("Method", "方法"),
    "stratum": ("Stratum", "分层"),
    "period": ("Period / year", "时段／年份"),
    "stock_from": ("Stock, start (t C)", "期初碳储量（t C）"),
    "stock_to": ("Stock, end (t C)", "期末碳储量（t C）"),
    "delta": ("ΔC (t C/yr)", "碳储量年变化（t C/年）"),
    "net": ("Net CO2 (t CO2/yr)", "净排放（t CO2/年）"),
    "note": ("Note", "备注"),
    "total": ("Total", "合计"),
    "unverified": ("unverified", "未核实"),
    "notes": ("Notes", "说明"),
    "neutrality": ("Neutrality check by scenario", "分情景碳中和检验"),
    "neutrality_intro": (
        "Residual emissions (gross, before capture, plus the emissions of imported "
        "electricity) against removals (CCUS and land sinks) each year; offsets are kept apart and never "
        "make a year neutral (docs/method-removals.md).",
        "逐年比较剩余排放（捕集前排放 + 调入电力隐含排放）与清除量（碳捕集封存与碳汇）；抵销量单列，"
        "不计为中和（见 docs/method-removals.md）。",
    ),
    "scenario": ("Scenario", "情景"),
    "first_neutral": ("First neutral year", "首个中和年份"),
    "neutral_from": ("Neutral from", "持续中和起始年"),
    "last_year": ("Last year", "末年"),
    "last_net": ("Net in the last year (t CO2e)", "末年净排放（t CO2e）"),
    "last_gap": ("Gap in the last year (t CO2e)", "末年缺口（t CO2e）"),
    "gross": ("residual emissions", "剩余排放"),
    "removals": ("removals", "清除量"),
    "chart": ("Residual emissions and removals", "剩余排放与清除量"),
    "no_scenarios": (
        "The plan has no scenario model: no neutrality check.",
        "本计划无情景模型，未作碳中和检验。",
    ),
    "simulated_sinks": ("Land sinks in the scenario model", "情景模型中的碳汇"),
    "compare": (
        "The forest table and the scenario model's sink branches are separate inputs: the "
        "table's latest removal rate is {table} t CO2/yr; the scenarios' sinks in {year} are "
        "{sim} t CO2e/yr.",
        "森林分层表与情景模型的碳汇分支为相互独立的输入：分层表最近时段的清除速率为 {table} t CO2/年；"
        "{year} 年情景中的碳汇为 {sim} t CO2e/年。",
    ),
}


def _t(key: str, lang: Lang) -> str:
    return label(L, key, lang)


def _period(r: dict[str, Any]) -> str:
    if "year_from" in r and not missing(r.get("year_from")):
        return f"{int(r['year_from'])}–{int(r['year_to'])}"
    return str(int(r["year"]))


def _forest(side: SideTables, lang: Lang) -> dict[str, Any] | None:
    f = side.forest
    if f is None:
        return None
    stock = f.method is fr.SinkMethod.STOCK_DIFFERENCE
    head = [_t("stratum", lang), _t("period", lang)]
    if stock:
        head += [_t("stock_from", lang), _t("stock_to", lang)]
    head += [_t("delta", lang), _t("net", lang)]
    rows = []
    for r in f.strata.to_dict("records"):
        row = [r["stratum"], _period(r)]
        if stock:
            row += [num(r["stock_from_tc"]), num(r["stock_to_tc"])]
        row += [num(r["delta_c_tc"], 1), num(r["net_emissions_tco2"], 1)]
        rows.append(row)
    for r in f.totals.to_dict("records"):
        row = [_t("total", lang), _period(r)]
        if stock:
            row += [num(r["stock_from_tc"]), num(r["stock_to_tc"])]
        rows.append([*row, num(r["delta_c_tc"], 1), num(r["net_emissions_tco2"], 1)])
    numeric = [False, False, *([True] * (len(head) - 2))]
    return {
        "method": f"{f.method.value} — {fr.SOURCES[f.method.value]}",
        "source": f.source,
        "table": table(head, rows, numeric),
        "unverified": list(f.unverified),
        "notes": list(f.notes),
        "row_notes": list(side.forest_notes.items()),
        "latest": float(f.totals["net_emissions_tco2"].iloc[-1]) if len(f.totals) else None,
    }


def _neutrality_chart(totals: pd.DataFrame, lang: Lang) -> str:
    """Per scenario: residual emissions (gross + imports, before capture) and removals
    (captured + sinks), t CO2e shown in 万t."""
    fig = go.Figure()
    for i, (sid, t) in enumerate(totals.groupby("scenario", sort=False, observed=True)):
        color = PALETTE[i % len(PALETTE)]
        fig.add_scatter(
            x=t["year"],
            y=(t["gross"] + t["imports"]) / WAN,
            mode="lines",
            name=f"{sid} — {_t('gross', lang)}",
            line={"color": color},
        )
        fig.add_scatter(
            x=t["year"],
            y=(t["captured"] + t["sinks"]) / WAN,
            mode="lines",
            name=f"{sid} — {_t('removals', lang)}",
            line={"color": color, "dash": "dot"},
        )
    fig.update_layout(title=_t("chart", lang), yaxis_title="万t CO2e/yr")
    return html_fragment(fig, 400)


def _year(v: Any) -> Any:
    return "—" if missing(v) else int(v)


def sinks_section(side: SideTables | None, res: Any, lang: Lang) -> str:
    """The sinks section as an HTML fragment: shown when the plan has a ``forest.csv``.

    Args:
        side: the plan's side tables (its ``forest``), or ``None``.
        res: the plan's :class:`~neutra.simulate.results.SimulationResult`, or ``None``.
        lang: ``en`` or ``zh``.
    """
    if side is None or side.forest is None:
        return ""
    forest = _forest(side, lang)
    neutrality = chart = compare = None
    if res is not None:
        last = int(res.years[-1])
        rows = [
            [
                r["scenario"],
                _year(r["neutrality_year"]),
                _year(r["neutral_from"]),
                last,
                num(r["last_net"]),
                num(r["last_gap"]),
            ]
            for r in res.summary.to_dict("records")
        ]
        keys = ("scenario", "first_neutral", "neutral_from", "last_year", "last_net", "last_gap")
        neutrality = table([_t(k, lang) for k in keys], rows, [False, True, True, True, True, True])
        tot: pd.DataFrame = res.totals
        chart = _neutrality_chart(tot, lang)
        first = int(res.years[0])
        sims = tot[tot["year"] == first]["sinks"].astype(float)
        if forest is not None and forest["latest"] is not None and len(sims):
            lo, hi = float(sims.min()), float(sims.max())
            sim = num(lo) if lo == hi else f"{num(lo)} … {num(hi)}"
            compare = _t("compare", lang).format(table=num(forest["latest"]), year=first, sim=sim)
    ctx = {
        "lang": lang,
        "t": lambda k: _t(k, lang),
        "forest": forest,
        "neutrality": neutrality,
        "chart": chart,
        "compare": compare,
    }
    return _env().get_template("sinks.html.j2").render(**ctx)


__all__ = ["sinks_section"]
