"""ETS templates: the packaged data is well-formed and cited; the EU cap path by Art. 9."""

from __future__ import annotations

import itertools
import tomllib
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neutra.errors import ReferenceDataError
from neutra.market.templates import (
    COLUMNS,
    TEMPLATE_NAMES,
    cap_path,
    describe,
    load_template,
    parse_parameters,
)
from neutra.model.enums import Status

EU_2021_CAP = 1_571_583_007  # Commission Decision (EU) 2020/1722, Art. 1 (stationary, 2021)
EU_LRF_2021_AMOUNT = 43_003_515  # Decision (EU) 2020/1722 recital 2: 2.2 % a year
EU_LRF_2024_AMOUNT = 87_924_231  # 4.3 % (Directive (EU) 2023/959), per Decision (EU) 2023/1575
EU_2024_CAP = 1_386_051_745  # Commission Decision (EU) 2023/1575, as reported (recht-energisch.de)


def test_manifest_lists_the_ets_sets() -> None:
    data = resources.files("neutra.refdata") / "data"
    raw = tomllib.loads((data / "manifest.toml").read_text(encoding="utf-8"))
    files = {s["id"]: s["file"] for s in raw["ets_sets"]}
    assert files == {
        "ets-cn-power": "ets_cn_power.csv",
        "ets-cn-industry": "ets_cn_industry.csv",
        "ets-eu-cap": "ets_eu_cap.csv",
        "ets-uk-cap": "ets_uk_cap.csv",
    }
    assert all(f.startswith("ets_") for f in files.values())


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_every_figure_is_cited_with_a_status(name: str) -> None:
    t = load_template(name)
    assert t.parameters
    for p in t.parameters:
        assert p.scheme == name
        assert p.source.strip()
        assert p.licence.strip()
        assert p.status in set(Status)
        assert p.name_en
        assert p.name_zh
        if p.status is not Status.VERIFIED:
            assert p.note.strip(), p.id  # the note says why it is not verified


def test_china_benchmarks_as_cited() -> None:
    t = load_template("cn-power")
    # 2019-2020 plan, as tabulated by ICAP for the Nov 2020 draft (t CO2/MWh; t CO2/GJ).
    expected = {
        "coal_above_300mw": (0.877, 0.126),
        "coal_300mw_and_below": (0.979, 0.126),
        "coal_unconventional": (1.146, 0.126),
        "gas": (0.392, 0.059),
    }
    for unit, (sup, heat) in expected.items():
        for year in (2019, 2020):
            s, h = t.find("supply_benchmark", year, unit), t.find("heat_benchmark", year, unit)
            assert s is not None
            assert h is not None
            assert (s.value, h.value) == (sup, heat)
            assert s.status is Status.REPORTED
    # 2021 and 2022 (one secondary table only): shipped, but flagged unverified.
    for year, value in ((2021, 0.8218), (2022, 0.8177)):
        p = t.find("supply_benchmark", year, "coal_above_300mw")
        assert p is not None
        assert p.value == value
        assert p.status is Status.UNVERIFIED
    assert t.find("supply_benchmark", 2023, "gas") is None  # not shipped: no invented years
    limit = t.offset_limit(2021)
    assert limit is not None
    assert limit.value == 0.05


def test_unknown_template_and_broken_data() -> None:
    with pytest.raises(ReferenceDataError, match="cn-power, cn-industry, eu-ets, uk-ets"):
        load_template("us-rggi")
    with pytest.raises(ReferenceDataError, match="header"):
        parse_parameters("a,b\n1,2\n", "x.csv")
    bad_status = ",".join(COLUMNS) + "\ncn-power,p,k,2020,2020,1,t,a,b,src,lic,guessed,n\n"
    with pytest.raises(ReferenceDataError, match="row 2"):
        parse_parameters(bad_status, "x.csv")


def test_eu_cap_after_n_years_of_the_linear_reduction_factor() -> None:
    caps = {c.year: c for c in cap_path(load_template("eu-ets"), range(2020, 2029))}
    assert caps[2020].cap is None  # the template starts with phase 4
    assert caps[2021].cap == EU_2021_CAP
    # Two years of 2.2 %: 1 571 583 007 − 2 × 43 003 515 = 1 485 575 977 (the 2023 cap).
    assert caps[2023].cap == EU_2021_CAP - 2 * EU_LRF_2021_AMOUNT == 1_485_575_977
    # 2024: − 90 M rebasing + 78.4 M maritime − 87 924 231 (4.3 %), Directive (EU) 2023/959.
    c2024 = caps[2024].cap
    assert c2024 == 1_485_575_977 - 90_000_000 + 78_400_000 - EU_LRF_2024_AMOUNT
    assert c2024 is not None
    assert abs(c2024 - EU_2024_CAP) <= 1
    # 2026: another 4.3 % and the second rebasing of 27 M.
    assert caps[2026].cap == c2024 - 2 * EU_LRF_2024_AMOUNT - 27_000_000
    # From 2028: 4.4 % of the same reference quantity = 87 924 231 × 4.4 / 4.3.
    c2027, c2028 = caps[2027].cap, caps[2028].cap
    assert c2027 is not None
    assert c2028 is not None
    assert c2027 - c2028 == pytest.approx(EU_LRF_2024_AMOUNT * 4.4 / 4.3)
    assert caps[2028].derived
    assert not caps[2027].derived
    statuses = {p.status for p in caps[2028].used}
    assert Status.REPORTED in statuses


@given(st.integers(2021, 2100))
def test_eu_cap_never_negative_and_never_rises(year: int) -> None:
    caps = cap_path(load_template("eu-ets"), range(2021, year + 1))
    values = [c.cap for c in caps]
    assert all(v is not None and v >= 0 for v in values)
    assert all(a >= b for a, b in itertools.pairwise(values))  # type: ignore[operator]


def test_uk_template_reuses_the_carbon_budgets_and_ships_no_annual_cap() -> None:
    t = load_template("uk-ets")
    assert [c.cap for c in cap_path(t, [2024, 2025])] == [None, None]
    info = describe(t, [2024])
    budgets = {b["budget"]: b["amount"] for b in info["carbon_budgets_mtco2e"]}  # type: ignore[attr-defined]
    # UK carbon budgets, MtCO2e (SOURCES.md "Targets" [R]), imported from targets.budgets.
    assert budgets["CB4"] == 1950.0
    assert budgets["CB6"] == 965.0
    net_zero = t.find("phase_cap", 2025, "net_zero_2021-2030")
    assert net_zero is not None
    assert net_zero.value == 936_000_000
    assert net_zero.status is Status.UNVERIFIED  # the Authority's response itself not read


def test_cn_industry_gives_the_offset_rule_and_leaves_allocation_to_the_plan() -> None:
    """The national ETS's 2024 sectors: CCER ≤ 5 % of the allowances due (碳排放权交易管理办法
    （试行）, reported), allocation given by the plan."""
    t = load_template("cn-industry")
    assert t.default_method == "given"
    limit = t.offset_limit(2025)
    assert limit is not None
    assert limit.value == pytest.approx(0.05)
    assert t.offset_limit(2023) is None  # the sectors joined with the 2024 emissions
