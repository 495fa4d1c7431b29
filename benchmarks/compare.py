"""Speed of `parallax.compare`: cold and warm time, time per stage, and the model floor.

The model floor is what the models alone cost on the same input: one spaCy pass over every
text and one embedding of every sentence. warm / floor shows the pipeline's own overhead.

usage: .venv/bin/python benchmarks/compare.py [FILE ...] [--repeat N]
(default input: the example story in examples/nato-membership)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from parallax import Settings, compare
from parallax.ingest import IngestOptions, read_files
from parallax.nlp import clear_cache, embed_texts, load_embedder, load_spacy
from parallax.nlp.segment import split_blocks
from parallax.pipeline import StageTimer

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [ROOT / "examples" / "nato-membership" / "a.txt", ROOT / "examples" / "nato-membership" / "b.txt"]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    settings = Settings()
    articles = read_files(args.files, IngestOptions(published="2024-12-03")).articles
    chars = sum(len(a.text) for a in articles)

    clear_cache()
    t0 = time.perf_counter()
    compare(articles, settings)
    cold = time.perf_counter() - t0

    warm_runs, stage_runs = [], []
    report = None
    for _ in range(args.repeat):
        timer = StageTimer()
        t0 = time.perf_counter()
        report = compare(articles, settings, timer=timer)
        warm_runs.append(time.perf_counter() - t0)
        stage_runs.append(timer.seconds)
    assert report is not None
    warm = statistics.median(warm_runs)

    nlp = load_spacy(settings.spacy_model)
    load_embedder(settings.embedding_model, settings.device)
    sentences = [s.text for a in report.articles for s in a.sentences]
    blocks = [b.text for a in articles for b in split_blocks(a.text, settings.max_chunk_chars)]
    floors = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        list(nlp.pipe(blocks, batch_size=32))
        embed_texts(sentences, settings)
        floors.append(time.perf_counter() - t0)
    floor = statistics.median(floors)

    print(f"input: {len(articles)} articles, {chars:,} characters, {len(sentences)} sentences")
    print(f"cold (models load + compare): {cold:7.3f} s")
    print(f"warm (median of {args.repeat}):        {warm:7.3f} s")
    print(f"model floor (spaCy + embeddings): {floor:7.3f} s")
    print(f"overhead ratio warm / floor:      {warm / floor:7.2f}x")
    print("per stage (median, warm):")
    for name in stage_runs[0]:
        seconds = statistics.median(run.get(name, 0.0) for run in stage_runs)
        print(f"  {name:<18} {seconds * 1000:9.1f} ms  {seconds / warm:6.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
