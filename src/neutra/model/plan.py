"""The validated plan: entity, settings, facilities, instruments, outputs and activity data.

A plan is data, parsed once by :mod:`neutra.io`; engines never read files. Small tables are lists of
pydantic objects; the activity table, which may hold millions of rows, is a typed pandas frame
whose columns are declared in :data:`neutra.model.tables.ACTIVITY`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from neutra.model.enums import Boundary, Co2Convention, InstrumentKind, Level


def _split_list(value: Any) -> Any:
    """Accept ``"2022, 2023"`` as well as ``[2022, 2023]`` (spreadsheets hold text)."""
    if isinstance(value, str):
        return [v.strip() for v in value.replace("，", ",").split(",") if v.strip()]
    return value


def canonical_csv(text: str) -> str:
    """A side table's CSV text in one spelling, for the plan's hash: line endings normalised,
    cells stripped, trailing empty cells and blank rows dropped, minimal quoting. A folder's file
    and the workbook sheet written from it (``neutra plan export``) give the same text; what the
    readers would read differently (a cell, a row) changes it."""
    flat = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        records = list(csv.reader(io.StringIO(flat)))
    except csv.Error:  # not CSV: its reader reports it; hash the text itself
        return flat
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for r in records:
        cells = [c.strip() for c in r]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            writer.writerow(cells)
    return out.getvalue()


class Entity(BaseModel):
    """The entity a plan is about: a company, an industry or a region."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    name_zh: str | None = None
    level: Level
    base_year: int = Field(ge=1900, le=2200)
    reporting_years: tuple[int, ...] = ()
    grid_region: str = "CN"
    market: str = "CN"
    boundary: Boundary = Boundary.OPERATIONAL_CONTROL
    sector: str | None = None

    _split = field_validator("reporting_years", mode="before")(_split_list)

    @field_validator("reporting_years")
    @classmethod
    def _sorted_unique(cls, v: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(sorted(set(v)))


class Settings(BaseModel):
    """How the plan is computed. Every field has a documented default (docs/plan-format.md)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    gwp_set: str = "AR5"
    factor_sets: tuple[str, ...] | None = None  # None: the manifest's default sets
    co2_convention: Co2Convention = Co2Convention.COMPUTED
    monte_carlo_draws: int = Field(default=10_000, ge=100, le=1_000_000)
    seed: int = 20260101
    max_vintage_gap_years: int = Field(default=1, ge=0, le=10)
    # Energy balance: relative tolerance of the closure checks (of available or final use).
    balance_tolerance: float = Field(default=0.005, ge=0.0, le=0.5)
    # Scenario simulation: first and last year (base year default: the entity's) and the unit
    # energy results are reported in.
    sim_base_year: int | None = Field(default=None, ge=1900, le=2200)
    end_year: int = Field(default=2060, ge=1900, le=2200)
    energy_unit: str = "1e4*tce"
    # Side tables of a plan folder (docs/plan-format.md "Side tables"): macc.csv is appraised
    # at the private and the social discount rate (fractions, 0.08 = 8 %), and with a flat
    # carbon price (currency per t CO2e) if given; ets.csv is assessed under an ETS template
    # (required when there is an ets.csv) at a flat allowance price (none: tonnes only);
    # forest.csv is computed with the IPCC 2006 Vol. 4 method named. ``currency`` labels the
    # money amounts of these tables (no conversion).
    discount_rate: float = Field(default=0.08, ge=0.0, lt=1.0)
    social_discount_rate: float | None = Field(default=None, ge=0.0, lt=1.0)
    carbon_price: float | None = Field(default=None, ge=0.0)
    ets_template: str | None = None
    ets_method: str | None = None  # None: the template's default method
    ets_price: float | None = Field(default=None, ge=0.0)
    ets_banking: bool = True
    forest_method: Literal["stock-difference", "gain-loss"] = "stock-difference"
    currency: str = Field(default="CNY", min_length=1)

    _split = field_validator("factor_sets", mode="before")(_split_list)


class Facility(BaseModel):
    """A site of the entity and whether it is inside each kind of boundary."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    name: str | None = None
    name_zh: str | None = None
    grid_region: str | None = None
    operational_control: bool = True
    financial_control: bool = True
    legal_entity: bool = True

    def inside(self, boundary: Boundary) -> bool:
        """Whether the facility is inside the plan's organisational boundary."""
        return {
            Boundary.OPERATIONAL_CONTROL: self.operational_control,
            Boundary.FINANCIAL_CONTROL: self.financial_control,
            Boundary.GBT32150: self.legal_entity,
        }[boundary]


class Instrument(BaseModel):
    """A contractual instrument (green certificate, PPA, …) for market-based Scope 2."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    kind: InstrumentKind
    mwh: float = Field(gt=0)
    year: int
    vintage: int
    market: str
    facility: str | None = None
    factor: float = Field(default=0.0, ge=0)  # kg CO2 per kWh
    evidence: str | None = None


class Output(BaseModel):
    """A product or output (or revenue) for intensity indicators."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    year: int
    product: str = Field(min_length=1)
    amount: float = Field(gt=0)
    unit: str
    facility: str | None = None


class Plan(BaseModel):
    """A validated plan. ``activity`` has the columns of :data:`~neutra.model.tables.ACTIVITY`
    plus ``row`` (the row number the user sees) and ``file`` (where it came from)."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    entity: Entity
    settings: Settings = Settings()
    facilities: tuple[Facility, ...] = ()
    instruments: tuple[Instrument, ...] = ()
    outputs: tuple[Output, ...] = ()
    activity: pd.DataFrame
    user_factors: pd.DataFrame | None = None
    # Regional plans: energy balance tables (tidy, see neutra.io.balance) and statistical series.
    balances: pd.DataFrame | None = None
    series: pd.DataFrame | None = None
    # Scenario and target tables (neutra.model.tables.EXTRA_TABLES), typed, with ``row`` and
    # ``file``; ``table_letters`` gives workbook column letters by table and column.
    tables: dict[str, pd.DataFrame] = Field(default_factory=dict)
    table_letters: dict[str, dict[str, str]] = Field(default_factory=dict)
    # The side tables (macc.csv, ets.csv, forest.csv; neutra.side_tables) by file name: the CSV
    # text of a folder's file as decoded, or of a workbook's sheet (neutra.io.workbook.sheet_csv).
    side_tables: dict[str, str] = Field(default_factory=dict)
    source: str = ""
    # Where the tables came from, to point at cells in problems found after reading.
    table_labels: dict[str, str] = Field(default_factory=dict)
    activity_letters: dict[str, str] = Field(default_factory=dict)
    facility_rows: dict[str, int] = Field(default_factory=dict)
    facility_letters: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _years(self) -> Plan:
        if not self.entity.reporting_years and "year" in self.activity:
            found = set(self.activity["year"].unique())
            if self.balances is not None:
                found |= set(self.balances["year"].unique())
            years = sorted(int(y) for y in found)
            object.__setattr__(
                self, "entity", self.entity.model_copy(update={"reporting_years": tuple(years)})
            )
        return self

    @property
    def years(self) -> tuple[int, ...]:
        """Years the plan reports: the entity's reporting years (default: those in the data)."""
        return self.entity.reporting_years

    def facility(self, fid: str) -> Facility | None:
        for f in self.facilities:
            if f.id == fid:
                return f
        return None

    def content_hash(self) -> str:
        """SHA-256 of everything that determines results (not where the files were)."""
        h = hashlib.sha256()
        head = {
            "entity": self.entity.model_dump(mode="json"),
            "settings": self.settings.model_dump(mode="json"),
            "facilities": [f.model_dump(mode="json") for f in self.facilities],
            "instruments": [i.model_dump(mode="json") for i in self.instruments],
            "outputs": [o.model_dump(mode="json") for o in self.outputs],
        }
        h.update(json.dumps(head, sort_keys=True).encode())
        cols = [c for c in self.activity.columns if c not in ("row", "file")]
        h.update(pd.util.hash_pandas_object(self.activity[cols], index=False).to_numpy().tobytes())
        side = {name: canonical_csv(text) for name, text in self.side_tables.items()}
        h.update(json.dumps(side, sort_keys=True, ensure_ascii=False).encode())
        extras = [self.tables[k] for k in sorted(self.tables)]
        for extra in (self.user_factors, self.balances, self.series, *extras):
            if extra is not None:
                keep = [c for c in extra.columns if c not in ("row", "file", "cell")]
                h.update(pd.util.hash_pandas_object(extra[keep], index=False).to_numpy().tobytes())
        return h.hexdigest()
