"""Sectoral decarbonisation approach (Krabbe et al. 2015, Nature Climate Change 5:1057–1060;
SBTi "Sectoral Decarbonization Approach (SDA)" report v1, May 2015):

    d = I_c(b) − I_s(2050);  p(t) = (I_s(t) − I_s(2050)) / (I_s(b) − I_s(2050));
    m(t) = (CA(b)/SA(b)) / (CA(t)/SA(t));  I_c(t) = d × p(t) × m(t) + I_s(2050).

Every sector pathway in this file is SYNTHETIC TEST DATA (round numbers chosen for hand
computation), not a published pathway.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neutra.errors import PlanValidationError
from neutra.targets.sda import (
    SectorPathway,
    parse_sector_pathways,
    sector_pathway,
    sectoral_decarbonisation,
)

# Synthetic test data: intensity t CO2/t product, activity Mt product.
INTENSITY = {2020: 2.0, 2030: 1.2, 2050: 0.2}
ACTIVITY = {2020: 100.0, 2030: 120.0, 2050: 150.0}


def _pathway(verified: bool = True) -> SectorPathway:
    return sector_pathway(
        "cement",
        "t CO2/t cement",
        INTENSITY,
        activity=ACTIVITY,
        source="synthetic test data",
        verified=verified,
    )


def test_against_a_hand_computation() -> None:
    pw = _pathway()
    t = sectoral_decarbonisation(pw, 2020, 30_000.0, 10_000.0, 2030, {2030: 15_000.0})
    # By hand, with the formulas above (Krabbe et al. 2015):
    # I_c(2020) = 30 000 / 10 000 = 3.0; d = 3.0 − 0.2 = 2.8;
    # p(2030) = (1.2 − 0.2) / (2.0 − 0.2) = 0.5556; m(2030) = (10 000/100) / (15 000/120) = 0.8;
    # I_c(2030) = 2.8 × 0.5556 × 0.8 + 0.2 = 1.4444 t/t; E(2030) = 1.4444 × 15 000 = 21 666.7 t.
    row = t.pathway.set_index("year").loc[2030]
    assert t.distance == pytest.approx(2.8)
    assert row["p"] == pytest.approx(1.0 / 1.8)
    assert row["m"] == pytest.approx(0.8)
    assert t.target_intensity == pytest.approx(2.8 / 1.8 * 0.8 + 0.2)
    assert t.target_emissions == pytest.approx(21_666.666667)
    assert t.market_share == "projected"
    assert t.method == "sda-2015"


def test_the_base_year_reproduces_the_company_and_not_the_sector() -> None:
    # With + I_s(2050) (the published formula) the company starts from its own intensity
    # (3.0); a variant adding I_s(t) would give 2.8 + 2.0 = 4.8 in the base year.
    t = sectoral_decarbonisation(_pathway(), 2020, 30_000.0, 10_000.0, 2030)
    first = t.pathway.iloc[0]
    assert first["intensity"] == pytest.approx(3.0)
    assert first["emissions"] == pytest.approx(30_000.0)


def test_constant_market_share_gives_m_equal_to_one() -> None:
    pw = _pathway()
    # The company grows exactly as the sector: 10 000 × 120/100 = 12 000 t in 2030, ×150/100 in 2050.
    grows = {2030: 12_000.0, 2050: 15_000.0}
    t = sectoral_decarbonisation(pw, 2020, 30_000.0, 10_000.0, 2050, grows)
    assert t.pathway["m"].to_numpy() == pytest.approx([1.0, 1.0, 1.0])
    # Without a projection the company keeps its share: the same pathway, m = 1.
    same = sectoral_decarbonisation(pw, 2020, 30_000.0, 10_000.0, 2050)
    assert same.market_share == "constant"
    assert same.pathway["emissions"].to_numpy() == pytest.approx(t.pathway["emissions"].to_numpy())
    # 2030: 2.8 × (1/1.8) × 1 + 0.2 = 1.7556 t/t × 12 000 t = 21 066.7 t.
    assert same.pathway["emissions"].iloc[1] == pytest.approx(21_066.666667)


def test_growing_faster_than_the_sector_asks_for_a_lower_intensity() -> None:
    pw = _pathway()
    keep = sectoral_decarbonisation(pw, 2020, 30_000.0, 10_000.0, 2030)
    gain = sectoral_decarbonisation(pw, 2020, 30_000.0, 10_000.0, 2030, {2030: 15_000.0})
    assert gain.target_intensity < keep.target_intensity


@given(
    base_emissions=st.floats(1.0, 1e9),
    base_activity=st.floats(1.0, 1e7),
    growth=st.lists(st.floats(0.1, 10.0), min_size=2, max_size=2),
)
def test_company_converges_on_the_sector_in_2050(
    base_emissions: float, base_activity: float, growth: list[float]
) -> None:
    pw = _pathway()
    activity = {2030: base_activity * growth[0], 2050: base_activity * growth[1]}
    t = sectoral_decarbonisation(pw, 2020, base_emissions, base_activity, 2050, activity)
    # p(2050) = 0, so I_c(2050) = I_s(2050) = 0.2 whatever the base intensity and share.
    assert t.target_intensity == pytest.approx(0.2, rel=1e-9, abs=1e-12)
    assert t.pathway["intensity"].iloc[0] == pytest.approx(base_emissions / base_activity)


def test_an_unverified_pathway_is_flagged() -> None:
    t = sectoral_decarbonisation(_pathway(verified=False), 2020, 3.0, 1.0, 2030)
    assert not t.verified
    assert any("not verified" in n for n in t.notes)


def test_no_activity_anywhere_gives_the_intensity_only() -> None:
    pw = sector_pathway("steel", "t CO2/t", INTENSITY, source="synthetic", verified=True)
    t = sectoral_decarbonisation(pw, 2020, 30_000.0, 10_000.0, 2030)
    assert t.target_emissions is None
    assert t.target_intensity == pytest.approx(2.8 / 1.8 + 0.2)
    assert t.notes


def test_bad_arguments_are_reported_at_once() -> None:
    pw = sector_pathway("steel", "t CO2/t", INTENSITY, source="synthetic", verified=True)
    with pytest.raises(PlanValidationError) as info:
        sectoral_decarbonisation(pw, 2019, -1.0, 0.0, 2060, {2030: -5.0})
    got = {(p.file, p.field) for p in info.value.problems}
    assert got == {
        ("SDA input", "base_emissions"),
        ("SDA input", "base_activity"),
        ("SDA input", "target_year"),
        ("SDA input", "company_activity"),
        ("pathway", "year"),  # no base-year and no target-year row
        ("pathway", "activity"),  # a projection needs the sector's activity
    }


def test_equal_base_and_2050_sector_intensity_is_refused() -> None:
    pw = sector_pathway(
        "flat", "t/t", {2020: 1.0, 2030: 1.0, 2050: 1.0}, source="synthetic", verified=True
    )
    with pytest.raises(PlanValidationError, match="divides by their difference"):
        sectoral_decarbonisation(pw, 2020, 1.0, 1.0, 2030)


GOOD_CSV = """sector,year,intensity,unit,activity,source,verified
cement,2050,0.2,t CO2/t cement,150,synthetic test data,true
cement,2020,2.0,t CO2/t cement,100,synthetic test data,true
cement,2030,1.2,t CO2/t cement,120,synthetic test data,true
steel,2020,1.8,t CO2/t steel,,synthetic test data,false
steel,2050,0.1,t CO2/t steel,,synthetic test data,false
"""


def test_csv_pathways_are_read_by_sector() -> None:
    pws = parse_sector_pathways(GOOD_CSV, "pathway.csv")
    assert set(pws) == {"cement", "steel"}
    cement = pws["cement"]
    assert cement.years == (2020, 2030, 2050)
    assert cement.intensity == (2.0, 1.2, 0.2)
    assert cement.rows == (3, 4, 2)
    assert cement.verified
    assert pws["steel"].activity is None
    assert not pws["steel"].verified
    t = sectoral_decarbonisation(cement, 2020, 30_000.0, 10_000.0, 2030, {2030: 15_000.0})
    assert t.target_emissions == pytest.approx(21_666.666667)


def test_chinese_headers_in_a_gbk_file(tmp_path: Path) -> None:
    from neutra.io.tables import read_text_file

    text = "部门,年份,排放强度,单位,来源,已核实\n水泥,2020,2.0,tCO2/t,合成测试数据,是\n水泥,2050,0.2,tCO2/t,合成测试数据,否\n"
    path = tmp_path / "路径.csv"
    path.write_bytes(text.encode("gbk"))
    decoded, problem = read_text_file(path, path.name)
    assert problem is None
    assert decoded is not None
    pws = parse_sector_pathways(decoded, path.name)
    assert pws["水泥"].years == (2020, 2050)
    assert not pws["水泥"].verified


def test_a_bad_csv_gets_every_problem_located() -> None:
    text = """sector,year,intensity,unit,activity,source,verified
cement,2020,2.0,t CO2/t,100,x,true
cement,2030,1.2,t CO2/t,,x,true
cement,2030,1.3,kg CO2/t,0,x,true
"""
    with pytest.raises(PlanValidationError) as info:
        parse_sector_pathways(text, "p.csv")
    got = {(p.row, p.field) for p in info.value.problems}
    assert got == {(3, "year"), (3, "activity"), (4, "activity"), (4, "unit")}
    bad_cells = """sector,year,intensity,unit,source,verified,colour
cement,20x0,2.0,t,x,maybe,red
"""
    with pytest.raises(PlanValidationError) as info:
        parse_sector_pathways(bad_cells, "p.csv")
    got = {(p.row, p.field) for p in info.value.problems}
    assert got == {(1, "colour"), (2, "year"), (2, "verified")}


def test_cli_sda(tmp_path: Path) -> None:
    """Krabbe et al. (2015) SDA on the synthetic cement pathway above: d = 3.0 − 0.2 = 2.8,
    p(2030) = (1.2 − 0.2) / (2.0 − 0.2) = 0.5556, m = 1 (the company keeps its share) →
    I(2030) = 2.8 × 0.5556 + 0.2 = 1.7556 t CO2/t; activity grows with the sector's
    (100 → 120) → 210.67 t CO2e."""
    import json

    from typer.testing import CliRunner

    from neutra.cli import app

    path = tmp_path / "pathway.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    args = ["target", "sda", str(path), "--sector", "cement", "--base-year", "2020"]
    args += ["--base-emissions", "300", "--base-activity", "100", "--target-year", "2030"]
    res = CliRunner().invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["schema"] == "neutra.sda/1"
    assert doc["target_intensity"] == pytest.approx(2.8 * 1.0 / 1.8 + 0.2)
    assert doc["target_emissions_t"] == pytest.approx((2.8 * 1.0 / 1.8 + 0.2) * 120)
    bad = CliRunner().invoke(app, [*args[:3], "--sector", "glass", *args[5:], "--json"])
    assert bad.exit_code == 2
    assert "cement" in bad.output
