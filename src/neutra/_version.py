"""The installed package version (recorded in every run)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("neutra")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"
