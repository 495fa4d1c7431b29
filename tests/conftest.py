"""Shared fixtures: settings, a session-wide parse helper over the real models, a clean environment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from parallax.model import Article
from parallax.nlp import ParsedArticle, parse_articles
from parallax.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
SEED = SHARED / "data" / "seed-pair"


@pytest.fixture(autouse=True)
def _clean_environ(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No PARALLAX_* variable of the developer's shell leaks into a test."""
    import os

    for key in list(os.environ):
        if key.startswith("PARALLAX_"):
            monkeypatch.delenv(key)
    yield


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def parse(settings: Settings) -> Callable[..., ParsedArticle]:
    """parse(text, published=None, id="a", title=None, outlet=None) -> ParsedArticle, with the real models."""

    def _parse(
        text: str,
        published: str | dt.date | None = None,
        id: str = "a",
        title: str | None = None,
        outlet: str | None = None,
    ) -> ParsedArticle:
        art = Article(text=text, published=published, id=id, title=title, outlet=outlet)
        return parse_articles([art], settings)[0]

    return _parse


@pytest.fixture(scope="session")
def parse_many(settings: Settings) -> Callable[[list[Article]], list[ParsedArticle]]:
    """parse_many([Article(...), ...]) -> ParsedArticles (give each Article an id)."""

    def _parse_many(articles: list[Article]) -> list[ParsedArticle]:
        return parse_articles(articles, settings)

    return _parse_many
