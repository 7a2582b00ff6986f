"""The ``neutra.ets/1`` JSON document of an :class:`~neutra.market.assessment.EtsResult`,
and the bilingual labels of its text form (docs/cli-json.md describes every field)."""

from __future__ import annotations

import math
from typing import Any, Literal

from neutra.market.assessment import ALLOCATION_COLUMNS, EtsResult
from neutra.market.compliance import MONEY_COLUMNS, POSITION_COLUMNS, QUANTITY_TOTALS
from neutra.market.templates import Parameter, describe

SCHEMA = "neutra.ets/1"
Lang = Literal["en", "zh"]

# One year of an entity: the allocation columns, then the compliance columns.
YEAR_FIELDS: tuple[str, ...] = (
    "year",
    *ALLOCATION_COLUMNS,
    *(c for c in POSITION_COLUMNS if c not in ("entity", "year")),
)
TOTAL_FIELDS: tuple[str, ...] = (*QUANTITY_TOTALS, "bank_end_t", *MONEY_COLUMNS)
# The columns of an entity's year that the text form and the report show (tonnes, then money).
SHOWN_COLUMNS: tuple[str, ...] = (
    "verified_t",
    "free_t",
    "auctioned_t",
    "banked_in_t",
    "offsets_used_t",
    "bought_t",
    "sold_t",
    "banked_out_t",
    "net_cost",
    "net_cost_discounted",
)

LABELS: dict[str, tuple[str, str]] = {
    "title": ("ETS position", "碳排放权交易履约状况"),
    "entity": ("entity", "排放单位"),
    "year": ("year", "年份"),
    "verified_t": ("verified (t)", "核查排放量（吨）"),
    "free_t": ("free allocation (t)", "免费配额（吨）"),
    "auctioned_t": ("auctioned (t)", "拍卖购得（吨）"),
    "banked_in_t": ("banked in (t)", "上年结转（吨）"),
    "offsets_used_t": ("offsets used (t)", "抵销（吨）"),
    "bought_t": ("bought (t)", "购买（吨）"),
    "sold_t": ("sold (t)", "出售（吨）"),
    "banked_out_t": ("banked out (t)", "结转下年（吨）"),
    "net_cost": ("net cost", "净成本"),
    "net_cost_discounted": ("discounted", "折现值"),
    "total": ("total", "合计"),
    "cap_t": ("cap (t)", "配额总量（吨）"),
    "template": ("template", "模板"),
    "method": ("allocation method", "分配方法"),
    "banking": ("banking", "配额结转"),
    "on": ("on", "允许"),
    "off": ("off", "不允许"),
    "price": ("allowance price", "配额价格"),
    "none": ("none (tonnes only)", "无（仅计吨数）"),
    "rate": ("discount rate", "折现率"),
    "note": ("note", "注"),
    "parameters": ("figures used", "所用数据"),
}


def label(key: str, lang: Lang = "en") -> str:
    """The label of ``key`` in ``lang`` (lower case: the report capitalises its headings)."""
    en, zh = LABELS[key]
    return zh if lang == "zh" else en


def _num(v: object) -> float | None:
    if v is None:
        return None
    try:
        f = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _value(v: object) -> object:
    """Text as text; numbers as floats; missing (None, NaN) as ``None``."""
    if v is None or isinstance(v, str):
        return v
    return _num(v)


def parameter_json(p: Parameter) -> dict[str, Any]:
    return {
        "id": p.id,
        "parameter": p.parameter,
        "key": p.key,
        "year_from": p.year_from,
        "year_to": p.year_to,
        "value": p.value,
        "unit": p.unit,
        "name_en": p.name_en,
        "name_zh": p.name_zh,
        "status": p.status.value,
        "source": p.source,
        "note": p.note,
    }


def json_document(result: EtsResult) -> dict[str, Any]:
    """The ``neutra.ets/1`` document. Missing amounts are ``null``; numbers are not rounded."""
    entities = []
    for entity, group in result.positions.groupby("entity", sort=True):
        rows = []
        for rec in group.to_dict("records"):
            row = {f: _value(rec.get(f)) for f in YEAR_FIELDS}
            row["year"] = int(rec["year"])
            row["row"] = int(rec["row"])
            rows.append(row)
        tot = result.by_entity.loc[result.by_entity["entity"] == entity].iloc[0]
        entities.append(
            {
                "entity": str(entity),
                "years": rows,
                "totals": {f: _num(tot[f]) for f in TOTAL_FIELDS},
            }
        )
    by_year = [
        {
            "year": int(r["year"]),
            **{f: _num(r[f]) for f in TOTAL_FIELDS if f != "bank_end_t"},
            "banked_out_t": _num(r["banked_out_t"]),
            "cap_t": _num(r["cap_t"]),
        }
        for r in result.by_year.to_dict("records")
    ]
    years = [int(y) for y in result.by_year["year"]]
    return {
        "schema": SCHEMA,
        "table": result.table,
        "template": describe(result.template, years),
        "reference_data_version": result.template.reference_data_version,
        "method": {
            "weights": {m.value: w for m, w in result.rule.weights},
            "grandfather_factor": result.rule.grandfather_factor,
            "benchmark_year": result.rule.benchmark_year,
        },
        "banking": result.banking,
        "price": {
            "source": result.price_source,
            "unit": "currency per allowance (t CO2e)",
            "by_year": None
            if result.prices is None
            else {str(y): p for y, p in sorted(result.prices.items())},
        },
        "rate": result.rate,
        "base_year": result.base_year,
        "quantity_unit": "t CO2e",
        "cap": [{"year": c.year, "cap_t": c.cap, "derived": c.derived} for c in result.cap],
        "entities": entities,
        "years": by_year,
        "totals": {f: _num(result.total.get(f)) for f in TOTAL_FIELDS},
        "parameters": [parameter_json(p) for p in result.parameters],
        "unverified": [p.id for p in result.unverified],
        "notes": list(result.notes),
    }


__all__ = [
    "LABELS",
    "SCHEMA",
    "SHOWN_COLUMNS",
    "YEAR_FIELDS",
    "json_document",
    "label",
    "parameter_json",
]
