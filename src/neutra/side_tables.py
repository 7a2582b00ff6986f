"""A plan's side tables: ``macc.csv``, ``ets.csv`` and ``forest.csv``, read and run.

These are the tables of ``neutra macc``, ``neutra ets`` and ``neutra sinks``, kept beside
``plan.toml`` (or as a workbook's sheets ``macc``, ``ets``, ``forest``) and run with the plan's
``[settings]`` (docs/plan-format.md "Side tables"):

* ``macc.csv`` — abatement measures (:func:`neutra.io.measures_table.read_measures_table`),
  appraised at ``discount_rate`` and ``social_discount_rate``, with a flat ``carbon_price``
  if given (:func:`neutra.measures.appraisal.analyse_measures`); a row with a ``wedge`` takes
  its abatement from the plan's simulation: the wedge of that scenario-model measure
  (``SimulationResult.wedges``, t CO2e) in ``wedge_scenario`` (default: the first scenario that
  applies the measure) and ``wedge_year`` (default: the simulation's last year);
* ``ets.csv`` — entities by year (:func:`neutra.market.tables.read_entities_table`) under
  ``ets_template`` (required when the table exists) with ``ets_method`` (default: the
  template's), ``ets_price`` and ``ets_banking``, discounted at ``discount_rate``
  (:func:`neutra.market.assessment.assess`);
* ``forest.csv`` — forest strata (:func:`neutra.removals.forest_table.forest_sinks`) with
  ``forest_method``.

This is workflow, not maths: it reads the tables' text the plan carries
(:attr:`neutra.model.plan.Plan.side_tables`; no file is opened) and calls the engines, as
:mod:`neutra.services` does. Every problem of every table comes back at once, located at its
file and row (``macc.csv``, row 4) or its sheet and cell (``plan.xlsx[macc]``, cell B4), or at
``[settings]`` (``plan.toml``, or the workbook's ``settings`` sheet) for a setting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from neutra.errors import NeutraError, PlanValidationError, Problem, choices
from neutra.i18n import Lang
from neutra.io import SETTINGS_FILE, settings_label, workbook_name
from neutra.io.tables import TableText
from neutra.model.plan import Plan, Settings
from neutra.model.tables import SIDE_FILES

if TYPE_CHECKING:
    import pandas as pd

    from neutra.io.measures_table import MeasuresTable

MACC_FILE, ETS_FILE, FOREST_FILE = SIDE_FILES


@dataclass(frozen=True)
class AbatementOrigin:
    """Where the abatement of a measure of ``macc.csv`` came from.

    Attributes:
        kind: ``typed`` (the table's ``annual_abatement``), ``ccus`` (computed from the capture
            columns) or ``wedge`` (the plan's simulation).
        measure: for a wedge, the scenario-model measure whose wedge it is.
        scenario: for a wedge, its scenario.
        year: for a wedge, its year.
    """

    kind: Literal["typed", "ccus", "wedge"]
    measure: str | None = None
    scenario: str | None = None
    year: int | None = None

    def text(self, lang: Lang = "en") -> str:
        """The origin in words, e.g. ``wedge of efficiency in enhanced, 2035``."""
        if self.kind == "wedge":
            if lang == "zh":
                return f"{self.measure} 在 {self.scenario} 情景 {self.year} 年的楔形减排量"
            return f"wedge of {self.measure} in {self.scenario}, {self.year}"
        if self.kind == "ccus":
            return "由碳捕集列计算" if lang == "zh" else "computed from the CCUS columns"
        return "表中填写" if lang == "zh" else "typed in the table"


@dataclass(frozen=True)
class WedgeIndex:
    """The wedges of a plan's simulation, as ``macc.csv``'s wedge rows need them.

    Attributes:
        applied: by scenario that has wedges (every scenario but the baseline, in the order of
            scenarios.csv), the measures it applies, in order; ``None``: the scenario model
            could not be compiled, so wedge rows are not checked (its own problems are
            reported).
        years: the simulated years.
        reduction: the wedge, t CO2e, by (scenario, measure, year); ``None``: the ids and years
            only (``neutra validate`` checks wedge rows without running the simulation).
    """

    applied: Mapping[str, tuple[str, ...]] | None
    years: tuple[int, ...]
    reduction: Mapping[tuple[str, str, int], float] | None = None

    @classmethod
    def of(cls, wedges: pd.DataFrame) -> WedgeIndex:
        """The index of ``SimulationResult.wedges`` (scenario, year, measure, lever,
        reduction); the rest of each gap (measure and lever ``other``) is not a measure."""
        own = wedges[~((wedges["measure"] == "other") & (wedges["lever"] == "other"))]
        applied: dict[str, list[str]] = {}
        reduction: dict[tuple[str, str, int], float] = {}
        for s, m, y, v in zip(
            own["scenario"], own["measure"], own["year"], own["reduction"], strict=True
        ):
            ms = applied.setdefault(str(s), [])
            if str(m) not in ms:
                ms.append(str(m))
            reduction[(str(s), str(m), int(y))] = float(v)
        years = tuple(sorted({int(y) for y in wedges["year"]}))
        return cls({s: tuple(ms) for s, ms in applied.items()}, years, reduction)


@dataclass(frozen=True)
class SideTables:
    """What a plan's side tables gave.

    Attributes:
        settings: the plan's settings they were run with.
        macc: the MACC analysis (:class:`neutra.measures.appraisal.MaccAnalysis`), or ``None``.
        macc_notes: the ``note`` (or ``source``) column of ``macc.csv`` by measure name.
        macc_origins: where each measure's abatement came from (typed, CCUS, or the wedge of a
            measure of the plan's simulation), by measure name.
        ets: the ETS assessment (:class:`neutra.market.assessment.EtsResult`), or ``None``.
        ets_notes: the ``note`` column of ``ets.csv`` by (entity, year).
        forest: the forest carbon (:class:`neutra.removals.forest.ForestSinks`), or ``None``.
        forest_notes: the first ``note`` of each stratum of ``forest.csv``.
    """

    settings: Settings
    macc: Any = None
    macc_notes: dict[str, str] = field(default_factory=dict)
    macc_origins: dict[str, AbatementOrigin] = field(default_factory=dict)
    ets: Any = None
    ets_notes: dict[tuple[str, int], str] = field(default_factory=dict)
    forest: Any = None
    forest_notes: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.macc is None and self.ets is None and self.forest is None


def present(plan: Plan) -> tuple[str, ...]:
    """The side tables a plan has (file names, in the order of :data:`SIDE_FILES`)."""
    return tuple(f for f in SIDE_FILES if f in plan.side_tables)


def source(plan: Plan, file: str) -> TableText:
    """A side table's text with the label its problems name: ``macc.csv`` in a folder,
    ``plan.xlsx[macc]`` (rows and cells of the sheet) in a workbook.

    Raises:
        KeyError: the plan has no such side table.
    """
    book = workbook_name(plan)
    text = plan.side_tables[file]
    if book is None:
        return TableText(text, file)
    return TableText(text, f"{book}[{file.removesuffix('.csv')}]", sheet=True)


def _problems(exc: NeutraError, file: str) -> list[Problem]:
    if isinstance(exc, PlanValidationError):
        return list(exc.problems)
    return [Problem(file, None, None, None, str(exc))]


def _setting(name: str, value: Any, expected: str, where: str = SETTINGS_FILE) -> Problem:
    shown = None if value is None else str(value)
    return Problem(where, None, f"settings.{name}", shown, expected)


def _records(src: TableText) -> list[list[str]]:
    """The non-blank records of a table's text (its reader has accepted it, or will report)."""
    from neutra.io.tables import csv_records

    return csv_records(src.text, src.label)


def _header(records: list[list[str]], aliases: dict[str, str], names: tuple[str, ...]) -> list[str]:
    """A table's header as its reader names the columns."""
    from neutra.io.tables import alias_headers, normalise_headers

    return normalise_headers(alias_headers(records[0], aliases), names)


def _notes(
    src: TableText, aliases: dict[str, str], key: str, names: tuple[str, ...]
) -> dict[str, str]:
    """The first non-empty ``note`` (else ``source``) of each ``key`` value of a table that its
    reader has already accepted (``forest.csv``, whose reader does not keep them)."""
    records = _records(src)
    header = _header(records, aliases, names)
    col = next((c for c in ("note", "source") if c in header), None)
    if key not in header or col is None:
        return {}
    k, n = header.index(key), header.index(col)
    out: dict[str, str] = {}
    for r in records[1:]:
        if len(r) > max(k, n) and r[n].strip():
            out.setdefault(r[k].strip(), r[n].strip())
    return out


def _cells(
    problems: list[Problem], src: TableText, aliases: dict[str, str], names: tuple[str, ...]
) -> list[Problem]:
    """A sheet's problems with the cell (``B4``) of their row and field where they name none
    (those found after reading: a template, a missing factor), for the readers that do not
    keep the sheet's column letters (``ets.csv``, ``forest.csv``)."""
    from neutra.io.tables import column_letter

    if not src.sheet or not problems:
        return problems
    try:
        header = _header(_records(src), aliases, names)
    except PlanValidationError:
        return problems
    letters: dict[str, str] = {}
    for i, h in enumerate(header):
        letters.setdefault(h, column_letter(i))
    return [
        replace(p, cell=f"{letters[p.field]}{p.row}")
        if p.file == src.label and p.cell is None and p.row and p.field in letters
        else p
        for p in problems
    ]


def _wedge_abatement(
    table: MeasuresTable, index: WedgeIndex | None
) -> tuple[dict[str, float] | None, dict[str, AbatementOrigin], list[Problem]]:
    """The abatement of the wedge rows of ``table`` (t CO2e per year, by measure name) and
    their origins, or the problems of their ids and years. No values when ``index`` has none
    (a check only)."""
    problems: list[Problem] = []
    if index is None:
        for src in table.wedges.values():
            problems.append(
                table.problem(
                    src.row,
                    "wedge",
                    src.measure,
                    "a plan with a scenario model (branches.csv, expressions.csv, "
                    "scenarios.csv, measures.csv; docs/plan-format.md): a wedge is a measure's "
                    "saving in the plan's simulation; or a typed annual_abatement",
                )
            )
        return None, {}, problems
    if index.applied is None:
        return None, {}, []
    applied = index.applied
    known = list(dict.fromkeys(m for ms in applied.values() for m in ms))
    years = index.years
    values: dict[str, float] = {}
    origins: dict[str, AbatementOrigin] = {}
    for name, src in table.wedges.items():
        found = len(problems)
        m = src.measure
        if m not in known:
            problems.append(
                table.problem(
                    src.row,
                    "wedge",
                    m,
                    "a measure of the plan's scenario model that a scenario applies (it has a "
                    f"wedge): {choices(known, m)}",
                )
            )
        scenario = src.scenario
        if scenario is None:
            scenario = next((s for s, ms in applied.items() if m in ms), None)
        elif scenario not in applied:
            problems.append(
                table.problem(
                    src.row,
                    "wedge_scenario",
                    scenario,
                    "a scenario with wedges (every scenario but the baseline): "
                    + choices(list(applied), scenario),
                )
            )
        elif m in known and m not in applied[scenario]:
            which = [s for s, ms in applied.items() if m in ms]
            problems.append(
                table.problem(
                    src.row,
                    "wedge_scenario",
                    scenario,
                    f"a scenario that applies '{m}' (scenarios.csv, measures and parents): "
                    + choices(which, scenario),
                )
            )
        year = src.year if src.year is not None else (years[-1] if years else None)
        if src.year is not None and src.year not in years:
            span = f"{years[0]}–{years[-1]}" if years else "none"
            problems.append(
                table.problem(
                    src.row,
                    "wedge_year",
                    str(src.year),
                    f"a year of the plan's simulation ({span})",
                )
            )
        if len(problems) > found or scenario is None or year is None:
            continue
        origins[name] = AbatementOrigin("wedge", m, scenario, year)
        if index.reduction is not None:
            value = index.reduction.get((scenario, m, year))
            if value is None:  # pragma: no cover - the simulation gives every year of each
                problems.append(
                    table.problem(src.row, "wedge", m, f"a wedge in {scenario}, {year}")
                )
            else:
                values[name] = value
    if problems or index.reduction is None:
        return None, origins, problems
    return values, origins, []


def _macc(
    src: TableText, settings: Settings, index: WedgeIndex | None
) -> tuple[Any, dict[str, str], dict[str, AbatementOrigin], list[Problem]]:
    """The MACC of ``macc.csv``, its notes and the origins of its abatement, or its problems
    (located at the sheet's cells)."""
    from neutra.io.measures_table import read_measures_table
    from neutra.measures.appraisal import analyse_measures
    from neutra.measures.policy import CarbonPrice, Policy

    try:
        table = read_measures_table(src, wedges=True)
    except NeutraError as exc:
        return None, {}, {}, _problems(exc, src.label)
    origins = {
        m.name: AbatementOrigin("ccus" if m.name in table.ccus else "typed") for m in table.measures
    }
    if table.wedges:
        values, found, problems = _wedge_abatement(table, index)
        if problems or values is None:  # problems, or a check without values
            return None, {}, {}, problems
        table = table.with_abatement(values)
        origins.update(found)
    try:
        price = settings.carbon_price
        policy = Policy(carbon_price=CarbonPrice(flat=price)) if price is not None else None
        result = analyse_measures(
            table.measures,
            table.label,
            settings.discount_rate,
            social_rate=settings.social_discount_rate,
            policy=policy,
            table_policies=table.policies,
        )
    except NeutraError as exc:
        return None, {}, {}, table.located(_problems(exc, src.label))
    return result, table.notes, origins, []


def _ets(
    src: TableText, settings: Settings, where: str
) -> tuple[Any, dict[tuple[str, int], str], list[Problem]]:
    from neutra.market import TEMPLATE_NAMES, AllocationRule, assess, load_template
    from neutra.market.tables import read_entities_table

    problems: list[Problem] = []
    table = None
    try:
        table = read_entities_table(src)
    except NeutraError as exc:
        problems += _problems(exc, src.label)
    name = settings.ets_template
    template = None
    if name is None:
        problems.append(
            _setting(
                "ets_template",
                None,
                f"an ETS template for {src.label}: one of {', '.join(TEMPLATE_NAMES)} "
                + (
                    '(e.g. ets_template = "cn-power" in plan.toml [settings])'
                    if where == SETTINGS_FILE
                    else "(e.g. a row ets_template | cn-power in the settings sheet)"
                ),
                where,
            )
        )
    elif name not in TEMPLATE_NAMES:
        problems.append(
            _setting("ets_template", name, f"one of {', '.join(TEMPLATE_NAMES)}", where)
        )
    else:
        template = load_template(name)
    rule = None
    if template is not None:
        try:
            rule = AllocationRule.parse(settings.ets_method or template.default_method)
        except PlanValidationError as exc:
            problems += [
                _setting(
                    "ets_method", settings.ets_method, f"{p.expected} (field {p.field})", where
                )
                for p in exc.problems
            ]
    if problems or table is None or template is None or rule is None:
        return None, {}, problems
    try:
        result = assess(
            table.frame,
            template,
            rule,
            label=table.label,
            columns=table.columns,
            price=settings.ets_price,
            banking=settings.ets_banking,
            rate=settings.discount_rate,
        )
    except NeutraError as exc:
        return None, {}, _problems(exc, src.label)
    notes = {
        (str(e), int(y)): str(n)
        for e, y, n in zip(
            table.frame["entity"], table.frame["year"], table.frame["note"], strict=True
        )
        if isinstance(n, str) and n.strip()
    }
    return result, notes, []


def _forest(src: TableText, settings: Settings) -> tuple[Any, dict[str, str], list[Problem]]:
    from neutra.removals.forest_table import FOREST_HEADER_ALIASES, SPECS, forest_sinks

    try:
        result = forest_sinks(src, settings.forest_method)
    except NeutraError as exc:
        return None, {}, _problems(exc, src.label)
    spec = SPECS[result.method]
    return result, _notes(src, FOREST_HEADER_ALIASES, "stratum", spec.names), []


def _located(plan: Plan, file: str, settings: Settings, problems: list[Problem]) -> list[Problem]:
    """The problems of a workbook's ``ets`` or ``forest`` sheet with their cells
    (:func:`_cells`; ``macc.csv``'s reader keeps its letters and locates its own)."""
    from neutra.market.tables import ENTITIES, ETS_HEADER_ALIASES
    from neutra.removals.forest import SinkMethod
    from neutra.removals.forest_table import FOREST_HEADER_ALIASES, SPECS

    header: dict[str, tuple[dict[str, str], tuple[str, ...]]] = {
        ETS_FILE: (ETS_HEADER_ALIASES, ENTITIES.names),
        FOREST_FILE: (FOREST_HEADER_ALIASES, SPECS[SinkMethod(settings.forest_method)].names),
    }
    aliases, names = header[file]
    return _cells(problems, source(plan, file), aliases, names)


def run_side_tables(
    plan: Plan, index: WedgeIndex | None = None
) -> tuple[SideTables, list[Problem]]:
    """Read and run a plan's side tables (:attr:`neutra.model.plan.Plan.side_tables`, no file
    is opened) with its settings.

    Args:
        plan: the plan.
        index: the wedges of the plan's simulation (:meth:`WedgeIndex.of` its
            ``SimulationResult.wedges``), which fill the abatement of ``macc.csv``'s wedge
            rows; or an index without values, against which they are only checked (the MACC
            is then not appraised); ``None``: the plan has no simulation, and a wedge row is a
            problem.

    Returns:
        what the tables gave (a table with problems gives ``None``) and every problem of
        every table and of the settings they use, located at the folder's file and row or the
        workbook's sheet and cell.
    """
    settings = plan.settings
    found = present(plan)
    where = settings_label(plan)
    problems: list[Problem] = []
    parts: dict[str, Any] = {}
    if MACC_FILE in found:
        parts["macc"], parts["macc_notes"], parts["macc_origins"], more = _macc(
            source(plan, MACC_FILE), settings, index
        )
        problems += more
    if ETS_FILE in found:
        parts["ets"], parts["ets_notes"], more = _ets(source(plan, ETS_FILE), settings, where)
        problems += _located(plan, ETS_FILE, settings, more)
    if FOREST_FILE in found:
        parts["forest"], parts["forest_notes"], more = _forest(source(plan, FOREST_FILE), settings)
        problems += _located(plan, FOREST_FILE, settings, more)
    return SideTables(settings, **parts), problems


__all__ = [
    "SIDE_FILES",
    "AbatementOrigin",
    "SideTables",
    "WedgeIndex",
    "present",
    "run_side_tables",
    "source",
]
