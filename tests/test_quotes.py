"""Quotation extraction, speaker attribution and cross-outlet quote matching."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from parallax.model import Article, Quote, Speaker
from parallax.nlp import ParsedArticle
from parallax.quotes import extract_quotes, match_quotes
from parallax.quotes.marks import find_marked
from parallax.quotes.match import same_speaker
from parallax.settings import Settings

Parse = Callable[..., ParsedArticle]


def _marked(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find_marked(text)]


# --- quotation marks (no models) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She said \u201cwe will win the vote\u201d today.", ["we will win the vote"]),
        ('He said "no deal is better than a bad deal," and left.', ["no deal is better than a bad deal"]),
        ("They called it \u00aba farce\u00bb yesterday.", ["a farce"]),
        ("Er sagte \u201eniemals\u201c gestern.", ["niemals"]),
        ("The country\u2019s leaders met at Anna\u2019s house.", []),
        ("Rock music of the \u201890s was \u2018really loud stuff\u2019 she said.", ["really loud stuff"]),
        ("It's the farmers' market and Bob's car.", []),
        ("\u201cThis runs on to the end of the paragraph.", ["This runs on to the end of the paragraph."]),
        (
            "He said \u201cthe plan, in his words \u2018a total mess\u2019, failed.\u201d",
            ["the plan, in his words \u2018a total mess\u2019, failed."],
        ),
    ],
)
def test_marked_spans(text: str, expected: list[str]) -> None:
    assert _marked(text) == expected


# --- extraction (models) ----------------------------------------------------------------------


def _quotes(parse: Parse, text: str) -> list[Quote]:
    return list(extract_quotes(parse(text), Settings()))


def _one(quotes: list[Quote], fragment: str) -> Quote:
    hits = [q for q in quotes if fragment in q.text]
    assert hits, f"no quote with {fragment!r} in {[q.text for q in quotes]}"
    return hits[0]


@pytest.mark.model
def test_a_headline_quote_takes_the_speaker_the_body_names(parse: Parse) -> None:
    quotes = _quotes(
        parse,
        "Senator Grills Bank Chief: \u2018You Should Be Criminally Investigated\u2019\n\n"
        "Senator Dana Whitfield questioned the bank's chief executive on Tuesday. "
        "\u201cYou should be criminally investigated,\u201d Whitfield told him.",
    )
    headline, body = (q for q in quotes if "riminally" in q.text)
    assert body.speaker is not None and body.speaker.name == "Dana Whitfield"
    assert headline.speaker == body.speaker


CASES = [
    # (text, fragment of the quote, kind, speaker, cue)
    (
        "\u201cWe will never give up our land to anyone,\u201d said "
        "the country\u2019s justice minister Maria Kovalenko.",
        "We will never give up our land",
        "direct",
        "Maria Kovalenko",
        "said",
    ),
    (
        "Trade Minister Tom Whitfield said, \u201cThe new tariffs will hurt our farmers badly.\u201d",
        "The new tariffs will hurt",
        "direct",
        "Tom Whitfield",
        "said",
    ),
    (
        'Senator Paula Grant warned on Monday that the budget "will not pass" in its current form.',
        "will not pass",
        "partial",
        "Paula Grant",
        "warned",
    ),
    (
        "Mayor Daniel Ortiz spoke at the hall on Friday, "
        "describing the storm as a \u201cterrible disaster\u201d.",
        "terrible disaster",
        "partial",
        "Daniel Ortiz",
        "describing",
    ),
    (
        "Governor Lisa Moreno said that the state would raise its minimum wage next year.",
        "the state would raise its minimum wage next year",
        "indirect",
        "Lisa Moreno",
        "said",
    ),
    (
        "The bridge will be closed for two more weeks, according to the city transport department.",
        "The bridge will be closed for two more weeks",
        "indirect",
        "city transport department",
        "according to",
    ),
    (  # the parser hangs the quotation's own subject from the cue too: the speaker is outside the marks
        "\u201cRiver Valley Memos just out and show clearly that there was NO FRAUD,\u201d "
        "Mayor Daniel Ortiz wrote on Twitter.",
        "River Valley Memos just out",
        "direct",
        "Daniel Ortiz",
        "wrote",
    ),
    (  # the cue cut off into a sentence of its own after the closing mark
        "The council met on Friday. \u201cThe vote is over. Will the recount continue?\u201d "
        "Mayor Daniel Ortiz tweeted.",
        "The vote is over",
        "direct",
        "Daniel Ortiz",
        "tweeted",
    ),
    (
        "\u201cWe will keep the plant open until May,\u201d read a joint statement from the two unions.",
        "We will keep the plant open",
        "direct",
        "joint statement",
        "read",
    ),
]


@pytest.mark.model
@pytest.mark.parametrize(("text", "fragment", "kind", "speaker", "cue"), CASES)
def test_patterns(parse: Parse, text: str, fragment: str, kind: str, speaker: str, cue: str) -> None:
    quote = _one(_quotes(parse, text), fragment)
    assert quote.kind == kind
    assert quote.speaker is not None and quote.speaker.name == speaker
    assert quote.cue == cue


NOT_SAID = [
    "The White House did not assert that the files showed any wrongdoing.",
    "The minister never said that the plant would close next year.",
    "Officials said nothing that indicated that the talks had failed.",
    "She declined to say whether the plant would close next year.",
    "He denied that he had met the envoy in Vienna last week.",
    "No official said the border would reopen this month.",
    "Few in the province said they expected the talks to succeed.",
    "He denied that the minister said the plant would close next year.",
    "The governor did not confirm or say that the plant would close next year.",
    "The minister rejected the claim that the plant was unsafe for workers.",
    "There was no claim that the vote in the province was rigged.",
    "The party could be hoping that the lawsuit will revive the old theory.",
    "The governor could not explain how the plant would stay open next year.",
    "The minister did not promise to build the new bridge over the river.",
    "He declined to pledge to raise the wage for farm workers.",
    "The senator did not call for a full inquiry into the stadium deal.",
    "The senator never demanded that the company pay for the cleanup of the river.",
    "Residents of the coast were urged to leave their homes before the storm.",
    "The city missed the emissions target it pledged to reach by the end of the decade.",
]

INDIRECT = [
    # (text, fragment of the quote, speaker, cue)
    (  # a cue set into the reported clause as an aside
        "The new museum, Mayor Daniel Ortiz said, will open its doors to visitors in May.",
        "will open its doors to visitors in May",
        "Daniel Ortiz",
        "said",
    ),
    (  # a nominal cue with a possessive speaker
        "Senator Paula Grant spoke on Monday. Her claim that the budget was balanced drew criticism.",
        "the budget was balanced",
        "Paula Grant",
        "claim",
    ),
    (  # a nominal cue with its speaker after "from"
        "A warning from the city council that the river would flood went unheeded.",
        "the river would flood",
        "city council",
        "warning",
    ),
    (  # a plain subject: not a name, a title or a body, but someone all the same
        "Critics say the new tariffs will hurt farmers across the region.",
        "the new tariffs will hurt farmers",
        "Critics",
        "say",
    ),
    (  # a cue coordinated with another verb takes its subject
        "Senator Paula Grant left the hall early and said the vote had been rigged from the start.",
        "the vote had been rigged",
        "Paula Grant",
        "said",
    ),
    (  # told reporters
        "Mayor Daniel Ortiz told reporters that the bridge would reopen next week.",
        "the bridge would reopen next week",
        "Daniel Ortiz",
        "told",
    ),
    (  # a stated commitment: the infinitive is the content
        "Senator Paula Grant vowed to cut taxes for small farms next year.",
        "cut taxes for small farms next year",
        "Paula Grant",
        "vowed",
    ),
    (  # an appeal to others
        "Mayor Daniel Ortiz urged residents to leave the coast before the storm.",
        "leave the coast before the storm",
        "Daniel Ortiz",
        "urged",
    ),
    (  # an instruction to others
        "Mayor Daniel Ortiz told his aides to draft a new plan for the harbour.",
        "draft a new plan for the harbour",
        "Daniel Ortiz",
        "told",
    ),
    (  # a demand with a content clause
        "Senator Paula Grant demanded that the company pay for the cleanup of the river.",
        "the company pay for the cleanup of the river",
        "Paula Grant",
        "demanded",
    ),
    (  # an appeal for something
        "Senator Paula Grant called for a full inquiry into the stadium deal.",
        "a full inquiry into the stadium deal",
        "Paula Grant",
        "called",
    ),
]


@pytest.mark.model
@pytest.mark.parametrize(("text", "fragment", "speaker", "cue"), INDIRECT)
def test_indirect_forms(parse: Parse, text: str, fragment: str, speaker: str, cue: str) -> None:
    quote = _one(_quotes(parse, text), fragment)
    assert quote.kind == "indirect"
    assert quote.speaker is not None and quote.speaker.name == speaker
    assert quote.cue == cue


@pytest.mark.model
def test_a_coordinated_report_is_its_own_speakers(parse: Parse) -> None:
    text = (
        "Mayor Daniel Ortiz stressed that the repairs were not finished, and engineers warned "
        "that the bridge could not carry heavy trucks."
    )
    quotes = _quotes(parse, text)
    mayor = _one(quotes, "the repairs were not finished")
    engineers = _one(quotes, "the bridge could not carry heavy trucks")
    assert "engineers" not in mayor.text
    assert mayor.speaker == Speaker("Daniel Ortiz")
    assert engineers.speaker == Speaker("engineers")


@pytest.mark.model
@pytest.mark.parametrize("text", NOT_SAID)
def test_no_words_are_put_in_the_mouth_of_someone_who_did_not_say_them(parse: Parse, text: str) -> None:
    assert _quotes(parse, text) == []


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "The minister said the plant would close next year, Reuters reported.",
        "According to Reuters, the minister said the plant would close next year.",
    ],
)
def test_the_agency_that_reports_a_quote_is_not_its_speaker(parse: Parse, text: str) -> None:
    (quote,) = _quotes(parse, text)
    assert quote.speaker is not None and quote.speaker.name == "minister"
    assert quote.text == "the plant would close next year"


@pytest.mark.model
def test_a_cue_inside_a_quotation_reports_nothing_of_its_own(parse: Parse) -> None:
    text = (
        "\u201cThey say, \u2018We fight for our faith.\u2019 I would say, "
        "\u2018That\u2019s ridiculous,\u2019\u201d the president added.\n\n"
        "Obama said there is a danger in that."
    )
    quotes = _quotes(parse, text)
    assert [q for q in quotes if q.kind == "indirect" and "president" in q.text] == []
    assert _one(quotes, "there is a danger").speaker == Speaker("Obama")


@pytest.mark.model
def test_offsets_and_ids(parse: Parse) -> None:
    text = "Intro line here.\nAlex Brown said \u201cprices will fall soon\u201d on Tuesday."
    parsed = parse(text, id="x")
    quotes = list(extract_quotes(parsed, Settings()))
    quote = _one(quotes, "prices will fall")
    assert text[quote.start : quote.end] == quote.text == "prices will fall soon"
    assert quote.id == "x-q1"
    assert quote.sentence == "x-s2"


@pytest.mark.model
def test_pronoun_takes_the_last_person(parse: Parse) -> None:
    text = (
        "Finance Minister Clara Jensen presented the budget on Monday.\n"
        "\u201cThis budget protects the families who need it most,\u201d she said."
    )
    quote = _one(_quotes(parse, text), "This budget protects")
    assert quote.speaker == Speaker("Clara Jensen")


@pytest.mark.model
def test_definite_description_takes_the_named_body(parse: Parse) -> None:
    text = (
        "The Health Ministry published new figures on Tuesday.\n"
        "\u201cThe number of cases has fallen for the third week in a row,\u201d "
        "the ministry said in a statement.\n"
        "\u201cWe urge everyone to stay careful over the holidays,\u201d the statement said."
    )
    quotes = _quotes(parse, text)
    first = _one(quotes, "number of cases")
    second = _one(quotes, "We urge everyone")
    assert first.speaker is not None and "Ministry" in first.speaker.name
    assert second.speaker == first.speaker


@pytest.mark.model
def test_role_noun_takes_the_last_person_speaker(parse: Parse) -> None:
    text = (
        "Ambassador Omar Haddad said the talks were useful.\n"
        "The veteran diplomat added that \u201cthe door remains open for a deal\u201d."
    )
    quote = _one(_quotes(parse, text), "the door remains open")
    assert quote.speaker == Speaker("Omar Haddad")


@pytest.mark.model
def test_multi_sentence_quote_and_continuation(parse: Parse) -> None:
    text = (
        "\u201cWe lost this game because we did not defend. That must change next week,\u201d "
        "coach Henrik Vogel said.\n"
        "\u201cThe players know it, and I know it.\u201d"
    )
    quotes = [q for q in _quotes(parse, text) if q.kind != "indirect"]
    first = _one(quotes, "We lost this game")
    assert "That must change next week" in first.text
    assert first.speaker == Speaker("Henrik Vogel")
    follow = _one(quotes, "The players know it")
    assert follow.speaker == Speaker("Henrik Vogel")
    assert follow.cue is None


@pytest.mark.model
def test_apostrophes_are_not_quotes(parse: Parse) -> None:
    text = "Poland\u2019s president visited the farmers\u2019 market and the country\u2019s oldest church."
    assert [q for q in _quotes(parse, text) if q.kind != "indirect"] == []


@pytest.mark.model
def test_unattributed_scare_quote_is_dropped(parse: Parse) -> None:
    text = "The so-called \u201cpeace plan\u201d was on the table at the summit in Geneva."
    assert _quotes(parse, text) == []


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        'In an interview on CBS\'s "Face the Nation," Speaker Paul Ryan said the police "must do better."',
        'He spoke during a "Commander-in-Chief Forum" sponsored by NBC News on Wednesday night.',
        'On "Meet the Press," Senator Jane Doe said the bill "will pass easily."',
    ],
)
def test_a_programme_or_event_name_in_marks_is_no_quotation(parse: Parse, text: str) -> None:
    names = ("Face the Nation", "Commander-in-Chief Forum", "Meet the Press")
    assert not [q for q in _quotes(parse, text) if any(n in q.text for n in names)]


@pytest.mark.model
def test_a_persons_title_case_words_stay_a_quotation(parse: Parse) -> None:
    text = 'Trump called her "Miss Piggy" in 1996, Clinton said at a rally on Monday.'
    assert _one(_quotes(parse, text), "Miss Piggy").kind == "partial"


# --- matching -----------------------------------------------------------------------------------


def _q(id: str, article: str, text: str, speaker: str | None) -> Quote:
    return Quote(id, article, f"{article}-s1", text, "direct", Speaker(speaker) if speaker else None, "said")


@pytest.mark.model
def test_paraphrased_quotes_match(
    parse_many: Callable[[list[Article]], list[ParsedArticle]], settings: Settings
) -> None:
    parsed = parse_many([Article(text="One.", id="a"), Article(text="Two.", id="b")])
    quotes = [
        _q("a-q1", "a", "We will not accept any alternatives or substitutes for full membership", "Jane Doe"),
        _q(
            "b-q1",
            "b",
            "We will not settle for any alternatives or substitutes for full membership",
            "Jane Doe",
        ),
        _q("b-q2", "b", "The harvest this autumn was the best in a decade", "John Roe"),
    ]
    matches = match_quotes(quotes, parsed, settings)
    assert len(matches) == 1
    assert set(matches[0].quotes) == {"a-q1", "b-q1"}
    assert matches[0].same_speaker
    assert matches[0].similarity >= settings.quote_match_threshold


@pytest.mark.model
def test_different_speakers_are_flagged(
    parse_many: Callable[[list[Article]], list[ParsedArticle]], settings: Settings
) -> None:
    parsed = parse_many([Article(text="One.", id="a"), Article(text="Two.", id="b")])
    quotes = [
        _q("a-q1", "a", "the only real security guarantee is full membership in the alliance", "Jane Doe"),
        _q(
            "b-q1",
            "b",
            "the only real security guarantee is full membership in the alliance",
            "Foreign Ministry",
        ),
    ]
    (match,) = match_quotes(quotes, parsed, settings)
    assert not match.same_speaker


def test_same_speaker_names() -> None:
    assert same_speaker(Speaker("Andrew Smith"), Speaker("Smith"))
    assert same_speaker(Speaker("Mr. Smith"), Speaker("Andrew Smith"))
    assert same_speaker(Speaker("Foreign Ministry"), Speaker("Ukrainian Foreign Ministry"))
    assert not same_speaker(Speaker("Andrew Smith"), Speaker("Foreign Ministry"))
    assert same_speaker(Speaker("X", entity="e1"), Speaker("Y", entity="e1"))


def test_same_speaker_name_ratio_is_tunable() -> None:
    a, b = Speaker("Ministry of Defence"), Speaker("Ministry of Defense")  # rapidfuzz ratio 95
    assert same_speaker(a, b)
    assert not same_speaker(a, b, Settings(quote_speaker_min_ratio=96))


def test_same_speaker_keeps_two_people_of_one_surname_apart() -> None:
    assert not same_speaker(Speaker("Joe Biden"), Speaker("Jill Biden"))
    assert not same_speaker(Speaker("Ivana Trump"), Speaker("Ivanka Trump"))
    assert same_speaker(Speaker("Mr. Trump"), Speaker("Donald Trump"))


@pytest.mark.model
def test_a_pronoun_passes_over_a_person_the_text_marks_otherwise(parse, settings) -> None:
    text = 'Mr. Smith met Ms. Jones at the ministry on Monday. "We reached a deal," she said.'
    (quote,) = [q for q in extract_quotes(parse(text), settings) if "deal" in q.text]
    assert quote.speaker is not None and quote.speaker.name == "Jones"
    told = 'Ms. Jones met Mr. Smith at the ministry on Monday. "We reached a deal," he said.'
    (quote,) = [q for q in extract_quotes(parse(told), settings) if "deal" in q.text]
    assert quote.speaker is not None and quote.speaker.name == "Smith"


@pytest.mark.model
def test_transcript_labels_name_their_speakers(parse: Parse) -> None:
    text = (
        "Senator Ann Whitlow spoke to host Paul Greer on the radio.\n"
        '"GREER: Will you vote for the budget? The paper called it \u201cA Bridge Too Far.\u201d\n'
        '"WHITLOW: No, I will not, because it leaves the farmers behind again this year."'
    )
    quotes = _quotes(parse, text)
    question = _one(quotes, "vote for the budget")
    answer = _one(quotes, "leaves the farmers")
    assert question.speaker is not None and question.speaker.name.lower().endswith("greer")
    assert answer.speaker == Speaker("Ann Whitlow")
    assert not question.text.startswith("GREER") and not answer.text.startswith("WHITLOW")


@pytest.mark.model
def test_a_signed_paragraph_with_marks_inside(parse: Parse) -> None:
    text = (
        "\u201cThe plan is fine.\u201d \u2015 Lena Okafor\n"
        "\u201cHe calls it \u201creform\u201d but it closes our clinic.\u201d \u2015 Marta Silva"
    )
    quote = _one(_quotes(parse, text), "calls it")
    assert quote.speaker == Speaker("Marta Silva")


@pytest.mark.model
def test_speakers_the_text_gives_without_a_name(parse: Parse) -> None:
    text = (
        "The mayor opened the new bridge on Friday.\n"
        "The campaign video says the council \u201cwasted two years on studies.\u201d\n"
        "\u201cWho pays for the delay?\u201d a narrator in the advert asks."
    )
    quotes = _quotes(parse, text)
    assert _one(quotes, "wasted two years").speaker == Speaker("campaign video")
    # a cue with a subject the text does not name is not the previous speaker's
    assert _one(quotes, "Who pays").speaker is None


@pytest.mark.model
def test_a_conjunct_cue_shares_its_subject(parse: Parse) -> None:
    text = "Governor Tom Reyes toured the port and vowed to stop \u201cthe smugglers who run the docks.\u201d"
    assert _one(_quotes(parse, text), "smugglers").speaker == Speaker("Tom Reyes")


@pytest.mark.model
def test_a_description_with_another_party_is_not_the_last_speaker(parse: Parse) -> None:
    text = (
        "Green Party candidate Ruth Amsel said the tax was unfair.\n"
        "The Labour candidate vowed to cut \u201cevery fee the council charges.\u201d"
    )
    speaker = _one(_quotes(parse, text), "every fee").speaker
    assert speaker is not None and "Amsel" not in speaker.name


@pytest.mark.model
def test_a_surname_two_people_share_stays_a_surname(parse: Parse) -> None:
    text = (
        "Anna Berg and her husband Jonas Berg run the bakery.\n"
        "\u201cWe never closed, not even in the flood,\u201d Berg said."
    )
    assert _one(_quotes(parse, text), "never closed").speaker == Speaker("Berg")


@pytest.mark.model
def test_a_verb_inside_what_a_cue_reports_lends_no_subject_to_its_conjunct(parse: Parse) -> None:
    """ "The suit alleged that the campaign welcomed help and accuses it of ...": the parse may join
    "accuses" to "welcomed", whose subject (the campaign) must not become the accuser."""
    from parallax.quotes.speakers import _under_cue

    reported = parse("The suit alleged that the campaign welcomed the help and accuses it of fraud.")
    plain = parse("The mayor outlined a plan on Monday and vowed to act.")
    welcomed = next(t for t in reported.sentences[0].span if t.lower_ == "welcomed")
    outlined = next(t for t in plain.sentences[0].span if t.lower_ == "outlined")
    assert _under_cue(welcomed) and not _under_cue(outlined)
