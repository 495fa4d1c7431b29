"""What every renderer needs: section titles, article labels and the groupings the views share."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from enum import StrEnum
from typing import TypeVar

from parallax.errors import ConfigError
from parallax.model import Claim, ClaimMember, Conflict, Quote, QuoteMatch, Report, ReportArticle

__all__ = [
    "SECTIONS",
    "SECTION_KEYS",
    "SUMMARY",
    "SUMMARY_TOP",
    "UNATTRIBUTED",
    "Format",
    "OutletSummary",
    "ViewOptions",
    "article_date",
    "article_label",
    "boilerplate_lines",
    "claim_reasons",
    "cut",
    "exclusive_texts",
    "format_score",
    "match_quotes",
    "outlet_summaries",
    "quotes_by_speaker",
    "shared_claims",
    "speaker_name",
    "summary_line",
]

SECTIONS = (
    "Articles",
    "Shared facts",
    "Exclusive statements",
    "Quotes",
    "Quote matches",
    "Entities",
    "Timeline",
    "Conflicts",
    "Framing",
    "Distinctive terms",
    "Boilerplate",
    "Notes",
)
"""Section headings, in the order every human-readable view prints them."""

SUMMARY = "Summary"
"""The heading of what every human-readable view opens with, before SECTIONS."""

SECTION_KEYS: dict[str, str] = dict(
    zip(
        (
            "summary",
            "articles",
            "claims",
            "exclusives",
            "quotes",
            "quote-matches",
            "entities",
            "timeline",
            "conflicts",
            "framing",
            "terms",
            "boilerplate",
            "notes",
        ),
        (SUMMARY, *SECTIONS),
        strict=True,
    )
)
"""The names `--sections` takes, each for its heading, in print order."""

SUMMARY_TOP = 3
"""Exclusives and quotes the summary shows per outlet (fewer under a smaller --top)."""

UNATTRIBUTED = "(no speaker found)"
T = TypeVar("T")


class Format(StrEnum):
    """The output formats `render` knows."""

    TERMINAL = "terminal"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"


def article_label(article: ReportArticle) -> str:
    """A short name a reader can match across sections: the id plus the outlet when there is one."""
    return f"{article.id} · {article.source}" if article.source else article.id


def article_date(article: ReportArticle) -> str:
    """The publication date, marked when the pipeline had to assume it."""
    if article.published is None:
        return "unknown"
    return (
        f"{article.published.isoformat()} (assumed)"
        if article.published_assumed
        else article.published.isoformat()
    )


def format_score(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def shared_claims(report: Report) -> list[Claim]:
    """Claims carried by more than one outlet, strongest kind first, input order kept within a kind."""
    ranked = [c for c in report.claims if c.kind in ("shared", "partial")]
    return sorted(ranked, key=lambda c: c.kind != "shared")


def exclusive_texts(report: Report, *, ranked: bool = False) -> dict[str, list[str]]:
    """Each article's exclusive sentences, keyed by article id in report order (every article present).

    `ranked`: most salient first (for a view cut to its top few), else in the article's order.
    """
    result: dict[str, list[str]] = {a.id: [] for a in report.articles}
    claims = sorted(report.claims, key=lambda c: -(c.salience or 0.0)) if ranked else report.claims
    for claim in claims:
        if claim.kind == "exclusive":
            for member in claim.members:
                result.setdefault(member.article, []).append(member.text)
    return result


def claim_reasons(claim: Claim) -> str:
    """Why a claim joins outlets, one reason a line: the odds, then what they share and what differs."""
    ev = claim.evidence
    if ev is None:
        return ""
    lines = [f"P(same fact) {ev.probability:.2f}"]
    for label, items in (("names", ev.entities), ("figures", ev.numbers), ("words", ev.words)):
        if items:
            lines.append(f"{label}: {', '.join(items)}")
    lines += [f"differs: {d}" for d in ev.differs]
    return "\n".join(lines)


def boilerplate_lines(report: Report) -> list[tuple[str, str]]:
    """(article label, text) of every line kept out of claims and quotes: datelines, bylines, credits."""
    return [(article_label(a), s.text) for a in report.articles for s in a.sentences if s.boilerplate]


def quotes_by_speaker(quotes: Sequence[Quote]) -> dict[str, list[Quote]]:
    """Quotes grouped under their speaker's name, speakers in first-seen order, unattributed last."""
    groups: dict[str, list[Quote]] = {}
    for quote in quotes:
        if quote.speaker is not None:
            groups.setdefault(quote.speaker.name, []).append(quote)
    unattributed = [q for q in quotes if q.speaker is None]
    if unattributed:
        groups[UNATTRIBUTED] = unattributed
    return groups


def match_quotes(report: Report, match: QuoteMatch) -> list[Quote]:
    """The quotes a match names, skipping ids the report does not hold."""
    by_id = {q.id: q for q in report.quotes}
    return [by_id[qid] for qid in match.quotes if qid in by_id]


def speaker_name(quote: Quote) -> str:
    return quote.speaker.name if quote.speaker else UNATTRIBUTED


@dataclasses.dataclass(frozen=True)
class ViewOptions:
    """What a terminal or Markdown view prints: which sections (keys of SECTION_KEYS) and how many items each.

    Sections always print in report order, whatever order they were named in; `top` cuts every long
    section to its first N items (exclusives: each outlet's N most salient) and says how many it left out.
    """

    sections: tuple[str, ...] = tuple(SECTION_KEYS)
    top: int | None = None

    def __post_init__(self) -> None:
        unknown = [s for s in self.sections if s not in SECTION_KEYS]
        if unknown:
            raise ConfigError(
                f"unknown section(s): {', '.join(unknown)}", hint=f"choose from {', '.join(SECTION_KEYS)}"
            )
        if not self.sections:
            raise ConfigError("no section chosen", hint=f"name one or more of {', '.join(SECTION_KEYS)}")
        if self.top is not None and self.top < 1:
            raise ConfigError(f"--top {self.top} shows nothing", hint="give --top 1 or more, or leave it out")

    @classmethod
    def parse(cls, sections: str | None = None, top: int | None = None) -> ViewOptions:
        """From the command line's comma-separated `--sections` (None: all) and `--top`."""
        if sections is None:
            return cls(top=top)
        named = [s.strip().lower() for s in sections.split(",") if s.strip()]
        return cls(tuple(named), top)

    def shows(self, key: str) -> bool:
        return key in self.sections


def cut(items: Sequence[T], top: int | None) -> tuple[list[T], int]:
    """The first `top` items (all when None) and how many were left out."""
    kept = list(items if top is None else items[:top])
    return kept, len(items) - len(kept)


@dataclasses.dataclass(frozen=True)
class OutletSummary:
    """What the summary says of one outlet; lists are ranked, whole, for the view to cut."""

    article: ReportArticle
    shared: int  # shared facts it carries
    partial: int  # partial matches it carries
    exclusives: tuple[ClaimMember, ...]  # its exclusive statements, most salient first
    told: float | None  # share of its statements (not headings, not boilerplate) another outlet tells too
    conflicts: tuple[Conflict, ...]
    quotes: tuple[Quote, ...]  # key quotes first: matched by another outlet, attributed, direct, longer

    @property
    def statements(self) -> int:
        return sum(not s.boilerplate and not s.heading for s in self.article.sentences)


_QUOTE_KIND_ORDER = {"direct": 0, "partial": 1, "indirect": 2}


def outlet_summaries(report: Report) -> list[OutletSummary]:
    """One summary per article, in report order."""
    matched = {qid for m in report.quote_matches for qid in m.quotes}
    result = []
    for art in report.articles:
        facts = [c for c in shared_claims(report) if any(m.article == art.id for m in c.members)]
        exclusive = [c for c in report.claims if c.kind == "exclusive"]
        ranked = sorted(exclusive, key=lambda c: -(c.salience or 0.0))
        told_ids = {m.sentence for c in facts for m in c.members if m.article == art.id}
        statements = [s for s in art.sentences if not s.boilerplate and not s.heading]
        quotes = sorted(
            (q for q in report.quotes if q.article == art.id),
            key=lambda q: (
                q.id not in matched,
                q.speaker is None,
                _QUOTE_KIND_ORDER.get(q.kind, 3),
                -len(q.text),
            ),
        )
        result.append(
            OutletSummary(
                article=art,
                shared=sum(c.kind == "shared" for c in facts),
                partial=sum(c.kind == "partial" for c in facts),
                exclusives=tuple(m for c in ranked for m in c.members if m.article == art.id),
                told=sum(s.id in told_ids for s in statements) / len(statements) if statements else None,
                conflicts=tuple(c for c in report.conflicts if any(m.article == art.id for m in c.members)),
                quotes=tuple(quotes),
            )
        )
    return result


def summary_line(summary: OutletSummary) -> str:
    """The figures of one outlet in a sentence."""
    n = len(summary.exclusives)
    told = "–" if summary.told is None else f"{round(100 * summary.told)}%"
    return (
        f"{summary.shared} shared fact{'' if summary.shared == 1 else 's'}, {summary.partial} partial, "
        f"{n} exclusive statement{'' if n == 1 else 's'}; {told} of its statements told by another outlet"
    )
