"""Distinctive terms: words and short phrases one article uses more than the others (log-odds ratio)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from parallax.framing.concepts import build_framing
from parallax.lexicon import PLAIN_REPORTING
from parallax.model import Term
from parallax.nlp import ParsedArticle
from parallax.settings import Settings, load_settings

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["build_framing", "distinctive_terms"]

_CONTENT = frozenset({"NOUN", "PROPN", "ADJ", "VERB"})


def _word(tok: Token) -> str | None:
    if tok.pos_ not in _CONTENT or tok.is_stop or not tok.is_alpha or len(tok.text) < 3:
        return None
    if tok.lemma_.lower() in PLAIN_REPORTING:
        return None
    return tok.text if tok.pos_ == "PROPN" else tok.lemma_.lower()


def _terms(article: ParsedArticle) -> Iterator[str]:
    """Lemmatised content words, and noun chunks of two or three content words ('security guarantee')."""
    for sent in article.sentences:
        for tok in sent.span:
            w = _word(tok)
            if w:
                yield w
        for chunk in sent.span.noun_chunks:
            words = [w for w in (_word(t) for t in chunk) if w]
            inner = [t for t in chunk if not t.is_punct and t.pos_ not in ("DET", "PRON")]
            if 2 <= len(words) <= 3 and len(words) == len([t for t in inner if t.dep_ != "case"]):
                yield " ".join(words)


def distinctive_terms(
    parsed: Sequence[ParsedArticle], *, settings: Settings | None = None
) -> dict[str, tuple[Term, ...]]:
    """Top terms per article: log-odds ratio against the other articles, with the pooled counts as prior.

    Monroe, Colaresi & Quinn (2008), "Fightin' Words"; hand-written: a dozen lines, no library has it.
    With one article there is nothing to contrast, so its most frequent terms (phrases weighted up) are given.
    With fewer than two terms in all the articles together (short or empty texts) the odds of a term
    against the rest of the vocabulary are undefined (the rest is empty), so no article gets any.
    """
    top = (settings or load_settings()).distinctive_terms_per_article
    counts = {p.id: Counter(_terms(p)) for p in parsed}
    if len(parsed) == 1:
        ((aid, c),) = counts.items()
        scored = sorted(
            ((n * (1 + 0.5 * t.count(" ")), t) for t, n in c.items() if n >= 1), key=lambda x: (-x[0], x[1])
        )
        return {aid: tuple(Term(t, c[t], round(s, 3)) for s, t in scored[:top])}
    pooled: Counter[str] = Counter()
    for c in counts.values():
        pooled.update(c)
    if len(pooled) < 2:
        return {aid: () for aid in counts}
    total = sum(pooled.values())
    a0 = float(total)
    out: dict[str, tuple[Term, ...]] = {}
    for aid, c in counts.items():
        n_i = sum(c.values())
        n_r = total - n_i
        scored = []
        for w, y_i in c.items():
            a_w = pooled[w] * a0 / total
            y_r = pooled[w] - y_i
            delta = math.log((y_i + a_w) / (n_i + a0 - y_i - a_w)) - math.log(
                (y_r + a_w) / (n_r + a0 - y_r - a_w)
            )
            z = delta / math.sqrt(1.0 / (y_i + a_w) + 1.0 / (y_r + a_w))
            if z > 0:
                scored.append((z, w))
        scored.sort(key=lambda x: (-x[0], x[1]))
        out[aid] = tuple(Term(w, c[w], round(z, 3)) for z, w in scored[:top])
    return out
