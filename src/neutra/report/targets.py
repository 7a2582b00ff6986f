"""The targets section of the report (目标): every target of ``targets.csv`` against every
scenario, the target lines, and the split among members (``allocation.csv``) with the top-down
target against the members' own plans.

Amounts are shown in each target's own ``unit`` (``targets.csv``; default t) of CO2e, an
intensity in t CO2e per the driver's unit; the results are those of
:func:`neutra.targets.plan_targets.assess` and :func:`neutra.targets.aggregation.allocate_targets`
(docs/method-targets.md).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from neutra.i18n import Lang
from neutra.model.plan import Plan
from neutra.report.cells import label, missing, num, table, years_text
from neutra.report.charts import PALETTE, html_fragment
from neutra.report.html import _env

L: dict[str, tuple[str, str]] = {
    "title": ("Targets", "目标"),
    "intro": (
        "Each target of targets.csv is checked against every scenario (docs/method-targets.md). "
        "Amounts are in each target's unit of CO2e; “gap” is value − limit (> 0: off track).",
        "按 targets.csv 中的每项目标逐一检验各情景（见 docs/method-targets.md）。数值单位为各目标所用的"
        "二氧化碳当量单位；“差距”= 情景值 − 限值（> 0 表示未达标）。",
    ),
    "checks": ("Targets against scenarios", "目标与情景对比"),
    "target": ("Target", "目标"),
    "kind": ("Kind", "类型"),
    "scenario": ("Scenario", "情景"),
    "year": ("Year", "年份"),
    "limit": ("Limit", "限值"),
    "value": ("Scenario value", "情景值"),
    "gap": ("Gap", "差距"),
    "unit": ("Unit", "单位"),
    "met": ("Met", "达标"),
    "off": ("Years off track", "未达标年份"),
    "source": ("Source", "来源"),
    "detail": ("Detail", "说明"),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "lines": ("Target lines and scenarios", "目标线与情景路径"),
    "limit_line": ("limit", "限值"),
    "allocation": ("Allocation: allowance and members' plans", "目标分解：分配额与各方规划"),
    "allocation_intro": (
        "The target's limit split among members (allocation.csv) by its method; “planned” is "
        "the member's own plan for the target year (for a budget: over its years).",
        "按目标的分解方法将限值分配给各部门、区域或企业（allocation.csv）；“规划值”为各方自身规划在目标"
        "年份（碳预算为预算期合计）的排放。",
    ),
    "member": ("Member", "分解对象"),
    "level": ("Level", "层级"),
    "method": ("Method", "方法"),
    "allowance": ("Allowance", "分配额"),
    "share": ("Share", "份额"),
    "planned": ("Planned", "规划值"),
    "note": ("Note", "备注"),
    "aggregation": ("Top-down against bottom-up", "自上而下与自下而上对比"),
    "top_down": ("Top-down limit", "自上而下限值"),
    "bottom_up": ("Σ members' plans", "各方规划合计"),
    "members": ("Members", "分解对象数"),
    "with_plans": ("with plans", "有规划"),
    "over": ("over allowance", "超出分配额"),
}


def _t(key: str, lang: Lang) -> str:
    return label(L, key, lang)


def _display(checks: pd.DataFrame) -> dict[str, tuple[str, float]]:
    """Each target's display unit and the size of one display unit in the results' unit
    (``display_scale`` of the checks: t CO2e; an intensity: t CO2e per the driver's unit)."""
    out: dict[str, tuple[str, float]] = {}
    for rec in checks.drop_duplicates("target").to_dict("records"):
        shown = str(rec["display_unit"])
        if shown != "year":
            shown = shown.replace("t/", "t CO2e/", 1) if shown.startswith("t/") else f"{shown} CO2e"
        out[str(rec["target"])] = (shown, float(rec["display_scale"]))
    return out


def _name(rec: dict[str, Any], lang: Lang) -> str:
    zh = rec.get("name_zh")
    en = rec.get("name")
    shown = zh if lang == "zh" and isinstance(zh, str) and zh else en
    tid = str(rec["target"])
    return f"{shown} ({tid})" if isinstance(shown, str) and shown and shown != tid else tid


def _checks(
    checks: pd.DataFrame, shown: dict[str, tuple[str, float]], lang: Lang
) -> dict[str, Any]:
    rows = []
    for rec in checks.to_dict("records"):
        unit, scale = shown[str(rec["target"])]
        if unit == "year":  # a peak target: years, without thousands separators
            amounts = [f"{rec['limit']:.0f}", f"{rec['value']:.0f}", f"{rec['gap']:+.0f}"]
        else:
            amounts = [
                num(rec["limit"], 1, scale=scale),
                num(rec["value"], 1, scale=scale),
                num(rec["gap"], 1, sign=True, scale=scale),
            ]
        rows.append(
            [
                _name(rec, lang),
                rec["kind_zh"] if lang == "zh" else rec["kind"],
                rec["scenario"],
                "" if missing(rec["year"]) else int(rec["year"]),
                *amounts,
                unit if unit != "year" else _t("year", lang),
                _t("yes" if rec["met"] else "no", lang),
                years_text(rec["years_off_track"]),
                rec["source"],
                rec["detail"],
            ]
        )
    keys = ("target", "kind", "scenario", "year", "limit", "value", "gap", "unit", "met", "off")
    head = [_t(k, lang) for k in (*keys, "source", "detail")]
    numeric = [False, False, False, True, True, True, True, False, False, False, False, False]
    return table(head, rows, numeric)


def _line_chart(
    tid: str,
    title: str,
    lines: pd.DataFrame,
    unit: str,
    scale: float,
    scenarios: list[str],
    lang: Lang,
) -> str:
    g = lines[lines["target"] == tid]
    if g.empty:
        return ""
    fig = go.Figure()
    multi = g.groupby("scenario")["year"].nunique().max() > 1
    first = str(g["scenario"].iloc[0])
    for i, sid in enumerate(scenarios):
        d = g[g["scenario"] == sid]
        if d.empty:
            continue
        color = PALETTE[i % len(PALETTE)]
        if multi:
            fig.add_scatter(
                x=d["year"], y=d["value"] / scale, mode="lines", name=sid, line={"color": color}
            )
        else:
            fig.add_bar(x=[sid], y=d["value"] / scale, name=sid, marker_color=color)
            fig.add_scatter(
                x=[sid],
                y=d["limit"] / scale,
                mode="markers",
                marker={
                    "symbol": "line-ew-open",
                    "size": 120,
                    "color": "#b2182b",
                    "line": {"width": 4, "color": "#b2182b"},
                },
                name=_t("limit_line", lang),
                legendgroup="limit",
                showlegend=sid == first,
            )
    if multi:
        # One dashed line when the limit is the same for every scenario; else one per scenario
        # in its colour (a relative target's limit follows each scenario's own base).
        same = g.groupby("year")["limit"].nunique().max() <= 1
        for i, sid in enumerate([first] if same else scenarios):
            lim = g[g["scenario"] == sid]
            if lim.empty:
                continue
            fig.add_scatter(
                x=lim["year"],
                y=lim["limit"] / scale,
                mode="lines",
                name=_t("limit_line", lang) + ("" if same else f" — {sid}"),
                line={"color": "#444" if same else PALETTE[i % len(PALETTE)], "dash": "dash"},
            )
    fig.update_layout(title=title, yaxis_title=unit)
    return html_fragment(fig, 340)


def _members(
    members: pd.DataFrame, plan: Plan, shown: dict[str, tuple[str, float]], lang: Lang
) -> tuple[dict[str, Any], list[str]]:
    alloc = plan.tables.get("allocation")
    notes: dict[tuple[str, str], str] = {}
    if alloc is not None and "note" in alloc:
        for t, m, n in zip(alloc["target"], alloc["member"], alloc["note"], strict=True):
            if isinstance(n, str) and n:
                notes[(str(t), str(m))] = n
    rows, charts = [], []
    for tid, g in members.groupby("target", sort=False):
        unit, scale = shown.get(str(tid), ("t CO2e", 1.0))
        names = []
        for rec in g.to_dict("records"):
            zh, en = rec.get("name_zh"), rec.get("name")
            name = zh if lang == "zh" and isinstance(zh, str) and zh else en
            member = str(rec["member"])
            shown_name = f"{name} ({member})" if isinstance(name, str) and name else member
            names.append(shown_name)
            rows.append(
                [
                    tid,
                    shown_name,
                    rec.get("level") or "",
                    rec["method"],
                    num(rec["allowance"], 1, scale=scale),
                    "" if missing(rec["share"]) else f"{float(rec['share']) * 100:.1f} %",
                    num(rec["planned"], 1, scale=scale),
                    num(rec["gap"], 1, sign=True, scale=scale),
                    unit,
                    notes.get((str(tid), member), ""),
                ]
            )
        fig = go.Figure()
        fig.add_bar(x=names, y=g["allowance"] / scale, name=_t("allowance", lang))
        fig.add_bar(x=names, y=g["planned"] / scale, name=_t("planned", lang))
        fig.update_layout(
            barmode="group", title=f"{_t('allocation', lang)} — {tid}", yaxis_title=unit
        )
        charts.append(html_fragment(fig, 340))
    keys = ("target", "member", "level", "method", "allowance", "share", "planned", "gap")
    head = [_t(k, lang) for k in (*keys, "unit", "note")]
    numeric = [False, False, False, False, True, True, True, True, False, False]
    return table(head, rows, numeric), charts


def _aggregation(
    agg: pd.DataFrame, shown: dict[str, tuple[str, float]], lang: Lang
) -> dict[str, Any]:
    rows = []
    for rec in agg.to_dict("records"):
        unit, scale = shown.get(str(rec["target"]), ("t CO2e", 1.0))
        rows.append(
            [
                rec["target"],
                rec["method"],
                num(rec["top_down"], 1, scale=scale),
                num(rec["bottom_up"], 1, scale=scale),
                num(rec["gap"], 1, sign=True, scale=scale),
                unit,
                f"{rec['members_with_plans']}/{rec['members']}",
                f"{rec['members_over']}/{rec['members']}",
            ]
        )
    keys = ("target", "method", "top_down", "bottom_up", "gap", "unit", "with_plans", "over")
    numeric = [False, False, True, True, True, False, True, True]
    return table([_t(k, lang) for k in keys], rows, numeric)


def targets_section(plan: Plan, res: Any, lang: Lang) -> str:
    """The targets section as an HTML fragment; empty when the plan has no targets.

    Args:
        plan: the plan (its targets, allocation and drivers tables name and label the targets).
        res: the plan's :class:`~neutra.simulate.results.SimulationResult`, with ``targets``.
        lang: ``en`` or ``zh``.
    """
    found = getattr(res, "targets", None) if res is not None else None
    if not found:
        return ""
    checks: pd.DataFrame = found["target_checks"]
    lines: pd.DataFrame = found["target_lines"]
    shown = _display(checks)
    charts = []
    for rec in checks.drop_duplicates("target").to_dict("records"):
        tid = str(rec["target"])
        unit, scale = shown[tid]
        if unit == "year":
            continue
        kind = rec["kind_zh"] if lang == "zh" else rec["kind"]
        charts.append(
            _line_chart(
                tid, f"{_name(rec, lang)} · {kind}", lines, unit, scale, list(res.scenarios), lang
            )
        )
    members = found.get("target_members")
    agg = found.get("target_aggregation")
    member_table, member_charts = (
        _members(members, plan, shown, lang) if members is not None and len(members) else (None, [])
    )
    ctx = {
        "lang": lang,
        "t": lambda k: _t(k, lang),
        "checks": _checks(checks, shown, lang),
        "charts": [c for c in charts if c],
        "members": member_table,
        "member_charts": member_charts,
        "aggregation": _aggregation(agg, shown, lang) if agg is not None and len(agg) else None,
    }
    return _env().get_template("targets.html.j2").render(**ctx)


__all__ = ["targets_section"]
