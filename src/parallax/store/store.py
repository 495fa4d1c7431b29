"""The article store: each article written in its own transaction, duplicates found before they are written.

An article is a duplicate of a stored one when it has the same id, the same canonical URL, the
same text, or a near-identical text (MinHash, `Settings.dedup_threshold`). Unique constraints on
id and canonical URL back the checks, so two runs writing at once still store an article once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

from datasketch import LeanMinHash
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from parallax.errors import StoreError
from parallax.model import Article, Record, Report
from parallax.settings import Settings, load_settings
from parallax.store.dedup import (
    NearDuplicateIndex,
    canonical_url,
    signature,
    signature_bytes,
    signature_from_bytes,
    text_hash,
)
from parallax.store.engine import database_reason, make_engine, upgrade
from parallax.store.models import (
    ArticleRow,
    CacheRow,
    ReportArticleRow,
    ReportRow,
    StoryMemberRow,
    StoryRow,
)
from parallax.stories import OpenStory, StoryAssignment

__all__ = ["AddResult", "Store", "StorySummary", "open_store"]


@dataclass(frozen=True)
class AddResult(Record):
    """What became of one article: stored under `id`, or a duplicate of the stored `duplicate_of`."""

    id: str
    outcome: Literal["stored", "duplicate"]
    duplicate_of: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class StorySummary(Record):
    """One stored story as a list shows it: its first titled article's headline, size, outlets and dates."""

    id: str
    title: str | None
    articles: int
    outlets: tuple[str, ...]
    first_published: dt.date | None
    last_published: dt.date | None


class Store:
    """Articles, stories, reports and cached parses in one database (see `open_store`)."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings
        self._near: NearDuplicateIndex | None = None  # built on the first add: reading needs none

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def add(self, article: Article, *, source: str | None = None) -> AddResult:
        """Store the article in its own transaction unless it duplicates a stored one.

        Its id is its own, else its URL, else `sha256:` and the start of its text's hash.
        """
        if not article.text.strip():
            raise StoreError("an article with no text cannot be stored", hint="give the article its text")
        digest = text_hash(article.text)
        article_id = article.id or article.url or f"sha256:{digest[:16]}"
        canonical = canonical_url(article.url)
        sig = signature(
            article.text,
            num_perm=self.settings.dedup_num_perm,
            shingle_words=self.settings.dedup_shingle_words,
        )
        near = self._near_index()
        with self._session() as session:
            found = self._duplicate(session, article_id, canonical, digest, sig, near)
            if found is not None:
                return AddResult(article_id, "duplicate", *found)
            row = ArticleRow(
                id=article_id,
                url=article.url,
                canonical_url=canonical,
                title=article.title,
                outlet=article.outlet,
                published=article.published,
                language=article.language,
                source=source or article.path,
                text=article.text,
                text_hash=digest,
                minhash=signature_bytes(sig),
            )
            session.add(row)
            try:
                session.commit()
            except IntegrityError:  # another run stored it between the check and the commit
                session.rollback()
                return AddResult(article_id, "duplicate", article_id, "stored meanwhile by another run")
            near.add(row.key, sig)
        return AddResult(article_id, "stored")

    def find_url(self, url: str) -> str | None:
        """The id of the stored article at this URL (canonically the same), if any: no need to fetch it."""
        canonical = canonical_url(url)
        if canonical is None:
            return None
        with self._session() as session:
            return session.scalar(select(ArticleRow.id).where(ArticleRow.canonical_url == canonical))

    def count(self) -> int:
        with self._session() as session:
            return session.scalar(select(func.count()).select_from(ArticleRow)) or 0

    def articles(self, *, unassigned: bool = False) -> list[Article]:
        """Stored articles in the order they were stored; with `unassigned`, only those in no story."""
        query = select(ArticleRow).order_by(ArticleRow.key)
        if unassigned:
            query = query.where(
                ~select(StoryMemberRow).where(StoryMemberRow.article_key == ArticleRow.key).exists()
            )
        with self._session() as session:
            return [_article(row) for row in session.scalars(query)]

    def stories(self) -> list[StoryAssignment]:
        """The story of every stored article that has one, in the order the articles were stored."""
        query = (
            select(ArticleRow.id, StoryRow.id, StoryMemberRow.similarity)
            .join(StoryMemberRow, StoryMemberRow.article_key == ArticleRow.key)
            .join(StoryRow, StoryRow.key == StoryMemberRow.story_key)
            .order_by(ArticleRow.key)
        )
        with self._session() as session:
            return [StoryAssignment(a, s, sim) for a, s, sim in session.execute(query)]

    def replace_stories(self, assignments: Sequence[StoryAssignment]) -> None:
        """Put the stored articles into these stories, in one transaction, in place of the old ones."""
        with self._session() as session:
            keys: dict[str, int] = {
                sid: key for sid, key in session.execute(select(ArticleRow.id, ArticleRow.key))
            }
            missing = [a.article for a in assignments if a.article not in keys]
            if missing:
                raise StoreError(
                    f"{len(missing)} article(s) placed in stories are not stored, e.g. {missing[0]!r}",
                    hint="store the articles before grouping them",
                )
            session.execute(delete(StoryMemberRow))
            session.execute(delete(StoryRow))
            stories = {sid: StoryRow(id=sid) for sid in dict.fromkeys(a.story for a in assignments)}
            session.add_all(stories.values())
            session.flush()
            session.add_all(
                StoryMemberRow(
                    article_key=keys[a.article], story_key=stories[a.story].key, similarity=a.similarity
                )
                for a in assignments
            )
            session.commit()

    def story_index_state(self) -> tuple[list[OpenStory], dt.date | None, int, int]:
        """What restores the story index: open stories, newest date placed, articles placed, stories made.

        Stories grouped before the index kept its state (no profile) are read as closed.
        """
        with self._session() as session:
            rows = session.scalars(
                select(StoryRow).where(StoryRow.closed.is_(False), StoryRow.profile.is_not(None))
            )
            stories = [
                OpenStory.restored(r.id, r.centroid or b"", r.profile or {}, r.last_seq or 0) for r in rows
            ]
            newest = session.scalar(select(func.max(StoryRow.last_seen)))
            placed = session.scalar(select(func.count()).select_from(StoryMemberRow)) or 0
            made = session.scalar(select(func.count()).select_from(StoryRow)) or 0
        return stories, newest, placed, made

    def save_placements(
        self, assignments: Sequence[StoryAssignment], stories: Sequence[OpenStory], closed: Sequence[str]
    ) -> None:
        """In one transaction: the articles' memberships, the open stories' profiles, the stories closed."""
        with self._session() as session:
            ids = [a.article for a in assignments]
            keys = dict(
                session.execute(select(ArticleRow.id, ArticleRow.key).where(ArticleRow.id.in_(ids))).all()
            )
            missing = [i for i in ids if i not in keys]
            if missing:
                raise StoreError(
                    f"{len(missing)} article(s) placed in stories are not stored, e.g. {missing[0]!r}",
                    hint="store the articles before grouping them",
                )
            wanted = {a.story for a in assignments} | {s.id for s in stories} | set(closed)
            rows = {r.id: r for r in session.scalars(select(StoryRow).where(StoryRow.id.in_(wanted)))}
            for story_id in wanted - rows.keys():
                rows[story_id] = StoryRow(id=story_id)
                session.add(rows[story_id])
            for story in stories:
                row = rows[story.id]
                row.last_seen, row.last_seq = story.last, story.last_seq
                row.centroid, row.profile = story.total.tobytes(), story.profile()
            for story_id in closed:
                rows[story_id].closed = True
                rows[story_id].centroid = rows[story_id].profile = None
            session.flush()
            session.add_all(
                StoryMemberRow(
                    article_key=keys[a.article], story_key=rows[a.story].key, similarity=a.similarity
                )
                for a in assignments
            )
            session.commit()

    def story_articles(self, story_id: str) -> list[Article]:
        """The stored articles of one story, in the order they were stored."""
        query = (
            select(ArticleRow)
            .join(StoryMemberRow, StoryMemberRow.article_key == ArticleRow.key)
            .join(StoryRow, StoryRow.key == StoryMemberRow.story_key)
            .where(StoryRow.id == story_id)
            .order_by(ArticleRow.key)
        )
        with self._session() as session:
            return [_article(row) for row in session.scalars(query)]

    def article(self, article_id: str) -> Article | None:
        """The stored article with this id, if any."""
        with self._session() as session:
            row = session.scalar(select(ArticleRow).where(ArticleRow.id == article_id))
            return None if row is None else _article(row)

    def story_summaries(self, *, offset: int = 0, limit: int = 50) -> tuple[int, list[StorySummary]]:
        """How many stories have articles, and one page of them, the newest story first."""
        members = (
            select(
                StoryRow.key,
                StoryRow.id,
                func.count(ArticleRow.key),
                func.min(ArticleRow.published),
                func.max(ArticleRow.published),
            )
            .join(StoryMemberRow, StoryMemberRow.story_key == StoryRow.key)
            .join(ArticleRow, ArticleRow.key == StoryMemberRow.article_key)
            .group_by(StoryRow.key, StoryRow.id)
        )
        with self._session() as session:
            total = session.scalar(select(func.count()).select_from(members.subquery())) or 0
            page = session.execute(members.order_by(StoryRow.key.desc()).offset(offset).limit(limit)).all()
            details = session.execute(
                select(StoryMemberRow.story_key, ArticleRow.title, ArticleRow.outlet)
                .join(ArticleRow, ArticleRow.key == StoryMemberRow.article_key)
                .where(StoryMemberRow.story_key.in_([key for key, *_ in page]))
                .order_by(ArticleRow.key)
            ).all()
        titles: dict[int, str] = {}
        outlets: dict[int, dict[str, None]] = defaultdict(dict)
        for key, title, outlet in details:
            if title:
                titles.setdefault(key, title)
            if outlet:
                outlets[key][outlet] = None
        stories = [
            StorySummary(sid, titles.get(key), count, tuple(outlets[key]), first, last)
            for key, sid, count, first, last in page
        ]
        return total, stories

    def add_report(self, report: Report, *, story: str | None = None) -> int:
        """Keep a report's contract JSON, linked to its stored articles and story; returns its key."""
        body = report.to_dict()
        ids = [a.get("id") for a in body.get("articles", [])]
        with self._session() as session:
            story_key = session.scalar(select(StoryRow.key).where(StoryRow.id == story)) if story else None
            row = ReportRow(story_key=story_key, schema=str(body.get("schema", "")), body=body)
            session.add(row)
            session.flush()
            keys = session.scalars(select(ArticleRow.key).where(ArticleRow.id.in_([i for i in ids if i])))
            session.add_all(ReportArticleRow(report_key=row.key, article_key=k) for k in keys)
            session.commit()
            return row.key

    def cached(self, text: str, *, model: str, kind: str) -> bytes | None:
        """A cached value (a parse, an embedding) of this exact text made by this model, if any."""
        with self._session() as session:
            row = session.get(CacheRow, (text_hash(text), model, kind))
            return row.value if row is not None else None

    def cache(self, text: str, value: bytes, *, model: str, kind: str) -> None:
        """Keep `value` for this text, model and kind (replacing an older one)."""
        with self._session() as session:
            session.merge(CacheRow(text_hash=text_hash(text), model=model, kind=kind, value=value))
            session.commit()

    def _near_index(self) -> NearDuplicateIndex:
        if self._near is None:
            with self._session() as session:
                items = [
                    (key, data) for key, data in session.execute(select(ArticleRow.key, ArticleRow.minhash))
                ]
            self._near = NearDuplicateIndex(
                threshold=self.settings.dedup_threshold, num_perm=self.settings.dedup_num_perm, items=items
            )
        return self._near

    def _duplicate(
        self,
        session: Session,
        article_id: str,
        canonical: str | None,
        digest: str,
        sig: LeanMinHash,
        near: NearDuplicateIndex,
    ) -> tuple[str, str] | None:
        """(id of the stored article it duplicates, why) or None."""
        if session.scalar(select(ArticleRow.id).where(ArticleRow.id == article_id)) is not None:
            return article_id, "same id"
        if canonical is not None:
            same = session.scalar(select(ArticleRow.id).where(ArticleRow.canonical_url == canonical))
            if same is not None:
                return same, "same URL"
        same = session.scalar(select(ArticleRow.id).where(ArticleRow.text_hash == digest).limit(1))
        if same is not None:
            return same, "same text"
        candidates = near.candidates(sig)
        if candidates:
            rows = session.execute(
                select(ArticleRow.key, ArticleRow.id, ArticleRow.minhash).where(
                    ArticleRow.key.in_(candidates)
                )
            )
            best = max(
                ((signature_from_bytes(data).jaccard(sig), key, sid) for key, sid, data in rows),
                default=None,
            )
            if best is not None and best[0] >= near.threshold:
                return best[2], f"near-identical text (Jaccard {best[0]:.2f})"
        return None

    @contextmanager
    def _session(self) -> Iterator[Session]:
        """A session whose database errors surface as StoreError."""
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                yield session
        except SQLAlchemyError as exc:
            reason = database_reason(exc)
            raise StoreError(
                f"the store at {self.url} could not be read or written: {reason}",
                hint="check that the database is reachable and writable, then run the command again",
            ) from exc


def _article(row: ArticleRow) -> Article:
    return Article(
        text=row.text,
        title=row.title,
        outlet=row.outlet,
        published=row.published,
        url=row.url,
        id=row.id,
        path=row.source,
        language=row.language,
    )


def open_store(url: str | None = None, settings: Settings | None = None) -> Store:
    """The store at `url` (else `settings.db_url`, else the user's data directory), its schema at head."""
    settings = settings or load_settings()
    engine = make_engine(url or settings.db_url)
    upgrade(engine)
    return Store(engine, settings)
