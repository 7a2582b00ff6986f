"""LMDI-I against a published worked example: Xu & Ang (2014), Tables 1–4.

Source
------
X.Y. Xu and B.W. Ang (2014), "Multilevel index decomposition analysis: Approaches and application",
Energy Economics 44:375–382, doi:10.1016/j.eneco.2014.05.002 — section 5 "Illustrative examples"
(Example 1: symmetric hierarchy; Example 2: asymmetric hierarchy) and the tables on p. 28 of the
accepted manuscript (PII S0140-9883(14)00109-1). The data of Table 1 are, as the paper says, "taken
from an example in Ang (1995)" (B.W. Ang, "Multilevel decomposition of industrial energy
consumption", Energy Economics 17:39–51).

Where we read it: the accepted-manuscript PDF that was committed to the public GitHub repository
xiwangxiang/PyLMDI as documentation/xu2014.pdf (commit 1ebd23024cc6207549d0c7b9f4ac57f29bb27648,
https://github.com/xiwangxiang/PyLMDI; the file was deleted in a later commit). Every number below
marked "Table n" was copied from that text; nothing was computed and then called published.

What is checked
---------------
The paper gives only multiplicative LMDI-I results (Dₖ, 4 decimals, Dtot = 1.28), so the factors
are compared with a tolerance of half a unit in the 4th decimal. The additive effects are not
published there; for them only the exact closure to Eᵀ − E⁰ = 64 − 50 (Table 1 totals) is checked.

* Table 2: single-level decomposition E = Σᵢ A · Sᵢ · Iᵢ at level 1 (2 sectors) and at level 2
  (4 subsectors).
* Table 3, row "M-P decomposition": the multilevel-parallel model (paper eqs. 5–6),
  E = Σᵢ Σⱼ A · Sᵢ · Sᵢⱼ · Iᵢⱼ, which is a single-level LMDI-I over the subsectors with four factors —
  exactly what :func:`neutra.analysis.lmdi.decompose` does.
* Table 4, row "M-P decomposition": the same with Sector 2 not disaggregated (Example 2; "the same
  as that shown in Table 1 except that the last two rows are removed").

The "M-H decomposition" rows (the stepwise multilevel-hierarchical model, paper eqs. 13–17) are not
something ``decompose`` computes, so they are not tested here.

Inputs
------
Table 1 prints E, A, S (activity share) and I (intensity = E/A). The factors are built from the
printed E and A (S = Aᵢ / A, I = E / Aᵢ, the definitions of the paper's eq. 1), because the printed
S and I are rounded: subsector 2 in year T has E = 10, A = 8, so I = 1.25, printed "1.3" (and
80 · 0.1 · 1.3 = 10.4 ≠ 10). ``test_table_1_is_transcribed_consistently`` checks that the derived
S and I agree with the printed columns to their printed precision, and that the bracketed sector
totals and the level-0 totals add up.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import pandas as pd
import pytest

from neutra.analysis import lmdi

# The paper's "year 0" and "year T".
Y0 = 0
YT = 1


class Cell(NamedTuple):
    """One year of a Table 1 row: energy E, activity A, activity share S, energy intensity I."""

    e: float
    a: float
    s: float
    i: float


class Row(NamedTuple):
    """A row of Table 1: sector, subsector, year 0, year T."""

    sector: str
    name: str
    y0: Cell
    yt: Cell


# Table 1. "Multilevel decomposition: an illustrative example (arbitrary units)."
# Xu & Ang (2014), Energy Economics 44:375–382, accepted manuscript p. 28 (data from Ang 1995).
#                                       year 0: E0  A0  S0   I0      year T: ET  AT  ST     IT
TABLE_1_SUBSECTORS = (
    Row("Sector 1", "Subsector 1", Cell(20, 5, 0.1, 4.0), Cell(30, 12, 0.15, 2.5)),
    Row("Sector 1", "Subsector 2", Cell(10, 5, 0.1, 2.0), Cell(10, 8, 0.1, 1.3)),
    Row("Sector 2", "Subsector 3", Cell(8, 10, 0.2, 0.8), Cell(15, 30, 0.375, 0.5)),
    Row("Sector 2", "Subsector 4", Cell(12, 30, 0.6, 0.4), Cell(9, 30, 0.375, 0.3)),
)
# Table 1, the bracketed sector totals (level 1).
TABLE_1_SECTORS = (
    Row("Sector 1", "Sector 1", Cell(30, 10, 0.2, 3.0), Cell(40, 20, 0.25, 2.0)),
    Row("Sector 2", "Sector 2", Cell(20, 40, 0.8, 0.5), Cell(24, 60, 0.75, 0.4)),
)
# Table 1, row "Total" (level 0).
TABLE_1_TOTAL = Row("Total", "Total", Cell(50, 50, 1.0, 1.0), Cell(64, 80, 1.0, 0.8))

# Tables 2–4 state Dtot = 1.28 (= 64 / 50).
D_TOT = 1.28

# Table 2. "Single level LMDI-I decomposition results: symmetric hierarchy and Dtot = 1.28"
#                                               D_act   D_str   D_int
TABLE_2_LEVEL_1 = {"activity": 1.5998, "structure": 1.1183, "intensity": 0.7154}
TABLE_2_LEVEL_2 = {"activity": 1.5936, "structure": 1.2378, "intensity": 0.6489}

# Table 3. "Multiplicative LMDI-I decomposition results: symmetric hierarchy and Dtot = 1.28",
# row "M-P decomposition": D_act^L0, D_str^(0,1), D_str^(1,2), D_int^L2.
TABLE_3_MP = {
    "activity": 1.5936,
    "sector_share": 1.1183,
    "subsector_share": 1.1068,
    "intensity": 0.6489,
}

# Table 4. "Multiplicative LMDI-I decomposition results: asymmetric hierarchy and Dtot = 1.28",
# row "M-P decomposition": D_act^L0, D_str^(0,1), D_str^(1,2), D_int^L2.
TABLE_4_MP = {
    "activity": 1.5985,
    "sector_share": 1.1179,
    "subsector_share": 1.0407,
    "intensity": 0.6883,
}

# The tables print 4 decimals: the published value is the exact one rounded, so within half a unit
# of the last printed digit (plus a hair for binary floating point).
PRINTED_4DP = 0.5e-4 + 1e-12
# Table 1 prints S to at most 3 decimals (2 for the sector rows) and I to 1 decimal.
PRINTED_3DP = 0.5e-3 + 1e-12
PRINTED_2DP = 0.5e-2 + 1e-12
PRINTED_1DP = 0.5e-1 + 1e-12  # e.g. subsector 2, year T: I = 10 / 8 = 1.25, printed 1.3

THREE = ("activity", "structure", "intensity")
FOUR = ("activity", "sector_share", "subsector_share", "intensity")


def _cells(row: Row) -> tuple[tuple[int, Cell], ...]:
    return ((Y0, row.y0), (YT, row.yt))


def single_level_frame(rows: tuple[Row, ...], by: str) -> pd.DataFrame:
    """E = Σ A · Sₖ · Iₖ over ``rows``, with A = ΣAₖ, Sₖ = Aₖ / A and Iₖ = Eₖ / Aₖ taken from the
    printed E and A."""
    records = []
    for year in (Y0, YT):
        cells = [(row, cell) for row in rows for y, cell in _cells(row) if y == year]
        total_a = math.fsum(cell.a for _, cell in cells)
        for row, cell in cells:
            records.append(
                {
                    "year": year,
                    by: row.name,
                    "activity": total_a,
                    "structure": cell.a / total_a,
                    "intensity": cell.e / cell.a,
                }
            )
    return pd.DataFrame(records)


def multilevel_parallel_frame(rows: tuple[Row, ...]) -> pd.DataFrame:
    """The M-P identity (paper eq. 5): E = Σᵢ Σⱼ A · Sᵢ · Sᵢⱼ · Iᵢⱼ, with Sᵢ = Aᵢ / A the sector
    share and Sᵢⱼ = Aᵢⱼ / Aᵢ the subsector's share within its sector."""
    records = []
    for year in (Y0, YT):
        cells = [(row, cell) for row in rows for y, cell in _cells(row) if y == year]
        total_a = math.fsum(cell.a for _, cell in cells)
        sector_a: dict[str, float] = {}
        for row, cell in cells:
            sector_a[row.sector] = sector_a.get(row.sector, 0.0) + cell.a
        for row, cell in cells:
            records.append(
                {
                    "year": year,
                    "sector": row.sector,
                    "subsector": row.name,
                    "activity": total_a,
                    "sector_share": sector_a[row.sector] / total_a,
                    "subsector_share": cell.a / sector_a[row.sector],
                    "intensity": cell.e / cell.a,
                }
            )
    return pd.DataFrame(records)


def assert_published(result: lmdi.Decomposition, published: dict[str, float]) -> None:
    assert result.factors == tuple(published)
    for factor, expected in published.items():
        got = result.effect(factor).multiplicative
        assert got is not None
        assert got == pytest.approx(expected, abs=PRINTED_4DP), factor
    # Tables 2–4: Dtot = 1.28, and Table 1 totals E⁰ = 50, Eᵀ = 64.
    assert result.v0 == pytest.approx(TABLE_1_TOTAL.y0.e, rel=1e-12)
    assert result.vt == pytest.approx(TABLE_1_TOTAL.yt.e, rel=1e-12)
    assert result.ratio == pytest.approx(D_TOT, rel=1e-12)
    product = math.prod(e.multiplicative for e in result.effects if e.multiplicative is not None)
    assert product == pytest.approx(D_TOT, rel=1e-12)
    # Not published: only the exact additive closure ΔE = 64 − 50 is checked.
    total = math.fsum(e.additive for e in result.effects)
    assert total == pytest.approx(TABLE_1_TOTAL.yt.e - TABLE_1_TOTAL.y0.e, rel=1e-12)


def test_table_1_is_transcribed_consistently() -> None:
    """The printed S and I agree with S = A / ΣA and I = E / A to their printed digits; the bracketed
    sector totals and the level-0 total are the sums of the rows below them."""
    for level, rows, s_tol in (
        (2, TABLE_1_SUBSECTORS, PRINTED_3DP),
        (1, TABLE_1_SECTORS, PRINTED_2DP),
    ):
        for year in (Y0, YT):
            cells = [cell for row in rows for y, cell in _cells(row) if y == year]
            total = TABLE_1_TOTAL.y0 if year == Y0 else TABLE_1_TOTAL.yt
            assert math.fsum(c.e for c in cells) == total.e, (level, year)
            assert math.fsum(c.a for c in cells) == total.a, (level, year)
            assert total.e / total.a == pytest.approx(total.i, abs=PRINTED_1DP)
            for c in cells:
                assert c.a / total.a == pytest.approx(c.s, abs=s_tol), (level, year, c)
                assert c.e / c.a == pytest.approx(c.i, abs=PRINTED_1DP), (level, year, c)
    for sector in TABLE_1_SECTORS:
        subs = [row for row in TABLE_1_SUBSECTORS if row.sector == sector.sector]
        for whole, parts in ((sector.y0, [r.y0 for r in subs]), (sector.yt, [r.yt for r in subs])):
            assert math.fsum(c.e for c in parts) == whole.e, sector
            assert math.fsum(c.a for c in parts) == whole.a, sector


def test_single_level_decomposition_at_level_1_table_2() -> None:
    result = lmdi.decompose(
        single_level_frame(TABLE_1_SECTORS, "sector"), THREE, Y0, YT, by="sector"
    )
    assert_published(result, TABLE_2_LEVEL_1)


def test_single_level_decomposition_at_level_2_table_2() -> None:
    frame = single_level_frame(TABLE_1_SUBSECTORS, "subsector")
    result = lmdi.decompose(frame, THREE, Y0, YT, by="subsector")
    assert_published(result, TABLE_2_LEVEL_2)


def test_multilevel_parallel_symmetric_hierarchy_table_3() -> None:
    frame = multilevel_parallel_frame(TABLE_1_SUBSECTORS)
    result = lmdi.decompose(frame, FOUR, Y0, YT, by=["sector", "subsector"])
    assert_published(result, TABLE_3_MP)
    # Paper, section 5.1: the M-P activity and intensity effects equal those of the single-level
    # model at level 2, and the two structure effects multiply to its structure effect.
    level_2_frame = single_level_frame(TABLE_1_SUBSECTORS, "subsector")
    level_2 = lmdi.decompose(level_2_frame, THREE, Y0, YT, by="subsector")
    for factor in ("activity", "intensity"):
        assert result.effect(factor).multiplicative == pytest.approx(
            level_2.effect(factor).multiplicative, rel=1e-12
        )
    s1 = result.effect("sector_share").multiplicative
    s2 = result.effect("subsector_share").multiplicative
    assert s1 is not None
    assert s2 is not None
    assert s1 * s2 == pytest.approx(level_2.effect("structure").multiplicative, rel=1e-12)


def test_multilevel_parallel_asymmetric_hierarchy_table_4() -> None:
    # Example 2 (section 5.2): Sector 2 is a single aggregate — Table 1 without its last two rows,
    # i.e. Sector 2 enters with its bracketed totals and a within-sector share of 1 in both years.
    asymmetric = (*TABLE_1_SUBSECTORS[:2], TABLE_1_SECTORS[1])
    frame = multilevel_parallel_frame(asymmetric)
    result = lmdi.decompose(frame, FOUR, Y0, YT, by=["sector", "subsector"])
    assert_published(result, TABLE_4_MP)
