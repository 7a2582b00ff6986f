"""A plan's side tables (macc.csv, ets.csv, forest.csv): settings, located problems
through ``neutra validate``, reports of plans that only have an inventory, the steel
example's MACC against its own simulation, and the tables' text carried by the plan (read once,
counted in its hash). Workbook sheets: tests/io/test_side_sheets.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from neutra import services
from neutra.cli import app
from neutra.errors import PlanValidationError
from neutra.io import read_plan, read_plan_lenient
from neutra.io.measures_table import read_measures_table
from neutra.model.plan import Settings
from neutra.side_tables import present, run_side_tables

_EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "neutra" / "examples"
EXAMPLE = _EXAMPLES / "steel_enterprise"
CITY = _EXAMPLES / "city"

runner = CliRunner(env={"COLUMNS": "240"})

ACTIVITY = """
facility,year,scope,category,activity,amount,unit
a,2022,1,stationary_combustion,natural_gas,100,t
"""
MACC = """
name,capex,opex,annual_savings,lifetime,annual_abatement
lighting,1000,0,300,10,2
boiler,5000,100,200,15,10
"""
ETS = """
entity,year,verified_emissions_t,free_allocation_t
works,2024,1000,900
works,2025,1000,950
"""
FOREST = """
stratum,year,area_ha,volume_m3_per_ha,bcef_s,root_shoot,carbon_fraction
pine,2015,100,50,0.8,0.2,0.47
pine,2020,100,60,0.8,0.2,0.47
"""


def test_the_settings_defaults() -> None:
    s = Settings()
    assert s.discount_rate == 0.08  # docs/plan-format.md [settings]
    assert s.social_discount_rate is None
    assert s.carbon_price is None
    assert s.ets_template is None
    assert s.ets_method is None
    assert s.ets_price is None
    assert s.ets_banking is True
    assert s.forest_method == "stock-difference"
    assert s.currency == "CNY"


def test_bad_settings_are_located_in_plan_toml(make_plan) -> None:  # type: ignore[no-untyped-def]
    plan = make_plan(
        ACTIVITY,
        extra_settings='discount_rate = 1.5\nforest_method = "guess"\nets_price = -1',
    )
    res = runner.invoke(app, ["validate", str(plan)])
    assert res.exit_code == 2, res.output
    for field in ("settings.discount_rate", "settings.forest_method", "settings.ets_price"):
        assert field in res.output


def test_a_bad_row_in_each_side_table_is_located(make_plan) -> None:  # type: ignore[no-untyped-def]
    plan = make_plan(
        ACTIVITY,
        extra_settings='ets_template = "cn-power"\nets_method = "given"',
        files={
            "macc.csv": MACC + "pump,abc,0,10,10,1\n",  # row 4: capex not a number
            "ets.csv": ETS + "works,2026,-5,900\n",  # row 4: negative verified emissions
            "forest.csv": FOREST + "oak,2015,50,40,x,0.2,0.47\n",  # row 4: bcef_s not a number
        },
    )
    with pytest.raises(PlanValidationError) as info:
        services.validate(plan)
    where = {(p.file, p.row, p.field) for p in info.value.problems}
    assert ("macc.csv", 4, "capex") in where
    assert ("ets.csv", 4, "verified_emissions_t") in where
    assert ("forest.csv", 4, "bcef_s") in where
    res = runner.invoke(app, ["validate", str(plan)])  # … and the CLI lists them all at once
    assert res.exit_code == 2
    for text in ("macc.csv, row 4", "ets.csv, row 4", "forest.csv, row 4"):
        assert text in res.output


def test_an_ets_table_needs_a_template(make_plan) -> None:  # type: ignore[no-untyped-def]
    plan = make_plan(ACTIVITY, files={"ets.csv": ETS})
    res = runner.invoke(app, ["validate", str(plan)])
    assert res.exit_code == 2, res.output
    assert "plan.toml" in res.output
    assert "settings.ets_template" in res.output
    bad = make_plan(ACTIVITY, extra_settings='ets_template = "cn-steel"', files={"ets.csv": ETS})
    with pytest.raises(PlanValidationError) as info:
        services.validate(bad)
    p = info.value.problems[0]
    assert (p.file, p.field, p.value) == ("plan.toml", "settings.ets_template", "cn-steel")


def test_a_method_the_table_cannot_serve_is_located(make_plan) -> None:  # type: ignore[no-untyped-def]
    # cn-power's default method is the benchmark: the rows have no unit type nor supply.
    plan = make_plan(ACTIVITY, extra_settings='ets_template = "cn-power"', files={"ets.csv": ETS})
    with pytest.raises(PlanValidationError) as info:
        services.validate(plan)
    assert {p.file for p in info.value.problems} == {"ets.csv"}
    assert all(p.row in (2, 3) for p in info.value.problems)
    wrong = make_plan(
        ACTIVITY,
        extra_settings='ets_template = "cn-power"\nets_method = "lottery"',
        files={"ets.csv": ETS},
    )
    with pytest.raises(PlanValidationError) as info:
        services.validate(wrong)
    assert info.value.problems[0].field == "settings.ets_method"


def test_an_inventory_plan_reports_its_side_tables(make_plan, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plan = make_plan(
        ACTIVITY,
        extra_settings=(
            'ets_template = "cn-power"\nets_method = "given"\nets_price = 80\n'
            "carbon_price = 50\nsocial_discount_rate = 0.03"
        ),
        files={"macc.csv": MACC, "ets.csv": ETS, "forest.csv": FOREST},
    )
    page = services.write_report(plan, tmp_path / "r.html", "en").read_text(encoding="utf-8")
    for sid in ("macc", "carbon-market", "sinks"):
        assert f'<section id="{sid}">' in page
    assert '<section id="targets">' not in page  # no targets.csv, no scenario model
    assert "no scenario model" in page  # the sinks section says why no neutrality check
    # 2024: 1000 − 900 = 100 t bought at 80 per allowance = 8,000 (ets.csv, plan.toml).
    start = page.find('<section id="carbon-market">')
    market = page[start : page.find("</section>", start)]
    assert '<td class="n">8,000</td>' in market


def test_a_plan_without_side_tables_has_none(make_plan) -> None:  # type: ignore[no-untyped-def]
    plan = read_plan(make_plan(ACTIVITY))
    assert present(plan) == ()
    side, problems = run_side_tables(plan)
    assert side.empty
    assert problems == []


def test_the_side_tables_are_run_from_the_plan_s_text(make_plan) -> None:  # type: ignore[no-untyped-def]
    """The plan carries the tables' text: once read, no file is opened (the files may go)."""
    folder = make_plan(
        ACTIVITY,
        extra_settings='ets_template = "cn-power"\nets_method = "given"',
        files={"macc.csv": MACC, "ets.csv": ETS, "forest.csv": FOREST},
    )
    plan = read_plan(folder)
    assert present(plan) == ("macc.csv", "ets.csv", "forest.csv")
    assert plan.side_tables["macc.csv"] == MACC.strip() + "\n"  # the file's text as decoded
    for name in present(plan):
        (folder / name).unlink()
    side, problems = run_side_tables(plan)
    assert problems == []
    # The rows of MACC, ETS and FOREST above.
    assert set(side.macc.curve["name"]) == {"lighting", "boiler"}
    assert list(side.ets.positions["year"]) == [2024, 2025]
    assert set(side.forest.strata["stratum"]) == {"pine"}
    # A setting given to the run instead of the plan's.
    priced = plan.settings.model_copy(update={"ets_price": 80.0})
    other, _problems = run_side_tables(plan.model_copy(update={"settings": priced}))
    assert other.ets.prices is not None
    assert plan.settings.ets_price is None


def test_a_gbk_side_table_is_decoded_and_an_unreadable_one_located(make_plan) -> None:  # type: ignore[no-untyped-def]
    folder = make_plan(ACTIVITY)
    text = "措施,投资,运维成本,年节约,寿命,年减排量\n照明,1000,0,300,10,2\n"
    (folder / "macc.csv").write_bytes(text.encode("gbk"))  # as Excel saves on Chinese Windows
    plan = read_plan(folder)
    assert plan.side_tables["macc.csv"] == text
    side, problems = run_side_tables(plan)
    assert problems == []
    assert list(side.macc.curve["name"]) == ["照明"]
    (folder / "macc.csv").write_bytes(b"name\n\xff\n")  # neither UTF-8 nor GB18030
    _plan, problems = read_plan_lenient(folder)
    (p,) = problems
    assert (p.file, p.row) == ("macc.csv", None)
    assert "UTF-8" in p.expected


# The abatement macc.csv typed (t CO2e/yr) before it took it from the simulation: copies of the
# 2035 wedges of the enhanced scenario (`neutra simulate`), rounded to the tonne.
STEEL_2035_ENHANCED_WEDGES_T = {
    "efficiency": 1_511_850,
    "waste_heat": 913_882,
    "rooftop_pv": 179_361,
    "green_power": 139_495,
    "green_power_plus": 470_650,
    "scrap_eaf": 1_493_566,
    "scrap_eaf_plus": 1_016_490,
    "h2_dri": 231_378,
    "h2_dri_plus": 277_923,
    "ccus": 1_183_674,
    "fuel_switch": 441_020,
}


def test_the_steel_macc_abatement_is_the_simulation_s(tmp_path: Path) -> None:
    """macc.csv's abatement of each measure is its wedge in 2035 in the enhanced scenario,
    filled from the simulation through the wedge columns."""
    plan = tmp_path / "steel"
    shutil.copytree(EXAMPLE, plan, ignore=shutil.ignore_patterns("*.duckdb*"))
    splan, sim, _info = services.simulate(plan)
    w = sim.wedges
    wedge = w[(w["scenario"] == "enhanced") & (w["year"] == 2035)].set_index("measure")
    table = read_measures_table(plan / "macc.csv", wedges=True)
    assert set(table.wedges) == set(STEEL_2035_ENHANCED_WEDGES_T)  # every row is a wedge row
    side, problems = services.side_tables(splan, sim)
    assert problems == []
    curve = side.macc.curve.set_index("name")
    assert len(curve) == 11
    for name, typed in STEEL_2035_ENHANCED_WEDGES_T.items():
        filled = float(curve.loc[name, "annual_abatement"])
        assert filled == float(wedge.loc[name, "reduction"])  # the wedge itself, not a copy
        assert filled == pytest.approx(typed, abs=1)  # the same numbers as before
        assert side.macc_origins[name].text() == f"wedge of {name} in enhanced, 2035"


def test_the_examples_validate_with_their_side_tables() -> None:
    for plan in (EXAMPLE, CITY):
        res = runner.invoke(app, ["validate", str(plan)])
        assert res.exit_code == 0, res.output
    assert present(read_plan(EXAMPLE)) == ("macc.csv", "ets.csv")
    assert present(read_plan(CITY)) == ("forest.csv",)


def test_the_side_tables_count_in_the_plan_hash(tmp_path: Path) -> None:
    """A result must be traceable to its inputs: editing a cell of macc.csv changes the plan's
    hash; its spelling (line endings, blank lines, spaces around cells, quotes) does not."""
    plan = tmp_path / "steel"
    shutil.copytree(EXAMPLE, plan)
    before = read_plan(plan).content_hash()
    assert "macc.csv" in read_plan(plan).side_tables
    path = plan / "macc.csv"
    text = path.read_text(encoding="utf-8")
    respelt = text.replace("\n", "\r\n").replace("efficiency,", '"efficiency" ,', 1)
    path.write_text(respelt + "\r\n\r\n", encoding="utf-8", newline="")
    assert read_plan(plan).content_hash() == before
    path.write_text(text.replace(",15,", ",16,", 1), encoding="utf-8")  # a lifetime
    assert read_plan(plan).content_hash() != before
    path.unlink()  # a table taken away
    assert read_plan(plan).content_hash() != before
