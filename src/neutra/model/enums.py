"""Enumerations of the domain: levels, boundaries, scopes, categories, gases, statuses."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Level(StrEnum):
    """What kind of entity a plan describes."""

    ENTERPRISE = "enterprise"
    INDUSTRY = "industry"
    REGION = "region"


class Boundary(StrEnum):
    """Organisational boundary (GHG Protocol Corporate Standard ch. 3; GB/T 32150-2015 §5)."""

    OPERATIONAL_CONTROL = "operational_control"
    FINANCIAL_CONTROL = "financial_control"
    GBT32150 = "gbt32150"  # the legal-person (法人) boundary of GB/T 32150


class Scope(IntEnum):
    """GHG Protocol scope."""

    S1 = 1
    S2 = 2
    S3 = 3


class Status(StrEnum):
    """How sure the reference data is (SOURCES.md: [V], [R], [M])."""

    VERIFIED = "verified"
    REPORTED = "reported"
    UNVERIFIED = "unverified"

    @property
    def rank(self) -> int:
        return {"verified": 0, "reported": 1, "unverified": 2}[self.value]


class Purpose(StrEnum):
    """What an electricity factor series is for; never mix them up."""

    LOCATION = "location"
    RESIDUAL_MIX = "residual_mix"
    FOSSIL_ONLY = "fossil_only"
    ETS_REPORTING = "ets_reporting"


class Co2Convention(StrEnum):
    """How fuel-combustion CO2 factors are formed (SOURCES.md, IPCC 2006 Vol. 2 Ch. 1)."""

    COMPUTED = "computed"  # NCV × carbon content × oxidation × 44/12
    TABLE_1_4_ROUNDED = "table_1_4_rounded"  # NCV × Table 1.4 factor (3 s.f.) × oxidation


class Method(StrEnum):
    """The calculation a result row came from."""

    COMBUSTION_COMPUTED = "combustion_carbon_content"
    COMBUSTION_TABLE_1_4 = "combustion_table_1_4_rounded"
    COMBUSTION_MEASURED_CC = "combustion_measured_carbon_content"
    COMBUSTION_NON_CO2 = "combustion_non_co2_default"
    PROCESS = "process_factor"
    FUGITIVE = "fugitive_gwp"
    LOCATION_GRID = "location_grid"
    LOCATION_NATIONAL_FALLBACK = "location_national_fallback"
    LOCATION_EARLIER_YEAR = "location_earlier_year"
    LOCATION_NATIONAL_EARLIER_YEAR = "location_national_earlier_year"
    MARKET_INSTRUMENT = "market_instrument"
    MARKET_RESIDUAL = "market_residual_mix"
    MARKET_GRID_AVERAGE = "market_grid_average"
    ENERGY_FACTOR = "energy_factor"
    ACTIVITY_FACTOR = "activity_factor"


class Category(StrEnum):
    """Emission source categories by scope (GHG Protocol; Scope 3 categories 1–15)."""

    STATIONARY_COMBUSTION = "stationary_combustion"
    MOBILE_COMBUSTION = "mobile_combustion"
    PROCESS = "process"
    FUGITIVE = "fugitive"
    ELECTRICITY = "electricity"
    HEAT = "heat"
    STEAM = "steam"
    COOLING = "cooling"
    C01 = "1_purchased_goods_and_services"
    C02 = "2_capital_goods"
    C03 = "3_fuel_and_energy_related"
    C04 = "4_upstream_transportation"
    C05 = "5_waste"
    C06 = "6_business_travel"
    C07 = "7_employee_commuting"
    C08 = "8_upstream_leased_assets"
    C09 = "9_downstream_transportation"
    C10 = "10_processing_of_sold_products"
    C11 = "11_use_of_sold_products"
    C12 = "12_end_of_life_of_sold_products"
    C13 = "13_downstream_leased_assets"
    C14 = "14_franchises"
    C15 = "15_investments"

    @property
    def scope(self) -> Scope:
        if self in _SCOPE1:
            return Scope.S1
        if self in _SCOPE2:
            return Scope.S2
        return Scope.S3


_SCOPE1 = frozenset(
    {
        Category.STATIONARY_COMBUSTION,
        Category.MOBILE_COMBUSTION,
        Category.PROCESS,
        Category.FUGITIVE,
    }
)
_SCOPE2 = frozenset({Category.ELECTRICITY, Category.HEAT, Category.STEAM, Category.COOLING})
COMBUSTION = frozenset({Category.STATIONARY_COMBUSTION, Category.MOBILE_COMBUSTION})


def category_aliases() -> dict[str, Category]:
    """Every spelling a user may type for a category: value, ``4``, ``c4``, ``upstream_transportation``."""
    out: dict[str, Category] = {}
    for c in Category:
        out[c.value] = c
        head, _, tail = c.value.partition("_")
        if head.isdigit():
            out[head] = c
            out[f"c{head}"] = c
            out[f"c{int(head):02d}"] = c
            out[tail] = c
    out["purchased_electricity"] = Category.ELECTRICITY
    out["combustion"] = Category.STATIONARY_COMBUSTION
    return out


class InstrumentKind(StrEnum):
    """Contractual instruments for market-based Scope 2 (GHG Protocol Scope 2 Guidance, ch. 7)."""

    GEC = "gec"  # China green electricity certificate (绿证)
    REC = "rec"
    PPA = "ppa"
    GREEN_POWER = "green_power"  # China green power trading (绿电交易)
    SUPPLIER_RATE = "supplier_rate"
