"""Fit the story-join model (src/parallax/stories/join_model.json) on half of ECB+ dev; report the other half.

usage: .venv/bin/python training/fit_stories.py [--data ../shared/data/ecbplus/dev_articles.jsonl]
       [--cache DIR] [--write]

ECB+ has no train split in ../shared/data, so its dev topics are split by number: odd topics
fit, even topics are held out for the figures. Every ECB+ topic holds two different events of
one kind (two rehab stays, two earthquakes), the hard case for grouping. Pairs come from
replaying the stream as the index sees it (shuffled, several orders): each article against
each candidate the open-story index offers, labelled by whether it is the article's gold
story, after which the article joins its gold story (teacher forcing), so the features are
those of the very code that decides (`StoryIndex.candidates`, `story_features`). A logistic
regression (regularisation by 5-fold cross-validation) weighs them; the join threshold is the
one with the best mean B-cubed F0.5 over the replayed orders of the fit half, running the real
incremental decision: precision counts double because a story page that mixes two events is
false, while one event split over two pages is only incomplete (trust first). Prints both
halves' B-cubed figures. --write stores the weights with their provenance; the threshold
belongs in Settings.story_threshold.
ECB+ articles carry no dates, so `days_apart` is always 0 here and its weight stays near 0:
time enters through the window (`story_window_days`) that closes stories. (No other labelled,
dated story set is in ../shared: PolNeAR is dated but has no story labels, and NewsWCL50 dev is
the evaluation set.)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegressionCV

from parallax import Article, Settings
from parallax.nlp import embed_texts
from parallax.stories import FEATURES, JoinModel, StoryIndex, sketch_articles
from parallax.stories.score import bcubed
from parallax.stories.sketch import ArticleSketch, lead_of

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "parallax" / "stories" / "join_model.json"
DATA = ROOT.parent / "shared" / "data" / "ecbplus" / "dev_articles.jsonl"
ORDERS = 5


def load(path: Path) -> tuple[list[Article], dict[str, str]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    articles = [
        Article(text=r["text"], title=r.get("title"), id=str(r["id"]), published=r.get("date")) for r in rows
    ]
    return articles, {str(r["id"]): r["story"] for r in rows}


def sketches(articles: list[Article], settings: Settings, cache: Path | None) -> list[ArticleSketch]:
    """Sketch with the real model, the vectors cached on disk by the leads' hash when asked."""
    leads = [lead_of(a, settings) for a in articles]
    digest = hashlib.sha256("\0".join([*leads, settings.embedding_model]).encode()).hexdigest()[:16]
    path = cache / f"story-vectors-{digest}.npy" if cache else None
    if path is not None and path.exists():
        vectors = np.load(path)
    else:
        vectors = embed_texts(leads, settings)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, vectors)
    table = dict(zip(leads, vectors, strict=True))
    return sketch_articles(articles, settings, lambda texts: np.stack([table[t] for t in texts]))


def orders(n: int) -> list[list[int]]:
    """File order and ORDERS - 1 shuffles (fixed seeds)."""
    out = [list(range(n))]
    for seed in range(1, ORDERS):
        order = list(range(n))
        random.Random(seed).shuffle(order)
        out.append(order)
    return out


def pairs(
    items: list[ArticleSketch], gold: dict[str, str], settings: Settings
) -> tuple[np.ndarray, np.ndarray]:
    """Teacher-forced article-versus-candidate rows over every replayed order."""
    blank = JoinModel(dict.fromkeys(FEATURES, 0.0), 0.0, {})
    xs: list[np.ndarray] = []
    ys: list[int] = []
    reachable = needed = 0
    for order in orders(len(items)):
        index = StoryIndex(settings, model=blank, embed=lambda t: np.zeros((len(t), 1)))
        story_of: dict[str, str] = {}  # gold story -> index story id
        for i in order:
            sketch = items[i]
            want = story_of.get(gold[sketch.id])
            candidates = index.candidates(sketch)
            if candidates:
                xs.append(index.features(sketch, candidates))
                ys.extend(int(s.id == want) for s in candidates)
            if want is not None:
                needed += 1
                reachable += any(s.id == want for s in candidates)
            target = index.story(want) if want is not None else None
            story_of[gold[sketch.id]] = index.join(sketch, target).story
    print(f"  candidate recall (gold story among the candidates): {reachable / max(needed, 1):.3f}")
    return np.concatenate(xs), np.asarray(ys)


def run(
    items: list[ArticleSketch], gold: dict[str, str], settings: Settings, model: JoinModel
) -> dict[str, float]:
    """Mean B-cubed figures of the real incremental decision over the replayed orders (F0.5 too)."""
    figures = []
    for order in orders(len(items)):
        index = StoryIndex(settings, model=model, embed=lambda t: np.zeros((len(t), 1)))
        pred = {a.article: a.story for a in (index.place(items[i]) for i in order)}
        p, r, f = bcubed({k: gold[k] for k in pred}, pred)
        figures.append((p, r, f, 1.25 * p * r / (0.25 * p + r) if p + r else 0.0))
    p, r, f, f05 = (float(np.mean([x[k] for x in figures])) for k in range(4))
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "f0.5": round(f05, 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--cache", type=Path, default=None, help="keep the lead vectors here between runs")
    parser.add_argument("--write", action="store_true", help=f"write the fitted model to {OUT}")
    args = parser.parse_args(argv)
    settings = Settings()
    articles, gold = load(args.data)
    every = sketches(articles, settings, args.cache)
    topic = {a: int(s.split("_")[1]) for a, s in gold.items()}
    fit = [s for s in every if topic[s.id] % 2 == 1]
    held = [s for s in every if topic[s.id] % 2 == 0]
    print(f"ECB+ dev: {len(fit)} articles fit (odd topics), {len(held)} held out (even topics)")
    x, y = pairs(fit, gold, settings)
    print(f"  {len(y)} article-story pairs, {int(y.sum())} joins")
    lr = LogisticRegressionCV(Cs=10, cv=5, max_iter=5000, scoring="neg_log_loss").fit(x, y)
    weights = dict(zip(FEATURES, map(float, lr.coef_[0]), strict=True))
    bias = float(lr.intercept_[0])
    model = JoinModel(weights, bias, {})
    grid = [round(t, 2) for t in np.arange(0.05, 0.61, 0.05)]
    by_t = {t: run(fit, gold, settings.model_copy(update={"story_threshold": t}), model) for t in grid}
    threshold = max(grid, key=lambda t: (by_t[t]["f0.5"], -abs(t - 0.5)))
    tuned = settings.model_copy(update={"story_threshold": threshold})
    held_figures = run(held, gold, tuned, model)
    print("weights:", json.dumps({k: round(v, 3) for k, v in weights.items()}), f"bias {bias:.3f}")
    for t in grid:
        print(f"  threshold {t:.2f}: fit half {by_t[t]}")
    print(f"chosen threshold {threshold:.2f}: fit half {by_t[threshold]}, held-out half {held_figures}")
    print(f"whole dev (partly fitted): {run(every, gold, tuned, model)}")
    if args.write:
        about = {
            "fitted_on": f"ECB+ dev odd topics ({len(fit)} articles; {len(y)} teacher-forced article-story "
            f"pairs over {ORDERS} orders), LogisticRegressionCV, 5-fold, log loss; training/fit_stories.py",
            "threshold_on_fit_half": threshold,
            "threshold_chosen_by": "best mean B-cubed F0.5 of the fit half (precision first)",
            "fit_half_bcubed": by_t[threshold],
            "held_out_half_bcubed": held_figures,
            "held_out": f"ECB+ dev even topics ({len(held)} articles), mean over {ORDERS} orders",
        }
        OUT.write_text(
            json.dumps(JoinModel(weights, bias, about).to_dict(), indent=2) + "\n", encoding="utf-8"
        )
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
