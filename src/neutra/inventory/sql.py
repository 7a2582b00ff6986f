"""SQL fragments over the activity rows (registered in DuckDB as ``act``)."""

from __future__ import annotations

import duckdb

# Default activity-data uncertainty (± %, 95 %) by tier when a row gives none: the tier bands of
# the EU MRR (Commission Implementing Regulation (EU) 2018/2066, Annex II: ±7.5/5/2.5 %), used as
# a stated assumption; a row's uncertainty_pct always wins.
TIER_UNCERTAINTY_PCT = {1: 7.5, 2: 5.0, 3: 2.5}
KEY = ["category", "activity", "unit", "facility", "year"]


def columns(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Optional activity columns as SQL expressions (``NULL`` where the plan has none)."""
    have = {c[0] for c in con.execute("DESCRIBE act").fetchall()}
    names = ("ncv", "ncv_unit", "carbon_content", "oxidation", "tier", "uncertainty_pct", "month")
    return {c: f"a.{c}" if c in have else "NULL" for c in names}


def tier_u_sql(tier: str) -> str:
    """Default relative activity uncertainty (fraction) of an integer tier expression."""
    cases = " ".join(f"WHEN {k} THEN {v / 100}" for k, v in TIER_UNCERTAINTY_PCT.items())
    return f"(CASE {tier} {cases} ELSE {TIER_UNCERTAINTY_PCT[1] / 100} END)"


def u_activity(col: dict[str, str]) -> str:
    """Relative activity uncertainty of a row: its own ``uncertainty_pct``, else its tier's."""
    tier = f"CAST({col['tier']} AS INTEGER)"
    return f"COALESCE({col['uncertainty_pct']} / 100.0, {tier_u_sql(tier)})"


def overrides(col: dict[str, str]) -> str:
    """SQL condition: the row carries a measured NCV, carbon content or oxidation."""
    parts = [
        f"{col[c]} IS NOT NULL" for c in ("ncv", "carbon_content", "oxidation") if col[c] != "NULL"
    ]
    return " OR ".join(parts) if parts else "FALSE"
