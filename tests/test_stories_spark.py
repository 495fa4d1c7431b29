"""The Spark story job (parallax.stories.spark) in local mode, against the single-machine path."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import re
import shutil
import sys
import zlib
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from parallax.model import Article
from parallax.settings import Settings
from parallax.stories import cluster_stories, sketch_articles
from parallax.stories.score import bcubed
from parallax.stories.spark import pair_probability

HAS_PYSPARK = importlib.util.find_spec("pyspark") is not None
HAS_JAVA = bool(shutil.which("java") or os.environ.get("JAVA_HOME"))
needs_pyspark = pytest.mark.skipif(
    not HAS_PYSPARK, reason="pyspark is not installed (pip install -e '.[spark]')"
)
needs_java = pytest.mark.skipif(
    not HAS_JAVA, reason="Spark needs Java and none is on PATH (apt-get install default-jre-headless)"
)


def bow_embed(texts: Sequence[str]) -> np.ndarray:
    """Unit bag-of-words vectors (words hashed into 256 slots): the model's job, without the model."""
    out = np.zeros((len(texts), 256), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in re.findall(r"\w+", text.lower()):
            out[row, zlib.crc32(word.encode()) % 256] += 1.0
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


# Four events, two of one kind (earthquakes in Peru and in Chile a week apart): each article is a
# headline and three sentences drawn from its event's pool, so articles of one event share some
# wording, names and figures and never all of it.
EVENTS = {
    "peru": (
        dt.date(2024, 3, 4),
        [
            "Earthquake in Peru kills 12 in Lima and Callao",
            "A strong earthquake struck Lima on Monday, killing 12 people.",
            "Homes collapsed in Callao after the magnitude 6.8 quake hit Peru.",
            "President Vizcarra flew to Callao to see the damage in Lima's port.",
            "Rescuers searched the rubble of collapsed homes in Callao through the night.",
            "Peru's civil defence said 12 died and 140 were hurt in Lima.",
            "The 6.8 quake was centred 40 km off the coast of Callao, Peru's geophysics institute said.",
        ],
    ),
    "chile": (
        dt.date(2024, 3, 11),
        [
            "Magnitude 7.4 earthquake shakes northern Chile near Iquique",
            "A magnitude 7.4 earthquake hit northern Chile on Monday, near the port of Iquique.",
            "Chile's emergency office Onemi ordered the coast of Iquique evacuated for a tsunami.",
            "President Bachelet said two people died in Iquique and Arica after the quake.",
            "Landslides blocked roads around Iquique and power failed in Arica.",
            "The 7.4 quake was felt in Arica and across the Atacama, Chilean officials said.",
            "Onemi lifted the tsunami warning for Chile's northern coast on Tuesday.",
        ],
    ),
    "oslo": (
        dt.date(2024, 3, 5),
        [
            "Storting passes Norway budget after oil fund debate",
            "Norway's parliament, the Storting, approved the budget in Oslo on Tuesday.",
            "The oil fund debate in Oslo ended when the Storting voted 95 to 74.",
            "Prime minister Solberg said the Norway budget keeps oil fund spending under 3%.",
            "The Progress Party backed Solberg's budget in the Storting after a week of talks.",
            "Oslo's opposition said the oil fund withdrawal in the budget was too large.",
            "Finance minister Jensen told the Storting the budget would cut taxes in Norway.",
        ],
    ),
    "reid": (
        dt.date(2024, 3, 6),
        [
            "Tara Reid checks into Promises rehab in Malibu",
            "Actress Tara Reid checked into Promises Treatment Center in Malibu.",
            "Reid's representative Jack Ketsoyan confirmed her stay at Promises.",
            "Tara Reid, 33, starred in American Pie before entering rehab in Malibu.",
            "Ketsoyan asked for privacy for Tara Reid while she is at Promises.",
            "Promises in Malibu has treated many Hollywood stars, Reid's representative said.",
            "People magazine first reported that Tara Reid had entered rehab at Promises.",
        ],
    ),
}
PER_EVENT = 8


def synthetic_corpus() -> tuple[list[Article], dict[str, str]]:
    """32 articles (8 per event, interleaved, over three days from each event's date) and their gold."""
    articles, gold = [], {}
    for k in range(PER_EVENT):
        for event, (day, (headline, *pool)) in EVENTS.items():
            picks = [pool[(k + j * (1 + k % 2)) % len(pool)] for j in range(3)]
            aid = f"{event}-{k}"
            title = headline if k % 3 else None  # some articles have no title
            articles.append(
                Article(text=" ".join(picks), title=title, id=aid, published=day + dt.timedelta(days=k % 3))
            )
            gold[aid] = event
    return articles, gold


def write_jsonl(articles: Sequence[Article], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for a in articles:
            record = {"id": a.id, "title": a.title, "text": a.text, "outlet": a.outlet}
            record["published"] = a.published.isoformat() if a.published else None
            fh.write(json.dumps(record) + "\n")


def read_output(path: Path) -> dict[str, str]:
    """(id -> story) from the job's JSON-lines folder."""
    out = {}
    for part in sorted(path.glob("part-*")):
        for line in part.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            out[row["id"]] = row["story"]
    return out


def partition(assignment: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for article, story in assignment.items():
        groups[story].add(article)
    return {frozenset(g) for g in groups.values()}


def test_the_pair_decision_is_the_join_model_on_a_one_member_story() -> None:
    settings = Settings()
    articles, _ = synthetic_corpus()
    sketches = {s.id: s for s in sketch_articles(articles, settings, bow_embed)}
    same = pair_probability(sketches["peru-0"], sketches["peru-1"], settings)
    other = pair_probability(sketches["peru-0"], sketches["oslo-1"], settings)
    assert same >= settings.story_threshold > other
    # symmetric: the lower of the two directions
    assert pair_probability(sketches["peru-1"], sketches["peru-0"], settings) == pytest.approx(same)


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    # the test module's embedding travels to the workers by value: they cannot import tests/
    from pyspark import cloudpickle

    from parallax.stories.spark import spark_session

    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    session = spark_session("local[2]")
    yield session
    session.stop()


@needs_pyspark
@needs_java
def test_spark_groups_like_the_single_machine_path(spark: object, tmp_path: Path) -> None:
    """Local mode on 32 synthetic articles of 4 events: the same partition as `cluster_stories`.

    Exact agreement is asserted, not a B-cubed floor: with refinement the job replays the
    single-machine placement inside each connected component, so it differs only where the
    blocking or the pair decision cuts a story the incremental index would have kept whole, and
    on this corpus (every article shares names and figures with several of its event's) none is
    cut. Connected components alone (no refinement) must come within B-cubed F1 0.95 of it:
    single linkage may chain the two earthquakes through one pair; here it does not.
    """
    from parallax.stories.spark import group_stories, read_corpus, run_job

    settings = Settings()
    articles, gold = synthetic_corpus()
    single = {a.article: a.story for a in cluster_stories(articles, settings, embed=bow_embed)}
    assert bcubed(gold, single)[2] == 1.0  # the corpus is one the single-machine path gets right

    source = tmp_path / "corpus.jsonl"
    write_jsonl(articles, source)
    summary = run_job(str(source), str(tmp_path / "out"), settings=settings, embed=bow_embed, spark=spark)
    spark_stories = read_output(tmp_path / "out")
    assert partition(spark_stories) == partition(single)
    assert summary.articles == 32 and summary.stories == 4
    assert 0 < summary.joined_pairs <= summary.candidate_pairs < 32 * 31 // 2
    # story ids name the input position of each story's first article
    assert spark_stories["peru-0"] == "s1" and spark_stories["reid-0"] == "s4"

    parquet = tmp_path / "corpus.parquet"
    spark.read.json(str(source)).write.parquet(str(parquet))  # type: ignore[attr-defined]
    rows, plain = group_stories(
        spark, read_corpus(spark, str(parquet)), settings, embed=bow_embed, refine=False
    )  # type: ignore[arg-type]
    components = {r.id: r.story for r in rows.collect()}
    assert bcubed(single, components)[2] >= 0.95
    assert plain.stories == len(set(components.values())) >= plain.components


def test_the_job_has_a_command_and_a_module_entry_point() -> None:
    from typer.testing import CliRunner

    from parallax.cli import app
    from parallax.stories.spark import main

    result = CliRunner().invoke(app, ["stories-spark", "--help"])
    assert result.exit_code == 0 and "--window-days" in result.output and "--master" in result.output
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
