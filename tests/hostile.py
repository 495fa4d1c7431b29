"""The hostile-input corpus: inputs a new user could hand parallax, built in code (nothing big is committed).

Each Case is a set of files (names and bytes) plus what must come of them: a report that keeps the
listed text (`keep`), a clean `Error:` (exit 2), or either. `python -m tests.hostile DIR` writes every
case into DIR/<case>/ to try one by hand; `python -m tests.hostile DIR CASE` writes one.
"""

from __future__ import annotations

import codecs
import json
import random
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

__all__ = ["CASES", "Case", "Outcome", "story", "write_case"]

Outcome = Literal["report", "error", "either"]

# Two ordinary reports of one story; most cases pair a hostile file with the second as a companion.
STORY_A = (
    "Finance minister resigns over budget row",
    [
        "The finance minister resigned on Tuesday after weeks of pressure over the budget.",
        "She told reporters outside her office that she could no longer defend the figures.",
        "Markets fell two percent in early trading in the capital.",
        "The prime minister thanked her for her years of service and named a successor on Wednesday.",
    ],
)
STORY_B = (
    "Jane Roe quits as finance minister",
    [
        "Finance minister Jane Roe quit on Tuesday, ending a month of open conflict with the cabinet.",
        "Roe said the budget figures were indefensible and that she would not sign them.",
        "Shares dropped three percent after the announcement.",
        "Opposition leaders called for an early election.",
    ],
)

_PLACES = ["the capital", "the northern province", "the port city", "the border region", "the valley"]
_ACTORS = ["Officials", "Aid workers", "Local councils", "Police", "Health authorities", "Teachers"]
_VERBS = ["reported", "confirmed", "announced", "estimated", "warned"]
_OBJECTS = ["families had received aid", "roads had reopened", "schools had closed", "clinics were full"]


def story(n_sentences: int, seed: int = 0) -> list[str]:
    """Ordinary, varied news sentences (no two alike), for the big cases."""
    rng = random.Random(seed)
    return [
        f"{rng.choice(_ACTORS)} in {rng.choice(_PLACES)} {rng.choice(_VERBS)} on day {i} that "
        f"{rng.randint(2, 9000)} {rng.choice(_OBJECTS)} by the end of the week."
        for i in range(n_sentences)
    ]


@dataclass(frozen=True)
class Case:
    """One hostile input: files to write, the outcome allowed, the text a report must keep."""

    name: str
    files: tuple[tuple[str, bytes], ...]
    outcome: Outcome = "report"
    keep: tuple[str, ...] = ()
    foreign: bool = False  # not English: a clean refusal is fine, and --any-language must compare it
    slow: bool = False  # big: run in a subprocess under an address-space limit
    urls: tuple[str, ...] = ()  # arguments that are not files
    shown: tuple[str, ...] = ()  # markup characters the terminal and HTML views must show as written


def _text(title: str | None, sentences: list[str], sep: str = " ") -> str:
    body = sep.join(sentences)
    return f"{title}\n\n{body}\n" if title else body + "\n"


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


def _companion() -> tuple[str, bytes]:
    return ("companion.txt", _utf8(_text(*STORY_B)))


def _pair(name: str, data: bytes, keep: tuple[str, ...] | list[str], **kw: object) -> Case:
    """The hostile file next to an ordinary companion report."""
    return Case(name, ((f"{name}.txt", data), _companion()), keep=tuple(keep), **kw)  # type: ignore[arg-type]


def _cases() -> Iterator[Case]:
    title_a, body_a = STORY_A
    plain_a = _text(title_a, body_a)
    accented = [
        "José Müller, the mayor of Zürich, said the café would reopen on Friday.",
        "The “national” plan — worth €2 million — was approved by the council.",
    ]

    # Nothing to read.
    yield _pair("empty", b"", [], outcome="error")
    yield _pair("whitespace_only", _utf8(" \n\t\r\n   \n\u3000\u00a0\n"), [], outcome="error")
    noise = random.Random(1)
    yield _pair("binary", bytes(noise.randrange(256) for _ in range(4096)), [], outcome="error")
    no_nul = bytes(noise.randrange(1, 256) for _ in range(4096))
    yield _pair("binary_without_nul", no_nul, [], outcome="error")
    yield _pair(
        "png_image", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, [], outcome="error"
    )
    yield _pair("nul_bytes", _utf8(plain_a.replace("minister ", "minister\x00 ")), body_a)

    # Encodings and byte-order marks.
    yield _pair("utf8_bom", codecs.BOM_UTF8 + _utf8(_text(None, accented)), accented)
    for bom, codec, label in [
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf16_le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf16_be"),
    ]:
        yield _pair(f"{label}_bom", bom + _text(None, accented).encode(codec), accented)
        yield _pair(f"{label}_no_bom", _text(None, accented).encode(codec), accented)
    yield _pair("latin1", _text(None, accented[:1]).encode("latin-1"), accented[:1])
    yield _pair("cp1252", _text(None, accented[1:]).encode("cp1252"), accented[1:])
    # UTF-8 with two stray bytes (a cut or spliced file): the accented words must survive.
    broken = _utf8(_text(None, [*accented, *body_a])).replace(b"weeks", b"we\xffe\xfeks")
    yield _pair("invalid_utf8_bytes", broken, [accented[0], *body_a[1:]], outcome="either")

    # Line ends and layout.
    yield _pair("crlf", _utf8(_text(title_a, body_a, sep="\r\n\r\n").replace("\n\n", "\r\n\r\n")), body_a)
    yield _pair("cr_only", _utf8(_text(title_a, body_a, sep="\r\r").replace("\n", "\r")), body_a)
    mixed = f"{title_a}\r\n\r\n{body_a[0]}\n{body_a[1]}\r{body_a[2]}\r\n\n{body_a[3]}\r"
    yield _pair("mixed_line_ends", _utf8(mixed), body_a)
    paragraphs = [" ".join(body_a[:2]), " ".join(body_a[2:])]
    wrapped = "\n\n".join(textwrap.fill(p, 72) for p in paragraphs)
    yield _pair("hard_wrapped_72", _utf8(f"{title_a}\n\n{wrapped}\n"), body_a)
    yield _pair("many_blank_lines", _utf8(("\n" * 500).join(body_a)), body_a)
    yield _pair("tabs_and_nbsp", _utf8("\t" + "\u00a0\t".join(body_a)), [s.split()[0] for s in body_a])

    # Odd amounts of text.
    yield _pair("one_word", b"Resigned", ["Resigned"])
    yield Case("one_word_each", (("a.txt", b"Resigned"), ("b.txt", b"Quit")), keep=("Resigned", "Quit"))
    yield Case(
        "one_sentence_each",
        (("a.txt", b"The minister said so.\n"), ("b.txt", b"He said so.\n")),
        keep=("The minister said so.", "He said so."),
    )
    yield Case("single_article", (("only.txt", _utf8(plain_a)),), keep=tuple(body_a))
    yield Case(
        "identical_articles", (("a.txt", _utf8(plain_a)), ("b.txt", _utf8(plain_a))), keep=tuple(body_a)
    )
    yield Case("same_file_twice", (("a.txt", _utf8(plain_a)),) * 2, keep=tuple(body_a))
    yield Case(
        "thirty_articles",
        tuple((f"wire{i:02d}.txt", _utf8(_text(None, story(6, seed=i)))) for i in range(30)),
        keep=tuple(story(6, seed=29)),
    )
    words = story(200, seed=3)
    no_punct = " ".join(w.rstrip(".").lower() for w in words)[:10_000]
    yield _pair("no_punctuation_10kb", _utf8(no_punct), [no_punct[:200].rsplit(" ", 1)[0]])
    long_sentence = ", ".join(s.rstrip(".") for s in story(120, seed=4)) + "."
    yield _pair("one_very_long_sentence", _utf8(long_sentence), [long_sentence[:300].rsplit(" ", 1)[0]])
    yield _pair("very_long_words", _utf8(f"The word {'x' * 20_000} is long. {body_a[0]}"), [body_a[0]])
    yield _pair("only_numbers", _utf8("1 2 3 4.5 2024\n100,000 3.14159 -7 42%\n" * 50), [], outcome="either")
    yield _pair("only_punctuation", _utf8("!!! ??? ... --- *** ### ;;; ,,,\n" * 20), [], outcome="either")
    only_quotes = ['"We will not resign."', "“This is a sad day.”", "'No comment.'", '"', "“"]
    yield _pair("only_quotes", _utf8("\n\n".join(only_quotes)), only_quotes[:3], outcome="either")
    unbalanced = 'The minister said "we will not go and then left. "He was right," aides said "'
    yield _pair("unbalanced_quotes", _utf8(unbalanced), ["The minister said"])

    # Markup characters of the renderers, and page markup in the text.
    rich_text = [
        "A spokesman for [the ministry] said the figures were wrong [sic].",
        "The [bold red]report[/bold red] was published online [/url] late on Monday.",
    ]
    yield _pair(
        "rich_markup",
        _utf8(_text(title_a, rich_text + body_a)),
        rich_text + body_a,
        shown=("[sic]", "ministry]", "red]report[/bold"),
    )
    md_text = [
        "The *budget* was __cut__ by `ten` percent, see [the plan](http://example.com/plan).",
        "# Not a heading, said the minister.",
        "- Not a list item either.",
        "> Not a quotation block.",
    ]
    md = _utf8("\n\n".join([title_a, *md_text, *body_a]))
    yield _pair("markdown_markup", md, md_text + body_a, shown=("*budget*", "__cut__", "`ten`", "#"))
    html_text = [
        'The minister wrote <script>alert("x")</script> in her letter.',
        'Aides posted <img src=x onerror=alert(1)> and a <a href="javascript:alert(2)">link</a> on Monday.',
        "Costs rose 5% &amp; taxes fell &lt;3%.",
    ]
    tags = _utf8("\n\n".join([title_a, *html_text, *body_a]))
    shown = ("<script>alert(", "onerror=alert(1)>")
    yield _pair("html_markup_in_text", tags, html_text + body_a, shown=shown)
    page = (
        "<html><head><title>Minister resigns</title><script>alert('head')</script></head><body>"
        f"<article><h1>{title_a}</h1>" + "".join(f"<p>{s}</p>" for s in body_a) + "<p>She wrote "
        "&lt;script&gt;alert(1)&lt;/script&gt; in a post.</p><img src=x onerror=alert(1)>"
        "<a href='javascript:alert(2)'>more</a></article></body></html>"
    )
    yield Case("html_page_with_script", (("page.html", _utf8(page)), _companion()), keep=tuple(body_a[:2]))
    bb = [
        "The ministry said in a [url=http://example.com/statement]statement[/url] that talks would go on.",
        "[Photo: Reuters]",
        "Prime minister Benjamin [Netanyahu] told reporters the plan was [b]final[/b].",
    ]
    bb_keep = ["The ministry said in a statement that talks would go on.", "told reporters the plan was"]
    yield _pair("bbcode_and_brackets", _utf8("\n\n".join([title_a, *bb, *body_a])), bb_keep + body_a)
    record = {
        "id": "rec[1]",
        "title": "<script>alert(1)</script> [bold]Minister[/bold] *resigns* [/url]",
        "outlet": "[red]Daily[/red] <b>Post</b>",
        "published": "2024-12-03",
        "text": "\n\n".join(rich_text + md_text + body_a),
    }
    yield Case(
        "json_record_markup_fields",
        (("record.json", _utf8(json.dumps(record))), _companion()),
        keep=tuple(rich_text + body_a),
    )
    jsonl = [json.dumps({"id": "a", "text": plain_a}), "{not json", json.dumps({"id": "b", "text": ""})]
    yield Case(
        "jsonl_with_bad_lines", (("batch.jsonl", _utf8("\n".join(jsonl))), _companion()), outcome="either"
    )

    # Scripts and characters beyond ASCII.
    arabic = [
        "استقال وزير المالية يوم الثلاثاء بعد أسابيع من الضغط.",
        "وقالت إنها لم تعد قادرة على الدفاع عن الأرقام.",
    ]
    hebrew = ["שר האוצר התפטר ביום שלישי לאחר שבועות של לחץ.", "היא אמרה שאינה יכולה עוד להגן על המספרים."]
    chinese = ["财政部长周二在数周的压力下辞职。", "她告诉记者，她无法再为这些数字辩护。"]
    japanese = ["財務大臣は火曜日に辞任した。", "彼女は数字をもう擁護できないと記者団に語った。"]
    german = [
        "Die Finanzministerin ist am Dienstag nach wochenlangem Druck zurückgetreten.",
        "Sie sagte vor ihrem Büro, sie könne die Zahlen nicht länger verteidigen.",
    ]
    for name, sents in [("arabic", arabic), ("hebrew", hebrew), ("chinese", chinese), ("japanese", japanese)]:
        yield _pair(name, _utf8("\n\n".join(sents)), sents, foreign=True)
    yield _pair("german", _utf8("\n\n".join(german)), german, foreign=True)
    rtl_in_english = [
        "The envoy, Ahmed al-Masri (أحمد المصري), said the talks in Tel Aviv (תל אביב) had ended.",
        "\u200fThe statement was signed by both sides\u200e on Monday.",
    ]
    yield _pair("rtl_names_in_english", _utf8("\n\n".join(rtl_in_english + body_a)), body_a)
    yield _pair(
        "bidi_override", _utf8(f"The minister \u202eresigned\u202c on Tuesday. {body_a[1]}"), [body_a[1]]
    )
    emoji = [
        "The minister 👋 resigned on Tuesday 🇺🇦 after a vote.",
        "Supporters 👨‍👩‍👧‍👦 gathered outside and cheered 👍🏽 for an hour.",
    ]
    yield _pair("emoji", _utf8("\n\n".join(emoji)), emoji)
    zw = [
        "The mini\u200bster resig\u200cned on Tues\u200dday after weeks of pressure.",
        "She\u2060 said the figures\ufeff were wrong.",
    ]
    yield _pair("zero_width", _utf8("\n\n".join(zw)), [], outcome="report")
    zalgo = "".join(c + "\u0336\u0327\u034d" for c in "Minister resigns") + ". " + body_a[0]
    yield _pair("combining_marks", _utf8(zalgo), [body_a[0]])
    controls = f"The minister \x1b[31mresigned\x1b[0m on Tuesday.\x07\x08 {body_a[1]}\x0b\x0c{body_a[2]}"
    yield _pair("control_characters", _utf8(controls), [body_a[1], body_a[2]])

    # Wire copy and arguments that are not files.
    wire = [
        f"MOSCOW (AP) -- {body_a[0]} {body_a[1]}",
        f"WASHINGTON — {STORY_B[1][0]} {STORY_B[1][1]}",
        f"LONDON, Dec 3 (Reuters) - {body_a[2]}",
    ]
    yield Case(
        "datelines",
        tuple((f"wire{i}.txt", _utf8(t + "\n")) for i, t in enumerate(wire)),
        keep=(body_a[0], STORY_B[1][0], body_a[2]),
    )
    # URLs the fetcher refuses before any connection: tests never touch the network.
    yield Case("url_argument", (), outcome="error", urls=("http://127.0.0.1/news/x",))
    yield Case("url_and_file", (_companion(),), outcome="error", urls=("file:///etc/x.html",))

    # Big ones: bounded memory, time linear in length.
    huge = story(13_000, seed=7)  # about 1.4 MB
    # Alone: a story of it and another report would pass max_story_sentences and be refused.
    yield Case(
        "huge_article_1_4mb",
        (("huge_article_1_4mb.txt", _utf8("\n\n".join(huge))),),
        keep=(huge[0], huge[7_500], huge[-1]),
        slow=True,
    )
    line = story(2_000, seed=8)  # about 190 kB on one line
    yield _pair("one_huge_line", _utf8(" ".join(line)), [line[0], line[1_000], line[-1]], slow=True)
    no_punct_big = " ".join(s.rstrip(".").lower() for s in story(1_300, seed=9))  # about 120 kB
    yield _pair(
        "no_punctuation_120kb_one_line",
        _utf8(no_punct_big),
        [no_punct_big[:200].rsplit(" ", 1)[0]],
        slow=True,
    )


CASES: tuple[Case, ...] = tuple(_cases())


def write_case(case: Case, directory: Path) -> list[str]:
    """Write the case's files into `directory`; the command-line arguments that name them (URLs first)."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in case.files:
        path = directory / name
        path.write_bytes(data)
        paths.append(str(path))
    return [*case.urls, *paths]


if __name__ == "__main__":
    out = Path(sys.argv[1])
    wanted = set(sys.argv[2:])
    for c in CASES:
        if not wanted or c.name in wanted:
            print(c.name, *write_case(c, out / c.name))
