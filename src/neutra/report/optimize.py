"""The report of a least-cost run (`neutra optimize MODEL --report FILE`): one HTML file.

Capacity by technology over time, production by technology, emissions by year against their
limits with the carbon shadow price, and discounted cost by year; then the provenance.
"""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from neutra import i18n
from neutra.i18n import Lang
from neutra.optimize.solve import OptimizeResult
from neutra.provenance import RunInfo
from neutra.report.charts import html_fragment
from neutra.report.html import _env, _table


def _stacked(frame: pd.DataFrame, color: str, title: str, ytitle: str) -> str:
    if frame.empty:
        return ""
    g = frame.groupby(["YEAR", color], as_index=False)["value"].sum()
    fig = go.Figure()
    for key, d in g.groupby(color, sort=False):
        fig.add_scatter(x=d["YEAR"], y=d["value"], name=str(key), mode="lines", stackgroup="one")
    fig.update_layout(title=title, yaxis_title=ytitle)
    return html_fragment(fig)


def _emissions(result: OptimizeResult, data: Any, lang: Lang) -> str:
    annual = result.tables.get("AnnualEmissions", pd.DataFrame())
    if annual.empty:
        return ""
    fig = go.Figure()
    limits = data.params.get("AnnualEmissionLimit")
    for e, g in annual.groupby("EMISSION"):
        fig.add_scatter(x=g["YEAR"], y=g["value"], name=str(e), mode="lines+markers")
        if limits is not None and len(limits):
            lim = limits.reset_index()
            lim = lim[(lim["EMISSION"] == e) & (lim[lim.columns[-1]] != -1)]
            if len(lim):
                fig.add_scatter(
                    x=lim["YEAR"], y=lim[lim.columns[-1]], name=f"{e} limit", line={"dash": "dash"}
                )
    prices = result.tables.get("EmissionShadowPrice", pd.DataFrame())
    if not prices.empty and "YEAR" in prices:
        annual_prices = prices.dropna(subset=["YEAR"])
        for e, g in annual_prices.groupby("EMISSION"):
            fig.add_scatter(
                x=g["YEAR"],
                y=g["carbon_price"],
                name=f"{e} — {i18n.t('carbon_price', lang)}",
                yaxis="y2",
                line={"dash": "dot"},
            )
        fig.update_layout(yaxis2={"overlaying": "y", "side": "right"})
    fig.update_layout(title=i18n.t("opt_emissions", lang))
    return html_fragment(fig)


def render_optimize(result: OptimizeResult, data: Any, info: RunInfo, lang: Lang) -> str:
    """The whole least-cost report as one HTML string."""
    t = functools.partial(i18n.t, lang=lang)
    tables = result.tables
    years = sorted({int(y) for y in data.sets.get("YEAR", [])})
    meta = {"years": [years[0], years[-1]] if years else [], "gwp_set": "—"}
    summary = pd.DataFrame(
        [{"quantity": "total discounted cost", "value": result.objective}]
        + [
            {"quantity": f"model-period emissions {k}", "value": v}
            for k, v in result.emissions.items()
        ]
    )
    prices = tables.get("EmissionShadowPrice", pd.DataFrame())

    class _Plan:  # what the base template reads of a plan
        class entity:  # noqa: N801 - mirrors Plan.entity
            name = info.plan_name
            name_zh = None

    ctx = {
        "lang": lang,
        "t": t,
        "plan": _Plan,
        "info": info,
        "meta": meta,
        "plotly_js": get_plotlyjs(),
        "title_key": "opt_title",
        "illustrative": False,
        "result": result,
        "charts": {
            "capacity": _stacked(
                tables.get("TotalCapacityAnnual", pd.DataFrame()),
                "TECHNOLOGY",
                t("capacity"),
                "capacity",
            ),
            "production": _stacked(
                tables.get("ProductionByTechnologyAnnual", pd.DataFrame()),
                "TECHNOLOGY",
                t("generation"),
                "activity",
            ),
            "emissions": _emissions(result, data, lang),
            "cost": _stacked(
                tables.get("TotalDiscountedCostByTechnology", pd.DataFrame()),
                "TECHNOLOGY",
                t("opt_cost"),
                "discounted cost",
            ),
        },
        "summary": _table(summary, [("quantity", t("quantity")), ("value", "")], {"value": 6}),
        "prices": _table(
            prices, [(c, c) for c in prices.columns], {"dual_discounted": 6, "carbon_price": 6}
        ),
        "timings": ", ".join(f"{k} {v:.3f} s" for k, v in result.timings.items()),
    }
    return _env().get_template("optimize.html.j2").render(**ctx)
