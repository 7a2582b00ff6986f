"""Neutra: carbon-neutrality planning and management (碳中和规划与管理).

The public API: read a plan, check it, compute its inventory, store and report it::

    import neutra
    plan, result, run = neutra.inventory("examples/steel-enterprise")
    print(result.totals)

Importing the package creates no registry, connection or logging configuration.
"""

from neutra._version import __version__
from neutra.errors import (
    CalculationError,
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
from neutra.inventory.result import InventoryResult
from neutra.io import read_plan
from neutra.io.build import plan_from_records
from neutra.model.plan import Entity, Facility, Instrument, Output, Plan, Settings
from neutra.provenance import RunInfo
from neutra.refdata.library import Library, load_library
from neutra.services import inventory, store_inventory, validate, write_report
from neutra.store import Store

__all__ = [
    "CalculationError",
    "Entity",
    "Facility",
    "Instrument",
    "InventoryResult",
    "Library",
    "NeutraError",
    "Output",
    "Plan",
    "PlanError",
    "PlanValidationError",
    "Problem",
    "ReferenceDataError",
    "RunInfo",
    "Settings",
    "Store",
    "StoreError",
    "UnitDimensionError",
    "UnitError",
    "__version__",
    "compute",
    "inventory",
    "load_library",
    "plan_from_records",
    "read_plan",
    "store_inventory",
    "validate",
    "write_report",
]
