"""Statements in different outlets that cannot both be true: a stage after claims and quotes."""

from parallax.conflicts.find import attribution_conflicts, find_conflicts

__all__ = ["attribution_conflicts", "find_conflicts"]
