"""Statements in different outlets that cannot both be true.

A false conflict costs more than a missed one, so every kind is checked only between
sentences that state the same fact (one claim, sentence cosine at `conflict_min_cosine` or
more) and only on evidence that cannot be a difference of wording:

- number: the same thing counted for the same action ("12 people killed" against "15 people
  killed"), after hedges and rounding are allowed for; several outlets against one are shown
  as a majority and a minority;
- date: one day against another, each sentence naming a single day of what happened (a
  calendar date, or a weekday where the article gave its publication date), not of a statement;
- place: where it happened, each sentence placing the action in one country or city that
  geonames knows, the two in different countries or cities far apart (a city and its own
  country agree); reported as a statement conflict, the kind CONTRACT.md has for it;
- statement: an unattributed statement that one outlet makes and another negates (what
  someone says or denies is reported speech, which two outlets can both report truly), and
  the same quotation printed with a different name or number in it (a misquote).

Outlets crediting one statement to different speakers are attribution differences, shown
with the quote matches: a ministry and its minister, or a lawsuit and the party that filed it,
can both have said it, so they are not conflicts.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz
from spacy.lang.en.stop_words import STOP_WORDS

from parallax.claims.align import voice
from parallax.claims.features import SentenceFacts, sentence_facts
from parallax.conflicts.figures import Figure, agree, figures
from parallax.entities.gazetteer import Location, locate
from parallax.lexicon import CLAUSE_CUES, NEGATIONS, is_cue
from parallax.model import Claim, Conflict, ConflictMember, Quote
from parallax.nlp import ParsedArticle, ParsedSentence
from parallax.settings import Settings
from parallax.timeline import Mention
from parallax.timeline.resolve import WEEKDAYS

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = ["find_conflicts"]

# A word, or an editor's insertion in brackets ("[Trump] paused"), which matches any word.
_WORD = re.compile(r"\[[^\]]*\]|\w+(?:[-'’]\w+)*")


@dataclass(frozen=True)
class _Statement:
    """One sentence as the conflict checks see it; its figures and facts are read once, when asked."""

    article: str
    voice: str
    sentence: ParsedSentence
    vector: np.ndarray

    @functools.cached_property
    def figures(self) -> tuple[Figure, ...]:
        return tuple(figures(self.sentence))

    @functools.cached_property
    def facts(self) -> SentenceFacts:
        return sentence_facts(self.sentence)


def _statements(parsed: Sequence[ParsedArticle]) -> dict[str, _Statement]:
    out = {}
    for p in parsed:
        speaker = voice(p)
        for s in p.sentences:
            emb = p.embeddings
            vector = emb[s.index] if emb.ndim == 2 and s.index < emb.shape[0] else np.zeros(1, np.float32)
            out[s.id] = _Statement(p.id, speaker, s, np.asarray(vector, dtype=np.float32))
    return out


def _cosine(x: _Statement, y: _Statement) -> float:
    if x.vector.shape != y.vector.shape:
        return 0.0
    norm = float(np.linalg.norm(x.vector) * np.linalg.norm(y.vector))
    return float(x.vector @ y.vector) / norm if norm else 0.0


def _same_fact_pairs(
    claims: Sequence[Claim], statements: dict[str, _Statement], settings: Settings
) -> Iterator[tuple[Claim, _Statement, _Statement]]:
    """Sentence pairs of different outlets inside one claim that are close enough to state one fact."""
    for claim in claims:
        if claim.kind == "exclusive":
            continue
        members = [statements[m.sentence] for m in claim.members if m.sentence in statements]
        for x, y in itertools.combinations(members, 2):
            if x.voice != y.voice and _cosine(x, y) >= settings.conflict_min_cosine:
                yield claim, x, y


# -- numbers ------------------------------------------------------------------------------


def _number_conflicts(
    pairs: Sequence[tuple[Claim, _Statement, _Statement]], settings: Settings
) -> Iterator[Conflict]:
    """Per claim and counted thing: the outlets' figures, split into groups that agree."""
    found: dict[tuple[str, str, str], dict[str, tuple[_Statement, Figure]]] = defaultdict(dict)
    for claim, x, y in pairs:
        for fx in x.figures:
            same = [fy for fy in y.figures if (fy.counts, fy.role) == (fx.counts, fx.role)]
            if not same or any(agree(fx, fy, settings.number_hedge_tolerance) for fy in same):
                continue
            if _over_different_spans(x, y, fx.counts, settings):
                continue
            if _unplaced_agrees(fx, y, settings) or any(_unplaced_agrees(fy, x, settings) for fy in same):
                continue  # the other sentence gives this figure too, where the parse could not say for what
            key = (claim.id, fx.counts, fx.role)
            found[key].setdefault(x.voice, (x, fx))
            found[key].setdefault(y.voice, (y, same[0]))
    for by_voice in found.values():
        groups: list[list[tuple[_Statement, Figure]]] = []
        for item in by_voice.values():
            home = next((g for g in groups if agree(g[0][1], item[1], settings.number_hedge_tolerance)), None)
            if home is None:
                groups.append([item])
            else:
                home.append(item)
        if len(groups) < 2:
            continue
        groups.sort(key=len)  # the odd one out first
        said = [(_names([s.article for s, _ in g]), len(g) > 1, g[0][1]) for g in groups]
        detail = "; ".join(f"{who} {'give' if many else 'gives'} {f.text} {f.noun}" for who, many, f in said)
        members = tuple(ConflictMember(s.article, s.sentence.text) for g in groups for s, _ in g)
        yield Conflict("number", members, detail)


def _over_different_spans(x: _Statement, y: _Statement, counted: str, settings: Settings) -> bool:
    """Whether the two count `counted` over spans that differ ("43 RBIs in 54 games" and "121 RBIs
    in a combined 157 games"): their figures then measure different things, not one fact. (A span
    figure of the counted thing itself is no span: "drove in 43 RBIs" may parse as one.)"""
    tolerance = settings.number_hedge_tolerance
    return any(
        fx.span and fy.span and fx.counts == fy.counts != counted and not agree(fx, fy, tolerance)
        for fx in x.figures
        for fy in y.figures
    )


def _unplaced_agrees(figure: Figure, statement: _Statement, settings: Settings) -> bool:
    """Whether the sentence has a figure of the same thing that agrees with `figure` but hangs on no
    word that says what it counts for ("Miller 15.5 points, Iguodala 14.9 points": a list by name)."""
    return any(
        f.counts == figure.counts and not f.role and agree(f, figure, settings.number_hedge_tolerance)
        for f in statement.figures
    )


def _names(articles: Sequence[str]) -> str:
    return articles[0] if len(articles) == 1 else ", ".join(articles[:-1]) + " and " + articles[-1]


# -- dates --------------------------------------------------------------------------------


def _date_conflicts(
    pairs: Sequence[tuple[Claim, _Statement, _Statement]], mentions: Sequence[Mention], assumed: set[str]
) -> Iterator[Conflict]:
    """Per claim: the days its outlets give for what happened, split into groups that agree, where
    each sentence names one day and two close sentences give different ones."""
    days: dict[tuple[str, int], list[Mention]] = defaultdict(list)
    for m in mentions:
        days[(m.article, m.sentence)].append(m)

    def day_of(statement: _Statement) -> Mention | None:
        found = days.get((statement.article, statement.sentence.index), [])
        return found[0] if len(found) == 1 and _firm_day(found[0], statement, assumed) else None

    by_claim: dict[str, dict[str, tuple[_Statement, Mention]]] = defaultdict(dict)
    for claim, x, y in pairs:
        mx, my = day_of(x), day_of(y)
        if mx is not None and my is not None and mx.when != my.when:
            by_claim[claim.id].setdefault(x.voice, (x, mx))
            by_claim[claim.id].setdefault(y.voice, (y, my))
    for by_voice in by_claim.values():
        groups: dict[str, list[tuple[_Statement, Mention]]] = defaultdict(list)
        for statement, mention in by_voice.values():
            groups[mention.when].append((statement, mention))
        ordered = sorted(groups.values(), key=len)  # the odd one out first
        detail = "; ".join(
            f"{_names([s.article for s, _ in g])} {'date' if len(g) > 1 else 'dates'} it "
            f"{g[0][1].expression} ({g[0][1].when})"
            for g in ordered
        )
        members = tuple(ConflictMember(s.article, s.sentence.text) for g in ordered for s, _ in g)
        yield Conflict("date", members, detail)


def _firm_day(mention: Mention, statement: _Statement, assumed: set[str]) -> bool:
    """A single day the sentence gives for what happened: a calendar date, or a weekday read against a
    publication date the article gave (not one parallax assumed), and not the day someone spoke
    ("..., officials said Tuesday")."""
    if len(mention.when) != 10:
        return False
    if mention.relative and (
        statement.article in assumed or mention.expression.lower().removeprefix("on ") not in WEEKDAYS
    ):
        return False
    span = statement.sentence.span
    at = span.text.find(mention.expression)
    if at < 0:
        return False
    end = span.start_char + at + len(mention.expression)
    head = next((t for t in reversed(span) if t.idx < end), None)
    while head is not None and head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    return head is None or not is_cue(head.lemma_)


# -- places -------------------------------------------------------------------------------

# Prepositions that place an action ("struck near X", "met in X"), not a direction ("flew to X").
_LOCATIVE = frozenset({"in", "near", "at", "outside", "inside"})


def _place_of(statement: _Statement) -> tuple[str, Location] | None:
    """The one place the sentence puts its action in: a GPE after a locative preposition that hangs
    from a verb other than a reporting one ("officials said in X" is where they spoke)."""
    found: dict[str, Location] = {}
    for token in statement.sentence.span:
        if token.ent_iob_ != "B" or token.ent_type_ != "GPE" or token.dep_ != "pobj":
            continue
        prep = token.head
        if prep.lower_ not in _LOCATIVE or prep.head.pos_ not in ("VERB", "AUX") or is_cue(prep.head.lemma_):
            continue
        name = token.doc[token.i : _entity_end(token)].text
        where = locate(name)
        if where is None:
            return None  # a place geonames cannot say is one or another: no judgement
        found[name] = where
    return next(iter(found.items())) if len(found) == 1 else None


def _entity_end(token: Token) -> int:
    end = token.i + 1
    while end < len(token.doc) and token.doc[end].ent_iob_ == "I":
        end += 1
    return end


def _apart(x: Location, y: Location, min_km: float) -> bool:
    """Two places that cannot both be where one thing happened: different countries (a city and
    the country it lies in agree), or two cities at least `min_km` apart."""
    km = x.km_to(y)
    if km is not None:
        return km >= min_km
    return x.country != y.country


def _place_conflicts(
    pairs: Sequence[tuple[Claim, _Statement, _Statement]], settings: Settings
) -> Iterator[Conflict]:
    for _, x, y in pairs:
        px, py = _place_of(x), _place_of(y)
        if px is None or py is None or not _apart(px[1], py[1], settings.conflict_place_min_km):
            continue
        yield Conflict(
            "statement",
            (ConflictMember(x.article, x.sentence.text), ConflictMember(y.article, y.sentence.text)),
            f"{x.article} places it in {px[0]} ({px[1].kind.value}, {px[1].country}); "
            f"{y.article} in {py[0]} ({py[1].kind.value}, {py[1].country})",
        )


# -- statements: negation and misquotes ---------------------------------------------------


def _reported(sentence: ParsedSentence, quoted: set[str]) -> bool:
    """Whether the sentence reports what someone said, rather than stating it itself."""
    return sentence.id in quoted or any(
        t.pos_ in ("VERB", "AUX") and (is_cue(t.lemma_) or t.lemma_.lower() in CLAUSE_CUES)
        for t in sentence.span
    )


def _negated_verbs(sentence: ParsedSentence) -> set[str]:
    return {t.head.lemma_.lower() for t in sentence.span if t.dep_ == "neg" or t.lower_ in NEGATIONS}


def _negation_conflicts(
    pairs: Sequence[tuple[Claim, _Statement, _Statement]], quotes: Sequence[Quote]
) -> Iterator[Conflict]:
    """One outlet states a fact and another states its negation, neither as someone's words."""
    quoted = {q.sentence for q in quotes}
    for _, x, y in pairs:
        fx, fy = x.facts, y.facts
        if fx.negated == fy.negated or _reported(x.sentence, quoted) or _reported(y.sentence, quoted):
            continue
        negative, positive = (x, fy) if fx.negated else (y, fx)
        verbs = _negated_verbs(negative.sentence) & positive.lemmas
        if not verbs:
            continue
        other = y if negative is x else x
        yield Conflict(
            "statement",
            (
                ConflictMember(other.article, other.sentence.text),
                ConflictMember(negative.article, negative.sentence.text),
            ),
            f"{negative.article} negates what {other.article} states ({', '.join(sorted(verbs))})",
        )


def _skeleton(word: str) -> str:
    """Consonants with repeats collapsed: what transliterations of one name keep ("Kiev", "Kyiv": "kv")."""
    consonants = re.sub(r"[aeiouyhw]", "", word.lower())
    return re.sub(r"(.)\1+", r"\1", consonants)


def _distinct_words(x: str, y: str) -> bool:
    """Two names or numbers that differ in substance, not in spelling ("Kiev"/"Kyiv", "Gaddafi"/"Qaddafi")."""
    if x.startswith("[") or y.startswith("["):
        return False
    if x.isdigit() and y.isdigit():
        return int(x) != int(y)
    if not (x[:1].isupper() and y[:1].isupper()) or x.lower() in STOP_WORDS or y.lower() in STOP_WORDS:
        return False
    sx, sy = _skeleton(x), _skeleton(y)
    return sx != sy and not (len(sx) > 2 and sx[1:] == sy[1:]) and fuzz.ratio(x.lower(), y.lower()) < 80


def _misquote(short: list[str], long: list[str]) -> list[tuple[str, str]] | None:
    """The words that differ where `short` sits best in `long`, if only names or numbers differ."""
    best: list[tuple[str, str]] | None = None
    for start in range(len(long) - len(short) + 1):
        window = long[start : start + len(short)]
        diffs = [
            (a, b)
            for a, b in zip(short, window, strict=True)
            if a.lower() != b.lower() and not (a.startswith("[") or b.startswith("["))
        ]
        if len(short) - len(diffs) < max(2, 2 * len(short) // 3):
            continue
        if (
            diffs
            and all(_distinct_words(a, b) for a, b in diffs)
            and (best is None or len(diffs) < len(best))
        ):
            best = diffs
    return best


def _misquote_conflicts(quotes: Sequence[Quote], statements: dict[str, _Statement]) -> Iterator[Conflict]:
    """One quotation printed by two outlets with a different name or number inside it."""
    verbatim = [q for q in quotes if q.kind != "indirect" and q.sentence in statements]
    words = {q.id: _WORD.findall(q.text) for q in verbatim}
    for p, q in itertools.combinations(verbatim, 2):
        if statements[p.sentence].voice == statements[q.sentence].voice:
            continue
        short, long = (p, q) if len(words[p.id]) <= len(words[q.id]) else (q, p)
        if len(words[short.id]) < 3:
            continue
        diffs = _misquote(words[short.id], words[long.id])
        if not diffs:
            continue
        said = "; ".join(f"{short.article} has '{a}' where {long.article} has '{b}'" for a, b in diffs)
        members = (statements[short.sentence], statements[long.sentence])
        yield Conflict(
            "statement",
            tuple(ConflictMember(m.article, m.sentence.text) for m in members),
            f"one quotation, printed two ways: {said}",
        )


def find_conflicts(
    parsed: Sequence[ParsedArticle],
    claims: Sequence[Claim],
    quotes: Sequence[Quote],
    mentions: Sequence[Mention],
    settings: Settings,
) -> tuple[Conflict, ...]:
    """Every conflict between outlets, once each."""
    statements = _statements(parsed)
    pairs = list(_same_fact_pairs(claims, statements, settings))
    seen: set[tuple[str, ...]] = set()
    out = []
    for conflict in itertools.chain(
        _number_conflicts(pairs, settings),
        _date_conflicts(pairs, mentions, {p.id for p in parsed if p.published_assumed}),
        _place_conflicts(pairs, settings),
        _negation_conflicts(pairs, quotes),
        _misquote_conflicts(quotes, statements),
    ):
        key = (conflict.kind, *sorted(m.text for m in conflict.members))
        if key not in seen:
            seen.add(key)
            out.append(conflict)
    return tuple(out)
