"""Match one statement carried by several outlets, in any wording."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from itertools import combinations

from rapidfuzz import fuzz

from parallax.entities.identity import name_tokens, same_person
from parallax.model import Quote, QuoteMatch, Speaker
from parallax.nlp import ParsedArticle, TextVectors
from parallax.settings import Settings, load_settings

__all__ = ["match_quotes", "same_speaker"]

_WORD = re.compile(r"[a-z0-9]+")


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


def same_speaker(a: Speaker | None, b: Speaker | None, settings: Settings | None = None) -> bool:
    """Whether two speakers are one: same entity, or names one person by the identity rule, or close.

    An unknown speaker is no evidence of a difference, so it counts as the same. Names ending in
    the same word are judged by the identity rule alone (Joe and Jill Biden are two people); other
    names are spelling variants of one body from `settings.quote_speaker_min_ratio`
    ('Ministry of Defence', 'Ministry of Defense').
    """
    if a is None or b is None:
        return True
    if a.entity and a.entity == b.entity:
        return True
    wa, wb = name_tokens(a.name), name_tokens(b.name)
    if not wa or not wb or same_person(a.name, b.name, settings):
        return True
    min_ratio = (settings or load_settings()).quote_speaker_min_ratio
    return wa[-1] != wb[-1] and fuzz.ratio(" ".join(wa), " ".join(wb)) >= min_ratio


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
                same_speaker=all(same_speaker(a, b, settings) for a, b in combinations(speakers, 2)),
            )
        )
    out.sort(key=lambda m: -m.similarity)
    return tuple(out)
