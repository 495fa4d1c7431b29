"""Statements in different outlets that cannot both be true."""

from __future__ import annotations

from collections.abc import Sequence

from parallax.model import Claim, Conflict
from parallax.nlp import ParsedArticle
from parallax.settings import Settings

__all__ = ["find_conflicts"]


def find_conflicts(
    parsed: Sequence[ParsedArticle], claims: Sequence[Claim], settings: Settings
) -> tuple[Conflict, ...]:
    return ()
