"""A plan folder's side tables: ``macc.csv``, ``ets.csv`` and ``forest.csv``, read and run.

These are the tables of ``neutra macc``, ``neutra ets`` and ``neutra sinks``, kept beside
``plan.toml`` and run with the plan's ``[settings]`` (docs/plan-format.md "Side tables"):

* ``macc.csv`` — abatement measures (:func:`neutra.io.measures_table.read_measures_table`),
  appraised at ``discount_rate`` and ``social_discount_rate``, with a flat ``carbon_price``
  if given (:func:`neutra.measures.appraisal.analyse_measures`);
* ``ets.csv`` — entities by year (:func:`neutra.market.tables.read_entities_table`) under
  ``ets_template`` (required when the table exists) with ``ets_method`` (default: the
  template's), ``ets_price`` and ``ets_banking``, discounted at ``discount_rate``
  (:func:`neutra.market.assessment.assess`);
* ``forest.csv`` — forest strata (:func:`neutra.removals.forest_table.forest_sinks`) with
  ``forest_method``.

This is workflow, not maths: it reads files and calls the engines, as :mod:`neutra.services`
does. The tables are read from plan folders only (a workbook has no such sheets yet). Every
problem of every table comes back at once, located at its file and row (or at
``plan.toml`` ``[settings]`` for a setting).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neutra.errors import NeutraError, PlanValidationError, Problem
from neutra.model.plan import Settings
from neutra.model.tables import SIDE_FILES

MACC_FILE, ETS_FILE, FOREST_FILE = SIDE_FILES
SETTINGS_FILE = "plan.toml"


@dataclass(frozen=True)
class SideTables:
    """What a plan's side tables gave.

    Attributes:
        settings: the plan's settings they were run with.
        macc: the MACC analysis (:class:`neutra.measures.appraisal.MaccAnalysis`), or ``None``.
        macc_notes: the ``note`` (or ``source``) column of ``macc.csv`` by measure name.
        ets: the ETS assessment (:class:`neutra.market.assessment.EtsResult`), or ``None``.
        ets_notes: the ``note`` column of ``ets.csv`` by (entity, year).
        forest: the forest carbon (:class:`neutra.removals.forest.ForestSinks`), or ``None``.
        forest_notes: the first ``note`` of each stratum of ``forest.csv``.
    """

    settings: Settings
    macc: Any = None
    macc_notes: dict[str, str] = field(default_factory=dict)
    ets: Any = None
    ets_notes: dict[tuple[str, int], str] = field(default_factory=dict)
    forest: Any = None
    forest_notes: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.macc is None and self.ets is None and self.forest is None


def present(folder: str | Path) -> tuple[str, ...]:
    """The side tables a plan has (none for a workbook)."""
    p = Path(folder)
    if not p.is_dir():
        return ()
    return tuple(f for f in SIDE_FILES if (p / f).is_file())


def _problems(exc: NeutraError, file: str) -> list[Problem]:
    if isinstance(exc, PlanValidationError):
        return list(exc.problems)
    return [Problem(file, None, None, None, str(exc))]


def _setting(name: str, value: Any, expected: str) -> Problem:
    shown = None if value is None else str(value)
    return Problem(SETTINGS_FILE, None, f"settings.{name}", shown, expected)


def _notes(path: Path, aliases: dict[str, str], key: str, names: tuple[str, ...]) -> dict[str, str]:
    """The first non-empty ``note`` (else ``source``) of each ``key`` value of a table that its
    reader has already accepted."""
    from neutra.io.tables import normalise_headers, read_csv_records

    _text, records = read_csv_records(path, path.name)
    header = [aliases.get(h.replace("\ufeff", "").strip(), h) for h in records[0]]
    header = normalise_headers(header, names)
    col = next((c for c in ("note", "source") if c in header), None)
    if key not in header or col is None:
        return {}
    k, n = header.index(key), header.index(col)
    out: dict[str, str] = {}
    for r in records[1:]:
        if len(r) > max(k, n) and r[n].strip():
            out.setdefault(r[k].strip(), r[n].strip())
    return out


def _macc(path: Path, settings: Settings) -> tuple[Any, dict[str, str], list[Problem]]:
    from neutra.io.measures_table import KNOWN, MEASURE_HEADER_ALIASES, read_measures_table
    from neutra.measures.appraisal import analyse_measures
    from neutra.measures.policy import CarbonPrice, Policy

    try:
        table = read_measures_table(path)
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
        return None, {}, _problems(exc, path.name)
    return result, _notes(path, MEASURE_HEADER_ALIASES, "name", KNOWN), []


def _ets(path: Path, settings: Settings) -> tuple[Any, dict[tuple[str, int], str], list[Problem]]:
    from neutra.market import TEMPLATE_NAMES, AllocationRule, assess, load_template
    from neutra.market.tables import read_entities_table

    problems: list[Problem] = []
    table = None
    try:
        table = read_entities_table(path)
    except NeutraError as exc:
        problems += _problems(exc, path.name)
    name = settings.ets_template
    template = None
    if name is None:
        problems.append(
            _setting(
                "ets_template",
                None,
                f"an ETS template for {path.name}: one of {', '.join(TEMPLATE_NAMES)} "
                '(e.g. ets_template = "cn-power" in plan.toml [settings])',
            )
        )
    elif name not in TEMPLATE_NAMES:
        problems.append(_setting("ets_template", name, f"one of {', '.join(TEMPLATE_NAMES)}"))
    else:
        template = load_template(name)
    rule = None
    if template is not None:
        try:
            rule = AllocationRule.parse(settings.ets_method or template.default_method)
        except PlanValidationError as exc:
            problems += [
                _setting("ets_method", settings.ets_method, f"{p.expected} (field {p.field})")
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
        return None, {}, _problems(exc, path.name)
    notes = {
        (str(e), int(y)): str(n)
        for e, y, n in zip(
            table.frame["entity"], table.frame["year"], table.frame["note"], strict=True
        )
        if isinstance(n, str) and n.strip()
    }
    return result, notes, []


def _forest(path: Path, settings: Settings) -> tuple[Any, dict[str, str], list[Problem]]:
    from neutra.removals.forest_table import FOREST_HEADER_ALIASES, SPECS, forest_sinks

    try:
        result = forest_sinks(path, settings.forest_method)
    except NeutraError as exc:
        return None, {}, _problems(exc, path.name)
    spec = SPECS[result.method]
    return result, _notes(path, FOREST_HEADER_ALIASES, "stratum", spec.names), []


def run_side_tables(folder: str | Path, settings: Settings) -> tuple[SideTables, list[Problem]]:
    """Read and run the side tables of a plan folder with its settings.

    Returns:
        what the tables gave (a table with problems gives ``None``) and every problem of
        every table and of the settings they use.
    """
    p = Path(folder)
    found = present(p)
    problems: list[Problem] = []
    parts: dict[str, Any] = {}
    if MACC_FILE in found:
        parts["macc"], parts["macc_notes"], more = _macc(p / MACC_FILE, settings)
        problems += more
    if ETS_FILE in found:
        parts["ets"], parts["ets_notes"], more = _ets(p / ETS_FILE, settings)
        problems += more
    if FOREST_FILE in found:
        parts["forest"], parts["forest_notes"], more = _forest(p / FOREST_FILE, settings)
        problems += more
    return SideTables(settings, **parts), problems


__all__ = ["SIDE_FILES", "SideTables", "present", "run_side_tables"]
