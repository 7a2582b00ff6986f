"""IAMC export of scenario-simulation results: format, units, sums, files, pyam."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from neutra import __version__, services, units
from neutra.errors import PlanError
from neutra.io.iamc import (
    COLUMNS,
    carrier_of,
    iamc_frame,
    primary_of,
    sector_label,
    write_iamc,
)
from neutra.testing import write_plan

Tables = dict[str, list[dict[str, Any]]]


def _expr(scenario: str, branch: str, variable: str, expression: object, **more: Any) -> Any:
    return {
        "scenario": scenario,
        "branch": branch,
        "variable": variable,
        "expression": expression,
        **more,
    }


# A region with two industries (one with process CO2 and, in the policy, capture), a power
# module with coal and solar plants and grid imports, and a forest sink.
TABLES: Tables = {
    "drivers": [{"driver": "gdp", "unit": "1e8*CNY"}],
    "scenarios": [
        {"scenario": "baseline", "kind": "baseline"},
        {"scenario": "policy", "parents": "baseline", "measures": "eff,ccs", "kind": "policy"},
    ],
    "measures": [{"measure": "eff", "lever": "减"}, {"measure": "ccs", "lever": "absorb"}],
    "branches": [
        {"branch": "Demand/Industry", "kind": "activity", "unit": "t"},
        {"branch": "Demand/Industry/Steel", "kind": "share"},
        {"branch": "Demand/Industry/Cement", "kind": "share"},
        {"branch": "Demand/Households", "kind": "activity", "unit": "person"},
        {
            "branch": "Transformation/Power",
            "kind": "module",
            "fuel": "electricity",
            "dispatch": "merit",
            "import_grid": "CN-South",
            "order": 1,
        },
        {
            "branch": "Transformation/Power/Coal",
            "kind": "process",
            "fuel": "other_bituminous_coal",
            "order": 2,
        },
        {"branch": "Transformation/Power/Solar", "kind": "process", "fuel": "solar", "order": 1},
        {"branch": "Sinks/Forest", "kind": "sink"},
    ],
    "expressions": [
        _expr("current", "Key/gdp", "value", 100),
        _expr("baseline", "Key/gdp", "value", "Growth(5%)"),
        _expr("current", "Demand/Industry", "activity", 1000),
        _expr("baseline", "Demand/Industry", "activity", "GrowthAs(gdp, 0.5)"),
        _expr("current", "Demand/Industry/Steel", "activity", 60),
        _expr("current", "Demand/Industry/Cement", "activity", "Remainder(100)"),
        _expr(
            "current", "Demand/Industry/Steel", "intensity", 20, fuel="coke_oven_coke", unit="GJ/t"
        ),
        _expr("current", "Demand/Industry/Steel", "intensity", 1, fuel="electricity", unit="MWh/t"),
        _expr(
            "current",
            "Demand/Industry/Cement",
            "intensity",
            3,
            fuel="other_bituminous_coal",
            unit="GJ/t",
        ),
        _expr("current", "Demand/Industry/Cement", "process_ef", 0.5, gas="CO2", unit="t/t"),
        _expr("current", "Demand/Households", "activity", 500),
        _expr("current", "Demand/Households", "intensity", 2, fuel="natural_gas", unit="GJ/person"),
        _expr("current", "Demand/Households", "intensity", 1, fuel="electricity", unit="GJ/person"),
        {
            "measure": "eff",
            "branch": "Demand/Industry/Steel",
            "variable": "intensity",
            "fuel": "coke_oven_coke",
            "expression": "Interp(2030, 16)",
            "unit": "GJ/t",
        },
        {
            "measure": "ccs",
            "branch": "Demand/Industry/Cement",
            "variable": "capture_rate",
            "expression": "Step(2025, 50)",
        },
        _expr("current", "Transformation/Power/Coal", "efficiency", 40),
        _expr("current", "Transformation/Power/Coal", "capacity", 0.05, unit="MW"),
        _expr("current", "Transformation/Power/Solar", "efficiency", 100),
        _expr("current", "Transformation/Power/Solar", "capacity", 0.1, unit="MW"),
        _expr("current", "Transformation/Power/Solar", "availability", 15),
        _expr("current", "Transformation/Power", "losses", 5),
        _expr("current", "Sinks/Forest", "area", 100, unit="ha"),
        _expr("current", "Sinks/Forest", "removal_factor", 5, unit="t/ha"),
    ],
}


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = write_plan(tmp_path_factory.mktemp("iamc") / "plan", TABLES)
    _, res, _ = services.simulate(folder, wedges=False)
    return res


@pytest.fixture(scope="module")
def frame(result: Any) -> pd.DataFrame:
    return iamc_frame(result, region="Test region")


def _wide(frame: pd.DataFrame) -> pd.DataFrame:
    """variable × (scenario, year)."""
    return frame.pivot_table(
        index="variable", columns=["scenario", "year"], values="value", aggfunc="sum"
    )


def _children(frame: pd.DataFrame, parent: str) -> list[str]:
    depth = parent.count("|") + 1
    return sorted(
        v
        for v in frame["variable"].unique()
        if v.startswith(parent + "|") and v.count("|") == depth
    )


def _assert_sum(w: pd.DataFrame, parent: str, children: list[str]) -> None:
    if not children:  # nothing of the kind in the plan: the parent is all zeros
        assert (w.loc[parent] == 0).all(), parent
        return
    np.testing.assert_allclose(
        w.loc[children].sum().to_numpy(), w.loc[parent].to_numpy(), rtol=1e-9, atol=1e-15
    )


def test_columns_model_region_and_grid(frame: pd.DataFrame, result: Any) -> None:
    assert list(frame.columns) == COLUMNS
    assert set(frame["model"]) == {f"Neutra {__version__}"}
    assert set(frame["region"]) == {"Test region"}
    assert frame["year"].dtype == np.int64
    assert frame["value"].dtype == np.float64
    assert not frame["value"].isna().any()
    assert list(dict.fromkeys(frame["scenario"])) == result.scenarios
    # every variable for every scenario and year, each once
    n_var = frame["variable"].nunique()
    assert len(frame) == n_var * len(result.scenarios) * len(result.years)
    assert not frame.duplicated(["scenario", "variable", "year"]).any()
    assert (frame.groupby("variable")["unit"].nunique() == 1).all()


def test_model_name_can_be_given(result: Any) -> None:
    out = iamc_frame(result, model="Neutra-LEAP", region="X")
    assert set(out["model"]) == {"Neutra-LEAP"}


@pytest.mark.parametrize(("model", "region"), [("", "X"), ("M", " ")])
def test_empty_model_or_region_is_an_error(result: Any, model: str, region: str) -> None:
    with pytest.raises(PlanError, match="empty"):
        iamc_frame(result, model=model, region=region)


def test_variables_and_units(frame: pd.DataFrame) -> None:
    unit = frame.groupby("variable")["unit"].first()
    expected = {
        "Emissions|CO2": "Mt CO2/yr",
        "Emissions|CO2|Energy": "Mt CO2/yr",
        "Emissions|CO2|Energy|Demand|Industry": "Mt CO2/yr",
        "Emissions|CO2|Energy|Demand|Households": "Mt CO2/yr",
        "Emissions|CO2|Energy|Supply|Power": "Mt CO2/yr",
        "Emissions|CO2|Industrial Processes": "Mt CO2/yr",
        "Emissions|CO2|Industrial Processes|Industry": "Mt CO2/yr",
        "Emissions|CO2|AFOLU": "Mt CO2/yr",
        "Emissions|Kyoto Gases": "Mt CO2-equiv/yr",
        "Emissions|F-Gases": "Mt CO2-equiv/yr",
        "Emissions|CH4": "Mt CH4/yr",
        "Emissions|N2O": "kt N2O/yr",
        "Carbon Capture": "Mt CO2/yr",
        "Carbon Capture|Energy|Demand|Industry": "Mt CO2/yr",
        "Carbon Capture|Industrial Processes|Industry": "Mt CO2/yr",
        "Indirect Emissions|CO2|Imports": "Mt CO2/yr",
        "Indirect Emissions|CO2|Imports|Electricity": "Mt CO2/yr",
        "Final Energy": "EJ/yr",
        "Final Energy|Industry": "EJ/yr",
        "Final Energy|Households": "EJ/yr",
        "Final Energy|Solids|Coal": "EJ/yr",
        "Final Energy|Gases|Natural Gas": "EJ/yr",
        "Final Energy|Electricity": "EJ/yr",
        "Final Energy|Industry|Solids|Coal": "EJ/yr",
        "Primary Energy": "EJ/yr",
        "Primary Energy|Coal": "EJ/yr",
        "Primary Energy|Gas": "EJ/yr",
        "Primary Energy|Solar": "EJ/yr",
        "Primary Energy|Secondary Energy Trade": "EJ/yr",
        "Secondary Energy|Electricity": "EJ/yr",
        "Secondary Energy|Electricity|Coal": "EJ/yr",
        "Secondary Energy|Electricity|Solar": "EJ/yr",
        "Capacity|Electricity": "GW",
        "Capacity|Electricity|Coal": "GW",
        "Capacity|Electricity|Solar": "GW",
    }
    assert unit.reindex(list(expected)).to_dict() == expected
    # imports are not territorial: nothing about them under Emissions|CO2
    assert not any("Import" in v for v in unit.index if v.startswith("Emissions|"))
    assert "Emissions|Non-Kyoto Gases" not in unit.index  # no such gas in this plan


def test_parents_are_the_sums_of_their_children(frame: pd.DataFrame) -> None:
    w = _wide(frame)
    for parent in (
        "Emissions|CO2",
        "Emissions|CO2|Energy",
        "Emissions|CO2|Energy|Demand",
        "Emissions|CO2|Energy|Supply",
        "Emissions|CO2|Industrial Processes",
        "Carbon Capture",
        "Carbon Capture|Energy",
        "Carbon Capture|Energy|Demand",
        "Carbon Capture|Energy|Supply",
        "Carbon Capture|Industrial Processes",
        "Indirect Emissions|CO2|Imports",
        "Final Energy|Industry",
        "Final Energy|Solids",
        "Final Energy|Gases",
        "Primary Energy",
        "Secondary Energy|Electricity",
        "Capacity|Electricity",
    ):
        _assert_sum(w, parent, _children(frame, parent))
    assert _children(frame, "Emissions|CO2") == [
        "Emissions|CO2|AFOLU",
        "Emissions|CO2|Energy",
        "Emissions|CO2|Industrial Processes",
    ]
    # Final Energy has two complete sets of children: sectors and carriers.
    sectors = ["Final Energy|Households", "Final Energy|Industry"]
    carriers = [c for c in _children(frame, "Final Energy") if c not in sectors]
    assert carriers == ["Final Energy|Electricity", "Final Energy|Gases", "Final Energy|Solids"]
    _assert_sum(w, "Final Energy", sectors)
    _assert_sum(w, "Final Energy", carriers)


def test_totals_agree_with_the_result(frame: pd.DataFrame, result: Any) -> None:
    w = _wide(frame)
    t = result.totals.set_index(["scenario", "year"]).reindex(w.columns)
    to_ej = units.factor(result.energy_unit, "EJ")
    np.testing.assert_allclose(w.loc["Final Energy"], t["final_energy"] * to_ej, rtol=1e-9)
    np.testing.assert_allclose(w.loc["Primary Energy"], t["primary_energy"] * to_ej, rtol=1e-9)
    np.testing.assert_allclose(
        w.loc["Emissions|Kyoto Gases"], (t["net"] - t["imports"]) / 1e6, rtol=1e-9
    )
    np.testing.assert_allclose(
        w.loc["Indirect Emissions|CO2|Imports"], t["imports"] / 1e6, rtol=1e-9
    )
    np.testing.assert_allclose(w.loc["Carbon Capture"], -t["captured"] / 1e6, rtol=1e-9)
    np.testing.assert_allclose(w.loc["Emissions|CO2|AFOLU"], t["sinks"] / 1e6, rtol=1e-9)
    # Kyoto gases = CO2 + the other gases in CO2e: CH4 and N2O add to CO2
    assert (w.loc["Emissions|Kyoto Gases"] > w.loc["Emissions|CO2"]).all()
    # steel: 60 % of 1000 t at 1 MWh/t = 2160 GJ of electricity in the base year
    assert w.loc["Final Energy|Industry|Electricity", ("policy", 2020)] == pytest.approx(2160e-9)


def test_capture_at_a_demand_branch_is_split_by_combustion_and_process_co2(
    frame: pd.DataFrame, result: Any
) -> None:
    w = _wide(frame)
    base = ("baseline", 2026)
    pol = ("policy", 2026)
    assert w.loc["Carbon Capture", base] == 0.0
    e = result.emissions
    cement = e[(e.scenario == "policy") & (e.year == 2026) & (e.branch == "Demand/Industry/Cement")]
    comb = cement[(cement.gas == "CO2") & (cement.source == "combustion")]["tonnes"].sum()
    proc = cement[cement.source == "process"]["tonnes"].sum()
    captured = -cement[cement.source == "capture"]["tonnes"].sum()
    assert captured == pytest.approx(0.5 * (comb + proc))
    on_energy = w.loc["Carbon Capture|Energy|Demand|Industry", pol]
    on_process = w.loc["Carbon Capture|Industrial Processes|Industry", pol]
    assert on_energy == pytest.approx(captured * comb / (comb + proc) / 1e6)
    assert on_process == pytest.approx(captured * proc / (comb + proc) / 1e6)
    assert w.loc["Emissions|CO2|Industrial Processes", pol] == pytest.approx(
        (proc - captured * proc / (comb + proc)) / 1e6
    )


def test_fuel_and_sector_names() -> None:
    assert carrier_of("other_bituminous_coal") == ("Solids", "Coal")
    assert carrier_of("coke_oven_gas") == ("Gases", "Coal")
    assert carrier_of("diesel") == ("Liquids", "Oil")
    assert carrier_of("natural_gas") == ("Gases", "Natural Gas")
    assert carrier_of("hydrogen") == ("Hydrogen",)
    assert carrier_of("ambient_heat") == ("Other",)
    assert primary_of("electricity (imports)") == "Secondary Energy Trade"
    assert primary_of("electricity") == "Secondary Energy Trade"
    assert primary_of("wind") == "Wind"
    assert primary_of("lng") == "Gas"
    assert primary_of("municipal_wastes_non_biomass") == "Other"
    assert sector_label("commercial and public") == "Commercial and Public"
    assert sector_label("transport") == "Transport"
    assert sector_label("other") == "Other Sector"
    assert sector_label("工业") == "工业"
    assert sector_label("a|b") == "A-b"


def test_csv_round_trip(frame: pd.DataFrame, tmp_path: Path) -> None:
    path = write_iamc(frame, tmp_path / "out" / "result.csv")
    assert path == tmp_path / "out" / "result.csv"
    assert path.read_text(encoding="utf-8").splitlines()[0] == ",".join(COLUMNS)
    back = pd.read_csv(path)
    pd.testing.assert_frame_equal(back, frame, check_dtype=False, rtol=1e-12)


def test_xlsx_round_trip(frame: pd.DataFrame, tmp_path: Path) -> None:
    path = write_iamc(frame, tmp_path / "result.XLSX")
    back = pd.read_excel(path, sheet_name="data")
    pd.testing.assert_frame_equal(back, frame, check_dtype=False, rtol=1e-12)
    wide = pd.read_excel(path, sheet_name="data_wide")
    assert list(wide.columns[:5]) == ["model", "scenario", "region", "variable", "unit"]
    years = sorted(frame["year"].unique())
    assert [int(c) for c in wide.columns[5:]] == years
    assert len(wide) == len(frame) // len(years)


@pytest.mark.parametrize("name", ["result.json", "result"])
def test_unknown_suffix_is_an_error(frame: pd.DataFrame, tmp_path: Path, name: str) -> None:
    with pytest.raises(PlanError, match=r"unknown suffix .*expected \.csv .* or \.xlsx"):
        write_iamc(frame, tmp_path / name)
    assert not (tmp_path / name).exists()


def test_missing_columns_are_an_error(frame: pd.DataFrame, tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="unit"):
        write_iamc(frame.drop(columns="unit"), tmp_path / "x.csv")


# pyam (and ixmp4, which it imports) emit deprecation warnings under pandas 3 and the
# locked web stack; they are not ours.
@pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")
@pytest.mark.filterwarnings("ignore:The HMAC key is")
@pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")
def test_pyam_reads_the_csv_and_the_sums_hold(frame: pd.DataFrame, tmp_path: Path) -> None:
    pyam = pytest.importorskip("pyam")
    path = write_iamc(frame, tmp_path / "result.csv")
    df = pyam.IamDataFrame(path)
    assert sorted(df.scenario) == ["baseline", "policy"]
    assert df.region == ["Test region"]
    assert "Emissions|CO2|Energy|Demand|Industry" in df.variable
    assert df.filter(variable="Final Energy").unit == ["EJ/yr"]
    sectors = ["Final Energy|Households", "Final Energy|Industry"]
    assert df.check_aggregate("Final Energy", components=sectors) is None
    for variable in (
        "Emissions|CO2",
        "Emissions|CO2|Energy",
        "Emissions|CO2|Energy|Demand",
        "Primary Energy",
        "Carbon Capture",
        "Secondary Energy|Electricity",
    ):
        assert df.check_aggregate(variable) is None, variable
