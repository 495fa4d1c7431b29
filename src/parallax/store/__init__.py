"""A persistent article store (SQLite by default, PostgreSQL by URL) with duplicates kept out."""

from parallax.store.dedup import canonical_url
from parallax.store.engine import default_url, make_engine, resolve_url, upgrade
from parallax.store.ingest import IngestSummary, Problem, expand_sources, ingest_sources
from parallax.store.store import AddResult, Store, open_store
from parallax.store.stories import place_new_articles, stored_stories

__all__ = [
    "AddResult",
    "IngestSummary",
    "Problem",
    "Store",
    "canonical_url",
    "default_url",
    "expand_sources",
    "ingest_sources",
    "make_engine",
    "open_store",
    "place_new_articles",
    "resolve_url",
    "stored_stories",
    "upgrade",
]
