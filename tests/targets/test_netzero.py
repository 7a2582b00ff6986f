"""Net-zero targets (SBTi Corporate Net-Zero Standard as in SOURCES.md "Targets": at least 90 %
absolute reduction by 2050 with the residual neutralised by removals; offsets do not count)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from neutra.cli import app
from neutra.errors import PlanValidationError
from neutra.targets.netzero import check_netzero, netzero_target

runner = CliRunner()


def test_the_90_percent_rule() -> None:
    t = netzero_target(2020, 1_000_000.0, 2050)
    # SOURCES.md: ≥ 90 % cut → residual ≤ 1 000 000 × (1 − 0.90) = 100 000 t, neutralised.
    assert t.max_residual == pytest.approx(100_000.0)
    assert t.residual == pytest.approx(100_000.0)
    assert t.required_neutralisation == pytest.approx(100_000.0)
    assert t.reduction == pytest.approx(0.90)
    assert t.deep_reduction_met
    assert t.standard == "sbti-cnzs-v1"


def test_a_residual_of_exactly_ten_percent_meets_the_rule() -> None:
    # 1 − 0.9 is 0.0999…98 in floating point: exactly 10 % of the base must still pass.
    assert netzero_target(2020, 1_000_000.0, 2050, residual=100_000.0).deep_reduction_met
    assert netzero_target(2019, 123_456.7, 2045, residual=12_345.67).deep_reduction_met


def test_a_residual_above_ten_percent_has_its_gap() -> None:
    t = netzero_target(2020, 1_000_000.0, 2050, residual=150_000.0)
    assert not t.deep_reduction_met
    assert t.deep_reduction_gap == pytest.approx(50_000.0)  # 150 000 − 100 000
    assert t.required_neutralisation == pytest.approx(150_000.0)
    assert t.reduction == pytest.approx(0.85)


def test_a_netzero_year_after_2050_is_noted() -> None:
    assert netzero_target(2020, 100.0, 2055).notes
    assert not netzero_target(2020, 100.0, 2050).notes


@given(base=st.floats(0.0, 1e12), residual=st.floats(0.0, 1e12))
def test_met_exactly_when_residual_is_within_ten_percent(base: float, residual: float) -> None:
    t = netzero_target(2020, base, 2050, residual=residual)
    if residual <= 0.1 * base:
        assert t.deep_reduction_met
        assert t.deep_reduction_gap == 0
    elif residual > 0.1 * base * (1 + 1e-6) + 1e-6:  # clear of the rounding tolerance
        assert not t.deep_reduction_met
        assert t.deep_reduction_gap == pytest.approx(residual - 0.1 * base)
    assert t.required_neutralisation == residual


def test_bad_input_is_reported_at_once() -> None:
    with pytest.raises(PlanValidationError) as info:
        netzero_target(2050, -1.0, 2040, residual=-5.0)
    assert {p.field for p in info.value.problems} == {
        "base_emissions",
        "netzero_year",
        "residual",
    }


def _pathway(**overrides: list[float]) -> pd.DataFrame:
    data: dict[str, list[float]] = {
        "year": [2030, 2040, 2050, 2055],
        "gross": [600_000.0, 300_000.0, 90_000.0, 80_000.0],
        "removals": [0.0, 20_000.0, 90_000.0, 85_000.0],
        "offsets": [0.0, 0.0, 50_000.0, 0.0],
    }
    data.update(overrides)
    return pd.DataFrame(data)


def test_a_pathway_that_reaches_net_zero() -> None:
    t = netzero_target(2020, 1_000_000.0, 2050)
    c = check_netzero(t, _pathway())
    assert c.deep_reduction_met  # 90 000 ≤ 100 000 and 80 000 ≤ 100 000
    assert c.neutralised  # removals ≥ gross in 2050 and 2055
    assert c.net_zero
    assert c.reduction == pytest.approx(0.91)  # 1 − 90 000 / 1 000 000
    assert c.years_failing == ()
    assert any("offsets" in n for n in c.notes)  # kept apart, reported
    assert c.years.set_index("year").loc[2030, "net_zero"] is pd.NA  # before the net-zero year


def test_removals_do_not_count_as_reduction_and_offsets_count_for_nothing() -> None:
    t = netzero_target(2020, 1_000_000.0, 2050)
    # 2050: gross 150 000 (85 % cut) fully removed, plus offsets: still not net zero.
    c = check_netzero(
        t,
        _pathway(
            gross=[600_000.0, 300_000.0, 150_000.0, 80_000.0],
            removals=[0.0, 0.0, 150_000.0, 85_000.0],
            offsets=[0.0, 0.0, 500_000.0, 0.0],
        ),
    )
    assert not c.deep_reduction_met
    assert c.deep_reduction_gap == pytest.approx(50_000.0)  # 150 000 − 100 000
    assert c.neutralised
    assert not c.net_zero
    assert c.years_failing == (2050,)


def test_neutralisation_gap_and_a_later_relapse() -> None:
    t = netzero_target(2020, 1_000_000.0, 2050)
    c = check_netzero(
        t,
        _pathway(removals=[0.0, 0.0, 60_000.0, 85_000.0], gross=[6e5, 3e5, 9e4, 1.2e5]),
    )
    assert not c.neutralised
    assert c.neutralisation_gap == pytest.approx(30_000.0)  # 90 000 − 60 000 in 2050
    assert c.years_failing == (2050, 2055)  # 2055: gross 120 000 > 100 000, removals short
    assert any("2055" in n for n in c.notes)


def test_bad_pathways_get_located_problems() -> None:
    t = netzero_target(2020, 1_000_000.0, 2050)
    with pytest.raises(PlanValidationError) as info:
        check_netzero(t, pd.DataFrame({"year": [2050], "gross": [1.0]}), source="nz.csv")
    assert [(p.file, p.field) for p in info.value.problems] == [("nz.csv", "removals")]
    bad = pd.DataFrame(
        {
            "year": [2040, 2040.5, 2045],
            "gross": [1.0, -2.0, float("nan")],
            "removals": [0.0, 0.0, 0.0],
        }
    )
    with pytest.raises(PlanValidationError) as info:
        check_netzero(t, bad, source="nz.csv")
    got = {(p.row, p.field) for p in info.value.problems}
    assert got == {(3, "year"), (3, "gross"), (4, "gross")}
    no_year = pd.DataFrame({"year": [2040, 2040], "gross": [1.0, 1.0], "removals": [0.0, 0.0]})
    with pytest.raises(PlanValidationError) as info:
        check_netzero(t, no_year, source="nz.csv")
    assert {p.expected for p in info.value.problems} == {
        "each year once",
        "a row for the net-zero year 2050",
    }


def test_cli_json() -> None:
    res = runner.invoke(
        app,
        [
            "target",
            "netzero",
            "--base-year",
            "2020",
            "--base-emissions",
            "1000000",
            "--netzero-year",
            "2050",
            "--residual",
            "150000",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["schema"] == "neutra.netzero/1"
    assert doc["max_residual_t"] == pytest.approx(100_000.0)  # 10 % of 1 000 000
    assert doc["required_neutralisation_t"] == pytest.approx(150_000.0)
    assert doc["deep_reduction_met"] is False
    assert doc["deep_reduction_gap_t"] == pytest.approx(50_000.0)


def test_cli_text_and_errors() -> None:
    res = runner.invoke(
        app,
        [
            "target",
            "netzero",
            "--base-year",
            "2020",
            "--base-emissions",
            "500",
            "--netzero-year",
            "2050",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "50 t CO2e" in res.stdout  # 500 × 10 %
    bad = runner.invoke(
        app,
        [
            *("target", "netzero", "--base-year", "2020", "--base-emissions", "-1"),
            *("--netzero-year", "2010", "--json"),
        ],
    )
    assert bad.exit_code == 2
    doc = json.loads(bad.stdout)
    assert doc["schema"] == "neutra.error/1"
    assert {p["field"] for p in doc["problems"]} == {"base_emissions", "netzero_year"}
