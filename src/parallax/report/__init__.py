"""Render a Report for people (terminal, Markdown, HTML) or programs (JSON)."""

from __future__ import annotations

from parallax.errors import ConfigError
from parallax.model import Report
from parallax.report.common import SECTION_KEYS, SECTIONS, Format, ViewOptions
from parallax.report.html import render_html
from parallax.report.json import render_json
from parallax.report.markdown import render_markdown
from parallax.report.stories import StoriesFormat, render_stories
from parallax.report.terminal import render_terminal

__all__ = [
    "FORMATS",
    "SECTIONS",
    "SECTION_KEYS",
    "Format",
    "StoriesFormat",
    "ViewOptions",
    "render",
    "render_html",
    "render_json",
    "render_markdown",
    "render_stories",
    "render_terminal",
    "view_options",
]

FORMATS: tuple[str, ...] = tuple(f.value for f in Format)


def render(
    report: Report,
    fmt: Format | str = Format.TERMINAL,
    *,
    width: int | None = None,
    color: bool = False,
    view: ViewOptions | None = None,
) -> str:
    """The report as text in one of FORMATS; `width` and `color` only matter for the terminal view.

    `view` (sections, top N) shapes the terminal and Markdown views; JSON is the whole contract and
    the HTML view folds its long sections into panels, so both take none.
    """
    try:
        chosen = Format(fmt)
    except ValueError as exc:
        raise ConfigError(f"unknown format {fmt!r}", hint=f"choose one of {', '.join(FORMATS)}") from exc
    if view is not None:
        _check_view(chosen)
    if chosen is Format.JSON:
        return render_json(report)
    if chosen is Format.MARKDOWN:
        return render_markdown(report, view)
    if chosen is Format.HTML:
        return render_html(report)
    return render_terminal(report, width=width, color=color, view=view)


def view_options(
    fmt: Format | str, sections: str | None = None, top: int | None = None
) -> ViewOptions | None:
    """The view `--sections` and `--top` ask for (None: neither given), checked against the format."""
    if sections is None and top is None:
        return None
    _check_view(Format(fmt))
    return ViewOptions.parse(sections, top)


def _check_view(fmt: Format) -> None:
    if fmt in (Format.JSON, Format.HTML):
        raise ConfigError(
            f"--sections and --top do not apply to the {fmt.value} report, which has every section",
            hint="use them with --format terminal or markdown; the HTML view folds long sections into panels",
        )
