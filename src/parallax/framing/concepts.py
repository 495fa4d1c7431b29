"""Framing concepts: every way each article names one referent, names and coreferring descriptions alike."""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from parallax.entities.identity import demonym_place
from parallax.entities.mentions import Mention, collect_mentions
from parallax.entities.names import name_key
from parallax.lexicon import GROUP_HEADS, ORG_HEADS, TITLE_WORDS, VAGUE_HEADS
from parallax.model import Entity, FramingConcept, Term
from parallax.nlp import ParsedArticle, Range, TextVectors
from parallax.settings import Settings, load_settings
from parallax.unionfind import UnionFind

if TYPE_CHECKING:
    from spacy.tokens import Span

__all__ = ["build_framing"]


_DETERMINERS = frozenset({"the", "this", "that", "these", "those"})
# Entity kinds a definite description can stand for by meaning alone ("the alliance" -> NATO); people are
# left to their titles and roles, whose embeddings say too little about which person is meant.
_DESCRIBABLE = frozenset({"ORG", "GPE", "LOC", "NORP", "EVENT", "LAW", "FAC", "PRODUCT", "WORK_OF_ART"})


class _Terms:
    """Terms per (concept, article), each (article, normalised text) given to one concept only."""

    def __init__(self) -> None:
        self.by_concept: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
        self.owner: dict[tuple[str, str], str] = {}

    def add(self, concept: str, article: str, text: str) -> None:
        text = " ".join(text.split()).strip(" ,;:\"'\u201c\u201d")
        key = name_key(text)
        if not key or not any(ch.isalpha() for ch in key):
            return
        owner = self.owner.setdefault((article, key), concept)
        if owner == concept:
            self.by_concept[concept][article][text] += 1


def _entity_of_key(entities: Sequence[Entity]) -> dict[str, str]:
    out: dict[str, str] = {}
    for e in entities:
        for n in (e.name, *e.aliases):
            out.setdefault(name_key(n), e.id)
    return out


def _country_of(entities: Sequence[Entity]) -> dict[str, str]:
    """NORP entity id -> the place entity it is the nationality of ('Russian' -> Russia)."""
    places = [e for e in entities if e.type in ("GPE", "LOC")]
    out: dict[str, str] = {}
    for e in entities:
        if e.type != "NORP":
            continue
        place_names = demonym_place(e.name)
        hits = {p.id for p in places for n in (p.name, *p.aliases) if name_key(n) in place_names}
        if len(hits) == 1:
            out[e.id] = hits.pop()
    return out


def _role_heads(mentions: Sequence[tuple[Mention, str]], entities: Sequence[Entity]) -> dict[str, set[str]]:
    """Head nouns that can stand for an entity: its titles' heads, its org head noun, 'country' for places."""
    heads: dict[str, set[str]] = defaultdict(set)
    for m, eid in mentions:
        for title in (*m.titles, *m.descriptions):
            words = name_key(title).split()
            if words and words[-1] in TITLE_WORDS | ORG_HEADS:
                heads[eid].add(words[-1])
    for e in entities:
        last = name_key(e.name).split()[-1:]
        if e.type == "ORG" and last and last[0] in ORG_HEADS:
            heads[e.id].add(last[0])
        if e.type == "GPE":
            heads[e.id] |= {"country", "nation"}
    return heads


def _np_head(chunk: Span) -> str:
    return chunk.root.lemma_.lower() if chunk.root.tag_ not in ("NNS", "NNPS") else chunk.root.lower_


def build_framing(
    parsed: Sequence[ParsedArticle],
    entities: Sequence[Entity],
    *,
    settings: Settings | None = None,
    vectors: TextVectors | None = None,
) -> tuple[FramingConcept, ...]:
    """One concept per entity (and per shared topic noun) with the words each article uses for it.

    `vectors` is the report's embedding store (phrases already embedded for it are not embedded again).
    """
    if not parsed:
        return ()
    settings = settings or load_settings()
    store = vectors if vectors is not None else TextVectors(settings)
    by_key = _entity_of_key(entities)
    country = _country_of(entities)
    ent_by_id = {e.id: e for e in entities}
    linked: list[tuple[Mention, str]] = []
    for m in collect_mentions(parsed):
        eid = by_key.get(m.key)
        if eid is not None:
            linked.append((m, country.get(eid, eid)))
    terms = _Terms()
    # 1. Names as written, with their titles, honorifics and appositions.
    for m, eid in linked:
        doc = m.span.doc
        forms = [m.raw, m.text]
        if m.span.start > 0 and doc[m.span.start - 1].lower_ == "the":
            forms.append(doc[m.span.start - 1 : m.span.end].text)
        if m.titled:
            forms.append(m.titled)
        forms.extend((*m.titles, *m.descriptions))
        for form in dict.fromkeys(forms):
            terms.add(eid, m.article, form)
    # 2. Descriptions that corefer: definite noun phrases whose head fits an entity's role or kind.
    heads = _role_heads(linked, entities)
    head_index: dict[str, set[str]] = defaultdict(set)
    for eid, hs in heads.items():
        for h in hs:
            head_index[h].add(eid)
    window = settings.framing_antecedent_window_chars
    positions: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for m, eid in linked:
        positions[m.article].append((m.start, eid))
    pending: list[_Pending] = []
    for art in parsed:
        seen = sorted(positions[art.id])
        for sent in art.sentences:
            for chunk in sent.span.noun_chunks:
                root = chunk.root
                titled = root.pos_ == "PROPN" and root.lower_ in TITLE_WORDS
                if (root.pos_ != "NOUN" and not titled) or root.ent_type_ in ("PERSON", "ORG", "GPE"):
                    continue
                text = chunk.text
                start = sent.char_start(chunk[0])
                head = _np_head(chunk)
                first = chunk[0].lower_
                definite = first in _DETERMINERS or chunk[0].dep_ == "poss" or chunk[0].tag_ == "PRP$"
                candidates = (
                    head_index.get(root.lemma_.lower(), set()) if root.tag_ in ("NN", "NNP") else set()
                )
                norp = [t for t in chunk if t.ent_type_ == "NORP" and t.i < root.i]
                if norp and head in GROUP_HEADS and not candidates:
                    eid = by_key.get(name_key(" ".join(t.text for t in norp)))
                    if eid is not None and eid in country:
                        terms.add(country[eid], art.id, text)
                        continue
                if (definite or titled or norp) and candidates:
                    before = [eid for pos, eid in seen if pos < start and eid in candidates]
                    if before:
                        terms.add(before[-1], art.id, text)
                        continue
                    counts = Counter(eid for _, eid in seen if eid in candidates)
                    if counts:
                        terms.add(counts.most_common(1)[0][0], art.id, text)
                        continue
                if head in VAGUE_HEADS or root.is_stop or len(chunk) > 8 or chunk[0].tag_ == "PRP":
                    continue
                # Descriptions by meaning are common words: "the Iran deal" is about Iran, not Iran itself.
                named = any(t.pos_ == "PROPN" and t.head.i == root.i and t.i != root.i for t in chunk)
                short = (
                    definite
                    and not (norp or named or titled)
                    and root.lower_ not in TITLE_WORDS
                    and len(chunk) <= settings.framing_description_max_tokens
                )
                recent = {eid for pos, eid in seen if start - window <= pos < start} if short else set()
                last = root.doc[
                    min(root.right_edge.i + 1, root.i + settings.framing_topic_context_tokens) - 1
                ]
                pending.append(
                    _Pending(
                        art.id,
                        head,
                        text,
                        frozenset(recent),
                        (art.id, start, sent.char_start(chunk[-1]) + len(chunk[-1].text)),
                        (art.id, sent.char_start(root), sent.char_start(root) + len(root.text)),
                        (art.id, start, sent.char_start(last) + len(last.text)),
                        root.doc[chunk.start : last.i + 1].text,
                    )
                )
    # 3. Descriptions by meaning, and topics: common-noun referents several articles name ("the summit").
    describable = [e for e in entities if e.type in _DESCRIBABLE]
    named_at: dict[str, list[Range]] = defaultdict(list)
    for m, _ in linked:
        named_at[by_key[m.key]].append((m.article, m.start, m.end))
    topics = _link_by_meaning(pending, [(e, named_at[e.id]) for e in describable], terms, store, settings)
    for group in topics:
        key = f"topic:{group[0].head}"
        if len({p.article for p in group}) < 2:
            continue
        for p in group:
            terms.add(key, p.article, p.text)
    return _concepts(terms, ent_by_id)


@dataclasses.dataclass(frozen=True)
class _Pending:
    """A noun phrase no name or role claimed: a description to link by meaning, else a topic mention."""

    article: str
    head: str
    text: str
    antecedents: frozenset[str]  # entities named shortly before, when it is a short definite description
    text_at: Range
    head_at: Range
    phrase_at: Range  # the whole phrase the noun heads ("a summit with the north's leader")
    phrase: str


def _link_by_meaning(
    pending: Sequence[_Pending],
    entities: Sequence[tuple[Entity, list[Range]]],
    terms: _Terms,
    store: TextVectors,
    settings: Settings,
) -> list[list[_Pending]]:
    """Link short definite descriptions to the entity whose name they are clearly closest to in meaning;
    group the rest by head noun, joining head groups whose phrases mean the same (meeting ~ summit).

    Each name, head and description is pooled from the encoder's pieces over all its places in the
    story (an entity's mentions, a head's nouns), so it reads as the story uses it.
    Returns the topic groups, largest first.
    """
    if not pending:
        return []
    described_at: dict[str, list[Range]] = defaultdict(list)
    head_at: dict[str, list[Range]] = defaultdict(list)
    for p in pending:
        head_at[p.head].append(p.head_at)
        if p.antecedents:
            described_at[p.text.lower()].append(p.text_at)
    descriptions, all_heads = list(described_at), list(head_at)
    vectors = store.embed_ranges(
        [*(at for _, at in entities), *head_at.values(), *described_at.values()],
        [*(e.name for e, _ in entities), *all_heads, *descriptions],
    )
    names = len(entities)
    name_vecs = vectors[:names]
    head_row = {h: vectors[names + i] for i, h in enumerate(all_heads)}
    row = {t: vectors[names + len(all_heads) + i] for i, t in enumerate(descriptions)}
    by_head: dict[str, list[_Pending]] = defaultdict(list)
    linked: dict[str, Counter[str]] = defaultdict(Counter)
    described: Counter[str] = Counter()
    for p in pending:
        by_head[p.head].append(p)
        allowed = [i for i, (e, _) in enumerate(entities) if e.id in p.antecedents]
        if not allowed:
            continue
        described[p.head] += 1
        vec = row[p.text.lower()]
        ranked = sorted(((float(name_vecs[i] @ vec), i) for i in allowed), reverse=True)
        best, runner = ranked[0][0], ranked[1][0] if len(ranked) > 1 else 0.0
        if best >= settings.framing_link_min_cosine and best - runner >= settings.framing_link_min_margin:
            linked[p.head][entities[ranked[0][1]][0].id] += 1
    # A head noun most of whose short descriptions name one entity stands for it everywhere in the story.
    for head, counts in linked.items():
        eid, n = counts.most_common(1)[0]
        if 2 * n > described[head]:
            for p in by_head.pop(head):
                terms.add(eid, p.article, p.text)
    if not by_head:
        return []
    heads = sorted(by_head, key=lambda h: -len(by_head[h]))
    hv = np.stack([head_row[h] for h in heads])
    close = np.triu(hv @ hv.T >= settings.framing_topic_head_min_cosine, k=1)
    candidates = np.flatnonzero(close.any(axis=0) | close.any(axis=1))
    # A group's centroid: the mean of its phrases' own (unit) vectors, so no long phrase outweighs the rest.
    group_phrases = [by_head[heads[i]] for i in candidates]
    flat = [p for g in group_phrases for p in g]
    phrase_vecs = store.embed_ranges([[p.phrase_at] for p in flat], [p.phrase for p in flat])
    centroids, k = {}, 0
    for i, g in zip(candidates, group_phrases, strict=True):
        centroids[int(i)] = _unit(phrase_vecs[k : k + len(g)].mean(axis=0))
        k += len(g)
    topics = UnionFind(range(len(heads)))
    for i, j in zip(*np.nonzero(close), strict=True):
        if float(centroids[int(i)] @ centroids[int(j)]) >= settings.framing_topic_merge_cosine:
            topics.union(int(i), int(j))
    return [[p for i in members for p in by_head[heads[i]]] for members in topics.groups().values()]


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n else v


def _concepts(terms: _Terms, ent_by_id: dict[str, Entity]) -> tuple[FramingConcept, ...]:
    shared, single, topical = [], [], []
    for concept, per_article in terms.by_concept.items():
        if not per_article:
            continue
        built = {aid: tuple(Term(t, n) for t, n in c.most_common()) for aid, c in per_article.items()}
        n_forms = len({name_key(t) for c in per_article.values() for t in c})
        total = sum(sum(c.values()) for c in per_article.values())
        if concept.startswith("topic:"):
            if len(built) < 2:
                continue
            everything: Counter[str] = Counter()
            for c in per_article.values():
                everything.update(c)
            name = everything.most_common(1)[0][0]
            topical.append((-total, FramingConcept(concept=name, entity=None, terms=built)))
            continue
        ent = ent_by_id[concept]
        fc = FramingConcept(concept=ent.name, entity=ent.id, terms=built)
        if len(built) >= 2:
            shared.append((-total, fc))
        elif n_forms >= 2:
            single.append((-total, fc))
    order = [
        *sorted(shared, key=lambda x: x[0]),
        *sorted(topical, key=lambda x: x[0]),
        *sorted(single, key=lambda x: x[0]),
    ]
    return tuple(fc for _, fc in order)
