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
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from parallax.compare.similarity import content_lemmas, similarity_matrix, word_ngrams
from parallax.model import Claim, ClaimKind, ClaimMember
from parallax.nlp import ParsedArticle
from parallax.settings import Settings

__all__ = ["SHARED_RUN_WORDS", "Alignment", "align", "build_claims", "claim_groups"]

# A run of this many identical words in two reports is the same quotation or the same wire copy.
SHARED_RUN_WORDS = 8
# Weak edges must be within each side's `_MUTUAL_TOP` best matches.
_MUTUAL_TOP = 2

Node = tuple[int, int]  # (article index, sentence index)


@dataclass(frozen=True)
class Alignment:
    """Pairwise similarities between the sentences of every pair of articles, and the edges kept."""

    matrices: dict[tuple[int, int], np.ndarray]
    strong: dict[tuple[Node, Node], float]
    weak: dict[tuple[Node, Node], float]

    def similarity(self, u: Node, v: Node) -> float:
        """Blended similarity, raised to the strong edge's score where shared wording made one."""
        if u[0] == v[0]:
            return 0.0
        key = (u, v) if u < v else (v, u)
        (a, i), (b, j) = key
        return max(float(self.matrices[(a, b)][i, j]), self.strong.get(key, 0.0))

    def best_elsewhere(self, node: Node) -> float:
        """Highest similarity of a sentence to any sentence of another article."""
        best = 0.0
        for (a, b), m in self.matrices.items():
            if a == node[0] and m.shape[1]:
                best = max(best, float(m[node[1]].max()))
            elif b == node[0] and m.shape[0]:
                best = max(best, float(m[:, node[1]].max()))
        return best


def align(parsed: Sequence[ParsedArticle], settings: Settings) -> Alignment:
    """Similarity matrices for every article pair and the strong and weak edges between sentences."""
    matrices: dict[tuple[int, int], np.ndarray] = {}
    strong: dict[tuple[Node, Node], float] = {}
    weak: dict[tuple[Node, Node], float] = {}
    ngrams = [[word_ngrams(s.text, SHARED_RUN_WORDS) for s in p.sentences] for p in parsed]
    lemmas = [[content_lemmas(s) for s in p.sentences] for p in parsed]
    for a, b in itertools.combinations(range(len(parsed)), 2):
        m = similarity_matrix(lemmas[a], lemmas[b], parsed[a].embeddings, parsed[b].embeddings)
        matrices[(a, b)] = m
        if not m.size:
            continue
        k_row = min(_MUTUAL_TOP, m.shape[1])
        k_col = min(_MUTUAL_TOP, m.shape[0])
        row_floor = np.sort(m, axis=1)[:, -k_row][:, None]
        col_floor = np.sort(m, axis=0)[-k_col, :][None, :]
        mutual = (m >= row_floor) & (m >= col_floor)
        for i, j in zip(*np.nonzero(m >= settings.partial_threshold), strict=True):
            score = float(m[i, j])
            key = ((a, int(i)), (b, int(j)))
            if score >= settings.shared_threshold:
                strong[key] = score
            elif mutual[i, j]:
                weak[key] = score
        for i, grams in enumerate(ngrams[a]):
            for j, other in enumerate(ngrams[b]):
                if grams & other:
                    key = ((a, i), (b, j))
                    weak.pop(key, None)
                    strong[key] = max(strong.get(key, 0.0), float(m[i, j]), settings.shared_threshold)
    return Alignment(matrices, strong, weak)


def _cluster(
    edges: dict[tuple[Node, Node], float], alignment: Alignment, linkage: float, taken: set[Node]
) -> list[set[Node]]:
    """Greedy average-linkage clustering over `edges`, best edge first, leaving out `taken` nodes."""
    cluster_of: dict[Node, int] = {}
    clusters: dict[int, set[Node]] = {}
    ids = itertools.count()
    for (u, v), _score in sorted(edges.items(), key=lambda kv: -kv[1]):
        if u in taken or v in taken:
            continue
        cu = cluster_of.get(u)
        cv = cluster_of.get(v)
        if cu is not None and cu == cv:
            continue
        left = clusters[cu] if cu is not None else {u}
        right = clusters[cv] if cv is not None else {v}
        cross = [alignment.similarity(x, y) for x in left for y in right if x[0] != y[0]]
        if cross and sum(cross) / len(cross) < linkage:
            continue
        merged = left | right
        for c in (cu, cv):
            if c is not None:
                clusters.pop(c)
        new_id = next(ids)
        clusters[new_id] = merged
        for node in merged:
            cluster_of[node] = new_id
    return [c for c in clusters.values() if len({a for a, _ in c}) > 1]


def claim_groups(alignment: Alignment, settings: Settings) -> list[set[Node]]:
    """Shared claims first (strong edges, held together at the shared threshold), then partial
    claims among the sentences left (any kept edge, held together at the partial threshold).

    Two passes keep a shared claim to sentences that all state its fact: a sentence that only
    overlaps it stays out rather than turning the whole claim into a loose one.
    """
    shared = _cluster(alignment.strong, alignment, settings.shared_threshold, set())
    placed = set().union(*shared) if shared else set()
    edges = {**alignment.weak, **alignment.strong}
    return shared + _cluster(edges, alignment, settings.partial_threshold, placed)


def _kind_and_score(members: set[Node], alignment: Alignment) -> tuple[ClaimKind, float]:
    pairs = [(u, v) for u, v in itertools.combinations(sorted(members), 2) if u[0] != v[0]]
    strong = [alignment.strong[(u, v)] for u, v in pairs if (u, v) in alignment.strong]
    if strong:
        return "shared", round(max(strong), 3)
    linked = [alignment.weak[(u, v)] for u, v in pairs if (u, v) in alignment.weak]
    return "partial", round(max(linked, default=0.0), 3)


def build_claims(parsed: Sequence[ParsedArticle], settings: Settings) -> tuple[Claim, ...]:
    """Every sentence of every article in exactly one claim: shared, partial or exclusive."""
    alignment = align(parsed, settings)
    grouped = claim_groups(alignment, settings)
    placed = set().union(*grouped) if grouped else set()
    ranked: list[tuple[tuple[int, float, Node], ClaimKind, float, list[Node]]] = []
    for members in grouped:
        kind, score = _kind_and_score(members, alignment)
        order = sorted(members)
        ranked.append(((0 if kind == "shared" else 1, -score, order[0]), kind, score, order))
    for a, p in enumerate(parsed):
        for i in range(len(p.sentences)):
            if (a, i) not in placed:
                score = round(1.0 - alignment.best_elsewhere((a, i)), 3) if len(parsed) > 1 else 1.0
                ranked.append(((2, 0.0, (a, i)), "exclusive", score, [(a, i)]))
    ranked.sort(key=lambda r: r[0])
    claims = []
    for n, (_, kind, score, nodes) in enumerate(ranked, start=1):
        claim_members = tuple(
            ClaimMember(parsed[a].id, parsed[a].sentences[i].id, parsed[a].sentences[i].text)
            for a, i in nodes
        )
        claims.append(Claim(f"c{n}", kind, claim_members, score))
    return tuple(claims)
