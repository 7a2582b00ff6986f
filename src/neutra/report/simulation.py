"""The scenario section of the report: pathways, stacked areas, wedges, an energy Sankey.

Rendered as an HTML fragment (``<section>`` elements) that the inventory or regional report
appends, or as a page of its own for a plan that only has a scenario model.
"""

from __future__ import annotations

import functools

import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from neutra import i18n
from neutra.i18n import Lang
from neutra.model.plan import Plan
from neutra.provenance import RunInfo
from neutra.report.cells import WAN
from neutra.report.charts import PALETTE, html_fragment
from neutra.report.html import _env, _table, illustrative
from neutra.simulate.results import SimulationResult


def _pathways(res: SimulationResult, lang: Lang) -> str:
    """Net emissions and emissions before sinks of every scenario, with its peak (the plan's
    targets are drawn in their own section, from targets.csv)."""
    fig = go.Figure()
    for i, sid in enumerate(res.scenarios):
        t = res.totals[res.totals["scenario"] == sid]
        color = PALETTE[i % len(PALETTE)]
        fig.add_scatter(
            x=t["year"], y=t["net"] / WAN, mode="lines", name=f"{sid} — net", line={"color": color}
        )
        fig.add_scatter(
            x=t["year"],
            y=(t["emissions"] + t["imports"]) / WAN,
            mode="lines",
            name=f"{sid} — {i18n.t('co2e_t', lang)} (before sinks)",
            line={"color": color, "dash": "dot"},
        )
        s = res.summary[res.summary["scenario"] == sid].iloc[0]
        if s["peak_status"] in ("peaked", "plateau") or s["peak_year"]:
            fig.add_scatter(
                x=[s["peak_year"]],
                y=[s["peak_value"] / WAN],
                mode="markers",
                marker={"color": color, "size": 10, "symbol": "diamond"},
                name=f"{sid} — {i18n.t('peak_year', lang)} {s['peak_year']}",
            )
    fig.update_layout(title=i18n.t("pathways", lang), yaxis_title="万t CO2e")
    return html_fragment(fig, 420)


def _stacked(frame: pd.DataFrame, color: str, value: str, title: str, ytitle: str) -> str:
    fig = go.Figure()
    g = frame.groupby(["year", color], as_index=False)[value].sum()
    for key, d in g.groupby(color, sort=False):
        fig.add_scatter(x=d["year"], y=d[value], name=str(key), mode="lines", stackgroup="one")
    fig.update_layout(title=title, yaxis_title=ytitle)
    return html_fragment(fig)


def _wedges(res: SimulationResult, sid: str, lang: Lang) -> str:
    w = res.wedges[res.wedges["scenario"] == sid]
    if w.empty:
        return ""
    t = res.totals[res.totals["scenario"] == sid]
    fig = go.Figure()
    fig.add_scatter(
        x=t["year"],
        y=t["net_after_trade"] / WAN,
        name=sid,
        mode="lines",
        stackgroup="w",
        line={"color": "#999"},
    )
    for m, d in w.groupby("measure", sort=False):
        lever = str(d["lever"].iloc[0])
        label = f"{m} · {i18n.t('lever_' + lever, lang)}"
        fig.add_scatter(
            x=d["year"], y=d["reduction"] / WAN, name=label, mode="lines", stackgroup="w"
        )
    fig.update_layout(title=f"{i18n.t('wedges', lang)} — {sid}", yaxis_title="万t CO2e")
    return html_fragment(fig, 420)


def _sankey(res: SimulationResult, sid: str, year: int, lang: Lang) -> str:
    tf = res.transformation
    tf = tf[(tf["scenario"] == sid) & (tf["year"] == year)]
    en = res.energy[(res.energy["scenario"] == sid) & (res.energy["year"] == year)]
    nodes: list[str] = []

    def node(name: str) -> int:
        if name not in nodes:
            nodes.append(name)
        return nodes.index(name)

    src, dst, val = [], [], []

    def link(a: str, b: str, v: float) -> None:
        if v > 0:
            src.append(node(a))
            dst.append(node(b))
            val.append(v)

    for rec in tf.to_dict("records"):
        module = str(rec["module"]).split("/")[-1]
        if rec["flow"] == "input":
            link(str(rec["fuel"]), module, float(rec["value"]))
        elif rec["flow"] == "output":
            link(module, str(rec["fuel"]), float(rec["value"]))
        elif rec["flow"] == "imports":
            link(f"{rec['fuel']} imports", str(rec["fuel"]), float(rec["value"]))
        elif rec["flow"] in ("losses", "own_use"):
            link(str(rec["fuel"]), f"{rec['flow']} ({module})", float(rec["value"]))
    for (fuel, sector), v in en.groupby(["fuel", "sector"])["value"].sum().items():
        link(str(fuel), str(sector), float(v))
    # Conversion losses of each module: inputs − outputs.
    for module, g in tf.groupby("module"):
        short = str(module).split("/")[-1]
        loss = g[g["flow"] == "input"]["value"].sum() - g[g["flow"] == "output"]["value"].sum()
        link(short, f"conversion losses ({short})", float(loss))
    if not val:
        return ""
    fig = go.Figure(
        go.Sankey(
            node={"label": nodes, "pad": 12}, link={"source": src, "target": dst, "value": val}
        )
    )
    fig.update_layout(title=f"{i18n.t('sankey', lang)} — {sid} {year} ({res.energy_unit})")
    return html_fragment(fig, 480)


def _capacity(res: SimulationResult, sid: str, lang: Lang) -> str:
    """Capacity by process over time (exogenous + added), and the output by process."""
    c = res.capacity[res.capacity["scenario"] == sid]
    if c.empty:
        return ""
    total = c.groupby(["year", "process"], as_index=False, observed=True)["value"].sum()
    total["process"] = total["process"].astype(str).str.split("/").str[-1]
    cap = _stacked(total, "process", "value", f"{sid} — {t_('capacity', lang)}", "MW")
    out = res.transformation[
        (res.transformation["scenario"] == sid)
        & (res.transformation["flow"].isin(["output", "imports"]))
    ].copy()
    out["process"] = out["process"].astype(str).str.split("/").str[-1].replace("", "imports")
    gen = _stacked(out, "process", "value", f"{sid} — {t_('generation', lang)}", res.energy_unit)
    return cap + gen


def _carbon(res: SimulationResult, sid: str, lang: Lang) -> str:
    """Emissions of optimised modules against their caps, and the caps' carbon price."""
    cp = res.carbon_prices
    if cp is None or cp.empty:
        return ""
    cp = cp[cp["scenario"] == sid]
    if cp.empty or (not (cp["value"] > 0).any() and cp["cap_t"].isna().all()):
        return ""
    em = res.emissions[(res.emissions["scenario"] == sid)]
    fig = go.Figure()
    for module, g in cp.groupby("module", sort=False, observed=True):
        mod_em = em[em["branch"].astype(str).str.startswith(str(module))]
        series = mod_em.groupby("year")["co2e"].sum()
        fig.add_scatter(x=series.index, y=series.to_numpy() / WAN, name=f"{module} — 万t CO2e")
        fig.add_scatter(
            x=g["year"],
            y=g["cap_t"] / WAN,
            name=f"{module} — cap",
            line={"dash": "dash", "color": "#444"},
        )
        fig.add_scatter(
            x=g["year"],
            y=g["value"],
            name=f"{module} — {t_('carbon_price', lang)}",
            yaxis="y2",
            line={"dash": "dot"},
        )
    fig.update_layout(
        title=f"{sid} — {t_('carbon_price', lang)}",
        yaxis_title="万t CO2e",
        yaxis2={"overlaying": "y", "side": "right", "title": "per t CO2e"},
    )
    return html_fragment(fig)


def t_(key: str, lang: Lang) -> str:
    return i18n.t(key, lang)


def simulation_section(res: SimulationResult, lang: Lang) -> str:
    """The scenario sections as an HTML fragment."""
    t = functools.partial(i18n.t, lang=lang)
    milestones = [y for y in (res.years[0], 2025, 2030, 2035, 2040, 2050, 2060) if y in res.years]
    em = res.emissions.copy()
    em["co2e_wan"] = em["co2e"] / WAN
    en = res.energy.copy()
    per: list[dict[str, str]] = []
    for sid in res.scenarios:
        e = em[(em["scenario"] == sid) & (em["source"] != "sink")]
        f = en[en["scenario"] == sid]
        per.append(
            {
                "capacity": _capacity(res, sid, lang),
                "carbon": _carbon(res, sid, lang),
                "id": sid,
                "sectors": _stacked(
                    e, "sector", "co2e_wan", f"{sid} — {t('by_sector')}", "万t CO2e"
                ),
                "fuels": _stacked(
                    f, "fuel", "value", f"{sid} — {t('final_energy')}", res.energy_unit
                ),
                "wedges": _wedges(res, sid, lang),
            }
        )
    last = res.years[-1]
    sankey_year = 2030 if 2030 in res.years else last
    tot = res.totals[res.totals["year"].isin(milestones)].copy()
    for c in ("gross", "captured", "imports", "sinks", "net", "offsets", "net_after_trade"):
        tot[c] = tot[c] / WAN
    w = res.wedges[res.wedges["year"].isin(milestones)].copy()
    w["reduction"] = w["reduction"] / WAN
    wide = (
        w.pivot_table(
            index=["scenario", "measure", "lever"],
            columns="year",
            values="reduction",
            aggfunc="sum",
        ).reset_index()
        if not w.empty
        else pd.DataFrame(columns=["scenario", "measure", "lever"])
    )
    wide.columns = [str(c) for c in wide.columns]
    factors = (
        res.emissions[res.emissions["source"].isin(["combustion", "transformation", "imports"])][
            ["fuel", "gas", "factor_ids", "status"]
        ]
        .drop_duplicates()
        .sort_values(["fuel", "gas"])
    )
    summary = res.summary.copy()
    summary["peak_value"] = summary["peak_value"] / WAN
    ctx = {
        "lang": lang,
        "t": t,
        "res": res,
        "per": per,
        "pathways": _pathways(res, lang),
        "sankey": _sankey(res, res.scenarios[-1], sankey_year, lang),
        "summary": _table(
            summary,
            [
                ("scenario", t("scenario")),
                ("kind", "kind"),
                ("peak_status", "status"),
                ("peak_year", t("peak_year")),
                ("peak_value", "万t CO2e"),
                ("neutrality_year", t("neutrality_year")),
                ("neutrality_year_with_trade", "… with trade / 含交易"),
            ],
            {"peak_value": 1},
        ),
        "totals": _table(
            tot,
            [
                ("scenario", t("scenario")),
                ("year", t("year")),
                ("final_energy", f"{t('final_energy')} ({res.energy_unit})"),
                ("primary_energy", f"{t('primary_energy')} ({res.energy_unit})"),
            ]
            + [
                (c, f"{c} (万t CO2e)")
                for c in (
                    "gross",
                    "captured",
                    "imports",
                    "sinks",
                    "net",
                    "offsets",
                    "net_after_trade",
                )
            ],
            dict.fromkeys(
                ("gross", "captured", "imports", "sinks", "net", "offsets", "net_after_trade"), 1
            ),
        ),
        "wedges": _table(
            wide, [(c, c) for c in wide.columns], {c: 1 for c in wide.columns if c.isdigit()}
        ),
        "factors": _table(factors, [(c, c) for c in factors.columns]),
        "notes": res.notes,
        "calibration": res.calibration,
    }
    return _env().get_template("simulation.html.j2").render(**ctx)


def render_simulation(
    plan: Plan, res: SimulationResult, info: RunInfo, lang: Lang, more: str = ""
) -> str:
    """A page with only the scenario sections (a plan without inventory data), then ``more``
    (further sections, e.g. targets)."""
    meta = {"years": [res.years[0], res.years[-1]], "gwp_set": res.gwp_set}
    return (
        _env()
        .get_template("base.html.j2")
        .render(
            lang=lang,
            t=functools.partial(i18n.t, lang=lang),
            plan=plan,
            info=info,
            meta=meta,
            plotly_js=get_plotlyjs(),
            title_key="sim_title",
            illustrative=illustrative(plan),
            extra=simulation_section(res, lang) + more,
        )
    )
