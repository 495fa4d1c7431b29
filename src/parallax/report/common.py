"""What every renderer needs: section titles, article labels and the groupings the views share."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from parallax.model import Claim, Quote, QuoteMatch, Report, ReportArticle

__all__ = [
    "SECTIONS",
    "UNATTRIBUTED",
    "Format",
    "article_date",
    "article_label",
    "boilerplate_lines",
    "claim_reasons",
    "exclusive_texts",
    "format_score",
    "match_quotes",
    "quotes_by_speaker",
    "shared_claims",
    "speaker_name",
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

UNATTRIBUTED = "(no speaker found)"


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


def exclusive_texts(report: Report) -> dict[str, list[str]]:
    """Each article's exclusive sentences, keyed by article id in report order (every article present)."""
    result: dict[str, list[str]] = {a.id: [] for a in report.articles}
    for claim in report.claims:
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
