"""The measures table's optional columns (start year, ramp, group, policy, CCUS) and the carbon
price file: read, and every bad value located."""

from __future__ import annotations

from pathlib import Path

import pytest

from neutra.errors import PlanValidationError
from neutra.io.measures_table import read_carbon_prices, read_measures_table
from neutra.measures.policy import CapexSubsidy, GreenLoan, InvestmentTaxCredit

FULL = """name,capex,opex,annual_savings,lifetime,annual_abatement,start_year,ramp_years,group,subsidy_share,subsidy_amount,tax_credit_share,tax_credit_years,loan_rate,loan_share,loan_years,energy_saved_kwh,energy_price,备注
solar,1000,10,100,20,40,2027,2,pv,0.2,,0.1,3,0.03,0.5,10,,,rooftop
led,100,0,0,5,10,,,,,,,,,,,120,0.5,
"""

CCUS = """name,capex,opex,annual_savings,lifetime,annual_abatement,capture_rate,source_emissions_tco2,penalty_energy_gj_per_t,energy_price_per_gj,penalty_factor_tco2_per_gj,transport_storage_per_t
plant,1e9,2e7,0,25,,0.9,1000000,3,30,0.0561,100
led,100,0,60,5,10,,,,,,
"""


def write(tmp_path: Path, text: str, name: str = "measures.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(exc: pytest.ExceptionInfo[PlanValidationError]) -> set[tuple[int | None, str | None]]:
    return {(p.row, p.field) for p in exc.value.problems}


def test_optional_columns_read(tmp_path: Path) -> None:
    t = read_measures_table(write(tmp_path, FULL))
    solar, led = t.measures
    assert (solar.start_year, solar.ramp_years, solar.group) == (2027, 2, "pv")
    assert (led.start_year, led.ramp_years, led.group) == (None, 0, None)
    assert led.energy_saved_kwh == 120
    assert led.total_savings == pytest.approx(60)  # 120 kWh × 0.5
    assert set(t.policies) == {"solar"}
    pol = t.policies["solar"]
    assert pol.subsidy == CapexSubsidy(share=0.2)
    assert pol.tax_credit == InvestmentTaxCredit(0.1, 3)
    assert pol.green_loan == GreenLoan(0.03, 0.5, 10)


def test_ccus_rows(tmp_path: Path) -> None:
    t = read_measures_table(write(tmp_path, CCUS))
    assert set(t.ccus) == {"plant"}
    plant = t.measures[0]
    # hand: 900 000 captured − 2.7e6 GJ × 0.0561 = 748 530 t avoided
    assert plant.annual_abatement == pytest.approx(748_530)
    # opex includes the penalty energy (81e6) and transport and storage (90e6)
    assert plant.opex == pytest.approx(2e7 + 81e6 + 90e6)
    assert t.measures[1].annual_abatement == 10


def test_ccus_row_problems(tmp_path: Path) -> None:
    text = CCUS.replace(
        "plant,1e9,2e7,0,25,,0.9,1000000,3,30,0.0561,100",
        "plant,1e9,2e7,0,25,5,0.9,,3,30,0.0561,100",
    )
    text = text.replace("led,100,0,60,5,10,,,,,,", "led,100,0,60,5,10,,,4,,,")
    with pytest.raises(PlanValidationError) as exc:
        read_measures_table(write(tmp_path, text))
    assert problems(exc) == {
        (2, "annual_abatement"),  # computed in a CCUS row: must stay empty
        (2, "source_emissions_tco2"),  # needed in a CCUS row
        (3, "penalty_energy_gj_per_t"),  # a CCUS column in a row without a capture_rate
    }


def test_every_bad_value_located(tmp_path: Path) -> None:
    text = """name,capex,opex,annual_savings,lifetime,annual_abatement,start_year,ramp_years,subsidy_share,subsidy_amount,tax_credit_years,loan_rate,loan_years
a,100,0,10,5,1,1800,-1,1.5,,,,
b,100,0,10,5,1,2030,1,0.5,80,,,
c,100,0,10,5,1,2030,1,,,2,0.03,
d,100,0,10,5,1,2030,1,,,,,7
e,100,0,10,5,,2030,1,,,,,
"""
    with pytest.raises(PlanValidationError) as exc:
        read_measures_table(write(tmp_path, text))
    assert problems(exc) == {
        (2, "start_year"),  # before 1900
        (2, "ramp_years"),  # negative
        (2, "subsidy_share"),  # above 1
        (3, "subsidy_amount"),  # 0.5 × 100 + 80 > the capex 100
        (4, "tax_credit_share"),  # tax_credit_years without a share
        (4, "loan_share"),  # loan_rate without loan_share
        (5, "loan_rate"),  # loan_years without a loan
        (5, "loan_years"),  # 7 > the lifetime 5
        (6, "annual_abatement"),  # empty in a row that is not CCUS
    }
    text = str(exc.value)
    assert "row 3" in text
    assert "subsidy ≤ the capex" in text


def test_a_typo_in_a_column_name_is_reported(tmp_path: Path) -> None:
    text = "name,capex,opex,annual_savings,lifetime,annual_abatement,subsidy_shar,note\na,1,0,1,1,1,0.2,x\n"
    with pytest.raises(PlanValidationError) as exc:
        read_measures_table(write(tmp_path, text))
    assert problems(exc) == {(1, "subsidy_shar")}
    assert "'subsidy_share'" in str(exc.value)


def test_chinese_headers(tmp_path: Path) -> None:
    text = (
        "措施,投资,运维成本,年节约,寿命,年减排量,开始年份,补贴比例\n节能灯,100,0,60,5,10,2030,0.1\n"
    )
    t = read_measures_table(write(tmp_path, text))
    assert t.measures[0].start_year == 2030
    assert t.policies["节能灯"].subsidy == CapexSubsidy(share=0.1)


def test_carbon_prices(tmp_path: Path) -> None:
    path = read_carbon_prices(write(tmp_path, "year,price\n2030,100\n2031,110\n", "p.csv"))
    assert path.by_year == ((2030, 100.0), (2031, 110.0))
    bad = "年份,碳价\n2030,100\n2030,x\n1700,-5\n"
    with pytest.raises(PlanValidationError) as exc:
        read_carbon_prices(write(tmp_path, bad, "bad.csv"))
    assert problems(exc) == {(3, "price"), (4, "year"), (4, "price"), (2, "year")}
