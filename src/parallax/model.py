"""The records parallax passes around: the input Article and the frozen pieces of a Report.

Every result record has `to_dict()`, which gives the JSON of ../shared/eval/CONTRACT.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

from parallax.errors import ConfigError

__all__ = [
    "Article",
    "Claim",
    "ClaimEvidence",
    "ClaimKind",
    "ClaimMember",
    "Conflict",
    "ConflictMember",
    "Entity",
    "FramingConcept",
    "Quote",
    "QuoteKind",
    "QuoteMatch",
    "Record",
    "Report",
    "ReportArticle",
    "SentenceRef",
    "Speaker",
    "Term",
    "TimelineEntry",
    "parse_date",
]

SCHEMA = "parallax.report/1"
ClaimKind = Literal["shared", "partial", "exclusive"]
QuoteKind = Literal["direct", "partial", "indirect"]


def parse_date(value: dt.date | str | None) -> dt.date | None:
    """Accept a date, an ISO date or datetime string, or None."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    text = str(value).strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError as exc:
        raise ConfigError(
            f"cannot read the publication date {value!r}", hint="give it as YYYY-MM-DD, e.g. 2024-12-03"
        ) from exc


def _plain(value: Any) -> Any:
    """Turn records, tuples, mappings and dates into JSON-ready values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class Record:
    """Mixin for frozen result dataclasses."""

    def to_dict(self) -> dict[str, Any]:
        result = _plain(self)
        assert isinstance(result, dict)
        return result


@dataclasses.dataclass(frozen=True)
class Article:
    """One news report as given by the user. `published` may be a date or an ISO string."""

    text: str
    title: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    url: str | None = None
    id: str | None = None
    path: str | None = None
    language: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.text, str):
            raise ConfigError(f"Article text must be a string, not {type(self.text).__name__}")
        object.__setattr__(self, "published", parse_date(self.published))

    def with_defaults(self, *, id: str, published: dt.date | None) -> Article:
        """A copy that has an id, and `published` where it had none."""
        return dataclasses.replace(self, id=self.id or id, published=self.published or published)


@dataclasses.dataclass(frozen=True)
class SentenceRef(Record):
    """A sentence of an article; `boilerplate` marks a dateline, byline or credit kept out of claims."""

    id: str
    text: str
    start: int
    end: int
    heading: bool = False
    boilerplate: bool = False


@dataclasses.dataclass(frozen=True)
class ReportArticle(Record):
    """An article as the report shows it; `language` is the ISO 639-1 code parallax found or was told."""

    id: str
    path: str | None
    outlet: str | None
    title: str | None
    published: dt.date | None
    url: str | None
    sentences: tuple[SentenceRef, ...]
    published_assumed: bool = False
    language: str | None = None

    @property
    def source(self) -> str | None:
        """The outlet under its report/1 name."""
        return self.outlet

    def to_dict(self) -> dict[str, Any]:
        # Contract v1 named the outlet `source`; both keys carry it until v2.
        result = super().to_dict()
        return {**result, "source": self.outlet}


@dataclasses.dataclass(frozen=True)
class ClaimMember(Record):
    article: str
    sentence: str
    text: str


@dataclasses.dataclass(frozen=True)
class ClaimEvidence(Record):
    """Why a claim joins statements of different outlets: what a reader would check, and the odds.

    `probability` is the same-fact model's (calibrated on MRPC dev) for the claim's most alike pair
    of statements from different outlets; the rest is what every outlet's statements have in common,
    and `differs` what they do not agree on (figures, a negation on one side only).
    """

    probability: float
    entities: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    differs: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Claim(Record):
    id: str
    kind: ClaimKind
    members: tuple[ClaimMember, ...]
    score: float
    evidence: ClaimEvidence | None = None
    # Exclusive claims only: how much the statement matters to its outlet's report (0..1), from its
    # place in the article, the names and figures it carries and how far it is from the others.
    salience: float | None = None


@dataclasses.dataclass(frozen=True)
class Speaker(Record):
    name: str
    entity: str | None = None


@dataclasses.dataclass(frozen=True)
class Quote(Record):
    id: str
    article: str
    sentence: str
    text: str
    kind: QuoteKind
    speaker: Speaker | None
    cue: str | None
    start: int = 0
    end: int = 0


@dataclasses.dataclass(frozen=True)
class QuoteMatch(Record):
    quotes: tuple[str, ...]
    similarity: float
    same_speaker: bool


@dataclasses.dataclass(frozen=True)
class Entity(Record):
    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    roles: tuple[str, ...]
    mentions: Mapping[str, int]


@dataclasses.dataclass(frozen=True)
class Term(Record):
    text: str
    count: int
    score: float | None = None


@dataclasses.dataclass(frozen=True)
class FramingConcept(Record):
    concept: str
    entity: str | None
    terms: Mapping[str, tuple[Term, ...]]


@dataclasses.dataclass(frozen=True)
class ConflictMember(Record):
    article: str
    text: str


@dataclasses.dataclass(frozen=True)
class Conflict(Record):
    kind: Literal["number", "date", "attribution", "statement"]
    members: tuple[ConflictMember, ...]
    detail: str


@dataclasses.dataclass(frozen=True)
class TimelineEntry(Record):
    when: str
    expression: str
    text: str
    articles: tuple[str, ...]
    relative: bool = False


@dataclasses.dataclass(frozen=True)
class Report(Record):
    """A whole comparison; `to_dict()` is the contract JSON (schema parallax.report/1)."""

    articles: tuple[ReportArticle, ...]
    claims: tuple[Claim, ...]
    quotes: tuple[Quote, ...]
    quote_matches: tuple[QuoteMatch, ...]
    entities: tuple[Entity, ...]
    framing: tuple[FramingConcept, ...]
    distinctive_terms: Mapping[str, tuple[Term, ...]]
    conflicts: tuple[Conflict, ...]
    timeline: tuple[TimelineEntry, ...]
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        # Articles through their own to_dict, which adds the `source` alias.
        return {"schema": SCHEMA, **super().to_dict(), "articles": [a.to_dict() for a in self.articles]}

    def article(self, article_id: str) -> ReportArticle:
        """The article with this id; KeyError names the ids there are."""
        for art in self.articles:
            if art.id == article_id:
                return art
        raise KeyError(f"no article {article_id!r} in this report (have {[a.id for a in self.articles]})")
