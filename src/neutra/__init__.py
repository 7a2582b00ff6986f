"""Neutra: carbon-neutrality planning and management (碳中和规划与管理).

The public API: read a plan, check it, compute its inventory, store and report it::

    import neutra
    plan, result, run = neutra.inventory("examples/steel-enterprise")
    print(result.totals)
    plan, scenarios, run = neutra.simulation("examples/steel-enterprise")
    print(scenarios.summary)

Importing the package creates no registry, connection or logging configuration.
"""

from neutra._version import __version__
from neutra.analysis.lmdi import decompose, decompose_chained, kaya
from neutra.analysis.peak import PeakResult, PeakStatus, detect_peak
from neutra.analysis.status import RegionalStatus, status_analysis
from neutra.errors import (
    CalculationError,
    ExpressionError,
    NeutraError,
    PlanError,
    PlanValidationError,
    Problem,
    ReferenceDataError,
    StoreError,
    UnitDimensionError,
    UnitError,
)
from neutra.inventory.engine import compute
from neutra.inventory.regional import RegionalResult, compute_regional
from neutra.inventory.result import InventoryResult
from neutra.io import read_plan
from neutra.io.build import plan_from_records
from neutra.model.plan import Entity, Facility, Instrument, Output, Plan, Settings
from neutra.provenance import RunInfo
from neutra.refdata.library import Library, load_library
from neutra.services import (
    explain,
    inventory,
    monte_carlo,
    region,
    store_inventory,
    store_region,
    store_simulation,
    validate,
    write_report,
)
from neutra.services import simulate as simulation
from neutra.simulate.results import SimulationResult
from neutra.store import Store

__all__ = [
    "CalculationError",
    "Entity",
    "ExpressionError",
    "Facility",
    "Instrument",
    "InventoryResult",
    "Library",
    "NeutraError",
    "Output",
    "PeakResult",
    "PeakStatus",
    "Plan",
    "PlanError",
    "PlanValidationError",
    "Problem",
    "ReferenceDataError",
    "RegionalResult",
    "RegionalStatus",
    "RunInfo",
    "Settings",
    "SimulationResult",
    "Store",
    "StoreError",
    "UnitDimensionError",
    "UnitError",
    "__version__",
    "compute",
    "compute_regional",
    "decompose",
    "decompose_chained",
    "detect_peak",
    "explain",
    "inventory",
    "kaya",
    "load_library",
    "monte_carlo",
    "plan_from_records",
    "read_plan",
    "region",
    "simulation",
    "status_analysis",
    "store_inventory",
    "store_region",
    "store_simulation",
    "validate",
    "write_report",
]
