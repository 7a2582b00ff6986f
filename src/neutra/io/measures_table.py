"""Measures tables: a CSV of abatement measures for the MACC, read and checked.

Columns (header row required; case and spaces do not matter; Chinese headers such as ``措施``,
``投资`` are understood): ``name``, ``capex`` (currency, ≥ 0), ``opex`` (currency/yr),
``annual_savings`` (currency/yr), ``lifetime`` (whole years ≥ 1), ``annual_abatement``
(t CO2e/yr). Optional columns (:data:`OPTIONAL`): the electricity saved and its price, start year
and ramp, a group of mutually exclusive measures, policy parameters per measure (subsidy, tax
credit, green loan), the columns of a CCUS measure (a row with a ``capture_rate`` is one: its
abatement is computed, so its ``annual_abatement`` stays empty) and, in a plan's ``macc.csv``
only, the wedge columns (:data:`WEDGE_COLUMNS`: a row with a ``wedge`` takes its abatement from
the plan's scenario simulation, so its ``annual_abatement`` stays empty; a standalone table
refuses them, located, since there is no simulation to take it from). Other columns are read as text
and ignored, unless their name is close to a known column (a likely typo, reported). UTF-8 and
GBK/GB18030 files are read. Every problem — missing column, empty cell, malformed number, value
out of range, duplicate name, inconsistent policy columns — is collected and raised once,
located by row (header = row 1) and field.

:func:`read_carbon_prices` reads a carbon price path (``year, price``).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from neutra.errors import PlanError, Problem, raise_if_problems
from neutra.io.prices import read_price_file
from neutra.io.tables import (
    RawTable,
    TableSource,
    duplicate_keys,
    normalise_headers,
    read_standalone_csv,
    type_table,
)
from neutra.measures.ccus import CcusMeasure
from neutra.measures.economics import Measure
from neutra.measures.policy import (
    CapexSubsidy,
    CarbonPrice,
    GreenLoan,
    InvestmentTaxCredit,
    Policy,
    instrument_misfits,
    subsidy_paid,
)
from neutra.model.tables import Column, TableSpec

COLUMNS: tuple[Column, ...] = (
    Column("name", "str", True, "the measure's name"),
    Column("capex", "float", True, "investment in currency, a number ≥ 0", 0.0, None),
    Column("opex", "float", True, "operating cost in currency per year"),
    Column("annual_savings", "float", True, "savings in currency per year"),
    Column("lifetime", "int", True, "lifetime in whole years ≥ 1", 1.0, None),
    Column("annual_abatement", "float", True, "abatement in t CO2e per year"),
)
REQUIRED = tuple(c.name for c in COLUMNS)

CCUS_COLUMNS: tuple[Column, ...] = (
    Column("capture_rate", "float", False, "CCUS: fraction of the source's CO2 captured", 0, 1),
    Column("source_emissions_tco2", "float", False, "CCUS: CO2 of the source, t per year", 0, None),
    Column("penalty_energy_gj_per_t", "float", False, "CCUS: extra energy per t captured, GJ/t", 0),
    Column("energy_price_per_gj", "float", False, "CCUS: price of that energy per GJ", 0, None),
    Column(
        "penalty_factor_tco2_per_gj",
        "float",
        False,
        "CCUS: CO2 of the penalty energy, t per GJ",
        0,
        None,
    ),
    Column("transport_storage_per_t", "float", False, "CCUS: transport and storage cost per t"),
)
CCUS_REQUIRED = tuple(c.name for c in CCUS_COLUMNS)

# A plan's macc.csv only: the abatement of a row is the wedge of a measure of the plan's scenario
# model (docs/method-simulate.md §5), filled by neutra.side_tables from the simulation.
WEDGE_COLUMNS: tuple[Column, ...] = (
    Column(
        "wedge",
        "str",
        False,
        "a measure of the plan's scenario model whose wedge is the abatement (a plan's macc.csv "
        "only; annual_abatement then stays empty)",
    ),
    Column(
        "wedge_scenario",
        "str",
        False,
        "the scenario of the wedge (default: the first scenario that applies the measure)",
    ),
    Column(
        "wedge_year",
        "int",
        False,
        "the year of the wedge (default: the simulation's last year, settings end_year)",
        1900,
        2200,
    ),
)
WEDGE_NAMES = tuple(c.name for c in WEDGE_COLUMNS)

OPTIONAL: tuple[Column, ...] = (
    Column("energy_saved_kwh", "float", False, "electricity saved, kWh per year"),
    Column("energy_price", "float", False, "price of the saved electricity per kWh", 0, None),
    Column("start_year", "int", False, "year of the investment and first operation", 1900, 2200),
    Column("ramp_years", "int", False, "years to full savings and abatement, ≥ 0", 0, None),
    Column("group", "str", False, "group of mutually exclusive measures"),
    Column("subsidy_share", "float", False, "capex subsidy as a fraction 0–1", 0, 1),
    Column("subsidy_amount", "float", False, "capex subsidy in currency, ≥ 0", 0, None),
    Column("tax_credit_share", "float", False, "investment tax credit, fraction of capex", 0, 1),
    Column("tax_credit_years", "int", False, "years the tax credit is spread over, ≥ 1", 1),
    Column("loan_rate", "float", False, "green-loan interest rate, a fraction 0–1", 0, 1),
    Column("loan_share", "float", False, "share of the capex borrowed, 0–1", 0, 1),
    Column("loan_years", "int", False, "green-loan tenor in years, ≥ 1", 1, None),
    *WEDGE_COLUMNS,
    *CCUS_COLUMNS,
)
KNOWN = (*REQUIRED, *(c.name for c in OPTIONAL))

# Chinese headers of a measures table (applied before the project's common aliases).
MEASURE_HEADER_ALIASES: dict[str, str] = {
    "措施": "name",
    "名称": "name",
    "措施名称": "name",
    "投资": "capex",
    "初始投资": "capex",
    "运维成本": "opex",
    "年运维成本": "opex",
    "年节约": "annual_savings",
    "年节约费用": "annual_savings",
    "寿命": "lifetime",
    "年减排量": "annual_abatement",
    "减排量": "annual_abatement",
    "节电量": "energy_saved_kwh",
    "电价": "energy_price",
    "开始年份": "start_year",
    "起始年份": "start_year",
    "爬坡年数": "ramp_years",
    "互斥组": "group",
    "补贴比例": "subsidy_share",
    "补贴金额": "subsidy_amount",
    "税收抵免比例": "tax_credit_share",
    "抵免年数": "tax_credit_years",
    "贷款利率": "loan_rate",
    "贷款比例": "loan_share",
    "贷款年限": "loan_years",
    "捕集率": "capture_rate",
    # 楔形 (wedge) as in the simulation report's 楔形图.
    "楔形": "wedge",
    "楔形措施": "wedge",
    "减排楔形": "wedge",
    "楔形情景": "wedge_scenario",
    "楔形年份": "wedge_year",
}


@dataclass(frozen=True)
class WedgeSource:
    """A row whose abatement is a wedge of the plan's scenario simulation.

    Attributes:
        measure: the scenario-model measure (measures.csv) whose wedge it is.
        scenario: the scenario of the wedge, or ``None`` (the first that applies the measure).
        year: the year of the wedge, or ``None`` (the simulation's last year).
        row: the row of the table (header = row 1).
    """

    measure: str
    scenario: str | None
    year: int | None
    row: int


@dataclass(frozen=True)
class MeasuresTable:
    """A checked measures table.

    Attributes:
        measures: the measures in file order (CCUS rows as their equivalent measure).
        rows: the row number the user sees for each measure (header = row 1).
        label: the file name, for messages.
        policies: the instruments given in the table's policy columns, by measure name (only
            measures that have some).
        ccus: the CCUS measures by name (each also in ``measures``).
        wedges: the rows whose abatement is a wedge of the plan's simulation, by measure name
            (read with ``wedges=True`` only). Until :meth:`with_abatement` fills them, their
            measures' ``annual_abatement`` is NaN (not known yet).
        notes: the first non-empty ``note`` of each measure name (the ``source`` column's
            where the table has no ``note`` column).
        letters: a sheet's column letters by column name (``None`` for a CSV file), so that
            problems found after reading name their cell (:meth:`problem`, :meth:`located`).
    """

    measures: tuple[Measure, ...]
    rows: tuple[int, ...]
    label: str
    policies: dict[str, Policy] = field(default_factory=dict)
    ccus: dict[str, CcusMeasure] = field(default_factory=dict)
    wedges: dict[str, WedgeSource] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    letters: dict[str, str] | None = None

    def problem(self, row: int, column: str, value: str | None, expected: str) -> Problem:
        """A problem of a row and column of the table, with its cell in a sheet."""
        cell = None
        if self.letters is not None and column in self.letters:
            cell = f"{self.letters[column]}{row}"
        return Problem(self.label, row, column, value, expected, cell)

    def located(self, problems: list[Problem]) -> list[Problem]:
        """``problems`` with the cell of those of this table's rows and columns that name
        none (e.g. found by the appraisal)."""
        if self.letters is None:
            return problems
        return [
            self.problem(p.row, p.field, p.value, p.expected)
            if p.file == self.label and p.cell is None and p.row and p.field in self.letters
            else p
            for p in problems
        ]

    def with_abatement(self, values: Mapping[str, float]) -> MeasuresTable:
        """The table with the abatement of its wedge rows filled.

        Args:
            values: the abatement of every wedge row, t CO2e per year, by measure name.

        Raises:
            PlanError: a wedge row without a value.
        """
        missing = [n for n in self.wedges if n not in values]
        if missing:
            raise PlanError(
                f"{self.label}: no abatement for the wedge rows {', '.join(missing)}; expected "
                "a value for each (from the plan's simulation)"
            )
        measures = tuple(
            replace(m, annual_abatement=float(values[m.name])) if m.name in self.wedges else m
            for m in self.measures
        )
        return replace(self, measures=measures)


def _spec(names: list[str]) -> TableSpec:
    required = [c for c in COLUMNS if c.name != "annual_abatement"]
    abatement = Column("annual_abatement", "float", False, COLUMNS[-1].description)
    known = {c.name for c in (*COLUMNS, *OPTIONAL)}
    extra = [Column(n, "str", False, "not used") for n in dict.fromkeys(names) if n]
    extra = [c for c in extra if c.name not in known]
    return TableSpec("measures", (*required, abatement, *OPTIONAL, *extra), "abatement measures")


def _value(r: dict[str, Any], name: str) -> Any:
    """A typed cell, ``None`` when empty or the column is absent."""
    v = r.get(name)
    if v is None or v is pd.NA:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def _typos(raw: RawTable, names: list[str]) -> None:
    for n in dict.fromkeys(names):
        if not n or n in KNOWN:
            continue
        near = difflib.get_close_matches(n, KNOWN, n=1, cutoff=0.8)
        if near:
            raw.problems.append(
                Problem(
                    raw.label,
                    1,
                    n,
                    n,
                    f"'{near[0]}' (a column this close to a known one is taken for a typo; "
                    "rename it, or give an unrelated name to a column that is only a note)",
                )
            )


def _cell(text: pd.DataFrame, names: list[str], column: str, i: int) -> str:
    """The stripped text of a cell; empty when the column is absent."""
    return str(text[column].iloc[i]).strip() if column in names else ""


NEEDS_PLAN = (
    "a typed annual_abatement: a wedge is taken from a plan's scenario simulation, so it needs "
    "a plan (keep the table as macc.csv in the plan folder: neutra validate / neutra report "
    "PLAN); neutra macc FILE has no simulation"
)


def _check_wedge(raw: RawTable, names: list[str], i: int, row: int, ccus: bool, plan: bool) -> bool:
    """Checks of a row's wedge columns; whether the row takes its abatement from a wedge."""
    p = raw.problems
    text = raw.frame
    wedge = _cell(text, names, "wedge", i)
    if not wedge:
        for c in WEDGE_NAMES[1:]:
            value = _cell(text, names, c, i)
            if value:
                p.append(
                    raw.problem(
                        [row], c, value, "an empty cell, or a wedge (the measure) in this row"
                    )
                )
        return False
    abatement = _cell(text, names, "annual_abatement", i)
    if not plan:
        p.append(raw.problem([row], "wedge", wedge, NEEDS_PLAN))
    elif ccus:
        p.append(
            raw.problem(
                [row],
                "wedge",
                wedge,
                "an empty cell in a CCUS row (its abatement is computed from the capture columns)",
            )
        )
    elif abatement:
        p.append(
            raw.problem(
                [row],
                "annual_abatement",
                abatement,
                f"an empty cell: the row takes its abatement from the wedge of '{wedge}' "
                "(give annual_abatement or wedge, not both)",
            )
        )
    return True


def _check_rows(raw: RawTable, typed: pd.DataFrame, names: list[str], plan: bool) -> None:
    """Checks across the columns of a row: CCUS rows, wedges, abatement, policy columns."""
    p = raw.problems
    has_ccus = "capture_rate" in names
    records = typed.to_dict("records")
    text = raw.frame
    missing_abatement: list[int] = []
    plain_rows = 0  # rows that are neither CCUS nor wedges: they need an annual_abatement
    for i, r in enumerate(records):
        row = int(r["row"])
        ccus = has_ccus and str(text["capture_rate"].iloc[i]).strip() != ""
        abatement_text = _cell(text, names, "annual_abatement", i)
        if _check_wedge(raw, names, i, row, ccus, plan):
            _check_policy(raw, r, row)
            continue
        if ccus:
            for c in CCUS_REQUIRED[1:]:
                if c not in names or str(text[c].iloc[i]).strip() == "":
                    p.append(
                        raw.problem([row], c, "", f"a value ({_col(c).description}) in a CCUS row")
                    )
            if abatement_text:
                p.append(
                    raw.problem(
                        [row],
                        "annual_abatement",
                        abatement_text,
                        "an empty cell in a CCUS row (its abatement is computed from the "
                        "capture columns)",
                    )
                )
        else:
            plain_rows += 1
            if "annual_abatement" in names and not abatement_text:
                missing_abatement.append(row)
            for c in CCUS_REQUIRED[1:]:
                if c in names and str(text[c].iloc[i]).strip() != "":
                    p.append(
                        raw.problem(
                            [row],
                            c,
                            str(text[c].iloc[i]).strip(),
                            "an empty cell, or a capture_rate making the row a CCUS measure",
                        )
                    )
        _check_policy(raw, r, row)
    or_wedge = ", or a wedge (a measure of the plan's scenario model)" if plan else ""
    if missing_abatement:
        p.append(
            raw.problem(
                missing_abatement,
                "annual_abatement",
                "",
                f"a value ({COLUMNS[-1].description}){or_wedge}",
            )
        )
    if "annual_abatement" not in names and plain_rows:
        p.append(
            Problem(
                raw.label,
                1,
                "annual_abatement",
                None,
                f"a 'annual_abatement' column ({COLUMNS[-1].description}){or_wedge}",
            )
        )


def _col(name: str) -> Column:
    for c in (*COLUMNS, *OPTIONAL):
        if c.name == name:
            return c
    raise KeyError(name)


def _check_policy(raw: RawTable, r: dict[str, Any], row: int) -> None:

    p = raw.problems
    capex = _value(r, "capex")
    lifetime = _value(r, "lifetime")
    share = _value(r, "subsidy_share")
    amount = _value(r, "subsidy_amount")
    tc_years = _value(r, "tax_credit_years")
    rate, loan_share, loan_years = (
        _value(r, "loan_rate"),
        _value(r, "loan_share"),
        _value(r, "loan_years"),
    )
    paid = None
    if capex is not None and (share is not None or amount is not None):
        paid = subsidy_paid(capex, share or 0.0, amount or 0.0)
    misfit = instrument_misfits(
        capex, lifetime, subsidy=paid, tax_credit_years=tc_years, loan_years=loan_years
    )
    if "subsidy" in misfit:
        which = "subsidy_amount" if amount is not None else "subsidy_share"
        p.append(
            raw.problem(
                [row],
                which,
                f"{_value(r, which)}",
                f"a subsidy ≤ the capex {capex:g} (share × capex + amount = {paid:g})",
            )
        )
    if tc_years is not None and _value(r, "tax_credit_share") is None:
        p.append(raw.problem([row], "tax_credit_share", "", "a value, since tax_credit_years is"))
    if (rate is None) != (loan_share is None):
        missing = "loan_rate" if rate is None else "loan_share"
        p.append(raw.problem([row], missing, "", "a value: loan_rate and loan_share go together"))
    if loan_years is not None and rate is None and loan_share is None:
        p.append(raw.problem([row], "loan_rate", "", "a value, since loan_years is given"))
    for c, v, instrument in (
        ("loan_years", loan_years, "green_loan"),
        ("tax_credit_years", tc_years, "tax_credit"),
    ):
        if instrument in misfit:
            p.append(raw.problem([row], c, str(int(v)), f"at most the lifetime ({int(lifetime)})"))


def _policy(r: dict[str, Any]) -> Policy:
    share, amount = _value(r, "subsidy_share"), _value(r, "subsidy_amount")
    subsidy = (
        CapexSubsidy(float(share or 0.0), float(amount or 0.0))
        if share is not None or amount is not None
        else None
    )
    tc_share = _value(r, "tax_credit_share")
    tax_credit = (
        InvestmentTaxCredit(float(tc_share), int(_value(r, "tax_credit_years") or 1))
        if tc_share is not None
        else None
    )
    rate, loan_share = _value(r, "loan_rate"), _value(r, "loan_share")
    years = _value(r, "loan_years")
    loan = (
        GreenLoan(float(rate), float(loan_share), None if years is None else int(years))
        if rate is not None and loan_share is not None
        else None
    )
    return Policy(subsidy=subsidy, tax_credit=tax_credit, green_loan=loan)


def _opt_int(r: dict[str, Any], name: str) -> int | None:
    v = _value(r, name)
    return None if v is None else int(v)


def read_measures_table(path: TableSource, *, wedges: bool = False) -> MeasuresTable:
    """Read and check a measures table.

    Args:
        path: the CSV file, or its text (:class:`neutra.io.tables.TableText`: a plan's
            ``macc.csv`` or ``macc`` sheet, whose label names it in problems).
        wedges: accept the wedge columns (a plan's ``macc.csv``, whose wedges
            :mod:`neutra.side_tables` fills from the plan's simulation); without it a row with
            a ``wedge`` is a located problem (a standalone table has no simulation).

    Raises:
        PlanError: the file does not exist.
        PlanValidationError: every problem of the file at once, each with file, row, field,
            value and what was expected.
    """
    raw = read_standalone_csv(
        path,
        lambda header: _spec(normalise_headers(header, KNOWN)),
        expected="a CSV table of measures",
        aliases=MEASURE_HEADER_ALIASES,
    )
    names = list(raw.frame.columns)
    typed, _bad = type_table(raw)
    _typos(raw, names)
    if len(typed):
        _check_rows(raw, typed, names, wedges)
    problems = [*raw.problems, *duplicate_keys(raw, typed, ["name"], "measure name")]
    letters = raw.letters or {}
    raise_if_problems(  # a sheet's cell also for problems made without it (a header typo)
        replace(p, cell=f"{letters[p.field]}{p.row}")
        if p.cell is None and p.row and p.field in letters
        else p
        for p in problems
    )

    measures: list[Measure] = []
    policies: dict[str, Policy] = {}
    ccus: dict[str, CcusMeasure] = {}
    wedge_rows: dict[str, WedgeSource] = {}
    for r in typed.to_dict("records"):
        name = str(r["name"])
        wedge = _value(r, "wedge")
        common: dict[str, Any] = {
            "name": name,
            "capex": float(r["capex"]),
            "opex": float(r["opex"]),
            "annual_savings": float(r["annual_savings"]),
            "lifetime": int(r["lifetime"]),
            "start_year": _opt_int(r, "start_year"),
            "ramp_years": _opt_int(r, "ramp_years") or 0,
            "group": _value(r, "group"),
        }
        if _value(r, "capture_rate") is not None:
            c = CcusMeasure(
                source_emissions_tco2=float(r["source_emissions_tco2"]),
                capture_rate=float(r["capture_rate"]),
                penalty_energy_gj_per_t=float(r["penalty_energy_gj_per_t"]),
                energy_price_per_gj=float(r["energy_price_per_gj"]),
                penalty_factor_tco2_per_gj=float(r["penalty_factor_tco2_per_gj"]),
                transport_storage_per_t=float(r["transport_storage_per_t"]),
                **common,
            )
            ccus[name] = c
            measures.append(c.to_measure())
        else:
            if wedge is not None:
                scenario = _value(r, "wedge_scenario")
                wedge_rows[name] = WedgeSource(
                    str(wedge),
                    None if scenario is None else str(scenario),
                    _opt_int(r, "wedge_year"),
                    int(r["row"]),
                )
            measures.append(
                Measure(
                    # NaN for a wedge row: not known until the simulation fills it.
                    annual_abatement=math.nan
                    if wedge is not None
                    else float(r["annual_abatement"]),
                    energy_saved_kwh=float(_value(r, "energy_saved_kwh") or 0.0),
                    energy_price=float(_value(r, "energy_price") or 0.0),
                    **common,
                )
            )
        policy = _policy(r)
        if not policy.empty:
            policies[name] = policy
    # The first non-empty note (else source, a column kept as text) of each name.
    notes: dict[str, str] = {}
    note = next((c for c in ("note", "source") if c in raw.frame.columns), None)
    if note is not None:
        for n, text in zip(raw.frame["name"], raw.frame[note], strict=True):
            if str(text).strip():
                notes.setdefault(str(n).strip(), str(text).strip())
    return MeasuresTable(
        tuple(measures),
        tuple(int(r) for r in typed["row"]),
        raw.label,
        policies,
        ccus,
        wedge_rows,
        notes,
        raw.letters,
    )


def read_carbon_prices(path: str | Path) -> CarbonPrice:
    """Read a carbon price path: a CSV with ``year, price`` (currency per t CO2e), by
    :func:`neutra.io.prices.read_price_file`.

    Raises:
        PlanError: the file does not exist.
        PlanValidationError: every problem at once (bad or repeated years, bad prices).
    """
    return CarbonPrice.path(read_price_file(path).prices)


__all__ = [
    "COLUMNS",
    "OPTIONAL",
    "WEDGE_COLUMNS",
    "MeasuresTable",
    "WedgeSource",
    "read_carbon_prices",
    "read_measures_table",
]
