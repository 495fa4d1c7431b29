"""Does an article join this open story? A logistic model over article-versus-story features.

The features (`FEATURES`) compare one article's sketch with one open story's running profile:
the best cosine of the article's lead embedding with the story's recent members' leads, how far
its mean cosine with the members falls below the members' own mean pairwise cosine (a story of
one event is tight; an article about another event of the same topic sits near it, not in it),
the cosine of their content-word counts, how many of the article's names the story holds and how
central they are to it, the closest recent member by names, how far the article's date lies
outside the story's span, and the story's size. The weights are fitted on ECB+
(training/fit_stories.py writes `join_model.json` with its provenance); `Settings.story_threshold`
is the probability at which an article joins.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np

from parallax.errors import ConfigError

if TYPE_CHECKING:
    from parallax.stories.cluster import OpenStory
    from parallax.stories.sketch import ArticleSketch

__all__ = ["FEATURES", "JoinModel", "load_join_model", "story_features"]

FEATURES = (
    "member_best",
    "cohesion_gap",
    "lead_cosine",
    "name_overlap",
    "name_share",
    "name_cosine",
    "member_names",
    "no_names",
    "days_apart",
    "log_size",
)


def story_features(sketch: ArticleSketch, story: OpenStory, window_days: int) -> np.ndarray:
    """The article-versus-story feature row, in the order of `FEATURES`."""
    dot_total = float(story.total @ sketch.vector)
    if story.recent:
        best = float(max(np.stack([v for v, _ in story.recent]) @ sketch.vector))
    else:  # a profile saved before members were kept: the centroid's cosine stands in
        best = dot_total / max(math.sqrt(float(story.total @ story.total)), 1e-12)
    # the article's mean cosine with the members less the members' own mean pairwise cosine (both from
    # the sum of unit vectors): a tight story of one event is not joined by a merely related article
    gap = 0.0
    if story.size > 1:
        pairwise = (float(story.total @ story.total) - story.size) / (story.size * (story.size - 1))
        gap = dot_total / story.size - pairwise
    dot = sum(count * story.terms.get(term, 0) for term, count in sketch.terms)
    mine = sum(count * count for _, count in sketch.terms)
    lead = dot / math.sqrt(mine * story.terms_norm2) if mine and story.terms_norm2 else 0.0
    names = sketch.names
    shared = [story.names[n] for n in names if n in story.names]
    overlap = len(shared) / len(names) if names else 0.0
    share = sum(shared) / (story.size * len(names)) if names else 0.0
    cosine = sum(shared) / math.sqrt(len(names) * story.names_norm2) if shared else 0.0
    # the closest recent member by names (Jaccard): a story's newest reports, not its whole history
    member_names = max((len(names & n) / len(names | n) for _, n in story.recent if names | n), default=0.0)
    days = 0.0
    if sketch.published is not None and story.first is not None and story.last is not None:
        if sketch.published < story.first:
            days = (story.first - sketch.published).days
        elif sketch.published > story.last:
            days = (sketch.published - story.last).days
        days = min(days / max(window_days, 1), 1.0)
    return np.array(
        [
            best,
            gap,
            lead,
            overlap,
            share,
            cosine,
            member_names,
            0.0 if names else 1.0,
            days,
            math.log1p(story.size),
        ],
        dtype=np.float64,
    )


@dataclass(frozen=True)
class JoinModel:
    """Weights of the fitted logistic model, and where they came from (`about`)."""

    weights: dict[str, float]
    bias: float
    about: dict[str, object]

    def probability(self, rows: np.ndarray) -> np.ndarray:
        """P(the article belongs to the story) for each feature row."""
        w = np.array([self.weights[f] for f in FEATURES], dtype=np.float64)
        return 1.0 / (1.0 + np.exp(-(np.atleast_2d(rows) @ w + self.bias)))

    def to_dict(self) -> dict[str, object]:
        return {"weights": dict(self.weights), "bias": self.bias, "about": dict(self.about)}


@functools.cache
def load_join_model(name: str = "join_model.json") -> JoinModel:
    """The fitted story-join model shipped with the package (read once per process)."""
    try:
        raw = json.loads(resources.files("parallax.stories").joinpath(name).read_text(encoding="utf-8"))
        weights = {f: float(raw["weights"][f]) for f in FEATURES}
        return JoinModel(weights, float(raw["bias"]), dict(raw.get("about", {})))
    except (OSError, KeyError, ValueError) as exc:
        raise ConfigError(
            f"the story-join model {name} is missing or does not match this version's features ({exc})",
            hint="reinstall parallax, or refit it with training/fit_stories.py --write",
        ) from exc
