"""``neutra macc`` through typer's CliRunner: text output, the JSON schema, bad tables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from neutra.cli import app

runner = CliRunner(env={"COLUMNS": "240"})

# At 8 %: CRF(20) = 0.1018522, CRF(5) = 0.2504565, CRF(25) = 0.0936788 (r(1+r)^n/((1+r)^n − 1)).
# LCOA: led (25.04565 − 60)/10 = −3.495435; solar (101.8522 + 10 − 100)/40 = 0.296305;
# ccs (468.394 + 200)/20 = 33.41970. Curve: led 0→10, solar 10→50, ccs 50→70.
GOOD = """name,capex,opex,annual_savings,lifetime,annual_abatement,note
solar,1000,10,100,20,40,rooftop
led,100,0,60,5,10,
ccs,5000,200,0,25,20,
"""

# Row 2: negative capex; row 3: lifetime 0 — both reported at once.
BAD = """name,capex,opex,annual_savings,lifetime,annual_abatement
solar,-1000,10,100,20,40
led,100,0,60,0,10
"""


def write(tmp_path: Path, text: str, name: str = "measures.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def invoke(*args: str) -> Result:
    return runner.invoke(app, ["macc", *args])


def test_text_is_sorted_by_lcoa_with_cumulative_abatement(tmp_path: Path) -> None:
    res = invoke(str(write(tmp_path, GOOD)), "--year", "2030")
    assert res.exit_code == 0, res.output
    out = res.output
    assert "8.00%" in out
    assert "2030" in out
    assert out.index("led") < out.index("solar") < out.index("ccs")
    for text in ("-3.50", "0.30", "33.42", "70"):
        assert text in out


def test_json_schema(tmp_path: Path) -> None:
    res = invoke(str(write(tmp_path, GOOD)), "--rate", "0.08", "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["schema"] == "neutra.macc/1"
    assert doc["rate"] == 0.08
    assert doc["year"] is None
    assert [m["name"] for m in doc["measures"]] == ["led", "solar", "ccs"]
    keys = {"name", "lcoa", "npv", "irr", "payback", "crf", "annual_abatement", "x0", "x1"}
    assert keys <= set(doc["measures"][0])
    lcoa = [m["lcoa"] for m in doc["measures"]]
    assert lcoa == pytest.approx([-3.495435, 0.296305, 33.41970], abs=1e-5)
    assert [(m["x0"], m["x1"]) for m in doc["measures"]] == [(0, 10), (10, 50), (50, 70)]
    assert doc["measures"][2]["irr"] is None  # ccs: no savings, cash flows never turn positive
    assert doc["measures"][2]["payback"] is None
    assert doc["total_abatement"] == 70


def test_rate_changes_the_result_and_defaults_to_8_percent(tmp_path: Path) -> None:
    path = str(write(tmp_path, GOOD))
    default = json.loads(invoke(path, "--json").output)
    zero = json.loads(invoke(path, "--rate", "0", "--json").output)
    assert default["rate"] == 0.08
    assert zero["measures"][0]["crf"] == pytest.approx(1 / 5)  # led, lifetime 5: CRF(0, 5) = 1/5
    help_text = runner.invoke(app, ["macc", "--help"]).output
    assert "default 0.08" in help_text


def test_gbk_file_with_chinese_headers(tmp_path: Path) -> None:
    text = "措施,投资,运维成本,年节约,寿命,年减排量\n节能灯,100,0,60,5,10\n"
    res = invoke(str(write(tmp_path, text, encoding="gbk")), "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["measures"][0]["name"] == "节能灯"


def test_bad_file_reports_every_problem_with_rows(tmp_path: Path) -> None:
    res = invoke(str(write(tmp_path, BAD)), "--json")
    assert res.exit_code == 2
    doc = json.loads(res.output)
    assert doc["schema"] == "neutra.error/1"
    found = {(p["row"], p["field"], p["value"]) for p in doc["problems"]}
    assert found == {(2, "capex", "-1000"), (3, "lifetime", "0")}
    text = invoke(str(write(tmp_path, BAD))).output
    assert "2 problems" in text
    assert "row 2" in text
    assert "row 3" in text


def test_missing_column_and_duplicate_name(tmp_path: Path) -> None:
    text = "name,capex,opex,annual_savings,lifetime\na,1,0,1,1\na,1,0,1,1\n"
    doc = json.loads(invoke(str(write(tmp_path, text)), "--json").output)
    fields = {(p["field"], tuple(p["rows"])) for p in doc["problems"]}
    assert ("annual_abatement", ()) in fields
    assert ("name", (2, 3)) in fields


def test_bad_rate_and_missing_file(tmp_path: Path) -> None:
    res = invoke(str(write(tmp_path, GOOD)), "--rate", "8")
    assert res.exit_code == 1
    assert "fraction" in res.output
    res = invoke(str(tmp_path / "nope.csv"))
    assert res.exit_code == 1
    assert "no such file" in res.output


def test_social_rate(tmp_path: Path) -> None:
    doc = json.loads(invoke(str(write(tmp_path, GOOD)), "--social-rate", "0.04", "--json").output)
    assert doc["social_rate"] == 0.04
    led = doc["measures"][0]
    # hand: 1.04^5 = 1.2166529; CRF(4 %, 5) = 0.04 × 1.2166529 / 0.2166529 = 0.2246271;
    # LCOA = (22.46271 − 60)/10 = −3.753729 per t
    assert led["social"]["crf"] == pytest.approx(0.2246271, abs=1e-7)
    assert led["social"]["lcoa"] == pytest.approx(-3.753729, abs=1e-6)
    assert led["lcoa"] == pytest.approx(-3.495435, abs=1e-6)  # the private rate's, unchanged
    assert led["policy"] is None
    default = json.loads(invoke(str(write(tmp_path, GOOD)), "--json").output)
    assert default["social_rate"] is None
    assert default["measures"][0]["social"] is None


def test_carbon_price_and_subsidy(tmp_path: Path) -> None:
    path = str(write(tmp_path, GOOD))
    doc = json.loads(invoke(path, "--carbon-price", "50", "--subsidy", "0.5", "--json").output)
    assert doc["policy"] == {
        "subsidy": {"share": 0.5, "amount": 0.0, "cap": None},
        "carbon_price": {"flat": 50.0},
    }
    ccs = doc["measures"][2]
    # hand: subsidy 0.5 × 5000 = 2500; carbon revenue 50 × 20 t × P/A(8 %, 25) = 1000 /
    # 0.0936788 = 10 674.776
    assert ccs["policy"]["present_values"]["subsidy"] == pytest.approx(2500.0)
    assert ccs["policy"]["present_values"]["carbon_revenue"] == pytest.approx(10674.776, abs=1e-3)
    assert ccs["policy"]["change"]["npv"] == pytest.approx(2500 + 10674.776, abs=1e-3)
    # the LCOA falls by the price (50) and by the levelised subsidy 2500 / (20 × 10.674776)
    assert ccs["policy"]["change"]["lcoa"] == pytest.approx(-50 - 2500 / 213.49552, abs=1e-4)
    assert ccs["npv"] < 0 < ccs["policy"]["private"]["npv"]
    text = invoke(path, "--carbon-price", "50", "--social-rate", "0.04").output
    assert "NPV with policy" in text
    assert "social 4.00%" in text


def test_carbon_price_file(tmp_path: Path) -> None:
    table = (
        "name,capex,opex,annual_savings,lifetime,annual_abatement,start_year\nx,0,0,0,2,10,2030\n"
    )
    prices = write(tmp_path, "year,price\n2030,100\n2031,200\n", "prices.csv")
    doc = json.loads(
        invoke(
            str(write(tmp_path, table)), "--carbon-price-file", str(prices), "--rate", "0", "--json"
        ).output
    )
    # hand, at 0 %: 10 t × 100 + 10 t × 200 = 3000
    assert doc["measures"][0]["policy"]["private"]["npv"] == pytest.approx(3000.0)
    assert doc["policy"]["carbon_price"] == {"by_year": {"2030": 100.0, "2031": 200.0}}
    res = invoke(
        str(write(tmp_path, table)), "--carbon-price-file", str(prices), "--carbon-price", "5"
    )
    assert res.exit_code == 1
    assert "not both" in res.output
    short = write(tmp_path, "year,price\n2030,100\n", "short.csv")
    res = invoke(str(write(tmp_path, table)), "--carbon-price-file", str(short), "--json")
    assert res.exit_code == 1
    assert "2031" in json.loads(res.output)["message"]


def test_gap_portfolio(tmp_path: Path) -> None:
    path = str(write(tmp_path, GOOD))
    doc = json.loads(invoke(path, "--gap", "50", "--json").output)
    pf = doc["portfolio"]
    assert sorted(pf["chosen"]) == ["led", "solar"]
    # hand: equivalent annual cost = LCOA × abatement: −3.495435 × 10 + 0.296305 × 40 = −23.10215
    assert pf["cost"] == pytest.approx(-23.10215, abs=1e-4)
    assert pf["abatement_tco2e"] == pytest.approx(50)
    text = invoke(path, "--gap", "55").output
    assert "ccs" in text.split("最低成本措施组合")[1]
    res = invoke(path, "--gap", "71", "--json")
    assert res.exit_code == 1
    message = json.loads(res.output)["message"]
    assert "gap 71" in message
    assert "at most 70" in message


def test_baseline_interactions(tmp_path: Path) -> None:
    path = str(write(tmp_path, GOOD))
    doc = json.loads(invoke(path, "--baseline", "100", "--json").output)
    inter = doc["interactions"]
    # hand: led 10 % of 100 = 10; solar 40 % of 90 = 36; ccs 20 % of 54 = 10.8 → 56.8 < 70
    assert [o["interacting_abatement"] for o in inter["order"]] == pytest.approx([10, 36, 10.8])
    assert inter["total"] == pytest.approx(56.8)
    assert inter["naive_total"] == 70
    assert "naive sum 70" in invoke(path, "--baseline", "100").output


def test_table_policy_columns_and_bad_cells(tmp_path: Path) -> None:
    table = GOOD.replace("note\n", "note,subsidy_share\n").replace("rooftop\n", "rooftop,0.3\n")
    doc = json.loads(invoke(str(write(tmp_path, table)), "--subsidy", "0.1", "--json").output)
    by_name = {m["name"]: m for m in doc["measures"]}
    # the table's 30 % replaces the common 10 % for solar: 0.3 × 1000 = 300
    assert by_name["solar"]["policy"]["present_values"]["subsidy"] == pytest.approx(300)
    assert by_name["solar"]["policy"]["instruments"]["subsidy"]["share"] == 0.3
    assert by_name["led"]["policy"]["present_values"]["subsidy"] == pytest.approx(10)
    bad = GOOD.replace("note\n", "note,loan_rate,ramp_years\n").replace(
        "rooftop\n", "rooftop,0.03,x\n"
    )
    res = invoke(str(write(tmp_path, bad)), "--json")
    assert res.exit_code == 2
    found = {(p["row"], p["field"]) for p in json.loads(res.output)["problems"]}
    assert found == {(2, "loan_share"), (2, "ramp_years")}


def test_two_headers_naming_one_column_are_a_located_problem(tmp_path: Path) -> None:
    """情景 is an alias of scenario: both in one header used to crash the reader."""
    text = GOOD.replace("name,", "name,情景,scenario,", 1).replace("\nsolar,", "\nsolar,a,b,", 1)
    res = invoke(str(write(tmp_path, text)), "--json")
    assert res.exit_code == 2, res.output
    doc = json.loads(res.output)
    assert any(p["field"] == "scenario" and "once" in p["expected"] for p in doc["problems"])
