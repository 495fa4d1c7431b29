"""Group a corpus into stories on Spark, in batch, with the story decision of the single-machine path.

The incremental index (`parallax.stories.cluster`) places one article at a time on one machine.
This job takes a whole corpus (JSONL or Parquet: id, title, text, published, outlet) and:

1. sketches every article inside `mapPartitions` (`sketch_articles`: lead embedding, names,
   words, date), so each Python worker loads the sentence model once (`embed_texts` goes through
   the cached `parallax.nlp.load_embedder`); tests inject a model-free embedding;
2. blocks: a MinHash signature (datasketch) of the lead's names and words, cut into `bands` of
   `rows` values; two articles are a candidate pair when one band matches and their dates lie
   within `Settings.story_window_days` (dates are bucketed by window, an undated article meets
   every date, as the incremental index lets it join any open story);
3. decides each candidate pair with the fitted join model (`parallax.stories.decision`): one
   article against a one-member story of the other, opened by `StoryIndex.join` itself so the
   profile is exactly what the single-machine path would compare with; both directions are
   scored and the lower probability is kept (a pair joins only if each would join the other);
4. joins the pairs at `Settings.story_threshold` into connected components (min-label
   propagation with pointer jumping, DataFrames only: no GraphFrames);
5. with `refine` (the default), replays the single-machine placement inside each component
   (a fresh `StoryIndex`, articles oldest first): connected components alone chain two events
   of one topic through a single bridging pair, while the incremental decision compares an
   article with a story's whole profile. Components are the blocks; the cost of this step is
   bounded by the largest component, which lands on one worker.

On ECB+ dev (771 articles, two events per topic) the components alone score B-cubed F1 0.82,
refined 0.85, as the single-machine path (0.86). Story ids are `s<N>`, N the smallest 1-based input
position among the story's articles. Run it as `parallax stories-spark INPUT OUTPUT`,
`python -m parallax.stories.spark`, or through spark-submit with a one-line launcher calling
`main` (see the README).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import sys
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from parallax.errors import ConfigError, ParallaxError
from parallax.model import Article, parse_date
from parallax.settings import Settings, load_settings
from parallax.stories.cluster import OpenStory, StoryIndex
from parallax.stories.decision import JoinModel, load_join_model, story_features
from parallax.stories.sketch import ArticleSketch, Embedder, sketch_articles

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["SparkStoriesSummary", "group_stories", "main", "pair_probability", "run_job", "spark_session"]

# Blocking, measured on ECB+ dev leads (names and words; 771 undated articles, so no date blocking):
# same-story pairs have a median Jaccard of 0.15, other-event pairs of one topic 0.06, unrelated pairs
# 0.01. 128 bands of 2 min-hashes give 17,197 candidates (6% of all pairs) holding 87% of the
# same-story pairs. With the join model of 69bfb0b (threshold 0.45) and refinement the stories come
# within B-cubed F1 0.988 of the single-machine path's (F1 against gold 0.853 vs 0.857); 64 bands
# of 1 min-hash: 130,216 candidates, 0.993 (0.856). The rest of the gap is the candidate cap of the
# single-machine index (Settings.story_max_candidates), not missed links: linking at 0.2 gives 0.989.
DEFAULT_BANDS = 128
DEFAULT_ROWS = 2
# A guess: a band bucket holding more articles than this (a common word's min-hash) is skipped, so
# one bucket cannot make a quadratic number of pairs.
MAX_BUCKET = 1000
_SKETCH_BATCH = 256


@dataclass(frozen=True)
class SparkStoriesSummary:
    """What a run did: counts at each step and its wall time (from the first sketch to the last label).

    `components` counts the connected components of linked articles; an article with no link is a
    story of its own and is counted in `stories` only.
    """

    articles: int
    candidate_pairs: int
    joined_pairs: int
    components: int
    stories: int
    iterations: int
    seconds: float

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def spark_session(master: str | None = "local[2]", app_name: str = "parallax-stories") -> SparkSession:
    """A Spark session; with a local master, the Python workers run this interpreter.

    `master` None: spark-submit's (it starts the driver with its gateway), else local[2]. Without
    pyspark or Java this is a ConfigError saying what to install.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise ConfigError(
            "the Spark job needs pyspark", hint='install the extra: pip install "parallax-news[spark]"'
        ) from exc
    if master is None and "PYSPARK_GATEWAY_PORT" not in os.environ:
        master = "local[2]"
    builder = SparkSession.builder.appName(app_name)
    if master is not None:
        builder = builder.master(master)
    if master is not None and master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = builder.config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "8")
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # py4j raises RuntimeError/Py4JError/PySparkRuntimeError when Java is missing
        raise ConfigError(
            f"cannot start Spark ({master}): {exc}",
            hint="Spark needs Java 17 or newer on PATH (Debian: apt-get install default-jre-headless)",
        ) from exc
    session.sparkContext.setLogLevel("ERROR")
    return session


def read_corpus(spark: SparkSession, path: str) -> DataFrame:
    """The corpus as (pos, id, title, text, published, outlet): Parquet if the path says so, else JSON lines.

    `pos` is the input order (the single-machine path breaks date ties by it); `published` is kept
    as text and read by `parse_date` on the workers.
    """
    from pyspark.sql import functions as F

    parquet = path.rstrip("/").endswith(".parquet") or (
        os.path.isdir(path) and any(n.endswith(".parquet") for n in os.listdir(path))
    )
    frame = spark.read.parquet(path) if parquet else spark.read.json(path)
    if "id" not in frame.columns or "text" not in frame.columns:
        raise ConfigError(
            f"{path} has no id or text column (found: {', '.join(frame.columns) or 'none'})",
            hint="give one article a row with id, text and optionally title, published, outlet",
        )
    cols = [F.col("id").cast("string").alias("id"), F.col("text").cast("string").alias("text")]
    for name in ("title", "published", "outlet"):
        value = F.col(name).cast("string") if name in frame.columns else F.lit(None).cast("string")
        cols.append(value.alias(name))
    rows = frame.select(*cols).rdd.zipWithIndex().map(lambda ri: (ri[1], *ri[0]))
    return rows.toDF("pos long, id string, text string, title string, published string, outlet string")


# --- sketches and blocking keys (run on the workers) ----------------------------------------------

Sketched = tuple[int, ArticleSketch]


def _sketch_partition(rows: Iterable[Any], settings: Settings, embed: Embedder | None) -> Iterator[Sketched]:
    from parallax.nlp import embed_texts

    embedder: Embedder = embed or (lambda texts: embed_texts(texts, settings))
    batch: list[Any] = []

    def flush() -> Iterator[Sketched]:
        articles = [
            Article(
                text=r.text or "", title=r.title, outlet=r.outlet, published=parse_date(r.published), id=r.id
            )
            for r in batch
        ]
        for row, sketch in zip(batch, sketch_articles(articles, settings, embedder), strict=True):
            yield int(row.pos), sketch
        batch.clear()

    for row in rows:
        batch.append(row)
        if len(batch) >= _SKETCH_BATCH:
            yield from flush()
    if batch:
        yield from flush()


def _band_keys(sketch: ArticleSketch, bands: int, rows: int) -> list[tuple[int, int]]:
    """(band, bucket) of the sketch's MinHash signature over its names and words; none if it has no key."""
    from datasketch import MinHash

    keys = sketch.names.union(t for t, _ in sketch.terms)
    if not keys:
        return []
    signature = MinHash(num_perm=bands * rows, seed=7)
    signature.update_batch([k.encode("utf-8") for k in sorted(keys)])
    values = np.asarray(signature.hashvalues, dtype=np.uint64).reshape(bands, rows)
    out = []
    for band, row in enumerate(values):
        digest = hashlib.blake2b(row.tobytes(), digest_size=8).digest()
        out.append((band, int.from_bytes(digest, "big", signed=True)))
    return out


def _block_rows(item: Sketched, bands: int, rows: int, block_days: int) -> Iterator[tuple[Any, ...]]:
    """(pos, band, bucket, block, spill) rows: a dated article also spills into the next date block."""
    pos, sketch = item
    day = sketch.published.toordinal() if sketch.published is not None else None
    for band, bucket in _band_keys(sketch, bands, rows):
        if day is None:
            yield pos, band, bucket, None, False
        else:
            yield pos, band, bucket, day // block_days, False
            yield pos, band, bucket, day // block_days + 1, True


# --- the pair decision ----------------------------------------------------------------------------


def _no_embedding(texts: Sequence[str]) -> np.ndarray:
    raise AssertionError("a one-member story is opened from a sketch: nothing is embedded")


def _one_member_story(sketch: ArticleSketch, settings: Settings, model: JoinModel) -> OpenStory:
    """The story the single-machine index opens for this article alone (its own `join`, not a copy)."""
    index = StoryIndex(settings, embed=_no_embedding, model=model)
    index.join(sketch, None)
    (story,) = index.open()
    return story


def pair_probability(
    a: ArticleSketch, b: ArticleSketch, settings: Settings, model: JoinModel | None = None
) -> float:
    """P(same story) of two articles: the join model's probability each way, the lower one."""
    model = model or load_join_model()
    story_a, story_b = _one_member_story(a, settings, model), _one_member_story(b, settings, model)
    return _both_ways(a, story_a, b, story_b, settings, model)


def _both_ways(
    a: ArticleSketch,
    story_a: OpenStory,
    b: ArticleSketch,
    story_b: OpenStory,
    settings: Settings,
    model: JoinModel,
) -> float:
    window = settings.story_window_days
    rows = np.stack([story_features(a, story_b, window), story_features(b, story_a, window)])
    return float(model.probability(rows).min())


def _within_window(a: ArticleSketch, b: ArticleSketch, window_days: int) -> bool:
    if a.published is None or b.published is None:
        return True
    return abs((a.published - b.published).days) <= window_days


# An article meets about fifty candidates on ECB+ (42,652 pairs for 1,695 articles): its one-member
# story is opened once per partition and kept while it is among the last this many used.
_OPENED_CACHE = 4096


def _score_partition(
    pairs: Iterable[tuple[int, tuple[Sketched, ArticleSketch]]], settings: Settings, model: JoinModel
) -> Iterator[tuple[int, int, float]]:
    """(a, b, probability) for the candidate pairs whose dates lie within the window."""
    opened: OrderedDict[int, OpenStory] = OrderedDict()

    def story_of(pos: int, sketch: ArticleSketch) -> OpenStory:
        story = opened.get(pos)
        if story is None:
            story = opened[pos] = _one_member_story(sketch, settings, model)
            if len(opened) > _OPENED_CACHE:
                opened.popitem(last=False)
        else:
            opened.move_to_end(pos)
        return story

    for pos_b, ((pos_a, a), b) in pairs:
        if _within_window(a, b, settings.story_window_days):
            p = _both_ways(a, story_of(pos_a, a), b, story_of(pos_b, b), settings, model)
            yield pos_a, pos_b, p


# --- connected components -------------------------------------------------------------------------


def _components(
    spark: SparkSession, edges: DataFrame, checkpoint: Callable[[DataFrame], DataFrame]
) -> tuple[DataFrame, int]:
    """(pos, label) for every article in `edges` (src, dst), label the smallest pos of its component.

    Min-label propagation over both directions of each edge, each round followed by pointer jumping
    (a label takes its own label's label), until no label changes.
    """
    from pyspark.sql import functions as F

    both = edges.select("src", "dst").union(
        edges.select(F.col("dst").alias("src"), F.col("src").alias("dst"))
    )
    both = checkpoint(both.distinct())
    labels = checkpoint(both.select(F.col("src").alias("pos")).distinct().withColumn("label", F.col("pos")))
    rounds = 0
    while True:
        rounds += 1
        heard = (
            both.join(labels, both.src == labels.pos)
            .groupBy("dst")
            .agg(F.min("label").alias("heard"))
            .withColumnRenamed("dst", "pos")
        )
        step = labels.join(heard, "pos", "left").select(
            "pos", F.least("label", F.coalesce("heard", "label")).alias("label")
        )
        parent = step.select(F.col("pos").alias("p"), F.col("label").alias("grand"))
        jumped = step.join(parent, step.label == parent.p, "left").select(
            "pos", F.least("label", F.coalesce("grand", "label")).alias("label")
        )
        jumped = checkpoint(jumped)
        changed = jumped.join(labels.withColumnRenamed("label", "old"), "pos").where("label != old").count()
        labels = jumped
        if not changed:
            return labels, rounds


# --- refinement: the single-machine placement inside each component -------------------------------


def _place_component(
    members: Iterable[Sketched], settings: Settings, model: JoinModel
) -> Iterator[tuple[int, int]]:
    """(pos, smallest pos of its story) for a component's articles, placed oldest first by a fresh index."""
    items = sorted(members, key=lambda m: (m[1].published is None, m[1].published or dt.date.min, m[0]))
    index = StoryIndex(settings, embed=_no_embedding, model=model)
    placed = [(pos, index.place(sketch).story) for pos, sketch in items]
    first: dict[str, int] = {}
    for pos, story in placed:
        first[story] = min(pos, first.get(story, pos))
    for pos, story in placed:
        yield pos, first[story]


# --- the job --------------------------------------------------------------------------------------


def group_stories(
    spark: SparkSession,
    corpus: DataFrame,
    settings: Settings | None = None,
    *,
    embed: Embedder | None = None,
    bands: int = DEFAULT_BANDS,
    rows: int = DEFAULT_ROWS,
    refine: bool = True,
) -> tuple[DataFrame, SparkStoriesSummary]:
    """(pos, id, story) for every article of `corpus` (as `read_corpus` gives it), and the run's counts.

    `embed` stands in for the sentence model (it is shipped to the workers, so it must pickle).
    """
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    settings = settings or load_settings()
    if bands < 1 or rows < 1:
        raise ConfigError("bands and rows must be at least 1", hint="the defaults are 128 bands of 2 rows")
    model = load_join_model()
    started = time.perf_counter()
    cached: list[Any] = []

    def checkpoint(frame: DataFrame) -> DataFrame:
        return frame.localCheckpoint(eager=True)

    # a JSON-lines file is read as one partition: spread it over the cores before the model runs
    spread = max(spark.sparkContext.defaultParallelism, corpus.rdd.getNumPartitions())
    columns = corpus.select("pos", "id", "title", "text", "published", "outlet")
    sketches = columns.repartition(spread).rdd.mapPartitions(
        lambda part: _sketch_partition(part, settings, embed)
    )
    sketches.persist(StorageLevel.MEMORY_AND_DISK)
    cached.append(sketches)
    articles = sketches.count()

    block_days = settings.story_window_days + 1
    keys = spark.createDataFrame(
        sketches.flatMap(lambda item: _block_rows(item, bands, rows, block_days)),
        "pos long, band int, bucket long, block long, spill boolean",
    )
    keys = checkpoint(keys)
    crowded = keys.where(~F.col("spill")).groupBy("band", "bucket").count().where(F.col("count") > MAX_BUCKET)
    keys = keys.join(crowded.select("band", "bucket"), ["band", "bucket"], "left_anti")
    left = keys.where(~F.col("spill")).alias("l")
    right = keys.alias("r")
    dated = left.join(
        right,
        (F.col("l.band") == F.col("r.band"))
        & (F.col("l.bucket") == F.col("r.bucket"))
        & (F.col("l.block") == F.col("r.block")),
    )
    undated = left.where(F.col("l.block").isNull()).join(
        right.where(~F.col("r.spill")),
        (F.col("l.band") == F.col("r.band")) & (F.col("l.bucket") == F.col("r.bucket")),
    )
    pairs = (
        dated.union(undated)
        .select(F.col("l.pos").alias("a"), F.col("r.pos").alias("b"))
        .where(F.col("a") != F.col("b"))
        .select(F.least("a", "b").alias("a"), F.greatest("a", "b").alias("b"))
        .distinct()
    )
    pairs = checkpoint(pairs)
    candidate_pairs = pairs.count()

    scored = (
        pairs.rdd.map(lambda r: (int(r.a), int(r.b)))
        .join(sketches)  # (a, (b, sketch_a))
        .map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
        .join(sketches)  # (b, ((a, sketch_a), sketch_b))
        .mapPartitions(lambda part: _score_partition(part, settings, model))
    )
    edges = spark.createDataFrame(scored, "src long, dst long, p double").where(
        F.col("p") >= settings.story_threshold
    )
    edges = checkpoint(edges)
    joined_pairs = edges.count()
    if joined_pairs:
        labels, iterations = _components(spark, edges, checkpoint)
    else:
        labels, iterations = spark.createDataFrame([], "pos long, label long"), 0
    components = labels.select("label").distinct().count()

    if refine and joined_pairs:
        members = labels.rdd.map(lambda r: (int(r.pos), int(r.label))).join(
            sketches
        )  # (pos, (label, sketch))
        placed = (
            members.map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
            .groupByKey()
            .flatMap(lambda kv: _place_component(kv[1], settings, model))
        )
        labels = spark.createDataFrame(placed, "pos long, label long")
    labels = checkpoint(labels)
    stories = (
        corpus.select("pos", "id")
        .join(labels, "pos", "left")
        .select(
            "pos", "id", F.concat(F.lit("s"), (F.coalesce("label", "pos") + 1).cast("string")).alias("story")
        )
    )
    stories = checkpoint(stories)
    story_count = stories.select("story").distinct().count()
    for rdd in cached:
        rdd.unpersist()
    summary = SparkStoriesSummary(
        articles=articles,
        candidate_pairs=candidate_pairs,
        joined_pairs=joined_pairs,
        components=components,
        stories=story_count,
        iterations=iterations,
        seconds=round(time.perf_counter() - started, 2),
    )
    return stories, summary


def write_stories(stories: DataFrame, output: str) -> None:
    """(id, story) in input order: Parquet if `output` ends in .parquet, else JSON lines (a Spark folder)."""
    frame = stories.orderBy("pos").select("id", "story").coalesce(1)
    writer = frame.write.mode("overwrite")
    if output.rstrip("/").endswith(".parquet"):
        writer.parquet(output)
    else:
        writer.json(output)


def run_job(
    input_path: str,
    output: str,
    *,
    master: str | None = "local[2]",
    settings: Settings | None = None,
    embed: Embedder | None = None,
    bands: int = DEFAULT_BANDS,
    rows: int = DEFAULT_ROWS,
    refine: bool = True,
    spark: SparkSession | None = None,
) -> SparkStoriesSummary:
    """Group INPUT into stories and write (id, story) to OUTPUT; the session stops unless it was given."""
    own = spark is None
    session = spark or spark_session(master)
    try:
        corpus = read_corpus(session, input_path)
        stories, summary = group_stories(
            session, corpus, settings, embed=embed, bands=bands, rows=rows, refine=refine
        )
        write_stories(stories, output)
        return summary
    finally:
        if own:
            session.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m parallax.stories.spark INPUT OUTPUT` (also as the spark-submit entry point)."""
    parser = argparse.ArgumentParser(
        prog="python -m parallax.stories.spark", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "input", help="JSON lines or Parquet with id, text, and optionally title, published, outlet"
    )
    parser.add_argument(
        "output", help="where (id, story) goes: a Spark folder, Parquet if it ends in .parquet"
    )
    parser.add_argument(
        "--master", default=None, help="Spark master (default: spark-submit's, else local[2])"
    )
    parser.add_argument("--window-days", type=int, default=None, help="days between articles of one story")
    parser.add_argument("--threshold", type=float, default=None, help="join probability of a pair")
    parser.add_argument("--bands", type=int, default=DEFAULT_BANDS, help="MinHash bands (blocking)")
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="MinHash values per band")
    parser.add_argument("--no-refine", action="store_true", help="stories are the connected components")
    args = parser.parse_args(argv)
    knobs = {"story_window_days": args.window_days, "story_threshold": args.threshold}
    try:
        settings = load_settings(**{k: v for k, v in knobs.items() if v is not None})
        summary = run_job(
            args.input,
            args.output,
            master=args.master,
            settings=settings,
            bands=args.bands,
            rows=args.rows,
            refine=not args.no_refine,
        )
    except ParallaxError as exc:
        print(f"Error: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(f"Hint: {exc.hint}", file=sys.stderr)
        return 2
    print(" ".join(f"{k}={v}" for k, v in summary.to_dict().items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
