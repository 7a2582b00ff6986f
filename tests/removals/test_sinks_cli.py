"""``neutra sinks`` and the forest table reader: text, the JSON schema, located input errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from neutra.cli import app
from neutra.errors import PlanValidationError
from neutra.removals.forest_table import forest_sinks

runner = CliRunner(env={"COLUMNS": "240"})
ROOT = Path(__file__).resolve().parents[2]

# Eq. 2.8 by hand (CF 0.47, IPCC 2006 Vol. 4 Ch. 4 Table 4.3, unverified):
# A: 100 ha × 100 → 110 m³/ha × 0.5 × 1.2 × 0.47: 2 820 → 3 102 t C, ΔC 56.4 t C/yr, −206.8 t CO2/yr
# B: 50 000 → 48 000 m³ × 0.6 × 1.25 × 0.5 (CF given): 18 750 → 18 000 t C, ΔC −150 t C/yr,
#    +550 t CO2/yr (a net source). Total: ΔC −93.6 t C/yr, +343.2 t CO2/yr.
GOOD = """stratum,year,area_ha,volume_m3_per_ha,volume_m3,bcef_s,root_shoot,carbon_fraction,note
A,2015,100,100,,0.5,0.2,,fictional
A,2020,100,110,,0.5,0.2,,fictional
B,2015,,,50000,0.6,0.25,0.5,
B,2020,,,48000,0.6,0.25,0.5,
"""

# gain-loss by hand (Eq. 2.9–2.12): 1 000 ha × 4 × 1.25 × 0.5 = 2 500 t C; removals
# 2 000 m³ × 0.6 × 1.25 × 0.5 = 750 t C; ΔC 1 750 t C/yr; −6 416.67 t CO2/yr.
GAIN_LOSS = """分层,年份,面积,gw_t_per_ha,根茎比,含碳率,采伐量,bcef_r
A,2022,1000,4,0.25,0.5,2000,0.6
"""

# Row 2: negative area; row 3: a volume that is not a number; and no root_shoot column.
BAD = """stratum,year,area_ha,volume_m3_per_ha,bcef_s
A,2015,-100,100,0.5
A,2020,100,lots,0.5
"""


def write(tmp_path: Path, text: str, name: str = "forest.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def invoke(*args: str) -> Result:
    return runner.invoke(app, ["sinks", *args])


def test_text_output(tmp_path: Path) -> None:
    res = invoke(str(write(tmp_path, GOOD)))
    assert res.exit_code == 0, res.output
    out = res.output
    for text in ("2015–2020", "56.4", "-206.8", "-150.0", "550.0", "343.2", "unverified"):
        assert text in out, text
    assert "net source" in out


def test_json_schema(tmp_path: Path) -> None:
    res = invoke(str(write(tmp_path, GOOD)), "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["schema"] == "neutra.sinks/1"
    assert doc["method"] == "stock-difference"
    assert doc["table"] == "forest.csv"
    assert "positive is a net emission" in doc["sign_convention"]
    assert doc["units"]["net_emissions_tco2"] == "t CO2/yr"
    a, b = doc["strata"]
    assert (a["stratum"], a["year_from"], a["year_to"]) == ("A", 2015, 2020)
    assert a["delta_c_tc"] == pytest.approx(56.4)
    assert b["stock_from_tc"] == pytest.approx(18750.0)
    assert b["net_emissions_tco2"] == pytest.approx(550.0)
    assert b["area_from_ha"] is None
    assert doc["totals"][0]["net_emissions_tco2"] == pytest.approx(343.2)
    assert [y["year"] for y in doc["yearly"]] == [2016, 2017, 2018, 2019, 2020]
    assert len(doc["unverified"]) == 1
    assert "A 2015" in doc["unverified"][0]
    assert "B 2015" not in doc["unverified"][0]


def test_gain_loss_with_chinese_headers_in_gbk(tmp_path: Path) -> None:
    path = write(tmp_path, GAIN_LOSS, encoding="gbk")
    res = invoke(str(path), "--method", "gain-loss", "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    row = doc["strata"][0]
    assert row["gain_tc"] == pytest.approx(2500.0)
    assert row["loss_wood_removals_tc"] == pytest.approx(750.0)
    assert row["net_emissions_tco2"] == pytest.approx(-1750.0 * 44 / 12, abs=1e-6)
    assert doc["unverified"] == []


def test_bad_table_every_problem_at_once_with_rows(tmp_path: Path) -> None:
    path = write(tmp_path, BAD)
    with pytest.raises(PlanValidationError) as exc:
        forest_sinks(path)
    where = {(p.row, p.field, p.value) for p in exc.value.problems}
    assert (1, "root_shoot", None) in where  # missing column, header row
    assert (2, "area_ha", "-100") in where  # negative area
    assert (3, "volume_m3_per_ha", "lots") in where  # not a number
    assert all(p.file == "forest.csv" for p in exc.value.problems)
    res = invoke(str(path), "--json")
    assert res.exit_code == 2
    doc = json.loads(res.output)
    assert doc["schema"] == "neutra.error/1"
    assert {p["row"] for p in doc["problems"]} == {1, 2, 3}


def test_wrong_method_hint_and_unknown_method(tmp_path: Path) -> None:
    path = write(tmp_path, GAIN_LOSS)
    res = invoke(str(path))
    assert res.exit_code == 2
    assert "use --method gain-loss" in res.output
    res = invoke(str(path), "--method", "guess")
    assert res.exit_code == 1
    assert "stock-difference or gain-loss" in res.output


def test_cross_field_problems_are_located(tmp_path: Path) -> None:
    text = """stratum,year,area_ha,volume_m3_per_ha,volume_m3,bcef_s,root_shoot
A,2015,,100,,0.5,0.2
A,2020,100,100,9000,0.5,0.2
B,2015,100,10,,0.5,0.2
"""
    with pytest.raises(PlanValidationError) as exc:
        forest_sinks(write(tmp_path, text))
    where = {(p.row, p.field) for p in exc.value.problems}
    assert where == {(2, "area_ha"), (3, "volume_m3"), (4, "year")}


def test_help_is_bilingual() -> None:
    out = runner.invoke(app, ["sinks", "--help"]).output
    assert "森林碳汇" in out
    assert "gain-loss" in out


def test_city_example_is_a_net_sink() -> None:
    """The illustrative table of the fictional city (examples/city/forest.csv)."""
    r = forest_sinks(ROOT / "examples" / "city" / "forest.csv")
    assert r.totals["net_emissions_tco2"].iloc[0] < 0
    assert r.unverified  # most strata use the unverified default CF


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.find("\n# ", start + 1)
    return text[start : end if end >= 0 else None]


def test_json_fields_and_chinese_headers_are_documented(tmp_path: Path) -> None:
    from neutra.removals.forest_table import FOREST_HEADER_ALIASES

    docs = ROOT / "docs"
    section = _section(
        (docs / "cli-json.md").read_text(encoding="utf-8"), "# `neutra sinks --json`"
    )
    for text in (GOOD, None):
        if text is None:
            path = write(
                tmp_path, GAIN_LOSS.replace("分层,年份,面积", "stratum,year,area_ha"), "gl.csv"
            )
            doc = json.loads(invoke(str(path), "--method", "gain-loss", "--json").output)
        else:
            doc = json.loads(invoke(str(write(tmp_path, text)), "--json").output)
        keys = set(doc) | set(doc["strata"][0]) | set(doc["totals"][0])
        missing = [k for k in keys if f"`{k}`" not in section]
        assert not missing, f"neutra.sinks/1 fields not documented: {missing}"
    method = (docs / "method-removals.md").read_text(encoding="utf-8")
    assert not [h for h in FOREST_HEADER_ALIASES if f"`{h}`" not in method]
