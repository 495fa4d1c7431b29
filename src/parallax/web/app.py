"""The web server's FastAPI app: a form page, the REST API with OpenAPI docs, and background jobs.

Nothing here loads a model: the first comparison does, once per process (parallax.nlp.models
caches them). Every comparison runs in one bounded pool (parallax.web.jobs). Errors reach
clients as JSON `{"error": message, "hint": hint}`, never as a traceback; the form page
shows them as a short HTML page instead.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from parallax import __version__, compare
from parallax.errors import IngestError, ModelError, ParallaxError, StoreError
from parallax.model import Article, parse_date
from parallax.nlp.models import load_embedder, load_spacy
from parallax.pipeline import StageTimer
from parallax.report import render
from parallax.report.html import content_security_policy
from parallax.settings import Settings, load_settings
from parallax.web.jobs import JobRunner, Progress, RunnerBusy

__all__ = ["ArticleIn", "CompareRequest", "create_app"]

log = logging.getLogger(__name__)

OutputFormat = Literal["json", "html", "markdown"]
FORM_ARTICLES = 4  # article boxes on the form page; a client wanting more uses the API
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


class JobAccepted(BaseModel):
    """A queued background comparison and where to poll it."""

    job: str
    status: str = "queued"
    status_url: str


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
    articles: list[Article], fmt: OutputFormat, settings: Settings
) -> Callable[[Progress], Any]:
    """The comparison a request asks for, as work for the pool: the report JSON, or its rendered text."""

    def work(progress: Progress) -> Any:
        report = compare(articles, settings, timer=_ProgressTimer(on_stage=progress))
        return report.to_dict() if fmt == "json" else render(report, fmt)

    return work


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


def create_app(settings: Settings | None = None) -> FastAPI:
    """The parallax web app; `settings` default to the PARALLAX_* environment. Loads no model."""
    settings = settings or load_settings()
    runner = JobRunner(
        workers=settings.web_workers,
        max_pending=settings.web_max_pending,
        max_finished=settings.web_max_finished_jobs,
        describe_error=_describe_job_error,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        runner.shutdown()

    app = FastAPI(
        title="parallax",
        version=__version__,
        description="Compare how news outlets report the same story: shared facts, exclusives, quotes, "
        "entities, timeline, conflicts and framing. Errors are JSON `{error, hint}`.",
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
        work = _compare_work([a.to_article() for a in body.articles], body.format, settings)
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
        job = runner.submit(_compare_work([a.to_article() for a in body.articles], body.format, settings))
        url = request.app.url_path_for("job_status", job_id=job.id)
        return JSONResponse(
            JobAccepted(job=job.id, status=job.status, status_url=url).model_dump(),
            status_code=202,
            headers={"Location": url},
        )

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
            return _error(
                404,
                f"no job {job_id}",
                f"a finished job is kept until {settings.web_max_finished_jobs} newer ones finish; "
                "start it again",
            )
        return JSONResponse(job.to_dict())

    @app.get("/", response_class=HTMLResponse, summary="The form page", tags=["pages"])
    def form_page(request: Request) -> HTMLResponse:
        """Paste articles and compare them; works without JavaScript."""
        return _html(_form_page(request.app.url_path_for("compare_form")))

    @app.post(
        "/compare",
        name="compare_form",
        response_class=HTMLResponse,
        summary="The form's report",
        tags=["pages"],
    )
    async def compare_form(
        text: Annotated[list[str], Form()],
        outlet: Annotated[list[str] | None, Form()] = None,
        title: Annotated[list[str] | None, Form()] = None,
        published: Annotated[str, Form()] = "",
    ) -> HTMLResponse:
        """The HTML report of the articles pasted into the form, or a page saying what was wrong."""
        try:
            articles = _form_articles(text, outlet or [], title or [], published)
            if len(articles) > settings.web_max_articles:
                return _error_page(
                    413, f"{len(articles)} articles, over the limit of {settings.web_max_articles}"
                )
            work = _compare_work(articles, "html", settings)
            page = await asyncio.wrap_future(runner.run(lambda: work(lambda _stage: None)))
        except ParallaxError as exc:
            return _error_page(_status_of(exc), exc.message, exc.hint)
        except RunnerBusy:
            return _error_page(503, "the server is busy with other comparisons", "try again in a minute")
        return _html(page, csp=REPORT_CSP)

    return app


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

    @app.exception_handler(RunnerBusy)
    async def busy(_request: Request, exc: RunnerBusy) -> JSONResponse:
        response = _error(503, f"the server is busy: {exc}", "retry in a minute")
        response.headers["Retry-After"] = "60"
        return response

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        return _error(500, "internal error", "the server log has the details")


def _form_articles(texts: list[str], outlets: list[str], titles: list[str], published: str) -> list[Article]:
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
    if not articles:
        raise IngestError("no article text was pasted", hint="paste the text of two or more reports")
    return articles


_PAGE_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; color: #222; margin: 2rem auto; max-width: 60rem; }
body { padding: 0 1rem; }
fieldset { border: 1px solid #ccc; margin: 0 0 1rem; } label { display: block; margin: .3rem 0; }
input, textarea { font: inherit; width: 100%; box-sizing: border-box; } textarea { min-height: 8rem; }
button { font: inherit; padding: .4rem 1.2rem; }
"""


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_PAGE_STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )


def _form_page(action: str) -> str:
    boxes = "".join(
        f"<fieldset><legend>Article {n}</legend>\n"
        f'<label>Outlet <input name="outlet" autocomplete="off"></label>\n'
        f'<label>Title <input name="title" autocomplete="off"></label>\n'
        f'<label>Text <textarea name="text" rows="8"{" required" if n <= 2 else ""}></textarea></label>\n'
        "</fieldset>\n"
        for n in range(1, FORM_ARTICLES + 1)
    )
    return _page(
        "parallax",
        "<h1>parallax</h1>\n<p>Paste two or more reports of the same story to see which facts they share, "
        "what only one outlet says, who said what, and where they disagree.</p>\n"
        f'<form method="post" action="{html.escape(action)}">\n{boxes}'
        '<label>Published (relative dates such as "Tuesday" are read against it) '
        f'<input type="date" name="published"></label>\n'
        '<p><button type="submit">Compare</button> '
        "The first comparison loads the models and takes longer.</p>\n"
        '</form>\n<p>For programs: the REST API, documented at <a href="/docs">/docs</a>.</p>\n',
    )


def _error_page(status: int, message: str, hint: str | None = None) -> HTMLResponse:
    hint_html = f"<p>{html.escape(hint)}</p>\n" if hint else ""
    return _html(
        _page(
            "parallax: could not compare",
            f"<h1>Could not compare</h1>\n<p>{html.escape(message)}</p>\n{hint_html}"
            '<p><a href="/">Back to the form</a></p>\n',
        ),
        status,
    )
