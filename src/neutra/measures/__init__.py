"""Abatement measures (减排措施).

* :mod:`~neutra.measures.economics` — CRF, NPV, IRR, paybacks, LCOA and the MACC;
* :mod:`~neutra.measures.policy` — policy instruments (subsidy, tax credit, carbon price,
  green loan, tiered tariff) and the yearly cash flows with start year and ramp;
* :mod:`~neutra.measures.appraisal` — private and social discount rates, without and with policy;
* :mod:`~neutra.measures.interaction` — measures applied in order against a declining baseline;
* :mod:`~neutra.measures.portfolio` — the least-cost set of measures closing a gap (HiGHS);
* :mod:`~neutra.measures.ccus` — CCUS as a measure (CO2 captured vs avoided).
"""
