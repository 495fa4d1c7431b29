"""Page furniture: datelines, bylines, credits and markup are marked, never lost, never quoted."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from parallax import Article, compare
from parallax.nlp import ParsedArticle
from parallax.nlp.boilerplate import boilerplate_line, dateline_length, mask_markup, without_markup
from parallax.nlp.segment import split_blocks


@pytest.mark.parametrize(
    "line",
    [
        "By Jane Doe",
        "By Jane Doe and John Roe, Reuters",
        "BY JANE DOE | AP",
        "Photo: Reuters",
        "[Photo: Reuters]",
        "(Photo by Jane Doe/Getty Images)",
        "Read more: Why the alliance matters",
        "READ MORE",
        "Watch: the minister's speech",
        "Advertisement",
        "Subscribe to our newsletter",
        "Copyright 2024 The Associated Press. All rights reserved.",
        "March 4, 2024 | 8:20 am",
        "Updated: 14 June 2024",
        "TUESDAY, MARCH 5, 2024 AT 1: 10PM EST",
    ],
)
def test_furniture_lines(line: str) -> None:
    assert boilerplate_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "By the way, the minister said so.",
        "Watchdog groups said the vote was fair.",
        "Listen to the experts, the minister said.",
        "Related talks will resume on Monday, officials said.",
        "Photographers were barred from the hall, a spokesman said on Tuesday evening in a statement.",
        "On March 4, 2024 the bridge closed.",
        "In May 2024",
    ],
)
def test_statements_are_not_furniture(line: str) -> None:
    assert not boilerplate_line(line)


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        ("MOSCOW (AP) -- Russia said", "MOSCOW (AP) -- "),
        ("WASHINGTON — The president", "WASHINGTON — "),
        ("KYIV, Ukraine (AP) — Ukraine", "KYIV, Ukraine (AP) — "),
        ("LONDON, Dec 3 (Reuters) - Britain", "LONDON, Dec 3 (Reuters) - "),
        ("NATO said on Tuesday", ""),
        ("US - China talks resume", ""),
        ("The US — and China — agreed", ""),
    ],
)
def test_datelines(text: str, dateline: str) -> None:
    assert text[: dateline_length(text)] == dateline


def test_markup_is_blanked_to_the_same_length() -> None:
    text = "[url=http://x.example/a]the statement[/url] and [Photo: Reuters] then [sic] [the ministry]"
    masked = mask_markup(text)
    assert len(masked) == len(text)
    assert without_markup(text) == "the statement and then [sic] [the ministry]"


def test_dateline_and_byline_become_blocks_of_their_own() -> None:
    text = "By Jane Doe\nMOSCOW (AP) -- Russia said on Tuesday that talks would resume.\n"
    blocks = split_blocks(text, max_chars=10_000)
    assert [(b.text, b.boilerplate) for b in blocks] == [
        ("By Jane Doe", True),
        ("MOSCOW (AP) --", True),
        ("Russia said on Tuesday that talks would resume.", False),
    ]
    assert all(text[b.start : b.end] == b.text for b in blocks)


@pytest.mark.model
def test_furniture_is_marked_and_kept_out_of_quotes(parse: Callable[..., ParsedArticle]) -> None:
    text = (
        "MOSCOW (AP) -- Russia said on Tuesday that [url=http://x.example]talks would resume[/url].\n"
        "[Photo: Reuters]\n"
        'Benjamin [Netanyahu] said: "We will win."'
    )
    parsed = parse(text)
    kinds = [(s.text, s.boilerplate) for s in parsed.sentences]
    assert kinds == [
        ("MOSCOW (AP) --", True),
        ("Russia said on Tuesday that talks would resume.", False),
        ("[Photo: Reuters]", True),
        ('Benjamin [Netanyahu] said: "We will win."', False),
    ]
    for s in parsed.sentences:  # offsets still point at the original text
        assert s.start < s.end <= len(text)
    report = compare([Article(text=text, outlet="AP", published="2024-12-03")])
    assert {q.text for q in report.quotes} >= {"talks would resume", "We will win."}
    assert all("]" not in (q.speaker.name if q.speaker else "") for q in report.quotes)


@pytest.mark.model
def test_run_on_text_is_cut_into_bounded_sentences(parse: Callable[..., ParsedArticle]) -> None:
    words = "the minister said police would report to the city council about the new state budget"
    text = " ".join([words] * 40)  # 600 words, not one punctuation mark
    parsed = parse(text)
    assert len(parsed.sentences) >= 6
    assert all(len(s.span) <= 100 for s in parsed.sentences)
    assert " ".join(s.text for s in parsed.sentences) == text


@pytest.mark.model
def test_absurdly_long_article_is_refused_with_a_clear_error() -> None:
    from parallax import IngestError, Settings

    with pytest.raises(IngestError, match="over the limit"):
        compare([Article(text="word " * 400)], settings=Settings(max_article_chars=1_000))


@pytest.mark.model
def test_boilerplate_joins_no_claim_and_a_story_too_big_is_refused() -> None:
    from parallax import ConfigError, Settings

    text = "MOSCOW (AP) -- Russia said on Tuesday that talks would resume in Geneva."
    report = compare([Article(text=text, outlet="AP"), Article(text=text.replace("AP", "Reuters"))])
    assert all("MOSCOW" not in m.text for c in report.claims for m in c.members)
    single = compare([Article(text=text)])
    assert [c.kind for c in single.claims] == ["exclusive"]
    story = [Article(text=" ".join([text] * 60)), Article(text=" ".join([text] * 60))]
    with pytest.raises(ConfigError, match="sentences together"):
        compare(story, settings=Settings(max_story_sentences=100))
