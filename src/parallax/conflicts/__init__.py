"""Statements in different outlets that cannot both be true: a stage after claims and quotes."""

from parallax.conflicts.figures import Figure, agree, figures
from parallax.conflicts.find import find_conflicts

__all__ = ["Figure", "agree", "figures", "find_conflicts"]
