"""Group a stream of articles into stories (same event), incrementally and in bounded memory.

Each article is sketched once (`parallax.stories.sketch`: lead embedding, names, content
words, date) and placed at once: it joins the open story the fitted join model
(`parallax.stories.decision`) gives the highest probability, if that reaches
`Settings.story_threshold`, else it opens a story. A placed article never moves: adding
articles never re-clusters the past.

Cost per article stays flat as the corpus grows: candidate stories come from an inverted
index of the open stories' names and words, probed with the article's `story_probe_keys`
rarest keys (a key held by more than `story_max_posting` stories tells nothing and is
skipped), and only the best `story_max_candidates` by shared keys are scored. Memory is
bounded by the open stories: a story closes when the newest date seen moves more than
`story_window_days` past its last article, and when more than `story_max_open` stories are
open the least recently joined closes (this bounds undated streams too; an undated article
counts as arriving at the newest date seen). Trade-off: a candidate that shares none of the
probed keys is never scored (a false negative: the article opens a story), in exchange for
never scanning every open story.

The index's state is the open stories' running profiles (`OpenStory`); the store keeps them
(`parallax.store.stories`) so the next run restores the same index and continues.
"""

from __future__ import annotations

import base64
import datetime as dt
import heapq
import math
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from parallax.model import Article, Record
from parallax.nlp import embed_texts
from parallax.settings import Settings, load_settings
from parallax.stories.decision import JoinModel, load_join_model, story_features
from parallax.stories.sketch import ArticleSketch, Embedder, sketch_articles

__all__ = ["OpenStory", "StoryAssignment", "StoryIndex", "cluster_stories", "story_order"]

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class StoryAssignment(Record):
    """Where one article went: its story and the join probability (1.0 for the article that opened it)."""

    article: str
    story: str
    similarity: float


@dataclass
class OpenStory:
    """The running profile of one open story: what the join decision compares an article with."""

    id: str
    number: int
    total: np.ndarray  # sum of the members' unit lead vectors (float64)
    size: int
    names: Counter[str]  # members holding each name
    terms: Counter[str]  # content-word counts summed over the members' leads
    first: dt.date | None
    last: dt.date | None
    last_seq: int  # the stream position of its newest member: least recently joined closes first
    terms_norm2: int = 0
    names_norm2: int = 0
    # the newest members' unit lead vectors and names, oldest first (Settings.story_recent_members of them)
    recent: list[tuple[np.ndarray, frozenset[str]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.terms_norm2:
            self.terms_norm2 = sum(c * c for c in self.terms.values())
        if not self.names_norm2:
            self.names_norm2 = sum(c * c for c in self.names.values())

    def index_keys(self) -> Iterable[str]:
        return self.names.keys() | self.terms.keys()

    def profile(self) -> dict[str, object]:
        """The JSON-able part of the state (the centroid sum travels as bytes: `total.tobytes()`)."""
        return {
            "size": self.size,
            "names": dict(self.names),
            "terms": dict(self.terms),
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
            "number": self.number,
            "recent": [
                {"vector": base64.b64encode(v.astype("<f4").tobytes()).decode("ascii"), "names": sorted(n)}
                for v, n in self.recent
            ],
        }

    @classmethod
    def restored(cls, story_id: str, total: bytes, profile: dict[str, object], last_seq: int) -> OpenStory:
        """The story as `profile()` and `total.tobytes()` saved it."""
        first, last = profile.get("first"), profile.get("last")
        names, terms = profile["names"], profile["terms"]
        assert isinstance(names, dict) and isinstance(terms, dict)
        recent = profile.get("recent") or []  # absent in profiles saved before the member features
        assert isinstance(recent, list)
        return cls(
            id=story_id,
            number=int(str(profile["number"])),
            total=np.frombuffer(total, dtype=np.float64).copy(),
            size=int(str(profile["size"])),
            names=Counter({str(k): int(v) for k, v in names.items()}),
            terms=Counter({str(k): int(v) for k, v in terms.items()}),
            first=dt.date.fromisoformat(first) if isinstance(first, str) else None,
            last=dt.date.fromisoformat(last) if isinstance(last, str) else None,
            last_seq=last_seq,
            recent=[
                (np.frombuffer(base64.b64decode(m["vector"]), dtype="<f4").copy(), frozenset(m["names"]))
                for m in recent
            ],
        )


class StoryIndex:
    """The open stories of a stream; feed it articles oldest first with `add_many` (or `place`).

    `embed` turns leads into unit vectors (default: the configured sentence embedding);
    `stories`, `newest`, `seq` and `count` restore a saved index (see `parallax.store.stories`);
    `on_close` hears the id of each story as it closes (the store marks it closed). A closed story
    leaves the index whole: nothing of it, nor of its articles, is kept.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        embed: Embedder | None = None,
        model: JoinModel | None = None,
        stories: Iterable[OpenStory] = (),
        newest: dt.date | None = None,
        seq: int = 0,
        count: int = 0,
        on_close: Callable[[str], None] | None = None,
    ) -> None:
        self.settings = settings
        self.embed: Embedder = embed or (lambda texts: embed_texts(texts, settings))
        self.model = model or load_join_model()
        self.newest = newest
        self.seq = seq
        self.count = count
        self._open: OrderedDict[int, OpenStory] = OrderedDict()
        self._by_id: dict[str, OpenStory] = {}
        self._postings: dict[str, dict[int, None]] = {}
        self._on_close = on_close
        for story in sorted(stories, key=lambda s: s.last_seq):
            self._open[story.number] = story
            self._by_id[story.id] = story
            self._post(story, story.index_keys())

    @property
    def open_stories(self) -> int:
        return len(self._open)

    @property
    def postings(self) -> int:
        """Entries (key, story) of the inverted index: bounded by the open stories' keys."""
        return sum(len(p) for p in self._postings.values())

    def open(self) -> list[OpenStory]:
        """The open stories, least recently joined first."""
        return list(self._open.values())

    def story(self, story_id: str) -> OpenStory | None:
        """The open story with this id (None once it closed)."""
        return self._by_id.get(story_id)

    def add_many(
        self, articles: Sequence[Article], *, progress: Progress | None = None, batch: int = 256
    ) -> list[StoryAssignment]:
        """Place each article (ids required) in order, embedding them `batch` at a time."""
        out: list[StoryAssignment] = []
        for start in range(0, len(articles), batch):
            sketches = sketch_articles(articles[start : start + batch], self.settings, self.embed)
            out.extend(self.place(s) for s in sketches)
            if progress is not None:
                progress(len(out), len(articles))
        return out

    def place(self, sketch: ArticleSketch) -> StoryAssignment:
        """Join the most probable open story if it reaches the threshold, else open a story."""
        self._advance(sketch.published)
        scored = self.score(sketch)
        best, best_p = None, 0.0
        for story, p in scored:
            if p > best_p:
                best, best_p = story, p
        if best is None or best_p < self.settings.story_threshold:
            return self.join(sketch, None)
        return self.join(sketch, best, best_p)

    def score(self, sketch: ArticleSketch) -> list[tuple[OpenStory, float]]:
        """The candidate stories and the probability the article belongs to each."""
        stories = self.candidates(sketch)
        if not stories:
            return []
        rows = self.features(sketch, stories)
        return list(zip(stories, self.model.probability(rows).tolist(), strict=True))

    def features(self, sketch: ArticleSketch, stories: Sequence[OpenStory]) -> np.ndarray:
        window = self.settings.story_window_days
        return np.stack([story_features(sketch, s, window) for s in stories])

    def candidates(self, sketch: ArticleSketch) -> list[OpenStory]:
        """Open stories sharing the article's rarest keys, the most shared first."""
        cap = self.settings.story_max_posting
        postings = []
        for key in sketch.names.union(t for t, _ in sketch.terms):
            posting = self._postings.get(key)
            if posting is not None and len(posting) <= cap:
                postings.append((len(posting), key, posting))
        postings.sort(key=lambda p: (p[0], p[1]))
        shared: dict[int, float] = {}
        for size, _, posting in postings[: self.settings.story_probe_keys]:
            weight = 1.0 / math.log(1.0 + size) if size > 1 else 1.5
            for number in posting:
                shared[number] = shared.get(number, 0.0) + weight
        best = heapq.nsmallest(
            self.settings.story_max_candidates, shared.items(), key=lambda kv: (-kv[1], kv[0])
        )
        return [self._open[number] for number, _ in best]

    def join(
        self, sketch: ArticleSketch, story: OpenStory | None, similarity: float = 1.0
    ) -> StoryAssignment:
        """Put the article in `story` (None: a new story) and update its profile and the index."""
        self._advance(sketch.published)
        day = sketch.published or self.newest
        self.seq += 1
        if story is None:
            self.count += 1
            story = OpenStory(
                id=f"s{self.count}",
                number=self.count,
                total=np.zeros(sketch.vector.shape, dtype=np.float64),
                size=0,
                names=Counter(),
                terms=Counter(),
                first=day,
                last=day,
                last_seq=self.seq,
            )
            self._open[story.number] = story
            self._by_id[story.id] = story
            similarity = 1.0
        new_keys = [n for n in sketch.names if n not in story.names]
        new_keys += [t for t, _ in sketch.terms if t not in story.terms and t not in sketch.names]
        story.total += sketch.vector.astype(np.float64)
        story.size += 1
        for name in sketch.names:
            story.names_norm2 += 2 * story.names[name] + 1
            story.names[name] += 1
        for term, count in sketch.terms:
            old = story.terms[term]
            story.terms[term] = old + count
            story.terms_norm2 += (old + count) ** 2 - old * old
        if day is not None:
            story.first = day if story.first is None else min(story.first, day)
            story.last = day if story.last is None else max(story.last, day)
        story.last_seq = self.seq
        # a copy: the sketch's vector is a row of its whole batch's array, which a view would keep alive
        story.recent.append((np.array(sketch.vector, dtype=np.float32), sketch.names))
        del story.recent[: -self.settings.story_recent_members]
        self._open.move_to_end(story.number)
        self._post(story, new_keys)
        self._prune(story)
        while len(self._open) > self.settings.story_max_open:
            self._close(next(iter(self._open.values())))
        return StoryAssignment(sketch.id, story.id, round(similarity, 3))

    def _prune(self, story: OpenStory) -> None:
        """Cut a profile grown past twice its bound back to its most frequent names and words, so a
        story that keeps being joined holds bounded memory; the cut keys leave the index too."""
        dropped: list[str] = []
        for counts, keep in (
            (story.names, self.settings.story_profile_names),
            (story.terms, self.settings.story_profile_terms),
        ):
            if len(counts) > 2 * keep:
                ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
                for key, _ in ranked[keep:]:
                    del counts[key]
                    dropped.append(key)
        if not dropped:
            return
        story.names_norm2 = sum(c * c for c in story.names.values())
        story.terms_norm2 = sum(c * c for c in story.terms.values())
        for key in dropped:
            posting = self._postings.get(key)
            if posting is not None and key not in story.names and key not in story.terms:
                posting.pop(story.number, None)
                if not posting:
                    del self._postings[key]

    def _advance(self, published: dt.date | None) -> None:
        if published is None or (self.newest is not None and published <= self.newest):
            return
        self.newest = published
        horizon = published - dt.timedelta(days=self.settings.story_window_days)
        for story in [s for s in self._open.values() if s.last is not None and s.last < horizon]:
            self._close(story)

    def _post(self, story: OpenStory, keys: Iterable[str]) -> None:
        for key in keys:
            self._postings.setdefault(key, {})[story.number] = None

    def _close(self, story: OpenStory) -> None:
        del self._open[story.number]
        del self._by_id[story.id]
        for key in story.index_keys():
            posting = self._postings.get(key)
            if posting is not None:
                posting.pop(story.number, None)
                if not posting:
                    del self._postings[key]
        if self._on_close is not None:
            self._on_close(story.id)


def story_order(articles: Sequence[Article]) -> list[int]:
    """Positions of the articles oldest first, undated ones last, ties in input order."""
    return sorted(
        range(len(articles)),
        key=lambda i: (articles[i].published is None, articles[i].published or dt.date.min),
    )


def cluster_stories(
    articles: Iterable[Article],
    settings: Settings | None = None,
    *,
    embed: Embedder | None = None,
    progress: Progress | None = None,
) -> list[StoryAssignment]:
    """Story of every article, in input order; the batch is fed to a fresh index oldest first (ids needed)."""
    items = list(articles)
    order = story_order(items)
    index = StoryIndex(settings or load_settings(), embed=embed)
    placed = index.add_many([items[i] for i in order], progress=progress)
    by_input = dict(zip(order, placed, strict=True))
    return [by_input[i] for i in range(len(items))]
