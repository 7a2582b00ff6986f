"""A plan's targets (targets.csv, allocation.csv) checked against scenarios, by hand."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neutra.errors import PlanValidationError
from neutra.targets.aggregation import allocate_targets, parse_method
from neutra.targets.plan_targets import assess, read_targets

YEARS = list(range(2020, 2036))
DRIVERS = {"gdp": "亿CNY"}


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    out = pd.DataFrame(rows)
    out["row"] = range(2, len(out) + 2)
    out["file"] = "targets.csv"
    return out


def _totals(**paths: list[float]) -> pd.DataFrame:
    """Totals of scenarios given as their net path over YEARS (emissions = net, no sinks)."""
    frames = []
    for sid, net in paths.items():
        v = np.asarray(net, dtype=float)
        frames.append(
            pd.DataFrame(
                {
                    "scenario": sid,
                    "year": YEARS,
                    "emissions": v,
                    "imports": 0.0,
                    "sinks": 0.0,
                    "net": v,
                    "offsets": 0.0,
                    "net_after_trade": v,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _summary(totals: pd.DataFrame, status: str = "peaked") -> pd.DataFrame:
    rows = []
    for sid, g in totals.groupby("scenario", sort=False):
        k = int(np.argmax(g["net"].to_numpy()))
        rows.append(
            {
                "scenario": sid,
                "peak_status": status,
                "peak_year": int(g["year"].iloc[k]),
                "peak_value": float(g["net"].iloc[k]),
            }
        )
    return pd.DataFrame(rows)


def _drivers(totals: pd.DataFrame, gdp: list[float]) -> pd.DataFrame:
    sids = totals["scenario"].unique()
    return pd.concat(
        [
            pd.DataFrame(
                {"scenario": s, "driver": "gdp", "unit": "亿CNY", "year": YEARS, "value": gdp}
            )
            for s in sids
        ],
        ignore_index=True,
    )


def _check(rows: list[dict[str, Any]], totals: pd.DataFrame, **kw: Any) -> pd.DataFrame:
    targets = read_targets(_frame(rows), DRIVERS)
    gdp = kw.get("gdp", [1000.0] * len(YEARS))
    checks, _lines = assess(targets, totals, _summary(totals), _drivers(totals, gdp))
    return checks.set_index(["target", "scenario"])


def _line(start: float, end: float) -> list[float]:
    return list(np.linspace(start, end, len(YEARS)))


def test_every_problem_of_the_targets_table_at_once() -> None:
    rows = [
        {"target": "a", "kind": "cap"},
        {"target": "b", "kind": "absolute"},  # no year, no value
        {"target": "c", "kind": "absolute", "year": 2030, "base_year": 2020, "value": 1.0},
        {"target": "d", "kind": "intensity", "year": 2030, "value": 1.0, "per": "population"},
        {"target": "e", "kind": "absolute", "year": 2030, "value": 5.0, "unit": "GJ"},
        {"target": "e", "kind": "budget", "start_year": 2031, "end_year": 2030, "value": 9.0},
    ]
    with pytest.raises(PlanValidationError) as err:
        read_targets(_frame(rows), DRIVERS)
    found = {(p.row, p.field) for p in err.value.problems}
    assert {
        (2, "kind"),
        (3, "year"),
        (3, "value"),
        (5, "per"),
        (6, "unit"),
        (7, "target"),
        (7, "start_year"),
    } <= found
    assert all(p.file == "targets.csv" for p in err.value.problems)


@pytest.mark.parametrize("reduction", ["140", "-5"])
def test_a_reduction_outside_0_to_100_is_located_by_the_plan_reader(
    tmp_path: Any, reduction: str
) -> None:
    """The spec of targets.csv (reduction from 0 to 100 %) locates the cell when the plan is
    read; read_targets does not check it again."""
    import shutil

    from neutra.io.folder import read_folder

    plan = tmp_path / "city"
    shutil.copytree("examples/city", plan)
    path = plan / "targets.csv"
    text = path.read_text(encoding="utf-8")
    assert "intensity_2030,intensity,2030,2025,18," in text  # row 4
    path.write_text(
        text.replace(
            "intensity_2030,intensity,2030,2025,18,",
            f"intensity_2030,intensity,2030,2025,{reduction},",
        ),
        encoding="utf-8",
    )
    _plan, problems = read_folder(plan)
    found = {(p.file, p.row, p.field, p.value) for p in problems}
    assert ("targets.csv", 4, "reduction", reduction) in found


def test_absolute_target_from_a_base_year_and_a_unit() -> None:
    tot = _totals(a=_line(100.0, 55.0), b=_line(100.0, 70.0))
    rows = [
        # 40 % below 2020: 100 → at most 60 in 2030 (the path is at 70 in 2030 for a, 80 for b)
        {"target": "cut", "kind": "absolute", "year": 2030, "base_year": 2020, "reduction": 40},
        # 0.0075 万t = 75 t
        {"target": "cap", "kind": "absolute", "year": 2030, "value": 0.0075, "unit": "万t"},
    ]
    c = _check(rows, tot)
    assert c.loc[("cut", "a"), "limit"] == pytest.approx(60.0)
    assert c.loc[("cut", "a"), "value"] == pytest.approx(70.0)
    assert not c.loc[("cut", "a"), "met"]
    assert c.loc[("cut", "a"), "gap"] == pytest.approx(10.0)
    assert c.loc[("cap", "a"), "limit"] == pytest.approx(75.0)
    assert c.loc[("cap", "a"), "met"]
    assert not c.loc[("cap", "b"), "met"]  # b falls 30 over 15 years: 100 − 20 = 80 in 2030
    assert c.loc[("cap", "b"), "gap"] == pytest.approx(5.0)


def test_intensity_against_a_base_year_outside_the_simulation() -> None:
    """China's 2030 target form: CO2 per GDP more than 65 % below 2005 (SOURCES.md "Targets").
    2.0 t/万CNY in 2005 = 20 000 t per 亿CNY; −65 % → at most 7 000 t per 亿CNY in 2030."""
    gdp = [1000.0] * len(YEARS)
    emissions = [7.0e6] * len(YEARS)
    emissions[YEARS.index(2030)] = 7.1e6
    tot = _totals(s=emissions)
    rows = [
        {
            "target": "int",
            "kind": "intensity",
            "year": 2030,
            "base_year": 2005,
            "base_value": 2.0,
            "unit": "t/万CNY",
            "reduction": 65,
            "per": "gdp",
        }
    ]
    c = _check(rows, tot, gdp=gdp)
    assert c.loc[("int", "s"), "limit"] == pytest.approx(7000.0)
    assert c.loc[("int", "s"), "value"] == pytest.approx(7100.0)
    assert not c.loc[("int", "s"), "met"]
    assert "100,000 t CO2e" in c.loc[("int", "s"), "detail"]  # 100 t/亿CNY × 1 000 亿CNY


def test_a_base_year_outside_the_simulation_needs_its_value() -> None:
    tot = _totals(s=_line(10.0, 5.0))
    rows = [
        {"target": "int", "kind": "intensity", "year": 2030, "base_year": 2005, "reduction": 65}
    ]
    rows[0]["per"] = "gdp"
    targets = read_targets(_frame(rows), DRIVERS)
    with pytest.raises(PlanValidationError, match="base_value"):
        assess(targets, tot, _summary(tot), _drivers(tot, [1.0] * len(YEARS)))


def test_peak_and_neutrality() -> None:
    rising = _line(10.0, 40.0)
    falling = [10, 12, 14, 13, 11, 9, 7, 5, 3, 1, -1, -2, -2, 1, -1, -3]  # back above 0 in 2033
    tot = _totals(up=rising, down=falling)
    rows = [
        {"target": "peak", "kind": "peak", "year": 2025},
        {"target": "zero", "kind": "neutrality", "year": 2030},
    ]
    c = _check(rows, tot)
    assert c.loc[("peak", "down"), "met"]  # peaks in 2022
    assert c.loc[("peak", "down"), "value"] == 2022
    assert not c.loc[("peak", "up"), "met"]  # the maximum is the last year
    assert not c.loc[("zero", "down"), "met"]
    assert c.loc[("zero", "down"), "years_off_track"] == [2033]


def test_budgets_with_and_without_banking() -> None:
    """2021–2025 budget 500 used 450 → 50 banked; 2026–2030 budget 400 used 430 → met only with
    the bank (effective 450)."""
    net = [0.0] * len(YEARS)
    for y in range(2021, 2026):
        net[YEARS.index(y)] = 90.0
    for y in range(2026, 2031):
        net[YEARS.index(y)] = 86.0
    tot = _totals(s=net)
    for banking, met in ((True, True), (False, False)):
        rows = [
            {"target": "b1", "kind": "budget", "start_year": 2021, "end_year": 2025},
            {"target": "b2", "kind": "budget", "start_year": 2026, "end_year": 2030},
        ]
        rows[0].update(value=500.0, banking=banking)
        rows[1].update(value=400.0, banking=banking)
        c = _check(rows, tot)
        assert c.loc[("b1", "s"), "value"] == pytest.approx(450.0)
        assert c.loc[("b2", "s"), "value"] == pytest.approx(430.0)
        assert c.loc[("b2", "s"), "limit"] == pytest.approx(450.0 if banking else 400.0)
        assert bool(c.loc[("b2", "s"), "met"]) is met


def test_sbti_line_is_linear() -> None:
    """SBTi criteria v5, absolute contraction (SOURCES.md "Targets"): 100 t in 2020, 1.5 °C,
    2030 → 100 × (1 − 0.042 × 10) = 58 t (compounded would be 65.1 t)."""
    tot = _totals(s=_line(100.0, 55.0))  # 70 in 2030
    c = _check([{"target": "sbt", "kind": "sbti", "year": 2030, "base_year": 2020}], tot)
    assert c.loc[("sbt", "s"), "limit"] == pytest.approx(58.0)
    assert not c.loc[("sbt", "s"), "met"]


def test_net_zero_needs_the_deep_cut_and_the_removals() -> None:
    """Net-zero standard (SOURCES.md): ≥ 90 % below the base by the net-zero year, the residual
    neutralised by removals; base 100 → residual at most 10."""
    tot = _totals(ok=_line(100.0, 5.0), short=_line(100.0, 30.0))
    for frame in (tot,):
        frame.loc[frame["year"] >= 2030, "sinks"] = -12.0
        frame["net"] = frame["emissions"] + frame["sinks"]
    rows = [{"target": "nz", "kind": "netzero", "year": 2035, "base_year": 2020}]
    c = _check(rows, tot)
    assert c.loc[("nz", "ok"), "limit"] == pytest.approx(10.0)
    assert c.loc[("nz", "ok"), "met"]
    assert not c.loc[("nz", "short"), "met"]


def _alloc(rows: list[dict[str, Any]]) -> pd.DataFrame:
    out = pd.DataFrame(rows)
    out["row"] = range(2, len(out) + 2)
    out["file"] = "allocation.csv"
    return out


def test_allocation_and_aggregation_in_the_targets_unit() -> None:
    """Equal rate: bases 60 and 40 万t, target 80 万t → allowances 48 and 32 万t; plans 50 and
    30 → gaps +2 and −2 万t, the sum of plans equals the target."""
    tot = _totals(s=_line(1.0e6, 0.5e6))
    rows = [
        {
            "target": "cap",
            "kind": "absolute",
            "year": 2030,
            "value": 80.0,
            "unit": "万t",
            "allocate": "equal_rate",
        }
    ]
    targets = read_targets(_frame(rows), DRIVERS)
    checks, _ = assess(targets, tot, _summary(tot), _drivers(tot, [1.0] * len(YEARS)))
    members = _alloc(
        [
            {"target": "cap", "member": "x", "base": 60.0, "planned": 50.0},
            {"target": "cap", "member": "y", "base": 40.0, "planned": 30.0},
        ]
    )
    out, summary = allocate_targets(targets, checks, members)
    by = out.set_index("member")
    assert by.loc["x", "allowance"] == pytest.approx(480_000.0)
    assert by.loc["y", "allowance"] == pytest.approx(320_000.0)
    assert by.loc["x", "gap"] == pytest.approx(20_000.0)
    assert by.loc["y", "gap"] == pytest.approx(-20_000.0)
    assert summary.iloc[0]["bottom_up"] == pytest.approx(800_000.0)
    assert summary.iloc[0]["gap"] == pytest.approx(0.0, abs=1e-6)
    assert summary.iloc[0]["members_over"] == 1


def test_allocation_problems_are_located() -> None:
    tot = _totals(s=_line(1.0, 0.5))
    rows = [
        {"target": "cap", "kind": "absolute", "year": 2030, "value": 1.0, "allocate": "benchmark"},
        {"target": "pk", "kind": "peak", "year": 2025},
    ]
    targets = read_targets(_frame(rows), DRIVERS)
    checks, _ = assess(targets, tot, _summary(tot), _drivers(tot, [1.0] * len(YEARS)))
    members = _alloc(
        [
            {"target": "cap", "member": "x", "output": 5.0},  # no benchmark
            {"target": "cap", "member": "x", "output": 5.0, "benchmark": 1.0},  # twice
            {"target": "nope", "member": "z"},
            {"target": "pk", "member": "z"},
        ]
    )
    with pytest.raises(PlanValidationError) as err:
        allocate_targets(targets, checks, members)
    found = {(p.row, p.field) for p in err.value.problems}
    assert {(2, "benchmark"), (3, "member"), (4, "target"), (5, "target")} <= found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("equal_rate", ("equal_rate", None)),
        ("mix:equal_rate=0.6,potential=0.4", ("mix", {"equal_rate": 0.6, "potential": 0.4})),
    ],
)
def test_methods(text: str, expected: Any) -> None:
    assert parse_method(text) == expected


@pytest.mark.parametrize(
    "text", ["", "fair", "mix:equal_rate=0.5", "mix:luck=1", "mix:equal_rate=x"]
)
def test_bad_methods(text: str) -> None:
    with pytest.raises(ValueError, match=r"one of|known methods|summing to 1|a number"):
        parse_method(text)


@settings(max_examples=40, deadline=None)
@given(
    bases=st.lists(st.floats(1.0, 1e6), min_size=1, max_size=8),
    caps=st.lists(st.floats(0.0, 1e6), min_size=1, max_size=8),
    cut=st.floats(0.0, 0.99),
    method=st.sampled_from(
        ["equal_rate", "capability", "potential", "mix:equal_rate=0.3,capability=0.7"]
    ),
)
def test_allowances_add_up_to_the_target(
    bases: list[float], caps: list[float], cut: float, method: str
) -> None:
    n = len(bases)
    total_base = sum(bases)
    rows = [
        {
            "target": "cap",
            "kind": "absolute",
            "year": 2030,
            "value": total_base * (1 - cut),
            "allocate": method,
        }
    ]
    targets = read_targets(_frame(rows), DRIVERS)
    tot = _totals(s=_line(1.0, 1.0))
    checks, _ = assess(targets, tot, _summary(tot), _drivers(tot, [1.0] * len(YEARS)))
    members = _alloc(
        [
            {
                "target": "cap",
                "member": f"m{i}",
                "base": b,
                "capability": caps[i % len(caps)] + 1.0,
                "potential": caps[i % len(caps)],
            }
            for i, b in enumerate(bases)
        ]
    )
    out, _ = allocate_targets(targets, checks, members)
    assert len(out) == n
    assert out["allowance"].sum() == pytest.approx(total_base * (1 - cut), rel=1e-9, abs=1e-6)
    assert (out["allowance"] >= -1e-9).all()


def test_the_city_example() -> None:
    """The fictional city's targets (examples/city/targets.csv): the policy scenario peaks by
    2025 and meets the 2030 cap; the baseline does not; the sectors' plans exceed the cap."""
    from neutra import services

    _plan, result, _info = services.simulate("examples/city", wedges=False)
    found = result.targets
    assert found is not None
    c = found["target_checks"].set_index(["target", "scenario"])
    assert c.loc[("peak_2025", "policy"), "met"]
    assert not c.loc[("peak_2025", "baseline"), "met"]
    assert c.loc[("cap_2030", "policy"), "met"]
    assert not c.loc[("cap_2030", "baseline"), "met"]
    assert c.loc[("neutral_2060", "enhanced"), "met"]
    members = found["target_members"]
    cap = members[members["target"] == "cap_2030"]
    assert cap["allowance"].sum() == pytest.approx(56_000_000.0)
    agg = found["target_aggregation"].set_index("target")
    assert agg.loc["cap_2030", "gap"] > 0


def test_cli_checks_the_plan_targets() -> None:
    import json

    from typer.testing import CliRunner

    from neutra.cli import app

    res = CliRunner().invoke(app, ["target", "check", "examples/city", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["schema"] == "neutra.targets/1"
    kinds = {c["kind"] for c in doc["checks"]}
    assert kinds == {"peak", "absolute", "intensity", "budget", "neutrality"}
    assert {a["target"] for a in doc["aggregation"]} == {"cap_2030", "budget_2026_2030"}
    text = CliRunner().invoke(app, ["target", "check", "examples/city"])
    assert text.exit_code == 0
    assert "目标与情景对比" in text.output
    assert "Top-down against bottom-up" in text.output


def test_cli_without_targets_says_what_to_do(tmp_path: Any) -> None:
    import shutil

    from typer.testing import CliRunner

    from neutra.cli import app

    plan = tmp_path / "city"
    shutil.copytree("examples/city", plan)
    (plan / "targets.csv").unlink()
    (plan / "allocation.csv").unlink()
    res = CliRunner().invoke(app, ["target", "check", str(plan), "--json"])
    assert res.exit_code == 2
    assert "--target-year" in res.output


def test_borrowing_from_the_next_budget() -> None:
    """Borrowing (UK Climate Change Act style, SOURCES.md "Targets"): 2021–2025 budget 440 used
    450 → 10 short; the next budget is 1 000, so up to 1 % = 10 may be borrowed: met, and the
    next budget is 990."""
    net = [0.0] * len(YEARS)
    for y in range(2021, 2026):
        net[YEARS.index(y)] = 90.0
    for y in range(2026, 2031):
        net[YEARS.index(y)] = 190.0
    tot = _totals(s=net)
    rows = [
        {"target": "b1", "kind": "budget", "start_year": 2021, "end_year": 2025},
        {"target": "b2", "kind": "budget", "start_year": 2026, "end_year": 2030},
    ]
    rows[0].update(value=440.0, borrowing=True)
    rows[1].update(value=1000.0, borrowing=True)
    c = _check(rows, tot)
    assert c.loc[("b1", "s"), "met"]
    assert c.loc[("b1", "s"), "limit"] == pytest.approx(450.0)
    assert c.loc[("b2", "s"), "limit"] == pytest.approx(990.0)
    assert c.loc[("b2", "s"), "value"] == pytest.approx(950.0)
    rows[0]["borrow_limit"] = 0.005  # 5 may be borrowed, 10 are needed
    rows[1]["borrow_limit"] = 0.005
    c = _check(rows, tot)
    assert not c.loc[("b1", "s"), "met"]


def test_an_intensity_target_in_kg_per_wan_cny(tmp_path: Any) -> None:
    """An intensity target in kg/万CNY (the city's gdp is in 亿CNY): results are in t CO2e per
    亿CNY; one kg/万CNY is 10 t/亿CNY (10⁻³ t per 10⁻⁴ 亿CNY), so the JSON says display_scale 10
    and the CLI and the report show the value ÷ 10 in kg/万CNY."""
    import json
    import shutil

    from typer.testing import CliRunner

    from neutra import services
    from neutra.cli import app
    from neutra.report.targets import targets_section

    plan = tmp_path / "city"
    shutil.copytree("examples/city", plan)
    path = plan / "targets.csv"
    text = path.read_text(encoding="utf-8")
    old = "intensity_2030,intensity,2030,2025,18,,,gdp,"
    assert old in text
    path.write_text(
        text.replace(old, "intensity_2030,intensity,2030,2025,18,,kg/万CNY,gdp,"), encoding="utf-8"
    )
    res = CliRunner().invoke(app, ["target", "check", str(plan), "--json"])
    assert res.exit_code == 0, res.output
    checks = [c for c in json.loads(res.output)["checks"] if c["target"] == "intensity_2030"]
    assert checks
    for c in checks:
        assert c["display_unit"] == "kg/万CNY"
        assert c["display_scale"] == pytest.approx(10.0)
    value = checks[0]["value"]  # t CO2e per 亿CNY
    assert value > 1e3  # so that value and value ÷ 10 print differently
    shown = CliRunner().invoke(app, ["target", "check", str(plan)], env={"COLUMNS": "200"}).output
    assert f"{value / 10:,.1f}" in shown
    assert f"{value:,.1f}" not in shown
    _plan, result, _info = services.simulate(plan, wedges=False)
    html = targets_section(_plan, result, "en")
    assert f"{value / 10:,.1f}" in html
    assert "kg/万CNY" in html
