"""Incremental story grouping: sketches, features, the open-story index, its persistence and its bounds."""

from __future__ import annotations

import datetime as dt
import re
import zlib
from collections import Counter
from collections.abc import Sequence

import numpy as np
import pytest

from parallax.model import Article
from parallax.settings import Settings
from parallax.stories import FEATURES, OpenStory, StoryIndex, cluster_stories, sketch_articles
from parallax.stories.decision import load_join_model, story_features
from parallax.stories.score import bcubed
from parallax.stories.sketch import names_of, terms_of

QUAKE = "A magnitude 7 earthquake struck off the coast of Chile, collapsing buildings in two towns."
QUAKE_2 = "Chile earthquake: a powerful 7.0 quake hit the Chilean coast and buildings collapsed in two towns."
BUDGET = "The city council approved next year's school budget after a long debate over teacher pay."


def fake_embed(texts: Sequence[str]) -> np.ndarray:
    """Unit bag-of-words vectors (words hashed into 256 slots): the model's job, without the model."""
    out = np.zeros((len(texts), 256), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in re.findall(r"\w+", text.lower()):
            out[row, zlib.crc32(word.encode()) % 256] += 1.0
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


EVENTS = {
    "peru": [
        "Earthquake in Peru: a strong quake struck Lima on Monday, killing 12, destroying homes in Callao.",
        "Rescuers in Lima searched collapsed homes after the Peru earthquake killed 12 people near Callao.",
        "Peru's president Vizcarra visited Callao, where the Lima earthquake destroyed homes and killed 12.",
    ],
    "oslo": [
        "Norway's parliament in Oslo approved the Storting budget after a long debate on oil revenue.",
        "The Storting in Oslo voted for the Norway budget, ending a debate over the oil fund.",
        "Oslo: Norway's Storting passed its budget; the oil fund debate ended with the vote.",
    ],
    "reid": [
        "Tara Reid checked into Promises Treatment Center in Malibu, her representative Ketsoyan said.",
        "Actress Tara Reid entered rehab at Promises in Malibu, confirmed representative Jack Ketsoyan.",
    ],
}


def corpus() -> tuple[list[Article], dict[str, str]]:
    """The events' articles interleaved, dated over three days; and their gold stories."""
    articles, gold = [], {}
    for k in range(3):
        for event, texts in EVENTS.items():
            if k < len(texts):
                aid = f"{event}{k}"
                articles.append(Article(text=texts[k], id=aid, published=dt.date(2024, 3, 1 + k)))
                gold[aid] = event
    return articles, gold


def test_names_and_terms_are_read_without_a_parser() -> None:
    text = "On Monday Tara Reid's team said the U.S. magnitude 6.1 quake hit. The rehab center confirmed."
    assert names_of(text) == {"tara", "reid", "u.s", "6.1", "team", "rehab"} - {"team", "rehab"}
    assert terms_of(text)["quake"] == 1
    assert "the" not in terms_of(text) and "monday" not in terms_of(text)


def test_features_compare_an_article_with_a_story_profile() -> None:
    settings = Settings()
    sketch = sketch_articles([Article(text=QUAKE, id="a", published="2024-03-10")], settings, fake_embed)[0]
    story = OpenStory(
        id="s1",
        number=1,
        total=2 * sketch.vector.astype(np.float64),
        size=2,
        names=dict.fromkeys(sketch.names, 2) | {"lima": 1},  # type: ignore[arg-type]
        terms=dict(sketch.terms),  # type: ignore[arg-type]
        first=dt.date(2024, 3, 1),
        last=dt.date(2024, 3, 6),
        last_seq=2,
        recent=[(sketch.vector, sketch.names), (sketch.vector, sketch.names | {"lima"})],
    )
    row = dict(zip(FEATURES, story_features(sketch, story, window_days=8), strict=True))
    assert row["member_best"] == pytest.approx(1.0, abs=1e-6)
    assert row["cohesion_gap"] == pytest.approx(0.0, abs=1e-6)  # as close as the members are to each other
    assert row["lead_cosine"] == pytest.approx(1.0)
    assert row["name_overlap"] == 1.0 and row["name_share"] == 1.0
    assert row["member_names"] == 1.0
    assert row["days_apart"] == pytest.approx(4 / 8)
    assert row["log_size"] == pytest.approx(np.log(3))


def _story_of(vectors: list[np.ndarray]) -> OpenStory:
    return OpenStory(
        id="s1",
        number=1,
        total=np.sum(vectors, axis=0).astype(np.float64),
        size=len(vectors),
        names=Counter(),
        terms=Counter(),
        first=None,
        last=None,
        last_seq=len(vectors),
        recent=[(v, frozenset()) for v in vectors],
    )


def test_member_features_tell_a_related_article_from_a_tight_story() -> None:
    # Three near-identical members and an article half-way to another topic: its best member cosine is
    # its cosine with them, and it falls below the members' own closeness (a negative gap).
    e = np.eye(4, dtype=np.float32)
    story = _story_of([e[0], e[0], e[0]])
    article = sketch_articles(
        [Article(text="x", id="a")], Settings(), lambda t: np.array([[0.6, 0.8, 0, 0]])
    )[0]
    row = dict(zip(FEATURES, story_features(article, story, window_days=7), strict=True))
    assert row["member_best"] == pytest.approx(0.6)
    assert row["cohesion_gap"] == pytest.approx(0.6 - 1.0)
    loose = _story_of([e[0], e[1]])  # members far apart: the same article is no outlier there
    row = dict(zip(FEATURES, story_features(article, loose, window_days=7), strict=True))
    assert row["member_best"] == pytest.approx(0.8) and row["cohesion_gap"] == pytest.approx(0.7)


def test_a_story_keeps_its_newest_members_only_and_saves_them() -> None:
    settings = Settings(story_recent_members=2)
    index = StoryIndex(settings, embed=fake_embed)
    placed = index.add_many([Article(text=EVENTS["peru"][k % 3], id=str(k)) for k in range(4)])
    assert len({a.story for a in placed}) == 1
    story = index.open()[0]
    assert story.size == 4 and len(story.recent) == 2
    saved = OpenStory.restored(story.id, story.total.tobytes(), story.profile(), story.last_seq)
    assert [n for _, n in saved.recent] == [n for _, n in story.recent]
    assert all(np.array_equal(a, b) for (a, _), (b, _) in zip(saved.recent, story.recent, strict=True))
    # a profile saved before members were kept still restores; the centroid stands in for them
    old = {k: v for k, v in story.profile().items() if k != "recent"}
    legacy = OpenStory.restored(story.id, story.total.tobytes(), old, story.last_seq)
    sketch = sketch_articles([Article(text=EVENTS["peru"][1], id="x")], settings, fake_embed)[0]
    row = dict(zip(FEATURES, story_features(sketch, legacy, window_days=7), strict=True))
    assert legacy.recent == [] and 0.5 < row["member_best"] <= 1.0 and row["member_names"] == 0.0


def test_the_fitted_model_ships_with_its_provenance() -> None:
    model = load_join_model()
    assert set(model.weights) == set(FEATURES)
    assert "ECB+" in str(model.about["fitted_on"])
    assert model.weights["name_cosine"] > 0 and model.weights["member_best"] > 0
    assert (
        model.weights["cohesion_gap"] > 0
    )  # an article below the story's own closeness is less likely in it


def test_same_event_joins_other_events_open_stories() -> None:
    articles, gold = corpus()
    got = {a.article: a.story for a in cluster_stories(articles, Settings(), embed=fake_embed)}
    assert bcubed(gold, got) == (1.0, 1.0, 1.0)


def test_two_batches_give_the_stories_of_one_batch() -> None:
    articles, _ = corpus()
    whole = cluster_stories(articles, Settings(), embed=fake_embed)
    index = StoryIndex(Settings(), embed=fake_embed)
    halves = index.add_many(articles[:4]) + index.add_many(articles[4:])
    assert halves == whole


def test_a_restored_index_continues_the_same_stories() -> None:
    articles, _ = corpus()
    whole = cluster_stories(articles, Settings(), embed=fake_embed)
    first = StoryIndex(Settings(), embed=fake_embed)
    placed = first.add_many(articles[:5])
    saved = [OpenStory.restored(s.id, s.total.tobytes(), s.profile(), s.last_seq) for s in first.open()]
    again = StoryIndex(
        Settings(), embed=fake_embed, stories=saved, newest=first.newest, seq=first.seq, count=first.count
    )
    assert placed + again.add_many(articles[5:]) == whole


def test_stories_close_after_the_window_and_are_never_reclustered() -> None:
    closed: list[str] = []
    index = StoryIndex(Settings(story_window_days=3), embed=fake_embed, on_close=closed.append)
    first = index.add_many([Article(text=EVENTS["peru"][0], id="1", published="2024-03-01")])[0]
    later = index.add_many([Article(text=EVENTS["oslo"][0], id="2", published="2024-03-20")])[0]
    assert index.open_stories == 1 and closed == [first.story]
    again = index.add_many([Article(text=EVENTS["peru"][1], id="3", published="2024-03-21")])[0]
    assert again.story not in (first.story, later.story)


def test_open_stories_are_capped_least_recent_first_undated_too() -> None:
    closed: list[str] = []
    index = StoryIndex(Settings(story_max_open=2), embed=fake_embed, on_close=closed.append)
    placed = index.add_many([Article(text=texts[0], id=event) for event, texts in EVENTS.items()])
    assert index.open_stories == 2 and closed == [placed[0].story]
    assert [s.id for s in index.open()] == [placed[1].story, placed[2].story]


def test_closed_stories_leave_the_index_over_many_windows() -> None:
    """Ten windows of a stream whose every story is new: open stories and postings stay at one window's."""
    closed: list[str] = []
    index = StoryIndex(Settings(story_window_days=3), embed=fake_embed, on_close=closed.append)
    widest = 0
    for day in range(40):
        when = dt.date(2024, 1, 1) + dt.timedelta(day)
        words = [f"Qor{day}x{k} met Vel{day}y{k} in Tarn{day}z{k} about plan{day}w{k}." for k in range(5)]
        index.add_many([Article(text=w, id=f"{day}-{k}", published=when) for k, w in enumerate(words)])
        widest = max(widest, index.postings)
        if day == 3:
            one_window = index.postings
        stories = index.open()
        assert all(s.last is not None and (when - s.last).days <= 3 for s in stories)
        assert index.postings == sum(len(set(s.index_keys())) for s in stories)
        # each member vector is its own copy, not a view keeping its whole batch's array alive
        assert all(v.base is None for s in stories for v, _ in s.recent)
    assert index.open_stories == 4 * 5 and widest == one_window
    assert index.count == 40 * 5 and len(closed) == 36 * 5


def test_a_long_running_story_keeps_a_bounded_profile() -> None:
    """A story joined again and again by reports naming new people keeps its most frequent names."""
    index = StoryIndex(Settings(story_profile_names=8, story_profile_terms=40), embed=fake_embed)
    base = EVENTS["peru"][0]
    placed = index.add_many([Article(text=f"Kel{k} Dorm{k} said: {base}", id=str(k)) for k in range(12)])
    assert len({a.story for a in placed}) == 1
    story = index.open()[0]
    assert len(story.names) <= 16, story.names
    assert all(story.names[n] == 12 for n in ("peru", "lima", "callao")), story.names
    assert story.names_norm2 == sum(c * c for c in story.names.values())
    assert index.postings == len(set(story.index_keys()))


def test_candidates_come_from_shared_keys_only() -> None:
    index = StoryIndex(Settings(story_max_candidates=1), embed=fake_embed)
    index.add_many([Article(text=texts[0], id=event) for event, texts in EVENTS.items()])
    sketch = sketch_articles([Article(text=EVENTS["reid"][1], id="x")], Settings(), fake_embed)[0]
    assert [s.id for s in index.candidates(sketch)] == ["s3"]
    unrelated = sketch_articles([Article(text="Zyx qwv plorb.", id="y")], Settings(), fake_embed)[0]
    assert index.candidates(unrelated) == []


def test_bcubed_counts_distractors_against_precision() -> None:
    gold = {"a": "x", "b": "x", "c": "y"}
    assert bcubed(gold, {"a": "1", "b": "1", "c": "2"}) == (1.0, 1.0, 1.0)
    p, r, _ = bcubed(gold, {"a": "1", "b": "1", "c": "2", "noise": "2"})
    assert p == pytest.approx((1 + 1 + 0.5) / 3) and r == 1.0


@pytest.mark.model
def test_same_event_joins_and_other_event_opens_a_story() -> None:
    arts = [
        Article(text=QUAKE, id="1", published="2024-03-01"),
        Article(text=BUDGET, id="2", published="2024-03-01"),
        Article(text=QUAKE_2, id="3", published="2024-03-02"),
    ]
    got = {a.article: a.story for a in cluster_stories(arts)}
    assert got["1"] == got["3"] != got["2"]
