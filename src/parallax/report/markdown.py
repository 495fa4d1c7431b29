"""The report as Markdown: one heading per section, tables and lists, safe to paste anywhere."""

from __future__ import annotations

import re
from collections.abc import Sequence

from parallax.model import Report, Term
from parallax.report.common import (
    SECTIONS,
    article_date,
    article_label,
    boilerplate_lines,
    claim_reasons,
    exclusive_texts,
    format_score,
    match_quotes,
    quotes_by_speaker,
    shared_claims,
    speaker_name,
)

__all__ = ["escape", "render_markdown", "table"]

# Inline syntax anywhere: emphasis, code, links, raw HTML, table pipes, strikethrough, entities, headings.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#])")
# Block syntax at the start of a line: list items (`- `, `+ `, `1. `, `1) `) and setext underlines.
_LINE_START = re.compile(r"^([-+=]|\d+(?=[.)]))")
_NONE = "_None._"


def escape(text: str) -> str:
    """Text as literal Markdown: special characters backslashed, line breaks folded into spaces."""
    escaped = _SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return _LINE_START.sub(lambda m: m[1] + "\\" if m[1][0].isdigit() else "\\" + m[1], escaped)


def _cell(text: str) -> str:
    """A table cell: several lines joined with <br> so the row stays one line."""
    return "<br>".join(escape(line) for line in text.split("\n") if line.strip()) or " "


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A GitHub-flavoured Markdown table; cells may hold several lines separated by newlines."""
    lines = ["| " + " | ".join(_cell(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    lines.extend("| " + " | ".join(_cell(c) for c in row) + " |" for row in rows)
    return lines


def _terms(terms: tuple[Term, ...]) -> str:
    return ", ".join(f"{t.text} ×{t.count}" for t in terms)


def render_markdown(report: Report) -> str:
    """The whole report; sections with nothing in them say so rather than vanish."""
    bodies = [
        _articles(report),
        _shared(report),
        _exclusives(report),
        _quotes(report),
        _quote_matches(report),
        _entities(report),
        _timeline(report),
        _conflicts(report),
        _framing(report),
        _distinctive(report),
        [f"- {escape(label)}: {escape(text)}" for label, text in boilerplate_lines(report)],
        [f"- {escape(note)}" for note in report.notes],
    ]
    out = ["# Parallax report"]
    for title, body in zip(SECTIONS, bodies, strict=True):
        out += ["", f"## {title}", ""]
        out += body or [_NONE]
    return "\n".join(out) + "\n"


def _labels(report: Report) -> list[str]:
    return [article_label(a) for a in report.articles]


def _articles(report: Report) -> list[str]:
    rows = [
        [a.id, a.source or "–", a.title or a.path or "(untitled)", article_date(a), str(len(a.sentences))]
        for a in report.articles
    ]
    return table(["id", "outlet", "title", "published", "sentences"], rows) if rows else []


def _shared(report: Report) -> list[str]:
    rows = [
        [f"{c.kind} {format_score(c.score)}"]
        + ["\n".join(m.text for m in c.members if m.article == a.id) for a in report.articles]
        + [claim_reasons(c)]
        for c in shared_claims(report)
    ]
    return table(["kind", *_labels(report), "why"], rows) if rows else []


def _exclusives(report: Report) -> list[str]:
    exclusive = exclusive_texts(report)
    if not any(exclusive.values()):
        return []
    labels = {a.id: article_label(a) for a in report.articles}
    out: list[str] = []
    for article_id, texts in exclusive.items():
        out += [f"### {escape(labels.get(article_id, article_id))}", ""]
        out += [f"- {escape(t)}" for t in texts] or [_NONE]
        out.append("")
    return out[:-1]


def _quotes(report: Report) -> list[str]:
    out: list[str] = []
    for speaker, quotes in quotes_by_speaker(report.quotes).items():
        out += [f"### {escape(speaker)}", ""]
        for q in quotes:
            text = escape(q.text) if q.kind == "indirect" else f"“{escape(q.text)}”"
            out.append(f"- {text} ({escape(q.article)}; {q.kind}; cue: {escape(q.cue or '–')})")
        out.append("")
    return out[:-1]


def _quote_matches(report: Report) -> list[str]:
    rows = []
    for match in report.quote_matches:
        quotes = match_quotes(report, match)
        speakers = " / ".join(dict.fromkeys(speaker_name(q) for q in quotes))
        if not match.same_speaker:
            speakers += "\n⚠ different speakers"
        cells = ["\n".join(q.text for q in quotes if q.article == a.id) for a in report.articles]
        rows.append([format_score(match.similarity), speakers, *cells])
    return table(["similarity", "speakers", *_labels(report)], rows) if rows else []


def _entities(report: Report) -> list[str]:
    rows = [
        [
            e.name + ("".join(f"\naka {a}" for a in e.aliases if a != e.name)),
            e.type,
            ", ".join(e.roles) or "–",
            *[str(e.mentions.get(a.id, 0)) for a in report.articles],
        ]
        for e in report.entities
    ]
    return table(["name", "type", "roles", *[a.id for a in report.articles]], rows) if rows else []


def _timeline(report: Report) -> list[str]:
    rows = [
        [t.when + (" (relative)" if t.relative else ""), t.expression, t.text, ", ".join(t.articles)]
        for t in report.timeline
    ]
    return table(["when", "expression", "what", "articles"], rows) if rows else []


def _conflicts(report: Report) -> list[str]:
    rows = [
        [c.kind, c.detail, "\n".join(f"{m.article}: {m.text}" for m in c.members)] for c in report.conflicts
    ]
    return table(["kind", "detail", "statements"], rows) if rows else []


def _framing(report: Report) -> list[str]:
    rows = [
        [f.concept, *[_terms(f.terms.get(a.id, ())) or "–" for a in report.articles]] for f in report.framing
    ]
    return table(["concept", *_labels(report)], rows) if rows else []


def _distinctive(report: Report) -> list[str]:
    labels = {a.id: article_label(a) for a in report.articles}
    rows = [[labels.get(k, k), _terms(v) or "–"] for k, v in report.distinctive_terms.items()]
    return table(["article", "terms"], rows) if any(report.distinctive_terms.values()) else []
