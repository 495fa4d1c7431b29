"""The report as Markdown: one heading per section, tables and lists, safe to paste anywhere."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from parallax.model import Report, Term
from parallax.report.common import (
    SECTION_KEYS,
    SUMMARY_TOP,
    ViewOptions,
    article_date,
    article_label,
    boilerplate_lines,
    claim_reasons,
    cut,
    exclusive_texts,
    format_score,
    match_quotes,
    outlet_summaries,
    quotes_by_speaker,
    shared_claims,
    speaker_name,
    summary_line,
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


def _terms(terms: Sequence[Term]) -> str:
    return ", ".join(f"{t.text} ×{t.count}" for t in terms)


def render_markdown(report: Report, view: ViewOptions | None = None) -> str:
    """The report's sections `view` names (default all); sections with nothing in them say so."""
    view = view or ViewOptions()
    top = view.top
    bodies: dict[str, Callable[[], list[str]]] = {
        "summary": lambda: _summary(report, top),
        "articles": lambda: _articles(report),
        "claims": lambda: _shared(report, top),
        "exclusives": lambda: _exclusives(report, top),
        "quotes": lambda: _quotes(report, top),
        "quote-matches": lambda: _quote_matches(report, top),
        "entities": lambda: _entities(report, top),
        "timeline": lambda: _timeline(report, top),
        "conflicts": lambda: _conflicts(report, top),
        "framing": lambda: _framing(report, top),
        "terms": lambda: _distinctive(report, top),
        "boilerplate": lambda: _bullet_list(
            [f"{label}: {text}" for label, text in boilerplate_lines(report)], top
        ),
        "notes": lambda: _bullet_list(list(report.notes), top),
    }
    out = ["# Parallax report"]
    for key, title in SECTION_KEYS.items():
        if view.shows(key):
            out += ["", f"## {title}", ""]
            out += bodies[key]() or [_NONE]
    return "\n".join(out) + "\n"


def _more(left_out: int, where: str = "raise --top to see them") -> list[str]:
    return ["", f"_… and {left_out} more; {where}._"] if left_out else []


def _bullet_list(texts: Sequence[str], top: int | None, where: str = "raise --top to see them") -> list[str]:
    kept, left_out = cut(texts, top)
    return [f"- {escape(t)}" for t in kept] + _more(left_out, where) if texts else []


def _summary(report: Report, top: int | None) -> list[str]:
    """Per outlet: its figures, its most salient exclusives, its conflicts and its key quotes."""
    n = min(SUMMARY_TOP, top or SUMMARY_TOP)
    out: list[str] = []
    for summary in outlet_summaries(report):
        out += [f"### {escape(article_label(summary.article))}", "", escape(summary_line(summary)) + ".", ""]
        exclusives = [m.text for m in summary.exclusives]
        conflicts = [f"{c.kind}: {c.detail}" for c in summary.conflicts]
        quotes = [f"{_quoted(q.text, q.kind)} — {speaker_name(q)}" for q in summary.quotes]
        parts = [
            ("Top exclusives", exclusives, "Exclusive statements"),
            ("Conflicts", conflicts, "Conflicts"),
            ("Key quotes", quotes, "Quotes"),
        ]
        for label, items, section in parts:
            if items:
                out += [f"{label}:", "", *_bullet_list(items, n, f"see {section}"), ""]
            else:
                out += [f"{label}: none.", ""]
    return out[:-1]


def _quoted(text: str, kind: str) -> str:
    return text if kind == "indirect" else f"“{text}”"


def _labels(report: Report) -> list[str]:
    return [article_label(a) for a in report.articles]


def _articles(report: Report) -> list[str]:
    rows = [
        [a.id, a.source or "–", a.title or a.path or "(untitled)", article_date(a), str(len(a.sentences))]
        for a in report.articles
    ]
    return table(["id", "outlet", "title", "published", "sentences"], rows) if rows else []


def _shared(report: Report, top: int | None = None) -> list[str]:
    claims, left_out = cut(shared_claims(report), top)
    rows = [
        [f"{c.kind} {format_score(c.score)}"]
        + ["\n".join(m.text for m in c.members if m.article == a.id) for a in report.articles]
        + [claim_reasons(c)]
        for c in claims
    ]
    return table(["kind", *_labels(report), "why"], rows) + _more(left_out) if rows else []


def _exclusives(report: Report, top: int | None = None) -> list[str]:
    exclusive = exclusive_texts(report, ranked=top is not None)
    if not any(exclusive.values()):
        return []
    labels = {a.id: article_label(a) for a in report.articles}
    out: list[str] = []
    for article_id, texts in exclusive.items():
        out += [f"### {escape(labels.get(article_id, article_id))}", ""]
        out += _bullet_list(texts, top) or [_NONE]
        out.append("")
    return out[:-1]


def _quotes(report: Report, top: int | None = None) -> list[str]:
    kept, left_out = cut(report.quotes, top)
    out: list[str] = []
    for speaker, quotes in quotes_by_speaker(kept).items():
        out += [f"### {escape(speaker)}", ""]
        for q in quotes:
            text = escape(q.text) if q.kind == "indirect" else f"“{escape(q.text)}”"
            out.append(f"- {text} ({escape(q.article)}; {q.kind}; cue: {escape(q.cue or '–')})")
        out.append("")
    return out[:-1] + _more(left_out)


def _quote_matches(report: Report, top: int | None = None) -> list[str]:
    matches, left_out = cut(report.quote_matches, top)
    rows = []
    for match in matches:
        quotes = match_quotes(report, match)
        speakers = " / ".join(dict.fromkeys(speaker_name(q) for q in quotes))
        if not match.same_speaker:
            speakers += "\n⚠ different speakers"
        cells = ["\n".join(q.text for q in quotes if q.article == a.id) for a in report.articles]
        rows.append([format_score(match.similarity), speakers, *cells])
    return table(["similarity", "speakers", *_labels(report)], rows) + _more(left_out) if rows else []


def _entities(report: Report, top: int | None = None) -> list[str]:
    entities, left_out = cut(report.entities, top)
    rows = [
        [
            e.name + ("".join(f"\naka {a}" for a in e.aliases if a != e.name)),
            e.type,
            ", ".join(e.roles) or "–",
            *[str(e.mentions.get(a.id, 0)) for a in report.articles],
        ]
        for e in entities
    ]
    headers = ["name", "type", "roles", *[a.id for a in report.articles]]
    return table(headers, rows) + _more(left_out) if rows else []


def _timeline(report: Report, top: int | None = None) -> list[str]:
    entries, left_out = cut(report.timeline, top)
    rows = [
        [t.when + (" (relative)" if t.relative else ""), t.expression, t.text, ", ".join(t.articles)]
        for t in entries
    ]
    return table(["when", "expression", "what", "articles"], rows) + _more(left_out) if rows else []


def _conflicts(report: Report, top: int | None = None) -> list[str]:
    conflicts, left_out = cut(report.conflicts, top)
    rows = [[c.kind, c.detail, "\n".join(f"{m.article}: {m.text}" for m in c.members)] for c in conflicts]
    return table(["kind", "detail", "statements"], rows) + _more(left_out) if rows else []


def _framing(report: Report, top: int | None = None) -> list[str]:
    concepts, left_out = cut(report.framing, top)
    rows = [[f.concept, *[_terms(f.terms.get(a.id, ())) or "–" for a in report.articles]] for f in concepts]
    return table(["concept", *_labels(report)], rows) + _more(left_out) if rows else []


def _distinctive(report: Report, top: int | None = None) -> list[str]:
    labels = {a.id: article_label(a) for a in report.articles}
    rows = [[labels.get(k, k), _terms(cut(v, top)[0]) or "–"] for k, v in report.distinctive_terms.items()]
    return table(["article", "terms"], rows) if any(report.distinctive_terms.values()) else []
