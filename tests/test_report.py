"""Renderers over a hand-built Report: every section shows, empty ones do not crash, JSON is the contract."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import re

import pytest
from markdown_it import MarkdownIt

from parallax.errors import ConfigError
from parallax.model import (
    Claim,
    ClaimEvidence,
    ClaimMember,
    Conflict,
    ConflictMember,
    Entity,
    FramingConcept,
    Quote,
    QuoteMatch,
    Report,
    ReportArticle,
    SentenceRef,
    Speaker,
    Term,
    TimelineEntry,
)
from parallax.report import FORMATS, SECTIONS, render
from parallax.report.markdown import escape

TITLE_A = "Minister resigns over | budget row"
TITLE_B = "Finance chief quits after weeks of pressure"
LONG = (
    "The minister, who had served in the post since the spring of last year and had survived two earlier "
    "votes of confidence, told reporters outside her office that she could no longer defend the figures."
)


def _sentences(prefix: str, *texts: str) -> tuple[SentenceRef, ...]:
    refs, start = [], 0
    for i, text in enumerate(texts):
        refs.append(SentenceRef(f"{prefix}s{i}", text, start, start + len(text)))
        start += len(text) + 1
    return tuple(refs)


def sample_report() -> Report:
    """Two outlets, one claim of each kind, quotes with and without a speaker, and every other section."""
    a = ReportArticle(
        id="a",
        path="a.txt",
        outlet="Daily Post",
        title=TITLE_A,
        published=dt.date(2024, 12, 3),
        url=None,
        sentences=_sentences("a", "The finance minister resigned on Tuesday.", LONG, "Markets fell 2%."),
    )
    b = ReportArticle(
        id="b",
        path="b.txt",
        outlet="The Courier",
        title=TITLE_B,
        published=dt.date(2024, 12, 3),
        url=None,
        sentences=(
            *_sentences("b", "Finance minister Jane Roe quit on Tuesday.", "Markets fell 3%."),
            SentenceRef("bs2", "Photo: Courier staff", 60, 80, boilerplate=True),
        ),
        published_assumed=True,
    )
    claims = (
        Claim(
            "c1",
            "shared",
            (
                ClaimMember("a", "as0", "The finance minister resigned on Tuesday."),
                ClaimMember("b", "bs0", "Finance minister Jane Roe quit on Tuesday."),
            ),
            0.91,
            ClaimEvidence(
                0.87, entities=("Jane Roe",), words=("finance", "minister"), differs=("figures: 2 / 3",)
            ),
        ),
        Claim(
            "c2",
            "partial",
            (ClaimMember("a", "as2", "Markets fell 2%."), ClaimMember("b", "bs1", "Markets fell 3%.")),
            0.63,
        ),
        Claim("c3", "exclusive", (ClaimMember("a", "as1", LONG),), 1.0),
    )
    quotes = (
        Quote(
            "q1",
            "a",
            "as1",
            "I can no longer defend the figures",
            "direct",
            Speaker("Jane Roe", "e1"),
            "said",
        ),
        Quote(
            "q2", "b", "bs0", "the figures were indefensible", "indirect", Speaker("Jane Roe", "e1"), "told"
        ),
        Quote("q3", "b", "bs1", "a sad day", "partial", None, None),
    )
    entities = (
        Entity("e1", "Jane Roe", "PERSON", ("Jane Roe", "Roe"), ("finance minister",), {"a": 2, "b": 3}),
        Entity("e2", "Treasury", "ORG", (), (), {"b": 1}),
    )
    framing = (
        FramingConcept(
            "the resignation", None, {"a": (Term("resigned", 1),), "b": (Term("quit", 1), Term("exit", 2))}
        ),
    )
    return Report(
        articles=(a, b),
        claims=claims,
        quotes=quotes,
        quote_matches=(QuoteMatch(("q1", "q2"), 0.81, True), QuoteMatch(("q1", "q3"), 0.62, False)),
        entities=entities,
        framing=framing,
        distinctive_terms={"a": (Term("budget row", 3, 2.5),), "b": (Term("pressure", 2, 1.7),)},
        conflicts=(
            Conflict(
                "number",
                (ConflictMember("a", "Markets fell 2%."), ConflictMember("b", "Markets fell 3%.")),
                "2% vs 3%",
            ),
        ),
        timeline=(
            TimelineEntry("2024-12-03", "on Tuesday", "The finance minister resigned", ("a", "b"), True),
            TimelineEntry("2023", "last year", "She took the post", ("a",)),
        ),
        notes=("b: no publication date given; relative dates are read against 2024-12-03",),
    )


def empty_report() -> Report:
    return Report((), (), (), (), (), (), {}, (), ())


@pytest.fixture
def report() -> Report:
    return sample_report()


def test_formats_are_named() -> None:
    assert FORMATS == ("terminal", "json", "markdown", "html")


def test_json_is_the_contract(report: Report) -> None:
    data = json.loads(render(report, "json"))
    assert data["schema"] == "parallax.report/1"
    assert [a["title"] for a in data["articles"]] == [TITLE_A, TITLE_B]
    assert data == report.to_dict()


def test_json_keeps_non_ascii(report: Report) -> None:
    text = render(Report((), (), (), (), (), (), {}, (), (), notes=("Zürich “quoted”",)), "json")
    assert "Zürich “quoted”" in text


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "html"])
def test_human_views_have_every_section_and_title(report: Report, fmt: str) -> None:
    text = render(report, fmt)
    for heading in SECTIONS:
        assert heading in text
    assert TITLE_B in text
    assert "Minister resigns over" in text and "budget row" in text
    assert "different speakers" in text
    assert "(assumed)" in text
    assert "Jane Roe" in text and "(no speaker found)" in text
    assert "Photo: Courier staff" in text.split("Boilerplate")[-1]  # shown as such, in its own section
    assert "P(same fact) 0.87" in text and "differs: figures: 2 / 3" in text  # each claim says why


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_report_renders(fmt: str) -> None:
    text = render(empty_report(), fmt)
    assert text.strip()


def test_empty_sections_say_none() -> None:
    assert "(none)" in render(empty_report(), "terminal")
    assert "_None._" in render(empty_report(), "markdown")


def test_terminal_wraps_at_word_boundaries(report: Report) -> None:
    text = render(report, "terminal", width=80)
    assert max(len(line) for line in text.splitlines()) <= 80
    tokens = set(text.split())
    assert all(word in tokens for word in LONG.split()), "a word was cut mid-way"
    assert "\x1b[" not in text


def test_terminal_color_only_when_asked(report: Report) -> None:
    assert "\x1b[" in render(report, "terminal", color=True)


def test_markdown_tables_are_well_formed(report: Report) -> None:
    text = render(report, "markdown")
    assert f"| {escape(TITLE_A)} |" in text
    assert "Minister resigns over \\| budget row" in text
    for block in text.split("\n\n"):
        rows = [line for line in block.splitlines() if line.startswith("|")]
        if rows:
            widths = {line.replace("\\|", "").count("|") for line in rows}
            assert len(widths) == 1, block
    assert text.startswith("# Parallax report\n")
    for heading in SECTIONS:
        assert f"\n## {heading}\n" in text


def test_markdown_escape() -> None:
    assert escape("a|b *c* [d]\nnext") == "a\\|b \\*c\\* \\[d\\] next"


def test_unknown_format_is_a_config_error(report: Report) -> None:
    with pytest.raises(ConfigError, match="unknown format 'xml'"):
        render(report, "xml")


# Every element the HTML view writes; article text must never add one.
HTML_TAGS = {"html", "head", "meta", "title", "style", "script", "body", "header", "nav", "section"}
HTML_TAGS |= {"article", "details", "summary", "div", "h1", "h2", "h3", "h4", "p", "small", "strong", "cite"}
HTML_TAGS |= {"q", "span", "sup", "a", "br", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td"}
HTML_TAGS |= {"mark"}  # the words of a shared fact that the other versions lack
# Markup that would run or load something: an event handler, a javascript: URL, a source to fetch.
ACTIVE_MARKUP = re.compile(r"<[^>]*(\bon\w+\s*=|javascript:|\bsrc=)", re.I)


def test_html_is_one_self_contained_page(report: Report) -> None:
    page = render(report, "html")
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</html>")
    assert "<style>" in page and "<table>" in page
    assert not re.search(r"<(link|img|iframe|object|embed)\b", page), "the page must not load anything"
    assert re.findall(r"<script([^>]*)>", page) == [""], "one inline script, nothing fetched"


def test_html_escapes_article_text() -> None:
    hostile = Report((), (), (), (), (), (), {}, (), (), notes=('<script>alert("x")</script> & <b>',))
    page = render(hostile, "html")
    assert page.count("<script>") == 1 and "&lt;script&gt;alert" in page  # the page's own script only


# Article text that means something to rich, Markdown or HTML; every view must show it as written.
HOSTILE = {
    "rich": "the ministry [the ministry] said [sic] [bold]loud[/bold] [/url] [url=http://x.example]it[/url]",
    "emphasis": "*bold* _em_ **strong** __under__ `code` ~~gone~~ \\* back\\slash",
    "links": "[x](http://x.example) ![img](http://x.example/a.png) <http://x.example> [ref]: /u",
    "html": '<script>alert(1)</script> <img src=x onerror="alert(2)"> <a href="javascript:alert(3)">go</a>',
    "entities": "AT&T &amp; &lt;b&gt; &#60;i&#62; &copy; a | b",
    "heading": "# Not a heading #",
    "list": "- not a list item",
    "plus": "+ not a list item",
    "ordered": "1999. Not a numbered list",
    "ordered_paren": "2) not a numbered list",
    "quote": "> not a block quote",
    "setext": "=== not an underline",
    "emoji": ":thumbs_up: :smile: stay as written",
}


def hostile_report(text: str) -> Report:
    """Every string a renderer shows, article text and names alike, set to `text`."""
    art = ReportArticle(
        id=text,
        path=text,
        outlet=text,
        title=text,
        published=dt.date(2024, 12, 3),
        url=None,
        sentences=(SentenceRef("s0", text, 0, len(text)),),
    )
    other = dataclasses.replace(art, id="other")
    members = (ClaimMember(text, "s0", text), ClaimMember("other", "s0", text))
    quotes = (
        Quote("q1", text, "s0", text, "direct", Speaker(text, "e1"), text),
        Quote("q2", "other", "s0", text, "indirect", Speaker(text, "e1"), text),
    )
    return Report(
        articles=(art, other),
        claims=(Claim("c1", "shared", members, 0.9), Claim("c2", "exclusive", members[:1], 1.0)),
        quotes=quotes,
        quote_matches=(QuoteMatch(("q1", "q2"), 0.8, False),),
        entities=(Entity("e1", text, "PERSON", (text, "other name"), (text,), {text: 1}),),
        framing=(FramingConcept(text, None, {text: (Term(text, 1),)}),),
        distinctive_terms={text: (Term(text, 2, 1.5),)},
        conflicts=(Conflict("number", (ConflictMember(text, text),), text),),
        timeline=(TimelineEntry("2024-12-03", text, text, (text,)),),
        notes=(text,),
    )


def _html_text(page: str) -> str:
    """What a browser shows of a page: tags dropped, character references decoded, spaces folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", page)).split())


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_terminal_shows_article_text_as_written(text: str) -> None:
    shown = render(hostile_report(text), "terminal", width=2000)
    lines = [line for line in shown.splitlines() if text in line]
    assert len(lines) >= 10, shown


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_markdown_shows_article_text_as_written(text: str) -> None:
    source = render(hostile_report(text), "markdown")
    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(source)
    inline = [child for tok in tokens for child in tok.children or ()]
    kinds = {t.type for t in [*tokens, *inline]}
    assert not kinds & {"link_open", "image", "code_inline", "s_open", "strong_open", "blockquote_open"}
    assert not kinds & {"html_block", "ordered_list_open"}
    assert {t.content for t in inline if t.type == "html_inline"} <= {"<br>"}
    # The summary and every section; per outlet a summary and an exclusive list, one speaker.
    headings = sorted(t.tag for t in tokens if t.type == "heading_open")
    assert headings == ["h1"] + ["h2"] * (len(SECTIONS) + 1) + ["h3"] * 5
    assert all(t.tag == "em" for t in inline if t.type == "em_open")  # only the _None._ marks
    texts = [t.content for t in inline if t.type == "text"]
    assert sum(text in t for t in texts) >= 10


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_html_shows_article_text_and_runs_nothing(text: str) -> None:
    page = render(hostile_report(text), "html")
    tags = set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", page))
    assert tags <= HTML_TAGS
    assert not ACTIVE_MARKUP.search(page)
    assert all(href.startswith("#") for href in re.findall(r"\bhref=\"([^\"]*)\"", page))
    assert _html_text(page).count(" ".join(text.split())) >= 10


def test_terminal_shows_control_characters_without_obeying_them() -> None:
    shown = render(hostile_report("red \x1b[31malert\x1b[0m bell\x07 nul\x00 csi\x9b end"), "terminal")
    assert "\x1b" not in shown and "\x07" not in shown and "\x00" not in shown and "\x9b" not in shown
    assert "red ␛[31malert␛[0m bell␇ nul␀ csi� end" in shown
    assert "\x1b[" in render(hostile_report("plain"), "terminal", color=True)  # its own styles stay


def test_markdown_escape_of_line_starts() -> None:
    assert escape("# h") == "\\# h"
    assert escape("- x") == "\\- x"
    assert escape("12. z") == "12\\. z"
    assert escape("In 1999. Then") == "In 1999. Then"
    assert escape("AT&T ~x~") == "AT\\&T \\~x\\~"
