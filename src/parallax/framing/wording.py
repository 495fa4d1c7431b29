"""Word choice beyond names: the verbs each outlet reports a speaker with, and the hedges it uses.

"Trump said" in one outlet is "Trump blasted" or "Trump claimed" in another: the verb frames the
speaker. Each row counts, per article, the reporting verbs of the quotations credited to one
speaker, and is kept only where an outlet uses a verb beyond the plain ones ('said', 'told') that
another outlet does not use for that speaker. Hedges ('allegedly', 'so-called') get one row when
the articles use them differently. Rows are framing concepts, so every view shows them beside
the names.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from parallax.lexicon import HEDGES, PLAIN_REPORTING
from parallax.model import Entity, FramingConcept, Quote, Term
from parallax.nlp import ParsedArticle

__all__ = ["hedge_row", "reporting_verb_rows", "word_choice_rows"]

# By the text, not the tokens: spaCy cuts "so-called" into three.
_HEDGE = re.compile(
    r"\b(?:" + "|".join(re.escape(h) for h in sorted(HEDGES, key=len, reverse=True)) + r")\b", re.I
)


class _Counts:
    """Words counted by lemma per article, each shown in the form the article writes most."""

    def __init__(self) -> None:
        self.lemmas: dict[str, Counter[str]] = defaultdict(Counter)
        self.forms: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)

    def add(self, article: str, lemma: str, form: str) -> None:
        self.lemmas[article][lemma] += 1
        self.forms[(article, lemma)][form] += 1

    def terms(self) -> dict[str, tuple[Term, ...]]:
        out = {}
        for article, counts in self.lemmas.items():
            shown: Counter[str] = Counter()
            for lemma, count in counts.items():  # two lemmas the parse gave one form merge here
                shown[self.forms[(article, lemma)].most_common(1)[0][0]] += count
            out[article] = tuple(Term(form, count) for form, count in shown.most_common())
        return out


def _cue_lemma(parsed: dict[str, ParsedArticle], quote: Quote) -> str | None:
    """The lemma of the quotation's cue as the parse read it in its sentence."""
    if not quote.cue:
        return None
    article = parsed.get(quote.article)
    sentence = next((s for s in article.sentences if s.id == quote.sentence), None) if article else None
    if sentence is None or " " in quote.cue:  # "according to": no verb to lemmatise
        return quote.cue.lower()
    token = next((t for t in sentence.span if t.text == quote.cue), None)
    return token.lemma_.lower() if token is not None else quote.cue.lower()


def _voice(article: ParsedArticle) -> str:
    return article.article.outlet or article.id


def reporting_verb_rows(
    parsed: Sequence[ParsedArticle], quotes: Sequence[Quote], entities: Sequence[Entity]
) -> list[FramingConcept]:
    """One row per speaker two outlets quote, where one reports them with a verb the other does not."""
    by_id = {p.id: p for p in parsed}
    names = {e.id: e.name for e in entities}
    per_speaker: dict[str, _Counts] = defaultdict(_Counts)
    verbs_by_voice: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for quote in quotes:
        entity = quote.speaker.entity if quote.speaker else None
        lemma = _cue_lemma(by_id, quote)
        if entity is None or entity not in names or lemma is None or quote.cue is None:
            continue
        per_speaker[entity].add(quote.article, lemma, quote.cue.lower())
        voice = _voice(by_id[quote.article]) if quote.article in by_id else quote.article
        verbs_by_voice[entity][voice].add(lemma)
    rows = []
    for entity, counts in per_speaker.items():
        voices = verbs_by_voice[entity]
        if len(voices) < 2:
            continue
        everyone = set.intersection(*voices.values())
        if all(verbs <= everyone | PLAIN_REPORTING for verbs in voices.values()):
            continue  # every outlet reports this speaker alike, or only with plain verbs
        rows.append((sum(sum(c.values()) for c in counts.lemmas.values()), entity, counts))
    rows.sort(key=lambda r: (-r[0], r[1]))
    return [FramingConcept(f"verbs reporting {names[e]}", e, counts.terms()) for _, e, counts in rows]


def hedge_row(parsed: Sequence[ParsedArticle]) -> FramingConcept | None:
    """Hedging words per article, when the articles do not use them alike."""
    counts = _Counts()
    for p in parsed:
        for sentence in p.sentences:
            for match in _HEDGE.finditer(sentence.text):
                counts.add(p.id, match.group().lower(), match.group().lower())
    per_article = [counts.lemmas.get(p.id, Counter()) for p in parsed]
    if len(parsed) < 2 or not any(per_article) or all(c == per_article[0] for c in per_article):
        return None
    return FramingConcept("hedges", None, counts.terms())


def word_choice_rows(
    parsed: Sequence[ParsedArticle], quotes: Sequence[Quote], entities: Sequence[Entity]
) -> tuple[FramingConcept, ...]:
    """The reporting-verb rows, then the hedge row: framing beyond the names."""
    hedges = hedge_row(parsed)
    return (*reporting_verb_rows(parsed, quotes, entities), *([hedges] if hedges else []))
