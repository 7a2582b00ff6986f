"""Least-cost pathways: an OSeMOSYS-compatible optimisation on linopy and HiGHS."""
