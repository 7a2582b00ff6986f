"""Plotly figures of an inventory. Each returns an HTML fragment without plotly.js (the page
inlines plotly.js once)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from neutra import i18n
from neutra.i18n import Lang
from neutra.inventory.result import InventoryResult

PALETTE = [
    "#1b6f5c",
    "#4f9d69",
    "#a4c96b",
    "#e0b04a",
    "#d9733b",
    "#9c4a3c",
    "#5b6c8f",
    "#8fa6c9",
    "#7a5c99",
    "#b7a4c9",
]


def html_fragment(fig: go.Figure, height: int = 380) -> str:
    fig.update_layout(
        height=height,
        margin={"l": 60, "r": 20, "t": 40, "b": 60},
        template="plotly_white",
        colorway=PALETTE,
        font={"family": "system-ui, 'Noto Sans CJK SC', sans-serif"},
        legend={"orientation": "h", "y": -0.2},
    )
    return str(
        fig.to_html(
            full_html=False,
            include_plotlyjs=False,
            config={"displaylogo": False, "responsive": True},
        )
    )


def scopes(result: InventoryResult, lang: Lang) -> str:
    t = result.totals
    fig = go.Figure()
    for col in ("scope1", "scope2_location", "scope3"):
        fig.add_bar(name=i18n.t(col, lang), x=t["year"].astype(str), y=t[col])
    fig.update_layout(
        barmode="stack", yaxis_title=i18n.t("co2e_t", lang), title=i18n.t("by_scope", lang)
    )
    return html_fragment(fig)


def scope2_dual(result: InventoryResult, lang: Lang) -> str:
    t = result.totals
    fig = go.Figure()
    fig.add_bar(name=i18n.t("location", lang), x=t["year"].astype(str), y=t["scope2_location"])
    fig.add_bar(name=i18n.t("market", lang), x=t["year"].astype(str), y=t["scope2_market"])
    fig.update_layout(
        barmode="group", yaxis_title=i18n.t("co2e_t", lang), title=i18n.t("scope2_dual", lang)
    )
    return html_fragment(fig, 320)


def gases(scoped: pd.DataFrame, lang: Lang) -> str:
    g = scoped.groupby(["year", "gas"], as_index=False)["co2e_t"].sum()
    fig = go.Figure()
    for gas, d in g.groupby("gas"):
        fig.add_bar(name=str(gas), x=d["year"].astype(str), y=d["co2e_t"])
    fig.update_layout(
        barmode="group",
        yaxis_type="log",
        yaxis_title=i18n.t("co2e_t", lang),
        title=i18n.t("by_gas", lang) + " (log)",
    )
    return html_fragment(fig, 340)


def sources(
    scoped: pd.DataFrame, year: int, lang: Lang, names: dict[str, str], top: int = 15
) -> str:
    s = scoped[scoped["year"] == year]
    g = s.groupby(["category", "activity_id"], as_index=False)["co2e_t"].sum()
    g = g.sort_values("co2e_t").tail(top)
    labels = [
        f"{i18n.category(c, lang)} · {names.get(a, a)}"
        for c, a in zip(g["category"], g["activity_id"], strict=True)
    ]
    fig = go.Figure(go.Bar(x=g["co2e_t"], y=labels, orientation="h", marker_color=PALETTE[0]))
    fig.update_layout(
        title=f"{i18n.t('by_source', lang)} — {year}", xaxis_title=i18n.t("co2e_t", lang)
    )
    return html_fragment(fig, 120 + 28 * len(g))


def facilities(scoped: pd.DataFrame, year: int, lang: Lang) -> str:
    s = scoped[scoped["year"] == year]
    g = s.groupby(["facility", "scope"], as_index=False)["co2e_t"].sum()
    fig = go.Figure()
    for sc, d in g.groupby("scope"):
        fig.add_bar(
            name=i18n.t(f"scope{int(sc)}" if sc != 2 else "scope2_location", lang),
            x=d["facility"],
            y=d["co2e_t"],
        )
    fig.update_layout(
        barmode="stack",
        title=f"{i18n.t('by_facility', lang)} — {year}",
        yaxis_title=i18n.t("co2e_t", lang),
    )
    return html_fragment(fig, 340)


def uncertainty(result: InventoryResult, lang: Lang) -> str:
    u = result.uncertainty
    fig = go.Figure()
    for appr, d in u.groupby("approach"):
        fig.add_scatter(
            x=d["year"].astype(str),
            y=d["total_t"],
            mode="markers",
            name=f"{i18n.t('approach', lang)} {appr}",
            error_y={
                "type": "data",
                "symmetric": False,
                "array": d["upper_t"] - d["total_t"],
                "arrayminus": d["total_t"] - d["lower_t"],
            },
        )
    fig.update_layout(title=i18n.t("uncertainty", lang), yaxis_title=i18n.t("co2e_t", lang))
    return html_fragment(fig, 320)
