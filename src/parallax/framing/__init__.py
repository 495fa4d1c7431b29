"""How each outlet names the same referent, reports its speakers, hedges, and the terms one outlet
uses more than others."""

from parallax.framing.terms import build_framing, distinctive_terms
from parallax.framing.wording import word_choice_rows

__all__ = ["build_framing", "distinctive_terms", "word_choice_rows"]
