"""Render story assignments: JSON lines for programs, a table per story for people."""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import StrEnum

from rich import box
from rich.table import Table

from parallax.model import Article
from parallax.report.terminal import draw, printable
from parallax.stories import StoryAssignment

__all__ = ["StoriesFormat", "render_stories"]


class StoriesFormat(StrEnum):
    """The output formats of `parallax stories`."""

    TERMINAL = "terminal"
    JSONL = "jsonl"


def render_stories(
    articles: Sequence[Article], assignments: Sequence[StoryAssignment], fmt: StoriesFormat
) -> str:
    """One JSON line per article in input order, or a table of the articles of each story."""
    if fmt is StoriesFormat.JSONL:
        return "".join(json.dumps({"id": a.article, "story": a.story}) + "\n" for a in assignments)
    by_id = {a.id: a for a in articles}
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for header in ("story", "article", "outlet", "published", "title", "similarity"):
        table.add_column(header, overflow="fold")
    for story in dict.fromkeys(a.story for a in assignments):
        for a in (x for x in assignments if x.story == story):
            art = by_id[a.article]
            table.add_row(
                *printable((story, a.article, art.outlet or "", str(art.published or ""), art.title or "")),
                f"{a.similarity:.2f}",
            )
    stories = len({a.story for a in assignments})
    return draw([table, f"{len(assignments)} articles in {stories} stories"])
