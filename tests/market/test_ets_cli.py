"""``neutra ets`` through typer's CliRunner: text (中文/English), the JSON schema, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from neutra.cli import app

runner = CliRunner(env={"COLUMNS": "250"})

# Coal unit above 300 MW, 2019-2020 benchmarks 0.877 t/MWh and 0.126 t/GJ [R]; correction
# given as 1.0 so no unverified factor is used: A = 0.877 × 1 000 000 + 0.126 × 100 000
# = 889 600 t a year. 2019: due 900 000 → 10 400 short; 40 000 CCER held, 5 % cap = 45 000,
# so 10 400 offset, nothing bought. 2020: due 850 000 → 39 600 long, banked.
GOOD = """entity,year,verified_emissions_t,unit_type,electricity_supplied_mwh,heat_supplied_gj,correction,offsets_t
Plant,2019,900000,coal_above_300mw,1000000,100000,1.0,40000
Plant,2020,850000,coal_above_300mw,1000000,100000,1.0,0
"""


def write(tmp_path: Path, text: str, name: str = "units.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def invoke(*args: str) -> Result:
    return runner.invoke(app, ["ets", *args])


def test_json_schema_and_figures(tmp_path: Path) -> None:
    res = invoke(str(write(tmp_path, GOOD)), "--template", "cn-power", "--price", "60", "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["schema"] == "neutra.ets/1"
    assert doc["template"]["name"] == "cn-power"
    assert doc["banking"] is True
    years = doc["entities"][0]["years"]
    assert [y["free_t"] for y in years] == pytest.approx([889_600.0, 889_600.0])
    assert years[0]["offsets_used_t"] == pytest.approx(10_400.0)
    assert years[0]["bought_t"] == pytest.approx(0.0)
    assert years[1]["banked_out_t"] == pytest.approx(39_600.0)
    assert doc["totals"]["bank_end_t"] == pytest.approx(39_600.0)
    assert doc["unverified"] == []  # the row gave its own correction factor
    statuses = {p["status"] for p in doc["parameters"]}
    assert statuses == {"reported"}
    assert all(p["source"] for p in doc["parameters"])


def test_price_file_no_banking_and_chinese_text(tmp_path: Path) -> None:
    prices = write(tmp_path, "year,price\n2019,50\n2020,40\n", "prices.csv")
    res = invoke(
        str(write(tmp_path, GOOD)), "--price-file", str(prices), "--no-banking", "--lang", "zh"
    )
    assert res.exit_code == 0, res.output
    assert "合计" in res.output
    assert "不允许" in res.output
    assert "prices.csv" in res.output
    # 2020: 39 600 sold at 40 = revenue 1 584 000 → net cost −1 584 000.
    assert "-1,584,000" in res.output


def test_eu_template_text(tmp_path: Path) -> None:
    table = "entity,year,verified_emissions_t,free_allocation_t\nWorks,2024,900,500\n"
    res = invoke(str(write(tmp_path, table)), "--template", "eu-ets", "--price", "70")
    assert res.exit_code == 0, res.output
    assert "1,386,051,746" in res.output  # the 2024 cap (published 1 386 051 745, rounding)
    assert "28,000" in res.output  # 400 bought at 70


def test_bad_table_gives_located_problems(tmp_path: Path) -> None:
    bad = "entity,year,verified_emissions_t,unit_type,electricity_supplied_mwh\nP,2019,10,wind,5\n"
    res = invoke(str(write(tmp_path, bad)), "--json")
    assert res.exit_code == 2
    doc = json.loads(res.output)
    assert doc["schema"] == "neutra.error/1"
    assert {(p["row"], p["field"]) for p in doc["problems"]} == {(2, "unit_type")}
    res = invoke(str(write(tmp_path, GOOD)), "--template", "jp-gx")
    assert res.exit_code == 1
    assert "cn-power, cn-industry, eu-ets, uk-ets" in res.output
    prices = write(tmp_path, "year,price\n2019,50\n", "p.csv")  # 2020 missing
    res = invoke(str(write(tmp_path, GOOD)), "--price-file", str(prices), "--json")
    assert res.exit_code == 2
    problem = json.loads(res.output)["problems"][0]
    assert (problem["file"], problem["field"], problem["value"]) == ("p.csv", "year", "2020")
    res = invoke(str(write(tmp_path, GOOD)), "--price", "1", "--price-file", str(prices))
    assert res.exit_code == 2
    assert "not both" in res.output
