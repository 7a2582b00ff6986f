"""The scenario-model docs follow the code: every table column, variable, branch kind and Chinese
header is documented in docs/plan-format.md, and the JSON schemas in docs/cli-json.md."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from neutra.io.tables import SIM_HEADER_ALIASES
from neutra.model.plan import Settings
from neutra.model.tables import SIM_TABLES, TableSpec
from neutra.results_json import simulation_json
from neutra.simulate.catalogue import LEAF_ONLY, OPTIMIZE_ONLY, VARIABLES, Kind
from neutra.simulate.explain import Explanation
from neutra.testing import markdown_section

DOCS = Path(__file__).resolve().parents[1] / "docs"
PLAN_FORMAT = (DOCS / "plan-format.md").read_text(encoding="utf-8")
CLI_JSON = (DOCS / "cli-json.md").read_text(encoding="utf-8")
SIM_SETTINGS = ("sim_base_year", "end_year", "energy_unit")


_section = markdown_section


def _missing(names: list[str], text: str) -> list[str]:
    return [n for n in names if f"`{n}`" not in text]


def test_the_scenario_section_exists() -> None:
    assert "## Scenario models (情景模型)" in PLAN_FORMAT


@pytest.mark.parametrize("spec", SIM_TABLES, ids=lambda s: s.name)
def test_every_column_of_every_scenario_table_is_documented(spec: TableSpec) -> None:
    assert not _missing(list(spec.names), PLAN_FORMAT)
    # ... in the table's own section, so that a column is not "documented" by another table.
    section = _section(PLAN_FORMAT, f"### {spec.name}.csv")
    missing = _missing(list(spec.names), section)
    assert not missing, f"{spec.name}.csv: columns not documented: {missing}"


def test_every_variable_is_documented() -> None:
    assert not _missing(list(VARIABLES), PLAN_FORMAT)
    missing = _missing(list(VARIABLES), _section(PLAN_FORMAT, "#### Variables"))
    assert not missing, f"variables not in the variables table: {missing}"


def test_every_branch_kind_is_documented() -> None:
    kinds = [k.value for k in Kind]
    assert not _missing(kinds, PLAN_FORMAT)
    missing = _missing(kinds, _section(PLAN_FORMAT, "#### Branch kinds"))
    assert not missing, f"branch kinds not in the branch kinds table: {missing}"


def test_the_simulation_settings_are_documented() -> None:
    assert set(SIM_SETTINGS) <= set(Settings.model_fields)
    assert not _missing(list(SIM_SETTINGS), _section(PLAN_FORMAT, "### `[settings]`"))


def test_the_simulation_json_schema_is_documented() -> None:
    assert "neutra.simulation/1" in CLI_JSON
    assert '"neutra.simulation/1"' in inspect.getsource(simulation_json)


def test_the_explain_json_schema_is_documented() -> None:
    assert "neutra.explain/1" in CLI_JSON
    doc = Explanation("s", "v", "b", 2030, 1.0, "t").as_dict()
    assert doc["schema"] == "neutra.explain/1"


def test_the_simulation_json_fields_are_documented() -> None:
    section = _section(CLI_JSON, "# `neutra simulate --json`")
    for name in ("entity", "neutrality_year_with_trade", "lever", "reduction_t"):
        assert f"`{name}`" in section, name
    source = inspect.getsource(simulation_json)
    assert '"entity"' in source
    assert '"reduction_t"' in source


def test_every_chinese_header_of_the_scenario_tables_is_documented() -> None:
    section = _section(PLAN_FORMAT, "## Scenario models")
    missing = [h for h in SIM_HEADER_ALIASES if f"`{h}`" not in section]
    assert not missing, f"Chinese headers not documented: {missing}"
    assert not [h for h in SIM_HEADER_ALIASES if h not in PLAN_FORMAT]


def test_the_leaf_only_variables_are_documented() -> None:
    section = _section(PLAN_FORMAT, "#### Branch kinds")
    assert "LEAF_ONLY" in section
    assert not _missing(sorted(LEAF_ONLY), section)


def _optimize_doc(termination: str = "optimal") -> dict[str, object]:
    """The JSON of a stand-in optimisation run, to list the keys ``optimize_json`` writes."""
    from types import SimpleNamespace

    from neutra.provenance import RunInfo
    from neutra.results_json import optimize_json

    result = SimpleNamespace(
        status="ok",
        termination=termination,
        objective=1.0,
        constant=0.0,
        emissions={"CO2": 1.0},
        timings={"read": 0.0, "build": 0.0, "solve": 0.0, "results": 0.0},
        size={"variables": 1, "constraints": 1},
        tables={},
        diagnosis=[],
    )
    info = RunInfo("0" * 16, "", "m", "m.txt", "0" * 64, "osemosys", "0", "{}", "optimize")
    return optimize_json(result, info)


def test_the_optimize_json_schema_is_documented() -> None:
    assert "neutra.optimize/1" in CLI_JSON
    assert _optimize_doc()["schema"] == "neutra.optimize/1"


def test_the_optimize_json_fields_and_exit_codes_are_documented() -> None:
    section = _section(CLI_JSON, "# `neutra optimize --json`")
    missing = [k for k in _optimize_doc() if f"`{k}`" not in section]
    assert not missing, f"neutra.optimize/1 fields not documented: {missing}"
    for name in ("constraint", "YEAR", "dual_discounted", "carbon_price"):
        assert f"`{name}`" in section, name
    exits = _section(section, "## Exit codes")
    for code in ("0", "2", "3"):
        assert f"| `{code}` |" in exits, code


def test_optimize_dispatch_is_documented() -> None:
    branches = _section(PLAN_FORMAT, "### branches.csv")
    row = next(line for line in branches.splitlines() if line.startswith("| `dispatch` |"))
    for value in ("share", "merit", "capacity", "optimize"):
        assert f"`{value}`" in row, value
    # ... and the model accepts exactly these.
    from neutra.simulate import model

    assert '("share", "merit", "capacity", "optimize")' in inspect.getsource(model)
    section = _section(PLAN_FORMAT, "### Least-cost modules")
    assert "dispatch = optimize" in section
    missing = _missing([*sorted(OPTIMIZE_ONLY), "lifetime"], section)
    assert not missing, f"least-cost variables not in the least-cost section: {missing}"
