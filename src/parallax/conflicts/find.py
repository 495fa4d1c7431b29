"""Statements in different outlets that cannot both be true.

First kinds: differing numbers for the same thing inside one aligned claim ("12 people
killed" against "15 people killed"), and outlets crediting one statement to different
speakers (from the quote matches).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from parallax.model import Claim, Conflict, ConflictMember, Quote, QuoteMatch
from parallax.nlp import ParsedArticle, ParsedSentence
from parallax.settings import Settings

__all__ = ["Figure", "attribution_conflicts", "figures", "find_conflicts"]

_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}  # fmt: skip
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "m": 1e6, "bn": 1e9}
_HEDGES = {"about", "around", "nearly", "almost", "roughly", "approximately", "some", "over", "more",
           "less", "fewer", "up", "least", "than", "estimated", "under"}  # fmt: skip
_NUMBER_ENTS = {"CARDINAL", "MONEY", "PERCENT", "QUANTITY", ""}


@dataclass(frozen=True)
class Figure:
    """A number in a sentence and the thing it counts ("1,700" of "warhead")."""

    value: float
    text: str
    counts: str
    hedged: bool


def _value(text: str) -> float | None:
    cleaned = text.lower().replace(",", "").strip()
    if cleaned in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[cleaned])
    if cleaned in _SCALES:
        return _SCALES[cleaned]
    try:
        return float(re.sub(r"[^\d.]", "", cleaned) or "x")
    except ValueError:
        return None


def figures(sentence: ParsedSentence) -> Iterator[Figure]:
    """Numbers that count something named in the sentence; dates, ordinals and years are left out."""
    for tok in sentence.span:
        if not tok.like_num or tok.ent_type_ not in _NUMBER_ENTS or tok.head.lower_ in _SCALES:
            continue
        value = _value(tok.text)
        if value is None:
            continue
        if tok.lower_ in _SCALES:  # "1.7 million": the scale word heads its number
            digits = [c for c in tok.children if c.like_num and c.lower_ not in _SCALES]
            value = (_value(digits[0].text) or 1.0) * value if digits else value
        if tok.dep_ != "nummod":
            continue
        noun = tok.head
        if noun.pos_ not in ("NOUN", "PROPN"):
            continue
        hedged = any(t.lower_ in _HEDGES for t in tok.subtree if t.i != tok.i) or any(
            t.lower_ in _HEDGES for t in tok.doc[max(tok.i - 3, 0) : tok.i]
        )
        yield Figure(value, tok.text, noun.lemma_.lower(), hedged)


def _agree(x: Figure, y: Figure, tolerance: float) -> bool:
    """Equal figures agree; a hedged one ("about 1,700") also within `tolerance` of the larger."""
    if x.value == y.value:
        return True
    if x.hedged or y.hedged:
        return abs(x.value - y.value) <= tolerance * max(x.value, y.value)
    return False


def _number_conflicts(
    parsed: Sequence[ParsedArticle], claims: Sequence[Claim], settings: Settings
) -> Iterator[Conflict]:
    sentences = {s.id: (p.id, s) for p in parsed for s in p.sentences}
    for claim in claims:
        if claim.kind == "exclusive":
            continue
        by_article: dict[str, list[tuple[ParsedSentence, Figure]]] = {}
        for m in claim.members:
            art, sent = sentences[m.sentence]
            by_article.setdefault(art, []).extend((sent, f) for f in figures(sent))
        arts = sorted(by_article)
        for i, a in enumerate(arts):
            for b in arts[i + 1 :]:
                for sa, fa in by_article[a]:
                    same_thing = [(sb, fb) for sb, fb in by_article[b] if fb.counts == fa.counts]
                    if not same_thing or any(
                        _agree(fa, fb, settings.number_hedge_tolerance) for _, fb in same_thing
                    ):
                        continue
                    sb, fb = same_thing[0]
                    yield Conflict(
                        "number",
                        (ConflictMember(a, sa.text), ConflictMember(b, sb.text)),
                        f"{a} gives {fa.text} {fa.counts}, {b} gives {fb.text} {fb.counts}",
                    )


def attribution_conflicts(quotes: Sequence[Quote], matches: Sequence[QuoteMatch]) -> tuple[Conflict, ...]:
    """One statement that outlets credit to different speakers."""
    by_id = {q.id: q for q in quotes}
    out = []
    for match in matches:
        if match.same_speaker:
            continue
        members = [by_id[q] for q in match.quotes if q in by_id]
        names = sorted({q.speaker.name if q.speaker else "no named speaker" for q in members})
        out.append(
            Conflict(
                "attribution",
                tuple(ConflictMember(q.article, q.text) for q in members),
                "the same words are credited to " + " / ".join(names),
            )
        )
    return tuple(out)


def find_conflicts(
    parsed: Sequence[ParsedArticle], claims: Sequence[Claim], settings: Settings
) -> tuple[Conflict, ...]:
    """Number conflicts inside aligned claims."""
    seen: set[tuple[str, ...]] = set()
    out = []
    for c in _number_conflicts(parsed, claims, settings):
        key = tuple(m.text for m in c.members)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return tuple(out)
