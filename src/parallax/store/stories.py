"""The seam where stored articles get their stories: `place_new_articles(store, new, settings)`.

The story index is restored from the store (the open stories' profiles, the newest date placed,
how many articles and stories there are), the new articles are placed oldest first by the same
decision as `parallax stories FILE` (`parallax.stories.StoryIndex`), and each batch's
memberships, the touched stories' profiles and the stories that closed are written in one
transaction. Nothing placed before moves: a run continues the stories of the last one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from parallax.model import Article
from parallax.settings import Settings
from parallax.store.store import Store
from parallax.stories import StoryAssignment, StoryIndex, sketch_articles, story_order
from parallax.stories.cluster import Progress
from parallax.stories.sketch import Embedder

__all__ = ["place_new_articles", "restore_index", "stored_stories"]


def restore_index(
    store: Store,
    settings: Settings,
    *,
    embed: Embedder | None = None,
    on_close: Callable[[str], None] | None = None,
) -> StoryIndex:
    """The story index as the store left it: its open stories and where the stream stood."""
    stories, newest, placed, made = store.story_index_state()
    return StoryIndex(
        settings, embed=embed, stories=stories, newest=newest, seq=placed, count=made, on_close=on_close
    )


def place_new_articles(
    store: Store,
    new: Sequence[Article],
    settings: Settings,
    *,
    embed: Embedder | None = None,
    progress: Progress | None = None,
    batch: int = 256,
) -> list[StoryAssignment]:
    """Give the `new` stored articles their stories (kept in the store); their assignments, in input order."""
    if not new:
        return []
    closed: list[str] = []
    index = restore_index(store, settings, embed=embed, on_close=closed.append)
    order = story_order(new)
    placed: list[StoryAssignment] = []
    for start in range(0, len(order), batch):
        chunk = [new[i] for i in order[start : start + batch]]
        done = [index.place(s) for s in sketch_articles(chunk, settings, index.embed)]
        open_now = (index.story(story_id) for story_id in dict.fromkeys(a.story for a in done))
        store.save_placements(done, [s for s in open_now if s is not None], closed)
        closed.clear()
        placed.extend(done)
        if progress is not None:
            progress(len(placed), len(new))
    by_input = dict(zip(order, placed, strict=True))
    return [by_input[i] for i in range(len(new))]


def stored_stories(
    store: Store, settings: Settings, *, embed: Embedder | None = None, progress: Progress | None = None
) -> tuple[list[Article], list[StoryAssignment]]:
    """Every stored article and its story, in the order they were stored; unplaced ones placed first."""
    place_new_articles(store, store.articles(unassigned=True), settings, embed=embed, progress=progress)
    return store.articles(), store.stories()
