"""Ingest: every input format, encodings, the headline rule, option defaults and each error case."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from parallax.errors import ConfigError, IngestError
from parallax.ingest import (
    IngestOptions,
    IngestResult,
    check_language,
    check_languages,
    detect_language,
    parse_published,
    read_file,
    read_files,
    read_text,
    sniff_format,
    split_headline,
    unwrap,
)
from parallax.model import Article
from parallax.settings import Settings

DATA = Path(__file__).parent / "data" / "ingest"
OPTS = IngestOptions()
BODY = (
    "The council voted on Monday to close the old bridge for repairs.\n"
    "Residents said they had waited years for the work to begin.\n"
)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def raises_naming(path: Path, match: str, options: IngestOptions = OPTS) -> IngestError:
    with pytest.raises(IngestError, match=match) as info:
        read_file(path, options)
    assert str(path) in str(info.value)
    assert info.value.source == str(path)
    return info.value


# --- plain text -------------------------------------------------------------------------------


def test_txt_headline_becomes_title(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "Council votes to close old bridge\n" + BODY)
    [art] = read_file(path, OPTS)
    assert art.title == "Council votes to close old bridge"
    assert art.text == BODY.strip()
    assert art.path == str(path)


def test_txt_long_standfirst_stays_in_text(tmp_path: Path) -> None:
    standfirst = (
        "The town has renewed its push for repairs to the crossing ahead of a council meeting "
        "expected later this week"
    )
    path = write(tmp_path, "a.txt", standfirst + "\n" + BODY)
    [art] = read_file(path, OPTS)
    assert art.title is None
    assert art.text.startswith(standfirst + "\n")


@pytest.mark.parametrize(
    "first",
    [
        "The council voted to close the bridge.",  # a sentence, not a headline
        'The mayor said: "We are ready."',
        "By Jane Reporter",  # a byline
        "the council voted on Monday to",  # hard-wrapped prose, lower-case start
    ],
)
def test_txt_first_line_that_is_no_headline_stays(tmp_path: Path, first: str) -> None:
    path = write(tmp_path, "a.txt", first + "\n" + BODY)
    [art] = read_file(path, OPTS)
    assert art.title is None
    assert art.text.startswith(first)


def test_txt_question_headline_and_blank_line(tmp_path: Path) -> None:
    title, rest = split_headline("\n\nCan the old bridge be saved?\n\n" + BODY)
    assert title == "Can the old bridge be saved?"
    assert rest == BODY.strip()


WRAPPED_BODY = (
    "The council voted on Monday to close the old bridge for six weeks of\n"
    "repairs after inspectors found rust in two of its supports, officials\n"
    "said in a statement released on Tuesday. Work starts in spring; a well-\n"
    "known firm will carry it out.\n"
    "\n"
    "Residents said they had waited years for the work to begin, and most\n"
    "welcomed the news at a meeting in the town hall on Tuesday evening.\n"
)
UNWRAPPED_BODY = (
    "The council voted on Monday to close the old bridge for six weeks of repairs after inspectors found "
    "rust in two of its supports, officials said in a statement released on Tuesday. Work starts in spring; "
    "a well-known firm will carry it out.\n\n"
    "Residents said they had waited years for the work to begin, and most welcomed the news at a meeting "
    "in the town hall on Tuesday evening."
)


def test_hard_wrapped_text_is_unwrapped() -> None:
    assert unwrap(WRAPPED_BODY).strip() == UNWRAPPED_BODY
    art = read_text(WRAPPED_BODY, options=OPTS)
    assert (art.title, art.text) == (None, UNWRAPPED_BODY)


@pytest.mark.parametrize("sep", ["\n", "\n\n"])
def test_headline_rule_works_on_wrapped_text(sep: str) -> None:
    art = read_text("Council votes to close old bridge" + sep + WRAPPED_BODY, options=OPTS)
    assert (art.title, art.text) == ("Council votes to close old bridge", UNWRAPPED_BODY)


@pytest.mark.parametrize(
    "text",
    [
        "Shopping list:\n- eggs\n- milk for the week\n- bread\n- cheese from the market\n",
        "First paragraph on one line, as most editors write it, however long it grows.\n"
        "Second paragraph, also on one line.\nThird.\nFourth paragraph here.\n",
        BODY,
    ],
)
def test_text_that_is_not_wrapped_stays(text: str) -> None:
    assert unwrap(text) == text


@pytest.mark.parametrize(
    "headline",
    [
        "Democratic Party alleges Trump-Russia conspiracy in new lawsuit.",  # NewsWCL50
        "North Korea suspends nuclear and missile tests: state media.",
        "Stealth Over Health: Hillary Clinton Was Headed to ER But Diverted to Avoid Bad Optics.",  # PolNeAR
    ],
)
def test_headline_ending_in_full_stop_is_title(headline: str) -> None:
    body = (
        "Tom Perez, the chairman of the Democratic Party, said on Friday that the party had filed a "
        "lawsuit in federal court, naming the campaign, Russia and WikiLeaks as defendants in the case.\n"
        "The suit seeks damages."
    )
    assert split_headline(headline + "\n" + body) == (headline, body)


@pytest.mark.parametrize(
    "text",
    [
        # The first sentence of a paragraph that goes on in the next line.
        "Officials announced new rules.\nThey take effect in May, the ministry said in a statement.\n\n"
        "The opposition criticised the plan on Wednesday evening in parliament.",
        # A one-sentence lead: an article, a copula, a weekday.
        "The minister resigned on Tuesday.\n" + BODY,
        "Maurice Cheeks is out as Philadelphia 76ers head coach.\n" + BODY,
        # Two sentences on the line.
        "Bridge shut. Council acts fast.\n" + BODY,
    ],
)
def test_sentence_ending_in_full_stop_stays_in_text(text: str) -> None:
    assert split_headline(text) == (None, text.strip())


def test_txt_single_line_is_text_not_title(tmp_path: Path) -> None:
    [art] = read_file(write(tmp_path, "a.txt", "Council votes to close old bridge\n"), OPTS)
    assert art.title is None
    assert art.text == "Council votes to close old bridge"


def test_txt_newlines_normalised_and_text_kept_exactly(tmp_path: Path) -> None:
    raw = "Bridge to close\r\nFirst  paragraph, with  double spaces.\r\rSecond paragraph.\rThird.\r\n"
    [art] = read_file(write(tmp_path, "a.txt", raw.encode()), OPTS)
    assert art.title == "Bridge to close"
    assert art.text == "First  paragraph, with  double spaces.\n\nSecond paragraph.\nThird."


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("utf-8-sig", "Café owners fear “months of disruption” — €5 fees.\n"),
        ("cp1252", "The mayor said the café would reopen on Monday – “not before”, he said.\n"),
        ("latin-1", "Der Bürgermeister sagte, die Brücke in Zürich werde im Mai geöffnet.\n"),
        ("utf-16", "Café owners fear “months of disruption” — €5 fees.\n"),
        ("utf-16-le", "Café owners fear “months of disruption” — €5 fees.\n"),
    ],
)
def test_txt_encodings(tmp_path: Path, encoding: str, text: str) -> None:
    path = write(tmp_path, "a.txt", ("Bridge closure\n" + text).encode(encoding))
    [art] = read_file(path, OPTS)
    assert art.title == "Bridge closure"
    assert art.text == text.strip()


# --- HTML -------------------------------------------------------------------------------------


def test_html_text_and_metadata() -> None:
    [art] = read_file(DATA / "harbour.html", OPTS)
    assert art.title == "Harbour bridge to close for repairs"
    assert art.outlet == "The Coastal Ledger"
    assert art.published == dt.date(2023, 6, 14)
    assert art.url == "https://ledger.example.org/local/harbour-bridge"
    assert art.text.startswith("The old harbour bridge will close")
    assert art.text.count("\n") == 2  # one line per paragraph
    assert "Home" not in art.text and "rights reserved" not in art.text
    assert art.path == str(DATA / "harbour.html")


def test_html_without_text_is_an_error(tmp_path: Path) -> None:
    path = write(
        tmp_path, "empty.html", "<html><head><title>x</title></head><body><nav>Home</nav></body></html>"
    )
    err = raises_naming(path, "no article text")
    assert err.hint


def test_html_options_fill_only_what_is_missing(tmp_path: Path) -> None:
    opts = IngestOptions(outlet="Given Outlet", published=dt.date(2020, 1, 1))
    [art] = read_file(DATA / "harbour.html", opts)
    assert (art.outlet, art.published) == ("The Coastal Ledger", dt.date(2023, 6, 14))
    bare = (DATA / "harbour.html").read_text(encoding="utf-8")
    for marker in ('<meta property="og:site_name"', '<meta property="article:published_time"', "<footer>"):
        bare = "\n".join(line for line in bare.split("\n") if not line.startswith(marker))
    [art] = read_file(write(tmp_path, "bare.htm", bare.replace("| The Coastal Ledger", "")), opts)
    assert art.published == dt.date(2020, 1, 1)
    assert art.outlet == "Given Outlet"


# --- JSON and JSONL ---------------------------------------------------------------------------


def test_jsonl_fields_and_aliases() -> None:
    ledger, wire = read_file(DATA / "records.jsonl", OPTS)
    assert (ledger.id, ledger.title, ledger.outlet) == (
        "ledger",
        "Harbour bridge to close",
        "The Coastal Ledger",
    )
    assert ledger.published == dt.date(2023, 6, 14)
    assert ledger.url == "https://ledger.example.org/x"
    assert (wire.id, wire.title, wire.outlet) == ("wire", "Bridge closure announced", "Wire Service")
    assert wire.published == dt.date(2023, 6, 14)
    assert wire.text.startswith("Officials said")
    assert ledger.path == wire.path == str(DATA / "records.jsonl")


def test_json_object_and_list(tmp_path: Path) -> None:
    one = {"title": "T", "text": "Some text.", "publisher": "P", "date": "2024-12-03T23:30:00-05:00"}
    [art] = read_file(write(tmp_path, "one.json", json.dumps(one)), OPTS)
    assert (art.title, art.outlet, art.published) == ("T", "P", dt.date(2024, 12, 3))
    many = [{"id": 1, "content": "First."}, {"id": "b", "text": "Second."}]
    arts = read_file(write(tmp_path, "many.json", json.dumps(many)), OPTS)
    assert [(a.id, a.text) for a in arts] == [("1", "First."), ("b", "Second.")]


def test_json_options_fill_only_missing_fields(tmp_path: Path) -> None:
    rows = [{"text": "A.", "outlet": "Own", "published": "2024-01-02"}, {"text": "B."}]
    path = write(tmp_path, "r.jsonl", "\n".join(json.dumps(r) for r in rows))
    own, bare = read_file(path, IngestOptions(outlet="Default", published=dt.date(2000, 1, 1)))
    assert (own.outlet, own.published) == ("Own", dt.date(2024, 1, 2))
    assert (bare.outlet, bare.published) == ("Default", dt.date(2000, 1, 1))


def test_txt_options_fill_outlet_and_date(tmp_path: Path) -> None:
    [art] = read_file(
        write(tmp_path, "a.txt", BODY), IngestOptions(outlet="O", published=dt.date(2024, 5, 6))
    )
    assert (art.outlet, art.published) == ("O", dt.date(2024, 5, 6))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-12-03", dt.date(2024, 12, 3)),
        ("2024-12-03T09:30:00Z", dt.date(2024, 12, 3)),
        ("2024-12-03 09:30:00+01:00", dt.date(2024, 12, 3)),
        ("3 December 2024", dt.date(2024, 12, 3)),
        ("Tue, 03 Dec 2024 10:00:00 GMT", dt.date(2024, 12, 3)),
        ("", None),
        (None, None),
    ],
)
def test_parse_published(value: str | None, expected: dt.date | None) -> None:
    assert parse_published(value) == expected


@pytest.mark.parametrize("value", ["yesterday", "soon", "2024-13-45", 1700000000])
def test_parse_published_rejects(value: object) -> None:
    with pytest.raises(ValueError, match="cannot read the publication date"):
        parse_published(value)


def test_json_bad_date_names_record(tmp_path: Path) -> None:
    path = write(tmp_path, "r.jsonl", json.dumps({"id": "x", "text": "A.", "published": "someday"}) + "\n")
    err = raises_naming(path, r"line 1 \(id 'x'\): cannot read the publication date 'someday'")
    assert err.hint and "YYYY-MM-DD" in err.hint


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        ("bad.json", '{"text": "A.",\n "title": }', "invalid JSON at line 2"),
        ("bad.jsonl", '{"text": "A."}\n{"text": \n', "line 2: invalid JSON"),
        ("notext.json", '{"title": "Only a title"}', "no usable article text"),
        ("blanktext.json", '{"text": "   "}', "no usable article text"),
        ("number.json", "42", "holds a int"),
        ("emptylist.json", "[]", "holds no articles"),
        ("scalar.jsonl", '{"text": "A."}\n"just a string"\n', "line 2: expected an article object"),
    ],
)
def test_json_errors_name_file_and_place(tmp_path: Path, name: str, content: str, match: str) -> None:
    raises_naming(write(tmp_path, name, content), match)


def test_jsonl_bad_line_skipped_with_skip_bad(tmp_path: Path) -> None:
    path = write(tmp_path, "r.jsonl", '{"text": "A."}\nnot json\n{"title": "no text"}\n{"text": "D."}\n')
    result = read_files([path], IngestOptions(skip_bad=True))
    assert [a.text for a in result.articles] == ["A.", "D."]
    assert len(result.failures) == 2
    assert "line 2" in str(result.failures[0]) and "line 3" in str(result.failures[1])
    assert all(str(path) in str(f) for f in result.failures)


def test_json_that_is_really_jsonl(tmp_path: Path) -> None:
    path = write(tmp_path, "r.json", '{"text": "A."}\n{"text": "B."}\n')
    assert [a.text for a in read_file(path, OPTS)] == ["A.", "B."]


# --- unknown extensions -----------------------------------------------------------------------


def test_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    html = (DATA / "harbour.html").read_text(encoding="utf-8")
    assert read_file(write(tmp_path, "page.dat", html), OPTS)[0].outlet == "The Coastal Ledger"
    assert read_file(write(tmp_path, "rec", '{"text": "A.", "id": "r"}'), OPTS)[0].id == "r"
    lines = '{"text": "A."}\n{"text": "B."}\n'
    assert len(read_file(write(tmp_path, "recs.out", lines), OPTS)) == 2
    [art] = read_file(write(tmp_path, "story.md", "Bridge to close\n" + BODY), OPTS)
    assert art.title == "Bridge to close"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("<!doctype html>", "html"),
        ("\n [{}]", "json"),
        ('{"a":\n1}', "json"),
        ("{}\n{}", "jsonl"),
        ("Hi", "text"),
    ],
)
def test_sniff_format(text: str, kind: str) -> None:
    assert sniff_format(text) == kind


# --- bad files and read_files -----------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    raises_naming(tmp_path / "nope.txt", "no such file")


def test_directory(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    raises_naming(tmp_path / "dir", "directory")


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"", "empty"),
        (b"  \n\t\r\n ", "only whitespace"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary"),
        (bytes(range(1, 32)) * 10, "binary"),
        # random bytes without NUL, not UTF-8: charset-normalizer would guess some encoding
        (bytes((i * 97 + 13) % 255 + 1 for i in range(4096)), "binary"),
        (b"\xff\xfe\x00\xd8", "not valid"),  # a UTF-16 BOM, then an unpaired surrogate
    ],
)
def test_bad_bytes(tmp_path: Path, content: bytes, match: str) -> None:
    err = raises_naming(write(tmp_path, "bad.txt", content), match)
    assert err.hint


def test_read_files_stops_at_first_bad(tmp_path: Path) -> None:
    good = write(tmp_path, "good.txt", BODY)
    with pytest.raises(IngestError, match=r"missing\.txt: no such file"):
        read_files([good, tmp_path / "missing.txt", tmp_path / "other.txt"], OPTS)


def test_read_files_skip_bad_keeps_order_and_failures(tmp_path: Path) -> None:
    a = write(tmp_path, "a.txt", "A story\n" + BODY)
    bad = write(tmp_path, "bad.txt", b"")
    b = write(tmp_path, "b.json", json.dumps({"text": "B text."}))
    result = read_files([a, bad, str(b)], IngestOptions(skip_bad=True))
    assert isinstance(result, IngestResult)
    assert [x.path for x in result.articles] == [str(a), str(b)]
    assert [f.source for f in result.failures] == [str(bad)]


def test_read_files_nothing_usable(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.txt", b"")
    with pytest.raises(IngestError, match="none of the 2 input"):
        read_files([bad, tmp_path / "missing.txt"], IngestOptions(skip_bad=True))
    with pytest.raises(IngestError, match="no input files"):
        read_files([], OPTS)


def test_read_file_skip_bad_all_records_bad(tmp_path: Path) -> None:
    path = write(tmp_path, "r.jsonl", '{"title": "x"}\nnope\n')
    raises_naming(path, "none of its 2 record", IngestOptions(skip_bad=True))


# --- text in memory ---------------------------------------------------------------------------


def test_read_text_applies_headline_rule_and_options() -> None:
    art = read_text(
        "Bridge to close\r\n" + BODY, options=IngestOptions(outlet="Web", published=dt.date(2024, 1, 1))
    )
    assert (art.title, art.outlet, art.published, art.path) == (
        "Bridge to close",
        "Web",
        dt.date(2024, 1, 1),
        None,
    )
    assert art.text == BODY.strip()


def test_read_text_with_given_title() -> None:
    assert read_text("Bridge to close\n" + BODY, options=OPTS, title="Bridge to Close").text == BODY.strip()
    other = read_text("Short line here\n" + BODY, options=OPTS, title="Another title")
    assert (other.title, other.text) == ("Another title", ("Short line here\n" + BODY).strip())


def test_read_text_empty() -> None:
    with pytest.raises(IngestError, match="empty"):
        read_text(" \n ", options=OPTS, path="web")


# --- outlets, URLs, odd files -----------------------------------------------------------------


def test_every_file_gets_an_outlet(tmp_path: Path) -> None:
    [txt] = read_file(write(tmp_path, "bbc.txt", BODY), OPTS)
    assert txt.outlet == "bbc"
    rows = [
        {"id": "x", "text": "A."},
        {"text": "B.", "url": "https://www.ledger.example.org/a"},
        {"text": "C."},
    ]
    x, b, c = read_file(write(tmp_path, "corpus.jsonl", "\n".join(json.dumps(r) for r in rows)), OPTS)
    assert (x.outlet, b.outlet, c.outlet) == ("corpus x", "ledger.example.org", "corpus line 3")
    [one] = read_file(write(tmp_path, "guardian.json", json.dumps({"text": "A."})), OPTS)
    assert one.outlet == "guardian"


def test_outlets_per_file(tmp_path: Path) -> None:
    a, b = write(tmp_path, "a.txt", BODY), write(tmp_path, "b.txt", BODY)
    result = read_files([a, b], OPTS, outlets=["Daily Post", "The Courier"])
    assert [art.outlet for art in result.articles] == ["Daily Post", "The Courier"]
    with pytest.raises(ConfigError, match="1 outlet name"):
        read_files([a, b], OPTS, outlets=["Daily Post"])


@pytest.mark.parametrize(
    "url", ["https://example.com/x", "http://example.com/a/b.html", "HTTPS://EXAMPLE.COM"]
)
def test_url_is_named_not_fetched(url: str) -> None:
    with pytest.raises(IngestError, match="reads saved files, not URLs") as info:
        read_files([url], OPTS)
    assert info.value.message.startswith(url + ":")
    assert info.value.hint and "read_sources" in info.value.hint


def test_stray_control_characters_are_dropped(tmp_path: Path) -> None:
    raw = b"The minister\x00 resigned on Monday after a long row.\x1b[31m He left the building.\n"
    [art] = read_file(write(tmp_path, "a.txt", raw), OPTS)
    assert art.text == "The minister resigned on Monday after a long row.[31m He left the building."


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-16-le", b""), ("utf-16-be", b""), ("utf-16-le", b"\xff\xfe"), ("utf-8", b"\xef\xbb\xbf")],
)
def test_utf16_and_utf8_with_and_without_bom(tmp_path: Path, encoding: str, bom: bytes) -> None:
    [art] = read_file(write(tmp_path, "a.txt", bom + BODY.encode(encoding)), OPTS)
    assert art.text == BODY.strip()


@pytest.mark.parametrize(
    ("name", "content"), [("empty.json", ""), ("obj.json", "{}"), ("blank.jsonl", "\n\n")]
)
def test_empty_json_is_an_error(tmp_path: Path, name: str, content: str) -> None:
    with pytest.raises(IngestError):
        read_file(write(tmp_path, name, content), OPTS)


def test_fifo_is_refused_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    raises_naming(fifo, "not a regular file")


def test_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", BODY * 100)
    raises_naming(path, "MiB", IngestOptions(max_file_bytes=1000))


# --- language ---------------------------------------------------------------------------------

GERMAN = (
    "Der Bundestag hat am Dienstag ein neues Gesetz zur Energiepolitik beschlossen. "
    "Die Opposition kritisierte, dass die Regierung die Kosten für die Haushalte unterschätze."
)
SPANISH = (
    "El gobierno anunció el martes nuevas medidas económicas para contener la inflación en todo el país."
)


@pytest.mark.parametrize(("text", "code"), [(GERMAN, "de"), (SPANISH, "es"), (BODY, "en")])
def test_detect_language(text: str, code: str) -> None:
    guess = detect_language(text)
    assert guess.code == code
    assert guess.confident_not_english(Settings()) == (code != "en")


@pytest.mark.parametrize(
    "text", ["OK.", "Kyiv", "Attendance : 9,402", "Sen. Bob Graham,", "AUCKLAND 1996-08-30"]
)
def test_a_few_words_are_never_refused(text: str) -> None:
    article, note = check_language(Article(text=text), Settings())
    assert note is None and article.language


def test_non_english_is_refused_with_its_name(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match=r"b\.txt: the article is in German \(de\)") as info:
        check_languages([Article(text=BODY), Article(text=GERMAN, path="b.txt")], Settings())
    assert info.value.hint and "--any-language" in info.value.hint


def test_any_language_gives_a_note() -> None:
    arts, notes = check_languages(
        [Article(text=BODY), Article(text=GERMAN, id="b")], Settings(any_language=True)
    )
    assert [a.language for a in arts] == ["en", "de"]
    assert notes == [
        "article b: the article is in German (de); it was read with English models, so expect gaps"
    ]


@pytest.mark.parametrize(
    ("declared", "code"), [("en-GB", "en"), ("English", "en"), ("eng", "en"), ("xx", "en")]
)
def test_declared_language_is_believed(declared: str, code: str) -> None:
    article, _ = check_language(Article(text=BODY, language=declared), Settings())
    assert article.language == code


def test_declared_foreign_language_is_refused() -> None:
    with pytest.raises(IngestError, match=r"Spanish \(es\)"):
        check_language(Article(text=BODY, language="es-MX"), Settings())
