"""What the story decision reads of one article: its lead's embedding, names, content words and date.

An article is sketched once, from its title and first `Settings.story_lead_chars` characters
(where a news report states its event). Names are capitalised words and figures (cheap to find
without a parser, and what tells two earthquakes or two rehab stays apart); terms are the
lower-cased content words; both are interned, so the open stories' profiles, their recent
members' name sets and the index's postings share one copy of each word. The embedding function
is injectable, so tests and benchmarks can run without the model.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS

from parallax.errors import ConfigError
from parallax.model import Article
from parallax.settings import Settings

__all__ = ["ArticleSketch", "Embedder", "lead_of", "names_of", "sketch_articles", "terms_of"]

Embedder = Callable[[Sequence[str]], np.ndarray]

_TOKEN = re.compile(r"[^\W\d_][\w'’.&-]*[\w]|[^\W\d_]|\d+(?:[.,:]\d+)*")
_POSSESSIVE = re.compile(r"['’]s?$")
# Words of one letter or days, months and reporting furniture are capitalised without naming anything.
_NOT_NAMES = frozenset(STOP_WORDS) | {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "mr", "mrs", "ms", "dr", "said", "says", "update", "updated",
    "breaking", "news", "photo", "video", "read", "more", "am", "pm", "a.m.", "p.m.",
}  # fmt: skip


@dataclass(frozen=True)
class ArticleSketch:
    """One article as the story index sees it; `vector` is unit length."""

    id: str
    vector: np.ndarray
    names: frozenset[str]
    terms: tuple[tuple[str, int], ...]
    published: dt.date | None


def lead_of(article: Article, settings: Settings) -> str:
    """Title and start of the text: what is embedded and read for names and terms."""
    return f"{article.title or ''}\n{article.text[: settings.story_lead_chars]}".strip()


def names_of(text: str) -> frozenset[str]:
    """Capitalised words (not function words, days or months) and figures, lower-cased."""
    out = set()
    for match in _TOKEN.finditer(text):
        word = match.group()
        if word[0].isdigit():
            if len(word) > 1:
                out.add(sys.intern(word))
            continue
        if not word[0].isupper():
            continue
        key = _POSSESSIVE.sub("", word).lower().strip(".-")
        if len(key) > 1 and key not in _NOT_NAMES:
            out.add(sys.intern(key))
    return frozenset(out)


def terms_of(text: str) -> Counter[str]:
    """Counts of the lower-cased content words (three letters or more, no function words)."""
    words = (_POSSESSIVE.sub("", m.group()).lower() for m in _TOKEN.finditer(text))
    return Counter(sys.intern(w) for w in words if len(w) > 2 and not w[0].isdigit() and w not in _NOT_NAMES)


def sketch_articles(articles: Sequence[Article], settings: Settings, embed: Embedder) -> list[ArticleSketch]:
    """Sketch every article (ids required), embedding their leads in one batch."""
    leads = [lead_of(a, settings) for a in articles]
    vectors = np.asarray(embed(leads), dtype=np.float32) if leads else np.zeros((0, 0), np.float32)
    out = []
    for article, lead, vector in zip(articles, leads, vectors, strict=True):
        if article.id is None:
            raise ConfigError(
                "an article without an id cannot be placed in a story",
                hint="give every article an id (parallax.nlp.parse.assign_ids names them)",
            )
        terms = tuple(sorted(terms_of(lead).items()))
        out.append(ArticleSketch(article.id, vector, names_of(lead), terms, article.published))
    return out
