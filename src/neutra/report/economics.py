"""The MACC and carbon-market sections of the report (边际减排成本曲线, 碳市场), from a plan's
``macc.csv`` and ``ets.csv`` (:mod:`neutra.side_tables`).

MACC: each bar is a measure, as wide as its annual abatement (t CO2e/yr) and as high as its
levelised cost of abatement (currency per t CO2e), sorted by cost; LCOA, NPV, IRR and payback at
the private and (if set) the social discount rate, and with the carbon price of the settings
(docs/method-measures.md). Where an abatement is not typed in the table (a wedge of the plan's
simulation, or computed from CCUS columns), a column says where it came from. Carbon market: the allocation and the compliance position of each
entity and year, its cost or revenue at the settings' price, and every cited template figure
used with its status (docs/method-market.md).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from neutra.i18n import Lang
from neutra.market import document
from neutra.market.compliance import MONEY_COLUMNS
from neutra.report.cells import WAN, label, num, pct, table
from neutra.report.charts import PALETTE, html_fragment
from neutra.report.html import _env
from neutra.side_tables import SideTables

# The report's own labels; those of the carbon market's text form (entity, year, the position
# columns, template, method, …) are market.document's (:func:`_t`).
L: dict[str, tuple[str, str]] = {
    "row_notes": ("Sources and notes, by row", "各行来源与备注"),
    "macc_title": ("Marginal abatement cost curve (MACC)", "边际减排成本曲线（MACC）"),
    "macc_intro": (
        "Measures of macc.csv sorted by levelised cost of abatement (LCOA = (CRF × capex + opex "
        "− savings) / annual abatement); bar width = annual abatement, height = LCOA "
        "(docs/method-measures.md).",
        "macc.csv 中的措施按平准化减排成本排序（LCOA =（资本回收系数 × 投资 + 运维成本 − 节约）/ 年减排量）；"
        "柱宽为年减排量，柱高为平准化减排成本（见 docs/method-measures.md）。",
    ),
    "rates": ("Discount rates", "折现率"),
    "private": ("private", "私人"),
    "social": ("social", "社会"),
    "no_rate": ("none", "无"),
    "rank": ("#", "序号"),
    "measure": ("Measure", "措施"),
    "abatement": ("Abatement (t CO2e/yr)", "年减排量（t CO2e/年）"),
    "abatement_wan": ("Cumulative abatement (万t CO2e/yr)", "累计年减排量（万t CO2e/年）"),
    "origin": ("Abatement from", "减排量来源"),
    "wedge_note": (
        "An abatement taken from the plan's scenario simulation is the measure's wedge in that "
        "scenario and year: what it saves on top of the measures applied before it, so savings "
        "are not counted twice (docs/method-simulate.md §5).",
        "取自本规划情景模拟的减排量为该措施在所注情景与年份的楔形减排量，即在前序措施基础上的额外减排，"
        "避免重复计算（见 docs/method-simulate.md 第 5 节）。",
    ),
    "capex": ("Capex", "投资"),
    "lcoa": ("LCOA", "平准化减排成本"),
    "npv": ("NPV", "净现值"),
    "irr": ("IRR", "内部收益率"),
    "payback": ("Payback (yr)", "回收期（年）"),
    "with_policy": ("with policy", "计入政策"),
    "measures": ("measures", "项措施"),
    "carbon_price": ("carbon price", "碳价"),
    "carbon_price_view": (
        "With the carbon price of the settings, a measure whose LCOA lies below the price line "
        "pays for itself; the columns “with policy” count the price as revenue on the abatement "
        "(and the table's own subsidy, tax-credit and loan columns).",
        "计入设置中的碳价后，平准化减排成本低于碳价线的措施即可自负盈亏；“计入政策”各列将碳价视为减排量"
        "带来的收益（并计入表中的补贴、税收抵免和贷款列）。",
    ),
    "below_price": ("below the carbon price", "低于碳价"),
    "social_note": (
        "At the social rate the figures are without policy: subsidies and carbon revenue are "
        "transfers within society.",
        "社会折现率下的数值不计政策：补贴与碳收益属社会内部转移。",
    ),
    "ets_title": ("Carbon market", "碳市场"),
    "position": ("Compliance position by year", "逐年履约状况"),
    "cost_sign": (
        "Net cost > 0 is a cost (allowances bought), < 0 a revenue (surplus sold).",
        "净成本为正表示购买配额的支出，为负表示出售盈余配额的收入。",
    ),
    "figures": ("Figures used and their verification", "所用参数及其核实状态"),
    "parameter": ("Parameter", "参数"),
    "key": ("Key", "类别"),
    "years": ("Years", "适用年份"),
    "value": ("Value", "数值"),
    "unit": ("Unit", "单位"),
    "status": ("Status", "状态"),
    "source": ("Source", "来源"),
    "no_figures": (
        "No cited template figure was needed beyond those listed (free allocation given in "
        "the table).",
        "除所列参数外未使用模板中的其他参数（免费配额由表中给定）。",
    ),
    "notes": ("Notes", "说明"),
    "allowances": ("Allowances and emissions", "配额与排放"),
    "bank_end": ("Banked at the end (t)", "期末结转配额（吨）"),
    "given_note": (
        "Free allocation as given in ets.csv: the template's benchmarks are not used; its "
        "offset rule and banking default are.",
        "免费配额按 ets.csv 给定值，未使用模板中的基准值；仍采用模板的抵销规则及结转默认设置。",
    ),
}


def _t(key: str, lang: Lang) -> str:
    """A label of the report (:data:`L`), else of the carbon market's text form, as a heading."""
    if key in L:
        return label(L, key, lang)
    text = document.label(key, lang)
    return text[:1].upper() + text[1:]


def _macc_chart(curve: pd.DataFrame, price: float | None, currency: str, lang: Lang) -> str:
    on = curve.dropna(subset=["x0", "x1"])
    if on.empty:
        return ""
    fig = go.Figure(
        go.Bar(
            x=((on["x0"] + on["x1"]) / 2 / WAN).to_numpy(),
            y=on["lcoa"].to_numpy(),
            width=(on["annual_abatement"] / WAN).to_numpy(),
            text=on["name"].astype(str).to_numpy(),
            textposition="outside",
            marker_color=[PALETTE[i % len(PALETTE)] for i in range(len(on))],
            marker_line={"color": "#fff", "width": 1},
            hovertemplate="%{text}: %{y:,.1f} " + currency + "/t CO2e<extra></extra>",
            name=_t("lcoa", lang),
        )
    )
    if price is not None:
        fig.add_hline(
            y=price,
            line={"color": "#9c4a3c", "dash": "dash"},
            annotation_text=f"{_t('carbon_price', lang)} {price:,.0f} {currency}/t CO2e",
            annotation_position="top left",
        )
    fig.update_layout(
        title=_t("macc_title", lang),
        xaxis_title=_t("abatement_wan", lang),
        yaxis_title=f"{_t('lcoa', lang)} ({currency}/t CO2e)",
        showlegend=False,
        bargap=0,
    )
    return html_fragment(fig, 440)


def macc_section(side: SideTables, lang: Lang) -> str:
    """The MACC section of ``side.macc`` as an HTML fragment; empty without a ``macc.csv``."""
    if side.macc is None:
        return ""
    s = side.settings
    cur = s.currency
    curve: pd.DataFrame = side.macc.curve
    social = s.social_discount_rate is not None
    policy = bool(curve.attrs.get("has_policy"))
    per_t = f"{cur}/t CO2e"
    head = [_t("rank", lang), _t("measure", lang), _t("abatement", lang)]
    head += [f"{_t('capex', lang)} ({cur})", f"{_t('lcoa', lang)} ({per_t})"]
    head += [f"{_t('npv', lang)} ({cur})", _t("irr", lang), _t("payback", lang)]
    numeric = [True, False, True, True, True, True, True, True]
    origins = side.macc_origins
    show_origin = any(o.kind != "typed" for o in origins.values())
    if show_origin:
        head.insert(3, _t("origin", lang))
        numeric.insert(3, False)
    if social:
        head += [
            f"{_t('lcoa', lang)}, {_t('social', lang)} ({per_t})",
            f"{_t('npv', lang)}, {_t('social', lang)} ({cur})",
        ]
        numeric += [True, True]
    if policy:
        head += [
            f"{_t('lcoa', lang)}, {_t('with_policy', lang)} ({per_t})",
            f"{_t('npv', lang)}, {_t('with_policy', lang)} ({cur})",
        ]
        numeric += [True, True]
    rows = []
    for r in curve.to_dict("records"):
        row = [
            r["rank"],
            r["name"],
            num(r["annual_abatement"]),
            num(r["capex"]),
            num(r["lcoa"], 1) or r["lcoa_note"],
            num(r["npv"]),
            pct(r["irr"]),
            num(r["payback"], 1),
        ]
        if show_origin:
            origin = origins.get(str(r["name"]))
            row.insert(3, "" if origin is None else origin.text(lang))
        if social:
            row += [num(r["lcoa_social"], 1), num(r["npv_social"])]
        if policy:
            row += [num(r["lcoa_policy"], 1), num(r["npv_policy"])]
        rows.append(row)
    notes = [(str(n), side.macc_notes[str(n)]) for n in curve["name"] if str(n) in side.macc_notes]
    below = None
    if s.carbon_price is not None:
        ok = curve[curve["lcoa"] <= s.carbon_price]
        below = (len(ok), float(ok["annual_abatement"].sum()))
    rates = f"{_t('private', lang)} {s.discount_rate:.1%}; {_t('social', lang)} " + (
        f"{s.social_discount_rate:.1%}"
        if s.social_discount_rate is not None
        else _t("no_rate", lang)
    )
    ctx = {
        "lang": lang,
        "t": lambda k: _t(k, lang),
        "chart": _macc_chart(curve, s.carbon_price, cur, lang),
        "table": table(head, rows, numeric),
        "rates": rates,
        "social": social,
        "price": None if s.carbon_price is None else f"{s.carbon_price:,.2f} {per_t}",
        "below": None
        if below is None
        else f"{below[0]} {_t('measures', lang)}, {below[1]:,.0f} t CO2e/yr",
        "source": side.macc.document.get("table", "macc.csv"),
        "row_notes": notes,
        "wedges": any(o.kind == "wedge" for o in origins.values()),
    }
    return _env().get_template("macc.html.j2").render(**ctx)


def _ets_chart(by_year: pd.DataFrame, currency: str, priced: bool, lang: Lang) -> str:
    fig = go.Figure()
    years = by_year["year"].astype(str)
    fig.add_bar(x=years, y=by_year["verified_t"] / WAN, name=_t("verified_t", lang))
    fig.add_bar(x=years, y=by_year["free_t"] / WAN, name=_t("free_t", lang))
    if (by_year["offsets_used_t"] > 0).any():
        fig.add_bar(x=years, y=by_year["offsets_used_t"] / WAN, name=_t("offsets_used_t", lang))
    layout: dict[str, Any] = {
        "barmode": "group",
        "title": _t("allowances", lang),
        "yaxis_title": "万t CO2e",
    }
    if priced:
        fig.add_scatter(
            x=years,
            y=by_year["net_cost"],
            name=f"{_t('net_cost', lang)} ({currency})",
            yaxis="y2",
            mode="lines+markers",
            line={"color": "#9c4a3c"},
        )
        layout["yaxis2"] = {"overlaying": "y", "side": "right", "title": currency}
    fig.update_layout(**layout)
    return html_fragment(fig, 380)


# The position columns in tonnes (the money ones are headed with the currency).
_POSITION = tuple(c for c in document.SHOWN_COLUMNS if c not in MONEY_COLUMNS)
_MONEY = tuple(c for c in document.SHOWN_COLUMNS if c in MONEY_COLUMNS)


def ets_section(side: SideTables, lang: Lang) -> str:
    """The carbon-market section of ``side.ets`` as an HTML fragment; empty without ets.csv."""
    if side.ets is None:
        return ""
    res = side.ets
    s = side.settings
    cur = s.currency
    priced = res.prices is not None
    head = [_t("entity", lang), _t("year", lang), *(_t(c, lang) for c in _POSITION)]
    head += [f"{_t(c, lang)} ({cur})" for c in _MONEY]
    numeric = [False, True, *([True] * (len(_POSITION) + len(_MONEY)))]
    rows, row_notes = [], []
    for r in res.positions.to_dict("records"):
        rows.append(
            [
                r["entity"],
                int(r["year"]),
                *(num(r[c]) for c in _POSITION),
                *(num(r[c]) for c in _MONEY),
            ]
        )
        note = side.ets_notes.get((str(r["entity"]), int(r["year"])))
        if note:
            row_notes.append((f"{r['entity']} {int(r['year'])}", note))
    tot = res.total
    rows.append(
        [
            _t("total", lang),
            "",
            *(num(tot.get(c, np.nan)) for c in _POSITION),
            *(num(tot.get(c, np.nan)) for c in _MONEY),
        ]
    )
    params = [
        [
            p.parameter,
            p.key,
            f"{p.year_from or ''}–{p.year_to or ''}",
            f"{p.value:g}",
            p.unit,
            p.status.value,
            p.source,
        ]
        for p in res.parameters
    ]
    pkeys = ("parameter", "key", "years", "value", "unit", "status", "source")
    tpl = res.template
    given = all(m.value == "given" for m, _w in res.rule.weights)
    price = (
        f"{s.ets_price:,.2f} {cur}/t CO2e ({res.price_source})"
        if priced and s.ets_price is not None
        else _t("none", lang)
    )
    ctx = {
        "lang": lang,
        "t": lambda k: _t(k, lang),
        "facts": [
            (
                _t("template", lang),
                f"{tpl.title_zh if lang == 'zh' else tpl.title_en} ({tpl.name})",
            ),
            (_t("method", lang), res.rule.describe()),
            (_t("banking", lang), document.label("on" if res.banking else "off", lang)),
            (_t("price", lang), price),
            (_t("rate", lang), f"{res.rate:.1%}"),
            (_t("bank_end", lang), num(res.total.get("bank_end_t", np.nan))),
            (_t("source", lang), res.table),
        ],
        "chart": _ets_chart(res.by_year, cur, priced, lang),
        "positions": table(head, rows, numeric),
        "parameters": table(
            [_t(k, lang) for k in pkeys], params, [False] * 3 + [True] + [False] * 3
        )
        if params
        else None,
        "notes": ([_t("given_note", lang)] if given else []) + list(res.notes),
        "row_notes": row_notes,
    }
    return _env().get_template("ets.html.j2").render(**ctx)


__all__ = ["ets_section", "macc_section"]
