"""The same-fact cross-encoder: how claims use its decision (with a stand-in), and loading errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parallax.claims import align as align_module
from parallax.claims import build_claims
from parallax.claims.cross import StorySameFact, cross_encoder_for, load_cross_encoder
from parallax.errors import ConfigError
from parallax.model import Article
from parallax.settings import Settings


class _StandIn:
    """Answers P(same fact) from a table of sentence pairs (either order); every other pair 0.05."""

    threshold = 0.5

    def __init__(self, table: dict[frozenset[str], float]) -> None:
        self.table = table
        self.asked: list[tuple[str, str]] = []

    def probability(self, pairs):  # type: ignore[no-untyped-def]
        import numpy as np

        self.asked.extend(pairs)
        return np.asarray([self.table.get(frozenset(p), 0.05) for p in pairs], dtype=np.float32)


STORM_A = "The storm killed 12 people in the coastal city on Monday."
STORM_B = "The storm killed 15 people in the coastal city on Monday."
POWER_A = "About 40,000 homes were left without electricity after the storm."
POWER_B = "Power was cut to tens of thousands of households as the storm passed."


@pytest.mark.model
def test_the_encoder_decides_what_is_shared(parse_many, settings, monkeypatch) -> None:
    """Two near-identical sentences the encoder calls different facts are not shared; two differently
    worded ones it calls the same fact are, with its probability as the score and the evidence."""
    stand_in = _StandIn({frozenset((POWER_A, POWER_B)): 0.9})
    monkeypatch.setattr(align_module, "cross_encoder_for", lambda _settings: stand_in)
    parsed = parse_many(
        [Article(id="a", text=f"{STORM_A} {POWER_A}"), Article(id="b", text=f"{STORM_B} {POWER_B}")]
    )
    claims = build_claims(parsed, settings)
    by_text = {m.text: c for c in claims for m in c.members}
    assert by_text[POWER_A] is by_text[POWER_B] and by_text[POWER_A].kind == "shared"
    assert by_text[POWER_A].score == pytest.approx(0.9)
    assert by_text[POWER_A].evidence is not None and by_text[POWER_A].evidence.probability == 0.9
    assert by_text[STORM_A].kind != "shared"  # 12 against 15 killed: related, not the same fact
    assert (STORM_A, STORM_B) in stand_in.asked or (STORM_B, STORM_A) in stand_in.asked


WIRE = "The bridge over the river was closed to all traffic on Sunday morning"
QUOTE = "we will not reopen the bridge until every cable has been checked"


@pytest.mark.model
def test_a_shared_run_of_words_is_shared_only_inside_a_quotation(parse_many, settings, monkeypatch) -> None:
    """One wire sentence that an outlet extends with a second fact is partial when the encoder reads
    two facts; the same words quoted twice are one statement, shared whatever the encoder says."""
    stand_in = _StandIn({})
    monkeypatch.setattr(align_module, "cross_encoder_for", lambda _settings: stand_in)
    wire_a, wire_b = f"{WIRE}.", f"{WIRE}, and the mayor ordered an inquiry into the contractor."
    quote_a, quote_b = f'"{QUOTE[0].upper()}{QUOTE[1:]}," the mayor said.', f'The mayor said: "{QUOTE}."'
    parsed = parse_many(
        [
            Article(id="a", text=f"{wire_a} {quote_a}", outlet="one"),
            Article(id="b", text=f"{wire_b} {quote_b}", outlet="two"),
        ]
    )
    by_text = {m.text: c for c in build_claims(parsed, settings) for m in c.members}
    assert by_text[wire_a] is by_text[wire_b] and by_text[wire_a].kind == "partial"
    assert by_text[quote_a] is by_text[quote_b] and by_text[quote_a].kind == "shared"
    assert (wire_a, wire_b) in stand_in.asked or (wire_b, wire_a) in stand_in.asked


def test_story_scores_are_asked_once_per_pair() -> None:
    stand_in = _StandIn({frozenset(("x", "y")): 0.8})
    same = StorySameFact(stand_in, ["x", "y", "z"])  # type: ignore[arg-type]
    same.score([(0, 1), (1, 0), (0, 2), (1, 1)])
    assert same[(1, 0)] == pytest.approx(0.8) and same[(2, 0)] == pytest.approx(0.05)
    assert len(stand_in.asked) == 2  # (0, 1) once whichever way round, (1, 1) never


def test_none_turns_the_encoder_off_and_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    assert cross_encoder_for(Settings(cross_encoder="none")) is None
    with pytest.raises(ConfigError, match="no usable same-fact cross-encoder") as caught:
        cross_encoder_for(Settings(cross_encoder=str(tmp_path)))
    assert "PARALLAX_CROSS_ENCODER=none" in (caught.value.hint or "")
    (tmp_path / "about.json").write_text(json.dumps({"calibration": {}}), encoding="utf-8")
    with pytest.raises(ConfigError):
        load_cross_encoder(str(tmp_path))
