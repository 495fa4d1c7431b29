"""The report as one self-contained HTML page: the Markdown view rendered, with inline styles.

Building it from the Markdown view keeps one description of the sections; markdown-it-py
(already installed with rich) turns it into HTML. Article text cannot inject markup: the
Markdown renderer backslash-escapes `<` and `>`, and raw HTML is allowed only for the
`<br>` line breaks that renderer writes into table cells: any other raw HTML that reached
the parser would be written out escaped, as text.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from parallax.model import Report
from parallax.report.markdown import render_markdown

__all__ = ["render_html"]

_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; color: #222; }
body { margin: 2rem auto; max-width: 78rem; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { border-bottom: 1px solid #ccc; margin-top: 2rem; } h3 { font-size: 1rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border: 1px solid #ddd; padding: .35rem .5rem; vertical-align: top; text-align: left; }
th { background: #f4f4f4; } tr:nth-child(even) td { background: #fafafa; }
"""


def _raw_html_as_text(_renderer: Any, tokens: Sequence[Token], idx: int, *_: Any) -> str:
    """Raw HTML is shown, not obeyed, except the `<br>` of a table cell."""
    content = tokens[idx].content
    return content if tokens[idx].type == "html_inline" and content == "<br>" else html.escape(content)


def render_html(report: Report) -> str:
    """A complete HTML document that needs no network and no other file."""
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.add_render_rule("html_inline", _raw_html_as_text)
    md.add_render_rule("html_block", _raw_html_as_text)
    body = md.render(render_markdown(report))
    titles = [a.title for a in report.articles if a.title]
    title = html.escape(f"Parallax report: {titles[0]}" if titles else "Parallax report")
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )
