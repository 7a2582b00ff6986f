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
