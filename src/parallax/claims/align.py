"""Group sentences that state the same fact across articles into claims.

Alignment is many-to-many (two sentences of one outlet may carry facts that a third sentence
of another outlet joins), so sentences are clustered rather than paired. An edge between
sentences of different articles is either strong (similarity at or above the shared
threshold, or a long run of identical words: the same quotation) or weak (above the partial
threshold and among each other's two best matches). Clusters grow greedily from the best
edge down, and two clusters merge only while their average cross-article similarity stays
above a linkage threshold, so one loose link cannot chain unrelated facts together: shared
claims are built first from strong edges at the shared threshold, then partial claims from
the sentences left. Every sentence ends up in exactly one claim; nothing is forced.

Boilerplate sentences (datelines, credits) take part in no edge. Articles of one outlet are one
voice: a claim is shared or partial only when it spans two outlets, so one outlet's wire copy
printed twice is not agreement. All similarities come from one matrix per story.
"""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from parallax.claims.cross import StorySameFact, cross_encoder_for
from parallax.claims.evidence import claim_evidence
from parallax.claims.features import SentenceFacts, blended_similarity, sentence_facts
from parallax.claims.similarity import quoted_run, word_ngrams
from parallax.errors import ConfigError
from parallax.model import Claim, ClaimKind, ClaimMember
from parallax.nlp import ParsedArticle
from parallax.settings import Settings

__all__ = ["SHARED_RUN_WORDS", "Alignment", "align", "build_claims", "claim_groups", "voice"]

# A run of this many identical words in two reports is the same quotation or the same wire copy.
SHARED_RUN_WORDS = 8
# Weak edges must be within each side's `_MUTUAL_TOP` best matches.
_MUTUAL_TOP = 2

Node = tuple[int, int]  # (article index, sentence index)
Edges = dict[tuple[Node, Node], float]


@dataclass(frozen=True)
class Alignment:
    """The story's sentence similarities (one matrix, rows article after article) and the edges kept.

    `matrix` is the blended similarity, 0 between sentences of one article; `offsets[a]` is the
    first row of article a; `voices[a]` names who speaks in article a (its outlet, else its id).
    `extended` holds the strong edges made by a run of words outside any quotation that the
    cross-encoder reads as two facts: they group like any strong edge, but tell a partial match.
    """

    matrix: np.ndarray
    offsets: tuple[int, ...]
    voices: tuple[str, ...]
    strong: Edges
    weak: Edges
    facts: tuple[SentenceFacts, ...] = ()
    embeddings: np.ndarray | None = None
    same_fact: StorySameFact | None = None
    extended: frozenset[tuple[Node, Node]] = frozenset()

    def row(self, node: Node) -> int:
        return self.offsets[node[0]] + node[1]

    @functools.cached_property
    def article_of_row(self) -> np.ndarray:
        sizes = np.diff([*self.offsets, self.matrix.shape[0]])
        return np.repeat(np.arange(len(self.offsets)), sizes)

    @functools.cached_property
    def linkage(self) -> np.ndarray:
        """The matrix (float64, for exact means), raised to an edge's score where wording made one."""
        out = self.matrix.astype(np.float64)
        for (u, v), score in itertools.chain(self.strong.items(), self.weak.items()):
            i, j = self.row(u), self.row(v)
            out[i, j] = out[j, i] = max(out[i, j], score)
        return out

    def same_fact_block(
        self, rows_l: np.ndarray, rows_r: np.ndarray, cross: np.ndarray, cut: float
    ) -> np.ndarray:
        """Same-fact scores between two sets of rows (pairs outside `cross` are 0).

        With the cross-encoder these are the probabilities it gave in `align` (a pair it never read
        was too far apart: 0), raised to `cut` where the same words make a strong edge; without it,
        the blended similarity (`linkage`).
        """
        if self.same_fact is None:
            return np.where(cross, self.linkage[np.ix_(rows_l, rows_r)], 0.0)
        out = self.same_fact.block(rows_l, rows_r, cross)
        for a, i in enumerate(rows_l):
            for b, j in enumerate(rows_r):
                if cross[a, b] and (i, j) in self.strong_rows:
                    out[a, b] = max(out[a, b], cut)
        return out

    @functools.cached_property
    def strong_rows(self) -> frozenset[tuple[int, int]]:
        """Strong edges by row, both ways round."""
        pairs = {(self.row(u), self.row(v)) for u, v in self.strong}
        return frozenset(pairs | {(j, i) for i, j in pairs})

    def similarity(self, u: Node, v: Node) -> float:
        """Blended similarity of two sentences, raised to their strong edge's score if any."""
        return float(self.linkage[self.row(u), self.row(v)])

    @functools.cached_property
    def best_other_voice(self) -> np.ndarray:
        """Per row: the highest similarity to a sentence of another outlet (0 when there is none)."""
        if not self.matrix.size:
            return np.zeros(self.matrix.shape[0], dtype=np.float32)
        voice = np.asarray(self.voices)[self.article_of_row]
        return np.where(voice[:, None] != voice[None, :], self.matrix, 0.0).max(axis=1)


def voice(p: ParsedArticle) -> str:
    """Who speaks in an article: its outlet, else the article alone (one outlet's articles are one voice)."""
    return f"outlet:{p.article.outlet}" if p.article.outlet else f"article:{p.id}"


def align(parsed: Sequence[ParsedArticle], settings: Settings) -> Alignment:
    """The story's similarity matrix and the strong and weak edges between sentences of different articles."""
    sentences = [s for p in parsed for s in p.sentences]
    offsets = tuple(int(x) for x in np.cumsum([0, *(len(p.sentences) for p in parsed)])[:-1])
    voices = tuple(voice(p) for p in parsed)
    nodes = [(a, i) for a, p in enumerate(parsed) for i in range(len(p.sentences))]
    embedded = [p.embeddings for p in parsed if len(p.sentences)]
    emb = np.vstack(embedded) if embedded else np.zeros((0, 0), dtype=np.float32)
    facts = tuple(sentence_facts(s) for s in sentences)
    matrix = blended_similarity(facts, emb, settings.embedding_weight)
    article = np.repeat(np.arange(len(parsed)), [len(p.sentences) for p in parsed])
    matrix[article[:, None] == article[None, :]] = 0.0
    strong: Edges = {}
    weak: Edges = {}
    if not matrix.size:
        return Alignment(matrix, offsets, voices, strong, weak, facts, emb)
    content = np.array([not getattr(s, "boilerplate", False) for s in sentences])
    edges = np.where(content[:, None] & content[None, :], matrix, 0.0)
    # Weak edges: among each side's best matches in the other article (k-th best per row and article).
    floor = np.zeros((len(sentences), len(parsed)), dtype=np.float32)
    best = np.zeros((len(sentences), len(parsed)), dtype=np.float32)
    for b, p in enumerate(parsed):
        n = len(p.sentences)
        if n:
            k = min(_MUTUAL_TOP, n)
            block = edges[:, offsets[b] : offsets[b] + n]
            floor[:, b] = np.partition(block, n - k, axis=1)[:, n - k]
            best[:, b] = block.max(axis=1)
    row_floor = floor[:, article]
    mutual = (edges >= row_floor) & (edges >= row_floor.T)
    cross_article = np.triu(article[:, None] != article[None, :], k=1) & content[:, None] & content[None, :]
    kept = cross_article & (edges >= settings.partial_threshold)
    # Shared wording: sentences of different articles with a common run of words, found by an index.
    by_run: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for r, s in enumerate(sentences):
        if content[r]:
            for gram in word_ngrams(s.text, SHARED_RUN_WORDS):
                by_run[gram].append(r)
    runs = {
        (i, j)
        for rows in by_run.values()
        if len(rows) > 1
        for i, j in itertools.combinations(rows, 2)
        if article[i] != article[j]
    }
    encoder = cross_encoder_for(settings)
    same_fact = None
    unquoted: set[tuple[int, int]] = set()
    if encoder is not None:
        # The cross-encoder reads the pairs the similarity finds close (each sentence with its best
        # match in every other article, above the floor) and the pairs that share a run of words
        # outside any quotation: one wire sentence that an outlet may have extended with a second fact.
        unquoted = {
            (i, j) for i, j in runs if not quoted_run(sentences[i].text, sentences[j].text, SHARED_RUN_WORDS)
        }
        row_best = best[:, article]
        candidates = cross_article & (edges >= settings.cross_encoder_floor)
        candidates &= (edges >= row_best) | (edges >= row_best.T)
        same_fact = StorySameFact(encoder, [s.text for s in sentences])
        pairs = [(int(i), int(j)) for i, j in zip(*np.nonzero(candidates), strict=True)]
        pairs += sorted(unquoted - set(pairs))
        same_fact.score(pairs)
        said_same = _mask(same_fact, pairs, len(sentences))
        kept |= said_same
        # Then, in a second batch, every close pair among the sentences it joined: a claim of three
        # outlets holds together on all its pairs, not only on each sentence's best match.
        joined = np.asarray(said_same.any(axis=0) | said_same.any(axis=1))
        among = cross_article & (edges >= settings.cross_encoder_floor) & joined[:, None] & joined[None, :]
        same_fact.score((int(i), int(j)) for i, j in zip(*np.nonzero(among), strict=True))
    # Edges go in article pair by article pair, so equal scores keep one fixed order when clustered.
    found = [
        (int(article[i]), int(article[j]), 0, int(i), int(j)) for i, j in zip(*np.nonzero(kept), strict=True)
    ]
    found += [(int(article[i]), int(article[j]), 1, i, j) for i, j in runs]
    for _, _, by_wording, i, j in sorted(found):
        key = (nodes[i], nodes[j])
        # Strong edges keep the similarity scale (raised to the shared threshold), so the partial
        # pass can weigh them beside weak ones; the cross-encoder's probability stays in `same_fact`.
        same = (
            same_fact.scores.get((i, j), 0.0) >= same_fact.threshold
            if same_fact is not None
            else edges[i, j] >= settings.shared_threshold
        )
        if by_wording or same:  # a long run of the same words (one quotation) is shared either way
            weak.pop(key, None)
            strong[key] = max(strong.get(key, 0.0), float(matrix[i, j]), settings.shared_threshold)
        elif mutual[i, j]:
            weak[key] = float(edges[i, j])
    extended = frozenset(
        (nodes[i], nodes[j])
        for i, j in unquoted
        if same_fact is not None and same_fact[(i, j)] < same_fact.threshold
    )
    return Alignment(matrix, offsets, voices, strong, weak, facts, emb, same_fact, extended)


def _mask(same_fact: StorySameFact, pairs: Sequence[tuple[int, int]], n: int) -> np.ndarray:
    """An N x N mask of the scored `pairs` the cross-encoder calls the same fact."""
    out = np.zeros((n, n), dtype=bool)
    for i, j in pairs:
        out[i, j] = same_fact.scores[(i, j)] >= same_fact.threshold
    return out


Block = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]


def _cluster(
    edges: Edges, alignment: Alignment, block: Block, linkage: float, taken: set[Node]
) -> list[set[Node]]:
    """Greedy average-linkage clustering over `edges`, best edge first, leaving out `taken` nodes.

    Two clusters merge only while the mean score (`block` of their rows, masked to cross-article
    pairs) of their cross-article pairs stays at `linkage`.
    """
    article = alignment.article_of_row
    cluster_of: dict[Node, int] = {}
    clusters: dict[int, list[Node]] = {}
    ids = itertools.count()
    for (u, v), _score in sorted(edges.items(), key=lambda kv: -kv[1]):
        if u in taken or v in taken:
            continue
        cu = cluster_of.get(u)
        cv = cluster_of.get(v)
        if cu is not None and cu == cv:
            continue
        left = clusters[cu] if cu is not None else [u]
        right = clusters[cv] if cv is not None else [v]
        rows_l = np.array([alignment.row(x) for x in left])
        rows_r = np.array([alignment.row(y) for y in right])
        cross = article[rows_l][:, None] != article[rows_r][None, :]
        n_cross = int(cross.sum())
        if n_cross and float(block(rows_l, rows_r, cross)[cross].sum()) / n_cross < linkage:
            continue
        merged = left + right
        for c in (cu, cv):
            if c is not None:
                clusters.pop(c)
        new_id = next(ids)
        clusters[new_id] = merged
        for node in merged:
            cluster_of[node] = new_id
    return [set(c) for c in clusters.values() if len({a for a, _ in c}) > 1]


def shared_cut(alignment: Alignment, settings: Settings) -> float:
    """Where the same-fact score says "same fact": the cross-encoder's threshold, else the shared one."""
    return alignment.same_fact.threshold if alignment.same_fact is not None else settings.shared_threshold


def claim_groups(alignment: Alignment, settings: Settings) -> list[set[Node]]:
    """Shared claims first (strong edges, held together at the shared threshold), then partial
    claims among the sentences left (any kept edge, held together at the partial threshold),
    then each sentence still alone joins the claim it holds to at the partial threshold.

    Two passes keep a shared claim to sentences that all state its fact: a sentence that only
    overlaps it stays out rather than turning the whole claim into a loose one.
    """
    cut = shared_cut(alignment, settings)
    shared = _cluster(
        alignment.strong,
        alignment,
        lambda rows_l, rows_r, cross: alignment.same_fact_block(rows_l, rows_r, cross, cut),
        cut,
        set(),
    )
    placed = set().union(*shared) if shared else set()
    edges = {**alignment.weak, **alignment.strong}
    sims = alignment.linkage
    groups = shared + _cluster(
        edges,
        alignment,
        lambda rows_l, rows_r, cross: np.where(cross, sims[np.ix_(rows_l, rows_r)], 0.0),
        settings.partial_threshold,
        placed,
    )
    return _attach_leftovers(groups, edges, alignment, settings.partial_threshold)


def _attach_leftovers(
    groups: list[set[Node]], edges: Edges, alignment: Alignment, linkage: float
) -> list[set[Node]]:
    """A sentence left alone joins the claim of its best link when it holds to that claim at `linkage`.

    This is how one outlet's sentence that tells a fact in two ("killed 12 people. It also cut
    power to 40,000 homes") joins the other outlet's sentence that tells both: the first half
    makes the claim, and the second would otherwise be listed as exclusive.
    """
    where = {node: k for k, group in enumerate(groups) for node in group}
    links: dict[Node, list[tuple[float, Node]]] = defaultdict(list)
    for (u, v), score in edges.items():
        links[u].append((score, v))
        links[v].append((score, u))
    sims = alignment.linkage
    for node in sorted(links):
        if node in where:
            continue
        row = alignment.row(node)
        for _score, other in sorted(links[node], reverse=True):
            k = where.get(other)
            if k is None:
                continue
            rows = [alignment.row(m) for m in groups[k] if m[0] != node[0]]
            if rows and float(sims[row, rows].mean()) >= linkage:
                groups[k].add(node)
                where[node] = k
                break
    return groups


def _exclusive_score(members: Sequence[Node], alignment: Alignment) -> float:
    """How far the claim is from anything another outlet says: 1 - the closest such sentence."""
    return round(1.0 - max(float(alignment.best_other_voice[alignment.row(m)]) for m in members), 3)


def _same_fact_score(alignment: Alignment, u: Node, v: Node) -> float:
    """How sure the decision is that u and v state one fact: the cross-encoder's probability, else
    the strong edge's similarity."""
    if alignment.same_fact is None:
        return alignment.strong[(u, v)]
    # A strong edge the encoder doubts was made by identical wording (one quotation): it holds at the cut.
    return max(alignment.same_fact[(alignment.row(u), alignment.row(v))], alignment.same_fact.threshold)


def _claim_probability(nodes: Sequence[Node], alignment: Alignment) -> float | None:
    """The cross-encoder's P(same fact) for the claim's best pair of statements from different
    outlets; None without the encoder (the evidence then asks the feature model). A claim none of
    whose pairs was scored (a partial one) has its most alike pair scored now."""
    same_fact = alignment.same_fact
    if same_fact is None:
        return None
    voices = alignment.voices
    pairs = [
        (min(i, j), max(i, j))
        for u, v in itertools.combinations(nodes, 2)
        if voices[u[0]] != voices[v[0]]
        for i, j in [(alignment.row(u), alignment.row(v))]
    ]
    scored = [same_fact.scores[p] for p in pairs if p in same_fact.scores]
    if scored or not pairs:
        return max(scored, default=0.0)
    return same_fact[max(pairs, key=lambda p: alignment.matrix[p])]


def _kind_and_score(members: set[Node], alignment: Alignment) -> tuple[ClaimKind, float]:
    voices = alignment.voices
    if len({voices[a] for a, _ in members}) < 2:
        return "exclusive", _exclusive_score(sorted(members), alignment)
    pairs = [(u, v) for u, v in itertools.combinations(sorted(members), 2) if voices[u[0]] != voices[v[0]]]
    strong = [(u, v) for u, v in pairs if (u, v) in alignment.strong and (u, v) not in alignment.extended]
    if strong:
        return "shared", round(max(_same_fact_score(alignment, u, v) for u, v in strong), 3)
    linked = [alignment.weak[(u, v)] for u, v in pairs if (u, v) in alignment.weak]
    linked += [
        float(alignment.matrix[alignment.row(u), alignment.row(v)])
        for u, v in pairs
        if (u, v) in alignment.extended
    ]
    return "partial", round(max(linked, default=0.0), 3)


_RANK: dict[ClaimKind, int] = {"shared": 0, "partial": 1, "exclusive": 2}
# Names and figures beyond this many add nothing more to an exclusive's salience.
_SUBSTANCE_CAP = 4


def _salience(
    node: Node, distance: float, parsed: Sequence[ParsedArticle], alignment: Alignment, settings: Settings
) -> float:
    """How much an exclusive matters: early in its article, rich in names and figures, far from the rest."""
    place = 1.0 - node[1] / max(len(parsed[node[0]].sentences), 1)
    facts = alignment.facts[alignment.row(node)] if alignment.facts else None
    substance = (
        min(len(facts.entities) + len(facts.numbers), _SUBSTANCE_CAP) / _SUBSTANCE_CAP if facts else 0.0
    )
    w_place, w_substance, w_distance = settings.exclusive_rank_weights
    return round(w_place * place + w_substance * substance + w_distance * distance, 3)


def _check_story_size(parsed: Sequence[ParsedArticle], settings: Settings) -> None:
    """Refuse a story whose similarity matrix (N x N, with its work arrays) would not fit in memory."""
    n = sum(len(p.sentences) for p in parsed)
    if n > settings.max_story_sentences:
        raise ConfigError(
            f"the {len(parsed)} articles hold {n:,} sentences together; comparing more than "
            f"{settings.max_story_sentences:,} at once needs more memory than parallax allows itself",
            hint="compare fewer or shorter articles, or raise PARALLAX_MAX_STORY_SENTENCES",
        )


def build_claims(parsed: Sequence[ParsedArticle], settings: Settings) -> tuple[Claim, ...]:
    """Every sentence of every article in one claim (shared, partial or exclusive), boilerplate in none."""
    if len(parsed) < 2:  # one article: every statement is its own, and no N x N matrix is needed
        return tuple(
            Claim(f"c{n}", "exclusive", (ClaimMember(p.id, s.id, s.text),), 1.0)
            for n, (p, s) in enumerate(((p, s) for p in parsed for s in p.sentences if not s.boilerplate), 1)
        )
    _check_story_size(parsed, settings)
    alignment = align(parsed, settings)
    grouped = claim_groups(alignment, settings)
    placed = set().union(*grouped) if grouped else set()
    ranked: list[tuple[tuple[int, int, float, Node], ClaimKind, float, list[Node]]] = []
    groups = [sorted(members) for members in grouped]
    groups += [
        [(a, i)]
        for a, p in enumerate(parsed)
        for i, sentence in enumerate(p.sentences)
        if (a, i) not in placed and not sentence.boilerplate
    ]
    salience: dict[Node, float] = {}
    for order in groups:
        kind, score = _kind_and_score(set(order), alignment)
        if kind == "exclusive":  # an outlet's exclusives, most salient first
            salience[order[0]] = _salience(order[0], score, parsed, alignment, settings)
            key = (_RANK[kind], order[0][0], -salience[order[0]], order[0])
        else:
            key = (_RANK[kind], 0, -score, order[0])
        ranked.append((key, kind, score, order))
    ranked.sort(key=lambda r: r[0])
    claims = []
    for n, (_, kind, score, nodes) in enumerate(ranked, start=1):
        claim_members = tuple(
            ClaimMember(parsed[a].id, parsed[a].sentences[i].id, parsed[a].sentences[i].text)
            for a, i in nodes
        )
        evidence = None
        if kind != "exclusive" and alignment.embeddings is not None:
            evidence = claim_evidence(
                [
                    (
                        alignment.voices[a],
                        parsed[a].sentences[i],
                        alignment.facts[alignment.row((a, i))],
                        alignment.embeddings[alignment.row((a, i))],
                    )
                    for a, i in nodes
                ],
                _claim_probability(nodes, alignment),
            )
        claims.append(Claim(f"c{n}", kind, claim_members, score, evidence, salience.get(nodes[0])))
    return tuple(claims)
