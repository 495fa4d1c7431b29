"""Shared wording: a long run of the same words in two reports is one quotation or one wire copy."""

from __future__ import annotations

import re

from parallax.quotes.marks import find_marked

__all__ = ["quoted_run", "word_ngrams"]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def word_ngrams(text: str, n: int) -> set[tuple[str, ...]]:
    """Lower-cased word n-grams, punctuation and quote marks ignored."""
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def quoted_run(left: str, right: str, n: int) -> bool:
    """Whether the two share a run of `n` words that lies inside quotation marks on one side.

    Such a run is the same statement quoted twice. A run outside any quotation may be one wire
    sentence that another outlet copied and then extended with a second fact, which is partial;
    so may a quoted title ("Harry Potter and the Order of the Phoenix"), which states nothing.
    """
    for text, other in ((left, word_ngrams(right, n)), (right, word_ngrams(left, n))):
        for span in find_marked(text):
            quoted = text[span.start : span.end]
            if not _is_title(quoted) and word_ngrams(quoted, n) & other:
                return True
    return False


def _is_title(text: str) -> bool:
    """Every longer word capitalised: the name of a book, show or law rather than someone's words."""
    return all(word[0].isupper() for word in _WORD.findall(text) if len(word) > 3)
