"""Incremental story clustering."""

from __future__ import annotations

import pytest

from parallax.model import Article
from parallax.settings import Settings
from parallax.stories import StoryIndex, cluster_stories

QUAKE = "A magnitude 7 earthquake struck off the coast of Chile, collapsing buildings in two towns."
QUAKE_2 = "Chile earthquake: a powerful 7.0 quake hit the Chilean coast and buildings collapsed in two towns."
BUDGET = "The city council approved next year's school budget after a long debate over teacher pay."


@pytest.mark.model
def test_same_event_joins_and_other_event_opens_a_story() -> None:
    arts = [
        Article(text=QUAKE, id="1", published="2024-03-01"),
        Article(text=BUDGET, id="2", published="2024-03-01"),
        Article(text=QUAKE_2, id="3", published="2024-03-02"),
    ]
    got = {a.article: a.story for a in cluster_stories(arts)}
    assert got["1"] == got["3"] != got["2"]


@pytest.mark.model
def test_stories_close_after_the_window_and_are_never_reclustered() -> None:
    index = StoryIndex(Settings(story_window_days=3))
    first = index.add_many([Article(text=QUAKE, id="1", published="2024-03-01")])[0]
    later = index.add_many([Article(text=BUDGET, id="2", published="2024-03-20")])[0]
    assert index.open_stories == 1  # the quake story was retired
    again = index.add_many([Article(text=QUAKE_2, id="3", published="2024-03-21")])[0]
    assert again.story not in (first.story, later.story)
