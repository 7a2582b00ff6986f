"""The report's plan sections (targets, MACC, carbon market, sinks) for both bundled examples
in both languages, with figures worked by hand from the example tables."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from neutra import services

_EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "neutra" / "examples"
EXAMPLE = _EXAMPLES / "steel_enterprise"
CITY = _EXAMPLES / "city"


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], str]:
    """The four reports of ``neutra demo`` (steel and city, en and zh), as text."""
    root = tmp_path_factory.mktemp("reports")
    out: dict[tuple[str, str], str] = {}
    for name, src in (("steel", EXAMPLE), ("city", CITY)):
        plan = root / name
        shutil.copytree(src, plan, ignore=shutil.ignore_patterns("*.duckdb*"))
        for lang in ("en", "zh"):
            path = services.write_report(plan, root / f"{name}.{lang}.html", lang)  # type: ignore[arg-type]
            out[(name, lang)] = path.read_text(encoding="utf-8")
    return out


def _section(page: str, sid: str) -> str:
    """The text of ``<section id=sid>`` without tags and scripts (charts)."""
    start = page.find(f'<section id="{sid}">')
    assert start >= 0, f"no section {sid}"
    end = page.find("</section>", start)
    body = re.sub(r"<script.*?</script>", " ", page[start:end], flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def _crf(rate: float, years: int) -> float:
    # Capital recovery factor r(1+r)^n / ((1+r)^n − 1) (SOURCES.md, Techno-economics).
    return rate * (1 + rate) ** years / ((1 + rate) ** years - 1)


@pytest.mark.parametrize(
    ("lang", "headings"),
    [
        ("en", ("Targets", "Marginal abatement cost curve", "Carbon market")),
        ("zh", ("目标", "边际减排成本曲线", "碳市场")),
    ],
)
def test_the_steel_report_has_targets_macc_and_market(
    reports: dict[tuple[str, str], str], lang: str, headings: tuple[str, ...]
) -> None:
    page = reports[("steel", lang)]
    for sid, heading in zip(("targets", "macc", "carbon-market"), headings, strict=True):
        assert heading in _section(page, sid)
    assert '<section id="sinks">' not in page  # the steel example has no forest.csv
    targets = _section(page, "targets")
    for tid in ("sbti_2032", "peak_2023", "cut_2035", "netzero_2050"):
        assert tid in targets
    # Charts are drawn: plotly divs inside the sections.
    start = page.find('<section id="macc">')
    assert "plotly-graph-div" in page[start : page.find("</section>", start)]


@pytest.mark.parametrize(
    ("lang", "headings"), [("en", ("Targets", "Sinks")), ("zh", ("目标", "碳汇"))]
)
def test_the_city_report_has_targets_allocation_and_sinks(
    reports: dict[tuple[str, str], str], lang: str, headings: tuple[str, ...]
) -> None:
    page = reports[("city", lang)]
    assert headings[0] in _section(page, "targets")
    assert headings[1] in _section(page, "sinks")
    targets = _section(page, "targets")
    for text in ("peak_2025", "cap_2030", "budget_2026_2030", "neutral_2060", "central"):
        assert text in targets
    assert '<section id="macc">' not in page  # no macc.csv in the city example
    assert '<section id="carbon-market">' not in page


def test_the_steel_macc_figures(reports: dict[tuple[str, str], str]) -> None:
    text = _section(reports[("steel", "en")], "macc")
    # rooftop_pv of macc.csv: capex 1 225 000 000, opex 20 000 000, savings 210 000 000 CNY/yr,
    # 25 years, 179 361 t CO2e/yr; LCOA = (CRF·capex + opex − savings) / abatement.
    lcoa = (_crf(0.08, 25) * 1.225e9 + 2.0e7 - 2.1e8) / 179_361
    assert f"{lcoa:,.1f}" in text  # −419.5 CNY/t CO2e at the private rate, 8 %
    social = (_crf(0.06, 25) * 1.225e9 + 2.0e7 - 2.1e8) / 179_361
    assert f"{social:,.1f}" in text  # at the social rate of the example's settings, 6 %
    # With the carbon price of 100 CNY/t (plan.toml), a flat price lowers every LCOA by 100.
    assert f"{lcoa - 100:,.1f}" in text
    assert "CNY/t CO2e" in text
    for name in ("efficiency", "h2_dri", "ccus", "rooftop_pv", "green_power", "scrap_eaf"):
        assert name in text
    assert "ILLUSTRATIVE" in text  # the costs are said to be illustrative


def test_the_steel_market_position(reports: dict[tuple[str, str], str]) -> None:
    text = _section(reports[("steel", "en")], "carbon-market")
    # 2024 (ets.csv): verified 21 083 249 t, free 20 729 600 t, offsets 300 000 t (within the
    # 5 % limit of the CCER rule, 0.05 × 21 083 249 = 1 054 162 t): 53 649 t bought at the
    # 100 CNY of plan.toml = 5 364 900 CNY.
    bought = 21_083_249 - 20_729_600 - 300_000
    assert 300_000 <= 0.05 * 21_083_249
    assert f"{bought:,}" in text
    assert f"{bought * 100:,}" in text
    assert "given:1" in text
    assert "offset_limit" in text
    assert "reported" in text
    assert "ICAP" in text  # the coverage of steel is cited in the rows' notes


def test_the_city_forest_and_neutrality(reports: dict[tuple[str, str], str]) -> None:
    text = _section(reports[("city", "en")], "sinks")
    # evergreen_broadleaf (forest.csv), IPCC 2006 Vol. 4 Eq. 2.8 with C = V × BCEF × (1 + R) × CF
    # (SOURCES.md, Sinks; CF default 0.47): 2015 35 000 ha × 68 m³/ha, 2020 35 400 × 74,
    # BCEF 1.0, R 0.25.
    c15 = 35_000 * 68 * 1.0 * 1.25 * 0.47
    c20 = 35_400 * 74 * 1.0 * 1.25 * 0.47
    delta = (c20 - c15) / 5
    assert f"{delta:,.1f}" in text  # 28,153.0 t C/yr
    assert f"{-delta * 44 / 12:,.1f}" in text  # net CO2 = −ΔC × 44/12
    assert "Eq. 2.8" in text
    assert "unverified" in text  # the default carbon fraction is flagged
    assert "ILLUSTRATIVE" in text
    for sid in ("baseline", "policy", "enhanced"):
        assert sid in text


def test_the_target_amounts_are_in_the_target_unit(reports: dict[tuple[str, str], str]) -> None:
    text = _section(reports[("city", "en")], "targets")
    # cap_2030 of targets.csv: at most 5 600 万t in 2030, shown in 万t CO2e.
    assert "5,600.0" in text
    assert "万t CO2e" in text
    zh = _section(reports[("city", "zh")], "targets")
    assert "达峰目标" in zh
    assert "碳预算" in zh
