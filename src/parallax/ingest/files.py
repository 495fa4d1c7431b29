"""Read local files into Articles (stub: plain UTF-8 text only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from parallax.errors import IngestError
from parallax.model import Article

__all__ = ["IngestOptions", "IngestResult", "read_file", "read_files"]


@dataclass(frozen=True)
class IngestOptions:
    outlet: str | None = None
    published: dt.date | None = None
    skip_bad: bool = False


@dataclass(frozen=True)
class IngestResult:
    articles: list[Article]
    failures: list[IngestError] = field(default_factory=list)


def read_file(path: str | Path, options: IngestOptions) -> list[Article]:
    text = Path(path).read_text(encoding="utf-8")
    return [Article(text=text, path=str(path), outlet=options.outlet, published=options.published)]


def read_files(paths: Sequence[str | Path], options: IngestOptions) -> IngestResult:
    return IngestResult([a for p in paths for a in read_file(p, options)])
