"""greensim: an agent-based simulator of a rural township's long-term green transition."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("greensim")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
