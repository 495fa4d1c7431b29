"""The seam where stored articles get their stories: `place_new_articles(store, new, settings)`.

For now it is a stop-gap over `parallax.stories.cluster_stories`: when any article is new, every
stored article is grouped again in one batch and the memberships are replaced, so story ids may
change between runs. The incremental decision (each new article joins an open story or opens
one, the open stories restored from the store) replaces the body of this one function.
"""

from __future__ import annotations

from collections.abc import Sequence

from parallax.model import Article
from parallax.settings import Settings
from parallax.store.store import Store
from parallax.stories import StoryAssignment, cluster_stories

__all__ = ["place_new_articles", "stored_stories"]


def place_new_articles(store: Store, new: Sequence[Article], settings: Settings) -> list[StoryAssignment]:
    """Give the `new` stored articles their stories (and keep them in the store); their assignments."""
    if not new:
        return []
    everything = cluster_stories(store.articles(), settings)
    store.replace_stories(everything)
    wanted = {a.id for a in new}
    return [a for a in everything if a.article in wanted]


def stored_stories(store: Store, settings: Settings) -> tuple[list[Article], list[StoryAssignment]]:
    """Every stored article and its story, in the order they were stored; unplaced ones placed first."""
    place_new_articles(store, store.articles(unassigned=True), settings)
    return store.articles(), store.stories()
