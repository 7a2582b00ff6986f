"""docs/plan-format.md follows the code for the targets tables and the side tables: every column
of every spec is documented in its table's own section, and every setting in ``[settings]``."""

from __future__ import annotations

from pathlib import Path

import pytest

from neutra.io.measures_table import COLUMNS as MACC_COLUMNS
from neutra.io.measures_table import OPTIONAL as MACC_OPTIONAL
from neutra.market.tables import ENTITY_COLUMNS
from neutra.model.plan import Settings
from neutra.model.tables import TARGET_TABLES
from neutra.removals.forest_table import SPECS
from neutra.side_tables import SIDE_FILES
from neutra.testing import markdown_section

PLAN_FORMAT = (Path(__file__).resolve().parents[1] / "docs" / "plan-format.md").read_text(
    encoding="utf-8"
)


def _section(heading: str) -> str:
    return markdown_section(PLAN_FORMAT, heading)


def _undocumented(names: list[str], text: str) -> list[str]:
    return [n for n in names if f"| `{n}` |" not in text]


@pytest.mark.parametrize("spec", TARGET_TABLES, ids=lambda s: s.name)
def test_every_column_of_the_target_tables_is_documented(spec) -> None:  # type: ignore[no-untyped-def]
    missing = _undocumented(list(spec.names), _section(f"### {spec.name}.csv"))
    assert not missing, f"{spec.name}.csv: columns not documented: {missing}"


def test_every_column_of_the_side_tables_is_documented() -> None:
    macc = [c.name for c in (*MACC_COLUMNS, *MACC_OPTIONAL)]
    assert not _undocumented(macc, _section("### macc.csv"))
    assert not _undocumented([c.name for c in ENTITY_COLUMNS], _section("### ets.csv"))
    forest = _section("### forest.csv")
    for method, spec in SPECS.items():
        assert f"#### {method.value}" in forest  # a section per method inside forest.csv's
        missing = _undocumented(list(spec.names), _section(f"#### {method.value}"))
        assert not missing, f"forest.csv ({method.value}): columns not documented: {missing}"
    side = _section("## Side tables")
    assert all(f"`{f}`" in side for f in SIDE_FILES)
    assert all(f"`{f.removesuffix('.csv')}`" in side for f in SIDE_FILES)  # a workbook's sheets


def test_every_setting_is_documented() -> None:
    settings = _section("### `[settings]`")
    missing = _undocumented(list(Settings.model_fields), settings)
    assert not missing, f"settings not documented: {missing}"
