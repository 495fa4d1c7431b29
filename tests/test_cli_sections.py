"""`parallax compare --sections/--top` with a stand-in comparison: which sections print, how many rows."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from parallax.cli import app
from parallax.model import Article, Claim, ClaimMember, Report
from parallax.report import SECTION_KEYS
from tests.test_report import sample_report

RULE = "─" * 3  # the terminal view's section rule follows the heading


@pytest.fixture
def compared(monkeypatch: pytest.MonkeyPatch) -> list[Report]:
    """The comparison replaced by the sample report with a second, more salient exclusive; collects calls."""
    calls: list[Report] = []
    base = sample_report()
    minor = dataclasses.replace(base.claims[2], salience=0.2)
    major = Claim("c4", "exclusive", (ClaimMember("a", "as2", "Markets fell 2%."),), 1.0, salience=0.9)
    report = dataclasses.replace(base, claims=(*base.claims[:2], minor, major))

    def fake_compare(articles: Sequence[Article], settings: Any = None, **_: Any) -> Report:
        calls.append(report)
        return report

    monkeypatch.setattr("parallax.cli.compare", fake_compare)
    return calls


@pytest.fixture
def files(tmp_path: Path) -> list[str]:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("The minister resigned on Tuesday.\n", encoding="utf-8")
    b.write_text("The minister quit on Tuesday.\n", encoding="utf-8")
    return [str(a), str(b)]


def run(files: list[str], *args: str) -> Any:
    return CliRunner().invoke(app, ["compare", *files, "--published", "2024-12-03", *args])


def headings(output: str, fmt: str) -> list[str]:
    if fmt == "markdown":
        return [line[3:] for line in output.splitlines() if line.startswith("## ")]
    rules = [line for line in output.splitlines() if RULE in line and line[:1] not in (" ", "─")]
    return [line.split(" ─")[0] for line in rules]


@pytest.mark.parametrize("fmt", ["terminal", "markdown"])
def test_every_section_by_default_summary_first(compared: list[Report], files: list[str], fmt: str) -> None:
    result = run(files, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert headings(result.stdout, fmt) == list(SECTION_KEYS.values())


@pytest.mark.parametrize("fmt", ["terminal", "markdown"])
def test_sections_print_in_report_order(compared: list[Report], files: list[str], fmt: str) -> None:
    result = run(files, "--format", fmt, "--sections", "timeline, conflicts,SUMMARY")
    assert result.exit_code == 0, result.output
    assert headings(result.stdout, fmt) == ["Summary", "Timeline", "Conflicts"]
    assert "Markets fell 3%." in result.stdout  # the conflict's statements
    assert "Finance chief quits" not in result.stdout  # the articles table is left out


def test_summary_says_what_each_outlet_shares(compared: list[Report], files: list[str]) -> None:
    result = run(files, "--format", "markdown", "--sections", "summary")
    text = result.stdout
    assert "### a · Daily Post" in text and "### b · The Courier" in text
    assert (
        "1 shared fact, 1 partial, 2 exclusive statements; 67% of its statements told by another outlet"
        in text
    )
    exclusives = text.split("Top exclusives:")[1]
    assert exclusives.index("Markets fell 2%.") < exclusives.index("The minister, who had served")  # salience
    assert "Conflicts:\n\n- number: 2% vs 3%" in text
    assert "“I can no longer defend the figures” — Jane Roe" in text


@pytest.mark.parametrize("fmt", ["terminal", "markdown"])
def test_top_cuts_long_sections_and_says_so(compared: list[Report], files: list[str], fmt: str) -> None:
    result = run(files, "--format", fmt, "--sections", "exclusives,timeline,quote-matches", "--top", "1")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "She took the post" not in text and "The finance minister resigned" in text  # timeline row 1 of 2
    assert text.count("and 1 more; raise --top to see them") == 3  # a's exclusives, timeline, quote matches
    exclusives = text.split("Exclusive statements")[1].split("Timeline")[0]
    assert "Markets fell 2%." in exclusives and "The minister, who had served" not in exclusives


def test_top_also_trims_the_summary(compared: list[Report], files: list[str]) -> None:
    text = run(files, "--format", "markdown", "--sections", "summary", "--top", "1").stdout
    assert "_… and 1 more; see Exclusive statements._" in text
    assert "The minister, who had served" not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sections", "summary,bogus"], "Error: unknown section(s): bogus"),
        (["--sections", " , "], "Error: no section chosen"),
        (["--format", "json", "--top", "3"], "Error: --sections and --top do not apply to the json report"),
        (["--format", "html", "--sections", "summary"], "do not apply to the html report"),
    ],
)
def test_bad_choices_fail_before_comparing(
    compared: list[Report], files: list[str], args: list[str], message: str
) -> None:
    result = run(files, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Hint: " in result.stderr
    assert compared == []


def test_top_must_be_positive(compared: list[Report], files: list[str]) -> None:
    result = run(files, "--top", "0")
    assert result.exit_code == 2
    assert "--top" in result.stderr and compared == []


def test_help_names_every_section() -> None:
    result = CliRunner().invoke(app, ["compare", "--help"])
    assert result.exit_code == 0
    help_text = " ".join(result.stdout.split())
    assert "--sections LIST" in help_text and "--top N" in help_text
    squeezed = "".join(help_text.split())  # help wraps at hyphens too
    assert all(key in squeezed for key in SECTION_KEYS)
    assert "--sections summary,conflicts --top 5" in help_text
