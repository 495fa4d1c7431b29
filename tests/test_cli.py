"""The CLI over a monkeypatched library: help, version, errors and exit codes, outputs, docs coverage."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from parallax import __version__
from parallax.cli import app
from parallax.errors import IngestError
from parallax.ingest import IngestOptions, IngestResult
from parallax.model import Article, Report
from parallax.report import SECTIONS
from tests.test_report import TITLE_A, TITLE_B, sample_report

DOCS = Path(__file__).resolve().parents[1] / "docs" / "cli.md"
COMMAND = typer.main.get_command(app)
SUBCOMMANDS: dict[str, Any] = getattr(COMMAND, "commands", {})


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(autouse=True)
def _restore_logging(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """--verbose configures logging and the CLI quiets progress bars; undo both for the tests after."""
    monkeypatch.delenv("HF_HUB_DISABLE_PROGRESS_BARS", raising=False)
    root, ours = logging.getLogger(), logging.getLogger("parallax")
    handlers, root_level, our_level = list(root.handlers), root.level, ours.level
    yield
    root.handlers, ours.level = handlers, our_level
    root.setLevel(root_level)


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[Article]:
    """Replace the comparison with the sample report; collect the articles the CLI passed in."""
    got: list[Article] = []

    def fake_compare(articles: Sequence[Article], settings: Any = None, **_: Any) -> Report:
        got.extend(articles)
        return sample_report()

    monkeypatch.setattr("parallax.cli.compare", fake_compare)
    return got


@pytest.fixture
def two_files(tmp_path: Path) -> list[str]:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("The minister resigned on Tuesday.\n", encoding="utf-8")
    b.write_text("The minister quit on Tuesday.\n", encoding="utf-8")
    return [str(a), str(b)]


@pytest.mark.parametrize("flag", ["-h", "--help"])
@pytest.mark.parametrize("command", [[], *[[name] for name in SUBCOMMANDS]])
def test_help(runner: CliRunner, command: list[str], flag: str) -> None:
    result = runner.invoke(app, [*command, flag])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Usage: parallax")
    assert "Example:" in result.stdout


def test_no_arguments_shows_help(runner: CliRunner) -> None:
    result = runner.invoke(app, [])
    assert "Usage: parallax" in result.output
    assert "compare" in result.output


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"parallax {__version__}\n"


def test_missing_file(runner: CliRunner, seen: list[Article], tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    result = runner.invoke(app, ["compare", str(missing)])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0].startswith(f"Error: {missing}: ")
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert not seen


def test_bad_published(runner: CliRunner, seen: list[Article], two_files: list[str]) -> None:
    result = runner.invoke(app, ["compare", *two_files, "--published", "2024-13-45"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: cannot read the publication date '2024-13-45'",
        "Hint: give it as YYYY-MM-DD, e.g. 2024-12-03",
    ]
    assert not seen


def test_bad_format(runner: CliRunner, seen: list[Article], two_files: list[str]) -> None:
    result = runner.invoke(app, ["compare", *two_files, "--format", "xml"])
    assert result.exit_code == 2
    assert "Error: Invalid value for '--format'" in result.stderr
    assert "'xml'" in result.stderr
    assert not seen


def test_verbose_error_shows_traceback(runner: CliRunner, seen: list[Article], tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    result = runner.invoke(app, ["compare", str(missing), "--verbose"])
    assert result.exit_code == 2
    assert "Traceback (most recent call last)" in result.stderr
    tail = result.stderr.split("Traceback (most recent call last)")[-1]
    assert any(line.startswith(f"Error: {missing}: ") for line in tail.splitlines())


def test_library_error_with_hint(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, two_files: list[str]
) -> None:
    def broken(*_: Any, **__: Any) -> Report:
        from parallax.errors import ModelError

        raise ModelError("spaCy pipeline 'x' is not installed", hint="run the set-up command")

    monkeypatch.setattr("parallax.cli.compare", broken)
    result = runner.invoke(app, ["compare", *two_files])
    assert result.exit_code == 2
    assert result.stderr == "Error: spaCy pipeline 'x' is not installed\nHint: run the set-up command\n"


def test_json_output(runner: CliRunner, seen: list[Article], two_files: list[str]) -> None:
    result = runner.invoke(app, ["compare", *two_files, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "parallax.report/1"
    assert result.stderr == ""  # no spinner when stderr is not a terminal
    assert len(seen) == 2


def test_options_reach_ingest(runner: CliRunner, seen: list[Article], two_files: list[str]) -> None:
    outlets = ["--outlet", "Daily Post", "--outlet", "The Courier"]
    result = runner.invoke(app, ["compare", *two_files, "-f", "json", "--published", "2024-12-03", *outlets])
    assert result.exit_code == 0, result.output
    assert {a.published for a in seen} == {dt.date(2024, 12, 3)}
    assert [a.outlet for a in seen] == ["Daily Post", "The Courier"]


def test_outlets_default_to_file_names(runner: CliRunner, seen: list[Article], two_files: list[str]) -> None:
    result = runner.invoke(app, ["compare", *two_files, "-f", "json"])
    assert result.exit_code == 0, result.output
    assert [a.outlet for a in seen] == ["a", "b"]


def test_one_outlet_for_one_file(runner: CliRunner, seen: list[Article], two_files: list[str]) -> None:
    result = runner.invoke(app, ["compare", two_files[0], "-f", "json", "--outlet", "Daily Post"])
    assert result.exit_code == 0, result.output
    assert [a.outlet for a in seen] == ["Daily Post"]


def test_outlet_count_mismatch(runner: CliRunner, seen: list[Article], two_files: list[str]) -> None:
    result = runner.invoke(app, ["compare", *two_files, "--outlet", "Daily Post"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == "Error: 1 --outlet option(s) for 2 file(s)"
    assert result.stderr.splitlines()[1].startswith("Hint: give --outlet once per file")
    assert not seen


# Refused before any connection, so no test touches the network (tests/test_fetch.py has the rest).
@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1/x", "127.0.0.1 is a loopback address, which parallax does not fetch from"),
        ("ftp://example.com/a?b=1", "parallax fetches only http and https URLs, not ftp: URLs"),
    ],
)
def test_url_argument_gets_a_clear_message(
    runner: CliRunner, seen: list[Article], url: str, message: str
) -> None:
    result = runner.invoke(app, ["compare", url])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == f"Error: {url}: {message}"
    assert lines[1].startswith("Hint: ")
    assert not seen


def test_out_writes_file(
    runner: CliRunner, seen: list[Article], two_files: list[str], tmp_path: Path
) -> None:
    out = tmp_path / "report.md"
    result = runner.invoke(app, ["compare", *two_files, "--format", "markdown", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == f"Wrote the markdown report to {out}\n"
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Parallax report")
    assert TITLE_B in text


@pytest.mark.parametrize("fmt", ["terminal", "markdown"])
def test_human_formats(runner: CliRunner, seen: list[Article], two_files: list[str], fmt: str) -> None:
    result = runner.invoke(app, ["compare", *two_files, "--format", fmt])
    assert result.exit_code == 0, result.output
    for heading in SECTIONS:
        assert heading in result.stdout
    assert TITLE_B in result.stdout
    assert "budget row" in result.stdout and "Minister resigns over" in TITLE_A
    assert "\x1b[" not in result.stdout


def test_skip_bad_warns_and_goes_on(
    runner: CliRunner, seen: list[Article], monkeypatch: pytest.MonkeyPatch, two_files: list[str]
) -> None:
    def fake_read(paths: Sequence[str], options: IngestOptions, outlets: Any = None) -> IngestResult:
        assert options.skip_bad
        bad = IngestError("not UTF-8 text", source="bad.txt", hint="convert it")
        return IngestResult([Article(text="Some text.", path=paths[0])], [bad])

    monkeypatch.setattr("parallax.cli.read_files", fake_read)
    result = runner.invoke(app, ["compare", two_files[0], "bad.txt", "--skip-bad", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert result.stderr == "Warning: skipped bad.txt: not UTF-8 text\n"
    assert len(seen) == 1


def test_skip_bad_with_nothing_left(
    runner: CliRunner, seen: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    def fake_read(paths: Sequence[str], options: IngestOptions, outlets: Any = None) -> IngestResult:
        return IngestResult([], [IngestError("no article text", source=p) for p in paths])

    monkeypatch.setattr("parallax.cli.read_files", fake_read)
    result = runner.invoke(app, ["compare", "x.txt", "--skip-bad"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[:2] == [
        "Warning: skipped x.txt: no article text",
        "Error: none of the inputs could be read",
    ]
    assert not seen


def test_verbose_logs_info(runner: CliRunner, seen: list[Article], two_files: list[str]) -> None:
    result = runner.invoke(app, ["compare", *two_files, "-f", "json", "--verbose"])
    assert result.exit_code == 0, result.output
    assert "stage seconds" in result.stderr
    assert json.loads(result.stdout)["schema"] == "parallax.report/1"


def test_docs_cover_every_command_and_option() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    names = [opt for p in COMMAND.params for opt in [*p.opts, *p.secondary_opts] if opt.startswith("-")]
    for name, command in SUBCOMMANDS.items():
        assert f"## parallax {name}" in docs, f"docs/cli.md has no section for {name}"
        assert command.help, f"{name} has no help text"
        names += [opt for p in command.params for opt in [*p.opts, *p.secondary_opts] if opt.startswith("-")]
    missing = sorted({n for n in names if f"`{n}" not in docs and f", {n}" not in docs})
    assert not missing, f"docs/cli.md does not mention {missing}"


@pytest.mark.model
def test_compare_for_real(runner: CliRunner, tmp_path: Path) -> None:
    a, b = tmp_path / "bbc.txt", tmp_path / "reuters.txt"
    a.write_text("The finance minister Jane Roe resigned on Tuesday, officials said.\n", encoding="utf-8")
    b.write_text(
        'Jane Roe quit as finance minister on Tuesday. "It is a sad day," she said.\n', encoding="utf-8"
    )
    result = runner.invoke(app, ["compare", str(a), str(b), "--format", "json", "--published", "2024-12-03"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == "parallax.report/1"
    assert len(data["articles"]) == 2
    assert {art["published"] for art in data["articles"]} == {"2024-12-03"}
    terminal = runner.invoke(app, ["compare", str(a), str(b), "--published", "2024-12-03"])
    assert terminal.exit_code == 0, terminal.output
    assert "Shared facts" in terminal.stdout


@pytest.mark.model
def test_stories_jsonl_in_input_order(runner: CliRunner, tmp_path: Path) -> None:
    texts = {
        "q1": ("A strong earthquake struck the coast of Chile and buildings collapsed.", "2024-03-02"),
        "b1": ("The city council approved the school budget after a debate on teacher pay.", "2024-03-01"),
        "q2": ("Chile earthquake: buildings collapsed when a strong quake hit the coast.", "2024-03-01"),
    }
    rows = [{"id": k, "text": text, "published": day} for k, (text, day) in texts.items()]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = runner.invoke(app, ["stories", str(corpus), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["q1", "b1", "q2"]
    assert lines[0]["story"] == lines[2]["story"] != lines[1]["story"]


GERMAN = (
    "Der Bundestag hat am Dienstag ein neues Gesetz zur Energiepolitik beschlossen. "
    "Die Opposition kritisierte, dass die Regierung die Kosten für die Haushalte unterschätze.\n"
)


def test_non_english_file_is_refused(runner: CliRunner, two_files: list[str], tmp_path: Path) -> None:
    german = tmp_path / "b.txt"
    german.write_text(GERMAN, encoding="utf-8")
    result = runner.invoke(app, ["compare", two_files[0], str(german)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == f"Error: {german}: the article is in German (de); parallax analyses English text"
    assert "--any-language" in lines[1]


def test_skip_bad_skips_non_english(
    runner: CliRunner, seen: list[Article], two_files: list[str], tmp_path: Path
) -> None:
    german = tmp_path / "de.txt"
    german.write_text(GERMAN, encoding="utf-8")
    result = runner.invoke(app, ["compare", two_files[0], str(german), "--skip-bad", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"Warning: skipped {german}: the article is in German (de)")
    assert [a.language for a in seen] == ["en"]


def test_any_language_reaches_the_settings(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, two_files: list[str]
) -> None:
    got: list[Any] = []

    def fake_compare(articles: Sequence[Article], settings: Any = None, **_: Any) -> Report:
        got.append(settings)
        return sample_report()

    monkeypatch.setattr("parallax.cli.compare", fake_compare)
    result = runner.invoke(app, ["compare", *two_files, "--any-language", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert got[0].any_language


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        ("bin.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary"),
        ("nul.txt", b"\x00\x01\x02\x03" * 40, "binary"),
        ("empty.json", b"", "empty"),
        ("obj.json", b"{}", "no usable article text"),
        ("bad.jsonl", b'{"text": "A."}\n{"text": \n', "line 2: invalid JSON"),
        ("nav.html", b"<html><body><nav>Home</nav></body></html>", "no article text"),
    ],
)
def test_bad_inputs_give_one_error_line(
    runner: CliRunner, seen: list[Article], tmp_path: Path, name: str, content: bytes, match: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(app, ["compare", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {path}: ")
    assert match in result.stderr.splitlines()[0]
    assert "Traceback" not in result.output
    assert not seen


def test_directory_gives_one_error_line(runner: CliRunner, seen: list[Article], tmp_path: Path) -> None:
    result = runner.invoke(app, ["compare", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {tmp_path}: this is a directory")


@pytest.mark.parametrize(
    "encoded",
    [
        "Café owners fear “months of disruption”.\n".encode("utf-16"),
        "Café owners fear “months of disruption”.\n".encode("utf-16-le"),
        "Café owners fear “months of disruption”.\n".encode("utf-8-sig"),
        "Der Café-Besitzer in Zürich fürchtet Monate der Störung; the owner said so.\n".encode("latin-1"),
        "Café owners fear “months of disruption” – €5 fees.\n".encode("cp1252"),
    ],
)
def test_encodings_reach_compare(
    runner: CliRunner, seen: list[Article], tmp_path: Path, encoded: bytes
) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(encoded)
    result = runner.invoke(app, ["compare", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert "Caf" in seen[0].text and "\ufffd" not in seen[0].text


def test_json_articles_carry_outlet_and_source_alias(
    runner: CliRunner, seen: list[Article], two_files: list[str]
) -> None:
    result = runner.invoke(app, ["compare", *two_files, "-f", "json"])
    articles = json.loads(result.stdout)["articles"]
    assert [a["outlet"] for a in articles] == ["Daily Post", "The Courier"]
    assert [a["source"] for a in articles] == [a["outlet"] for a in articles]
