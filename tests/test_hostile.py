"""Every hostile input gets a report in every format that keeps its text, or one clean `Error:` (exit 2).

The cases are built in tests/hostile.py. Each runs through the CLI (in this process, the four formats
sharing one comparison) and through `parallax.compare`; the big ones run in a child process under a
4 GiB address-space limit, as a user's machine would hold them.
"""

from __future__ import annotations

import html
import json
import os
import re
import resource
import subprocess
import sys
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import parallax
from parallax.cli import app
from parallax.model import Report
from parallax.report import FORMATS, render
from tests.hostile import CASES, Case, write_case
from tests.test_report import ACTIVE_MARKUP, HTML_TAGS

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[1]
MEMORY_LIMIT = 4 * 1024**3
SLOW_TIMEOUT_S = 900
ANY_LANGUAGE = "--any-language" in CliRunner().invoke(app, ["compare", "--help"]).output


# BBCode tags are page markup, not content: a report may leave them out of its sentences.
_BBCODE = re.compile(r"\[/?(?:url|b|i|u|img|quote)(?:=[^\]]*)?\]", re.I)


def _norm(text: str) -> str:
    return " ".join(_BBCODE.sub(" ", unicodedata.normalize("NFC", text)).split())


def _extra_args(case: Case, any_language: bool) -> list[str]:
    return ["--published", "2024-12-03", *(["--any-language"] if any_language else [])]


def _runs(case: Case) -> list[bool]:
    """Foreign text runs twice where the option exists: refused (or compared) by default, compared with it."""
    return [False, True] if case.foreign and ANY_LANGUAGE else [False]


def _expected(case: Case, any_language: bool) -> str:
    if case.foreign and not any_language:
        return "either"
    return case.outcome


def check_report_json(case: Case, data: dict[str, Any]) -> None:
    """The contract's shape, and every sentence the case lists found in the articles' sentences."""
    assert data["schema"] == "parallax.report/1"
    assert data["articles"], "a report with no article"
    sentences = [s["text"] for a in data["articles"] for s in a["sentences"]]
    titles = [a["title"] or "" for a in data["articles"]]
    joined = _norm(" ".join(titles + sentences))
    lost = [k for k in case.keep if _norm(k) not in joined]
    assert not lost, f"text lost from the report: {lost}"


def check_views(case: Case, views: dict[str, str]) -> None:
    """Human views: something printed, no traceback, nothing from the text obeyed as markup or control."""
    for fmt, text in views.items():
        assert text.strip(), f"{fmt}: empty output"
        assert "Traceback (most recent call last)" not in text, fmt
    assert "\x1b" not in views["terminal"]
    page = views["html"]
    assert set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", page)) <= HTML_TAGS
    assert not ACTIVE_MARKUP.search(page)
    hrefs = re.findall(r"\bhref=\"([^\"]*)\"", page)
    assert all(href.startswith(("#", "http://", "https://")) for href in hrefs), hrefs
    visible = html.unescape(re.sub(r"<[^>]*>", " ", page))
    for fragment in case.shown:
        assert fragment in views["terminal"], f"terminal view does not show {fragment!r}"
        assert fragment in visible, f"HTML view does not show {fragment!r}"


def check_error(stderr: str, stdout: str) -> None:
    """One `Error:` line, perhaps a `Hint:`, nothing else."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert "Traceback" not in stderr + stdout
    assert lines and lines[0].startswith("Error: "), stderr
    assert len(lines) == 1 or (len(lines) == 2 and lines[1].startswith("Hint: ")), stderr


def check_cli(case: Case, results: dict[str, tuple[int, str, str]], expected: str) -> None:
    """`results[fmt] = (exit code, stdout, stderr)` of one `parallax compare` per format."""
    codes = {fmt: r[0] for fmt, r in results.items()}
    assert set(codes.values()) <= {0, 2}, f"exit codes {codes}: {results[next(iter(results))][2][-2000:]}"
    assert len(set(codes.values())) == 1, f"the formats disagree: {codes}"
    code = next(iter(codes.values()))
    if expected == "report":
        assert code == 0, f"expected a report, got: {results['json'][2]}"
    elif expected == "error":
        assert code == 2, "expected an error, got a report"
    if code == 2:
        for _, stdout, stderr in results.values():
            check_error(stderr, stdout)
        return
    for _, _, stderr in results.values():
        assert "Traceback" not in stderr
    check_report_json(case, json.loads(results["json"][1]))
    check_views(case, {fmt: r[1] for fmt, r in results.items()})


def run_cli(args: Sequence[str]) -> dict[str, tuple[int, str, str]]:
    """`parallax compare ARGS -f FMT` for every format; the caller makes the comparison itself cheap."""
    runner = CliRunner()
    out: dict[str, tuple[int, str, str]] = {}
    for fmt in FORMATS:
        result = runner.invoke(app, ["compare", *args, "--format", fmt])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception  # a crash: let pytest show the whole traceback
        out[fmt] = (result.exit_code, result.stdout, result.stderr)
    return out


def memoised(compare: Callable[..., Report]) -> Callable[..., Report]:
    """`compare` that runs once per distinct input; the CLI calls it once per format."""
    seen: dict[str, Report | parallax.ParallaxError] = {}

    def cached(articles: Sequence[Any], settings: Any = None, **kw: Any) -> Report:
        key = repr((list(articles), settings))
        if key not in seen:
            try:
                seen[key] = compare(articles, settings, **kw)
            except parallax.ParallaxError as exc:
                seen[key] = exc
        found = seen[key]
        if isinstance(found, parallax.ParallaxError):
            raise found
        return found

    return cached


@pytest.fixture(scope="module")
def cheap_cli() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("parallax.cli.compare", memoised(parallax.compare))
        yield


def check_api(
    case: Case, args: Sequence[str], expected: str, settings: parallax.Settings | None = None
) -> None:
    """`parallax.compare` on the same inputs: a Report that keeps the text, or a ParallaxError."""
    try:
        report = parallax.compare(list(args), settings)
    except parallax.ParallaxError as exc:
        assert expected != "report", f"expected a report, got {exc!r}"
        assert str(exc).strip()
        return
    assert expected != "error", "expected an error, got a report"
    check_report_json(case, json.loads(render(report, "json")))
    check_views(case, {fmt: render(report, fmt) for fmt in FORMATS if fmt != "json"})


FAST = [c for c in CASES if not c.slow]
SLOW = [c for c in CASES if c.slow]


@pytest.mark.usefixtures("cheap_cli")
@pytest.mark.parametrize("case", FAST, ids=[c.name for c in FAST])
def test_cli(case: Case, tmp_path: Path) -> None:
    args = write_case(case, tmp_path)
    for any_language in _runs(case):
        results = run_cli([*args, *_extra_args(case, any_language)])
        check_cli(case, results, _expected(case, any_language))


@pytest.mark.parametrize("case", FAST, ids=[c.name for c in FAST])
def test_api(case: Case, tmp_path: Path) -> None:
    args = write_case(case, tmp_path)
    check_api(case, args, _expected(case, any_language=False))
    if case.foreign and "any_language" in parallax.Settings.model_fields:
        check_api(case, args, _expected(case, any_language=True), parallax.Settings(any_language=True))


@pytest.mark.slow
@pytest.mark.parametrize("case", SLOW)
def test_big_input_in_a_memory_limited_process(case: Case, tmp_path: Path) -> None:
    """The CLI in all four formats, then the API, in a child process that may map at most 4 GiB."""
    args = write_case(case, tmp_path / "in")
    out = tmp_path / "results.json"
    proc = subprocess.run(
        [sys.executable, "-m", "tests.test_hostile", str(out), *args, *_extra_args(case, False)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=SLOW_TIMEOUT_S,
        check=False,
        env={k: v for k, v in os.environ.items() if not k.startswith("PARALLAX_")},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    found = json.loads(out.read_text(encoding="utf-8"))
    check_cli(case, {fmt: tuple(r) for fmt, r in found["cli"].items()}, case.outcome)  # type: ignore[misc]
    if found["api"] is not None:
        check_report_json(case, found["api"])


def _child(out: str, args: list[str]) -> None:
    """In the child: the CLI's four formats over one comparison, then the API result reused for it.

    The address-space limit is set here, before any model loads, rather than in a preexec_fn:
    forking a parent that runs torch threads and calling Python before exec is not safe.
    """
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    reports: list[Report] = []

    def compare_once(articles: Sequence[Any], settings: Any = None, **kw: Any) -> Report:
        report = parallax.compare(articles, settings, **kw)
        reports.append(report)
        return report

    parallax_cli = sys.modules["parallax.cli"]
    parallax_cli.compare = memoised(compare_once)  # type: ignore[attr-defined]
    cli = run_cli(args)
    api = reports[0].to_dict() if reports else None
    Path(out).write_text(json.dumps({"cli": cli, "api": api}), encoding="utf-8")


if __name__ == "__main__":
    _child(sys.argv[1], sys.argv[2:])
