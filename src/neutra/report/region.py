"""The regional status report: one self-contained HTML file, in 中文 or English."""

from __future__ import annotations

import functools

import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from neutra import i18n
from neutra.analysis.status import RegionalStatus
from neutra.i18n import Lang
from neutra.model.balance import FUELS, ITEMS
from neutra.model.plan import Plan
from neutra.provenance import RunInfo
from neutra.report.charts import html_fragment
from neutra.report.html import _env, _table, factors_table, findings_table, illustrative


def _trend(status: RegionalStatus, lang: Lang) -> str:
    t = status.inventory.totals
    fig = go.Figure()
    for col in ("production_based_t", "consumption_based_t", "sectoral_co2_t", "reference_co2_t"):
        fig.add_scatter(x=t["year"], y=t[col], mode="lines+markers", name=i18n.t(col, lang))
    fig.update_layout(title=i18n.t("trend", lang), yaxis_title=i18n.t("co2e_t", lang))
    return html_fragment(fig)


def _stacked(
    frame: pd.DataFrame, x: str, color: str, y: str, title: str, names: dict[str, str], ytitle: str
) -> str:
    fig = go.Figure()
    for key, d in frame.groupby(color, sort=False):
        fig.add_bar(name=names.get(str(key), str(key)), x=d[x], y=d[y])
    fig.update_layout(barmode="stack", title=title, yaxis_title=ytitle)
    return html_fragment(fig)


def _lines(frame: pd.DataFrame, cols: list[tuple[str, str]], title: str) -> str:
    fig = go.Figure()
    for col, name in cols:
        fig.add_scatter(x=frame["year"], y=frame[col], mode="lines+markers", name=name)
    fig.update_layout(title=title)
    return html_fragment(fig)


def _waterfall(status: RegionalStatus, lang: Lang) -> str:
    k = status.kaya
    if k is None:
        return ""
    x = [str(k.y0)] + [i18n.t(e.factor, lang) for e in k.effects] + [str(k.yt)]
    y = [k.v0, *[e.additive for e in k.effects], k.vt]
    measure = ["absolute"] + ["relative"] * len(k.effects) + ["total"]
    fig = go.Figure(go.Waterfall(x=x, y=y, measure=measure))
    fig.update_layout(title=i18n.t("kaya", lang), yaxis_title=i18n.t("co2e_t", lang))
    return html_fragment(fig)


def render_region(
    plan: Plan, status: RegionalStatus, info: RunInfo, lang: Lang, extra: str = ""
) -> str:
    """The whole regional report as one HTML string."""
    t = functools.partial(i18n.t, lang=lang)
    inv = status.inventory
    sector_names = {it.id: (it.zh if lang == "zh" else it.en) for it in ITEMS}
    fuel_names = {f.id: (f.zh if lang == "zh" else f.en) for f in FUELS}
    sect = inv.emissions[inv.emissions["approach"] == "sectoral"]
    by_sector = sect.groupby(["year", "sector"], as_index=False)["co2e_t"].sum()
    last = int(inv.totals["year"].max())
    by_fuel = sect[sect["year"] == last].groupby("fuel", as_index=False)["co2e_t"].sum()
    by_fuel["fuel"] = by_fuel["fuel"].map(lambda f: fuel_names.get(f, f))
    mix = inv.mix.copy()
    mix["share_pct"] = mix["share"] * 100
    ind = status.indicators
    structure = ind.melt(
        id_vars="year",
        value_vars=["share_primary", "share_secondary", "share_tertiary"],
        var_name="sector",
        value_name="share",
    )
    structure["share"] *= 100
    peak = status.peak.explain(lang) if status.peak is not None else ""
    kaya = pd.DataFrame(
        [(e.factor, e.additive, e.multiplicative) for e in status.kaya.effects]
        if status.kaya is not None
        else [],
        columns=["factor", "additive", "multiplicative"],
    )
    kaya["factor"] = kaya["factor"].map(lambda f: t(f))
    failed = inv.closure[~inv.closure["ok"]]
    ctx = {
        "extra": extra,
        "lang": lang,
        "t": t,
        "plan": plan,
        "info": info,
        "meta": inv.meta,
        "plotly_js": get_plotlyjs(),
        "last": last,
        "peak": peak,
        "title_key": "region_title",
        "illustrative": illustrative(plan),
        "charts": {
            "trend": _trend(status, lang),
            "sectors": _stacked(
                by_sector, "year", "sector", "co2e_t", t("by_sector"), sector_names, t("co2e_t")
            ),
            "mix": _stacked(
                mix[mix["method"] == "calorific_value"],
                "year",
                "kind",
                "share_pct",
                f"{t('energy_mix')} ({t('calorific_value')}), %",
                {},
                "%",
            ),
            "structure": _stacked(
                structure, "year", "sector", "share", t("structure") + ", %", {}, "%"
            ),
            "intensity": _lines(
                ind,
                [
                    ("co2_intensity_t_per_wan_cny", "t CO2/万CNY"),
                    ("energy_intensity_tce_per_wan_cny", "tce/万CNY"),
                    ("co2_per_capita_t", "t CO2/person"),
                ],
                t("intensities"),
            ),
            "kaya": _waterfall(status, lang),
        },
        "totals": _table(inv.totals, [(c, t(c)) for c in inv.totals.columns]),
        "by_fuel": _table(
            by_fuel.sort_values("co2e_t", ascending=False),
            [("fuel", t("activity")), ("co2e_t", t("co2e_t"))],
        ),
        "mix": _table(
            mix,
            [
                ("year", t("year")),
                ("method", "method"),
                ("kind", "kind"),
                ("tce", "tce"),
                ("share_pct", "%"),
            ],
            {"share_pct": 1},
        ),
        "indicators": _table(
            ind,
            [(c, c) for c in ind.columns],
            {
                "energy_intensity_tce_per_wan_cny": 4,
                "co2_intensity_t_per_wan_cny": 4,
                "co2_per_capita_t": 2,
                "energy_per_capita_tce": 2,
                "share_primary": 3,
                "share_secondary": 3,
                "share_tertiary": 3,
                "share_industry": 3,
            },
        ),
        "kaya": _table(
            kaya,
            [("factor", "factor"), ("additive", t("co2e_t")), ("multiplicative", "×")],
            {"multiplicative": 4},
        ),
        "process": _table(inv.process, [(c, c) for c in inv.process.columns]),
        "closure": _table(failed, [(c, c) for c in failed.columns]),
        "findings": findings_table(inv.findings, lang, with_facility=False),
        "factors": factors_table(inv.factors, lang, with_bounds=False),
        "n_checks": len(inv.closure),
        "n_failed": len(failed),
    }
    return _env().get_template("region.html.j2").render(**ctx)
