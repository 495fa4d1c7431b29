"""Bring sources (files, directories of them, article URLs, feeds, sitemaps) into the store, one article
per transaction.

Each article is committed on its own, so a run that is killed keeps every article it stored, and
running it again stores the rest: what is already there comes back as a duplicate, not an error.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from parallax.errors import FetchError, IngestError
from parallax.ingest import IngestOptions
from parallax.ingest.feeds import SourceEntry, expand_source
from parallax.ingest.fetch import ARTICLE_TYPES, Fetcher, article_from_page, is_url
from parallax.ingest.files import FORMATS, read_source
from parallax.model import Article, Record
from parallax.store.store import Store

__all__ = ["IngestSummary", "Problem", "expand_sources", "ingest_sources"]

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Problem(Record):
    """An input that was not stored, and why: a duplicate (of `duplicate_of`), refused or failed."""

    source: str
    outcome: Literal["duplicate", "refused", "failed"]
    reason: str
    id: str | None = None
    duplicate_of: str | None = None


@dataclass(frozen=True)
class IngestSummary(Record):
    """What one ingest did: sources read, articles found, stored, and every one not stored with its reason."""

    sources: int = 0
    fetched: int = 0
    read: int = 0
    stored: int = 0
    problems: tuple[Problem, ...] = field(default_factory=tuple)

    @property
    def duplicates(self) -> int:
        return self._count("duplicate")

    @property
    def refused(self) -> int:
        return self._count("refused")

    @property
    def failed(self) -> int:
        return self._count("failed")

    def reasons(self, outcome: str) -> Counter[str]:
        """How often each reason was given for one outcome (duplicates by kind: same id, same URL, ...)."""
        return Counter(p.reason for p in self.problems if p.outcome == outcome)

    def _count(self, outcome: str) -> int:
        return sum(1 for p in self.problems if p.outcome == outcome)


def expand_sources(sources: Sequence[str]) -> tuple[list[str], list[Problem]]:
    """Files to read, in order: a directory gives its article files (known extensions, recursively,
    sorted); a directory with none is a problem. URLs are kept as they are."""
    found: list[str] = []
    problems: list[Problem] = []
    for source in sources:
        path = Path(source)
        if is_url(source) or not path.is_dir():
            found.append(source)
            continue
        files = sorted(str(p) for p in path.rglob("*") if p.suffix.lower() in FORMATS and p.is_file())
        if not files:
            known = ", ".join(sorted(set(FORMATS)))
            problems.append(Problem(source, "failed", f"no article files ({known}) in the directory"))
        found.extend(files)
    return found, problems


def ingest_sources(
    sources: Sequence[str],
    store: Store,
    *,
    options: IngestOptions | None = None,
    fetcher: Fetcher | None = None,
    progress: Progress | None = None,
) -> IngestSummary:
    """Read every source and store its articles; `progress(done, total)` is called after each source.

    A URL is fetched through `fetcher` (by default one with `store.settings`, public addresses
    only): an article page is stored, a feed or sitemap has each article it lists fetched and
    stored, except those whose URL is stored already (not fetched again). An article with no id
    nor URL is known by its file (`path`, or `path#N` for the Nth record of a file of several),
    so a rerun finds it stored. An article longer than `Settings.max_article_chars` is refused,
    as is a URL the fetcher declines; an unreadable file, record or page has failed.
    """
    options = replace(options or IngestOptions(), skip_bad=True)
    files, problems = expand_sources(sources)
    counts = Counter[str]()
    with ExitStack() as stack:
        if fetcher is None and any(is_url(source) for source in files):
            fetcher = stack.enter_context(Fetcher(store.settings))
        for done, source in enumerate(files, 1):
            try:
                if is_url(source):
                    assert fetcher is not None
                    _ingest_url(source, store, options, fetcher, problems, counts)
                else:
                    _ingest_file(source, store, options, problems, counts)
            except IngestError as err:
                problems.append(Problem(source, _refused_or_failed(err), _reason(err)))
            if progress is not None:
                progress(done, len(files))
    return IngestSummary(
        sources=len(files),
        fetched=counts["fetched"],
        read=counts["read"],
        stored=counts["stored"],
        problems=tuple(problems),
    )


def _ingest_file(
    source: str, store: Store, options: IngestOptions, problems: list[Problem], counts: Counter[str]
) -> None:
    found = read_source(source, options)
    problems.extend(Problem(source, "failed", _reason(f)) for f in found.failures)
    for n, article in enumerate(found.articles, 1):
        _keep(store, _with_id(article, source, n, len(found.articles)), source, problems, counts)


def _ingest_url(
    source: str,
    store: Store,
    options: IngestOptions,
    fetcher: Fetcher,
    problems: list[Problem],
    counts: Counter[str],
) -> None:
    """An article page, or each article a feed or sitemap lists; a listed page that fails is one problem."""
    listing = expand_source(source, fetcher)
    counts["fetched"] += 1
    problems.extend(Problem(source, _refused_or_failed(f), _reason(f)) for f in listing.failures)
    for entry in listing.entries:
        stored_as = store.find_url(entry.url)
        if stored_as is not None:
            problems.append(Problem(entry.url, "duplicate", "same URL", stored_as, stored_as))
            continue
        try:
            page = listing.page if listing.page is not None else fetcher.fetch(entry.url, ARTICLE_TYPES)
            if listing.page is None:
                counts["fetched"] += 1
            article = _entry_defaults(article_from_page(page, options), entry)
        except IngestError as err:
            problems.append(Problem(entry.url, _refused_or_failed(err), _reason(err)))
            continue
        _keep(store, article, entry.url, problems, counts)


def _entry_defaults(article: Article, entry: SourceEntry) -> Article:
    """What the feed says of an article fills in what its page does not."""
    return replace(
        article, title=article.title or entry.title, published=article.published or entry.published
    )


def _keep(store: Store, article: Article, source: str, problems: list[Problem], counts: Counter[str]) -> None:
    counts["read"] += 1
    problem = _store(store, article, source)
    if problem is None:
        counts["stored"] += 1
    else:
        problems.append(problem)


def _refused_or_failed(err: IngestError) -> Literal["refused", "failed"]:
    return "refused" if isinstance(err, FetchError) and err.refused else "failed"


def _reason(err: IngestError) -> str:
    """The error's message without the source it starts with (the problem names its source)."""
    prefix = f"{err.source}: " if err.source else ""
    return err.message.removeprefix(prefix)


def _store(store: Store, article: Article, source: str) -> Problem | None:
    limit = store.settings.max_article_chars
    if len(article.text) > limit:
        reason = (
            f"{len(article.text):,} characters, over the {limit:,} an article may have (max_article_chars)"
        )
        return Problem(source, "refused", reason, article.id)
    result = store.add(article, source=source)
    if result.outcome == "stored":
        return None
    return Problem(source, "duplicate", result.reason or "", result.id, result.duplicate_of)


def _with_id(article: Article, source: str, n: int, of: int) -> Article:
    if article.id or article.url:
        return article
    return article.with_defaults(id=str(Path(source)) if of == 1 else f"{Path(source)}#{n}", published=None)
