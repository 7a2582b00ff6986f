"""The inventory report: one self-contained HTML file (plotly.js inlined), in 中文 or English."""

from __future__ import annotations

import functools
from typing import Any

import jinja2
import pandas as pd
from plotly.offline import get_plotlyjs

from neutra import i18n
from neutra.i18n import Lang
from neutra.inventory.result import InventoryResult
from neutra.model.enums import Status
from neutra.model.plan import Plan
from neutra.provenance import RunInfo
from neutra.refdata.library import gwp_table
from neutra.report import charts
from neutra.report.cells import missing, num


@functools.cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("neutra.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
    )


def fmt(v: Any, digits: int = 0) -> str:
    """A number with thousands separators (:func:`neutra.report.cells.num`); blank for
    missing; other values as text."""
    if missing(v) or isinstance(v, int | float):
        return num(v, digits)
    return str(v)


def illustrative(plan: Plan) -> bool:
    """Whether a plan says its data are illustrative (in its name, English or Chinese): the
    report then says so on every page."""
    return "illustrative" in plan.entity.name.lower() or "示例" in (plan.entity.name_zh or "")


def _table(
    df: pd.DataFrame, cols: list[tuple[str, str]], digits: dict[str, int] | None = None
) -> dict[str, Any]:
    digits = digits or {}
    rows = []
    for rec in df.to_dict("records"):
        rows.append(
            [
                fmt(rec[c], digits.get(c, 0))
                if isinstance(rec[c], float)
                else ("" if rec[c] is None or rec[c] is pd.NA else str(rec[c]))
                for c, _ in cols
            ]
        )
    return {
        "head": [h for _, h in cols],
        "rows": rows,
        "num": [isinstance(df[c].iloc[0], float) if len(df) else False for c, _ in cols],
    }


def findings_table(findings: pd.DataFrame, lang: Lang, *, with_facility: bool) -> dict[str, Any]:
    """The data-quality findings, labelled in the report's language."""
    f = findings.copy()
    f["label"] = f["code"].map(lambda c: i18n.finding(c, lang))
    cols = [("severity", i18n.t("severity", lang)), ("label", i18n.t("code", lang))]
    if with_facility:
        cols.append(("facility", i18n.t("facility", lang)))
    cols += [("year", i18n.t("year", lang)), ("detail", i18n.t("detail", lang))]
    return _table(f, cols)


def factors_table(factors: pd.DataFrame, lang: Lang, *, with_bounds: bool) -> dict[str, Any]:
    """The appendix: every factor used, with its value, status, source and licence."""
    f = factors.copy()
    cols = [
        ("factor_id", i18n.t("factor", lang)),
        ("value", i18n.t("value", lang)),
        ("unit", i18n.t("unit", lang)),
    ]
    if with_bounds:
        f["bounds"] = [
            "" if pd.isna(lo) and pd.isna(hi) else f"{lo:g} – {hi:g}"
            for lo, hi in zip(f["lower"], f["upper"], strict=True)
        ]
        cols.append(("bounds", "95 %"))
    cols += [
        ("status", i18n.t("status", lang)),
        ("source", i18n.t("source", lang)),
        ("licence", i18n.t("licence", lang)),
    ]
    return _table(f, cols, {"value": 6})


def _names(result: InventoryResult, lang: Lang) -> dict[str, str]:
    """Display names of activity ids in the report's language (the id where none is known)."""
    col = "name_zh" if lang == "zh" else "name_en"
    f = result.factors
    return {str(i): str(n) for i, n in zip(f["id"], f[col], strict=True) if n}


def _worst(statuses: pd.Series) -> str:
    """The least sure status among factors (verified < reported < unverified)."""
    return max((Status(s) for s in statuses), key=lambda s: s.rank).value


def render_inventory(
    plan: Plan, result: InventoryResult, info: RunInfo, lang: Lang, extra: str = ""
) -> str:
    """The whole report as one HTML string."""
    t = functools.partial(i18n.t, lang=lang)
    s = result.summary
    scoped = s[~s["biogenic"] & (s["scope2_basis"] != "market")]
    years = [int(y) for y in result.totals["year"]]
    last = years[-1]
    tot = result.totals.set_index("year")
    key = [
        (t(c), fmt(tot.loc[last, c]))
        for c in (
            "total_location",
            "total_market",
            "scope1",
            "scope2_location",
            "scope2_market",
            "scope3",
            "biogenic_co2",
        )
    ]
    if len(years) > 1:
        prev = years[-2]
        change = (tot.loc[last, "total_location"] / tot.loc[prev, "total_location"] - 1) * 100
        key.append((f"{t('total_location')} {prev}→{last}", f"{change:+.1f} %"))
    intens = result.intensities()
    for rec in intens[intens["year"] == last].to_dict("records"):
        key.append((f"{rec['product']} ({rec['intensity_unit']})", fmt(rec["total_per_unit"], 3)))

    names = _names(result, lang)
    src = scoped.groupby(["year", "scope", "category", "activity_id", "gas"], as_index=False).agg(
        co2e_t=("co2e_t", "sum"),
        emission_t=("emission_t", "sum"),
        method=("method", "first"),
        status=("status", "max"),
    )
    src["category"] = src["category"].map(lambda c: i18n.category(c, lang))
    src["activity_id"] = src["activity_id"].map(lambda a: names.get(a, a))
    src = src.sort_values(["year", "co2e_t"], ascending=[True, False])
    fac = scoped.groupby(["year", "facility", "scope"], as_index=False)["co2e_t"].sum()
    gas = scoped.groupby(["year", "gas"], as_index=False).agg(
        emission_t=("emission_t", "sum"), co2e_t=("co2e_t", "sum"), gwp=("gwp", "first")
    )
    gwp = result.gwp_values.merge(
        gwp_table(str(result.meta["gwp_set"]))[["gas", "origin", "value", "source", "status"]],
        on="gas",
        how="left",
    )
    gwp = gwp[gwp["value"].isna() | (gwp["value"] == gwp["gwp"])].sort_values("gas")
    market = result.market.copy()
    ctx = {
        "lang": lang,
        "extra": extra,
        "t": t,
        "plan": plan,
        "info": info,
        "meta": result.meta,
        "plotly_js": get_plotlyjs(),
        "key": key,
        "last": last,
        "title_key": "title",
        "illustrative": illustrative(plan),
        "charts": {
            "scopes": charts.scopes(result, lang),
            "gases": charts.gases(scoped, lang),
            "sources": charts.sources(scoped, last, lang, names),
            "facilities": charts.facilities(scoped, last, lang),
            "scope2": charts.scope2_dual(result, lang),
            "uncertainty": charts.uncertainty(result, lang),
        },
        "totals": _table(result.totals, [(c, t(c)) for c in result.totals.columns]),
        "sources": _table(
            src,
            [
                ("year", t("year")),
                ("scope", t("scope")),
                ("category", t("category")),
                ("activity_id", t("activity")),
                ("gas", t("gas")),
                ("emission_t", "t"),
                ("co2e_t", t("co2e_t")),
                ("method", "method"),
                ("status", t("status")),
            ],
            {"emission_t": 2},
        ),
        "facilities": _table(
            fac,
            [
                ("year", t("year")),
                ("facility", t("facility")),
                ("scope", t("scope")),
                ("co2e_t", t("co2e_t")),
            ],
        ),
        "gases": _table(
            gas,
            [
                ("year", t("year")),
                ("gas", t("gas")),
                ("emission_t", "t"),
                ("gwp", "GWP"),
                ("co2e_t", t("co2e_t")),
            ],
            {"emission_t": 2, "gwp": 1},
        ),
        "market": _table(
            market,
            [
                ("year", t("year")),
                ("facility", t("facility")),
                ("method", "method"),
                ("mwh", t("mwh")),
                ("emission_t", t("co2e_t")),
                ("factor_ids", t("factor")),
            ],
        ),
        "claims": _table(
            result.claims,
            [
                ("instrument", t("instrument")),
                ("kind", "kind"),
                ("facility", t("facility")),
                ("year", t("year")),
                ("mwh_claimed", t("mwh")),
            ],
        ),
        "uncertainty": _table(
            result.uncertainty,
            [
                ("year", t("year")),
                ("approach", t("approach")),
                ("total_t", t("total")),
                ("lower_t", t("lower")),
                ("upper_t", t("upper")),
                ("u_minus_pct", "−%"),
                ("u_plus_pct", "+%"),
                ("draws", "draws"),
            ],
            {"u_minus_pct": 1, "u_plus_pct": 1},
        ),
        "intensities": _table(
            intens,
            [
                ("year", t("year")),
                ("product", t("product")),
                ("amount", t("value")),
                ("unit", t("unit")),
                ("scope12_per_unit", t("per_unit_s12")),
                ("total_per_unit", t("per_unit_total")),
                ("intensity_unit", t("unit")),
            ],
            {"scope12_per_unit": 4, "total_per_unit": 4},
        ),
        "findings": findings_table(result.findings, lang, with_facility=True),
        "factors": factors_table(result.factors, lang, with_bounds=True),
        "gwp": _table(
            gwp,
            [
                ("gas", t("gas")),
                ("origin", "origin"),
                ("gwp", "GWP"),
                ("status", t("status")),
                ("source", t("source")),
            ],
            {"gwp": 1},
        ),
    }
    return _env().get_template("inventory.html.j2").render(**ctx)
