"""Render a Report for people (terminal, Markdown, HTML) or programs (JSON)."""

from __future__ import annotations

from parallax.errors import ConfigError
from parallax.model import Report
from parallax.report.common import SECTIONS, Format
from parallax.report.html import render_html
from parallax.report.json import render_json
from parallax.report.markdown import render_markdown
from parallax.report.stories import StoriesFormat, render_stories
from parallax.report.terminal import render_terminal

__all__ = [
    "FORMATS",
    "SECTIONS",
    "Format",
    "StoriesFormat",
    "render",
    "render_html",
    "render_json",
    "render_markdown",
    "render_stories",
    "render_terminal",
]

FORMATS: tuple[str, ...] = tuple(f.value for f in Format)


def render(
    report: Report, fmt: Format | str = Format.TERMINAL, *, width: int | None = None, color: bool = False
) -> str:
    """The report as text in one of FORMATS; `width` and `color` only matter for the terminal view."""
    try:
        chosen = Format(fmt)
    except ValueError as exc:
        raise ConfigError(f"unknown format {fmt!r}", hint=f"choose one of {', '.join(FORMATS)}") from exc
    if chosen is Format.JSON:
        return render_json(report)
    if chosen is Format.MARKDOWN:
        return render_markdown(report)
    if chosen is Format.HTML:
        return render_html(report)
    return render_terminal(report, width=width, color=color)
