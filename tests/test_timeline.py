"""Timeline: resolving time expressions against a publication date, and building entries from parsed text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pytest

from parallax.model import Article
from parallax.nlp import ParsedArticle
from parallax.settings import Settings
from parallax.timeline import build_timeline
from parallax.timeline.extract import Mention, merge_mentions
from parallax.timeline.resolve import resolve, split_expression

PUB = dt.date(2024, 12, 3)  # a Tuesday
SETTINGS = Settings()


def when(expression: str, tense: str | None = None, pub: dt.date = PUB) -> str | None:
    found = resolve(expression, pub, SETTINGS, tense)  # type: ignore[arg-type]
    return found.when if found else None


@pytest.mark.parametrize(
    ("expression", "tense", "expected"),
    [
        ("Tuesday", "past", "2024-12-03"),
        ("Tuesday", "future", "2024-12-03"),
        ("Monday", "past", "2024-12-02"),
        ("Monday", "future", "2024-12-09"),
        ("Friday", None, "2024-12-06"),
        ("Sunday", None, "2024-12-01"),
        ("last Tuesday", None, "2024-11-26"),
        ("next Tuesday", None, "2024-12-10"),
        ("yesterday", None, "2024-12-02"),
        ("late yesterday", None, "2024-12-02"),
        ("tomorrow", None, "2024-12-04"),
        ("last week", None, "2024-11"),
        ("this week", None, "2024-12"),
        ("next week", None, "2024-12"),
        ("last month", None, "2024-11"),
        ("this month", None, "2024-12"),
        ("earlier this year", None, "2024"),
        ("Earlier this year", None, "2024"),
        ("last year", None, "2023"),
        ("early next year", None, "2025"),
        ("two years ago", None, "2022"),
        ("10 days ago", None, "2024-11-23"),
        ("1994", None, "1994"),
        ("fiscal 1989", None, "1989"),
        ("mid-1996", None, "1996"),
        ("the end of 1990", None, "1990"),
        ("August 1988", None, "1988-08"),
        ("Oct. 15, 1999", None, "1999-10-15"),
        ("3 December 2024", None, "2024-12-03"),
        ("January", "future", "2025-01"),
        ("January", "past", "2024-01"),
        ("June", None, "2024-06"),
        ("last April", None, "2024-04"),
        ("Dec. 15", "past", "2024-12-15"),
        ("Nov. 28", None, "2024-11-28"),
        ("Jan. 5", None, "2025-01-05"),
    ],
)
def test_resolves_points(expression: str, tense: str | None, expected: str) -> None:
    assert when(expression, tense) == expected


def test_relative_flag() -> None:
    assert resolve("Tuesday", PUB, SETTINGS, "past") == resolve("Tuesday", PUB, SETTINGS)
    found = resolve("1994", PUB, SETTINGS)
    assert found is not None and not found.relative
    found = resolve("last week", PUB, SETTINGS)
    assert found is not None and found.relative


def test_last_week_month_follows_most_of_the_week() -> None:
    # Published Monday 2 December: last week ran 25 Nov - 1 Dec, mostly November.
    assert when("last week", pub=dt.date(2024, 12, 2)) == "2024-11"
    # Published Monday 9 September: last week ran 2-8 September.
    assert when("last week", pub=dt.date(2024, 9, 9)) == "2024-09"


@pytest.mark.parametrize(
    "expression",
    [
        "20 years",
        "at least 20 years",
        "years",
        "weeks",
        "the 1990s",
        "the '90s",
        "now",
        "recently",
        "the past",
        "every Monday",
        "Tuesday night",
        "this morning",
        "the day",
        "a few years ago",
        "Soviet-era",
        "the third quarter",
        "15",
        "the past year",
        "33-year-old",
    ],
)
def test_drops_what_is_no_calendar_point(expression: str) -> None:
    assert resolve(expression, PUB, SETTINGS) is None


def test_split_expression() -> None:
    assert split_expression("Tuesday and Wednesday") == ["Tuesday", "Wednesday"]
    assert split_expression("between 1990 and 1995") == ["between 1990", "1995"]
    assert split_expression("Oct. 15, 1999") == ["Oct. 15, 1999"]
    assert split_expression("weeks or even months") == ["weeks or even months"]


def _mention(article: str, when: str, expression: str, text: str, order: int) -> Mention:
    return Mention(article, 0, order, when, expression, text, True)


def test_merge_joins_articles_on_same_date_and_event() -> None:
    mentions = [
        _mention("a", "2024-12-03", "Tuesday", "The minister wrote to the alliance on Tuesday.", 0),
        _mention("a", "1994", "1994", "The treaty was signed in 1994.", 1),
        _mention("b", "2024-12-03", "Tuesday", "On Tuesday the minister wrote to the alliance partners.", 2),
        _mention("b", "2024-12-03", "Tuesday", "A spokesman answered on Tuesday.", 3),
    ]
    vectors = [np.array([1.0, 0.0]), np.array([0.0, 1.0]), np.array([0.9, 0.436]), np.array([0.0, 1.0])]
    entries = merge_mentions(mentions, vectors, SETTINGS)
    assert [e.when for e in entries] == ["1994", "2024-12-03", "2024-12-03"]
    assert entries[1].articles == ("a", "b")
    assert entries[2].articles == ("b",)
    assert entries[2].text == "A spokesman answered on Tuesday."


@pytest.mark.model
def test_build_timeline_from_text(parse: Callable[..., ParsedArticle], settings: Settings) -> None:
    text = (
        "The council approved the plan on Tuesday and Wednesday.\n"
        "The company was founded in 1987 and has grown for 20 years.\n"
        "The ministers will meet again on Friday.\n"
        "Last week the mayor resigned, and the vote is due in January."
    )
    entries = build_timeline([parse(text, published="2024-12-03")], settings)
    got = {(e.when, e.expression) for e in entries}
    assert ("2024-12-03", "Tuesday") in got
    assert ("1987", "1987") in got
    assert ("2024-12-06", "Friday") in got
    assert ("2025-01", "January") in got
    assert any(e.when == "2024-11" and e.expression.lower() == "last week" for e in entries)
    assert not any("20 years" in e.expression for e in entries)
    assert [e.when for e in entries] == sorted(e.when for e in entries)
    founded = next(e for e in entries if e.when == "1987")
    assert "founded" in founded.text and not founded.relative


@pytest.mark.model
def test_build_timeline_merges_across_articles(
    parse_many: Callable[[list[Article]], list[ParsedArticle]], settings: Settings
) -> None:
    parsed = parse_many(
        [
            Article(
                text="The central bank raised interest rates on Tuesday.", published="2024-12-03", id="x"
            ),
            Article(
                text="On Tuesday the central bank raised its interest rate.", published="2024-12-03", id="y"
            ),
        ]
    )
    entries = build_timeline(parsed, settings)
    assert len(entries) == 1
    assert entries[0].articles == ("x", "y")
    assert entries[0].when == "2024-12-03"
