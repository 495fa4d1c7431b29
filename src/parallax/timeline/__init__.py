"""Dated events: time expressions normalised against each article's publication date."""

from parallax.timeline.extract import Mention, build_timeline, story_mentions

__all__ = ["Mention", "build_timeline", "story_mentions"]
