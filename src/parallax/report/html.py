"""The report as one self-contained HTML page: the Markdown view rendered, with inline styles.

Building it from the Markdown view keeps one description of the sections; markdown-it-py
(already installed with rich) turns it into HTML. Article text cannot inject markup: the
Markdown renderer backslash-escapes `<` and `>`, and raw HTML is allowed only for the
`<br>` line breaks that renderer writes into table cells.
"""

from __future__ import annotations

import html

from markdown_it import MarkdownIt

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


def render_html(report: Report) -> str:
    """A complete HTML document that needs no network and no other file."""
    body = MarkdownIt("commonmark", {"html": True}).enable("table").render(render_markdown(report))
    titles = [a.title for a in report.articles if a.title]
    title = html.escape(f"Parallax report: {titles[0]}" if titles else "Parallax report")
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )
