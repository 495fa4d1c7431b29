"""Same fact, different words: MRPC dev through the public `parallax.compare`.

usage: .venv/bin/python benchmarks/paraphrase.py [--data ../shared/data/mrpc/dev.jsonl] [--limit N]

A pair counts as "same" when its two one-sentence articles share a claim (as
`../shared/eval/measure.py mrpc` scores it). Prints precision, recall, F1 and accuracy, then
how well the evidence probability the report shows is calibrated: per decile, the mean
probability against the share of pairs truly the same (pairs no claim joins show none).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from parallax import Article, Settings, compare

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "mrpc" / "dev.jsonl")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[: args.limit] if args.limit else rows
    settings = Settings()
    tp = fp = fn = tn = 0
    shown: list[tuple[float, int]] = []  # (evidence probability, label) for pairs a claim joins
    for row in rows:
        report = compare([Article(text=row["a"], id="a"), Article(text=row["b"], id="b")], settings)
        joined = [c for c in report.claims if c.kind != "exclusive" and c.evidence is not None]
        same = any(c.kind == "shared" for c in joined)
        label = int(row["label"])
        tp += same and label == 1
        fp += same and label == 0
        fn += (not same) and label == 1
        tn += (not same) and label == 0
        if joined:
            shown.append((max(c.evidence.probability for c in joined if c.evidence), label))
    p = tp / max(tp + fp, 1)
    r = tp / max(tp + fn, 1)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(f"MRPC dev, {len(rows)} pairs through parallax.compare")
    print(f"precision={p:.3f} recall={r:.3f} f1={f1:.3f} accuracy={(tp + tn) / max(len(rows), 1):.3f}")
    print(f"calibration of the shown probability ({len(shown)} pairs a claim joins):")
    print("  decile   pairs  mean probability  share truly same")
    for k in range(10):
        lo, hi = k / 10, (k + 1) / 10
        part = [(q, y) for q, y in shown if lo <= q < hi or (k == 9 and q == 1.0)]
        if part:
            mean = sum(q for q, _ in part) / len(part)
            true = sum(y for _, y in part) / len(part)
            print(f"  {lo:.1f}-{hi:.1f}  {len(part):4d}  {mean:.3f}  {true:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
