"""Regional inventory from a small hand-made energy balance: both approaches, closure, tce."""

from __future__ import annotations

from pathlib import Path

import pytest

from neutra.errors import PlanValidationError
from neutra.inventory.regional import compute_regional
from neutra.io import read_plan
from neutra.services import library_for

PLAN = """
[entity]
name = "Hand-made Region"
level = "region"
base_year = 2022
grid_region = "CN-South"

[settings]
factor_sets = ["cn-mee-grid"]
"""
# A plan's own factors (GB/T 32150-style defaults typed for the test; values are inputs of the
# test, the expectations below are recomputed from them by hand).
FACTORS = """
id,parameter,gas,value,unit,source
raw_coal,ncv,,20.908,GJ/t,test input
raw_coal,carbon_content,,26.37,kg/GJ,test input
raw_coal,oxidation,,0.94,1,test input
coke,ncv,,28.435,GJ/t,test input
coke,carbon_content,,29.5,kg/GJ,test input
coke,oxidation,,0.93,1,test input
raw_coal,ce_coefficient,,0.7143,kgce/kg,test input
coke,ce_coefficient,,0.9714,kgce/kg,test input
electricity,ce_coefficient,,0.1229,kgce/kWh,test input
"""
# 原煤 and 焦炭 in 万吨, 电力 in 亿千瓦时; printed signs; the table closes (see test docstrings).
BALANCE = """项目,原煤,焦炭,电力
单位,万吨,万吨,亿千瓦时
可供本地区消费的能源量,125,5,105
一次能源生产量,100,,10
外省（区、市）调入量,50,5,100
本省（区、市）调出量(−),-20,,-5
库存增(−)、减(+)量,-5,,
加工转换投入(−)产出(+)量,-100,15,25
火力发电,-80,,25
炼焦,-20,15,
损失量,1,,
终端消费量,23,19.5,130
工业,20,19.5,80
其中：用作原料、材料,2,,
批发和零售业、住宿和餐饮业,,,10
居民生活,3,,40
城镇,1,,
乡村,2,,
平衡差额,1,0.5,0
"""
EF_COAL = 1e4 * 20.908 * 26.37 * 0.94 * 44 / 12 / 1000  # t CO2 per 万t raw coal
EF_COKE = 1e4 * 28.435 * 29.5 * 0.93 * 44 / 12 / 1000  # t CO2 per 万t coke


def _plan(tmp_path: Path, balance: str = BALANCE) -> Path:
    (tmp_path / "plan.toml").write_text(PLAN, encoding="utf-8")
    (tmp_path / "factors.csv").write_text(FACTORS.strip() + "\n", encoding="utf-8")
    (tmp_path / "energy_balance_2022.csv").write_text(balance, encoding="utf-8")
    return tmp_path


def _run(folder: Path):  # type: ignore[no-untyped-def]
    plan = read_plan(folder)
    lib, problems = library_for(plan)
    assert lib is not None, problems
    result, problems = compute_regional(plan, lib)
    return result, problems


def test_sectoral_and_reference_approaches(tmp_path: Path) -> None:
    res, problems = _run(_plan(tmp_path))
    assert problems == []
    t = res.totals.iloc[0]
    # Sectoral: power 80 + industry (20 − 2 feedstock) + residential 3 万t coal; industry coke.
    sectoral = (80 + 18 + 3) * EF_COAL + 19.5 * EF_COKE
    assert t["sectoral_co2_t"] == pytest.approx(sectoral, rel=1e-12)
    # Reference: apparent consumption less non-energy use.
    reference = (125 - 2) * EF_COAL + 5 * EF_COKE
    assert t["reference_co2_t"] == pytest.approx(reference, rel=1e-12)
    # The difference is explained exactly: losses 1, statistical difference (1 coal, 0.5 coke),
    # coking (20 万t coal in, 15 万t coke out).
    assert t["difference_losses_t"] == pytest.approx(1 * EF_COAL)
    assert t["difference_statistical_t"] == pytest.approx(1 * EF_COAL + 0.5 * EF_COKE)
    assert t["difference_transformation_t"] == pytest.approx(20 * EF_COAL - 15 * EF_COKE)
    assert t["difference_unexplained_t"] == pytest.approx(0.0, abs=1e-6)
    assert t["non_energy_use_co2_t"] == pytest.approx(2 * EF_COAL)


def test_consumption_based_adds_net_electricity_inflow(tmp_path: Path) -> None:
    res, _ = _run(_plan(tmp_path))
    t = res.totals.iloc[0]
    # Net inflow 100 − 5 = 95 亿kWh at the South-China grid factor 2022, 0.3869 kg/kWh
    # (MEE/NBS, SOURCES.md [R]).
    assert t["electricity_net_inflow_kwh"] == pytest.approx(95e8)
    assert t["electricity_inflow_co2_t"] == pytest.approx(95e8 * 0.3869 / 1000)
    assert t["consumption_based_t"] == pytest.approx(
        t["production_based_t"] + t["electricity_inflow_co2_t"]
    )


def test_standard_coal_by_both_methods(tmp_path: Path) -> None:
    res, _ = _run(_plan(tmp_path))
    e = res.energy.set_index("fuel")
    # GB/T 2589 reference coefficients (SOURCES.md [R]): raw coal 0.7143, coke 0.9714 kgce/kg;
    # electricity 0.1229 kgce/kWh by calorific value.
    assert e.loc["raw_coal", "tce_calorific_value"] == pytest.approx(125e4 * 0.7143)
    assert e.loc["coke", "tce_calorific_value"] == pytest.approx(5e4 * 0.9714)
    assert e.loc["electricity", "tce_calorific_value"] == pytest.approx(105e8 * 0.1229 / 1000)
    mix = res.mix[res.mix["method"] == "calorific_value"].set_index("kind")["share"]
    assert mix.sum() == pytest.approx(1.0)
    assert mix["non_fossil"] == pytest.approx(
        10 / 105 * 105e8 * 0.1229 / 1000 / (125e4 * 0.7143 + 5e4 * 0.9714 + 105e8 * 0.1229 / 1000)
    )


def test_a_table_that_does_not_close_is_located(tmp_path: Path) -> None:
    bad = BALANCE.replace("终端消费量,23,19.5,130", "终端消费量,23,19.5,131")
    res, problems = _run(_plan(tmp_path, bad))
    fields = {(p.field, p.row) for p in problems}
    # 终端消费量 is line 12 of the file (header = 1, units = 2); 平衡差额 is line 19.
    assert ("electricity", 12) in fields
    assert ("electricity", 19) in fields
    assert all(p.file == "energy_balance_2022.csv" for p in problems)
    assert not res.closure["ok"].all()


def test_unknown_fuel_column_and_bad_number(tmp_path: Path) -> None:
    bad = BALANCE.replace("项目,原煤,焦炭,电力", "项目,原煤,焦碳,电力").replace(
        "一次能源生产量,100,,10", "一次能源生产量,1O0,,10"
    )
    with pytest.raises(PlanValidationError) as info:
        read_plan(_plan(tmp_path, bad))
    got = {(p.row, p.field, p.value) for p in info.value.problems}
    assert (1, None, "焦碳") in got
    assert (4, "raw_coal", "1O0") in got


def test_signs_fixed_by_the_layout_are_checked(tmp_path: Path) -> None:
    bad = BALANCE.replace(
        "外省（区、市）调入量,50,5,100", "外省（区、市）调入量,50,-5,100"
    ).replace("本省（区、市）调出量(−),-20,,-5", "本省（区、市）调出量(−),20,,-5")
    with pytest.raises(PlanValidationError) as info:
        read_plan(_plan(tmp_path, bad))
    got = {(p.row, p.field, p.value) for p in info.value.problems}
    assert got == {(5, "coke", "-5"), (6, "raw_coal", "20")}


def test_balance_from_a_workbook_has_cells(tmp_path: Path) -> None:
    import openpyxl

    folder = _plan(tmp_path)
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "entity"
    for k, v in (
        ("name", "Hand-made Region"),
        ("level", "region"),
        ("base_year", 2022),
        ("grid_region", "CN-South"),
    ):
        ws.append([k, v])
    st = wb.create_sheet("settings")
    st.append(["factor_sets", "cn-mee-grid"])
    fs = wb.create_sheet("factors")
    for line in FACTORS.strip().splitlines():
        fs.append(line.split(","))
    eb = wb.create_sheet("energy_balance_2022")
    for line in BALANCE.replace("一次能源生产量,100,,10", "一次能源生产量,abc,,10").splitlines():
        eb.append(
            [
                c if not c.lstrip("-").replace(".", "").isdigit() else float(c)
                for c in line.split(",")
            ]
        )
    path = folder / "region.xlsx"
    wb.save(path)
    with pytest.raises(PlanValidationError) as info:
        read_plan(path)
    (p,) = info.value.problems
    assert (p.file, p.cell, p.field, p.value) == (
        "region.xlsx[energy_balance_2022]",
        "B4",
        "raw_coal",
        "abc",
    )


def test_closure_problem_names_its_own_year_file(tmp_path: Path) -> None:
    folder = _plan(tmp_path)
    (folder / "energy_balance_2023.csv").write_text(
        BALANCE.replace("终端消费量,23,19.5,130", "终端消费量,23,19.5,131"), encoding="utf-8"
    )
    _, problems = _run(folder)
    assert problems
    assert {p.file for p in problems} == {"energy_balance_2023.csv"}
