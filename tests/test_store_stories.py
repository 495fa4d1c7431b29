"""Stories kept in the store: a reopened store restores the open-story index and continues its stories."""

from __future__ import annotations

from pathlib import Path

import pytest

from parallax.model import Article
from parallax.settings import Settings
from parallax.store import open_store, place_new_articles, stored_stories
from parallax.store.stories import restore_index
from parallax.stories import cluster_stories
from tests.postgres import BACKENDS, database_url, postgres_server
from tests.test_stories import corpus, fake_embed

__all__ = ["postgres_server"]  # the session fixture, imported so pytest finds it


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return database_url(request, tmp_path)


def _ingest(db_url: str, articles: list[Article], settings: Settings) -> list[tuple[str, str]]:
    """Store the articles, place the new ones, close the store; every (article, story) stored."""
    with open_store(db_url, settings) as store:
        for article in articles:
            assert store.add(article).outcome == "stored"
        _, assignments = stored_stories(store, settings, embed=fake_embed)
    return [(a.article, a.story) for a in assignments]


def test_a_reopened_store_continues_the_stories_of_one_batch(db_url: str) -> None:
    articles, _ = corpus()
    settings = Settings()
    whole = {a.article: a.story for a in cluster_stories(articles, settings, embed=fake_embed)}
    first = _ingest(db_url, articles[:4], settings)
    both = _ingest(db_url, articles[4:], settings)
    assert both[:4] == first  # nothing placed before moved
    assert dict(both) == whole


def test_the_restored_index_is_the_one_left_behind(db_url: str) -> None:
    articles, _ = corpus()
    settings = Settings(story_window_days=0, story_max_open=2)
    with open_store(db_url, settings) as store:
        for article in articles:
            store.add(article)
        new = store.articles(unassigned=True)
        place_new_articles(store, new[:5], settings, embed=fake_embed, batch=2)
        left = restore_index(store, settings)
    with open_store(db_url, settings) as store:
        again = restore_index(store, settings)
    assert [(s.id, s.size, s.last, dict(s.names)) for s in again.open()] == [
        (s.id, s.size, s.last, dict(s.names)) for s in left.open()
    ]
    assert (again.newest, again.seq, again.count) == (left.newest, 5, left.count)
    assert again.open_stories <= 2


def test_story_articles_read_back_one_story(tmp_path: Path) -> None:
    articles, gold = corpus()
    db = f"sqlite:///{tmp_path / 's.db'}"
    placed = dict(_ingest(db, articles, Settings()))
    with open_store(db, Settings()) as store:
        story = placed["peru0"]
        assert [a.id for a in store.story_articles(story)] == ["peru0", "peru1", "peru2"]
        assert store.story_articles("no-such-story") == []
    assert {gold[a] for a, s in placed.items() if s == story} == {"peru"}
