"""Shared wording: a long run of the same words in two reports is one quotation or one wire copy."""

from __future__ import annotations

import re

__all__ = ["word_ngrams"]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def word_ngrams(text: str, n: int) -> set[tuple[str, ...]]:
    """Lower-cased word n-grams, punctuation and quote marks ignored."""
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}
