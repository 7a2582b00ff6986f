"""How the CLI prints an inventory (presentation only; the numbers come from the engine)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from neutra import i18n
from neutra.i18n import Lang
from neutra.inventory.result import TOTAL_COLUMNS, InventoryResult
from neutra.provenance import RunInfo
from neutra.results_json import inventory_json

__all__ = ["inventory_json", "print_inventory"]


def print_inventory(con: Console, result: InventoryResult, info: RunInfo, lang: Lang) -> None:
    """Totals by year, uncertainty and the count of findings."""
    t = Table(title=f"{result.meta.get('entity')} — t CO2e ({result.meta.get('gwp_set')})")
    for c in TOTAL_COLUMNS:
        t.add_column(i18n.t(c, lang), justify="right")
    for rec in result.totals.to_dict("records"):
        t.add_row(*[str(int(rec[c])) if c == "year" else f"{rec[c]:,.0f}" for c in TOTAL_COLUMNS])
    con.print(t)
    u = Table(title=i18n.t("uncertainty", lang))
    for c in ("year", "approach", "total", "lower", "upper"):
        u.add_column(i18n.t(c, lang), justify="right")
    for r in result.uncertainty.to_dict("records"):
        u.add_row(
            str(r["year"]),
            str(r["approach"]),
            f"{r['total_t']:,.0f}",
            f"{r['lower_t']:,.0f} (−{r['u_minus_pct']:.1f} %)",
            f"{r['upper_t']:,.0f} (+{r['u_plus_pct']:.1f} %)",
        )
    con.print(u)
    sev = result.findings["severity"].value_counts().to_dict()
    con.print(f"{i18n.t('quality', lang)}: " + ", ".join(f"{k} {v}" for k, v in sev.items()))
    con.print(
        f"{i18n.t('factor_sets', lang)}: {', '.join(result.meta['factor_sets'])}; "
        f"{i18n.t('co2_convention', lang)}: {result.meta['co2_convention']}; "
        f"{i18n.t('run_id', lang)}: {info.run_id}"
    )


def print_region(con: Console, status: Any, info: RunInfo) -> None:
    """A region's totals by year, peak and drivers."""
    t = status.inventory.totals
    cols = [
        "year",
        "sectoral_co2e_t",
        "reference_co2_t",
        "process_co2_t",
        "production_based_t",
        "consumption_based_t",
        "energy_tce_calorific_value",
    ]
    # Chinese statistical convention: 万t CO2e and 万tce.
    table = Table(title=f"{status.inventory.meta.get('entity')} — 10^4 t CO2e (万t), 万tce")
    heads = {
        "year": "year",
        "sectoral_co2e_t": "sectoral",
        "reference_co2_t": "reference CO2",
        "process_co2_t": "process",
        "production_based_t": "production-based",
        "consumption_based_t": "consumption-based",
        "energy_tce_calorific_value": "energy",
    }
    for c in cols:
        table.add_column(heads[c], justify="right")
    for rec in t.to_dict("records"):
        table.add_row(*[str(int(rec[c])) if c == "year" else _wan(rec[c]) for c in cols])
    con.print(table)
    if status.peak is not None:
        con.print(f"{status.peak.explain('en')}\n{status.peak.explain('zh')}")
    if status.kaya is not None:
        k = Table(title=f"Kaya LMDI-I {status.kaya.y0}→{status.kaya.yt}, t CO2e")
        for c in ("factor", "additive", "multiplicative"):
            k.add_column(c, justify="right")
        for e in status.kaya.effects:
            mult = "" if e.multiplicative is None else f"{e.multiplicative:.4f}"
            k.add_row(e.factor, f"{e.additive:,.0f}", mult)
        con.print(k)
    con.print(f"run {info.run_id}")


def _wan(v: float) -> str:
    """A value in 万 (10⁴) with one decimal; a dash where it could not be computed."""
    return "—" if v != v else f"{v / 1e4:,.1f}"


def print_simulation(con: Console, result: Any, info: RunInfo, lang: Lang, mc: Any = None) -> None:
    """Each scenario's peak and neutrality year, then net emissions in milestone years with the
    scenarios side by side (万t CO2e), and Monte Carlo percentiles when asked for."""
    t = Table(title=f"{i18n.t('sim_title', lang)} ({result.gwp_set})")
    for c in ("scenario", "peak_year", "peak_value", "neutrality_year", "with_trade"):
        t.add_column(i18n.t(c, lang), justify="left" if c == "scenario" else "right")

    def year(v: Any) -> str:
        return "—" if v is None or v != v else str(int(v))

    for rec in result.summary.to_dict("records"):
        t.add_row(
            str(rec["scenario"]),
            f"{rec['peak_year']} ({rec['peak_status']})",
            f"{rec['peak_value']:,.0f}",
            year(rec["neutrality_year"]),
            year(rec["neutrality_year_with_trade"]),
        )
    con.print(t)
    milestones = [
        y for y in (result.years[0], 2025, 2030, 2035, 2040, 2050, 2060) if y in result.years
    ]
    net = result.totals.pivot_table(index="year", columns="scenario", values="net", sort=False)
    n = Table(title=f"{i18n.t('net', lang)}, 万t CO2e")
    n.add_column(i18n.t("year", lang), justify="right")
    for sid in result.scenarios:
        n.add_column(str(sid), justify="right")
    for y in milestones:
        n.add_row(str(y), *[f"{net.loc[y, s] / 1e4:,.1f}" for s in result.scenarios])
    con.print(n)
    if mc is not None:
        m = Table(title="Monte Carlo — net, 万t CO2e (p5 / p50 / p95)")
        for c in ("scenario", "year", "p5", "p50", "p95"):
            m.add_column(c, justify="right")
        for rec in mc[mc["year"].isin(milestones)].to_dict("records"):
            m.add_row(
                str(rec["scenario"]),
                str(rec["year"]),
                *[f"{rec[k] / 1e4:,.1f}" for k in ("net_p05", "net_p50", "net_p95")],
            )
        con.print(m)
    if result.calibration:
        c = result.calibration
        con.print(
            f"Current Accounts {c['year']}: {c['simulated_t']:,.0f} t CO2e; {c['source']} "
            f"({c['measure']}): {c['inventory_t']:,.0f} t CO2e ({c['difference_pct']:+.2f} %)",
            markup=False,
        )
    for note in result.notes:
        con.print(f"note: {note}", markup=False)
    con.print(f"{i18n.t('run_id', lang)}: {info.run_id}")
