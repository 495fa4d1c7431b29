"""Named entities merged across articles, with their roles; speakers linked to them."""

from parallax.entities.merge import link_speakers, merge_entities

__all__ = ["link_speakers", "merge_entities"]
