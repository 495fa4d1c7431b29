"""The same-fact decision: what a journalist checks in two statements, weighed by a fitted model.

Each feature is one matrix over every pair of a story's sentences, so the decision for all
pairs is a handful of vectorised operations: embedding cosine, content-word overlap, named
entities and figures the two share or do not, negation on one side only, and length ratio.
A logistic model fitted on the MRPC train split (`training/fit_same_fact.py`, which writes
`same_fact.json`) weighs them into a probability that the two state the same fact; the
probability is what reports show, so it is fitted to be calibrated, not only to rank.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np

from parallax.claims.clauses import content_lemmas
from parallax.entities.names import name_key
from parallax.errors import ConfigError
from parallax.lexicon import NEGATIONS
from parallax.nlp import ParsedSentence

__all__ = [
    "FEATURES",
    "SameFactModel",
    "SentenceFacts",
    "blended_similarity",
    "feature_layers",
    "load_model",
    "sentence_facts",
]

FEATURES = (
    "cosine",
    "cosine_squared",
    "word_overlap",
    "entity_overlap",
    "entities_either",
    "number_overlap",
    "numbers_differ",
    "negation_one_side",
    "length_ratio",
)
_ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "LAW"})
_NUMBER_LABELS = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY", "DATE", "TIME"})


@dataclass(frozen=True)
class SentenceFacts:
    """What the decision reads of one sentence besides its embedding."""

    lemmas: frozenset[str]
    entities: frozenset[str]
    numbers: frozenset[str]
    negated: bool
    words: int


def sentence_facts(sentence: ParsedSentence) -> SentenceFacts:
    span = sentence.span
    lemmas = content_lemmas(span)
    entities = frozenset(k for e in span.ents if e.label_ in _ENTITY_LABELS and (k := name_key(e.text)))
    numbers = frozenset(
        t.text.lower().replace(",", "")
        for t in span
        if t.like_num or (t.ent_type_ in _NUMBER_LABELS and any(ch.isdigit() for ch in t.text))
    )
    negated = any(t.dep_ == "neg" or t.lower_ in NEGATIONS for t in span)
    return SentenceFacts(lemmas, entities, numbers, negated, sum(1 for t in span if not t.is_punct))


def _shared_counts(sets: Sequence[frozenset[str]]) -> np.ndarray:
    """|A ∩ B| for every pair, from a sparse incidence matrix (no Python loop over pairs)."""
    from scipy import sparse  # imported here: a command that compares nothing never pays for scipy

    n = len(sets)
    vocabulary: dict[str, int] = {}
    cols = [vocabulary.setdefault(w, len(vocabulary)) for ws in sets for w in ws]
    rows = np.repeat(np.arange(n), [len(ws) for ws in sets])
    incidence = sparse.csr_matrix(
        (np.ones(len(cols), dtype=np.float32), (rows, cols)), shape=(n, max(len(vocabulary), 1))
    )
    return np.asarray((incidence @ incidence.T).toarray(), dtype=np.float32)


def _dice(sets: Sequence[frozenset[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Dice coefficient of every pair, and whether either side has any member."""
    shared = _shared_counts(sets)
    sizes = np.asarray([len(s) for s in sets], dtype=np.float32)
    total = sizes[:, None] + sizes[None, :]
    return np.divide(2 * shared, total, out=np.zeros_like(shared), where=total > 0), (total > 0)


def blended_similarity(facts: Sequence[SentenceFacts], embeddings: np.ndarray, weight: float) -> np.ndarray:
    """`weight` x embedding cosine + (1 - `weight`) x content-word Dice, for every pair: how alike two
    sentences read. It ranks related statements (one happening, other details) better than the
    same-fact probability, which MRPC taught to tell a paraphrase from a merely related sentence.
    """
    if not len(facts):
        return np.zeros((0, 0), dtype=np.float32)
    cosine = np.clip(embeddings @ embeddings.T, 0.0, 1.0)
    overlap, _ = _dice([f.lemmas for f in facts])
    return (weight * cosine + (1 - weight) * overlap).astype(np.float32)


def feature_layers(
    facts: Sequence[SentenceFacts], embeddings: np.ndarray
) -> Iterator[tuple[str, np.ndarray]]:
    """Each feature of `FEATURES` as an N x N matrix, one at a time so memory holds only a few."""
    cosine = np.clip(embeddings @ embeddings.T, 0.0, 1.0).astype(np.float32)
    yield "cosine", cosine
    yield "cosine_squared", cosine * cosine
    del cosine
    yield "word_overlap", _dice([f.lemmas for f in facts])[0]
    overlap, either = _dice([f.entities for f in facts])
    yield "entity_overlap", overlap
    yield "entities_either", either.astype(np.float32)
    numbers = [f.numbers for f in facts]
    overlap, _ = _dice(numbers)
    yield "number_overlap", overlap
    has = np.asarray([bool(n) for n in numbers])
    yield "numbers_differ", ((has[:, None] & has[None, :]) & (overlap == 0)).astype(np.float32)
    negated = np.asarray([f.negated for f in facts])
    yield "negation_one_side", (negated[:, None] != negated[None, :]).astype(np.float32)
    words = np.maximum(np.asarray([f.words for f in facts], dtype=np.float32), 1.0)
    yield (
        "length_ratio",
        np.minimum(words[:, None], words[None, :]) / np.maximum(words[:, None], words[None, :]),
    )


@dataclass(frozen=True)
class SameFactModel:
    """A logistic model over `FEATURES`: weights on the features' own scale, and its provenance."""

    weights: dict[str, float]
    bias: float
    about: dict[str, object]

    def probability(self, facts: Sequence[SentenceFacts], embeddings: np.ndarray) -> np.ndarray:
        """P(same fact) for every pair of sentences: N x N, symmetric."""
        logit = np.full((len(facts), len(facts)), self.bias, dtype=np.float32)
        for name, layer in feature_layers(facts, embeddings):
            logit += np.float32(self.weights[name]) * layer
        return (1.0 / (1.0 + np.exp(-logit))).astype(np.float32)


@functools.cache
def load_model(name: str = "same_fact.json") -> SameFactModel:
    """The fitted same-fact model shipped with the package (cached: read once per process)."""
    try:
        raw = json.loads(resources.files("parallax.claims").joinpath(name).read_text(encoding="utf-8"))
        weights = {f: float(raw["weights"][f]) for f in FEATURES}
        return SameFactModel(weights, float(raw["bias"]), dict(raw.get("about", {})))
    except (OSError, KeyError, ValueError) as exc:
        raise ConfigError(
            f"the same-fact model {name} is missing or does not match this version's features ({exc})",
            hint="reinstall parallax, or refit it with training/fit_same_fact.py",
        ) from exc
