"""The report as one self-contained HTML page: a summary, the outlets side by side, then panels.

One renderer for `parallax compare --format html` and the web app's result page. The page
opens with what matters (per outlet: what it shares, its top exclusives, conflicts and key
quotes), then shows every article's sentences in columns, each statement of a shared fact
in its fact's colour and number with the words no other outlet's version has marked (difflib
on words), partial matches dashed, exclusives dotted in the outlet's
colour, conflicts flagged inline with the other outlet's version; the long sections follow
in <details> panels. Everything is in the markup: the one inline script only lights up a
statement's matches across columns, so the page reads the same with JavaScript off.

Safety: every string from a report is escaped with html.escape and written as element text,
never into an attribute (ids, classes and data-* values are made here from counters); the
only links are in-page anchors and http(s) source URLs. The Content-Security-Policy meta lets
nothing load and runs only the script whose hash it names, so a hostile article's
`<script>` or `onerror=` is shown as text and, were it ever written as markup, still refused.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import html
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from urllib.parse import urlsplit

from parallax.model import Claim, Quote, Report, ReportArticle, SentenceRef, Term
from parallax.report.common import (
    SECTIONS,
    SUMMARY,
    SUMMARY_TOP,
    OutletSummary,
    article_date,
    article_label,
    boilerplate_lines,
    claim_reasons,
    format_score,
    match_quotes,
    outlet_summaries,
    quotes_by_speaker,
    shared_claims,
    speaker_name,
    summary_line,
)

__all__ = ["content_security_policy", "render_html", "script_hash"]

_CLAIM_COLOURS = 12  # .k0-.k11 in reading.css
_OUTLET_COLOURS = 8  # .o0-.o7 in reading.css


@cache
def _static(name: str) -> str:
    return resources.files("parallax.report").joinpath("static", name).read_text(encoding="utf-8")


def script_hash() -> str:
    """The CSP source naming the page's inline script, e.g. `'sha256-...'`."""
    digest = hashlib.sha256(_static("reading.js").encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy() -> str:
    """What the page may do: inline styles and its own script; no loads, no forms, no base URL."""
    return (
        f"default-src 'none'; style-src 'unsafe-inline'; script-src {script_hash()}; "
        "base-uri 'none'; form-action 'none'"
    )


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _safe_url(url: str | None) -> str | None:
    """A source URL worth linking: http(s) with a host; anything else (javascript:, data:) is not linked."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


@dataclass
class _Marks:
    """What the page says about one sentence: its facts, quote matches, conflicts, quotes."""

    claims: list[int] = field(default_factory=list)  # indexes into _Index.claims
    kind: str | None = None  # shared, partial or exclusive: the strongest of its claims
    quote_groups: list[int] = field(default_factory=list)
    conflicts: list[int] = field(default_factory=list)  # indexes into report.conflicts
    speakers: list[str] = field(default_factory=list)


@dataclass
class _Index:
    """The report seen sentence by sentence: DOM ids and marks, keyed by (article id, sentence id)."""

    report: Report
    claims: list[Claim]  # shared then partial: their order gives each fact its number and colour
    dom: dict[tuple[str, str], str] = field(default_factory=dict)
    marks: dict[tuple[str, str], _Marks] = field(default_factory=lambda: defaultdict(_Marks))
    column: dict[str, int] = field(default_factory=dict)  # article id -> column (and colour) index
    # (article id, sentence id) of a shared fact's statement -> the other outlets' statements of it
    versions: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def build(cls, report: Report) -> _Index:
        index = cls(report, shared_claims(report))
        by_text: dict[tuple[str, str], list[str]] = defaultdict(list)
        for col, art in enumerate(report.articles):
            index.column.setdefault(art.id, col)
            for n, sentence in enumerate(art.sentences):
                index.dom.setdefault((art.id, sentence.id), f"s-{col}-{n}")
                by_text[(art.id, sentence.text)].append(sentence.id)
        rank = {"shared": 0, "partial": 1, "exclusive": 2}
        for number, claim in enumerate(index.claims):
            for member in claim.members:
                marks = index.marks[(member.article, member.sentence)]
                if number not in marks.claims:
                    marks.claims.append(number)
        for claim in index.claims:
            if claim.kind != "shared":
                continue
            for member in claim.members:
                index.versions[(member.article, member.sentence)].extend(
                    other.text for other in claim.members if other.article != member.article
                )
        for claim in report.claims:
            for member in claim.members:
                marks = index.marks[(member.article, member.sentence)]
                if marks.kind is None or rank[claim.kind] < rank[marks.kind]:
                    marks.kind = claim.kind
        for group, match in enumerate(report.quote_matches):
            for quote in match_quotes(report, match):
                index.marks[(quote.article, quote.sentence)].quote_groups.append(group)
        for number, conflict in enumerate(report.conflicts):
            for side in conflict.members:
                for sentence_id in by_text.get((side.article, side.text), []):
                    index.marks[(side.article, sentence_id)].conflicts.append(number)
        for quote in report.quotes:
            speakers = index.marks[(quote.article, quote.sentence)].speakers
            if speaker_name(quote) not in speakers:
                speakers.append(speaker_name(quote))
        return index

    def anchor(self, article: str, sentence: str) -> str | None:
        dom = self.dom.get((article, sentence))
        return f"#{dom}" if dom else None

    def outlet_class(self, article: str) -> str:
        return f"o{self.column.get(article, 0) % _OUTLET_COLOURS}"


def render_html(report: Report) -> str:
    """A complete HTML document that needs no network and no other file."""
    index = _Index.build(report)
    titles = [a.title for a in report.articles if a.title]
    title = f"Parallax report: {titles[0]}" if titles else "Parallax report"
    csp = content_security_policy()
    body = "\n".join(
        [
            _header(report, titles),
            _summary(index),
            _reading(index),
            *_panels(index),
        ]
    )
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{_e(title)}</title>\n<style>\n{_static('reading.css')}</style>\n</head>\n<body>\n"
        f"{body}\n<script>{_static('reading.js')}</script>\n</body>\n</html>\n"
    )


def _header(report: Report, titles: Sequence[str]) -> str:
    subtitle = f"<small>{_e(titles[0])}</small>" if titles else ""
    links = [("summary", "Summary"), ("reading", "Side by side")]
    links += [(_section_id(name), name) for name in SECTIONS]
    nav = " ".join(f'<a href="#{anchor}">{_e(name)}</a>' for anchor, name in links)
    outlets = len(report.articles)
    return (
        f'<header class="top">\n<h1>Parallax report{subtitle}</h1>\n'
        f'<p class="meta">{outlets} article{"s" if outlets != 1 else ""} compared</p>\n'
        f'<nav class="contents" aria-label="Contents">{nav}</nav>\n</header>'
    )


def _section_id(name: str) -> str:
    return "sec-" + name.lower().replace(" ", "-")


# --- the summary -------------------------------------------------------------------------------


def _summary(index: _Index) -> str:
    report = index.report
    cards = "\n".join(_card(index, col, summary) for col, summary in enumerate(outlet_summaries(report)))
    notes = ""
    if report.notes:
        items = "".join(f"<li>{_e(n)}</li>" for n in report.notes)
        notes = f'<div class="notes" role="note"><strong>Read with care:</strong><ul>{items}</ul></div>\n'
    disagree = (
        f"<h3>Where they disagree ({len(report.conflicts)})</h3>\n"
        f"{_conflict_list(index, range(len(report.conflicts)))}"
        if report.conflicts
        else '<p class="none">No conflicting figures, dates, speakers or statements found.</p>'
    )
    return (
        f'<section id="summary" aria-labelledby="summary-h">\n<h2 id="summary-h">{SUMMARY}</h2>\n{notes}'
        f'<div class="cards">\n{cards}\n</div>\n{disagree}\n</section>'
    )


def _card(index: _Index, col: int, summary: OutletSummary) -> str:
    art = summary.article
    conflicts = [i for i, c in enumerate(index.report.conflicts) if c in summary.conflicts]
    figures = re.sub(r"\d+%?", lambda m: f"<strong>{m[0]}</strong>", _e(summary_line(summary)))
    parts = [
        f'<article class="card {index.outlet_class(art.id)}" aria-labelledby="card-{col}">',
        f'<h3 id="card-{col}"><a href="#col-{col}">{_e(article_label(art))}</a></h3>',
        f'<p class="meta">{_article_meta(art)}</p>',
        f'<p class="figures">{figures}.</p>',
        "<h4>Top exclusives</h4>",
        _linked_list(index, [(m.article, m.sentence, m.text) for m in summary.exclusives])
        if summary.exclusives
        else '<p class="none">None: everything it says, another outlet says too.</p>',
        f"<h4>Conflicts ({len(conflicts)})</h4>",
        _conflict_list(index, conflicts, brief=True) if conflicts else '<p class="none">None found.</p>',
        "<h4>Key quotes</h4>",
        _quote_list(index, summary.quotes[:SUMMARY_TOP])
        if summary.quotes
        else '<p class="none">No quotes found.</p>',
        "</article>",
    ]
    return "\n".join(parts)


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _article_meta(art: ReportArticle) -> str:
    bits = [f"published {_e(article_date(art))}", f"{len(art.sentences)} sentences"]
    if art.title:
        bits.insert(0, f"<cite>{_e(art.title)}</cite>")
    if art.url:
        bits.append(_source(art))
    return " · ".join(bits)


def _source(art: ReportArticle) -> str:
    """A link to the article's page when its URL is http(s); any other URL is shown as text, not linked."""
    url = _safe_url(art.url)
    if url:
        return f'<a href="{_e(url)}" rel="noopener noreferrer nofollow">source</a>'
    return f"source: {_e(art.url)}" if art.url else "–"


def _linked_list(index: _Index, items: Sequence[tuple[str, str, str]]) -> str:
    """The first SUMMARY_TOP (article, sentence, text) as a list, each linked to its place in the columns."""
    lines = []
    for article, sentence, text in items[:SUMMARY_TOP]:
        anchor = index.anchor(article, sentence)
        inner = f'<a href="{anchor}">{_e(text)}</a>' if anchor else _e(text)
        lines.append(f"<li>{inner}</li>")
    more = len(items) - SUMMARY_TOP
    tail = f'<p class="meta">and {more} more below.</p>' if more > 0 else ""
    return f"<ol>{''.join(lines)}</ol>{tail}"


def _quote_text(quote: Quote) -> str:
    return _e(quote.text) if quote.kind == "indirect" else f"“{_e(quote.text)}”"


def _quote_list(index: _Index, quotes: Iterable[Quote]) -> str:
    lines = []
    for q in quotes:
        anchor = index.anchor(q.article, q.sentence)
        text = f'<a href="{anchor}">{_quote_text(q)}</a>' if anchor else _quote_text(q)
        lines.append(f'<li>{text} <span class="who">— {_e(speaker_name(q))}</span></li>')
    return f"<ul>{''.join(lines)}</ul>"


def _conflict_list(index: _Index, numbers: Iterable[int], *, brief: bool = False) -> str:
    report = index.report
    labels = {a.id: article_label(a) for a in report.articles}
    lines = []
    for number in numbers:
        conflict = report.conflicts[number]
        head = f'<span class="warn">{_e(conflict.kind)}</span>: {_e(conflict.detail)}'
        if brief:
            lines.append(f"<li>{head}</li>")
            continue
        versions = "".join(
            f"<li>{_e(labels.get(m.article, m.article))}: <q>{_e(m.text)}</q></li>" for m in conflict.members
        )
        lines.append(f"<li>{head}<ul>{versions}</ul></li>")
    return f'<ul class="conflicts-list">{"".join(lines)}</ul>'


# --- the columns --------------------------------------------------------------------------------


def _reading(index: _Index) -> str:
    report = index.report
    legend = (
        '<p class="legend">'
        '<span class="s shared k0">shared fact<sup class="tag k">1</sup></span> '
        '<span class="s partial k1">partial match<sup class="tag p">2</sup></span> '
        '<span class="s excl o0">only this outlet<sup class="tag x">only</sup></span> '
        '<span class="s conflict">conflict</span> '
        '<span class="s shared k0">words <mark class="diff">only this version</mark> has</span> '
        '<span class="who">— speaker of a quote</span><br>'
        '<span class="hint">Hover, click or Tab to a marked sentence to light up the same fact in the '
        "other columns; Enter moves to its next match, Esc clears.</span></p>"
    )
    columns = "\n".join(_column(index, col, art) for col, art in enumerate(report.articles))
    body = (
        f'<div class="columns">\n{columns}\n</div>' if report.articles else '<p class="none">No articles.</p>'
    )
    return (
        '<section id="reading" aria-labelledby="reading-h">\n<h2 id="reading-h">Side by side</h2>\n'
        f"{legend}\n{body}\n</section>"
    )


def _column(index: _Index, col: int, art: ReportArticle) -> str:
    sentences = "\n".join(_sentence(index, art, n, s) for n, s in enumerate(art.sentences))
    return (
        f'<article class="column {index.outlet_class(art.id)}" id="col-{col}" '
        f'aria-labelledby="col-{col}-h">\n'
        f'<header><h3 id="col-{col}-h">{_e(article_label(art))}</h3>'
        f'<p class="meta">{_article_meta(art)}</p></header>\n'
        f'<div class="column-text">\n{sentences}\n</div>\n</article>'
    )


def _sentence(index: _Index, art: ReportArticle, n: int, sentence: SentenceRef) -> str:
    """One sentence as a paragraph: its marks as classes, numbers and notes; its text escaped."""
    marks = index.marks.get((art.id, sentence.id), _Marks())
    dom = index.dom.get((art.id, sentence.id), f"s-x-{n}")
    classes = ["s"]
    attrs = [f'id="{dom}"']
    tags = ""
    if sentence.heading:
        classes.append("head")
    if sentence.boilerplate:
        classes.append("boiler")
    if marks.claims:
        first = index.claims[marks.claims[0]]
        classes += ["shared" if first.kind == "shared" else "partial", f"k{marks.claims[0] % _CLAIM_COLOURS}"]
        attrs.append(f'data-claim="{" ".join(f"f{c + 1}" for c in marks.claims)}"')
        tags = "".join(_fact_tag(index, c) for c in marks.claims)
    elif marks.kind == "exclusive":
        classes.append("excl")
        tags = '<sup class="tag x">only</sup>'
    if marks.quote_groups:
        attrs.append(f'data-quote="{" ".join(f"q{g + 1}" for g in marks.quote_groups)}"')
    if marks.claims or marks.quote_groups:
        attrs.append('tabindex="0"')
    if marks.conflicts:
        classes.append("conflict")
    who = f' <span class="who">— {_e(", ".join(marks.speakers))}</span>' if marks.speakers else ""
    notes = "".join(_conflict_note(index, art.id, number) for number in marks.conflicts)
    text = _marked_differences(sentence.text, index.versions.get((art.id, sentence.id), []))
    span = f'<span class="{" ".join(classes)}" {" ".join(attrs)}>{text}</span>'
    return f"<p>{span}{tags}{who}{notes}</p>"


_WORD = re.compile(r"\S+")
_EDGE_PUNCT = re.compile(r"^\W+|\W+$")


def _word_key(word: str) -> str:
    """A word as the comparison sees it: lower case, without the punctuation around it."""
    return _EDGE_PUNCT.sub("", word).casefold()


def _marked_differences(text: str, others: Sequence[str]) -> str:
    """`text` escaped, its words that no other version has (by difflib, word by word) in <mark class="diff">.

    A statement that shares no word with the others, or has no other, is left unmarked: marking
    all of it would say nothing.
    """
    words = list(_WORD.finditer(text))
    keys = [_word_key(w[0]) for w in words]
    kept = [False] * len(words)
    for other in others:
        other_keys = [_word_key(w) for w in other.split()]
        matcher = difflib.SequenceMatcher(None, keys, other_keys, autojunk=False)
        for block in matcher.get_matching_blocks():
            for i in range(block.a, block.a + block.size):
                kept[i] = True
    differs = [not k and bool(key) for k, key in zip(kept, keys, strict=True)]
    if not others or not any(kept) or not any(differs):
        return _e(text)
    out, pos, i = [], 0, 0
    while i < len(words):
        if not differs[i]:
            i += 1
            continue
        j = i
        while True:  # extend over the differing words that follow, and over bare punctuation between them
            k = j + 1
            while k < len(words) and not keys[k]:
                k += 1
            if k < len(words) and differs[k]:
                j = k
            else:
                break
        start, end = words[i].start(), words[j].end()
        out.append(_e(text[pos:start]))
        out.append(f'<mark class="diff">{_e(text[start:end])}</mark>')
        pos, i = end, j + 1
    out.append(_e(text[pos:]))
    return "".join(out)


def _fact_tag(index: _Index, number: int) -> str:
    """A fact's number in its colour, solid if shared, dashed if partial: colour is never the only cue."""
    kind = "k" if index.claims[number].kind == "shared" else "p"
    return f'<sup class="tag {kind} k{number % _CLAIM_COLOURS}">{number + 1}</sup>'


def _conflict_note(index: _Index, article: str, number: int) -> str:
    """The other outlets' versions of a conflicting statement, shown under it."""
    conflict = index.report.conflicts[number]
    labels = {a.id: article_label(a) for a in index.report.articles}
    others = [m for m in conflict.members if m.article != article] or list(conflict.members)
    versions = "; ".join(f"{_e(labels.get(m.article, m.article))}: <q>{_e(m.text)}</q>" for m in others)
    return (
        f'<span class="conflict-note" role="note"><strong>⚠ Conflict ({_e(conflict.kind)})</strong>: '
        f"{_e(conflict.detail)}. Other version{_s(len(others))}: {versions}</span>"
    )


# --- the panels -------------------------------------------------------------------------------


def _panels(index: _Index) -> list[str]:
    report = index.report
    bodies: list[tuple[str, int]] = [
        _articles(report),
        _shared(index),
        _exclusives(index),
        _quotes(index),
        _quote_matches(index),
        _entities(report),
        _timeline(report),
        (_conflict_list(index, range(len(report.conflicts))), len(report.conflicts))
        if report.conflicts
        else ("", 0),
        _framing(report),
        _distinctive(report),
        _plain_list([f"{label}: {text}" for label, text in boilerplate_lines(report)]),
        _plain_list(list(report.notes)),
    ]
    out = []
    for name, (body, count) in zip(SECTIONS, bodies, strict=True):
        content = body or '<p class="none">None.</p>'
        out.append(
            f'<details class="panel" id="{_section_id(name)}">\n<summary><h2>{_e(name)}</h2>'
            f'<span class="count">({count})</span></summary>\n{content}\n</details>'
        )
    return out


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = ()) -> str:
    """A table of already-escaped cells."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>" for i, c in enumerate(row))
        + "</tr>"
        for row in rows
    )
    return f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _lines(texts: Iterable[str]) -> str:
    return "<br>".join(_e(t) for t in texts)


def _plain_list(texts: Sequence[str]) -> tuple[str, int]:
    return (f"<ul>{''.join(f'<li>{_e(t)}</li>' for t in texts)}</ul>" if texts else "", len(texts))


def _labels(report: Report) -> list[str]:
    return [_e(article_label(a)) for a in report.articles]


def _articles(report: Report) -> tuple[str, int]:
    rows = [
        [
            _e(a.id),
            _e(a.source or "–"),
            _e(a.title or a.path or "(untitled)"),
            _e(article_date(a)),
            str(len(a.sentences)),
            _source(a),
        ]
        for a in report.articles
    ]
    headers = ["id", "outlet", "title", "published", "sentences", "source"]
    return (_table(headers, rows, numeric=[4]) if rows else "", len(rows))


def _linked_text(index: _Index, article: str, sentence: str, text: str) -> str:
    anchor = index.anchor(article, sentence)
    return f'<a href="{anchor}">{_e(text)}</a>' if anchor else _e(text)


def _shared(index: _Index) -> tuple[str, int]:
    report = index.report
    rows = []
    for number, claim in enumerate(index.claims):
        fact = f"{_fact_tag(index, number)} {_e(claim.kind)} {format_score(claim.score)}"
        cells = [
            "<br>".join(
                _linked_text(index, m.article, m.sentence, m.text) for m in claim.members if m.article == a.id
            )
            for a in report.articles
        ]
        rows.append([fact, *cells, _lines(claim_reasons(claim).split("\n"))])
    return (_table(["fact", *_labels(report), "why"], rows) if rows else "", len(rows))


def _exclusives(index: _Index) -> tuple[str, int]:
    report = index.report
    parts = []
    total = 0
    for art in report.articles:
        claims = [
            c for c in report.claims if c.kind == "exclusive" and any(m.article == art.id for m in c.members)
        ]
        items = [
            f"<li>{_linked_text(index, m.article, m.sentence, m.text)}</li>"
            for c in claims
            for m in c.members
            if m.article == art.id
        ]
        total += len(items)
        body = f"<ul>{''.join(items)}</ul>" if items else '<p class="none">None.</p>'
        parts.append(f"<h3>{_e(article_label(art))} ({len(items)})</h3>{body}")
    return ("\n".join(parts) if total else "", total)


def _quotes(index: _Index) -> tuple[str, int]:
    report = index.report
    parts = []
    for speaker, quotes in quotes_by_speaker(report.quotes).items():
        rows = [
            [
                _e(q.article),
                _e(q.kind),
                _e(q.cue or "–"),
                _linked_quote(index, q),
            ]
            for q in quotes
        ]
        parts.append(f"<h3>{_e(speaker)}</h3>{_table(['article', 'kind', 'cue', 'quote'], rows)}")
    return ("\n".join(parts), len(report.quotes))


def _linked_quote(index: _Index, quote: Quote) -> str:
    anchor = index.anchor(quote.article, quote.sentence)
    return f'<a href="{anchor}">{_quote_text(quote)}</a>' if anchor else _quote_text(quote)


def _quote_matches(index: _Index) -> tuple[str, int]:
    report = index.report
    rows = []
    for match in report.quote_matches:
        quotes = match_quotes(report, match)
        speakers = _e(" / ".join(dict.fromkeys(speaker_name(q) for q in quotes)))
        if not match.same_speaker:
            speakers += '<br><span class="warn">⚠ different speakers</span>'
        cells = [
            "<br>".join(_linked_quote(index, q) for q in quotes if q.article == a.id) for a in report.articles
        ]
        rows.append([format_score(match.similarity), speakers, *cells])
    return (
        _table(["similarity", "speakers", *_labels(report)], rows, numeric=[0]) if rows else "",
        len(rows),
    )


def _entities(report: Report) -> tuple[str, int]:
    rows = []
    for ent in report.entities:
        others = [a for a in ent.aliases if a != ent.name]
        name = _e(ent.name) + (f'<br><span class="meta">aka {_e(", ".join(others))}</span>' if others else "")
        counts = [str(ent.mentions.get(a.id, 0) or "–") for a in report.articles]
        rows.append([name, _e(ent.type), _e(", ".join(ent.roles) or "–"), *counts])
    numeric = range(3, 3 + len(report.articles))
    headers = ["name", "type", "roles", *[_e(a.id) for a in report.articles]]
    return (_table(headers, rows, numeric=list(numeric)) if rows else "", len(rows))


def _timeline(report: Report) -> tuple[str, int]:
    rows = [
        [
            _e(t.when) + (' <span class="meta">(relative)</span>' if t.relative else ""),
            _e(t.expression),
            _e(t.text),
            _e(", ".join(t.articles)),
        ]
        for t in report.timeline
    ]
    return (_table(["when", "expression", "what", "articles"], rows) if rows else "", len(rows))


def _terms(terms: Iterable[Term]) -> str:
    return _e(", ".join(f"{t.text} ×{t.count}" for t in terms))


def _framing(report: Report) -> tuple[str, int]:
    rows = [
        [
            f"<strong>{_e(f.concept)}</strong>",
            *[_terms(f.terms.get(a.id, ())) or "–" for a in report.articles],
        ]
        for f in report.framing
    ]
    return (_table(["concept", *_labels(report)], rows) if rows else "", len(rows))


def _distinctive(report: Report) -> tuple[str, int]:
    labels = {a.id: article_label(a) for a in report.articles}
    rows = [[_e(labels.get(k, k)), _terms(v) or "–"] for k, v in report.distinctive_terms.items()]
    has_any = any(report.distinctive_terms.values())
    return (_table(["article", "terms"], rows) if has_any else "", len(rows) if has_any else 0)
