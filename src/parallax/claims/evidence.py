"""Reasons a claim gives for joining statements of different outlets."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from parallax.claims.clauses import added_clauses, fact_clauses
from parallax.claims.features import SentenceFacts, load_model
from parallax.entities.names import name_key
from parallax.model import ClaimEvidence
from parallax.nlp import ParsedSentence

__all__ = ["claim_evidence"]

_MAX_WORDS = 6  # a reason line, not a word list: the content words most members share, first seen first


def _common(per_voice: Sequence[set[str]]) -> set[str]:
    return set.intersection(*per_voice) if per_voice else set()


def _added_facts(members: Sequence[tuple[str, ParsedSentence, SentenceFacts, np.ndarray]]) -> list[str]:
    """What each outlet adds beside the fact the claim shares: its fact clauses no other outlet tells."""
    out = []
    for voice in dict.fromkeys(v for v, _, _, _ in members):
        others = frozenset().union(*(f.lemmas for v, _, f, _ in members if v != voice))
        for _, sent, _, _ in (m for m in members if m[0] == voice):
            out += [
                f'only in {voice.split(":", 1)[-1]}: "{c.text}"'
                for c in added_clauses(fact_clauses(sent.span), others)
            ]
    return out


def claim_evidence(
    members: Sequence[tuple[str, ParsedSentence, SentenceFacts, np.ndarray]],
    probability: float | None = None,
) -> ClaimEvidence:
    """Evidence for one claim from its members as (voice, sentence, facts, unit embedding).

    The probability is the highest over pairs of members from different voices: the claim
    stands on its best-matched pair, the one its kind was decided on. It is the cross-encoder's
    when the caller has it, else the feature model's.
    """
    voices = [v for v, _, _, _ in members]
    facts = [f for _, _, f, _ in members]
    if probability is None:
        prob = load_model().probability(facts, np.stack([e for _, _, _, e in members]))
        cross = np.asarray(voices)[:, None] != np.asarray(voices)[None, :]
        probability = float(prob[cross].max()) if cross.any() else 0.0
    names: dict[str, str] = {}
    for _, sent, _, _ in members:
        for ent in sent.span.ents:
            names.setdefault(name_key(ent.text), ent.text)
    by_voice: dict[str, list[SentenceFacts]] = {}
    for voice, f in zip(voices, facts, strict=True):
        by_voice.setdefault(voice, []).append(f)

    def union(field: str) -> list[set[str]]:
        return [set().union(*(getattr(f, field) for f in fs)) for fs in by_voice.values()]

    entities = _common(union("entities"))
    numbers_per_voice = union("numbers")
    numbers = _common(numbers_per_voice)
    words = _common(union("lemmas")) - numbers
    differs: list[str] = []
    if not numbers and all(numbers_per_voice):
        differs.append("figures: " + " / ".join(", ".join(sorted(n)) for n in numbers_per_voice))
    negated = [any(f.negated for f in fs) for fs in by_voice.values()]
    if any(negated) and not all(negated):
        differs.append("a negation on one side only")
    differs += _added_facts(members)
    first_seen = [w for f in facts for w in sorted(f.lemmas) if w in words]
    return ClaimEvidence(
        probability=round(probability, 3),
        entities=tuple(sorted(names.get(k, k) for k in entities)),
        numbers=tuple(sorted(numbers)),
        words=tuple(dict.fromkeys(first_seen))[:_MAX_WORDS],
        differs=tuple(differs),
    )
