"""Find time expressions and resolve them to calendar values."""

from __future__ import annotations

from collections.abc import Sequence

from parallax.model import TimelineEntry
from parallax.nlp import ParsedArticle
from parallax.settings import Settings

__all__ = ["build_timeline"]


def build_timeline(parsed: Sequence[ParsedArticle], settings: Settings) -> tuple[TimelineEntry, ...]:
    return ()
