"""macc.csv rows whose abatement is a wedge of the plan's scenario simulation: filled from the
run (hand-checked on a tiny plan), checked by ``neutra validate`` without the run, every bad
reference located, and refused by the standalone ``neutra macc``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from neutra import services
from neutra.cli import app
from neutra.errors import PlanValidationError
from neutra.io.measures_table import read_measures_table
from neutra.testing import industry_model, write_plan

runner = CliRunner(env={"COLUMNS": "240"})

# Coke oven coke burnt in industry, t CO2e per GJ: CO2 from IPCC 2006 Vol. 2 Ch. 1 Table 1.3
# (29.2 kg C/GJ, oxidation 1 at Tier 1) × 44/12; CH4 10 and N2O 1.5 kg/TJ from Vol. 2 Ch. 2
# Table 2.3 (manufacturing industries; flagged unverified in the packaged set, ipcc2006_energy.csv)
# at the AR5 100-year GWPs 28 and 265 (gwp.csv). The test checks the engine's own factors.
COKE_T_CO2E_PER_GJ = (29.2 * 44 / 12 + (10 * 28 + 1.5 * 265) / 1000) / 1000
# The tiny model below: GDP grows 5 %/yr from 2020, industry output as GDP^0.5, so output in
# year y is 1000 t × 1.05^((y − 2020) / 2).
OUTPUT_2030_T = 1000 * 1.05**5
# ccs captures 50 % of the process CO2 of Other (40 % of output × 0.5 t CO2/t) from 2025: its
# wedge in 2030 is 0.5 × 0.5 × 40 % × output (nothing else of the model changes with it).
CCS_WEDGE_2030_T = 0.5 * 0.5 * 0.4 * OUTPUT_2030_T
# eff lowers Steel's coke intensity (20 GJ/t, 60 % of output) linearly to 0.8× by 2030: its
# wedge in 2030 is 20 % of that coke's CO2e.
EFF_WEDGE_2030_T = 0.2 * 0.6 * OUTPUT_2030_T * 20 * COKE_T_CO2E_PER_GJ

HEAD = "name,capex,opex,annual_savings,lifetime,annual_abatement,wedge,wedge_scenario,wedge_year\n"


def _tables() -> dict[str, list[dict[str, Any]]]:
    """The tiny industry model (neutra.testing) with a third scenario ``alt`` (eff only)."""
    tables = industry_model()
    tables["scenarios"].append(
        {"scenario": "alt", "parents": "baseline", "measures": "eff", "kind": "policy"}
    )
    return tables


def _plan(tmp_path: Path, macc: str, name: str = "plan") -> Path:
    folder = write_plan(tmp_path / name, _tables())
    (folder / "macc.csv").write_text(HEAD + macc, encoding="utf-8")
    return folder


def _where(exc: pytest.ExceptionInfo[PlanValidationError]) -> set[tuple[int | None, str | None]]:
    return {(p.row, p.field) for p in exc.value.problems}


GOOD = """lighting,1000,0,300,10,2,,,
capture,5000,100,0,20,,ccs,,
savings,2000,0,500,15,,eff,alt,2025
"""


def test_wedge_rows_take_the_simulation_s_wedge(tmp_path: Path) -> None:
    plan = _plan(tmp_path, GOOD)
    services.validate(plan)  # the static check accepts the rows
    splan, sim, _info = services.simulate(plan)
    w = sim.wedges
    at = w.set_index(["scenario", "measure", "year"])["reduction"]
    # The simulation agrees with the hand values (then the table is filled from it).
    assert at[("policy", "ccs", 2030)] == pytest.approx(CCS_WEDGE_2030_T, rel=1e-9)
    assert at[("policy", "eff", 2030)] == pytest.approx(EFF_WEDGE_2030_T, rel=1e-9)
    side, problems = services.side_tables(splan, sim)
    assert problems == []
    curve = side.macc.curve.set_index("name")
    # Defaults: the first scenario applying ccs (policy), the simulation's last year (2030).
    assert curve.loc["capture", "annual_abatement"] == pytest.approx(CCS_WEDGE_2030_T, rel=1e-9)
    # eff in alt in 2025: Data(2020, 1, 2030, 0.8) is 0.9 in 2025, so 10 % of Steel's coke CO2e.
    eff_2025 = 0.1 * 0.6 * 1000 * 1.05**2.5 * 20 * COKE_T_CO2E_PER_GJ
    assert curve.loc["savings", "annual_abatement"] == pytest.approx(eff_2025, rel=1e-9)
    assert curve.loc["lighting", "annual_abatement"] == 2  # typed
    origins = {n: o.text() for n, o in side.macc_origins.items()}
    assert origins == {
        "lighting": "typed in the table",
        "capture": "wedge of ccs in policy, 2030",
        "savings": "wedge of eff in alt, 2025",
    }
    assert side.macc_origins["capture"].text("zh") == "ccs 在 policy 情景 2030 年的楔形减排量"


def test_the_report_says_where_each_abatement_came_from(tmp_path: Path) -> None:
    plan = _plan(tmp_path, GOOD)
    for lang, origin, typed in (
        ("en", "wedge of ccs in policy, 2030", "typed in the table"),
        ("zh", "ccs 在 policy 情景 2030 年的楔形减排量", "表中填写"),
    ):
        page = services.write_report(plan, tmp_path / f"r.{lang}.html", lang)  # type: ignore[arg-type]
        text = page.read_text(encoding="utf-8")
        start = text.find('<section id="macc">')
        macc = text[start : text.find("</section>", start)]
        assert origin in macc
        assert typed in macc
        assert "docs/method-simulate.md" in macc  # the note on what a wedge is


def test_a_row_needs_either_a_typed_abatement_or_a_wedge(tmp_path: Path) -> None:
    macc = """f,1,0,1,5,3,eff,,
g,1,0,1,5,,,,
h,1,0,1,5,4,,policy,
i,1,0,1,5,,eff,,
"""
    with pytest.raises(PlanValidationError) as exc:
        services.validate(_plan(tmp_path, macc))
    assert {(p.file, p.row, p.field) for p in exc.value.problems} == {
        ("macc.csv", 2, "annual_abatement"),  # both a typed abatement and a wedge
        ("macc.csv", 3, "annual_abatement"),  # neither
        ("macc.csv", 4, "wedge_scenario"),  # a wedge scenario without a wedge
    }
    both = next(p for p in exc.value.problems if p.row == 2)
    assert both.value == "3"
    assert "not both" in both.expected


BAD_REFERENCES = """a,1,0,1,5,,cc,,
b,1,0,1,5,,ccs,alt,
c,1,0,1,5,,eff,enhanced,
d,1,0,1,5,,eff,baseline,
e,1,0,1,5,,eff,,2050
"""


def test_bad_wedge_references_are_located_in_validate_and_in_the_run(tmp_path: Path) -> None:
    plan = _plan(tmp_path, BAD_REFERENCES)
    with pytest.raises(PlanValidationError) as exc:
        services.validate(plan)  # the static check, against the compiled model
    assert _where(exc) == {
        (2, "wedge"),  # cc: not a measure of the model
        (3, "wedge_scenario"),  # alt does not apply ccs
        (4, "wedge_scenario"),  # no scenario enhanced
        (5, "wedge_scenario"),  # the baseline has no wedges
        (6, "wedge_year"),  # 2050: after the simulation's last year, 2030
    }
    assert {p.file for p in exc.value.problems} == {"macc.csv"}
    text = {(p.row, p.field): p.expected for p in exc.value.problems}
    assert "eff, ccs" in text[(2, "wedge")]  # the known ids …
    assert "did you mean 'ccs'" in text[(2, "wedge")]  # … and the nearest
    assert "one of policy" in text[(3, "wedge_scenario")]  # the scenarios applying ccs
    assert "policy, alt" in text[(4, "wedge_scenario")]  # the scenarios with wedges
    assert "policy, alt" in text[(5, "wedge_scenario")]
    assert "2020–2030" in text[(6, "wedge_year")]
    # The run (neutra report) finds the same problems from the simulation's wedges.
    splan, sim, _info = services.simulate(plan)
    _side, problems = services.side_tables(splan, sim)
    run = {(p.row, p.field, p.expected) for p in problems}
    assert run == {(p.row, p.field, p.expected) for p in exc.value.problems}


def test_a_wedge_needs_a_scenario_model(make_plan) -> None:  # type: ignore[no-untyped-def]
    activity = (
        "facility,year,scope,category,activity,amount,unit\n"
        "a,2022,1,stationary_combustion,natural_gas,100,t"
    )
    plan = make_plan(activity, files={"macc.csv": HEAD + "x,1,0,1,5,,eff,,\n"})
    with pytest.raises(PlanValidationError) as exc:
        services.validate(plan)
    (p,) = exc.value.problems
    assert (p.file, p.row, p.field, p.value) == ("macc.csv", 2, "wedge", "eff")
    assert "scenario model" in p.expected


def test_the_reader_accepts_wedges_only_for_a_plan(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    # Chinese headers: 楔形 (wedge), 楔形情景, 楔形年份.
    path.write_text(
        "措施,投资,运维成本,年节约,寿命,年减排量,楔形,楔形情景,楔形年份\nx,1,0,1,5,,eff,alt,2025\n",
        encoding="utf-8",
    )
    t = read_measures_table(path, wedges=True)
    src = t.wedges["x"]
    assert (src.measure, src.scenario, src.year, src.row) == ("eff", "alt", 2025, 2)
    assert t.with_abatement({"x": 7.5}).measures[0].annual_abatement == 7.5
    with pytest.raises(PlanValidationError) as exc:
        read_measures_table(path)  # a standalone table
    assert _where(exc) == {(2, "wedge")}


def test_standalone_macc_refuses_a_wedge_with_a_located_message(tmp_path: Path) -> None:
    path = tmp_path / "measures.csv"
    path.write_text(HEAD + "lighting,1000,0,300,10,2,,,\ncapture,5000,100,0,20,,ccs,,\n")
    res = runner.invoke(app, ["macc", str(path)])
    assert res.exit_code == 2, res.output
    assert "measures.csv, row 3, field 'wedge'" in res.output
    assert "needs a plan" in res.output
    assert "lighting" not in res.output  # no curve is drawn
