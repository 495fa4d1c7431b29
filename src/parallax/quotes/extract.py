"""Find quotations and who said them."""

from __future__ import annotations

from collections.abc import Iterator

from parallax.model import Quote
from parallax.nlp import ParsedArticle

__all__ = ["extract_quotes"]


def extract_quotes(parsed: ParsedArticle) -> Iterator[Quote]:
    yield from ()
