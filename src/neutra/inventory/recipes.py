"""Resolve each distinct (category, activity, unit) of a plan into a calculation recipe.

A recipe says, for each gas an activity emits, how to get kilograms of that gas from one row:
``basis`` is ``energy`` (amount × unit → SI base × NCV → joules) or ``amount`` (amount in SI base
units); ``coef`` is kilograms of gas per joule or per base unit; ``oxidised`` rows are multiplied
by the oxidation factor. Rows may override the NCV, carbon content and oxidation with measured
values. Resolution happens once per distinct key, never per row.

Formula (IPCC 2006 Vol. 2 Ch. 1 Eq. 1.1 and 2.1; SOURCES.md "Fuel combustion"):
``E_CO2 = activity × NCV × carbon content × oxidation × 44/12``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from neutra import units
from neutra.errors import UnitError
from neutra.inventory.gases import CO2E, GwpSet
from neutra.model.enums import COMBUSTION, Category, Co2Convention, Method, Status
from neutra.refdata.library import Library

C_TO_CO2 = 44.0 / 12.0  # molar mass ratio CO2 / C
IPCC_DEFAULT_OXIDATION = 1.0  # IPCC 2006 Vol. 2 Ch. 1 §1.4.2.1: Tier 1 assumes full oxidation
# Kilograms of carbon per gigajoule (= t C/TJ, the unit of measured carbon content) in kg/J.
KG_PER_GJ_BASE = 1e-9


@dataclass(frozen=True, slots=True)
class GasTerm:
    """One gas of a recipe."""

    gas: str
    basis: str  # "energy" | "amount"
    coef: float  # kg of gas per J (energy) or per SI base unit of the activity (amount)
    method: Method
    factor_ids: tuple[str, ...]
    status: Status
    u_factor: float  # relative half-width of the 95 % interval; NaN when not published
    oxidised: bool = False
    cc_override: bool = False  # CO2 of combustion: a measured carbon content replaces coef
    share: float = 1.0
    biogenic: bool = False  # reported outside the scopes
    origin: str = "fossil"


@dataclass
class Recipe:
    """How one (category, activity, unit[, region, year]) is calculated."""

    activity_id: str
    unit_factor: float  # SI base units per 1 unit of the row's ``unit``
    unit_dimension: str
    ncv_base: float = float("nan")  # J per SI base unit of the activity; 1 for energy units
    ncv_ids: tuple[str, ...] = ()
    ncv_u: float = float("nan")
    oxidation: float = IPCC_DEFAULT_OXIDATION
    oxidation_ids: tuple[str, ...] = ()
    terms: list[GasTerm] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None  # why this key cannot be calculated (reported with its rows)
    error_field: str = "activity"


def rel_u(row: pd.Series) -> float:
    """Relative half-width of a factor's published 95 % range (the larger side); NaN if none."""
    v, lo, hi = float(row["value"]), row["lower"], row["upper"]
    if v == 0 or (pd.isna(lo) and pd.isna(hi)):
        return float("nan")
    sides = [abs(v - float(b)) for b in (lo, hi) if not pd.isna(b)]
    return max(sides) / abs(v)


def worst(*statuses: str) -> Status:
    return max((Status(s) for s in statuses if s), key=lambda s: s.rank, default=Status.VERIFIED)


def mass_from(ef_unit: str, activity_unit: str) -> bool:
    """Whether ``ef_unit × activity_unit`` is a mass (the factor applies to this activity)."""
    try:
        q = units.parse(ef_unit) * units.parse(activity_unit)
        return bool(q.dimensionality == units.parse("kg").dimensionality)
    except UnitError:
        return False


def _ef_base(row: pd.Series) -> float:
    """A factor's value in kg of gas per SI base unit of what it is per."""
    return float(row["value"]) * units.to_base(str(row["unit"]))[0]


class Resolver:
    """Builds recipes for a plan's distinct keys from its factor library and GWP set."""

    def __init__(self, library: Library, gwp: GwpSet, convention: Co2Convention) -> None:
        self.lib = library
        self.gwp = gwp
        self.convention = convention
        self._cache: dict[tuple[str, str, str, str, int], Recipe] = {}
        self._grid_cache: dict[tuple[str, str, int, str], tuple[pd.Series | None, str]] = {}

    def recipe(
        self, category: str, activity: str, unit: str, region: str = "", year: int = 0
    ) -> Recipe:
        key = (category, activity, unit, region, year)
        if key not in self._cache:
            self._cache[key] = self._build(Category(category), activity, unit, region, year)
        return self._cache[key]

    def _build(self, cat: Category, text: str, unit: str, region: str, year: int) -> Recipe:
        try:
            unit_factor, dim = units.to_base(unit)
        except UnitError as exc:
            return Recipe(text, float("nan"), "", error=exc.expected, error_field="unit")
        if cat == Category.FUGITIVE:
            return self._fugitive(text, unit, unit_factor, dim)
        aid = self.lib.canonical(text)
        if aid is None:
            near = self.lib.suggest(text)
            hint = f" (did you mean {', '.join(near)}?)" if near else ""
            return Recipe(
                text,
                unit_factor,
                dim,
                error=(
                    f"an activity id of the plan's factor sets{hint}; see `neutra factors list`"
                ),
            )
        r = Recipe(aid, unit_factor, dim)
        if cat in COMBUSTION and dim not in ("mass", "volume", "energy"):
            r.error = (
                f"a unit of mass, volume or energy for a fuel (t, 万m3, TJ, 万tce); "
                f"got {unit!r} ({dim})"
            )
            r.error_field = "unit"
            return r
        if cat in COMBUSTION:
            self._combustion(r, cat, unit)
        elif cat == Category.ELECTRICITY and self._grid_rows(aid).shape[0]:
            self._grid(r, unit, region, year)
        else:
            self._direct(r, unit)
        if not r.terms and r.error is None:
            r.error = (
                f"a factor for '{aid}' per {dim} (the factor sets have none usable for "
                f"category {cat.value} with unit {unit!r})"
            )
            r.error_field = "unit"
        return r

    # -- combustion -------------------------------------------------------------------------
    def _combustion(self, r: Recipe, cat: Category, unit: str) -> None:
        rows = self.lib.rows(r.activity_id)
        p = rows["parameter"]
        if r.unit_dimension == "energy":
            r.ncv_base = 1.0
        else:
            ncv = rows[(p == "ncv")]
            usable = [
                rec
                for _, rec in ncv.iterrows()
                if units.same_dimension(
                    str(rec["unit"]), "J/kg" if r.unit_dimension == "mass" else "J/m**3"
                )
            ]
            if usable:
                rec = usable[0]
                r.ncv_base = _ef_base(rec)
                r.ncv_ids = (str(rec["factor_id"]),)
                r.ncv_u = rel_u(rec)
        status_ncv = (
            "" if not r.ncv_ids else str(rows[rows["factor_id"] == r.ncv_ids[0]].iloc[0]["status"])
        )
        ox = rows[p == "oxidation"]
        ox_status = ""
        if len(ox):
            r.oxidation = float(ox.iloc[0]["value"]) * units.factor(str(ox.iloc[0]["unit"]), "1")
            r.oxidation_ids = (str(ox.iloc[0]["factor_id"]),)
            ox_status = str(ox.iloc[0]["status"])
        bio = rows[p == "biogenic_fraction"]
        b = float(bio.iloc[0]["value"]) if len(bio) else 0.0
        origin = "non_fossil" if b >= 1.0 else "fossil"
        base_ids = r.ncv_ids + r.oxidation_ids + (tuple(bio["factor_id"]) if len(bio) else ())
        co2 = self._combustion_co2(r, rows, unit, base_ids, status_ncv, ox_status)
        if co2 is not None:
            if b < 1.0:
                r.terms.append(_replace(co2, share=1.0 - b))
            if b > 0.0:
                r.terms.append(_replace(co2, share=b, biogenic=True, origin="non_fossil"))
        want = {"", "stationary"} if cat == Category.STATIONARY_COMBUSTION else {"mobile"}
        for gas in ("CH4", "N2O"):
            ef = rows[(p == "ef") & (rows["gas"] == gas) & rows["purpose"].isin(want)]
            term = self._ef_term(r, ef, unit, gas, base_ids, status_ncv, origin)
            if term is not None:
                r.terms.append(term)
            else:
                r.notes.append(
                    f"no {gas} factor for {cat.value} of {r.activity_id}; {gas} not estimated"
                )

    def _combustion_co2(
        self,
        r: Recipe,
        rows: pd.DataFrame,
        unit: str,
        base_ids: tuple[str, ...],
        status_ncv: str,
        ox_status: str,
    ) -> GasTerm | None:
        p = rows["parameter"]
        cc = rows[p == "carbon_content"]
        ef = rows[(p == "ef") & (rows["gas"] == "CO2")]
        t14 = ef[ef["convention"] == Co2Convention.TABLE_1_4_ROUNDED.value]
        direct = ef[ef["convention"] == ""]
        u_ncv = 0.0 if np.isnan(r.ncv_u) else r.ncv_u
        chosen = None
        if self.convention == Co2Convention.COMPUTED and len(cc):
            chosen = (cc.iloc[0], C_TO_CO2, Method.COMBUSTION_COMPUTED)
        elif self.convention == Co2Convention.TABLE_1_4_ROUNDED and len(t14):
            chosen = (t14.iloc[0], 1.0, Method.COMBUSTION_TABLE_1_4)
        if chosen is not None:
            rec, to_co2, method = chosen
            u = float(np.hypot(u_ncv, rel_u(rec))) if not np.isnan(rel_u(rec)) else float("nan")
            return GasTerm(
                "CO2",
                "energy",
                _ef_base(rec) * to_co2,
                method,
                (*base_ids, str(rec["factor_id"])),
                worst(status_ncv, ox_status, str(rec["status"])),
                u,
                oxidised=True,
                cc_override=True,
            )
        term = self._ef_term(r, direct, unit, "CO2", base_ids, status_ncv, "fossil")
        if term is not None:
            return _replace(term, oxidised=False, cc_override=True)
        if len(cc) or len(t14):
            have = "carbon content" if len(cc) else "Table 1.4 CO2 factors"
            r.error = (
                f"a CO2 factor of '{r.activity_id}' under the plan's convention "
                f"'{self.convention.value}'; its factor set has only {have} "
                "(set settings.co2_convention to match, or give carbon_content)"
            )
        else:
            r.error = (
                f"a CO2 factor, carbon content or ncv of '{r.activity_id}' for "
                "combustion; its factor sets have none"
            )
        return None

    def _ef_term(
        self,
        r: Recipe,
        ef: pd.DataFrame,
        unit: str,
        gas: str,
        base_ids: tuple[str, ...],
        status_ncv: str,
        origin: str,
    ) -> GasTerm | None:
        """A per-activity-unit factor if one fits the unit, else a per-energy factor."""
        for _, rec in ef.iterrows():
            if mass_from(str(rec["unit"]), unit):
                return GasTerm(
                    gas,
                    "amount",
                    _ef_base(rec),
                    Method.ACTIVITY_FACTOR,
                    (str(rec["factor_id"]),),
                    worst(str(rec["status"])),
                    rel_u(rec),
                    origin=origin,
                )
        for _, rec in ef.iterrows():
            if mass_from(str(rec["unit"]), "J"):
                u_ncv = 0.0 if np.isnan(r.ncv_u) else r.ncv_u
                u = rel_u(rec)
                return GasTerm(
                    gas,
                    "energy",
                    _ef_base(rec),
                    Method.ENERGY_FACTOR,
                    (*r.ncv_ids, str(rec["factor_id"])),
                    worst(status_ncv, str(rec["status"])),
                    float(np.hypot(u_ncv, u)) if not np.isnan(u) else float("nan"),
                    origin=origin,
                )
        return None

    # -- direct factors (process, scope 3, heat) ---------------------------------------------
    def _direct(self, r: Recipe, unit: str) -> None:
        rows = self.lib.rows(r.activity_id)
        ef = rows[rows["parameter"] == "ef"]
        if r.unit_dimension == "energy":
            r.ncv_base = 1.0
        for gas in dict.fromkeys(ef["gas"]):
            g = ef[ef["gas"] == gas]
            purpose_ok = (
                g[g["purpose"].isin(["", "location"])] if "location" in set(g["purpose"]) else g
            )
            term = self._ef_term(r, purpose_ok, unit, self._gas_name(str(gas)), (), "", "fossil")
            if term is not None:
                r.terms.append(term)

    def _gas_name(self, gas: str) -> str:
        return gas if gas == CO2E else (self.gwp.canonical(gas) or gas)

    # -- grid electricity, location-based ----------------------------------------------------
    def _grid_rows(self, aid: str) -> pd.DataFrame:
        rows = self.lib.rows(aid)
        return rows[
            (rows["parameter"] == "ef") & (rows["purpose"] == "location") & (rows["region"] != "")
        ]

    def grid_factor(
        self, aid: str, region: str, year: int, purpose: str = "location"
    ) -> tuple[pd.Series | None, str]:
        """The grid factor for a region and year, and how it was found.

        Order: (region, year) → (national, year) → (region, latest earlier year) →
        (national, latest earlier year). Returns the row and a tag naming the fallback.
        """
        key = (aid, region, year, purpose)
        if key not in self._grid_cache:
            self._grid_cache[key] = self._grid_lookup(aid, region, year, purpose)
        return self._grid_cache[key]

    def _grid_lookup(
        self, aid: str, region: str, year: int, purpose: str
    ) -> tuple[pd.Series | None, str]:
        rows = self.lib.rows(aid)
        g = rows[(rows["parameter"] == "ef") & (rows["purpose"] == purpose)]
        national = "CN" if region.startswith("CN") else region.split("-")[0]
        yrs = g["year"]
        for tag, reg, same_year in (
            ("exact", region, True),
            ("national", national, True),
            ("earlier_year", region, False),
            ("national_earlier_year", national, False),
        ):
            sel = g[(g["region"] == reg) & ((yrs == year) if same_year else (yrs < year))]
            if len(sel):
                return sel.sort_values("year").iloc[-1], tag
        return None, ""

    def _grid(self, r: Recipe, unit: str, region: str, year: int) -> None:
        if r.unit_dimension != "energy":
            r.error = f"an energy unit for electricity (kWh, MWh, 万kWh, 亿kWh); got {unit!r}"
            r.error_field = "unit"
            return
        r.ncv_base = 1.0
        rec, tag = self.grid_factor(r.activity_id, region, year)
        if rec is None:
            regions = sorted(self.lib.regions(r.activity_id))
            r.error = (
                f"a grid region with a location-based factor for {year}; "
                f"got region {region!r}; known regions: {', '.join(regions)}"
            )
            r.error_field = "facility"
            return
        method = {
            "exact": Method.LOCATION_GRID,
            "national": Method.LOCATION_NATIONAL_FALLBACK,
            "earlier_year": Method.LOCATION_EARLIER_YEAR,
            "national_earlier_year": Method.LOCATION_NATIONAL_EARLIER_YEAR,
        }[tag]
        if tag != "exact":
            r.notes.append(f"grid:{tag}:{region}:{year}:{rec['region']}:{rec['year']}")
        r.terms.append(
            GasTerm(
                "CO2",
                "energy",
                _ef_base(rec),
                method,
                (str(rec["factor_id"]),),
                worst(str(rec["status"])),
                rel_u(rec),
            )
        )

    # -- fugitive ---------------------------------------------------------------------------
    def _fugitive(self, text: str, unit: str, unit_factor: float, dim: str) -> Recipe:
        r = Recipe(text, unit_factor, dim)
        if dim != "mass":
            r.error = f"a mass unit (kg, t) for a fugitive release; got {unit!r} ({dim})"
            r.error_field = "unit"
            return r
        aid = self.lib.canonical(text)
        blend = self.lib.rows(aid)[lambda d: d["parameter"] == "mass_fraction"] if aid else None
        if blend is not None and len(blend):
            r.activity_id = str(aid)
            for _, rec in blend.iterrows():
                gas = self.gwp.canonical(str(rec["gas"]))
                if gas is None:
                    r.error = f"a gas of GWP set {self.gwp.name} for blend component {rec['gas']}"
                    return r
                r.terms.append(
                    GasTerm(
                        gas,
                        "amount",
                        float(rec["value"]),
                        Method.FUGITIVE,
                        (str(rec["factor_id"]),),
                        worst(str(rec["status"])),
                        float("nan"),
                    )
                )
            return r
        gas = self.gwp.canonical(text)
        if gas is None:
            r.error = (
                f"a gas of GWP set {self.gwp.name} (e.g. HFC134a, SF6, CH4) or a "
                "refrigerant blend id (e.g. r410a)"
            )
            return r
        r.activity_id = gas
        r.terms.append(
            GasTerm(gas, "amount", 1.0, Method.FUGITIVE, (), Status.VERIFIED, float("nan"))
        )
        return r


def _replace(t: GasTerm, **kw: object) -> GasTerm:
    from dataclasses import replace

    return replace(t, **kw)  # type: ignore[arg-type]


def resolver_for(library: Library, gwp: GwpSet, convention: Co2Convention) -> Resolver:
    """The library's resolver for a GWP set and CO2 convention, shared so that its recipe and
    grid-factor lookups are computed once per library, not once per plan."""
    key = ("resolver", gwp.name, convention)
    found = library.cache.get(key)
    if not isinstance(found, Resolver):
        found = Resolver(library, gwp, convention)
        library.cache[key] = found
    return found
