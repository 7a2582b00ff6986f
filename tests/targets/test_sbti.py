"""Science-based targets, absolute contraction (SOURCES.md "Targets": linear, 4.2 %/yr for
1.5 °C and 2.5 %/yr for well-below 2 °C; compounding is a bug)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from neutra.cli import app
from neutra.errors import PlanValidationError
from neutra.targets.sbti import KNOWN_NOT_OFFERED, METHODS, absolute_contraction

runner = CliRunner()


def test_linear_not_compounded() -> None:
    t = absolute_contraction(2020, 100.0, 2030, "1.5C")
    # SOURCES.md: E_target = E_base × (1 − r × (T − B)) = 100 × (1 − 0.042 × 10) = 58.0.
    assert t.target_emissions == pytest.approx(58.0)
    # Compounding would give 100 × (1 − 0.042)^10 = 65.1: it must not.
    assert t.target_emissions != pytest.approx(100 * (1 - 0.042) ** 10, rel=1e-3)
    wb = absolute_contraction(2020, 100.0, 2030, "WB2C")
    assert wb.target_emissions == pytest.approx(75.0)  # 100 × (1 − 0.025 × 10)


def test_the_rate_can_not_go_below_zero() -> None:
    t = absolute_contraction(2020, 100.0, 2050, "1.5C")  # 0.042 × 30 = 1.26 > 1
    assert t.target_emissions == 0
    assert t.notes


@given(
    base=st.floats(0, 1e9),
    years=st.integers(1, 40),
    ambition=st.sampled_from(["1.5C", "WB2C"]),
)
def test_pathway_is_a_straight_line_down(base: float, years: int, ambition: str) -> None:
    t = absolute_contraction(2020, base, 2020 + years, ambition)
    steps = t.pathway["emissions"].diff().dropna()
    assert (steps <= 1e-9).all()
    if t.reduction < 1:
        assert steps.max() == pytest.approx(steps.min(), rel=1e-9, abs=1e-6)


def test_bad_input_is_reported_at_once() -> None:
    with pytest.raises(PlanValidationError) as info:
        absolute_contraction(2030, -5.0, 2020, "3C")
    fields = {p.field for p in info.value.problems}
    assert fields == {"ambition", "base_emissions", "target_year"}


def test_cli_json() -> None:
    res = runner.invoke(
        app,
        [
            "target",
            "sbti",
            "--base-year",
            "2020",
            "--base-emissions",
            "100",
            "--target-year",
            "2030",
            "--ambition",
            "WB2C",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["schema"] == "neutra.sbti/1"
    assert doc["target_emissions_t"] == pytest.approx(75.0)
    assert doc["pathway"]["2025"] == pytest.approx(87.5)


def test_the_default_method_version_is_named() -> None:
    t = absolute_contraction(2020, 100.0, 2030, "1.5C")
    assert t.method == "aca-v5"
    named = absolute_contraction(2020, 100.0, 2030, "1.5C", "aca-v5")
    assert (named.method, named.target_emissions) == ("aca-v5", t.target_emissions)


def test_a_known_but_unconfirmed_version_is_refused_with_the_reason() -> None:
    # SOURCES.md: the 2025/26 revision's formula is unconfirmed, so it is not offered.
    assert "cnzs-v2" in KNOWN_NOT_OFFERED
    assert "cnzs-v2" not in METHODS
    with pytest.raises(PlanValidationError) as info:
        absolute_contraction(2020, 100.0, 2030, "1.5C", "cnzs-v2")
    (problem,) = info.value.problems
    assert problem.field == "method"
    assert "known but not offered" in problem.expected
    assert "not confirmed" in problem.expected
    with pytest.raises(PlanValidationError, match="aca-v5"):
        absolute_contraction(2020, 100.0, 2030, "1.5C", "aca-v9")


def test_cli_method_option() -> None:
    args = ["target", "sbti", "--base-year", "2020", "--base-emissions", "100"]
    args += ["--target-year", "2030", "--json"]
    ok = runner.invoke(app, [*args, "--method", "aca-v5"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["method"] == "aca-v5"
    refused = runner.invoke(app, [*args, "--method", "cnzs-v2"])
    assert refused.exit_code == 2
    doc = json.loads(refused.stdout)
    assert doc["problems"][0]["field"] == "method"
