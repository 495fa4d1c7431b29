"""The compare pipeline: ingest → parse once → every stage → Report, with per-stage timings."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from os import PathLike
from typing import TypeVar

from parallax.claims import build_claims
from parallax.conflicts import find_conflicts
from parallax.entities import link_speakers, merge_entities
from parallax.errors import ConfigError
from parallax.framing import build_framing, distinctive_terms, word_choice_rows
from parallax.ingest import (
    Fetcher,
    IngestOptions,
    check_languages,
    is_url,
    outlet_from_url,
    read_files,
    read_sources,
)
from parallax.model import Article, Report, ReportArticle, SentenceRef
from parallax.nlp import ParsedArticle, TextVectors, parse_articles
from parallax.nlp.parse import assign_ids
from parallax.quotes import extract_quotes, match_quotes
from parallax.settings import Settings, load_settings
from parallax.timeline import build_timeline, story_mentions

__all__ = ["StageTimer", "assume_dates", "compare", "compare_parsed"]

T = TypeVar("T")
ArticleLike = Article | str | PathLike[str]


@dataclass
class StageTimer:
    """Wall-clock seconds spent in each stage, in the order they ran."""

    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - t0

    def run(self, name: str, fn: Callable[[], T]) -> T:
        with self.stage(name):
            return fn()


def _as_articles(items: Sequence[ArticleLike] | ArticleLike, settings: Settings) -> list[Article]:
    if isinstance(items, Article | str | PathLike):
        items = [items]
    articles: list[Article] = []
    paths: list[str] = []
    for item in items:
        if isinstance(item, Article):
            articles.append(item)
        elif isinstance(item, str | PathLike):
            paths.append(str(item))
        else:
            raise ConfigError(f"compare() takes Articles or file paths, not {type(item).__name__}")
    if any(is_url(p) for p in paths):  # URLs among the paths go through the safe fetcher
        with Fetcher(settings) as fetcher:
            articles.extend(read_sources(paths, IngestOptions(), fetcher=fetcher).articles)
    elif paths:
        articles.extend(read_files(paths, IngestOptions()).articles)
    if not articles:
        raise ConfigError("compare() needs at least one article", hint="pass Article objects or file paths")
    return articles


def compare(
    articles: Sequence[ArticleLike] | ArticleLike,
    settings: Settings | None = None,
    *,
    timer: StageTimer | None = None,
) -> Report:
    """Compare the reports of one story. One article is fine: its quotes, entities and timeline count.

    Paths may be http(s) URLs, fetched safely (private addresses refused, see parallax.ingest.fetch).
    """
    settings = settings or load_settings()
    timer = timer or StageTimer()
    checked, language_notes = timer.run(
        "language", lambda: check_languages(assign_ids(_as_articles(articles, settings)), settings)
    )
    ready, assumed = assume_dates(checked)
    parsed = timer.run("parse", lambda: parse_articles(ready, settings))
    parsed = [dataclasses.replace(p, published_assumed=p.id in assumed) for p in parsed]
    report = compare_parsed(parsed, settings, timer)
    return dataclasses.replace(report, notes=(*language_notes, *report.notes)) if language_notes else report


def assume_dates(articles: list[Article], today: dt.date | None = None) -> tuple[list[Article], set[str]]:
    """Date every undated article: the latest date of the others in the story, else today.

    Relative dates ("Tuesday", "last week") mean nothing without one; the assumption is
    marked on the article and written into the report's notes.
    """
    known = [a.published for a in articles if a.published]
    fallback = max(known) if known else (today or dt.date.today())
    assumed = {a.id for a in articles if a.published is None and a.id}
    return [a if a.published else dataclasses.replace(a, published=fallback) for a in articles], assumed


def compare_parsed(parsed: Sequence[ParsedArticle], settings: Settings, timer: StageTimer) -> Report:
    """Every stage over articles that are already parsed."""
    vectors = TextVectors.of_parsed(parsed, settings)  # every text embedded once per report
    claims = timer.run("claims", lambda: build_claims(parsed, settings))
    entities = timer.run("entities", lambda: merge_entities(parsed, settings))
    quotes = timer.run(
        "quotes",
        lambda: link_speakers([q for p in parsed for q in extract_quotes(p, settings)], entities, settings),
    )
    quote_matches = timer.run(
        "quote_matches", lambda: match_quotes(quotes, parsed, settings, vectors=vectors)
    )
    mentions = timer.run("timeline", lambda: story_mentions(parsed, settings))
    conflicts = timer.run("conflicts", lambda: find_conflicts(parsed, claims, quotes, mentions, settings))
    timeline = timer.run("timeline", lambda: build_timeline(parsed, settings, mentions))
    framing = timer.run(
        "framing",
        lambda: (
            *build_framing(parsed, entities, settings=settings, vectors=vectors),
            *word_choice_rows(parsed, quotes, entities),
        ),
    )
    terms = timer.run("distinctive_terms", lambda: distinctive_terms(parsed, settings=settings))
    notes = tuple(
        f"{p.id}: no publication date given; relative dates are read against {p.article.published}"
        for p in parsed
        if p.published_assumed
    )
    return Report(
        articles=tuple(_report_article(p) for p in parsed),
        claims=claims,
        quotes=tuple(quotes),
        quote_matches=quote_matches,
        entities=entities,
        framing=framing,
        distinctive_terms=terms,
        conflicts=conflicts,
        timeline=timeline,
        notes=notes,
    )


def _report_article(p: ParsedArticle) -> ReportArticle:
    art = p.article
    return ReportArticle(
        id=p.id,
        path=art.path,
        outlet=art.outlet or outlet_from_url(art.url),
        title=art.title,
        published=art.published,
        url=art.url,
        sentences=tuple(
            SentenceRef(s.id, s.text, s.start, s.end, s.heading, s.boilerplate) for s in p.sentences
        ),
        published_assumed=p.published_assumed,
        language=art.language,
    )
