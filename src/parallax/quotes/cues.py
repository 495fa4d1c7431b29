"""Word lists for attribution: reporting verbs, pronouns, role and source nouns."""

from __future__ import annotations


def _wordset(text: str) -> frozenset[str]:
    """A word list written as one string, for short diffs when words are added."""
    return frozenset(text.split())


__all__ = [
    "CLAUSE_CUES",
    "CUE_LEMMAS",
    "DOCUMENT_NOUNS",
    "GROUP_PRONOUNS",
    "NEGATIVE_SUBJECTS",
    "NOT_ASSERTING",
    "PERSON_PRONOUNS",
    "ROLE_NOUNS",
    "ROLE_WORDS",
    "WITHHOLDING",
    "is_cue",
]

# Verbs that report speech or writing (matched on the lemma). Kept as data, not learned:
# the project has no labelled training run, and a lexicon is what rule-based attribution
# systems (e.g. Pareti's PARC cues) start from.
CUE_LEMMAS = _wordset(
    """
    say tell state add write assert emphasize emphasise stress note claim argue warn explain insist declare
    announce blast urge call describe suggest respond reply comment report acknowledge admit deny vow
    pledge predict tweet post recall remark observe mention maintain contend allege charge complain
    confirm concede caution counter retort quip joke answer ask question testify testified told
    promise threaten boast brag lament criticize criticise slam praise accuse demand insist reiterate
    repeat conclude estimate indicate recount describe label dub brand term highlight underline
    signal hint caution advise recommend propose pronounce proclaim affirm reaffirm assure reassure
    inform disclose reveal publish yell shout scream whisper mutter cite quote read
    """
)

# Cues that introduce reported speech in a clausal complement ("X said that ..."); used for
# indirect quotations. Belief verbs are here because news attributes positions with them too.
CLAUSE_CUES = _wordset(
    """
    say tell state add write assert emphasize emphasise stress note claim argue warn explain insist declare
    announce suggest respond reply comment report acknowledge admit deny vow pledge predict tweet post
    recall remark observe mention maintain contend allege charge complain confirm concede caution
    counter testify promise threaten boast reiterate repeat conclude estimate indicate signal hint
    advise recommend propose affirm reaffirm assure inform disclose reveal think believe expect hope
    fear worry argue contend agree insist
    """
)

# Reporting that does not make the clause the speaker's words: a denial or a question ("denied
# that X", "asked whether X"), a refusal ("declined to say whether X"), or nobody saying it
# ("nothing indicated that X", "few said X").
NOT_ASSERTING = _wordset("deny dismiss reject dispute refute rebut ask question wonder doubt")
WITHHOLDING = _wordset("decline refuse fail")
NEGATIVE_SUBJECTS = _wordset("nothing nobody none few neither noone")

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
GROUP_PRONOUNS = frozenset({"it", "they", "we", "them"})

# Nouns that describe a person by office; a definite one ("the official") refers back to a person.
ROLE_NOUNS = _wordset(
    """
    official minister spokesperson spokesman spokeswoman president leader diplomat secretary senator
    governor mayor chancellor premier ambassador envoy representative lawmaker legislator congressman
    congresswoman chairman chairwoman chair director chief head commander general officer aide adviser
    advisor candidate nominee prosecutor judge lawyer attorney politician strategist analyst economist
    expert source author executive ceo founder king queen prince monarch pope sheriff manager
    """
)

# Things that speak for an organisation: "the statement said" refers back to whoever issued it.
DOCUMENT_NOUNS = _wordset(
    "statement document letter report release communique memo note post tweet message filing complaint"
)

# Words of title and office that are not part of a person's name.
ROLE_WORDS = _wordset(
    """
    mr mr. mrs mrs. ms ms. dr dr. sen sen. rep rep. gov gov. gen gen. lt col prof prof. sir lord lady
    president vice prime foreign defense defence justice interior finance deputy minister secretary
    spokesperson spokesman spokeswoman senator governor mayor chancellor ambassador envoy leader chief
    state general former acting top senior official kremlin white house press u.s. us representative
    congressman congresswoman speaker chairman chairwoman director commissioner attorney judge justice
    """
)


def is_cue(lemma: str) -> bool:
    """Whether a verb lemma reports speech."""
    return lemma.lower() in CUE_LEMMAS
