"""Plain text to an Article: newlines normalised, a leading headline taken out as the title."""

from __future__ import annotations

import re

from parallax.errors import IngestError
from parallax.ingest.decode import normalise_newlines
from parallax.ingest.options import IngestOptions
from parallax.model import Article

__all__ = ["HEADLINE_MAX_WORDS", "read_text", "same_line", "split_headline"]

HEADLINE_MAX_WORDS = 15
# Sentence-closing marks, optionally followed by closing quotes or brackets. `?` and `!` are
# left out on purpose: "Can NATO still say no?" is a common kind of headline.
_SENTENCE_END = re.compile(r"[.:;,…]['\"’”»)\]]*$")
_BYLINE = re.compile(r"^(by|from)\s+\S", re.IGNORECASE)


def split_headline(text: str) -> tuple[str | None, str]:
    """(headline, rest) when the first line reads as a headline, else (None, text).

    A headline is a short first line without closing punctuation that more text follows.
    A longer unpunctuated line is a standfirst and stays in the text; so does the first
    line of hard-wrapped prose, which the next line continues in lower case.
    """
    stripped = text.strip()
    first, sep, rest = stripped.partition("\n")
    rest = rest.strip()
    if not sep or not rest:
        return None, stripped
    line = first.strip()
    words = line.split()
    if not words or len(words) > HEADLINE_MAX_WORDS:
        return None, stripped
    if _SENTENCE_END.search(line) or _BYLINE.match(line) or not _starts_upper(line):
        return None, stripped
    if _starts_lower(rest):
        return None, stripped
    blank_after = stripped[len(first) + 1 :].lstrip(" \t").startswith("\n")
    if not blank_after and _hard_wrapped(rest):
        return None, stripped
    return line, rest


def same_line(a: str, b: str) -> bool:
    """Whether two lines say the same words, ignoring case, spacing and closing marks."""
    return _squash(a) == _squash(b)


def read_text(
    text: str,
    *,
    options: IngestOptions,
    path: str | None = None,
    title: str | None = None,
) -> Article:
    """An Article from text already in memory, read with the same headline rule as .txt files.

    With `title` given, a first line repeating it is dropped instead of guessed at.
    """
    text = normalise_newlines(text).removeprefix("\ufeff")
    if not text.strip():
        raise IngestError(
            "the article text is empty", source=path, hint="give the text of the article, not just its title"
        )
    title = title.strip() if title and title.strip() else None
    if title is None:
        title, body = split_headline(text)
    else:
        first, _, rest = text.strip().partition("\n")
        body = rest.strip() if rest.strip() and same_line(first, title) else text.strip()
    return Article(text=body, title=title, outlet=options.outlet, published=options.published, path=path)


def _hard_wrapped(text: str) -> bool:
    """Prose broken into fixed-width lines: most lines stop mid-sentence, not at a paragraph end."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if len(lines) < 4:
        return False
    open_ended = sum(1 for ln in lines[:-1] if not re.search(r"[.!?:…]['\"’”»)\]]*$", ln))
    return open_ended > 0.5 * (len(lines) - 1)


def _starts_upper(line: str) -> bool:
    """Headlines start with a capital, a digit or a quote, never mid-sentence in lower case."""
    return not _starts_lower(line)


def _starts_lower(text: str) -> bool:
    """Whether the first word with letters is all lower case ("iPhone" and "eBay" are not)."""
    for word in text.split(maxsplit=3):
        if any(ch.isalpha() for ch in word):
            return word.islower()
        if any(ch.isdigit() for ch in word):
            return False
    return False


def _squash(line: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", line.casefold()).split())
