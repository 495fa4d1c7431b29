"""Quality gate: the seed pair scored by ../shared/eval/score_report.py must not fall below pinned floors.

The floors in quality_floors.json are the figures measured when they were pinned, less a
small tolerance for noise. Raise a floor when the code gets better; never lower one to make
a change pass (say so in the commit if the reference annotation itself changed).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from parallax import Article, compare
from tests.conftest import SEED, SHARED
from tests.test_quality_dev import load_scorer

FLOORS = Path(__file__).with_name("quality_floors.json")
SCORER = SHARED / "eval" / "score_report.py"

pytestmark = [
    pytest.mark.quality,
    pytest.mark.model,
    pytest.mark.skipif(
        not SCORER.exists() or not SEED.exists(), reason=f"{SHARED} (scorer and seed pair) is absent"
    ),
]


def gold_digest() -> str:
    h = hashlib.sha256()
    for name in ("gold.json", "a.txt", "b.txt"):
        h.update((SEED / name).read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def scores() -> dict[str, Any]:
    gold = json.loads((SEED / "gold.json").read_text(encoding="utf-8"))
    gold["_dir"] = str(SEED)
    articles = [
        Article(
            text=(SEED / name).read_text(encoding="utf-8"),
            id=name[0],
            path=str(SEED / name),
            published=gold.get("published_assumed"),
        )
        for name in ("a.txt", "b.txt")
    ]
    report = json.loads(json.dumps(compare(articles).to_dict()))
    result: dict[str, Any] = load_scorer(SCORER).score(report, gold)
    return result


def test_seed_pair_scores_stay_above_their_floors(scores: dict[str, Any]) -> None:
    pinned = json.loads(FLOORS.read_text(encoding="utf-8"))
    tolerance = pinned["tolerance"]
    below = {
        metric: (round(scores[metric], 3), floor)
        for metric, floor in pinned["seed_pair"]["floors"].items()
        if scores[metric] < floor - tolerance
    }
    changed = (
        "" if gold_digest() == pinned["seed_pair"]["sha256"] else " (the reference annotation changed since)"
    )
    assert not below, f"below the pinned floors{changed}: {below}"
