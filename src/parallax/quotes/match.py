"""Match one statement carried by several outlets, in any wording."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from itertools import combinations

from rapidfuzz import fuzz

from parallax.model import Quote, QuoteMatch, Speaker
from parallax.nlp import ParsedArticle, TextVectors
from parallax.settings import Settings

__all__ = ["match_quotes", "same_speaker"]

_WORD = re.compile(r"[a-z0-9]+")
_TITLES = frozenset({"mr", "mrs", "ms", "dr", "sen", "rep", "gov", "the", "a", "an"})
_SPEAKER_MIN_RATIO: float = Settings.model_fields["quote_speaker_min_ratio"].default


def _words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).lower())


def _overlap(wa: list[str], wb: list[str], settings: Settings) -> float:
    """How much of the shorter quotation (as `_words`) the longer one carries word for word (0..1)."""
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if len(short) < settings.quote_contained_min_words:
        return 0.0
    covered = len(set(short) & set(long_)) / len(set(short))
    if covered < settings.quote_contained_min_share:
        return 0.0
    return float(fuzz.partial_ratio(" ".join(short), " ".join(long_))) / 100.0


def _name_words(name: str) -> list[str]:
    return [w for w in _words(name) if w not in _TITLES]


def same_speaker(a: Speaker | None, b: Speaker | None, *, min_ratio: float = _SPEAKER_MIN_RATIO) -> bool:
    """Whether two speakers are one: same entity, or names equal, nested, sharing a surname, or close.

    An unknown speaker is no evidence of a difference, so it counts as the same. `min_ratio` is
    Settings.quote_speaker_min_ratio (its default unless a caller passes its own settings).
    """
    if a is None or b is None:
        return True
    if a.entity and a.entity == b.entity:
        return True
    wa, wb = _name_words(a.name), _name_words(b.name)
    if not wa or not wb:
        return True
    ja, jb = " ".join(wa), " ".join(wb)
    if ja == jb or f" {ja} " in f" {jb} " or f" {jb} " in f" {ja} ":
        return True
    if wa[-1] == wb[-1] and len(wa[-1]) > 2:
        return True
    return fuzz.ratio(ja, jb) >= min_ratio


def match_quotes(
    quotes: Sequence[Quote],
    parsed: Sequence[ParsedArticle],
    settings: Settings,
    *,
    vectors: TextVectors | None = None,
) -> tuple[QuoteMatch, ...]:
    """Groups of quotations from different articles that carry one statement; none is forced.

    `vectors` is the report's embedding store: a quotation's vector is pooled from its sentence's pass.
    """
    if len({q.article for q in quotes}) < 2:
        return ()
    store = vectors if vectors is not None else TextVectors.of_parsed(parsed, settings)
    emb = store.embed_ranges([[(q.article, q.start, q.end)] for q in quotes], [q.text for q in quotes])
    sims = emb @ emb.T
    words = [_words(q.text) for q in quotes]
    threshold = settings.quote_match_threshold
    scores: dict[tuple[int, int], float] = {}
    for i, j in combinations(range(len(quotes)), 2):
        if quotes[i].article != quotes[j].article:
            scores[(i, j)] = max(float(sims[i, j]), _overlap(words[i], words[j], settings))
    # Greedy merging from the strongest pair down; a group takes one quotation per article and
    # every pair in it must pass the threshold, so a chain of loose links cannot sweep up a story.
    group_of = {k: [k] for k in range(len(quotes))}
    for (i, j), score in sorted(scores.items(), key=lambda kv: -kv[1]):
        if score < threshold or group_of[i] is group_of[j]:
            continue
        a, b = group_of[i], group_of[j]
        if {quotes[k].article for k in a} & {quotes[k].article for k in b}:
            continue
        if any(scores[(min(x, y), max(x, y))] < threshold for x in a for y in b):
            continue
        merged = a + b
        for k in merged:
            group_of[k] = merged
    seen: set[int] = set()
    out = []
    for idx in group_of.values():
        if len(idx) < 2 or id(idx) in seen:
            continue
        seen.add(id(idx))
        idx = sorted(idx)
        pair_scores = [scores[(i, j)] for i, j in combinations(idx, 2)]
        speakers = [quotes[i].speaker for i in idx]
        out.append(
            QuoteMatch(
                quotes=tuple(quotes[i].id for i in idx),
                similarity=round(sum(pair_scores) / len(pair_scores), 4),
                same_speaker=all(
                    same_speaker(a, b, min_ratio=settings.quote_speaker_min_ratio)
                    for a, b in combinations(speakers, 2)
                ),
            )
        )
    out.sort(key=lambda m: -m.similarity)
    return tuple(out)
