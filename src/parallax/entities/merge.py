"""Merge the entity mentions of every article into one list of entities."""

from __future__ import annotations

from collections.abc import Sequence

from parallax.model import Entity, Quote
from parallax.nlp import ParsedArticle
from parallax.settings import Settings

__all__ = ["link_speakers", "merge_entities"]


def merge_entities(parsed: Sequence[ParsedArticle], settings: Settings) -> tuple[Entity, ...]:
    return ()


def link_speakers(quotes: Sequence[Quote], entities: Sequence[Entity]) -> list[Quote]:
    return list(quotes)
