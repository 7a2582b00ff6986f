"""Provenance of a run: what makes its results reproducible."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RunInfo:
    """What makes a run reproducible: the plan's hash, versions and settings."""

    run_id: str
    created_at: str
    plan_name: str
    plan_source: str
    plan_hash: str
    refdata_version: str
    package_version: str
    settings_json: str
    kind: str = "inventory"
