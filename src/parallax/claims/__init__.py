"""Align the sentences of several reports into claims; find conflicting statements."""

from parallax.compare.align import build_claims
from parallax.compare.conflicts import attribution_conflicts, find_conflicts

__all__ = ["attribution_conflicts", "build_claims", "find_conflicts"]
