"""Incremental grouping of an article stream into stories."""

from parallax.stories.cluster import StoryAssignment, StoryIndex, cluster_stories

__all__ = ["StoryAssignment", "StoryIndex", "cluster_stories"]
