"""Renderers over a hand-built Report: every section shows, empty ones do not crash, JSON is the contract."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from parallax.errors import ConfigError
from parallax.model import (
    Claim,
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
        source="Daily Post",
        title=TITLE_A,
        published=dt.date(2024, 12, 3),
        url=None,
        sentences=_sentences("a", "The finance minister resigned on Tuesday.", LONG, "Markets fell 2%."),
    )
    b = ReportArticle(
        id="b",
        path="b.txt",
        source="The Courier",
        title=TITLE_B,
        published=dt.date(2024, 12, 3),
        url=None,
        sentences=_sentences("b", "Finance minister Jane Roe quit on Tuesday.", "Markets fell 3%."),
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


def test_html_is_one_self_contained_page(report: Report) -> None:
    page = render(report, "html")
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</html>")
    assert "<style>" in page and "<table>" in page
    assert not re.search(r"<(script|link|img)\b", page), "the page must not load anything"


def test_html_escapes_article_text() -> None:
    hostile = Report((), (), (), (), (), (), {}, (), (), notes=('<script>alert("x")</script> & <b>',))
    page = render(hostile, "html")
    assert "<script>" not in page and "&lt;script&gt;" in page
