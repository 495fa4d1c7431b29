"""The HTML reading view, read as a browser would parse it: summary, columns, marks, panels, policy."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import re
from html.parser import HTMLParser

import pytest

from parallax.model import Report
from parallax.report import SECTIONS, render
from parallax.report.html import _marked_differences, content_security_policy, script_hash
from tests.test_report import ACTIVE_MARKUP, empty_report, sample_report


@dataclasses.dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    text: str = ""

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class _Collect(HTMLParser):
    """Every element with its attributes and its text (the text of its children included)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[Node] = []
        self._open: list[Node] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.nodes.append(node)
        if tag not in ("br", "meta"):
            self._open.append(node)

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for node in self._open:
            node.text += data


def parse(page: str) -> list[Node]:
    collect = _Collect()
    collect.feed(page)
    return collect.nodes


def sentence(nodes: list[Node], text: str) -> Node:
    found = [n for n in nodes if "s" in n.classes and n.tag == "span" and n.text == text]
    assert len(found) == 1, f"{text!r}: {len(found)} sentence spans"
    return found[0]


@pytest.fixture(scope="module")
def page() -> str:
    return render(sample_report(), "html")


def test_summary_first_then_columns_then_panels(page: str) -> None:
    assert page.index('id="summary"') < page.index('id="reading"') < page.index('class="panel"')
    nodes = parse(page)
    cards = [n for n in nodes if "card" in n.classes]
    assert [c.text.split("\n")[1] for c in cards] == ["a · Daily Post", "b · The Courier"]
    first = cards[0].text
    assert "1 shared fact, 1 partial, 1 exclusive statement" in " ".join(first.split())
    assert "The minister, who had served" in first  # its top exclusive
    assert "2% vs 3%" in first  # its conflict
    assert "“I can no longer defend the figures” — Jane Roe" in " ".join(first.split())  # a key quote
    columns = [n for n in nodes if "column" in n.classes]
    assert [c.attrs["id"] for c in columns] == ["col-0", "col-1"]


def test_a_shared_fact_has_one_colour_and_id_across_columns(page: str) -> None:
    nodes = parse(page)
    a = sentence(nodes, "The finance minister resigned on Tuesday.")
    b = sentence(nodes, "Finance minister Jane Roe quit on Tuesday.")
    assert a.attrs["data-claim"] == b.attrs["data-claim"] == "f1"
    assert {"shared", "k0"} <= a.classes and {"shared", "k0"} <= b.classes
    assert a.attrs["tabindex"] == b.attrs["tabindex"] == "0"
    assert a.attrs["id"] != b.attrs["id"]


def test_partial_exclusive_boilerplate_are_marked_apart(page: str) -> None:
    nodes = parse(page)
    partial = sentence(nodes, "Markets fell 3%.")
    assert "partial" in partial.classes and "shared" not in partial.classes
    assert sentence(nodes, "Markets fell 2%.").attrs["data-claim"] == partial.attrs["data-claim"] == "f2"
    exclusive = sentence(nodes, sample_report().claims[2].members[0].text)
    assert "excl" in exclusive.classes and "data-claim" not in exclusive.attrs
    assert "boiler" in sentence(nodes, "Photo: Courier staff").classes


def test_conflicts_are_flagged_inline_with_the_other_version(page: str) -> None:
    nodes = parse(page)
    assert "conflict" in sentence(nodes, "Markets fell 2%.").classes
    notes = [n.text for n in nodes if "conflict-note" in n.classes]
    assert len(notes) == 2
    assert "Markets fell 3%." in notes[0] and "b · The Courier" in notes[0]
    assert "Markets fell 2%." in notes[1] and "a · Daily Post" in notes[1]


def test_quotes_show_their_speaker_and_matches_link_up(page: str) -> None:
    nodes = parse(page)
    paragraph = next(n for n in nodes if n.tag == "p" and n.text.startswith("Finance minister Jane Roe"))
    assert "— Jane Roe" in paragraph.text
    linked = [n.attrs["data-quote"] for n in nodes if "data-quote" in n.attrs]
    assert linked == ["q1 q2", "q1", "q2"]  # a's quote is in both matches, b's each in one


def test_every_section_is_a_collapsible_panel(page: str) -> None:
    nodes = parse(page)
    panels = [n for n in nodes if n.tag == "details"]
    assert [p.attrs["id"] for p in panels] == [f"sec-{s.lower().replace(' ', '-')}" for s in SECTIONS]
    texts = {p.attrs["id"]: p.text for p in panels}
    assert "finance minister" in texts["sec-entities"]  # entities with their roles
    assert "on Tuesday" in texts["sec-timeline"]
    assert "quit ×1, exit ×2" in texts["sec-framing"]
    assert "P(same fact) 0.87" in texts["sec-shared-facts"]


def test_the_policy_runs_only_the_page_s_own_script(page: str) -> None:
    script = re.search(r"<script>(.*)</script>", page, re.S)
    assert script is not None
    digest = base64.b64encode(hashlib.sha256(script[1].encode()).digest()).decode()
    assert script_hash() == f"'sha256-{digest}'"
    policy = next(n for n in parse(page) if n.attrs.get("http-equiv") == "Content-Security-Policy")
    assert policy.attrs["content"] == content_security_policy()
    assert "default-src 'none'" in policy.attrs["content"] and "unsafe-eval" not in policy.attrs["content"]
    assert "<" not in script[1], "the script must not look like markup"


@pytest.mark.parametrize(
    ("url", "linked"),
    [("https://news.example/a?x=1&y=2", True), ("javascript:alert(1)", False), ("data:text/html,x", False)],
)
def test_only_http_sources_are_linked(url: str, linked: bool) -> None:
    report = sample_report()
    art = dataclasses.replace(report.articles[0], url=url)
    page = render(dataclasses.replace(report, articles=(art, report.articles[1])), "html")
    hrefs = [n.attrs["href"] for n in parse(page) if n.tag == "a" and not n.attrs["href"].startswith("#")]
    assert hrefs == ([url] * 3 if linked else [])  # the card, the column and the articles table
    assert not ACTIVE_MARKUP.search(page)


@pytest.mark.parametrize("report", [empty_report(), sample_report()], ids=["empty", "sample"])
def test_ids_are_unique(report: Report) -> None:
    ids = [n.attrs["id"] for n in parse(render(report, "html")) if "id" in n.attrs]
    assert len(ids) == len(set(ids))


def test_words_that_differ_within_a_shared_fact_are_marked(page: str) -> None:
    marks = [n.text for n in parse(page) if n.tag == "mark" and "diff" in n.classes]
    # a: "The finance minister resigned on Tuesday." b: "Finance minister Jane Roe quit on Tuesday."
    assert marks[-3:] == ["The", "resigned", "Jane Roe quit"]  # the legend's sample comes first
    assert '<mark class="diff">Jane Roe quit</mark> on Tuesday.' in page
    # Partial matches and exclusives are not marked word by word.
    assert "Markets fell <mark" not in page and "<mark" not in sentence(parse(page), "Markets fell 3%.").text


def test_marked_differences_escape_every_word() -> None:
    hostile = 'Officials said <img src=x onerror=alert(1)> & "javascript:run()" on Tuesday.'
    marked = _marked_differences(hostile, ["Officials said on Tuesday."])
    assert marked == (
        'Officials said <mark class="diff">&lt;img src=x onerror=alert(1)&gt; &amp; '
        "&quot;javascript:run()&quot;</mark> on Tuesday."
    )
    assert _marked_differences("No word in common.", ["Entirely other text"]) == "No word in common."
    assert _marked_differences("Same <words>.", ["same <WORDS>"]) == "Same &lt;words&gt;."
