"""The `parallax` command line: a thin typer layer that reads files, calls the library and prints a report."""

from __future__ import annotations

import copy
import errno
import logging
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from typer.core import TyperGroup

from parallax import __version__, compare
from parallax.errors import ConfigError, IngestError, ParallaxError
from parallax.ingest import Fetcher, IngestOptions, check_language, is_url, read_files, read_sources
from parallax.model import Article, Report, parse_date
from parallax.nlp.parse import assign_ids
from parallax.pipeline import StageTimer
from parallax.report import (
    SECTION_KEYS,
    Format,
    StoriesFormat,
    ViewOptions,
    render,
    render_stories,
    view_options,
)
from parallax.settings import Settings, load_settings
from parallax.stories import StoryAssignment, cluster_stories

if TYPE_CHECKING:
    from parallax.store import IngestSummary

__all__ = ["app"]

log = logging.getLogger(__name__)

_VERBOSE = "parallax.verbose"
_STDERR = Console(stderr=True)  # binds to sys.stderr at write time, so test runners can swap it


class ParallaxGroup(TyperGroup):
    """The one place a ParallaxError becomes `Error:`/`Hint:` lines and exit status 2."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except MemoryError as exc:
            _print_error(
                ParallaxError(
                    "parallax ran out of memory on this input",
                    hint="compare fewer or shorter articles, or lower PARALLAX_MAX_ARTICLE_CHARS",
                ),
                verbose=bool(ctx.meta.get(_VERBOSE)),
            )
            raise typer.Exit(2) from exc
        except (ParallaxError, OSError) as exc:
            if isinstance(exc, OSError) and exc.errno == errno.EPIPE:
                raise  # a closed pipe (`| head`) is not an error worth a message
            _print_error(exc, verbose=bool(ctx.meta.get(_VERBOSE)))
            raise typer.Exit(2) from exc


app = typer.Typer(
    name="parallax",
    cls=ParallaxGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_error(exc: BaseException, *, verbose: bool) -> None:
    if verbose:
        typer.echo(traceback.format_exc(), err=True, nl=False)
    if isinstance(exc, ParallaxError):
        message, hint = exc.message, exc.hint
    elif isinstance(exc, OSError) and exc.filename:
        message, hint = f"{exc.filename}: {exc.strerror}", None
    else:
        message, hint = str(exc), None
    typer.echo(f"Error: {' '.join(message.splitlines())}", err=True)
    if hint:
        typer.echo(f"Hint: {hint}", err=True)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"parallax {__version__}")
        raise typer.Exit()


def _verbose_callback(ctx: typer.Context, value: bool) -> bool:
    """Turn on INFO logging for parallax (third-party libraries stay at WARNING) and full tracebacks."""
    if value:
        ctx.meta[_VERBOSE] = True
        root = logging.getLogger()
        root.handlers = [h for h in root.handlers if not isinstance(h, RichHandler)]
        root.addHandler(RichHandler(console=_STDERR, show_path=False, log_time_format="[%X]"))
        root.setLevel(logging.WARNING)
        logging.getLogger("parallax").setLevel(logging.INFO)
    return value


# Options shared by every command that prints a report or does real work.
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Write the report to this file instead of stdout.", dir_okay=False),
]
PublishedOption = Annotated[
    str | None,
    typer.Option(metavar="YYYY-MM-DD", help="Publication date of every input that has none of its own."),
]
AllowPrivateOption = Annotated[
    bool,
    typer.Option(
        "--allow-private",
        help="Fetch URLs from loopback, private and link-local addresses too (refused by default).",
    ),
]
SkipBadOption = Annotated[
    bool, typer.Option("--skip-bad", help="Warn about unreadable inputs and go on with the rest.")
]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="URL",
        help="Article store: sqlite:///path.db or postgresql://user@host/dbname "
        "(default: PARALLAX_DB_URL, else parallax.db in the user's data directory).",
    ),
]
WindowDaysOption = Annotated[
    int | None,
    typer.Option(
        "--window-days",
        min=0,
        help="Days a story stays open after its newest article; two articles further apart are never "
        "one story (default: PARALLAX_STORY_WINDOW_DAYS, 7).",
    ),
]
StoryThresholdOption = Annotated[
    float | None,
    typer.Option(
        "--threshold",
        min=0.0,
        max=1.0,
        help="Join probability at which an article joins a story; higher splits more "
        "(default: PARALLAX_STORY_THRESHOLD, 0.45).",
    ),
]
VerboseOption = Annotated[
    bool,
    typer.Option(
        "--verbose",
        "-v",
        help="Log progress to stderr; show the traceback on error.",
        callback=_verbose_callback,
    ),
]


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", callback=_version_callback, is_eager=True
        ),
    ] = False,
) -> None:
    """See how different news outlets report the same story.

    \b
    Example:
        parallax compare bbc.txt reuters.html --published 2024-12-03
        parallax compare -h
    """


@app.command("compare")
def compare_command(
    # Strings, not Paths: a Path would turn "https://x" into "https:/x" before ingest could name it a URL.
    files: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[FILE]...",
            help="Articles: .txt, .html, .json or .jsonl files, or http(s) URLs; none with --story.",
            show_default=False,
        ),
    ] = None,
    fmt: FormatOption = Format.TERMINAL,
    out: OutOption = None,
    published: PublishedOption = None,
    outlet: Annotated[
        list[str] | None,
        typer.Option(
            metavar="NAME",
            help="Outlet name of each file's articles that name none of their own: once per file, in order.",
        ),
    ] = None,
    any_language: Annotated[
        bool,
        typer.Option(
            "--any-language", help="Compare non-English articles too (with a note) instead of refusing."
        ),
    ] = False,
    allow_private: AllowPrivateOption = False,
    skip_bad: SkipBadOption = False,
    story: Annotated[
        str | None,
        typer.Option(
            metavar="ID", help="Compare the articles of this stored story (ids from `parallax stories --db`)."
        ),
    ] = None,
    db: DbOption = None,
    sections: Annotated[
        str | None,
        typer.Option(
            "--sections",
            metavar="LIST",
            help="Print only these sections, comma-separated, in report order (terminal and markdown): "
            f"{', '.join(SECTION_KEYS)}. Default: all.",
        ),
    ] = None,
    top: Annotated[
        int | None,
        typer.Option(
            "--top",
            min=1,
            metavar="N",
            help="At most N items per long section (terminal and markdown), each outlet's most salient "
            "exclusives first; the view says how many it left out.",
        ),
    ] = None,
    verbose: VerboseOption = False,
) -> None:
    """Compare how several articles report the same story.

    Opens with a summary per outlet (what it shares, its top exclusives, conflicts and key
    quotes), then shared facts side by side, each outlet's exclusive statements, quotes,
    entities, timeline, conflicts and framing.

    \b
    Example:
        parallax compare bbc.txt guardian.html --published 2024-12-03
        parallax compare https://example.com/a.html saved-b.html
        parallax compare story.jsonl --format markdown --out report.md
        parallax compare a.txt b.txt -f json | jq '.claims[0]'
        parallax compare --story s12 --db sqlite:///news.db
        parallax compare a.txt b.txt --sections summary,conflicts --top 5
    """
    view = view_options(fmt, sections, top)  # a bad choice fails before any model loads
    if story is not None:
        _emit(_compare_story(story, files or [], db), fmt, out, view)
        return
    if not files:
        raise ConfigError(
            "nothing to compare", hint="name two or more articles, or a stored story with --story ID"
        )
    if outlet and len(outlet) != len(files):
        raise ConfigError(
            f"{len(outlet)} --outlet option(s) for {len(files)} file(s)",
            hint="give --outlet once per file, in the order of the files (leave it out to name outlets "
            "from each page or file name)",
        )
    options = IngestOptions(published=parse_date(published), skip_bad=skip_bad)
    settings = load_settings(any_language=any_language) if any_language else load_settings()
    with Fetcher(settings, allow_private=allow_private) as fetcher:
        articles = _read(files, options, outlet, fetcher)
    if skip_bad:
        articles = _skip_other_languages(articles, settings)
    with _busy("Loading models and comparing…"):
        timer = StageTimer()
        report = compare(articles, settings, timer=timer)
    log.info("stage seconds: %s", ", ".join(f"{k} {v:.2f}" for k, v in timer.seconds.items()))
    _emit(report, fmt, out, view)


def _story_settings(window_days: int | None, threshold: float | None) -> Settings:
    """Settings with the story options the user gave on the command line over the environment's."""
    knobs = {"story_window_days": window_days, "story_threshold": threshold}
    return load_settings(**{k: v for k, v in knobs.items() if v is not None})


@app.command("stories")
def stories_command(
    files: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[FILE]...",
            help="Articles: .txt, .html, .json or .jsonl files; none: the articles of the store.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        StoriesFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
    ] = StoriesFormat.TERMINAL,
    out: OutOption = None,
    published: PublishedOption = None,
    skip_bad: SkipBadOption = False,
    db: DbOption = None,
    window_days: WindowDaysOption = None,
    threshold: StoryThresholdOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Group articles into stories (reports of the same event).

    Each article, oldest first, joins the open story a fitted model finds it most likely to
    belong to (lead embedding, words, names, dates), or opens a new one; a placed article
    never moves, and a story closes --window-days after its newest article. --format jsonl
    prints {"id": ..., "story": ...} for every input article, in input order. With --db (or
    no FILE), the stories of the store: FILEs are stored first, then every stored article is
    printed, in the order they were stored, and the store keeps their stories: only new
    articles are placed, continuing the open stories of the last run.

    \b
    Example:
        parallax stories corpus.jsonl --format jsonl > stories.jsonl
        parallax stories *.txt --published 2024-12-03 --window-days 3
        parallax stories --db sqlite:///news.db --format jsonl --threshold 0.5
    """
    options = IngestOptions(published=parse_date(published), skip_bad=skip_bad)
    settings = _story_settings(window_days, threshold)
    if db is not None or not files:
        articles, assignments = _stored_stories(files or [], db, options, settings)
    else:
        articles = assign_ids(_read(files, options))
        with _progress("Grouping") as tick:
            assignments = cluster_stories(articles, settings, progress=tick)
    if out is not None:
        _write(render_stories(articles, assignments, fmt), out, f"{fmt.value} story list")
    else:
        typer.echo(render_stories(articles, assignments, fmt), nl=False)


@app.command("stories-spark")
def stories_spark_command(
    source: Annotated[
        str,
        typer.Argument(
            metavar="INPUT", help="JSON lines or Parquet: id, text, and optionally title, published, outlet."
        ),
    ],
    output: Annotated[
        str,
        typer.Argument(
            metavar="OUTPUT",
            help="Where (id, story) goes: a Spark folder of JSON lines, Parquet if *.parquet.",
        ),
    ],
    master: Annotated[str, typer.Option("--master", help="Spark master URL.")] = "local[2]",
    window_days: WindowDaysOption = None,
    threshold: StoryThresholdOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Group a corpus into stories on Spark, with the decision of `parallax stories` in batch.

    Needs pyspark (pip install "parallax-news[spark]") and Java 17+. Candidate pairs come from
    MinHash blocking within the time window, the fitted join model links them, connected
    components are refined by the single-machine placement. For a cluster (spark-submit), see
    the README.

    \b
    Example:
        parallax stories-spark corpus.jsonl stories_out --master local[2]
        parallax stories-spark corpus.parquet stories.parquet --window-days 3
    """
    from parallax.stories.spark import run_job

    settings = _story_settings(window_days, threshold)
    with _busy(f"Grouping on Spark ({master})…"):
        summary = run_job(source, output, master=master, settings=settings)
    typer.echo(
        f"{summary.articles} articles, {summary.stories} stories ({summary.candidate_pairs} candidate pairs, "
        f"{summary.joined_pairs} linked) in {summary.seconds:.1f} s: {output}"
    )


@app.command("ingest")
def ingest_command(
    sources: Annotated[
        list[str],
        typer.Argument(
            metavar="SOURCE",
            help="Article files (.txt, .html, .json, .jsonl), directories of them (read recursively), "
            "or http(s) URLs of article pages, RSS/Atom feeds or sitemaps.",
            show_default=False,
        ),
    ],
    db: DbOption = None,
    published: PublishedOption = None,
    outlet: Annotated[
        str | None, typer.Option(metavar="NAME", help="Outlet of every article that names none of its own.")
    ] = None,
    allow_private: AllowPrivateOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Keep articles in the article store, each once.

    An article already stored (same id, same URL once tracking parameters are dropped, or
    near-identical text) is reported as a duplicate, not stored again. Each article is
    committed on its own: an ingest that is stopped keeps what it stored, and running it
    again stores the rest. Prints how many were stored, duplicates, refused and failed.

    \b
    Example:
        parallax ingest corpus/ --db sqlite:///news.db
        parallax ingest a.txt b.jsonl --db postgresql://me@localhost/news
        parallax ingest https://example.com/feed.xml --db sqlite:///news.db
        parallax stories --db sqlite:///news.db --format jsonl
    """
    from parallax.store import ingest_sources, open_store  # the store's libraries load only when used

    options = IngestOptions(published=parse_date(published), outlet=outlet)
    settings = load_settings()
    with (
        open_store(db, settings) as store,
        Fetcher(settings, allow_private=allow_private) as fetcher,
        _progress("Storing") as tick,
    ):
        summary = ingest_sources(sources, store, options=options, fetcher=fetcher, progress=tick)
    typer.echo(_ingest_summary(summary, store.url), nl=False)
    if not summary.read:
        raise IngestError("no source gave an article to store", hint="fix or replace the sources named above")


@app.command("serve")
def serve_command(
    host: Annotated[
        str, typer.Option(help="Address to listen on; anything but loopback serves your network (no login).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    db: DbOption = None,
) -> None:
    """Serve the web page and the REST API (OpenAPI docs at /docs).

    The page at / compares pasted articles or fetched URLs with no JavaScript, and lists the
    stored stories to compare; POST /api/compare answers with the report JSON (or HTML,
    Markdown) and POST /api/jobs/compare runs a comparison in the background for
    GET /api/jobs/ID to poll. GET /api/stories, /api/stories/ID and /api/articles/ID read
    the store; POST /api/stories/ID/compare compares a stored story in the background. The
    models load with the first comparison, once per process. Stop it with Ctrl-C.

    \b
    Example:
        parallax serve
        parallax serve --host 0.0.0.0 --port 8080 --db sqlite:///news.db
        curl -s localhost:8000/api/health
    """
    import uvicorn  # the server's libraries load only when it is started
    from uvicorn.config import LOGGING_CONFIG

    from parallax.store import default_url, resolve_url
    from parallax.web import create_app

    settings = load_settings()
    url = db or settings.db_url or default_url()
    resolve_url(url)  # a URL that cannot be read fails here, not on the first request
    # uvicorn's own logging, plus parallax's (model loads, errors with their tracebacks) on the same stream.
    log_config = copy.deepcopy(LOGGING_CONFIG)
    log_config["loggers"]["parallax"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    uvicorn.run(create_app(settings, db=url), host=host, port=port, log_config=log_config)


def _stored_stories(
    files: Sequence[str], db: str | None, options: IngestOptions, settings: Settings
) -> tuple[list[Article], list[StoryAssignment]]:
    """The store's articles and their stories, after storing `files`."""
    from parallax.store import ingest_sources, open_store, stored_stories

    with open_store(db, settings) as store:
        if files:
            with _progress("Storing") as tick:
                summary = ingest_sources(files, store, options=options, progress=tick)
            typer.echo(_ingest_summary(summary, store.url), err=True, nl=False)
        if not store.count():
            raise IngestError(
                f"the store at {store.url} holds no articles",
                hint="store some with `parallax ingest FILE... --db URL`, or name files to group",
            )
        with _progress("Grouping") as tick:
            return stored_stories(store, settings, progress=tick)


def _compare_story(story: str, files: Sequence[str], db: str | None) -> Report:
    """The report on a stored story's articles, kept in the store with the story."""
    from parallax.store import open_store

    if files:
        raise ConfigError(
            "--story compares a stored story's articles, not files",
            hint="leave out the files, or store them first with `parallax ingest FILE... --db URL`",
        )
    settings = load_settings()
    with open_store(db, settings) as store:
        articles = store.story_articles(story)
        if not articles:
            raise IngestError(
                f"the store at {store.url} holds no story {story!r}",
                hint="list the stories with `parallax stories --db URL` and pass one of their ids",
            )
        if len(articles) < 2:
            raise IngestError(
                f"story {story!r} holds one article ({articles[0].id}); a comparison needs two or more",
                hint="pick a story with several articles from `parallax stories --db URL`",
            )
        with _busy("Loading models and comparing…"):
            report = compare(articles, settings)
        store.add_report(report, story=story)
    return report


def _ingest_summary(summary: IngestSummary, where: str) -> str:
    """Counts, duplicates by reason, then each refused or failed input with its reason."""
    lines = [
        f"Stored {summary.stored} of {summary.read} article(s) from {summary.sources} source(s) in {where}: "
        f"{summary.duplicates} duplicate(s), {summary.refused} refused, {summary.failed} failed"
        + (f"; {summary.fetched} page(s) fetched." if summary.fetched else ".")
    ]
    reasons = Counter(p.reason.split(" (")[0] for p in summary.problems if p.outcome == "duplicate")
    lines += [f"  duplicate ({reason}): {n}" for reason, n in reasons.most_common()]
    lines += [f"  {p.outcome}: {p.source}: {p.reason}" for p in summary.problems if p.outcome != "duplicate"]
    return "\n".join(lines) + "\n"


@contextmanager
def _progress(what: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr when a person is watching; yields the `progress(done, total)` callback."""
    with Progress(
        TextColumn(what),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=_STDERR,
        transient=True,
        disable=not _STDERR.is_terminal,
    ) as bar:
        task = bar.add_task(what, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _read(
    files: Sequence[str],
    options: IngestOptions,
    outlets: Sequence[str] | None = None,
    fetcher: Fetcher | None = None,
) -> list[Article]:
    """Read the inputs (URLs too, given a fetcher); with --skip-bad, unreadable ones become warnings."""
    if fetcher is not None and any(is_url(f) for f in files):
        result = read_sources(files, options, outlets or None, fetcher=fetcher)
    else:
        result = read_files(files, options, outlets or None)
    for failure in result.failures:
        typer.echo(f"Warning: skipped {failure.message}", err=True)
    if not result.articles:
        raise IngestError("none of the inputs could be read", hint="fix or remove the files named above")
    return list(result.articles)


def _skip_other_languages(articles: list[Article], settings: Settings) -> list[Article]:
    """With --skip-bad, a non-English article is a warning like an unreadable file."""
    kept = []
    for article in articles:
        try:
            kept.append(check_language(article, settings)[0])
        except IngestError as err:
            typer.echo(f"Warning: skipped {err.message}", err=True)
    if not kept:
        raise IngestError(
            "none of the inputs is in English", hint="pass --any-language to compare them anyway"
        )
    return kept


@contextmanager
def _busy(message: str) -> Iterator[None]:
    """A spinner on stderr while models load and stages run, only when a person is watching."""
    if not _STDERR.is_terminal:
        yield
        return
    with _STDERR.status(message):
        yield


def _write(text: str, out: Path, what: str) -> None:
    out.write_text(text, encoding="utf-8")
    typer.echo(f"Wrote the {what} to {out}", err=True)


def _emit(report: Report, fmt: Format, out: Path | None, view: ViewOptions | None = None) -> None:
    """Print to stdout (terminal view sized and coloured to it), or write to --out and say so."""
    if out is not None:
        _write(render(report, fmt, view=view), out, f"{fmt.value} report")
        return
    stdout = Console()
    color = stdout.is_terminal and not stdout.no_color
    width = stdout.width if stdout.is_terminal else None
    typer.echo(render(report, fmt, width=width, color=color, view=view), nl=False)
