"""Fit the same-fact model (src/parallax/claims/same_fact.json) on MRPC train; choose its threshold on dev.

usage: .venv/bin/python training/fit_same_fact.py [--data ../shared/data/mrpc] [--write]

Each pair is parsed by the pipeline's own parse (spaCy, the bundled MiniLM), its features are
taken by `parallax.claims.features.feature_layers`, the very code the report runs, and a
logistic regression (regularisation chosen by 5-fold cross-validation on train) weighs them.
Prints dev precision, recall, F1 and accuracy at the chosen threshold, next to the plain
cosine and a gradient-boosted model on the same features, and a reliability table (how
often pairs given each probability really were the same fact). --write stores the weights.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegressionCV

from parallax import Article, Settings
from parallax.claims.features import FEATURES, SentenceFacts, feature_layers, sentence_facts
from parallax.nlp import parse_articles

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "parallax" / "claims" / "same_fact.json"


def _merged(parsed_article) -> tuple[SentenceFacts, np.ndarray]:  # type: ignore[no-untyped-def]
    """One record per side of a pair: an MRPC 'sentence' the parser splits in two is read whole."""
    facts = [sentence_facts(s) for s in parsed_article.sentences]
    vec = parsed_article.embeddings.mean(axis=0)
    merged = SentenceFacts(
        frozenset().union(*(f.lemmas for f in facts)),
        frozenset().union(*(f.entities for f in facts)),
        frozenset().union(*(f.numbers for f in facts)),
        any(f.negated for f in facts),
        sum(f.words for f in facts),
    )
    return merged, vec / max(float(np.linalg.norm(vec)), 1e-12)


def features(path: Path, settings: Settings) -> tuple[np.ndarray, np.ndarray]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    articles = [
        Article(text=t, id=f"{i}{side}")
        for i, r in enumerate(rows)
        for side, t in (("a", r["a"]), ("b", r["b"]))
    ]
    parsed = parse_articles(articles, settings)
    x = np.zeros((len(rows), len(FEATURES)), dtype=np.float64)
    for i in range(len(rows)):
        (fa, va), (fb, vb) = _merged(parsed[2 * i]), _merged(parsed[2 * i + 1])
        layers = dict(feature_layers([fa, fb], np.stack([va, vb])))
        x[i] = [layers[name][0, 1] for name in FEATURES]
    return x, np.asarray([int(r["label"]) for r in rows])


def scores(y: np.ndarray, yes: np.ndarray) -> dict[str, float]:
    tp = int((yes & (y == 1)).sum())
    p = tp / max(int(yes.sum()), 1)
    r = tp / max(int((y == 1).sum()), 1)
    return {
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "accuracy": float((yes == (y == 1)).mean()),
    }


def best_threshold(y: np.ndarray, prob: np.ndarray) -> float:
    """The threshold with the best F1, accuracy breaking ties (a grid of 0.01)."""
    grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
    return float(
        max(grid, key=lambda t: (round(scores(y, prob >= t)["f1"], 3), scores(y, prob >= t)["accuracy"]))
    )


def reliability(y: np.ndarray, prob: np.ndarray, bins: int = 10) -> list[tuple[str, int, float, float]]:
    out = []
    for k in range(bins):
        lo, hi = k / bins, (k + 1) / bins
        sel = (prob >= lo) & ((prob < hi) if k < bins - 1 else (prob <= hi))
        if sel.any():
            out.append((f"{lo:.1f}-{hi:.1f}", int(sel.sum()), float(prob[sel].mean()), float(y[sel].mean())))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "mrpc")
    parser.add_argument("--write", action="store_true", help=f"write the fitted model to {OUT}")
    args = parser.parse_args(argv)
    settings = Settings()
    x_train, y_train = features(args.data / "train.jsonl", settings)
    x_dev, y_dev = features(args.data / "dev.jsonl", settings)
    model = LogisticRegressionCV(Cs=10, cv=5, max_iter=2000, scoring="neg_log_loss").fit(x_train, y_train)
    prob = model.predict_proba(x_dev)[:, 1]
    threshold = best_threshold(y_dev, prob)
    fitted = scores(y_dev, prob >= threshold)
    boosted = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05).fit(x_train, y_train)
    b_prob = boosted.predict_proba(x_dev)[:, 1]
    b_threshold = best_threshold(y_dev, b_prob)
    cosine = x_dev[:, FEATURES.index("cosine")]
    c_threshold = best_threshold(y_dev, cosine)

    def line(name: str, s: dict[str, float], t: float) -> str:
        return f"{name:<22} at {t:.2f}: " + " ".join(f"{k}={v:.3f}" for k, v in s.items())

    print(f"MRPC train {len(y_train)} pairs, dev {len(y_dev)} pairs; threshold chosen on dev for F1")
    print(line("cosine alone", scores(y_dev, cosine >= c_threshold), c_threshold))
    print(line("logistic (shipped)", fitted, threshold))
    print(line("gradient boosting", scores(y_dev, b_prob >= b_threshold), b_threshold))
    print("reliability on dev (logistic): bin, pairs, mean probability, share truly same")
    for name, n, mean_p, share in reliability(y_dev, prob):
        print(f"  {name}  {n:4d}  {mean_p:.3f}  {share:.3f}")
    weights = dict(zip(FEATURES, (float(w) for w in model.coef_[0]), strict=True))
    print(
        "weights: "
        + " ".join(f"{k}={v:+.3f}" for k, v in weights.items())
        + f" bias={model.intercept_[0]:+.3f}"
    )
    if args.write:
        about = {
            "fitted_on": "MRPC train (3,668 pairs), LogisticRegressionCV, 5-fold, log loss",
            "threshold_on_dev": threshold,
            "dev": {k: round(v, 3) for k, v in fitted.items()},
        }
        payload = {"weights": weights, "bias": float(model.intercept_[0]), "about": about}
        OUT.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
