"""Every JSON schema the CLI prints is documented in docs/cli-json.md."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_schema_is_documented() -> None:
    found: set[str] = set()
    for path in (ROOT / "src" / "neutra").rglob("*.py"):
        found |= set(re.findall(r'"(neutra\.[a-z-]+/\d+)"', path.read_text(encoding="utf-8")))
    assert found, "no schema found: the pattern is wrong"
    doc = (ROOT / "docs" / "cli-json.md").read_text(encoding="utf-8")
    missing = sorted(s for s in found if f"`{s}`" not in doc)
    assert not missing, f"schemas not documented in docs/cli-json.md: {missing}"
