"""The options every reader takes and the result of reading many files."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from parallax.errors import IngestError
from parallax.model import Article, parse_date

__all__ = ["IngestOptions", "IngestResult"]


@dataclass(frozen=True)
class IngestOptions:
    """Defaults for inputs that carry none of their own, and whether a bad input stops the run.

    `outlet` and `published` never override what a file says about itself.
    """

    outlet: str | None = None
    published: dt.date | None = None
    skip_bad: bool = False
    # A guess: 256 MiB is far more than any news export needs and still fits in memory twice.
    max_file_bytes: int = 256 * 2**20

    def __post_init__(self) -> None:
        # The CLI and web app may hand over the date as an ISO string.
        object.__setattr__(self, "published", parse_date(self.published))
        if self.outlet is not None and not self.outlet.strip():
            object.__setattr__(self, "outlet", None)


@dataclass(frozen=True)
class IngestResult:
    """Articles in input order; with skip_bad, the inputs that could not be read."""

    articles: list[Article] = field(default_factory=list)
    failures: list[IngestError] = field(default_factory=list)
