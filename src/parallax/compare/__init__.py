"""Align the sentences of several reports into claims; find conflicting statements."""

from parallax.compare.align import build_claims
from parallax.compare.conflicts import find_conflicts

__all__ = ["build_claims", "find_conflicts"]
