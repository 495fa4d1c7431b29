"""The report as rich tables and lists for a person at a terminal."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TypeVar

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from parallax.model import Report, ReportArticle, Term
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

__all__ = ["DEFAULT_WIDTH", "printable", "render_terminal", "renderables"]

T = TypeVar("T")

DEFAULT_WIDTH = 100
_NONE = Text("  (none)", style="dim italic")


# C0 controls (but tab and newline) and DEL as their visible Unicode pictures, C1 controls as U+FFFD.
_CONTROLS = (
    {c: 0x2400 + c for c in range(0x20) if chr(c) not in "\t\n"}
    | {0x7F: 0x2421}
    | {c: 0xFFFD for c in range(0x80, 0xA0)}
)


def render_terminal(
    report: Report, *, width: int | None = None, color: bool = False, view: ViewOptions | None = None
) -> str:
    """Draw the report into a string; `color` keeps ANSI styles for a real terminal; `view` picks sections."""
    return draw(renderables(printable(report), view), width=width, color=color)


def printable(value: T) -> T:
    """The report with control characters made visible: an ESC in article text must not drive the terminal."""
    if isinstance(value, str):
        return value.translate(_CONTROLS)  # type: ignore[return-value]
    if isinstance(value, tuple):
        return tuple(printable(v) for v in value)  # type: ignore[return-value]
    if isinstance(value, Mapping):
        return {printable(k): printable(v) for k, v in value.items()}  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: printable(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    return value


def draw(items: Iterable[RenderableType], *, width: int | None = None, color: bool = False) -> str:
    """Print rich renderables into a string, plain (trailing spaces stripped) unless `color`.

    Strings are article text, never console markup: `[sic]` must show and `[/url]` must not raise,
    so markup, emoji codes and highlighting are off; styles come only from Text objects.
    """
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width or DEFAULT_WIDTH,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        markup=False,
        highlight=False,
        emoji=False,
    )
    for item in items:
        console.print(item)
    text = buffer.getvalue()
    return text if color else "".join(line.rstrip() + "\n" for line in text.splitlines())


def renderables(report: Report, view: ViewOptions | None = None) -> Iterator[RenderableType]:
    """The sections `view` names (default all) in order, each a heading and its body ('(none)' when empty)."""
    view = view or ViewOptions()
    top = view.top
    bodies: dict[str, Callable[[], RenderableType | None]] = {
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
        "boilerplate": lambda: _boilerplate(report, top),
        "notes": lambda: _notes(report, top),
    }
    for key, title in SECTION_KEYS.items():
        if not view.shows(key):
            continue
        body = bodies[key]()
        yield Text("")
        yield Rule(Text(title, style="bold"), align="left", style="dim")
        yield body if body is not None else _NONE


def _more(body: RenderableType, left_out: int, where: str = "raise --top to see them") -> RenderableType:
    """The body, and a dim line saying how many items --top left out of it."""
    if not left_out:
        return body
    return Group(body, Text(f"  … and {left_out} more; {where}", style="dim italic"))


def _summary(report: Report, top: int | None) -> RenderableType | None:
    """Per outlet: its figures, its most salient exclusives, its conflicts and its key quotes."""
    n = min(SUMMARY_TOP, top or SUMMARY_TOP)
    parts: list[RenderableType] = []
    for summary in outlet_summaries(report):
        if parts:
            parts.append(Text(""))
        parts.append(Text(article_label(summary.article), style="bold"))
        parts.append(Padding(Text(summary_line(summary) + "."), (0, 0, 0, 2)))
        lists = [
            ("Top exclusives", [m.text for m in summary.exclusives], "Exclusive statements"),
            ("Conflicts", [f"{c.kind}: {c.detail}" for c in summary.conflicts], "Conflicts"),
            (
                "Key quotes",
                [f"{_quoted(q.text, q.kind)} — {speaker_name(q)}" for q in summary.quotes],
                "Quotes",
            ),
        ]
        for label, items, section in lists:
            if not items:
                parts.append(Padding(Text(f"{label}: none", style="dim"), (0, 0, 0, 2)))
                continue
            kept, left_out = cut(items, n)
            parts.append(Padding(Text(f"{label}:", style="dim"), (0, 0, 0, 2)))
            parts.append(Padding(_more(_bullets(kept), left_out, f"see {section}"), (0, 0, 0, 4)))
    return Group(*parts) if parts else None


def _quoted(text: str, kind: str) -> str:
    return text if kind == "indirect" else f"“{text}”"


def _table(*headers: str) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    for header in headers:
        table.add_column(header, overflow="fold")
    return table


def _article_columns(table: Table, articles: tuple[ReportArticle, ...]) -> None:
    for art in articles:
        table.add_column(article_label(art), overflow="fold", ratio=1)


def _bullets(texts: Sequence[str]) -> Table:
    """A list whose wrapped lines hang under the text, not under the bullet."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for text in texts:
        grid.add_row("•", text)
    return grid


def _terms(terms: Sequence[Term]) -> str:
    return ", ".join(f"{t.text} ×{t.count}" for t in terms)


def _articles(report: Report) -> RenderableType | None:
    if not report.articles:
        return None
    table = _table("id", "outlet", "title", "published", "sentences")
    for art in report.articles:
        date = Text(article_date(art), style="yellow" if art.published_assumed else "")
        title = art.title or (f"({art.path})" if art.path else "(untitled)")
        table.add_row(art.id, art.source or "–", title, date, str(len(art.sentences)))
    return table


def _shared(report: Report, top: int | None = None) -> RenderableType | None:
    claims, left_out = cut(shared_claims(report), top)
    if not claims:
        return None
    table = _table("kind")
    table.columns[0].no_wrap = True
    _article_columns(table, report.articles)
    table.add_column("why", overflow="fold", ratio=1)
    table.show_lines = True
    for claim in claims:
        cells = ["\n".join(m.text for m in claim.members if m.article == art.id) for art in report.articles]
        style = "green" if claim.kind == "shared" else "yellow"
        kind = Text(f"{claim.kind}\n{format_score(claim.score)}", style=style)
        table.add_row(kind, *cells, Text(claim_reasons(claim), style="dim"))
    return _more(table, left_out)


def _exclusives(report: Report, top: int | None = None) -> RenderableType | None:
    exclusive = exclusive_texts(report, ranked=top is not None)
    if not any(exclusive.values()):
        return None
    parts: list[RenderableType] = []
    labels = {a.id: article_label(a) for a in report.articles}
    for article_id, texts in exclusive.items():
        parts.append(Text(f"{labels.get(article_id, article_id)} ({len(texts)})", style="bold"))
        kept, left_out = cut(texts, top)
        parts.append(Padding(_more(_bullets(kept), left_out), (0, 0, 0, 2)) if texts else _NONE)
    return Group(*parts)


def _quotes(report: Report, top: int | None = None) -> RenderableType | None:
    if not report.quotes:
        return None
    kept, left_out = cut(report.quotes, top)
    parts: list[RenderableType] = []
    for speaker, quotes in quotes_by_speaker(kept).items():
        parts.append(Text(speaker, style="bold"))
        table = _table("article", "kind", "cue", "quote")
        for q in quotes:
            table.add_row(q.article, q.kind, q.cue or "–", f"“{q.text}”" if q.kind != "indirect" else q.text)
        parts.append(Padding(table, (0, 0, 0, 2)))
    return _more(Group(*parts), left_out)


def _quote_matches(report: Report, top: int | None = None) -> RenderableType | None:
    if not report.quote_matches:
        return None
    matches, left_out = cut(report.quote_matches, top)
    table = _table("similarity", "speakers")
    _article_columns(table, report.articles)
    table.add_column("why", overflow="fold", ratio=1)
    table.show_lines = True
    for match in matches:
        quotes = match_quotes(report, match)
        speakers = Text(" / ".join(dict.fromkeys(speaker_name(q) for q in quotes)))
        if not match.same_speaker:
            speakers.append("\n⚠ different speakers", style="bold red")
        cells = ["\n".join(q.text for q in quotes if q.article == art.id) for art in report.articles]
        table.add_row(format_score(match.similarity), speakers, *cells)
    return _more(table, left_out)


def _entities(report: Report, top: int | None = None) -> RenderableType | None:
    if not report.entities:
        return None
    table = _table("name", "type", "roles")
    for art in report.articles:
        table.add_column(art.id, justify="right")
    entities, left_out = cut(report.entities, top)
    for ent in entities:
        name = Text(ent.name)
        others = [a for a in ent.aliases if a != ent.name]
        if others:
            name.append(f"\naka {', '.join(others)}", style="dim")
        counts = [str(ent.mentions.get(art.id, 0) or "–") for art in report.articles]
        table.add_row(name, ent.type, ", ".join(ent.roles) or "–", *counts)
    return _more(table, left_out)


def _timeline(report: Report, top: int | None = None) -> RenderableType | None:
    if not report.timeline:
        return None
    table = _table("when", "expression", "what", "articles")
    entries, left_out = cut(report.timeline, top)
    for entry in entries:
        when = Text(entry.when)
        if entry.relative:
            when.append(" (relative)", style="dim")
        table.add_row(when, entry.expression, entry.text, ", ".join(entry.articles))
    return _more(table, left_out)


def _conflicts(report: Report, top: int | None = None) -> RenderableType | None:
    if not report.conflicts:
        return None
    table = _table("kind", "detail", "statements")
    table.show_lines = True
    conflicts, left_out = cut(report.conflicts, top)
    for conflict in conflicts:
        statements = "\n".join(f"{m.article}: {m.text}" for m in conflict.members)
        table.add_row(Text(conflict.kind, style="red"), conflict.detail, statements)
    return _more(table, left_out)


def _framing(report: Report, top: int | None = None) -> RenderableType | None:
    if not report.framing:
        return None
    table = _table("concept")
    _article_columns(table, report.articles)
    concepts, left_out = cut(report.framing, top)
    for concept in concepts:
        cells = [_terms(concept.terms.get(art.id, ())) or "–" for art in report.articles]
        table.add_row(Text(concept.concept, style="bold"), *cells)
    return _more(table, left_out)


def _distinctive(report: Report, top: int | None = None) -> RenderableType | None:
    if not any(report.distinctive_terms.values()):
        return None
    table = _table("article", "terms")
    labels = {a.id: article_label(a) for a in report.articles}
    for article_id, terms in report.distinctive_terms.items():
        table.add_row(labels.get(article_id, article_id), _terms(cut(terms, top)[0]) or "–")
    return table


def _boilerplate(report: Report, top: int | None = None) -> RenderableType | None:
    lines, left_out = cut(boilerplate_lines(report), top)
    return _more(_bullets([f"{label}: {text}" for label, text in lines]), left_out) if lines else None


def _notes(report: Report, top: int | None = None) -> RenderableType | None:
    if not report.notes:
        return None
    notes, left_out = cut(report.notes, top)
    return _more(_bullets(notes), left_out)
