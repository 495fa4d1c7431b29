"""Align the sentences of several reports into claims: shared, partial, exclusive."""

from parallax.claims.align import build_claims

__all__ = ["build_claims"]
