"""The web server's FastAPI app: a form page, the REST API with OpenAPI docs, and background jobs.

Nothing here loads a model: the first comparison does, once per process (parallax.nlp.models
caches them). Every comparison runs in one bounded pool (parallax.web.jobs). Errors reach
clients as JSON `{"error": message, "hint": hint}`, never as a traceback; the form page
shows them as a short HTML page instead.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field, replace
from typing import Annotated, Any, Literal

import httpx
from fastapi import FastAPI, Form, HTTPException, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from parallax import __version__, compare
from parallax.errors import IngestError, ModelError, ParallaxError, StoreError
from parallax.ingest import Fetcher, fetch_article
from parallax.ingest.fetch import Resolver, system_resolver
from parallax.model import Article, parse_date
from parallax.nlp.models import load_embedder, load_spacy
from parallax.pipeline import StageTimer
from parallax.report import SECTION_KEYS, ViewOptions, render, view_options
from parallax.report.html import content_security_policy
from parallax.settings import Settings, load_settings
from parallax.store import open_store
from parallax.store.store import Store
from parallax.web.jobs import Job, JobOutput, JobRunner, Progress, RunnerBusy
from parallax.web.pages import error_page, form_page, job_page, story_page

__all__ = ["ArticleIn", "CompareRequest", "create_app"]

log = logging.getLogger(__name__)

OutputFormat = Literal["json", "html", "markdown"]
FORM_STORIES = 20  # stored stories listed per page of the form
MAX_PAGE = 200  # most stories one GET /api/stories answers with
# The pages this server writes load nothing: the form needs only inline CSS; the report page also
# runs its one inline script, named by its hash, so no other script (an article's, say) could run.
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
REPORT_CSP = f"{content_security_policy()}; frame-ancestors 'none'"


class ArticleIn(BaseModel):
    """One article of a comparison; the fields of parallax.Article."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        min_length=1, description="The article's text (plain text; a first line may be the title)."
    )
    title: str | None = Field(None, description="Headline.")
    outlet: str | None = Field(None, description="Outlet name; else the URL's host.")
    published: str | None = Field(
        None,
        description="Publication date, YYYY-MM-DD (an ISO datetime is cut to its date); undated articles "
        "are read against the latest date of the others, and the report says so.",
        examples=["2024-12-03"],
    )
    url: str | None = Field(None, description="Where the article was published; shown, never fetched.")
    id: str | None = Field(None, description="Article id in the report; default a, b, c...")

    @field_validator("published")
    @classmethod
    def _iso_date(cls, value: str | None) -> str | None:
        parse_date(value)  # a ConfigError is a ValueError, so pydantic reports it as a 422
        return value

    def to_article(self) -> Article:
        return Article(
            text=self.text,
            title=self.title,
            outlet=self.outlet,
            published=parse_date(self.published),
            url=self.url,
            id=self.id,
        )


class CompareRequest(BaseModel):
    """The articles of one story and the form of the answer."""

    model_config = ConfigDict(extra="forbid")

    articles: list[ArticleIn] = Field(min_length=1, description="One or more reports of the same story.")
    format: OutputFormat = Field(
        "json",
        description="json: the report JSON (schema parallax.report/1); html: one self-contained page; "
        "markdown: the Markdown view.",
    )
    sections: list[str] | None = Field(
        None,
        description=f"Markdown only: the sections to show, in report order ({', '.join(SECTION_KEYS)}); "
        "default all.",
        examples=[["summary", "conflicts"]],
    )
    top: int | None = Field(
        None, ge=1, description="Markdown only: cut each long section to its first N items."
    )

    def view(self) -> ViewOptions | None:
        """The Markdown view's choices; a ConfigError (400) when given for json or html."""
        if self.sections is None and self.top is None:
            return None
        sections = None if self.sections is None else ",".join(self.sections)
        return view_options(self.format, sections, self.top)


class JobAccepted(BaseModel):
    """A queued background comparison and where to poll it (and, for a story, where to read it)."""

    job: str
    status: str = "queued"
    status_url: str
    report_url: str | None = Field(None, description="The HTML report page, once the job is done.")


class JobState(BaseModel):
    """A background comparison as it stands: `progress` names the stage, `result` or `error` the end."""

    job: str
    status: Literal["queued", "running", "done", "failed"]
    progress: str = Field(description="queued, a pipeline stage (language, parse, claims...), done or failed")
    result: Any = Field(None, description="When done: the report JSON, or the HTML or Markdown text.")
    error: dict[str, Any] | None = Field(None, description="When failed: {error, hint, status}.")


class ErrorBody(BaseModel):
    """Every error this server answers with."""

    error: str
    hint: str | None = None


class StoryOut(BaseModel):
    """A stored story in a list: its first titled article's headline, size, outlets and dates."""

    id: str
    title: str | None
    articles: int = Field(description="How many stored articles the story holds.")
    outlets: list[str]
    first_published: str | None = Field(description="Earliest publication date, YYYY-MM-DD.")
    last_published: str | None = Field(description="Latest publication date, YYYY-MM-DD.")
    url: str = Field(description="This story's articles: GET it.")


class StoryPage(BaseModel):
    """One page of the stored stories, the newest first."""

    total: int
    offset: int
    limit: int
    stories: list[StoryOut]


class ArticleMeta(BaseModel):
    """A stored article without its text."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None = Field(description="Where the article was published.")
    language: str | None
    characters: int = Field(description="Length of its text.")
    article_url: str = Field(description="The whole article, text included: GET it.")


class StoryArticles(BaseModel):
    """A stored story's articles, in the order they were stored."""

    id: str
    articles: list[ArticleMeta]
    compare_url: str = Field(description="POST here to compare them in the background.")


class ArticleOut(BaseModel):
    """A stored article, text included."""

    id: str
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None
    language: str | None
    source: str | None = Field(description="The file or address it was read from.")
    text: str


@dataclass
class _ProgressTimer(StageTimer):
    """A StageTimer that also tells a job which stage it has reached."""

    on_stage: Progress = field(default=lambda _stage: None)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self.on_stage(name)
        with super().stage(name):
            yield


def _status_of(exc: ParallaxError) -> int:
    """Models and the store failing are the server's fault; anything else parallax refuses is the input's."""
    return 500 if isinstance(exc, ModelError | StoreError) else 400


def _error(status: int, message: str, hint: str | None = None, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, "hint": hint, **extra}, status_code=status)


def _describe_job_error(exc: BaseException) -> dict[str, Any]:
    if isinstance(exc, ParallaxError):
        return {"error": exc.message, "hint": exc.hint, "status": _status_of(exc)}
    log.error("background comparison failed", exc_info=exc)
    return {"error": "internal error", "hint": "the server log has the details", "status": 500}


def _html(page: str, status: int = 200, *, csp: str = CSP) -> HTMLResponse:
    return HTMLResponse(
        page,
        status_code=status,
        headers={"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff"},
    )


def _output(result: Any, fmt: OutputFormat) -> Response:
    if fmt == "json":
        return JSONResponse(result)
    if fmt == "html":
        return _html(result, csp=REPORT_CSP)
    return Response(result, media_type="text/markdown; charset=utf-8")


def _compare_work(
    articles: list[Article],
    fmt: OutputFormat,
    settings: Settings,
    *,
    urls: list[str] | None = None,
    fetcher: Callable[[], Fetcher] | None = None,
    published: dt.date | None = None,
    view: ViewOptions | None = None,
) -> Callable[[Progress], Any]:
    """The comparison a request asks for, as work for the pool: the report JSON, or its rendered text.

    `urls` are fetched first, in the pool, through a fresh safe fetcher (`fetcher()`); their
    articles follow the pasted ones, dated by the pasted ones' date where the page gives none.
    """

    def work(progress: Progress) -> Any:
        found = list(articles)
        if urls and fetcher is not None:
            progress("fetch")
            with fetcher() as session:
                for url in urls:
                    fetched = fetch_article(url, session)
                    found.append(fetched if fetched.published else replace(fetched, published=published))
        report = compare(found, settings, timer=_ProgressTimer(on_stage=progress))
        return report.to_dict() if fmt == "json" else render(report, fmt, view=view)

    return work


def _story_work(
    story_id: str, articles: list[Article], store: Store, settings: Settings
) -> Callable[[Progress], JobOutput]:
    """A stored story's comparison: the report JSON and its HTML page; the report is kept in the store."""

    def work(progress: Progress) -> JobOutput:
        report = compare(articles, settings, timer=_ProgressTimer(on_stage=progress))
        try:
            store.add_report(report, story=story_id)
        except StoreError as exc:  # the report is still worth reading
            log.warning("could not keep the report on story %s: %s", story_id, exc)
        return JobOutput(report.to_dict(), page=render(report, "html"))

    return work


class _StoreAccess:
    """The server's article store, opened on first use (a server with no store still serves comparisons).

    A Store is safe to share between threads: each call opens its own session on the one engine.
    """

    def __init__(self, url: str | None, settings: Settings) -> None:
        self.url = url
        self._settings = settings
        self._store: Store | None = None
        self._lock = threading.Lock()

    def get(self) -> Store:
        if self.url is None:
            raise _NoStore()
        with self._lock:
            if self._store is None:
                self._store = open_store(self.url, self._settings)
            return self._store

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None


class _NoStore(Exception):
    """The server was started without an article store."""


class _BodyLimit:
    """Refuse a request body over `max_bytes` with 413, by its Content-Length or as it streams in."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _refusal(self) -> str:
        return f"the request body is over the server's limit of {self.max_bytes:,} bytes"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.max_bytes:
            await _error(413, self._refusal(), _SIZE_HINT)(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                raise HTTPException(413, self._refusal())  # FastAPI passes HTTPExceptions on while reading
            return message

        await self.app(scope, limited, send)


_SIZE_HINT = "send fewer or shorter articles, or raise PARALLAX_WEB_MAX_BODY_BYTES on the server"


def _too_many(count: int, settings: Settings) -> JSONResponse | None:
    if count <= settings.web_max_articles:
        return None
    return _error(
        413,
        f"{count} articles, over the server's limit of {settings.web_max_articles} in one comparison",
        "compare fewer articles, or raise PARALLAX_WEB_MAX_ARTICLES on the server",
    )


def create_app(
    settings: Settings | None = None,
    *,
    db: str | None = None,
    transport: httpx.BaseTransport | None = None,
    resolver: Resolver | None = None,
) -> FastAPI:
    """The parallax web app; `settings` default to the PARALLAX_* environment. Loads no model.

    `db` is the article store's URL (else `settings.db_url`; with neither, the store's endpoints
    answer 404). `transport` and `resolver` reach the safe fetcher of the form's URLs: tests pass
    an httpx.MockTransport and a table of addresses, so nothing touches the network.
    """
    settings = settings or load_settings()
    stored = _StoreAccess(db or settings.db_url, settings)
    runner = JobRunner(
        workers=settings.web_workers,
        max_pending=settings.web_max_pending,
        max_finished=settings.web_max_finished_jobs,
        describe_error=_describe_job_error,
    )

    def new_fetcher() -> Fetcher:
        return Fetcher(settings, transport=transport, resolver=resolver or system_resolver)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        runner.shutdown()
        stored.close()

    app = FastAPI(
        title="parallax",
        version=__version__,
        description="Compare how news outlets report the same story: shared facts, exclusives, quotes, "
        "entities, timeline, conflicts and framing; read the stories of an article store. "
        "Errors are JSON `{error, hint}`.",
        lifespan=lifespan,
    )
    app.add_middleware(_BodyLimit, max_bytes=settings.web_max_body_bytes)
    _add_error_handlers(app)
    errors: dict[int | str, dict[str, Any]] = {
        code: {"model": ErrorBody, "description": why}
        for code, why in [
            (400, "An article parallax cannot read (bad date, non-English text...)"),
            (413, "Too large a body or too many articles"),
            (500, "A model could not be loaded, or an internal error"),
            (503, "Too many comparisons queued; retry later"),
        ]
    }

    @app.get("/api/health", summary="Server version and model names", tags=["server"])
    def health() -> dict[str, Any]:
        """The version and the models comparisons use; `models_loaded`: has a comparison loaded them yet."""
        return {
            "status": "ok",
            "version": __version__,
            "models": {"spacy": settings.spacy_model, "embedding": settings.embedding_model},
            "models_loaded": load_spacy.cache_info().currsize > 0 and load_embedder.cache_info().currsize > 0,
        }

    @app.post(
        "/api/compare",
        summary="Compare articles and wait for the report",
        tags=["compare"],
        responses={200: {"description": "The report: JSON, HTML or Markdown by `format`"}, **errors},
    )
    async def compare_articles(body: CompareRequest) -> Response:
        """Compare one story's articles and answer with the report (`format`: json, html or markdown).

        The JSON is the report contract `parallax.report/1`. A big story can take a minute;
        `POST /api/jobs/compare` runs the same comparison in the background instead.
        """
        if refused := _too_many(len(body.articles), settings):
            return refused
        work = _compare_work([a.to_article() for a in body.articles], body.format, settings, view=body.view())
        result = await asyncio.wrap_future(runner.run(lambda: work(lambda _stage: None)))
        return _output(result, body.format)

    @app.post(
        "/api/jobs/compare",
        status_code=202,
        summary="Start a comparison in the background",
        tags=["jobs"],
        response_model=JobAccepted,
        responses=errors,
    )
    def start_job(body: CompareRequest, request: Request) -> JSONResponse:
        """Queue the comparison `POST /api/compare` would run; poll `status_url` for progress and result."""
        if refused := _too_many(len(body.articles), settings):
            return refused
        view = body.view()
        job = runner.submit(
            _compare_work([a.to_article() for a in body.articles], body.format, settings, view=view)
        )
        return _accepted(request, job)

    @app.get(
        "/api/jobs/{job_id}",
        name="job_status",
        summary="A background comparison's status, progress and result",
        tags=["jobs"],
        response_model=JobState,
        responses={404: {"model": ErrorBody, "description": "No such job, or forgotten"}},
    )
    def job_status(job_id: str) -> JSONResponse:
        """Status queued, running, done or failed; `progress` names the stage; then `result` or `error`."""
        job = runner.get(job_id)
        if job is None:
            return _error(404, f"no job {job_id}", _forgotten_hint(settings))
        return JSONResponse(job.to_dict())

    _add_store_routes(app, stored, runner, settings, errors)

    @app.get("/", response_class=HTMLResponse, summary="The form page", tags=["pages"])
    def start_page(
        request: Request, stories: Annotated[int, Query(ge=0, description="Offset in the story list")] = 0
    ) -> HTMLResponse:
        """Paste articles, give their URLs, or pick a stored story; works without JavaScript."""
        action = request.app.url_path_for("compare_form")
        if stored.url is None:
            return _html(form_page(action))
        try:
            total, page = stored.get().story_summaries(offset=stories, limit=FORM_STORIES)
        except StoreError as exc:
            log.warning("the form could not list the stored stories: %s", exc)
            return _html(form_page(action, store_problem=f"The article store cannot be read: {exc.message}"))
        return _html(form_page(action, stories=page, total=total, offset=stories, limit=FORM_STORIES))

    @app.post(
        "/compare",
        name="compare_form",
        response_class=HTMLResponse,
        summary="The form's report",
        tags=["pages"],
    )
    async def compare_form(
        text: Annotated[list[str] | None, Form()] = None,
        outlet: Annotated[list[str] | None, Form()] = None,
        title: Annotated[list[str] | None, Form()] = None,
        urls: Annotated[str, Form()] = "",
        published: Annotated[str, Form()] = "",
    ) -> HTMLResponse:
        """The HTML report of the articles pasted and fetched, or a page saying what was wrong."""
        try:
            addresses = _form_urls(urls)
            articles = _form_articles(text or [], outlet or [], title or [], published, bool(addresses))
            count = len(articles) + len(addresses)
            if count > settings.web_max_articles:
                return _error_page(413, f"{count} articles, over the limit of {settings.web_max_articles}")
            work = _compare_work(
                articles,
                "html",
                settings,
                urls=addresses,
                fetcher=new_fetcher,
                published=parse_date(published),
            )
            page = await asyncio.wrap_future(runner.run(lambda: work(lambda _stage: None)))
        except ParallaxError as exc:
            return _error_page(_status_of(exc), exc.message, exc.hint)
        except RunnerBusy:
            return _error_page(503, "the server is busy with other comparisons", "try again in a minute")
        return _html(page, csp=REPORT_CSP)

    @app.get(
        "/jobs/{job_id}",
        name="job_page",
        response_class=HTMLResponse,
        summary="A background comparison's HTML report, or its progress",
        tags=["pages"],
    )
    def job_report(job_id: str) -> HTMLResponse:
        """The report page once the job is done; until then a page that says how far it is and reloads."""
        job = runner.get(job_id)
        if job is None:
            return _error_page(
                404, f"no job {job_id}", _forgotten_hint(settings), heading="No such comparison"
            )
        if job.status == "failed":
            error = job.error or {}
            return _error_page(int(error.get("status", 500)), str(error.get("error")), error.get("hint"))
        if job.status == "done":
            if job.page is None:
                return _error_page(
                    404,
                    f"job {job_id} made no page",
                    f"its result is at /api/jobs/{job_id}",
                    heading="No report page",
                )
            return _html(job.page, csp=REPORT_CSP)
        return _html(job_page(job.id, job.status, job.progress))

    return app


def _forgotten_hint(settings: Settings) -> str:
    return f"a finished job is kept until {settings.web_max_finished_jobs} newer ones finish; start it again"


def _accepted(request: Request, job: Job, *, page: bool = False) -> JSONResponse:
    """202 with where to poll the job (and read its report page)."""
    url = request.app.url_path_for("job_status", job_id=job.id)
    report = request.app.url_path_for("job_page", job_id=job.id) if page else None
    return JSONResponse(
        JobAccepted(job=job.id, status=job.status, status_url=url, report_url=report).model_dump(),
        status_code=202,
        headers={"Location": url},
    )


def _story_articles(store: Store, story_id: str) -> list[Article]:
    """The stored story's articles; StoryNotFound when it has none."""
    articles = store.story_articles(story_id)
    if not articles:
        raise _NotFound(
            f"the store holds no story {story_id!r}",
            "list the stories with GET /api/stories and use their ids",
        )
    return articles


class _NotFound(Exception):
    """A stored story or article that is not there: a 404 with a hint."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def _article_meta(request: Request, article: Article) -> ArticleMeta:
    return ArticleMeta(
        id=article.id or "",
        title=article.title,
        outlet=article.outlet,
        published=article.published.isoformat() if article.published else None,
        url=article.url,
        language=article.language,
        characters=len(article.text),
        article_url=request.app.url_path_for("stored_article", article_id=article.id or ""),
    )


def _add_store_routes(
    app: FastAPI,
    stored: _StoreAccess,
    runner: JobRunner,
    settings: Settings,
    errors: dict[int | str, dict[str, Any]],
) -> None:
    """The article store's stories and articles: JSON under /api, and a page per story."""
    missing: dict[int | str, dict[str, Any]] = {
        404: {"model": ErrorBody, "description": "No such story or article, or no store"},
        500: errors[500],
    }

    @app.get(
        "/api/stories",
        summary="The stored stories, newest first, a page at a time",
        tags=["store"],
        response_model=StoryPage,
        responses=missing,
    )
    def list_stories(
        request: Request,
        offset: Annotated[int, Query(ge=0, description="Stories to skip")] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Stories in this page")] = 50,
    ) -> StoryPage:
        """Each story with its first titled article's headline, article count, outlets and date range."""
        total, page = stored.get().story_summaries(offset=offset, limit=limit)
        return StoryPage(
            total=total,
            offset=offset,
            limit=limit,
            stories=[
                StoryOut(
                    id=s.id,
                    title=s.title,
                    articles=s.articles,
                    outlets=list(s.outlets),
                    first_published=s.first_published.isoformat() if s.first_published else None,
                    last_published=s.last_published.isoformat() if s.last_published else None,
                    url=request.app.url_path_for("stored_story", story_id=s.id),
                )
                for s in page
            ],
        )

    @app.get(
        "/api/stories/{story_id}",
        name="stored_story",
        summary="A stored story's articles",
        tags=["store"],
        response_model=StoryArticles,
        responses=missing,
    )
    def get_story(story_id: str, request: Request) -> StoryArticles:
        """The story's articles in the order they were stored, without their text (see `article_url`)."""
        articles = _story_articles(stored.get(), story_id)
        return StoryArticles(
            id=story_id,
            articles=[_article_meta(request, a) for a in articles],
            compare_url=request.app.url_path_for("compare_story", story_id=story_id),
        )

    @app.get(
        "/api/articles/{article_id:path}",
        name="stored_article",
        summary="A stored article, text included",
        tags=["store"],
        response_model=ArticleOut,
        responses=missing,
    )
    def get_article(article_id: str) -> ArticleOut:
        """The article by its stored id (which may be its URL: the path takes slashes)."""
        article = stored.get().article(article_id)
        if article is None:
            raise _NotFound(
                f"the store holds no article {article_id!r}",
                "take the ids from GET /api/stories/{id}, or store it with `parallax ingest`",
            )
        return ArticleOut(
            id=article.id or article_id,
            title=article.title,
            outlet=article.outlet,
            published=article.published.isoformat() if article.published else None,
            url=article.url,
            language=article.language,
            source=article.path,
            text=article.text,
        )

    @app.post(
        "/api/stories/{story_id}/compare",
        name="compare_story",
        status_code=202,
        summary="Compare a stored story's articles in the background",
        tags=["store", "jobs"],
        response_model=JobAccepted,
        responses={**errors, 404: missing[404]},
    )
    def compare_story(story_id: str, request: Request) -> JSONResponse:
        """Queue the comparison; poll `status_url` (its result is the report JSON) or open `report_url`.

        The report is also kept in the store with its story, as `parallax compare --story` keeps it.
        """
        job = _start_story(story_id)
        return _accepted(request, job, page=True)

    def _start_story(story_id: str) -> Job:
        store = stored.get()
        articles = _story_articles(store, story_id)
        if len(articles) < 2:
            raise IngestError(
                f"story {story_id!r} holds one article ({articles[0].id}); a comparison needs two or more",
                hint="pick a story with several articles from GET /api/stories",
            )
        if len(articles) > settings.web_max_articles:
            raise _TooMany(len(articles), settings.web_max_articles)
        return runner.submit(_story_work(story_id, articles, store, settings))

    @app.get(
        "/stories/{story_id}",
        name="story_page",
        response_class=HTMLResponse,
        summary="A stored story's page",
        tags=["pages"],
    )
    def show_story(story_id: str) -> HTMLResponse:
        """The story's articles, with a button that compares them."""
        try:
            articles = _story_articles(stored.get(), story_id)
        except _NotFound as exc:
            return _error_page(
                404, exc.message, "pick a story from the list on the start page", heading="No such story"
            )
        except (_NoStore, StoreError) as exc:
            return _store_error_page(exc)
        return _html(story_page(story_id, articles))

    @app.post(
        "/stories/{story_id}/compare",
        name="compare_story_form",
        response_class=HTMLResponse,
        summary="Compare a stored story from its page",
        tags=["pages"],
    )
    def compare_story_form(story_id: str, request: Request) -> Response:
        """Start the comparison and go to its page (303), which shows the progress, then the report."""
        try:
            job = _start_story(story_id)
        except _NotFound as exc:
            return _error_page(
                404, exc.message, "pick a story from the list on the start page", heading="No such story"
            )
        except _TooMany as exc:
            return _error_page(413, str(exc), "compare it with the CLI: parallax compare --story ID --db URL")
        except ParallaxError as exc:
            return _error_page(_status_of(exc), exc.message, exc.hint)
        except _NoStore as exc:
            return _store_error_page(exc)
        except RunnerBusy:
            return _error_page(503, "the server is busy with other comparisons", "try again in a minute")
        return RedirectResponse(request.app.url_path_for("job_page", job_id=job.id), status_code=303)


class _TooMany(Exception):
    def __init__(self, count: int, limit: int) -> None:
        super().__init__(f"{count} articles, over the server's limit of {limit} in one comparison")


def _store_error_page(exc: Exception) -> HTMLResponse:
    if isinstance(exc, StoreError):
        return _error_page(500, exc.message, exc.hint, heading="The store cannot be read")
    return _error_page(404, _NO_STORE, _NO_STORE_HINT, heading="No article store")


_NO_STORE = "this server has no article store"
_NO_STORE_HINT = "start it with `parallax serve --db URL`"


def _add_error_handlers(app: FastAPI) -> None:
    """Every failure becomes `{"error", "hint"}` JSON with a fitting status; tracebacks go to the log only."""

    @app.exception_handler(ParallaxError)
    async def parallax_error(_request: Request, exc: ParallaxError) -> JSONResponse:
        return _error(_status_of(exc), exc.message, exc.hint)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # The rejected input is left out: it may be a whole article.
        problems = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in exc.errors()]
        summary = "; ".join(f"{'.'.join(map(str, p['loc']))}: {p['msg']}" for p in problems)
        return _error(
            422,
            f"invalid request: {summary}",
            "see /docs for the request schema",
            detail=jsonable_encoder(problems),
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        hint = _SIZE_HINT if exc.status_code == 413 else None
        return JSONResponse(
            {"error": str(exc.detail), "hint": hint}, status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(_NotFound)
    async def not_found(_request: Request, exc: _NotFound) -> JSONResponse:
        return _error(404, exc.message, exc.hint)

    @app.exception_handler(_NoStore)
    async def no_store(_request: Request, _exc: _NoStore) -> JSONResponse:
        return _error(404, _NO_STORE, _NO_STORE_HINT)

    @app.exception_handler(_TooMany)
    async def too_many(_request: Request, exc: _TooMany) -> JSONResponse:
        return _error(413, str(exc), "compare it with the CLI: parallax compare --story ID --db URL")

    @app.exception_handler(RunnerBusy)
    async def busy(_request: Request, exc: RunnerBusy) -> JSONResponse:
        response = _error(503, f"the server is busy: {exc}", "retry in a minute")
        response.headers["Retry-After"] = "60"
        return response

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        return _error(500, "internal error", "the server log has the details")


def _form_urls(text: str) -> list[str]:
    """The form's addresses, one a line; blank lines are skipped."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _form_articles(
    texts: list[str], outlets: list[str], titles: list[str], published: str, has_urls: bool = False
) -> list[Article]:
    """The non-empty boxes of the form as articles, each with its outlet and title, all with the one date."""
    date = parse_date(published)
    articles = [
        Article(
            text=text,
            outlet=(outlets[i].strip() if i < len(outlets) else "") or None,
            title=(titles[i].strip() if i < len(titles) else "") or None,
            published=date,
        )
        for i, text in enumerate(texts)
        if text.strip()
    ]
    if not articles and not has_urls:
        raise IngestError(
            "no article text was pasted and no URL given",
            hint="paste the text of two or more reports, or give their addresses",
        )
    return articles


def _error_page(
    status: int, message: str, hint: str | None = None, *, heading: str = "Could not compare"
) -> HTMLResponse:
    return _html(error_page(message, hint, heading=heading), status)
