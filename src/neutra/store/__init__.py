"""Persistence of runs and results (DuckDB by default)."""

from neutra.store.duck import Store

__all__ = ["Store"]
