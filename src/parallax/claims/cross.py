"""The same-fact cross-encoder: both statements read at once, for the pairs worth a closer look.

A bi-encoder cosine compares two summaries; a cross-encoder attends across the pair, so it can
see that "12 killed" and "a dozen dead" agree and that one changed name makes two otherwise
identical sentences different facts. It costs one encoder pass per pair, so it only scores the
candidate pairs the cosine already finds close (see `claims.align`). The model is the bundled
MiniLM fine-tuned on MRPC train by `training/train_cross_encoder.py` (setup.sh runs it once);
its `about.json` holds the calibration and the threshold chosen on MRPC dev.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import platformdirs

from parallax.errors import ConfigError
from parallax.nlp.models import load_pair_classifier
from parallax.settings import Settings

__all__ = [
    "DEFAULT_CROSS_ENCODER_DIR",
    "CrossEncoder",
    "StorySameFact",
    "cross_encoder_for",
    "load_cross_encoder",
    "pair_logits",
]

log = logging.getLogger(__name__)

# Where setup.sh trains the model: the user's data directory, beside the default store.
DEFAULT_CROSS_ENCODER_DIR = Path(platformdirs.user_data_dir("parallax")) / "models" / "same-fact-minilm"
# Pairs longer than this many word pieces are cut (MRPC pairs stay far under it).
_MAX_TOKENS = 128
_BATCH = 32
_LOCK = threading.Lock()


def pair_logits(model: Any, tokenizer: Any, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
    """The model's logit for every pair, averaged over both orders (the decision is symmetric)."""
    import torch

    if not pairs:
        return np.zeros(0, dtype=np.float32)
    out = np.zeros(len(pairs), dtype=np.float32)
    # Shortest first, so each batch pads to a similar length.
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
    with torch.inference_mode():
        for start in range(0, len(order), _BATCH):
            chunk = order[start : start + _BATCH]
            firsts = [pairs[i][0] for i in chunk] + [pairs[i][1] for i in chunk]
            seconds = [pairs[i][1] for i in chunk] + [pairs[i][0] for i in chunk]
            enc = tokenizer(
                firsts, seconds, truncation=True, max_length=_MAX_TOKENS, padding=True, return_tensors="pt"
            )
            logits = model(**enc).logits.squeeze(-1).float().numpy()
            out[chunk] = (logits[: len(chunk)] + logits[len(chunk) :]) / 2
    return out


@dataclass(frozen=True)
class CrossEncoder:
    """The fine-tuned model with its calibration (a Platt weight and bias on the logit) and threshold."""

    model: Any
    tokenizer: Any
    weight: float
    bias: float
    threshold: float
    about: dict[str, Any]

    def probability(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Calibrated P(same fact) for each pair of statements."""
        with _LOCK:  # one forward pass at a time: torch modules are not re-entrant across threads
            logits = pair_logits(self.model, self.tokenizer, pairs)
        return (1.0 / (1.0 + np.exp(-(self.weight * logits + self.bias)))).astype(np.float32)


def load_cross_encoder(path: str) -> CrossEncoder:
    """The cross-encoder in folder `path` (as training/train_cross_encoder.py writes it); the weights
    load once per process (`parallax.nlp.load_pair_classifier`), the small about.json each time."""
    folder = Path(path).expanduser()
    try:
        about = json.loads((folder / "about.json").read_text(encoding="utf-8"))
        weight, bias = float(about["calibration"]["weight"]), float(about["calibration"]["bias"])
        threshold = float(about["threshold_on_dev"])
    except (OSError, KeyError, TypeError, ValueError) as exc:
        raise ConfigError(
            f"no usable same-fact cross-encoder at {folder} ({exc})",
            hint="run `bash setup.sh` (it trains one), or train one with training/train_cross_encoder.py "
            "--out DIR and set PARALLAX_CROSS_ENCODER=DIR, or set PARALLAX_CROSS_ENCODER=none to decide "
            "on sentence similarity alone",
        ) from exc
    model, tokenizer = load_pair_classifier(str(folder))
    return CrossEncoder(model, tokenizer, weight, bias, threshold, about)


def cross_encoder_for(settings: Settings) -> CrossEncoder | None:
    """The cross-encoder the settings ask for; None when they turn it off ("none"), or when the default
    one has not been trained on this machine (logged: the blended similarity then decides alone)."""
    choice = settings.cross_encoder.strip()
    if choice.lower() == "none":
        return None
    if choice.lower() == "default":
        if not (DEFAULT_CROSS_ENCODER_DIR / "about.json").is_file():
            _warn_untrained()
            return None
        choice = str(DEFAULT_CROSS_ENCODER_DIR)
    return load_cross_encoder(choice)


@functools.cache
def _warn_untrained() -> None:
    log.warning(
        "no same-fact cross-encoder at %s: shared facts are decided on sentence similarity alone "
        "(run setup.sh, or training/train_cross_encoder.py, to train it)",
        DEFAULT_CROSS_ENCODER_DIR,
    )


@dataclass
class StorySameFact:
    """P(same fact) for pairs of one story's sentences (by row), each pair scored once, when first asked."""

    encoder: CrossEncoder
    texts: Sequence[str]
    scores: dict[tuple[int, int], float] = field(default_factory=dict)

    @property
    def threshold(self) -> float:
        return self.encoder.threshold

    def score(self, pairs: Iterable[tuple[int, int]]) -> None:
        """Score, in one batch, the pairs not scored yet."""
        missing = sorted({(min(i, j), max(i, j)) for i, j in pairs if i != j} - self.scores.keys())
        if missing:
            probs = self.encoder.probability([(self.texts[i], self.texts[j]) for i, j in missing])
            self.scores.update(zip(missing, (float(p) for p in probs), strict=True))

    def __getitem__(self, pair: tuple[int, int]) -> float:
        i, j = pair
        self.score([pair])
        return self.scores[(min(i, j), max(i, j))]

    def block(self, rows_l: np.ndarray, rows_r: np.ndarray, keep: np.ndarray) -> np.ndarray:
        """The probabilities already scored between two sets of rows where `keep` is True; 0 elsewhere.

        Nothing is scored here: clustering asks many small blocks, and one batch per story is far
        cheaper than one per question.
        """
        out = np.zeros((len(rows_l), len(rows_r)), dtype=np.float64)
        for a, i in enumerate(rows_l):
            for b, j in enumerate(rows_r):
                if keep[a, b]:
                    out[a, b] = self.scores.get((min(int(i), int(j)), max(int(i), int(j))), 0.0)
        return out
