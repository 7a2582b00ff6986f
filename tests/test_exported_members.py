"""The public front door stays honest: every name in __all__ exists, sorted, and is exported."""

from __future__ import annotations

import subprocess
import sys

import neutra


def test_all_is_sorted_and_complete() -> None:
    assert neutra.__all__ == sorted(
        neutra.__all__, key=lambda n: (n.startswith("_"), n)
    ) or neutra.__all__ == sorted(neutra.__all__)
    for name in neutra.__all__:
        assert hasattr(neutra, name), name
    public = {
        n
        for n in dir(neutra)
        if not n.startswith("_") and not isinstance(getattr(neutra, n), type(sys))
    }
    assert public <= set(neutra.__all__)
    # Functions are not shadowed by a subpackage of the same name (neutra.simulate is one).
    for name in ("inventory", "region", "simulation", "explain", "validate"):
        assert callable(getattr(neutra, name)), name


def test_import_has_no_side_effects() -> None:
    code = (
        "import logging, neutra, neutra.units as u; "
        "assert not logging.getLogger().handlers; "
        "assert u.registry.cache_info().currsize == 0; print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ok"
