"""Bring sources (files, directories of them) into the store, one article per transaction.

Each article is committed on its own, so a run that is killed keeps every article it stored, and
running it again stores the rest: what is already there comes back as a duplicate, not an error.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from parallax.errors import IngestError
from parallax.ingest import IngestOptions, IngestResult, read_files
from parallax.ingest.files import FORMATS
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
    sorted); a directory with none is a problem."""
    found: list[str] = []
    problems: list[Problem] = []
    for source in sources:
        path = Path(source)
        if not path.is_dir():
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
    progress: Progress | None = None,
) -> IngestSummary:
    """Read every source and store its articles; `progress(done, total)` is called after each file.

    An article with no id nor URL is known by its file (`path`, or `path#N` for the Nth record
    of a file of several), so a rerun finds it stored. An article longer than
    `Settings.max_article_chars` is refused; an unreadable file or record has failed.
    """
    options = replace(options or IngestOptions(), skip_bad=True)
    files, problems = expand_sources(sources)
    read = stored = 0
    for done, source in enumerate(files, 1):
        try:
            found = _read(source, options)
        except IngestError as err:
            problems.append(Problem(source, "failed", _reason(err)))
        else:
            problems.extend(Problem(source, "failed", _reason(f)) for f in found.failures)
            read += len(found.articles)
            for n, article in enumerate(found.articles, 1):
                problem = _store(store, _with_id(article, source, n, len(found.articles)), source)
                if problem is None:
                    stored += 1
                else:
                    problems.append(problem)
        if progress is not None:
            progress(done, len(files))
    return IngestSummary(sources=len(files), read=read, stored=stored, problems=tuple(problems))


def _read(source: str, options: IngestOptions) -> IngestResult:
    """One file's articles; a file with no usable article raises the error that says why."""
    try:
        return read_files([source], replace(options, skip_bad=False))
    except IngestError as first:
        try:  # a file of records with some bad ones: keep the rest, the bad ones as failures
            return read_files([source], options)
        except IngestError:
            raise first from None


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
