"""How each outlet names the same referent, and the terms one outlet uses more than others."""

from parallax.framing.terms import build_framing, distinctive_terms

__all__ = ["build_framing", "distinctive_terms"]
