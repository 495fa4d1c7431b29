"""Match one statement carried by several outlets, in any wording."""

from __future__ import annotations

from collections.abc import Sequence

from parallax.model import Quote, QuoteMatch
from parallax.nlp import ParsedArticle
from parallax.settings import Settings

__all__ = ["match_quotes"]


def match_quotes(
    quotes: Sequence[Quote], parsed: Sequence[ParsedArticle], settings: Settings
) -> tuple[QuoteMatch, ...]:
    return ()
