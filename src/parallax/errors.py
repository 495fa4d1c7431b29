"""The one error tree: everything parallax raises on purpose derives from ParallaxError.

    ParallaxError
    ├── IngestError      an input could not be read or yields no article text
    │   └── FetchError   a URL was refused, or fetching it failed
    ├── ModelError       a spaCy pipeline or sentence-transformers model is missing or unusable
    ├── StoreError       the article store could not be read or written
    └── ConfigError      a setting or argument is invalid (also a ValueError)

Every message says what was wrong and what to do about it; `hint` carries the second
half separately so the CLI can print it on its own line.
"""

from __future__ import annotations

__all__ = ["ConfigError", "FetchError", "IngestError", "ModelError", "ParallaxError", "StoreError"]


class ParallaxError(Exception):
    """Root of every error parallax raises deliberately."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class IngestError(ParallaxError):
    """An input (file, JSON record, HTML page) could not be turned into an article."""

    def __init__(self, message: str, *, source: str | None = None, hint: str | None = None) -> None:
        super().__init__(f"{source}: {message}" if source else message, hint=hint)
        self.source = source


class FetchError(IngestError):
    """A URL could not be fetched: `refused` when parallax declined it (scheme, address), else it failed."""

    def __init__(self, message: str, *, url: str, hint: str | None = None, refused: bool = False) -> None:
        super().__init__(message, source=url, hint=hint)
        self.url = url
        self.refused = refused


class ModelError(ParallaxError):
    """A language model could not be loaded or does not fit the text it is given."""

    def __init__(self, message: str, *, model: str | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.model = model


class StoreError(ParallaxError):
    """The article store could not be opened, read or written."""


class ConfigError(ParallaxError, ValueError):
    """A setting or an argument has a value parallax cannot use."""
