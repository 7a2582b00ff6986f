"""Neutra: carbon-neutrality planning and management (碳中和规划与管理).

The public API: read a plan, compute its inventory, store and report it.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("neutra")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"

__all__ = ["__version__"]
