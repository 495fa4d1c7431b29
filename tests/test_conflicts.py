"""Conflicts on small hand-written stories: each kind, and the near misses that must stay quiet."""

from __future__ import annotations

import pytest

from parallax import compare
from parallax.conflicts import Figure, agree, figures
from parallax.conflicts.find import _misquote
from parallax.model import Article, Conflict


def _figure(value: float, text: str, unit: float = 1.0, hedged: bool = False) -> Figure:
    return Figure(value, text, "people", "kill", hedged, unit)


def test_figures_agree_through_rounding_and_hedges() -> None:
    assert agree(_figure(4000, "4,000", unit=1000), _figure(4156, "4,156"), 0.1)
    assert agree(_figure(4, "4", unit=1), _figure(4.4, "4.4", unit=0.1), 0.1)
    assert agree(_figure(1700, "1,700", hedged=True), _figure(1650, "1,650"), 0.1)
    assert not agree(_figure(12, "12"), _figure(15, "15"), 0.1)
    assert not agree(_figure(10, "10"), _figure(12, "12"), 0.1)  # small round numbers are counts


def test_misquote_is_a_name_or_number_changed_inside_the_same_words() -> None:
    def words(text: str) -> list[str]:
        return text.split()

    said = words("we will meet Obama in Paris")
    assert _misquote(said, words("then we will meet Osborne in Paris today")) == [("Obama", "Osborne")]
    assert _misquote(said, words("we will meet [Obama] in Paris")) is None  # an editor's insertion
    assert _misquote(words("we will visit Kiev next week"), words("we will visit Kyiv next week")) is None
    assert _misquote(said, words("they said nothing about the weather at all")) is None


def _conflicts(*texts: str, published: str | None = "2024-03-10") -> tuple[Conflict, ...]:
    articles = [
        Article(text=t, id=chr(ord("a") + i), outlet=f"Outlet {i}", published=published)
        for i, t in enumerate(texts)
    ]
    return compare(articles).conflicts


@pytest.mark.model
def test_figures_read_scales_hedges_and_hyphenated_words(parse) -> None:
    sent = parse("About 1.7 million people fled, and 300 soldiers stayed.").sentences[0]
    found = {(f.counts, f.value, f.hedged) for f in figures(sent)}
    assert ("people", 1_700_000.0, True) in found
    assert ("soldier", 300.0, False) in found
    words = parse("Thirty-two soldiers have been killed since May.").sentences[0]
    assert [(f.value, f.role) for f in figures(words)] == [(32.0, "kill")]


@pytest.mark.model
def test_one_outlet_against_the_rest_is_a_number_conflict_with_the_odd_one_first() -> None:
    crew = "The fishing boat sank off the northern coast on Monday with {} crew members on board."
    conflicts = _conflicts(crew.format(7), crew.format("seven"), crew.format(6))
    numbers = [c for c in conflicts if c.kind == "number"]
    assert len(numbers) == 1
    assert numbers[0].detail.startswith("c gives 6 crew members; a and b give 7")
    assert [m.article for m in numbers[0].members] == ["c", "a", "b"]


@pytest.mark.model
def test_agreeing_or_differently_counted_figures_are_no_conflict() -> None:
    rounded = _conflicts(
        "The virus infected 4,000 people in the region last year, health officials said.",
        "The virus infected 4,156 people in the region last year, health officials said.",
    )
    other_action = _conflicts(
        "The storm killed 12 people in the coastal city on Monday.",
        "The storm injured 15 people in the coastal city on Monday.",
    )
    assert not rounded and not [c for c in other_action if c.kind == "number"]


@pytest.mark.model
def test_figures_over_different_spans_are_no_conflict() -> None:
    season = _conflicts(
        "Playing in a combined 157 games with the Angels and Braves, Teixeira had 33 homers and 121 RBIs.",
        "After the trade, Teixeira hit .358 with 13 homers and 43 RBIs in 54 games with the Angels.",
    )
    assert not [c for c in season if c.kind == "number"]
    same_span = _conflicts(
        "Teixeira hit 13 homers and drove in 43 RBIs in 54 games with the Angels last season.",
        "Teixeira hit 13 homers and drove in 48 RBIs in 54 games with the Angels last season.",
    )
    assert [c.kind for c in same_span] == ["number"]


@pytest.mark.model
def test_two_explicit_days_for_one_event_are_a_date_conflict() -> None:
    conflicts = _conflicts(
        "The two governments signed the border treaty in Geneva on March 3, 2024.",
        "The two governments signed the border treaty in Geneva on March 5, 2024.",
    )
    dates = [c for c in conflicts if c.kind == "date"]
    assert len(dates) == 1 and "2024-03-03" in dates[0].detail and "2024-03-05" in dates[0].detail


@pytest.mark.model
def test_weekdays_conflict_against_given_dates_but_not_the_day_someone_spoke() -> None:
    sank = "The cargo ship sank off the northern coast on {} with twelve crew members on board."
    dates = [
        c
        for c in _conflicts(
            sank.format("Monday"), sank.format("Monday"), sank.format("Tuesday"), published="2024-05-08"
        )
        if c.kind == "date"
    ]
    assert len(dates) == 1
    assert dates[0].detail == "c dates it Tuesday (2024-05-07); a and b date it Monday (2024-05-06)"
    spoke = "The cargo ship sank off the northern coast with twelve crew members on board, officials said {}."
    assert not [
        c
        for c in _conflicts(spoke.format("Monday"), spoke.format("Tuesday"), published="2024-05-08")
        if c.kind == "date"
    ]
    # Without a publication date a weekday names no day parallax can trust.
    undated = _conflicts(sank.format("Monday"), sank.format("Tuesday"), published=None)
    assert not [c for c in undated if c.kind == "date"]


@pytest.mark.model
def test_a_negated_statement_conflicts_but_reported_speech_does_not() -> None:
    stated = _conflicts(
        "The main bridge over the river was closed to traffic on Monday morning.",
        "The main bridge over the river was not closed to traffic on Monday morning.",
    )
    assert [c.kind for c in stated] == ["statement"] and "b negates" in stated[0].detail
    reported = _conflicts(
        "The mayor said the main bridge over the river was closed to traffic on Monday.",
        "The mayor denied the main bridge over the river was closed to traffic on Monday.",
    )
    assert not reported


@pytest.mark.model
def test_a_quotation_printed_with_another_name_is_a_statement_conflict() -> None:
    conflicts = _conflicts(
        'The senator wrote: "We will now counter the Wendy Jones servers and documents."',
        'The senator wrote: "We will now counter the Debbie Jones servers and documents."',
    )
    assert [c.kind for c in conflicts] == ["statement"]
    assert "'Wendy'" in conflicts[0].detail and "'Debbie'" in conflicts[0].detail


@pytest.mark.model
def test_unrelated_reports_have_no_conflict() -> None:
    assert not _conflicts(
        "The storm killed 12 people in the coastal city on Monday.",
        "Football fans celebrated the league title in the capital with 15,000 people on Sunday.",
    )


def test_places_far_apart_conflict_but_a_city_and_its_country_agree() -> None:
    from parallax.entities.gazetteer import locate

    paris, london, france = locate("Paris"), locate("London"), locate("France")
    assert paris is not None and london is not None and france is not None
    assert paris.country == france.country == "FR" and 300 < (paris.km_to(london) or 0) < 400
    assert locate("Georgia") is None  # a country and a US state: the name alone cannot say which


@pytest.mark.model
def test_one_event_placed_in_two_cities_is_a_place_conflict() -> None:
    talks = "The two foreign ministers met in {} on Tuesday to discuss the ceasefire proposal."
    places = [
        c for c in _conflicts(talks.format("Geneva"), talks.format("Vienna")) if "places it" in c.detail
    ]
    assert len(places) == 1 and places[0].kind == "statement"
    assert "Geneva (city, CH)" in places[0].detail and "Vienna (city, AT)" in places[0].detail
    agree = _conflicts(talks.format("Geneva"), talks.format("Switzerland"))
    assert not [c for c in agree if "places it" in c.detail]  # Geneva lies in Switzerland
    spoke = "Officials said in {} that the two ministers met on Tuesday to discuss the ceasefire."
    assert not _conflicts(spoke.format("Geneva"), spoke.format("Vienna"))  # where they spoke


@pytest.mark.model
def test_scores_ranges_and_lists_by_name_are_no_number_conflict(parse) -> None:
    score = parse("Their 98-74 defeat in Denver on Friday was the last straw.").sentences[0]
    assert not list(figures(score))  # a score counts nothing; nor do its halves
    assert not _conflicts(
        "Ruiz is averaging 17.5 points per game this season, while Okoye is averaging 12.2 points.",
        "Ruiz is averaging 17.5 points per game, Okoye 12.2 points, down from last season.",
    )
