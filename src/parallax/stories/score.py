"""B-cubed precision and recall of a story grouping against gold stories (for fitting and benchmarks)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

__all__ = ["bcubed"]


def bcubed(gold: Mapping[str, str], pred: Mapping[str, str]) -> tuple[float, float, float]:
    """(precision, recall, F1) averaged over the gold articles.

    `pred` may hold more articles than `gold` (distractors with no gold story): they count
    against the precision of any gold article whose predicted story they share.
    """
    if not gold:
        return 0.0, 0.0, 0.0
    pred_size = Counter(pred.values())
    gold_size = Counter(gold.values())
    both = Counter((pred[a], g) for a, g in gold.items())
    p = sum(both[pred[a], g] / pred_size[pred[a]] for a, g in gold.items()) / len(gold)
    r = sum(both[pred[a], g] / gold_size[g] for a, g in gold.items()) / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)
