"""Packaged reference data: factor sets (CSV + manifest, each row cited) and GWP sets."""

from neutra.refdata.library import FactorSetInfo, Library, Manifest, load_library, manifest

__all__ = ["FactorSetInfo", "Library", "Manifest", "load_library", "manifest"]
