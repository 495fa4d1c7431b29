"""Speed of `parallax.compare`: cold and warm time, time per stage, the model floor, peak memory.

The model floor is what the models alone cost on the same input: one spaCy pass over every
text, one embedding of every sentence, and the same-fact cross-encoder over the pairs compare
gave it. warm / floor shows the pipeline's own overhead; the ratio against spaCy and the
embeddings alone is printed too (the cross-encoder's share of the time).

usage:
  .venv/bin/python benchmarks/compare.py [FILE ...] [--repeat N]      # files (default: the example story)
  .venv/bin/python benchmarks/compare.py --synthetic 2 5 10 20 [--source FILE ...] [--paragraphs P]
  .venv/bin/python benchmarks/compare.py --lengths 10000 40000 160000 [--source FILE ...]

--synthetic builds N articles of P paragraphs each from the paragraphs of the source files
(default: the multi-outlet stories in ../shared/data/stories), --lengths a pair of articles of
about that many characters each. Every size runs in its own process, so its peak resident
memory (ru_maxrss: models, torch and the report) is its own. Repeated paragraphs get a
numbered lead-in, so no text repeats and nothing is saved by embedding a text only once.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from parallax import Article, Settings, compare
from parallax.claims.cross import CrossEncoder, cross_encoder_for
from parallax.ingest import IngestOptions, read_files
from parallax.nlp import clear_cache, embed_texts, load_embedder, load_spacy
from parallax.nlp.segment import split_blocks
from parallax.pipeline import StageTimer

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [ROOT / "examples" / "nato-membership" / "a.txt", ROOT / "examples" / "nato-membership" / "b.txt"]
STORIES = sorted((ROOT.parent / "shared" / "data" / "stories").glob("*/story.jsonl"))
OPTIONS = IngestOptions(published="2024-12-03")


def _paragraphs(sources: list[Path]) -> list[str]:
    return [
        para.strip()
        for art in read_files(sources, OPTIONS).articles
        for para in art.text.split("\n")
        if len(para.split()) >= 8
    ]


def _take(pool: list[str], start: int, count: int) -> list[str]:
    """`count` paragraphs from `start` on, a numbered lead-in on each pass after the first."""
    out = []
    for k in range(start, start + count):
        lap, index = divmod(k, len(pool))
        para = pool[index]
        out.append(f"In update {lap}, {para[0].lower()}{para[1:]}" if lap else para)
    return out


def synthetic(pool: list[str], n: int, paragraphs: int) -> list[Article]:
    """`n` articles of `paragraphs` paragraphs each, no text repeated."""
    return [
        Article(text="\n\n".join(_take(pool, i * paragraphs, paragraphs)), id=f"x{i}", outlet=f"Outlet {i}")
        for i in range(n)
    ]


def of_length(pool: list[str], chars: int) -> list[Article]:
    """Two articles of about `chars` characters each."""
    out, start = [], 0
    for i in range(2):
        paras: list[str] = []
        while sum(len(p) + 2 for p in paras) < chars:
            paras.extend(_take(pool, start, 1))
            start += 1
        out.append(Article(text="\n\n".join(paras), id=f"x{i}", outlet=f"Outlet {i}"))
    return out


class _PairLog:
    """Records the pairs the same-fact cross-encoder reads during one compare, so the floor can
    time the model alone on exactly those pairs."""

    def __init__(self) -> None:
        self.pairs: list[tuple[str, str]] = []
        self._original = CrossEncoder.probability

    def __enter__(self) -> _PairLog:
        original = self._original

        def probability(encoder: CrossEncoder, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
            self.pairs.extend(pairs)
            return original(encoder, pairs)

        CrossEncoder.probability = probability  # type: ignore[method-assign,assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        CrossEncoder.probability = self._original  # type: ignore[method-assign]


def measure(articles: list[Article], repeat: int) -> dict[str, object]:
    """Cold, warm (median) and floor (median) seconds, stage times, and peak resident memory.

    The floor is every model's own cost: spaCy over the blocks, the embedder over the sentences,
    and the cross-encoder (when one is trained) over the pairs compare gave it.
    """
    settings = Settings()
    clear_cache()
    t0 = time.perf_counter()
    compare(articles, settings)
    cold = time.perf_counter() - t0
    warm_runs, stage_runs = [], []
    report = None
    for _ in range(repeat):
        timer = StageTimer()
        with _PairLog() as log:
            t0 = time.perf_counter()
            report = compare(articles, settings, timer=timer)
            warm_runs.append(time.perf_counter() - t0)
        stage_runs.append(timer.seconds)
    assert report is not None
    nlp = load_spacy(settings.spacy_model)
    load_embedder(settings.embedding_model, settings.device)
    encoder = cross_encoder_for(settings)
    sentences = [s.text for a in report.articles for s in a.sentences]
    blocks = [b.text for a in articles for b in split_blocks(a.text, settings.max_chunk_chars)]
    floors, pair_floors = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        list(nlp.pipe(blocks, batch_size=32))
        embed_texts(sentences, settings)
        floors.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        if encoder is not None and log.pairs:
            encoder.probability(log.pairs)
        pair_floors.append(time.perf_counter() - t0)
    warm, floor = statistics.median(warm_runs), statistics.median(floors)
    pair_floor = statistics.median(pair_floors)
    return {
        "articles": len(articles),
        "chars": sum(len(a.text) for a in articles),
        "sentences": len(sentences),
        "pairs": len(log.pairs),
        "cold_s": round(cold, 3),
        "warm_s": round(warm, 3),
        "floor_s": round(floor + pair_floor, 3),
        "pairs_floor_s": round(pair_floor, 3),
        "ratio": round(warm / (floor + pair_floor), 2),
        "ratio_without_pairs": round(warm / floor, 2),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "stages": {
            name: round(statistics.median(r.get(name, 0.0) for r in stage_runs), 3) for name in stage_runs[0]
        },
    }


def _print_one(m: dict[str, object]) -> None:
    print(f"input: {m['articles']} articles, {m['chars']:,} characters, {m['sentences']} sentences")
    print(f"cold (models load + compare): {m['cold_s']:7.3f} s")
    print(f"warm (median):                {m['warm_s']:7.3f} s")
    print(f"model floor (all models):         {m['floor_s']:7.3f} s")
    print(f"  of it the cross-encoder:        {m['pairs_floor_s']:7.3f} s ({m['pairs']} pairs)")
    print(f"overhead ratio warm / floor:      {m['ratio']:7.2f}x")
    print(f"  against spaCy + embeddings only: {m['ratio_without_pairs']:6.2f}x")
    print(f"peak resident memory:             {m['peak_mib']:7} MiB")
    print("per stage (median, warm):")
    stages = m["stages"]
    assert isinstance(stages, dict)
    for name, seconds in stages.items():
        print(f"  {name:<18} {seconds * 1000:9.1f} ms")


def _table(flag: str, sizes: list[int], args: argparse.Namespace) -> None:
    """One child process per size; one table row each."""
    heads = ("size", "articles", "chars", "sents", "warm s", "floor s", "ratio", "peak MiB")
    print(" ".join(f"{h:>{w}}" for h, w in zip(heads, (8, 8, 9, 6, 8, 8, 6, 9), strict=True)))
    for size in sizes:
        cmd = [sys.executable, __file__, f"--{flag}-one", str(size), "--repeat", str(args.repeat)]
        cmd += ["--paragraphs", str(args.paragraphs), "--source", *map(str, args.source)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        m = json.loads(out.strip().splitlines()[-1])
        print(
            f"{size:>8} {m['articles']:>8} {m['chars']:>9,} {m['sentences']:>6} {m['warm_s']:>8.2f} "
            f"{m['floor_s']:>8.2f} {m['ratio']:>5.2f}x {m['peak_mib']:>9}",
            flush=True,
        )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--synthetic", type=int, nargs="+", metavar="N", help="numbers of articles")
    parser.add_argument("--lengths", type=int, nargs="+", metavar="CHARS", help="characters per article")
    parser.add_argument("--source", type=Path, nargs="+", default=STORIES, help="paragraph pool")
    parser.add_argument("--paragraphs", type=int, default=8, help="paragraphs per synthetic article")
    parser.add_argument("--synthetic-one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--lengths-one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.synthetic:
        _table("synthetic", args.synthetic, args)
    elif args.lengths:
        _table("lengths", args.lengths, args)
    elif args.synthetic_one:
        print(
            json.dumps(
                measure(synthetic(_paragraphs(args.source), args.synthetic_one, args.paragraphs), args.repeat)
            )
        )
    elif args.lengths_one:
        print(json.dumps(measure(of_length(_paragraphs(args.source), args.lengths_one), args.repeat)))
    else:
        _print_one(measure(read_files(args.files, OPTIONS).articles, args.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
