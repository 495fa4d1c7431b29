"""Quotations with their speakers and cue verbs, and the same statement matched across outlets."""

from parallax.quotes.extract import extract_quotes
from parallax.quotes.match import match_quotes

__all__ = ["extract_quotes", "match_quotes"]
