"""The simulation's branch kinds, levers and variables, declared once as data.

Validation, the engine, ``neutra explain`` and docs/method-simulate.md read these declarations.
Each variable says which branch kinds carry it, whether it is per fuel or per gas, the dimension its
unit must have, its default when no scenario, parent or Current Accounts gives it (``None``: a
Current Accounts value is required), and what it means.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """What a branch of the tree is."""

    CATEGORY = "category"  # groups branches; no variables of its own
    ACTIVITY = "activity"  # an absolute activity level (per unit of its parent below the top)
    SHARE = "share"  # a share of the parent's activity, % (siblings sum to 100 %)
    SATURATION = "saturation"  # a penetration of the parent's activity, % (no sum rule)
    STOCK = "stock"  # a device or vehicle stock with sales, survival and vintages
    SINK = "sink"  # a carbon sink (forest), removals as negative CO2
    MODULE = "module"  # a transformation module (electricity generation, heat, …)
    PROCESS = "process"  # a process of a module
    TRADE = "trade"  # offsets and allowances, kept apart from physical emissions


DEMAND_KINDS = frozenset({Kind.ACTIVITY, Kind.SHARE, Kind.SATURATION, Kind.STOCK, Kind.CATEGORY})
# Variables only a least-cost module (dispatch = optimize) uses; required ones among them are
# required only there.
OPTIMIZE_ONLY = frozenset(
    {
        "capital_cost",
        "fixed_cost",
        "variable_cost",
        "max_capacity",
        "discount_rate",
        "fuel_price",
        "import_price",
        "emission_cap",
    }
)
# Variables only a branch without branches under it uses (the engine reads them at leaves).
LEAF_ONLY = frozenset({"intensity", "process_ef", "capture_rate", "capture_energy"})


class Lever(StrEnum):
    """The four levers of a measure: 减 reduce · 替 replace · 吸 absorb · 易 trade."""

    REDUCE = "reduce"
    REPLACE = "replace"
    ABSORB = "absorb"
    TRADE = "trade"

    @property
    def zh(self) -> str:
        return {"reduce": "减", "replace": "替", "absorb": "吸", "trade": "易"}[self.value]


LEVER_ALIASES: dict[str, Lever] = {
    **{lv.value: lv for lv in Lever},
    "减": Lever.REDUCE,
    "替": Lever.REPLACE,
    "吸": Lever.ABSORB,
    "易": Lever.TRADE,
}


class Dim(StrEnum):
    """The dimension a variable's unit must have."""

    DRIVER = "driver"  # the driver's declared unit
    ACTIVITY = "activity"  # the branch's activity unit
    PERCENT = "percent"  # %, stored as a fraction inside the engine
    ENERGY_PER_ACTIVITY = "energy per activity"  # × total activity gives energy
    MASS_PER_ACTIVITY = "mass per activity"  # × total activity gives a mass of gas
    ENERGY_PER_MASS = "energy per mass"  # per tonne of CO2 captured
    POWER = "power"
    YEARS = "years"
    NUMBER = "dimensionless"
    AREA = "area"
    MASS_PER_AREA = "mass per area"  # t CO2 per ha per year
    MASS = "mass"  # t C of a carbon stock; t CO2e of offsets
    MASS_PER_ENERGY = "mass per energy"  # t CO2 per MWh of imported electricity
    COST_PER_POWER = "currency per power"  # CNY/kW of capacity (per year for fixed costs)
    COST_PER_ENERGY = "currency per energy"  # CNY/MWh, CNY/GJ


@dataclass(frozen=True, slots=True)
class Variable:
    name: str
    kinds: frozenset[Kind]
    dim: Dim
    default: float | None
    per: str | None  # "fuel", "gas" or None
    description: str
    default_unit: str | None = None
    vintage: bool = False  # stock: evaluated in the sales year and kept by the vintage


def _v(
    name: str,
    kinds: tuple[Kind, ...],
    dim: Dim,
    default: float | None,
    description: str,
    *,
    per: str | None = None,
    default_unit: str | None = None,
    vintage: bool = False,
) -> Variable:
    return Variable(name, frozenset(kinds), dim, default, per, description, default_unit, vintage)


_LEAF = (Kind.ACTIVITY, Kind.SHARE, Kind.SATURATION)
VARIABLES: dict[str, Variable] = {
    v.name: v
    for v in (
        _v("value", (), Dim.DRIVER, None, "a driver's value (Key/<driver>)"),
        _v(
            "activity",
            (Kind.ACTIVITY, Kind.SHARE, Kind.SATURATION),
            Dim.ACTIVITY,
            None,
            "activity level: absolute (activity), or % of the parent (share, saturation)",
        ),
        _v(
            "intensity",
            (*_LEAF, Kind.STOCK),
            Dim.ENERGY_PER_ACTIVITY,
            0.0,
            "final energy intensity of a fuel per unit of total activity (stock: per unit of "
            "usage, by vintage)",
            per="fuel",
            vintage=True,
        ),
        _v(
            "process_ef",
            _LEAF,
            Dim.MASS_PER_ACTIVITY,
            0.0,
            "process emission factor of a gas per unit of total activity",
            per="gas",
        ),
        _v(
            "capture_rate",
            (*_LEAF, Kind.PROCESS),
            Dim.PERCENT,
            0.0,
            "share of the branch's CO2 captured (CCUS)",
            default_unit="%",
        ),
        _v(
            "capture_energy",
            (*_LEAF, Kind.PROCESS),
            Dim.ENERGY_PER_MASS,
            0.0,
            "energy penalty of capture per tonne of CO2 captured, by fuel",
            per="fuel",
        ),
        _v("stock", (Kind.STOCK,), Dim.ACTIVITY, None, "devices in service (base year)"),
        _v("sales", (Kind.STOCK,), Dim.ACTIVITY, 0.0, "devices sold per year"),
        _v(
            "lifetime",
            (Kind.STOCK, Kind.PROCESS),
            Dim.YEARS,
            None,
            "mean lifetime of a device; a process's operational life (optimised modules)",
        ),
        _v(
            "shape",
            (Kind.STOCK,),
            Dim.NUMBER,
            None,
            "Weibull shape of the survival profile",
            default_unit="dimensionless",
        ),
        _v(
            "usage",
            (Kind.STOCK,),
            Dim.ACTIVITY,
            1.0,
            "annual use per device (km, m2, …); total activity = stock × usage",
            default_unit="dimensionless",
        ),
        _v("area", (Kind.SINK,), Dim.AREA, 0.0, "area of the sink, e.g. ha of forest"),
        _v(
            "removal_factor",
            (Kind.SINK,),
            Dim.MASS_PER_AREA,
            0.0,
            "CO2 removed per unit area per year (t CO2/ha)",
        ),
        _v(
            "carbon_stock",
            (Kind.SINK,),
            Dim.MASS,
            None,
            "carbon stock (t C); removals = stock change × 44/12 (IPCC 2006 Vol. 4 Ch. 4)",
        ),
        _v("losses", (Kind.MODULE,), Dim.PERCENT, 0.0, "losses, % of the module's output"),
        _v("own_use", (Kind.MODULE,), Dim.PERCENT, 0.0, "own use, % of the module's output"),
        _v(
            "import_share",
            (Kind.MODULE,),
            Dim.PERCENT,
            0.0,
            "share of the requirement met by imports",
            default_unit="%",
        ),
        _v(
            "reserve_margin",
            (Kind.MODULE,),
            Dim.PERCENT,
            0.0,
            "planning reserve margin over the peak load",
            default_unit="%",
        ),
        _v(
            "load_factor",
            (Kind.MODULE,),
            Dim.PERCENT,
            None,
            "system load factor: average load / peak load (needed for additions)",
            default_unit="%",
        ),
        _v(
            "import_factor",
            (Kind.MODULE,),
            Dim.MASS_PER_ENERGY,
            None,
            "CO2 per unit of imports (default: the import grid's factor from the factor sets)",
        ),
        _v("efficiency", (Kind.PROCESS,), Dim.PERCENT, None, "output / input, %", default_unit="%"),
        _v("capacity", (Kind.PROCESS,), Dim.POWER, 0.0, "exogenous capacity, e.g. MW"),
        _v(
            "availability",
            (Kind.PROCESS,),
            Dim.PERCENT,
            100.0,
            "maximum capacity factor, %",
            default_unit="%",
        ),
        _v(
            "share",
            (Kind.PROCESS,),
            Dim.PERCENT,
            0.0,
            "share of the module's local output (share dispatch), %",
            default_unit="%",
        ),
        _v(
            "input_share",
            (Kind.PROCESS,),
            Dim.PERCENT,
            None,
            "share of a fuel in the process's inputs (default: 100 % of the branch's fuel)",
            per="fuel",
            default_unit="%",
        ),
        _v("offsets", (Kind.TRADE,), Dim.MASS, 0.0, "offsets or allowances bought, t CO2e/yr"),
        # Least-cost modules (dispatch = optimize): the economics the optimisation weighs.
        _v(
            "capital_cost",
            (Kind.PROCESS,),
            Dim.COST_PER_POWER,
            None,
            "investment per unit of new capacity (optimised modules)",
        ),
        _v(
            "fixed_cost",
            (Kind.PROCESS,),
            Dim.COST_PER_POWER,
            0.0,
            "fixed operating cost per unit of capacity and year (optimised modules)",
        ),
        _v(
            "variable_cost",
            (Kind.PROCESS,),
            Dim.COST_PER_ENERGY,
            0.0,
            "operating cost per unit of output, fuel excluded (optimised modules)",
        ),
        _v(
            "max_capacity",
            (Kind.PROCESS,),
            Dim.POWER,
            None,
            "the most capacity the process may have (optimised modules; none: no limit)",
        ),
        _v(
            "discount_rate",
            (Kind.MODULE,),
            Dim.PERCENT,
            None,
            "discount rate of the least-cost choice (optimised modules)",
            default_unit="%",
        ),
        _v(
            "fuel_price",
            (Kind.MODULE,),
            Dim.COST_PER_ENERGY,
            0.0,
            "price of a fuel the module's processes use (optimised modules)",
            per="fuel",
        ),
        _v(
            "import_price",
            (Kind.MODULE,),
            Dim.COST_PER_ENERGY,
            None,
            "price of imports of the module's fuel (optimised modules; none: no imports)",
        ),
        _v(
            "emission_cap",
            (Kind.MODULE,),
            Dim.MASS,
            None,
            "the module's annual CO2e cap, incl. imports (optimised modules; none: no cap)",
        ),
    )
}

# Fuels that burn nothing where they are used: secondary carriers (their emissions are counted
# in the module that makes them, or carried by imports) and non-combustion primary sources.
NON_COMBUSTION_FUELS = frozenset(
    {
        "electricity",
        "heat",
        "hydrogen",
        "solar",
        "wind",
        "hydro",
        "nuclear",
        "geothermal",
        "ambient_heat",
    }
)
