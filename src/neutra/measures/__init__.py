"""Abatement measures: their economics (CRF, NPV, IRR, payback, LCOA) and the marginal abatement
cost curve (MACC). See :mod:`neutra.measures.economics`."""
