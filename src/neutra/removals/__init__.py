"""Removals (吸): forest carbon sinks (IPCC 2006 Vol. 4), forest projections, and the yearly
neutrality check of residual emissions against removals."""

from neutra.removals.forest import (
    C_TO_CO2,
    DEFAULT_CARBON_FRACTION,
    ForestSinks,
    GainLossYear,
    SinkMethod,
    StockInventory,
    gain_loss,
    stock_difference,
)
from neutra.removals.forest_table import forest_sinks, read_forest_table
from neutra.removals.neutrality import NeutralityCheck, check_neutrality
from neutra.removals.projection import ForestProjection, ProjectedStratum, project

__all__ = [
    "C_TO_CO2",
    "DEFAULT_CARBON_FRACTION",
    "ForestProjection",
    "ForestSinks",
    "GainLossYear",
    "NeutralityCheck",
    "ProjectedStratum",
    "SinkMethod",
    "StockInventory",
    "check_neutrality",
    "forest_sinks",
    "gain_loss",
    "project",
    "read_forest_table",
    "stock_difference",
]
