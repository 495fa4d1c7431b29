"""The web app's own small pages (the form, a stored story, a job in progress, an error), as HTML strings.

They need no JavaScript and load nothing (inline CSS only). Every string that came from a user, an
article or the store is escaped with html.escape; links point only at this server's paths, built
from percent-encoded ids, or at an article's http(s) source URL.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from urllib.parse import quote, urlsplit

from parallax.model import Article
from parallax.store.store import StorySummary

__all__ = [
    "FORM_ARTICLES",
    "error_page",
    "form_page",
    "job_page",
    "page",
    "story_page",
    "story_path",
]

FORM_ARTICLES = 4  # article boxes on the form page; a client wanting more uses the API

_PAGE_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; color: #222; margin: 2rem auto; max-width: 60rem; }
body { padding: 0 1rem; }
fieldset { border: 1px solid #ccc; margin: 0 0 1rem; } label { display: block; margin: .3rem 0; }
input, textarea { font: inherit; width: 100%; box-sizing: border-box; } textarea { min-height: 8rem; }
button { font: inherit; padding: .4rem 1.2rem; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .2rem .4rem; }
tr + tr td { border-top: 1px solid #eee; } .meta { color: #666; font-size: .9em; }
.error { border-left: 4px solid #b00; padding: .2rem .8rem; background: #fff4f4; }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def story_path(story_id: str) -> str:
    """This server's page for a stored story (the id percent-encoded: it comes from the store)."""
    return f"/stories/{quote(story_id, safe='')}"


def page(title: str, body: str, *, refresh: int | None = None) -> str:
    """A complete page around `body` (already escaped), optionally reloading itself every `refresh` s."""
    meta = f'<meta http-equiv="refresh" content="{refresh}">\n' if refresh else ""
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{meta}<title>{_e(title)}</title>\n<style>{_PAGE_STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )


def _when(first: object, last: object) -> str:
    if first is None:
        return "undated"
    return _e(first) if first == last or last is None else f"{_e(first)} to {_e(last)}"


def _story_list(stories: Sequence[StorySummary], total: int, offset: int, limit: int) -> str:
    if not stories:
        return (
            "<p>The store holds no stories yet: store articles with <code>parallax ingest</code> "
            "and group them with <code>parallax stories --db URL</code>.</p>\n"
        )
    rows = "".join(
        f'<tr><td><a href="{_e(story_path(s.id))}">{_e(s.title or s.id)}</a></td>'
        f"<td>{s.articles}</td><td>{_e(', '.join(s.outlets) or '–')}</td>"
        f"<td>{_when(s.first_published, s.last_published)}</td></tr>"
        for s in stories
    )
    pages = []
    if offset > 0:
        pages.append(f'<a href="/?stories={max(0, offset - limit)}#stories">newer stories</a>')
    if offset + len(stories) < total:
        pages.append(f'<a href="/?stories={offset + limit}#stories">older stories</a>')
    shown = f"{offset + 1}–{offset + len(stories)} of {total}"
    return (
        f'<p class="meta">Stories {shown}, newest first. {" · ".join(pages)}</p>\n'
        "<table><thead><tr><th>Story</th><th>Articles</th><th>Outlets</th><th>Published</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>\n"
    )


def form_page(
    action: str,
    *,
    stories: Sequence[StorySummary] | None = None,
    total: int = 0,
    offset: int = 0,
    limit: int = 20,
    store_problem: str | None = None,
) -> str:
    """The start page: paste articles or give URLs, or pick a stored story (`stories` None: no store)."""
    boxes = "".join(
        f"<fieldset><legend>Article {n}</legend>\n"
        f'<label>Outlet <input name="outlet" autocomplete="off"></label>\n'
        f'<label>Title <input name="title" autocomplete="off"></label>\n'
        f'<label>Text <textarea name="text" rows="8"></textarea></label>\n'
        "</fieldset>\n"
        for n in range(1, FORM_ARTICLES + 1)
    )
    urls = (
        "<fieldset><legend>Or article URLs</legend>\n"
        "<label>One address per line (http or https; pages on private networks are refused) "
        '<textarea name="urls" rows="4" autocomplete="off" spellcheck="false"></textarea></label>\n'
        "</fieldset>\n"
    )
    if store_problem is not None:
        stored = f'<p class="error">{_e(store_problem)}</p>\n'
    elif stories is None:
        stored = (
            "<p>This server has no article store (start it with <code>parallax serve --db URL</code>).</p>\n"
        )
    else:
        stored = _story_list(stories, total, offset, limit)
    return page(
        "parallax",
        "<h1>parallax</h1>\n<p>Paste two or more reports of the same story, or give their addresses, to see "
        "which facts they share, what only one outlet says, who said what, and where they disagree.</p>\n"
        f'<form method="post" action="{_e(action)}">\n{boxes}{urls}'
        '<label>Published (relative dates such as "Tuesday" are read against it) '
        f'<input type="date" name="published"></label>\n'
        '<p><button type="submit">Compare</button> '
        "The first comparison loads the models and takes longer.</p>\n"
        f'</form>\n<h2 id="stories">Stored stories</h2>\n{stored}'
        '<p>For programs: the REST API, documented at <a href="/docs">/docs</a>.</p>\n',
    )


def _source_link(url: str | None) -> str:
    if not url:
        return "–"
    parts = urlsplit(url.strip())
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return f'<a href="{_e(url.strip())}" rel="noopener noreferrer nofollow">source</a>'
    return _e(url)


def story_page(story_id: str, articles: Sequence[Article]) -> str:
    """A stored story's articles and a button that compares them in the background."""
    rows = "".join(
        f"<tr><td>{_e(a.outlet or '–')}</td><td>{_e(a.title or a.id or '(untitled)')}</td>"
        f"<td>{_e(a.published or 'undated')}</td><td>{_source_link(a.url)}</td></tr>"
        for a in articles
    )
    if len(articles) >= 2:
        action = f"{story_path(story_id)}/compare"
        button = (
            f'<form method="post" action="{_e(action)}"><p><button type="submit">Compare these '
            f"{len(articles)} articles</button> It runs in the background; the page shows its progress.</p>"
            "</form>\n"
        )
    else:
        button = "<p>A comparison needs two or more articles; this story has one.</p>\n"
    return page(
        f"parallax: story {story_id}",
        f"<h1>Story {_e(story_id)}</h1>\n"
        "<table><thead><tr><th>Outlet</th><th>Title</th><th>Published</th><th>Link</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>\n{button}"
        '<p><a href="/#stories">All stories</a></p>\n',
    )


def job_page(job_id: str, status: str, progress: str) -> str:
    """A comparison still queued or running: says where it stands and reloads itself."""
    where = "waiting for its turn" if status == "queued" else f"at the {_e(progress)} stage"
    return page(
        "parallax: comparing…",
        f"<h1>Comparing…</h1>\n<p>The comparison is {where}. This page reloads every few seconds "
        "and shows the report when it is ready.</p>\n"
        f'<p class="meta">Job {_e(job_id)}; as JSON: <a href="/api/jobs/{_e(quote(job_id, safe=""))}">'
        "its status</a>.</p>\n",
        refresh=3,
    )


def error_page(message: str, hint: str | None = None, *, heading: str = "Could not compare") -> str:
    """What went wrong, in words; never a traceback."""
    hint_html = f"<p>{_e(hint)}</p>\n" if hint else ""
    return page(
        f"parallax: {heading.lower()}",
        f'<h1>{_e(heading)}</h1>\n<p class="error">{_e(message)}</p>\n{hint_html}'
        '<p><a href="/">Back to the form</a></p>\n',
    )
