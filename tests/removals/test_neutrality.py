"""The yearly neutrality check: residual emissions against removals, offsets kept apart."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from neutra.errors import PlanValidationError
from neutra.removals.forest import StockInventory, stock_difference
from neutra.removals.neutrality import COLUMNS, check_neutrality
from neutra.simulate.results import _summary

YEARS = [2050, 2051, 2052, 2053]


def ser(values: list[float], years: list[int] = YEARS) -> pd.Series:
    return pd.Series(values, index=years, dtype=float)


def test_by_hand() -> None:
    # net = gross + ccus + sinks + other: 100−10 = 90; 80−20 = 60; 50−10−30−5 = 5; 20−10−30−5 = −25
    c = check_neutrality(
        ser([100, 80, 50, 20]),
        sinks=ser([-10, -20, -30, -30]),
        ccus=ser([0, 0, -10, -10]),
        other_removals=ser([0, 0, -5, -5]),
        offsets=ser([5, 5, 5, 50]),
    )
    t = c.table
    assert list(t.columns) == list(COLUMNS)
    assert t["net_tco2e"].tolist() == [90, 60, 5, -25]
    assert t["removals_tco2e"].tolist() == [-10, -20, -45, -45]
    assert t["neutral"].tolist() == [False, False, False, True]
    assert t["gap_tco2e"].tolist() == [90, 60, 5, 0]
    assert t["net_after_offsets_tco2e"].tolist() == [85, 55, 0, -75]
    assert c.first_neutral_year == 2053
    assert c.neutral_from == 2053
    assert c.last_gap_tco2e == 0


def test_offsets_never_make_a_year_neutral() -> None:
    c = check_neutrality(ser([10, 10, 10, 10]), offsets=ser([20, 20, 20, 20]))
    assert not c.table["neutral"].any()
    assert c.first_neutral_year is None
    assert c.neutral_from is None
    assert (c.table["net_after_offsets_tco2e"] < 0).all()


def test_first_neutral_year_and_neutral_from_differ_when_it_slips_back() -> None:
    c = check_neutrality(ser([-5, 10, -1, -2]))
    assert c.first_neutral_year == 2050
    assert c.neutral_from == 2052
    last_slips = check_neutrality(ser([-5, -1, -1, 3]))
    assert last_slips.first_neutral_year == 2050
    assert last_slips.neutral_from is None


def test_tolerance() -> None:
    c = check_neutrality(ser([3, 2, 1, 0]), tolerance_tco2e=1.0)
    assert c.table["neutral"].tolist() == [False, False, True, True]
    assert c.table["gap_tco2e"].tolist() == [2, 1, 0, 0]


def test_forest_sinks_feed_the_check() -> None:
    # Eq. 2.8: 100 ha × 100 → 110 m³/ha × 0.5 × 1.2 × 0.47 over 2015–2020: −206.8 t CO2/yr
    forest = stock_difference(
        [
            StockInventory(
                stratum="A", year=y, area_ha=100, volume_m3_per_ha=v, bcef_s=0.5, root_shoot=0.2
            )
            for y, v in ((2015, 100.0), (2020, 110.0))
        ]
    )
    years = [2016, 2017, 2018, 2019, 2020]
    c = check_neutrality(
        ser([300, 250, 210, 206, 150], years), sinks=forest.net_emissions_by_year()
    )
    assert c.table["net_tco2e"].tolist() == pytest.approx([93.2, 43.2, 3.2, -0.8, -56.8], abs=1e-9)
    assert c.first_neutral_year == 2019


def test_problems_all_at_once() -> None:
    with pytest.raises(PlanValidationError) as exc:
        check_neutrality(
            ser([1, 2, 3, 4]),
            ccus=ser([-1, 2, 0, 0]),  # captured must be ≤ 0
            sinks=ser([-1, -1, -1], [2050, 2051, 2060]),  # 2052, 2053 missing; 2060 extra
            offsets=ser([1, np.nan, -1, 0]),  # a missing value and a negative one
            tolerance_tco2e=-1,
        )
    fields = [p.field for p in exc.value.problems]
    assert sorted(fields) == sorted(
        ["ccus", "sinks", "sinks", "offsets", "offsets", "tolerance_tco2e"]
    )
    text = str(exc.value)
    assert "2052, 2053" in text
    assert "2060" in text


def test_land_as_a_net_source_is_noted() -> None:
    c = check_neutrality(ser([1, 1, 1, 1]), sinks=ser([-2, 0.5, -2, -2]))
    assert c.notes
    assert "2051" in c.notes[0]


def fake_totals() -> pd.DataFrame:
    rows = []
    for sid, scale in (("baseline", 1.0), ("net-zero", 0.3)):
        for i, y in enumerate(range(2055, 2061)):
            gross = 100.0 * scale - 5 * i
            captured = -10.0 * i * scale
            imports = 8.0 - i
            sinks = -20.0
            offsets = 3.0
            emissions = gross + captured
            net = emissions + imports + sinks
            rows.append(
                {
                    "scenario": sid,
                    "year": y,
                    "gross": gross,
                    "captured": captured,
                    "emissions": emissions,
                    "imports": imports,
                    "sinks": sinks,
                    "net": net,
                    "offsets": offsets,
                    "net_after_trade": net - offsets,
                }
            )
    return pd.DataFrame(rows)


def summary_of(totals: pd.DataFrame) -> pd.DataFrame:
    """The simulation's summary of ``totals`` (a model stub names the scenarios)."""
    ids = list(dict.fromkeys(totals["scenario"]))
    model: Any = SimpleNamespace(
        scenarios={s: SimpleNamespace(id=s, kind="policy", name=s, name_zh="") for s in ids}
    )
    return _summary(model, totals).set_index("scenario")


def test_the_simulation_summary_states_neutrality() -> None:
    totals = fake_totals()
    s = summary_of(totals)
    assert list(s.index) == ["baseline", "net-zero"]
    for sid in s.index:
        g = totals[totals["scenario"] == sid]
        # the outside check of the same series agrees with the summary
        idx = g["year"].astype(int).to_numpy()
        c = check_neutrality(
            pd.Series((g["gross"] + g["imports"]).to_numpy(), index=idx),
            ccus=pd.Series(g["captured"].to_numpy(), index=idx),
            sinks=pd.Series(g["sinks"].to_numpy(), index=idx),
            offsets=pd.Series(g["offsets"].to_numpy(), index=idx),
        )
        assert c.table["net_tco2e"].to_numpy() == pytest.approx(g["net"].to_numpy())
        assert c.table["net_after_offsets_tco2e"].to_numpy() == pytest.approx(
            g["net_after_trade"].to_numpy()
        )
        assert s.loc[sid, "last_net"] == pytest.approx(c.table["net_tco2e"].iloc[-1])
        assert s.loc[sid, "last_gap"] == pytest.approx(c.last_gap_tco2e)
    # net-zero: net = 30 − 5i − 3i + 8 − i − 20 = 18 − 9i → ≤ 0 from i = 2 (2057)
    assert s.loc["net-zero", "neutrality_year"] == 2057
    assert s.loc["net-zero", "neutral_from"] == 2057
    # baseline: net = 88 − 16i > 0 to the end: never neutral, the last gap is 8
    assert pd.isna(s.loc["baseline", "neutral_from"])
    assert s.loc["baseline", "last_gap"] == pytest.approx(8.0)


@given(net=st.lists(st.sampled_from([-2.0, 0.0, 1.0, 3.0]), min_size=1, max_size=12))
def test_the_summary_neutral_from_agrees_with_the_check(net: list[float]) -> None:
    years = list(range(2050, 2050 + len(net)))
    zero = [0.0] * len(net)
    totals = pd.DataFrame(
        {
            "scenario": "s",
            "year": years,
            "emissions": net,
            "imports": zero,
            "net": net,
            "net_after_trade": net,
        }
    )
    s = summary_of(totals).loc["s"]
    c = check_neutrality(ser(net, years))
    for got, want in (
        (s["neutrality_year"], c.first_neutral_year),
        (s["neutral_from"], c.neutral_from),
    ):
        assert (pd.isna(got) and want is None) or got == want
    assert s["last_gap"] == pytest.approx(c.last_gap_tco2e)


@given(
    gross=st.lists(st.floats(min_value=-1e6, max_value=1e6), min_size=1, max_size=30),
    data=st.data(),
)
def test_net_is_gross_plus_removals_and_offsets_never_count(
    gross: list[float], data: st.DataObject
) -> None:
    n = len(gross)
    years = list(range(2030, 2030 + n))
    neg = st.lists(st.floats(min_value=-1e6, max_value=0), min_size=n, max_size=n)
    sinks = data.draw(neg)
    offsets = data.draw(st.lists(st.floats(min_value=0, max_value=1e6), min_size=n, max_size=n))
    with_off = check_neutrality(
        ser(gross, years), sinks=ser(sinks, years), offsets=ser(offsets, years)
    )
    without = check_neutrality(ser(gross, years), sinks=ser(sinks, years))
    assert with_off.table["net_tco2e"].to_numpy() == pytest.approx(np.add(gross, sinks))
    assert with_off.table["neutral"].tolist() == without.table["neutral"].tolist()
    assert with_off.first_neutral_year == without.first_neutral_year
