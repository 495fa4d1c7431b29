"""The store's tables as typed SQLAlchemy 2 models: articles, stories and their members, reports, a cache.

The schema itself is made by the Alembic migrations in `parallax/store/migrations`, never by
`create_all`; a test checks that the two agree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["ArticleRow", "Base", "CacheRow", "ReportArticleRow", "ReportRow", "StoryMemberRow", "StoryRow"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    """Named constraints, so later migrations can alter them on SQLite (batch mode) and PostgreSQL alike."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class ArticleRow(Base):
    """One stored article; `id` is what the user knows it by (input id, else URL, else file)."""

    __tablename__ = "articles"

    key: Mapped[int] = mapped_column(primary_key=True)
    id: Mapped[str] = mapped_column(Text, unique=True)
    url: Mapped[str | None] = mapped_column(Text)
    canonical_url: Mapped[str | None] = mapped_column(Text, unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(Text)
    published: Mapped[dt.date | None] = mapped_column(Date, index=True)
    language: Mapped[str | None] = mapped_column(String(16))
    source: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    # SHA-256 of the text: exact copies are found by index, before any MinHash comparison.
    text_hash: Mapped[str] = mapped_column(String(64), index=True)
    # The MinHash signature (uint32 little-endian), so the near-duplicate index is rebuilt without rehashing.
    minhash: Mapped[bytes] = mapped_column(LargeBinary)
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class StoryRow(Base):
    """A story (the reports of one event) and, while it is open, the story index's profile of it."""

    __tablename__ = "stories"

    key: Mapped[int] = mapped_column(primary_key=True)
    id: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    # Closed stories left the index (time window or open-story cap) and take no more articles.
    closed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(), index=True)
    last_seen: Mapped[dt.date | None] = mapped_column(Date)
    last_seq: Mapped[int | None] = mapped_column(Integer)
    # The sum of the members' lead vectors (float64 little-endian) and `OpenStory.profile()`.
    centroid: Mapped[bytes | None] = mapped_column(LargeBinary)
    profile: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class StoryMemberRow(Base):
    """An article's place in one story, and how close it was to the story when it joined."""

    __tablename__ = "story_members"

    article_key: Mapped[int] = mapped_column(ForeignKey("articles.key", ondelete="CASCADE"), primary_key=True)
    story_key: Mapped[int] = mapped_column(ForeignKey("stories.key", ondelete="CASCADE"), index=True)
    similarity: Mapped[float] = mapped_column(Float)


class ReportRow(Base):
    """A comparison report as its contract JSON, with the story it covers where there is one."""

    __tablename__ = "reports"

    key: Mapped[int] = mapped_column(primary_key=True)
    story_key: Mapped[int | None] = mapped_column(ForeignKey("stories.key", ondelete="SET NULL"), index=True)
    schema: Mapped[str] = mapped_column(String(64))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class ReportArticleRow(Base):
    """Which stored articles a report compared."""

    __tablename__ = "report_articles"

    report_key: Mapped[int] = mapped_column(ForeignKey("reports.key", ondelete="CASCADE"), primary_key=True)
    article_key: Mapped[int] = mapped_column(
        ForeignKey("articles.key", ondelete="CASCADE"), primary_key=True, index=True
    )


class CacheRow(Base):
    """A parse or embedding worth keeping, keyed by the text's SHA-256, the model and the kind of value."""

    __tablename__ = "cache"

    text_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    model: Mapped[str] = mapped_column(String(255), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
