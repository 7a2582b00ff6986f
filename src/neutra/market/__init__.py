"""Carbon markets: allowance allocation, compliance, offsets, and ETS templates.

* :mod:`neutra.market.templates` — China national ETS (power), EU ETS, UK ETS as cited data.
* :mod:`neutra.market.allocation` — benchmark (China's power formula), grandfathering, given,
  auctioning, and weighted mixes.
* :mod:`neutra.market.compliance` — the yearly position: offsets capped, banking, the shortfall
  bought or surplus sold at a price path, discounted totals.
* :mod:`neutra.market.assessment` — the two together for a table of entities.
* :mod:`neutra.market.tables` — the CSV tables ``neutra ets`` reads.

Method and sources: docs/method-market.md.
"""

from neutra.market.allocation import AllocationRule, Method, allocate
from neutra.market.assessment import EtsResult, assess
from neutra.market.compliance import compliance_path, totals
from neutra.market.templates import TEMPLATE_NAMES, Template, cap_path, load_template

__all__ = [
    "TEMPLATE_NAMES",
    "AllocationRule",
    "EtsResult",
    "Method",
    "Template",
    "allocate",
    "assess",
    "cap_path",
    "compliance_path",
    "load_template",
    "totals",
]
