"""parallax: see how different news outlets report the same story (`compare` is the entry point)."""

import logging
from importlib.metadata import PackageNotFoundError, version

from parallax.errors import ConfigError, IngestError, ModelError, ParallaxError, StoreError
from parallax.model import Article, Report
from parallax.pipeline import compare
from parallax.settings import Settings

try:
    __version__ = version("parallax-news")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "Article",
    "ConfigError",
    "IngestError",
    "ModelError",
    "ParallaxError",
    "Report",
    "Settings",
    "StoreError",
    "__version__",
    "compare",
]
