"""Data-quality findings: tiers, completeness against the previous year, fallbacks, flags."""

from __future__ import annotations

from typing import Any

import pandas as pd

from neutra.inventory.prepare import Prepared
from neutra.model.plan import Plan
from neutra.refdata.library import Library

FINDING_COLUMNS = ["code", "severity", "facility", "year", "detail"]


def quality_findings(
    plan: Plan,
    summary: pd.DataFrame,
    prep: Prepared,
    market_findings: list[dict[str, Any]],
    library: Library,
    sources_seen: pd.DataFrame,
    months_seen: pd.DataFrame,
) -> pd.DataFrame:
    """Every finding about the data's quality, as a table (code, severity, where, detail).

    Args:
        sources_seen: distinct (year, facility, category, activity) of the activity rows.
        months_seen: (facility, year, activity, months) of sources reported monthly whose
            months are not all twelve.
    """
    f: list[dict[str, Any]] = []
    f += _boundary(plan)
    f += _months(months_seen)
    f += _previous_year(sources_seen, plan.years)
    f += _tiers(summary)
    f += _unverified(summary, library)
    f += _no_bounds(summary)
    for _key, fac, year, note in prep.notes:
        if note.startswith("measured:"):
            f.append(
                {
                    "code": "measured_value_unused",
                    "severity": "warning",
                    "facility": fac,
                    "year": year,
                    "detail": note.split(":", 3)[3],
                }
            )
        elif note.startswith("grid:"):
            _, tag, region, y, used_region, used_year = note.split(":")
            f.append(
                {
                    "code": f"grid_{tag}",
                    "severity": "warning",
                    "facility": fac,
                    "year": year,
                    "detail": f"{region} {y} → {used_region} {used_year}",
                }
            )
        else:
            f.append(
                {
                    "code": "not_estimated",
                    "severity": "info",
                    "facility": fac,
                    "year": year,
                    "detail": note,
                }
            )
    f += market_findings
    out = pd.DataFrame(f, columns=FINDING_COLUMNS)
    out["year"] = pd.array(out["year"], dtype="Int64")
    return out.drop_duplicates(subset=["code", "facility", "year", "detail"]).reset_index(drop=True)


def _boundary(plan: Plan) -> list[dict[str, Any]]:
    out = []
    for fac in plan.facilities:
        if not fac.inside(plan.entity.boundary):
            n = int((plan.activity["facility"] == fac.id).sum())
            out.append(
                {
                    "code": "outside_boundary",
                    "severity": "info",
                    "facility": fac.id,
                    "year": None,
                    "detail": f"{n} rows excluded ({plan.entity.boundary.value})",
                }
            )
    return out


def _months(seen: pd.DataFrame) -> list[dict[str, Any]]:
    """Sources reported monthly but not for all twelve months of a year."""
    out = []
    for rec in seen.itertuples(index=False):
        missing = sorted(set(range(1, 13)) - {int(m) for m in rec.months})
        out.append(
            {
                "code": "missing_months",
                "severity": "warning",
                "facility": rec.facility,
                "year": int(rec.year),
                "detail": f"{rec.activity}: months {', '.join(map(str, missing))}",
            }
        )
    return out


def _previous_year(seen: pd.DataFrame, years: tuple[int, ...]) -> list[dict[str, Any]]:
    """Facilities and sources reported the year before but missing this year."""
    out: list[dict[str, Any]] = []
    by_year = {int(y): g for y, g in seen.groupby("year")}
    for y in years:
        prev = y - 1
        if prev not in by_year:
            continue
        now = by_year.get(y, seen.iloc[0:0])
        gone_fac = set(by_year[prev]["facility"]) - set(now["facility"])
        for fac in sorted(gone_fac):
            out.append(
                {
                    "code": "facility_missing",
                    "severity": "warning",
                    "facility": fac,
                    "year": y,
                    "detail": f"reported in {prev}, absent in {y}",
                }
            )
        cols = ["facility", "category", "activity"]
        before = set(map(tuple, by_year[prev][cols].to_numpy()))
        for fac, cat, activity in sorted(before - set(map(tuple, now[cols].to_numpy()))):
            if fac in gone_fac:
                continue
            out.append(
                {
                    "code": "source_missing",
                    "severity": "warning",
                    "facility": fac,
                    "year": y,
                    "detail": f"{cat}/{activity}: reported in {prev}, absent in {y}",
                }
            )
    return out


def _tiers(summary: pd.DataFrame) -> list[dict[str, Any]]:
    s = summary[~summary["biogenic"] & (summary["scope2_basis"] != "market")]
    out = []
    for year, g in s.groupby("year"):
        total = float(g["co2e_t"].sum())
        if total <= 0:
            continue
        shares = g.groupby(g["tier"].fillna(0).astype(int))["co2e_t"].sum() / total * 100
        parts = [f"{'tier ' + str(t) if t else 'no tier'}: {v:.1f} %" for t, v in shares.items()]
        out.append(
            {
                "code": "tiers",
                "severity": "info",
                "facility": "",
                "year": int(year),
                "detail": "; ".join(parts),
            }
        )
    return out


def _unverified(summary: pd.DataFrame, library: Library) -> list[dict[str, Any]]:
    s = summary[summary["status"] == "unverified"]
    out = []
    for (year, aid), g in s.groupby(["year", "activity_id"]):
        ids = sorted({i for x in g["factor_ids"] for i in str(x).split(";") if i})
        flagged = library.used(set(ids))
        flagged = flagged[flagged["status"] == "unverified"]["factor_id"].tolist()
        out.append(
            {
                "code": "unverified_factor",
                "severity": "warning",
                "facility": "",
                "year": int(year),
                "detail": f"{aid}: {g['co2e_t'].sum():,.1f} t CO2e use "
                f"{', '.join(flagged) or ', '.join(ids)}",
            }
        )
    return out


def _no_bounds(summary: pd.DataFrame) -> list[dict[str, Any]]:
    """Sources whose factors publish no bounds: their factor uncertainty counts as zero."""
    s = summary[summary["uf_missing"] & ~summary["biogenic"]]
    out = []
    for year, g in s.groupby("year"):
        names = sorted({f"{a}/{gas}" for a, gas in zip(g["activity_id"], g["gas"], strict=True)})
        out.append(
            {
                "code": "no_factor_bounds",
                "severity": "info",
                "facility": "",
                "year": int(year),
                "detail": ", ".join(names),
            }
        )
    return out
