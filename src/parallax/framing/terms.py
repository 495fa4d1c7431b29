"""Framing concepts and distinctive terms."""

from __future__ import annotations

from collections.abc import Sequence

from parallax.model import Entity, FramingConcept, Term
from parallax.nlp import ParsedArticle

__all__ = ["build_framing", "distinctive_terms"]


def build_framing(parsed: Sequence[ParsedArticle], entities: Sequence[Entity]) -> tuple[FramingConcept, ...]:
    return ()


def distinctive_terms(parsed: Sequence[ParsedArticle]) -> dict[str, tuple[Term, ...]]:
    return {p.id: () for p in parsed}
