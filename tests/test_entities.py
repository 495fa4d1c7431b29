"""Entity merging, typing, roles and speaker linking."""

from __future__ import annotations

from collections import Counter

import pytest

from parallax.entities import link_speakers, merge_entities
from parallax.entities.gazetteer import PlaceKind, city_population, given_name, place_kind
from parallax.entities.layout import dateline_places, table_sides
from parallax.entities.merge import _Form, _given_and_family_name
from parallax.entities.names import acronym_of, is_acronym, name_key, similar
from parallax.model import Article, Entity, Quote, Speaker
from parallax.settings import Settings


def _by_name(entities: tuple[Entity, ...], name: str) -> Entity:
    for e in entities:
        if name in (e.name, *e.aliases):
            return e
    raise AssertionError(f"{name} not among {[e.name for e in entities]}")


def test_name_key_ignores_punctuation_case_and_accents() -> None:
    assert name_key("U.S.") == name_key("US") == "us"
    assert name_key("Kim Jong-un") == name_key("Kim Jong Un")
    assert name_key("Zoë's") == "zoe"


def test_acronyms_and_variants() -> None:
    assert is_acronym("NATO") and is_acronym("U.S.") and not is_acronym("Nato talks")
    assert "nato" in acronym_of("north atlantic treaty organization")
    assert "mfa" in acronym_of("ministry of foreign affairs")
    assert similar("zelensky", "zelenskyy", Settings())
    assert not similar("donald trump", "donald trump jr", Settings())
    assert not similar("bush", "busch", Settings())  # ratio 89, but too short to judge by spelling


def _speaker(name: str) -> Quote:
    return Quote("q1", "a", "a-s1", "words", "direct", Speaker(name), "said")


def test_link_speakers_by_exact_surname_and_description() -> None:
    ents = (
        Entity("e1", "Maria Lindqvist", "PERSON", ("Lindqvist",), ("finance minister",), {"a": 2}),
        Entity("e2", "Harbour Authority", "ORG", (), (), {"a": 1}),
    )
    quotes = [
        _speaker(n) for n in ("Maria Lindqvist", "Ms Lindqvist", "Minister Lindqvist", "the authority", "she")
    ]
    linked = link_speakers(quotes, ents, Settings())
    assert [q.speaker.entity if q.speaker else None for q in linked] == ["e1", "e1", "e1", "e2", None]
    assert [q.speaker.name for q in linked if q.speaker] == [q.speaker.name for q in quotes if q.speaker]


@pytest.mark.model
def test_surname_and_acronym_merge_with_roles(parse, settings) -> None:
    doc = parse(
        "Foreign Minister Jane Doberman spoke in Oslo on Monday. "
        "The North Atlantic Treaty Organization met there too. "
        "Doberman said NATO must act. "
        "John Roe, the company's chief executive, declined to comment. Roe left early."
    )
    ents = merge_entities([doc], settings)
    jane = _by_name(ents, "Jane Doberman")
    assert jane.type == "PERSON" and "Doberman" in jane.aliases
    assert "Foreign Minister" in jane.roles
    nato = _by_name(ents, "NATO")
    assert "North Atlantic Treaty Organization" in (nato.name, *nato.aliases)
    roe = _by_name(ents, "John Roe")
    assert any("chief executive" in r for r in roe.roles)
    assert [e.id for e in ents] == [f"e{i + 1}" for i in range(len(ents))]
    assert ents[0].name == "Jane Doberman"


@pytest.mark.model
def test_merge_across_articles_and_spelling_variants(parse_many, settings) -> None:
    docs = parse_many(
        [
            Article(text="President Vladimir Zelensky visited Berlin on Tuesday.", id="a"),
            Article(
                text="Volodymyr Zelenskyy thanked German leaders on Monday, and Zelenskyy later flew home.",
                id="b",
            ),
        ]
    )
    ents = merge_entities(docs, settings)
    z = _by_name(ents, "Vladimir Zelensky")
    assert "Volodymyr Zelenskyy" in (z.name, *z.aliases)
    assert z.mentions == {"a": 1, "b": 2}


@pytest.mark.model
def test_place_mistyped_as_person_is_repaired(parse, settings) -> None:
    doc = parse(
        "Kiev says it will not accept the offer. Kiev wants guarantees. "
        "Officials in Kiev are doubtful. Kiev insists on membership."
    )
    kiev = _by_name(merge_entities([doc], settings), "Kiev")
    assert kiev.type == "GPE"


@pytest.mark.model
def test_a_thing_named_after_a_person_is_not_part_of_the_name(parse, settings) -> None:
    doc = parse("James Comey Memos just out show clearly that there was no collusion, Trump wrote.")
    names = {e.name for e in merge_entities([doc], settings)}
    assert "James Comey" in names and not any("Memos" in n for n in names)


@pytest.mark.model
def test_two_people_of_one_surname_stay_apart(parse, settings) -> None:
    doc = parse("Joe Biden spoke in Delaware on Monday. Jill Biden visited a school in Ohio.")
    names = {e.name for e in merge_entities([doc], settings) if e.type == "PERSON"}
    assert {"Joe Biden", "Jill Biden"} <= names


@pytest.mark.model
def test_an_honorific_keeps_a_surname_from_a_name_of_the_other_gender(parse, settings) -> None:
    from parallax.quotes import extract_quotes

    doc = parse(
        "Michelle Obama spoke in Ohio on Friday. Mr. Obama said on Saturday that "
        '"our progress is on the ballot" and urged voters to turn out.'
    )
    groups = {e.name: e.aliases for e in merge_entities([doc], settings) if e.type == "PERSON"}
    assert "obama" not in {a.lower() for a in groups.get("Michelle Obama", ())}, groups
    speakers = {q.speaker.name for q in extract_quotes(doc, settings) if q.speaker is not None}
    assert "Michelle Obama" not in speakers and "Obama" in speakers, speakers


def test_link_speakers_leaves_a_surname_of_two_people_unlinked() -> None:
    ents = (
        Entity("e1", "Joe Biden", "PERSON", (), (), {"a": 2}),
        Entity("e2", "Jill Biden", "PERSON", (), (), {"a": 1}),
    )
    quotes = [_speaker(n) for n in ("Joe Biden", "Mrs. Jill Biden", "Biden", "Ivanka Biden")]
    linked = link_speakers(quotes, ents, Settings())
    assert [q.speaker.entity if q.speaker else None for q in linked] == ["e1", "e2", None, None]


def test_gazetteer_knows_countries_regions_and_cities() -> None:
    assert place_kind("Sweden") is place_kind("the Netherlands") is PlaceKind.COUNTRY
    assert place_kind("England") is place_kind("U.S.") is PlaceKind.COUNTRY  # from the demonym table
    assert place_kind("Texas") is PlaceKind.REGION
    assert place_kind("Norwich") is PlaceKind.CITY and city_population("Paris") > 1_000_000
    assert place_kind("EU") is None and place_kind("Doberman") is None and city_population("Doberman") == 0


def test_given_names_come_from_many_languages() -> None:
    assert given_name("Conchita") and given_name("Mihai") and given_name("Guy")
    assert not given_name("Dinamo") and not given_name("Manchester")


def test_a_given_name_and_a_family_name_make_a_person_but_not_a_firm_or_a_place() -> None:
    def looks_like_person(surface: str) -> bool:
        form = _Form(name_key(surface), Counter({"ORG": 1}), Counter({surface: 1}), [])
        return _given_and_family_name([form], Settings())

    assert looks_like_person("Conchita Granados") and looks_like_person("Rodney Eyles")
    assert looks_like_person("Conchita Martinez")  # a small town's name is a family name as often
    assert not looks_like_person("Frank Chicago")  # a large city
    assert not looks_like_person("Jones Medical") and not looks_like_person("Trent Bridge")  # firm words
    assert not looks_like_person("Morgan Stanley")  # two given names
    assert not looks_like_person("Houston Rockets") and not looks_like_person("IBM")  # a place; an acronym


@pytest.mark.model
def test_an_athlete_in_a_results_line_is_a_person(parse, settings) -> None:
    doc = parse("Guy Forget ( France ) beat Felix Mantilla ( Spain ) 6-4 7-5 6-3 .")
    types = {e.name: e.type for e in merge_entities([doc], settings)}
    assert types.get("Guy Forget") == "PERSON"


@pytest.mark.model
def test_an_athlete_read_as_one_name_with_a_country_is_split(parse, settings) -> None:
    doc = parse(
        "Romania Cosmin Contra was sent off in the 80th minute. "
        "American Dennis Mitchell won the 100 metres. The South Africa Cricket Board met on Monday."
    )
    types = {e.name: e.type for e in merge_entities([doc], settings)}
    assert types.get("Cosmin Contra") == types.get("Dennis Mitchell") == "PERSON", types
    assert types.get("Romania") == "GPE"
    assert not any("Romania Cosmin" in name or "American" in name for name in types)
    assert any("Cricket Board" in name for name in types)  # its rest opens with no given name


@pytest.mark.model
def test_a_place_that_plays_a_game_is_its_team(parse, settings) -> None:
    doc = parse(
        "Somerset beat Durham by an innings and 39 runs at Leicester. "
        "Surrey captain Chris Lewis made 80. Moldova beat Wales 3-2. "
        "The president dismissed Comey on Tuesday."
    )
    types = {e.name: e.type for e in merge_entities([doc], settings)}
    assert types.get("Durham") == types.get("Somerset") == types.get("Surrey") == "ORG", types
    assert types.get("Leicester") == types.get("Moldova") == "GPE"  # no game; a country is its national side
    assert types.get("Comey") == "PERSON"


@pytest.mark.model
def test_an_initial_and_a_surname_are_a_person(parse, settings) -> None:
    doc = parse(
        "Somerset 83 and 174 ( P. Simmons 4-38 ) , Leicestershire 296 ( T. O'Gorman 51 ). "
        "Q. Can you say more? Take vitamin C. Then rest."
    )
    types = {e.name: e.type for e in merge_entities([doc], settings)}
    assert types.get("P. Simmons") == types.get("T. O'Gorman") == "PERSON", types
    assert not any(name.startswith(("Q.", "C.")) for name in types)


@pytest.mark.model
def test_a_country_is_a_place_and_a_demonym_a_nationality(parse, settings) -> None:
    doc = parse(
        "Moldova beat Wales 3-2 on Saturday. Moldova now lead the group, and Moldova's coach was pleased. "
        "The Kuwaiti was released on Monday."
    )
    ents = merge_entities([doc], settings)
    assert _by_name(ents, "Moldova").type == "GPE" and _by_name(ents, "Wales").type == "GPE"
    assert all(e.type == "NORP" for e in ents if e.name == "Kuwaiti")


@pytest.mark.model
def test_results_table_rows_name_teams(parse, settings) -> None:
    doc = parse(
        "Results of soccer matches on Saturday:\n"
        "Bradford 1 Tranmere 0\n"
        "Queens Park Rangers 4 3 1 0 7 4 10\n"
        "Postponed: Birmingham v Barnsley, Manchester City v Charlton\n"
        "Slovakia 3 Malta 0\n"
    )
    types = {e.name: e.type for e in merge_entities([doc], settings)}
    teams = ["Bradford", "Tranmere", "Queens Park Rangers", "Birmingham", "Barnsley", "Manchester City"]
    assert all(types.get(t) == "ORG" for t in teams), types
    assert types.get("Slovakia") == types.get("Malta") == "GPE"  # a country's name is its national side
    assert not any(ch.isdigit() for name in types for ch in name)


@pytest.mark.model
def test_rows_need_the_table_layout(parse) -> None:
    for text in ("Clinton won 55 percent in 1996", "287 Ian Woosnam 70 76 71 70", "W L PCT GB"):
        assert table_sides(parse(text).sentences[0].span) == []


@pytest.mark.model
def test_dateline_places(parse) -> None:
    def places(text: str) -> list[str]:
        return [p.text for p in dateline_places(parse(text).sentences[0].span)]

    assert places("BONN 1996-08-30") == ["BONN"]
    assert places("NORTHAMPTON , England 1996-08-31") == ["NORTHAMPTON", "England"]
    assert places("MOSCOW (Reuters) - Russia said on Monday it would talk.") == ["MOSCOW"]
    assert places("SOCCER - ENGLISH LEAGUE STANDINGS") == []  # a headline in capitals, not a dateline
    assert places("SATURDAY , AUGUST 31 SCHEDULE") == []
    assert places("NATO said on Tuesday it would act.") == []


@pytest.mark.model
def test_dateline_place_is_typed_a_place(parse, settings) -> None:
    doc = parse("BONN 1996-08-30\nThe German government urged restraint on Friday.")
    assert _by_name(merge_entities([doc], settings), "BONN").type == "GPE"
