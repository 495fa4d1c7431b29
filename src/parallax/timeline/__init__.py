"""Dated events: time expressions normalised against each article's publication date."""

from parallax.timeline.extract import build_timeline

__all__ = ["build_timeline"]
