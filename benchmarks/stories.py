"""Story grouping: B-cubed quality on the labelled dev sets, throughput and peak memory on a stream.

usage:
  .venv/bin/python benchmarks/stories.py                      # quality, then speed at 1k and 10k
  .venv/bin/python benchmarks/stories.py --sizes 1000 10000 100000 --skip-quality
  .venv/bin/python benchmarks/stories.py --skip-quality --skip-speed --spark 1695 10000

Quality: B-cubed precision, recall and F1 (`parallax.stories.score.bcubed`) of
`cluster_stories`, the code `parallax stories FILE` runs, on NewsWCL50 dev (dated) and ECB+
dev (undated; two events of one kind per topic), alone and with PolNeAR's 924 articles mixed in
as distractors (they have no gold story: one that joins a gold story counts against its
precision). Mixes: "dated" keeps every date (PolNeAR, 2016-17, then closes before NewsWCL50,
2018, arrives: the window does the work); "undated" drops every date and shuffles the stream
(seed 0), so all articles are open together and only the join decision keeps them apart.
Each lead is embedded once and reused across runs.

Speed: a synthetic stream of N articles, each a real article (of the three sets) with a
made-up person and place prepended, dated at 500 a day, fed to one `StoryIndex` in chunks of
256 (the stream is never held whole). Timed twice: with the lead vectors looked up (the
index's own cost: sketching, candidates, features, decision) and with the model's own cost
added, measured as the embedding rate of the real leads (`embed_texts`, batch 64). The ratio
total / model is the overhead over the model floor, as in benchmarks/compare.py. Peak memory
is tracemalloc's peak over the run (Python allocations: the index, one chunk, the vector
table of the source leads), in a second pass so tracing does not slow the timed one.

Spark (`--spark N ...`): the batch job (`parallax.stories.spark.group_stories`) in local mode
with 1 and then 2 cores on the same corpus, written as JSON lines: 1,695 is the real stream
(ECB+ dev, undated, then PolNeAR's 924 dated articles), any other N the first N of the synthetic
stream above. The workers look the lead vectors up (a table shipped with the job), so the
figures are the job's own cost; the model's cost is added as in the stream timing. Also printed:
the job's B-cubed agreement with `cluster_stories` on the same articles and, on the real
stream, its B-cubed F1 against the ECB+ gold.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time
import tracemalloc
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from parallax import Article, Settings
from parallax.model import parse_date
from parallax.nlp import embed_texts
from parallax.stories import StoryIndex, cluster_stories
from parallax.stories.score import bcubed
from parallax.stories.sketch import lead_of

REAL_SPARK_CORPUS = 1695

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def _rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _article(row: dict[str, object], prefix: str) -> Article:
    day = row.get("date") or row.get("published")
    return Article(
        text=str(row["text"]),
        title=str(row["title"]) if row.get("title") else None,
        id=f"{prefix}{row['id']}",
        published=parse_date(str(day)) if day else None,
    )


def corpora() -> tuple[list[Article], dict[str, str], list[Article], dict[str, str], list[Article]]:
    wcl = _rows(DATA / "newswcl50" / "dev.jsonl")
    ecb = _rows(DATA / "ecbplus" / "dev_articles.jsonl")
    pol = _rows(DATA / "polnear" / "dev.jsonl") + _rows(DATA / "polnear" / "train.jsonl")
    return (
        [_article(r, "w:") for r in wcl],
        {f"w:{r['id']}": str(r["story"]) for r in wcl},
        [_article(r, "e:") for r in ecb],
        {f"e:{r['id']}": str(r["story"]) for r in ecb},
        [_article(r, "p:") for r in pol],
    )


class CachedEmbedder:
    """The model's vector of each distinct lead, computed once."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.table: dict[str, np.ndarray] = {}

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        new = [t for t in dict.fromkeys(texts) if t not in self.table]
        if new:
            self.table.update(zip(new, embed_texts(new, self.settings), strict=True))
        return np.stack([self.table[t] for t in texts])


def _undated_shuffled(articles: Sequence[Article]) -> list[Article]:
    out = [Article(text=a.text, title=a.title, id=a.id) for a in articles]
    random.Random(0).shuffle(out)
    return out


def quality(settings: Settings, embed: CachedEmbedder) -> list[dict[str, object]]:
    wcl, wcl_gold, ecb, ecb_gold, pol = corpora()
    out: list[dict[str, object]] = []
    runs = [
        ("newswcl50 dev", wcl, wcl_gold),
        ("newswcl50 dev, undated, shuffled", _undated_shuffled(wcl), wcl_gold),
        ("newswcl50 + polnear, dated", wcl + pol, wcl_gold),
        ("newswcl50 + polnear, undated, shuffled", _undated_shuffled(wcl + pol), wcl_gold),
        ("ecbplus dev (file order)", ecb, ecb_gold),
        ("ecbplus dev, shuffled", _undated_shuffled(ecb), ecb_gold),
        ("ecbplus + polnear, undated, shuffled", _undated_shuffled(ecb + pol), ecb_gold),
    ]
    for name, articles, gold in runs:
        pred = {a.article: a.story for a in cluster_stories(articles, settings, embed=embed)}
        p, r, f = bcubed(gold, pred)
        stories = len({pred[a] for a in gold})
        out.append(
            {
                "set": name,
                "articles": len(articles),
                "precision": round(p, 3),
                "recall": round(r, 3),
                "f1": round(f, 3),
                "gold_stories": len(set(gold.values())),
                "predicted_stories_over_gold": stories,
            }
        )
        print(json.dumps(out[-1]), flush=True)
    return out


FIRST = [f"Kel{i}" for i in range(300)]
LAST = [f"Dorm{i}" for i in range(300)]
PLACES = [f"Vantor{i}" for i in range(200)]


def stream(sources: Sequence[Article], n: int, per_day: int, seed: int = 0) -> Iterator[tuple[Article, int]]:
    """`n` articles: a real article with a made-up person and place before it, `per_day` a day."""
    rng = random.Random(seed)
    start = dt.date(2020, 1, 1)
    for i in range(n):
        k = rng.randrange(len(sources))
        src = sources[k]
        who = f"{rng.choice(FIRST)} {rng.choice(LAST)} of {rng.choice(PLACES)} spoke."
        yield (
            Article(
                text=f"{who} {src.text}",
                title=src.title,
                id=f"x{i}",
                published=start + dt.timedelta(i // per_day),
            ),
            k,
        )


def run_stream(
    settings: Settings, sources: Sequence[Article], vectors: np.ndarray, n: int, per_day: int, trace: bool
) -> dict[str, float]:
    chunk: dict[str, np.ndarray] = {}
    index = StoryIndex(settings, embed=lambda texts: np.stack([chunk[t] for t in texts]))
    if trace:
        tracemalloc.start()
    began = time.perf_counter()
    batch: list[Article] = []
    for article, k in stream(sources, n, per_day):
        chunk[lead_of(article, settings)] = vectors[k]
        batch.append(article)
        if len(batch) == 256:
            index.add_many(batch)
            batch, chunk = [], {}
    index.add_many(batch)
    seconds = time.perf_counter() - began
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    if trace:
        tracemalloc.stop()
    return {"seconds": seconds, "peak_mib": peak / 2**20, "open": index.open_stories, "stories": index.count}


def speed(settings: Settings, sizes: Sequence[int], per_day: int) -> list[dict[str, object]]:
    wcl, _, ecb, _, pol = corpora()
    sources = wcl + ecb + pol
    leads = [lead_of(a, settings) for a in sources]
    embed_texts(leads[:64], settings)  # load and warm the model
    began = time.perf_counter()
    vectors = embed_texts(leads, settings)
    model_rate = len(leads) / (time.perf_counter() - began)
    print(f"model alone: {model_rate:.1f} leads/s over {len(leads)} real leads", flush=True)
    out: list[dict[str, object]] = []
    for n in sizes:
        timed = run_stream(settings, sources, vectors, n, per_day, trace=False)
        traced = run_stream(settings, sources, vectors, n, per_day, trace=True)
        model_s = n / model_rate
        total_s = timed["seconds"] + model_s
        out.append(
            {
                "articles": n,
                "index_only_per_s": round(n / timed["seconds"], 1),
                "with_model_per_s": round(n / total_s, 1),
                "model_alone_per_s": round(model_rate, 1),
                "total_over_model": round(total_s / model_s, 3),
                "peak_mib": round(traced["peak_mib"], 1),
                "open_stories_at_end": timed["open"],
                "stories": timed["stories"],
            }
        )
        print(json.dumps(out[-1]), flush=True)
    return out


class LookupEmbedder:
    """Lead vectors from a table: pickles, so Spark ships it to its workers with the job."""

    def __init__(self, table: dict[str, np.ndarray]) -> None:
        self.table = table

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self.table[t] for t in texts])


def _spark_corpus(
    settings: Settings, size: int, vectors: np.ndarray
) -> tuple[list[Article], LookupEmbedder, dict[str, str]]:
    """The articles, their lead vectors (each a source's) and the gold stories (real stream only)."""
    wcl, _, ecb, ecb_gold, pol = corpora()
    sources = wcl + ecb + pol
    if size == REAL_SPARK_CORPUS:
        picked = list(range(len(wcl), len(sources)))
        articles = [Article(text=a.text, title=a.title, id=a.id) for a in ecb] + pol
        gold = ecb_gold
    else:
        pairs = list(stream(sources, size, 500))
        articles, picked, gold = [a for a, _ in pairs], [k for _, k in pairs], {}
    table = {lead_of(a, settings): vectors[k] for a, k in zip(articles, picked, strict=True)}
    return articles, LookupEmbedder(table), gold


def spark_timings(settings: Settings, sizes: Sequence[int]) -> list[dict[str, object]]:
    import tempfile

    from parallax.stories.spark import group_stories, read_corpus, spark_session

    wcl, _, ecb, _, pol = corpora()
    leads = [lead_of(a, settings) for a in wcl + ecb + pol]
    embed_texts(leads[:64], settings)  # load and warm the model
    began = time.perf_counter()
    vectors = embed_texts(leads, settings)
    model_rate = len(leads) / (time.perf_counter() - began)
    print(f"model alone: {model_rate:.1f} leads/s over {len(leads)} real leads", flush=True)
    out: list[dict[str, object]] = []
    for size in sizes:
        articles, embed, gold = _spark_corpus(settings, size, vectors)
        single = {a.article: a.story for a in cluster_stories(articles, settings, embed=embed)}
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "corpus.jsonl"
            with path.open("w", encoding="utf-8") as fh:
                for a in articles:
                    day = a.published.isoformat() if a.published else None
                    row = {"id": a.id, "title": a.title, "text": a.text, "published": day}
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            for cores in (1, 2):
                session = spark_session(f"local[{cores}]")
                try:
                    began = time.perf_counter()
                    corpus = read_corpus(session, str(path))
                    stories, summary = group_stories(session, corpus, settings, embed=embed)
                    pred = {str(r.id): str(r.story) for r in stories.collect()}
                    seconds = time.perf_counter() - began
                finally:
                    session.stop()
                model_s = len(articles) / model_rate
                row_out: dict[str, object] = {
                    "spark_cores": cores,
                    "articles": len(articles),
                    "seconds": round(seconds, 1),
                    "job_only_per_s": round(len(articles) / seconds, 1),
                    "with_model_per_s": round(len(articles) / (seconds + model_s), 1),
                    "total_over_model": round((seconds + model_s) / model_s, 3),
                    "candidate_pairs": summary.candidate_pairs,
                    "stories": summary.stories,
                    "agreement_with_single_machine_f1": round(bcubed(single, pred)[2], 3),
                }
                if gold:
                    row_out["ecbplus_f1"] = round(bcubed(gold, pred)[2], 3)
                    row_out["single_machine_ecbplus_f1"] = round(bcubed(gold, single)[2], 3)
                out.append(row_out)
                print(json.dumps(out[-1]), flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--per-day", type=int, default=500)
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument(
        "--spark",
        type=int,
        nargs="*",
        default=[],
        metavar="N",
        help=f"time the Spark job on N articles ({REAL_SPARK_CORPUS}: the real stream; else synthetic)",
    )
    args = parser.parse_args(argv)
    settings = Settings()
    if not args.skip_quality:
        quality(settings, CachedEmbedder(settings))
    if not args.skip_speed:
        speed(settings, args.sizes, args.per_day)
    if args.spark:
        spark_timings(settings, args.spark)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
