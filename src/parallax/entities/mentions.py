"""Every name-like entity mention of the articles, trimmed, with the titles and descriptions around it."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from parallax.entities.layout import (
    country_names,
    dateline_places,
    initialled_name,
    initialled_names,
    person_beside_country,
    table_sides,
)
from parallax.entities.names import NAME_TYPES, honorific_gender, name_key
from parallax.lexicon import HONORIFICS, MATCH_VERBS, NAMED_THINGS, TEAM_ROLES, TITLE_WORDS
from parallax.nlp import ParsedArticle, ParsedSentence

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = ["Mention", "collect_mentions", "title_chain"]

_CHAIN_DEPS = frozenset(
    {"compound", "amod", "nmod", "poss", "case", "nummod", "punct", "npadvmod", "quantmod"}
)
_LOCATIVE = frozenset({"in", "at", "from", "near", "to", "across", "into", "outside", "inside"})
_NUMBERLESS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})


@dataclasses.dataclass(frozen=True, eq=False)
class Mention:
    """One entity mention: its cleaned surface, key, spaCy label, place in the text, and what surrounds it."""

    article: str
    article_index: int
    start: int
    end: int
    text: str
    key: str
    label: str
    span: Span
    raw: str
    titles: tuple[str, ...]
    descriptions: tuple[str, ...]
    titled: str | None
    honorific: bool
    gender: str | None  # "m" or "f" from the honorific before the name ("Mr. Obama")
    place_cue: bool
    team_cue: bool


def _trim(span: Span) -> tuple[Span, bool] | None:
    """Drop determiners, honorifics, possessive endings, stray punctuation and trailing common nouns."""
    doc = span.doc
    start, end = span.start, span.end
    honorific = False
    # spaCy often cuts hyphenated given names short ('Moon Jae' of 'Moon Jae-in'): take the syllable back.
    if (
        span.label_ == "PERSON"
        and end + 1 < len(doc)
        and not doc[end - 1].whitespace_
        and doc[end].text == "-"
    ):
        nxt = doc[end + 1]
        if not doc[end].whitespace_ and nxt.is_alpha and nxt.is_lower and len(nxt.text) <= 3:
            end += 2
    stretched = end if end != span.end else -1
    while start < end and (
        doc[start].lower_ in ("the", "a", "an")
        or doc[start].lower_ in HONORIFICS
        or doc[start].is_punct
        or doc[start].is_space
    ):
        honorific |= doc[start].lower_.rstrip(".") in HONORIFICS
        start += 1
    while (
        end > start
        and end != stretched
        and (
            doc[end - 1].is_punct
            or doc[end - 1].is_space
            or doc[end - 1].lower_ in ("'s", "\u2019s", "'", "\u2019")
            or (doc[end - 1].is_lower and doc[end - 1].pos_ in ("NOUN", "VERB", "ADJ") and end - 1 > start)
            or (span.label_ == "PERSON" and end - 1 > start and doc[end - 1].lower_ in NAMED_THINGS)
        )
    ):
        end -= 1
    if span.label_ in _NUMBERLESS:
        # Score tables and datelines glue numbers onto names ('Seoul 1996-08-30', '2 Rodney Eyles').
        while start < end and (doc[start].like_num or doc[start].is_punct or doc[start].is_space):
            start += 1
        while end > start and (doc[end - 1].like_num or doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
    if start >= end or (end - start == 1 and len(doc[start].text) < 2):
        return None
    if start > 0 and doc[start - 1].lower_.rstrip(".") in HONORIFICS:
        honorific = True
    return doc[start:end], honorific


def title_chain(span: Span) -> Span | None:
    """The modifiers right before a name that form its title: 'Ukrainian Foreign Minister' (Andrii Sybiha)."""
    doc = span.doc
    lo = span.sent.start if span.sent is not None else 0
    i = span.start - 1
    first = span.start
    while i >= lo:
        tok = doc[i]
        if tok.dep_ == "case" and i - 1 >= lo and first <= tok.head.i + 1 <= span.end:
            i -= 1
            continue
        head_in = first <= tok.head.i < span.end or (tok.dep_ == "case" and tok.head.i == i - 1)
        if not head_in or tok.dep_ not in _CHAIN_DEPS or tok.lower_ in ("the", "a", "an"):
            break
        if tok.is_punct and tok.text not in ("-", "\u2013", "."):
            break
        first = i
        i -= 1
    if first == span.start:
        return None
    while first < span.start and (doc[first].is_punct or doc[first].lower_.rstrip(".") in HONORIFICS):
        first += 1
    if first == span.start:
        return None
    chain = doc[first : span.start]
    if not any(t.lower_.strip(".") in TITLE_WORDS or (t.pos_ == "NOUN" and t.is_lower) for t in chain):
        return None
    if all(t.ent_type_ for t in chain):
        return None
    return chain


def _phrase(tokens: Sequence[Token]) -> str | None:
    """A description without leading determiners or trailing punctuation, if short enough for a role."""
    toks = sorted(tokens, key=lambda t: t.i)
    while toks and (toks[0].lower_ in ("the", "a", "an") or toks[0].is_punct):
        toks = toks[1:]
    while toks and toks[-1].is_punct:
        toks = toks[:-1]
    if not toks or len(toks) > 10:
        return None
    doc = toks[0].doc
    # Keep only a contiguous run so that dropped clauses leave no gaps.
    run = [toks[0]]
    for t in toks[1:]:
        if t.i != run[-1].i + 1:
            break
        run.append(t)
    return doc[run[0].i : run[-1].i + 1].text


def _description_tokens(head: Token, exclude: Span | None = None) -> list[Token]:
    """The noun phrase under `head`, without clauses, coordinations or the excluded name."""
    out: list[Token] = []
    stack = [head]
    while stack:
        tok = stack.pop()
        if exclude is not None and exclude.start <= tok.i < exclude.end:
            continue
        out.append(tok)
        for child in tok.children:
            if (
                child.dep_ in ("relcl", "acl", "cc", "conj", "appos", "punct", "advcl", "prep")
                and child.i > head.i
            ):
                if child.dep_ == "prep" and child.lower_ == "of" and child.i == head.i + 1:
                    stack.append(child)
                continue
            stack.append(child)
    return out


def _is_description_head(tok: Token) -> bool:
    return tok.pos_ in ("NOUN", "PROPN") and (
        tok.lower_ in TITLE_WORDS or (tok.pos_ == "NOUN" and not tok.ent_type_)
    )


def _descriptions(span: Span) -> list[str]:
    """Appositions either side ('John Roe, the company's chief executive'; 'its chief, John Roe'), copulas."""
    root = span.root
    found: list[str] = []
    for child in root.children:
        if child.dep_ == "appos" and child.i >= span.end and _is_description_head(child):
            text = _phrase(_description_tokens(child))
            if text:
                found.append(text)
    if root.dep_ == "appos" and root.head.i < span.start and _is_description_head(root.head):
        text = _phrase(_description_tokens(root.head, exclude=span))
        if text:
            found.append(text)
    if root.dep_ == "nsubj" and root.head.lemma_ == "be":
        for child in root.head.children:
            if child.dep_ == "attr" and child.i > root.i and _is_description_head(child):
                text = _phrase(_description_tokens(child))
                if text:
                    found.append(text)
    return found


def _place_cue(span: Span) -> bool:
    root = span.root
    return root.dep_ == "pobj" and root.head.lower_ in _LOCATIVE


def _team_cue(span: Span) -> bool:
    """Whether the name plays a game here: it beats or is beaten ('Leicestershire beat Somerset'),
    or a player's role follows it ('Surrey captain Chris Lewis')."""
    root = span.root
    head = root.head
    if root.dep_ in ("compound", "nmod", "poss") and head.lower_ in TEAM_ROLES:
        return True
    while root.dep_ == "conj" and head is not root:
        root, head = head, head.head
    return root.dep_ in ("nsubj", "dobj", "nsubjpass") and head.lemma_.lower() in MATCH_VERBS


def collect_mentions(parsed: Sequence[ParsedArticle]) -> list[Mention]:
    """Trimmed mentions of the name-like entity types, in article then text order."""
    return list(_iter_mentions(parsed))


def _named_spans(sent: ParsedSentence) -> Iterator[tuple[Span, str, str, bool]]:
    """The sentence's names: span, label, the text as found and whether an honorific stood before it.
    spaCy's entities, trimmed, save where the line's layout (a results row, a dateline) decides;
    then the countries and the initialled players ('P. Simmons') it left unnamed."""
    laid_out = [(place, "GPE") for place in dateline_places(sent.span)] or table_sides(sent.span)
    for span, label in laid_out:
        yield span, label, span.text, False
    taken = [span for span, _ in laid_out]
    for ent in sent.span.ents:
        if any(ent.start < span.end and span.start < ent.end for span in taken):
            continue
        taken.append(ent)
        if ent.label_ not in NAME_TYPES:
            continue
        trimmed = _trim(ent)
        if trimmed is None:
            continue
        split = person_beside_country(trimmed[0])
        for span, label in split:
            yield span, label, span.text, False
        if not split:
            label = "PERSON" if initialled_name(trimmed[0]) else ent.label_
            yield trimmed[0], label, ent.text.strip(), trimmed[1]
    for country in country_names(sent.span, taken):
        yield country, "GPE", country.text, False
    for name in initialled_names(sent.span, taken):
        yield name, "PERSON", name.text, False


def _iter_mentions(parsed: Sequence[ParsedArticle]) -> Iterator[Mention]:
    for ai, art in enumerate(parsed):
        for sent in art.sentences:
            for span, label, raw, honorific in _named_spans(sent):
                text = span.text.strip()
                key = name_key(text)
                if not key or not any(ch.isalpha() for ch in key) or not any(ch.isupper() for ch in text):
                    continue
                if label == "PERSON" and any(ch.isdigit() for ch in text):
                    continue
                chain = title_chain(span)
                titles = (chain.text,) if chain is not None else ()
                first = chain.start if chain is not None else span.start - honorific
                titled = span.doc[first : span.end].text
                yield Mention(
                    article=art.id,
                    article_index=ai,
                    start=sent.char_start(span[0]),
                    end=sent.char_start(span[-1]) + len(span[-1].text),
                    text=text,
                    key=key,
                    label=label,
                    span=span,
                    raw=raw,
                    titles=titles,
                    descriptions=tuple(_descriptions(span)),
                    titled=titled if titled != text else None,
                    honorific=honorific,
                    gender=honorific_gender(span),
                    place_cue=_place_cue(span),
                    team_cue=_team_cue(span),
                )
