"""Merge the entity mentions of every article into one list of entities."""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz

from parallax.entities.gazetteer import PlaceKind, city_population, given_name, given_name_gender, place_kind
from parallax.entities.identity import Identity, demonym_place, identity, same_person
from parallax.entities.mentions import Mention, collect_mentions
from parallax.entities.names import FAMILY, acronym_of, is_acronym, name_key, similar
from parallax.lexicon import FIRM_WORDS, HONORIFICS, ORG_HEADS, PLACE_HEADS, PRONOUNS, TITLE_WORDS
from parallax.model import Entity, Quote
from parallax.nlp import ParsedArticle
from parallax.settings import Settings
from parallax.unionfind import UnionFind

__all__ = ["group_mentions", "link_speakers", "merge_entities"]

_PLACE = frozenset({"GPE", "LOC", "FAC"})


@dataclasses.dataclass
class _Form:
    key: str
    labels: Counter[str]
    surfaces: Counter[str]
    mentions: list[Mention]

    @property
    def tokens(self) -> list[str]:
        return self.key.split()

    @property
    def label(self) -> str:
        return self.labels.most_common(1)[0][0]

    @property
    def families(self) -> set[str]:
        return {FAMILY[lab] for lab in self.labels}

    @property
    def acronym(self) -> bool:
        return any(is_acronym(s) for s in self.surfaces)

    @property
    def person_name(self) -> bool:
        """A multi-word name that spaCy mostly reads as a person: the anchor for surnames."""
        return len(self.tokens) >= 2 and self.labels["PERSON"] * 2 > sum(self.labels.values())


def _forms(mentions: Sequence[Mention]) -> dict[str, _Form]:
    forms: dict[str, _Form] = {}
    for m in mentions:
        f = forms.setdefault(m.key, _Form(m.key, Counter(), Counter(), []))
        f.labels[m.label] += 1
        f.surfaces[m.text] += 1
        f.mentions.append(m)
    return forms


def _partial_of(short: _Form, full: _Form, settings: Settings) -> bool:
    """'Sybiha' or 'Kim' of 'Kim Jong Un', 'J. Biden' of 'Joe Biden': a less complete name that could
    be the full one (identity PARTIAL); a name not a person's only as the start or end of it."""
    s, f = short.tokens, full.tokens
    n = len(s)
    if not short.person_name:
        return n < len(f) and (f[:n] == s or f[-n:] == s)
    return len(short.key) < len(full.key) and identity(short.key, full.key, settings) is Identity.PARTIAL


def _gender_clash(short: _Form, full: _Form) -> bool:
    """'Mr. Obama' is not Michelle Obama: the short form's honorifics give one gender, and the full
    name's given name (Faker's gendered lists) the other."""
    said = {m.gender for m in short.mentions} - {None}
    given = given_name_gender(full.tokens[0])
    return len(said) == 1 and given is not None and given not in said


def group_mentions(mentions: Sequence[Mention], settings: Settings) -> list[list[_Form]]:
    """Cluster names: exact key, spelling variants, acronyms, org suffixes, partial person names."""
    forms = _forms(mentions)
    uf = UnionFind(forms)
    keys = list(forms)
    # Spelling and transliteration variants inside one type family.
    for a, b in itertools.combinations(keys, 2):
        fa, fb = forms[a], forms[b]
        if not fa.families & fb.families:
            continue
        if fa.labels["PERSON"] and fb.labels["PERSON"] and len(fa.tokens) > 1 and len(fb.tokens) > 1:
            # People by the identity rule ('Vladimir Zelensky' ~ 'Volodymyr Zelenskyy'), never by
            # spelling alone ('Ivana Trump' is not 'Ivanka Trump'); partial names come below.
            if identity(a, b, settings) is Identity.SAME:
                uf.union(a, b)
        elif similar(a, b, settings):
            uf.union(a, b)
    # Acronyms to their expansion by initials, when only one expansion fits.
    for k in keys:
        f = forms[k]
        if not f.acronym or f.labels["PERSON"] * 2 > sum(f.labels.values()):
            continue
        compact = k.replace(" ", "")
        options = {
            uf.find(o) for o in keys if o != k and compact in acronym_of(o) and not forms[o].person_name
        }
        if len(options) == 1:
            uf.union(k, options.pop())
    # 'Foreign Ministry' to 'Ukrainian Foreign Ministry' when one longer organisation name ends so.
    for k in keys:
        f = forms[k]
        if f.label != "ORG" or len(f.tokens) < 2:
            continue
        options = {
            uf.find(o)
            for o in keys
            if forms[o].label == "ORG"
            and len(forms[o].tokens) > len(f.tokens)
            and forms[o].tokens[-len(f.tokens) :] == f.tokens
        }
        if len(options) == 1:
            uf.union(k, options.pop())
    # A surname or partial name to the one full person name that contains it.
    groups = uf.groups()
    anchors = {root: [forms[k] for k in ks if forms[k].person_name] for root, ks in groups.items()}
    weight = {root: sum(sum(forms[k].labels.values()) for k in ks) for root, ks in groups.items()}
    for k in keys:
        f = forms[k]
        if f.acronym:
            continue
        # A lone name read mostly as a place joins a person only beside that person's full name.
        place = sum(f.labels[lab] for lab in _PLACE) * 2 > sum(f.labels.values())
        here = {m.article for m in f.mentions}
        bearers = sorted(
            (
                root
                for root, fulls in anchors.items()
                if root != uf.find(k)
                and any(
                    _partial_of(f, full, settings)
                    and (not place or here & {m.article for m in full.mentions})
                    and not _gender_clash(f, full)
                    for full in fulls
                )
            ),
            key=lambda r: -weight[r],
        )
        # Ambiguous surnames go to a clearly dominant bearer ('Trump' beside 'Donald Trump Jr.'), else apart.
        dominant = settings.entity_surname_dominance
        if len(bearers) == 1 or (len(bearers) > 1 and weight[bearers[0]] >= dominant * weight[bearers[1]]):
            uf.union(k, bearers[0])
    return [[forms[k] for k in ks] for ks in uf.groups().values()]


def _big_place(key: str, settings: Settings) -> bool:
    """A US state, or a city of at least `entity_city_min_population` people."""
    kind = place_kind(key)
    return kind is PlaceKind.REGION or (
        kind is PlaceKind.CITY and city_population(key) >= settings.entity_city_min_population
    )


def _group_type(forms: list[_Form], settings: Settings) -> str:
    """Majority label, repaired: full person names win; one-word 'people' with place or org votes are
    not; a country's name is a place and a demonym a nationality, whatever the parse (the gazetteer)."""
    votes: Counter[str] = Counter()
    for f in forms:
        votes.update(f.labels)
    if any(f.person_name for f in forms) or _given_and_family_name(forms, settings):
        return "PERSON"
    best = votes.most_common(1)[0][0]
    evidence = any(m.honorific or m.titles for f in forms for m in f.mentions if m.label == "PERSON")
    if not evidence:
        if any(demonym_place(f.key) for f in forms):
            return "NORP"
        if any(place_kind(f.key) is PlaceKind.COUNTRY for f in forms):
            return "GPE"
        if any(m.team_cue for f in forms for m in f.mentions) and (
            best != "PERSON" or any(place_kind(f.key) for f in forms)
        ):
            return "ORG"  # a county or a city that plays a game is its team; a person only plays
    if best == "PERSON":
        others = [lab for lab, _ in votes.most_common() if lab != "PERSON"]
        place_cues = sum(m.place_cue for f in forms for m in f.mentions)
        if not evidence and others:
            return others[0]
        if not evidence and (place_cues or any(_big_place(f.key, settings) for f in forms)):
            return "GPE"
        if any(f.acronym for f in forms) and not evidence:
            return "ORG"
    if (
        best in ("ORG", "GPE", "NORP")
        and votes["PERSON"]
        and any(m.honorific for f in forms for m in f.mentions)
    ):
        return "PERSON"
    return best


def _given_and_family_name(forms: list[_Form], settings: Settings) -> bool:
    """A name of two or three words that opens with a given name and goes on with a family name,
    whatever label the parse gave it: the small model reads athletes in results lines ('Conchita
    Martinez ( Spain ) beat ...') as organisations. Many places and firms open with a given name
    too ('Houston', 'Morgan Stanley', 'Wells Fargo', 'Johnson Controls'), so no word may be a
    country, a region or a large city (a small town's name is a family name as often: 'Martinez'),
    a head word of an organisation or place, a firm's word (lexicon `firm_words`) or another
    given name, and no form an acronym."""
    if any(f.acronym for f in forms):
        return False
    longest = max(forms, key=lambda f: len(f.tokens))
    words = longest.tokens
    if not 2 <= len(words) <= 3 or not all(w.isalpha() for w in words) or place_kind(longest.key):
        return False
    rest = words[1:]
    return (
        given_name(words[0])
        and place_kind(words[0]) is None
        and not any(
            given_name(w)
            or place_kind(w) is PlaceKind.COUNTRY
            or _big_place(w, settings)
            or w in ORG_HEADS | PLACE_HEADS | FIRM_WORDS
            for w in rest
        )
    )


def _pick_name(forms: list[_Form], etype: str) -> str:
    surfaces: Counter[str] = Counter()
    for f in forms:
        surfaces.update(f.surfaces)
    if etype == "PERSON":
        return max(surfaces, key=lambda s: (len(name_key(s).split()), surfaces[s], -len(s)))
    return max(surfaces, key=lambda s: (surfaces[s] + (0 if is_acronym(s) else len(s.split()) - 1), len(s)))


def _ordered_unique(items: Iterable[str]) -> tuple[str, ...]:
    counts: Counter[str] = Counter()
    first: dict[str, str] = {}
    for item in items:
        low = name_key(item)
        if not low:
            continue
        counts[low] += 1
        first.setdefault(low, item)
    return tuple(first[k] for k, _ in counts.most_common())


def merge_entities(parsed: Sequence[ParsedArticle], settings: Settings) -> tuple[Entity, ...]:
    """One entity per real-world referent named in the articles, ids in order of first appearance."""
    mentions = collect_mentions(parsed)
    groups = group_mentions(mentions, settings)
    built = []
    for forms in groups:
        ms = [m for f in forms for m in f.mentions]
        etype = _group_type(forms, settings)
        name = _pick_name(forms, etype)
        surfaces = tuple(dict.fromkeys(m.text for m in sorted(ms, key=lambda m: (m.article_index, m.start))))
        aliases = tuple(s for s in surfaces if s != name)
        roles: tuple[str, ...] = ()
        if etype in ("PERSON", "ORG"):
            roles = _ordered_unique(r for m in ms for r in (*m.titles, *m.descriptions))
            roles = tuple(r for r in roles if name_key(r) != name_key(name))
        mention_counts = Counter(m.article for m in ms)
        order = min((m.article_index, m.start) for m in ms)
        built.append((order, name, etype, aliases, roles, dict(mention_counts)))
    built.sort(key=lambda b: b[0])
    return tuple(
        Entity(id=f"e{i + 1}", name=name, type=etype, aliases=aliases, roles=roles, mentions=counts)
        for i, (_, name, etype, aliases, roles, counts) in enumerate(built)
    )


def _speaker_key(name: str) -> str:
    words = [w for w in name_key(name).split() if w not in HONORIFICS and w not in TITLE_WORDS]
    return " ".join(words)


def _resolve(name: str, entities: Sequence[Entity], settings: Settings) -> str | None:
    """The entity a speaker name refers to: exact, containment, one person by identity, then fuzzy for the
    rest; None when unsure."""
    full = name_key(name)
    if not full or full in PRONOUNS:
        return None
    key = _speaker_key(name) or full
    names = {e.id: {name_key(n) for n in (e.name, *e.aliases)} - {""} for e in entities}
    exact = [eid for eid, ns in names.items() if key in ns or full in ns]
    if len(exact) == 1:
        return exact[0]
    padded = f" {full} "
    contained = [
        (max(len(n) for n in ns if f" {n} " in padded), eid)
        for eid, ns in names.items()
        if any(f" {n} " in padded for n in ns)
    ]
    if contained:
        contained.sort(reverse=True)
        if len(contained) == 1 or contained[0][0] > contained[1][0]:
            return contained[0][1]
    if not name[:1].isupper() and not any(w[:1].isupper() for w in name.split()):
        return _resolve_description(full, entities)
    # A person only by the identity rule: one bearer of the name, else unsure ('Biden' of two Bidens).
    people = [e.id for e in entities if e.type == "PERSON"]
    same = [eid for eid in people if any(same_person(key, n, settings) for n in names[eid])]
    if len(same) == 1:
        return same[0]
    fuzzy = [
        (max(fuzz.ratio(key, n) for n in ns), eid) for eid, ns in names.items() if ns and eid not in people
    ]
    fuzzy = [f for f in fuzzy if f[0] >= settings.entity_match_threshold]
    if fuzzy:
        fuzzy.sort(reverse=True)
        return fuzzy[0][1]
    return None


def _resolve_description(full: str, entities: Sequence[Entity]) -> str | None:
    """'the ministry' or 'the Kremlin spokesperson': the one entity whose name head or role fits."""
    words = [w for w in full.split() if w not in ("the", "a", "an")]
    if not words:
        return None
    head = words[-1]
    by_role = [e.id for e in entities if any(name_key(r) == " ".join(words) for r in e.roles)]
    if len(by_role) == 1:
        return by_role[0]
    by_head = [
        e.id
        for e in entities
        if e.type != "PERSON" and any(name_key(n).split()[-1:] == [head] for n in (e.name, *e.aliases))
    ]
    return by_head[0] if len(by_head) == 1 else None


def link_speakers(quotes: Sequence[Quote], entities: Sequence[Entity], settings: Settings) -> list[Quote]:
    """The quotes with `speaker.entity` set where the speaker's name resolves to one entity."""
    out = []
    for q in quotes:
        if q.speaker is None or q.speaker.entity is not None:
            out.append(q)
            continue
        eid = _resolve(q.speaker.name, entities, settings)
        out.append(dataclasses.replace(q, speaker=dataclasses.replace(q.speaker, entity=eid)) if eid else q)
    return out
