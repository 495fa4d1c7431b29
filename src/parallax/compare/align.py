"""Group sentences that state the same fact across articles into claims."""

from __future__ import annotations

from collections.abc import Sequence

from parallax.model import Claim, ClaimMember
from parallax.nlp import ParsedArticle
from parallax.settings import Settings

__all__ = ["build_claims"]


def build_claims(parsed: Sequence[ParsedArticle], settings: Settings) -> tuple[Claim, ...]:
    claims = []
    for p in parsed:
        for s in p.sentences:
            claims.append(Claim(f"c{len(claims) + 1}", "exclusive", (ClaimMember(p.id, s.id, s.text),), 1.0))
    return tuple(claims)
