"""Incremental grouping of an article stream into stories."""

from parallax.stories.cluster import OpenStory, StoryAssignment, StoryIndex, cluster_stories, story_order
from parallax.stories.decision import FEATURES, JoinModel, load_join_model
from parallax.stories.sketch import ArticleSketch, sketch_articles

__all__ = [
    "FEATURES",
    "ArticleSketch",
    "JoinModel",
    "OpenStory",
    "StoryAssignment",
    "StoryIndex",
    "cluster_stories",
    "load_join_model",
    "sketch_articles",
    "story_order",
]
