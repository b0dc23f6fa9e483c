"""Language spans, ``[text]{lang=en}``: parsed, typeset in their language, and carried as
``lang`` in HTML and ``w:lang`` in Word; a bad tag is an error at its place."""

from __future__ import annotations

import re
import textwrap
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen import api
from docgen.cli import main
from docgen.formats.html.writer import HtmlWriter
from docgen.i18n import export, import_file
from docgen.langtag import BadLanguageTag, check_language_tag
from docgen.markdown import MAX_ATTRIBUTES, parse_body
from docgen.model import Code, Emphasis, FootnoteRef, Image, Link, Paragraph, Span, Text

from .conftest import MINIMAL_FRONT, pdf_text

NNBSP = "\u202f"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XLIFF = {"x": "urn:oasis:names:tc:xliff:document:1.2"}

BODY = textwrap.dedent(
    """\
    ## Débat

    Le ministre a demandé : ["Is it *true*?"]{lang=en} Personne n'a répondu.

    Il cite "[the special relationship]{lang=en}" sans la nommer ?
    """
)


def paragraph(source: str, path: Path = Path("a.md"), offset: int = 0) -> Paragraph:
    parsed = parse_body(source, path, offset)
    assert [p for p in parsed.problems if p.severity == "error"] == []
    (block,) = parsed.blocks
    assert isinstance(block, Paragraph)
    return block


# --------------------------------------------------------------------------- parsing


def test_a_span_becomes_a_span_node_with_its_inlines() -> None:
    block = paragraph("Il dit [Is it *true*?]{lang=en} hier.\n")
    assert block.children == (
        Text("Il dit "),
        Span("en", (Text("Is it "), Emphasis((Text("true"),)), Text("?"))),
        Text(" hier."),
    )


def test_tags_come_back_canonical_and_spans_nest() -> None:
    block = paragraph("[un [Wort]{lang=DE-ch} ici]{lang=fr-ca}\n")
    assert block.children == (
        Span("fr-CA", (Text("un "), Span("de-CH", (Text("Wort"),)), Text(" ici"))),
    )


def test_a_link_takes_a_lang_after_it_and_may_stand_in_a_span() -> None:
    link = Link("https://example.org", (Text("report"),))
    assert paragraph("[report](https://example.org){lang=en}\n").children == (Span("en", (link,)),)
    assert paragraph("[[report](https://example.org)]{lang=en}\n").children == (
        Span("en", (link,)),
    )


def test_other_braces_after_links_images_and_notes_stay_text() -> None:
    """Only a lone ``lang`` is taken after a link; any other ``{...}`` (after a link, code,
    an image or a footnote call) reads as CommonMark reads it, as text."""
    source = (
        "[a](https://x.org){.big} `x`{lang=en} ![i](p.png){lang=en} b[^1]{lang=en}\n\n[^1]: n\n"
    )
    assert paragraph(source).children == (
        Link("https://x.org", (Text("a"),)),
        Text("{.big} "),
        Code("x"),
        Text("{lang=en} "),
        Image("p.png", "i"),
        Text("{lang=en} b"),
        FootnoteRef("1", 1),
        Text("{lang=en}"),
    )


def test_other_attributes_are_dropped_with_a_warning_at_their_place() -> None:
    parsed = parse_body("\nTexte [mot]{lang=en .rouge}, [autre]{#x}.\n", Path("a.md"), 5)
    (block,) = parsed.blocks
    assert isinstance(block, Paragraph)
    assert block.children == (Text("Texte "), Span("en", (Text("mot"),)), Text(", autre."))
    assert [str(p) for p in parsed.problems] == [
        "a.md:7:21: warning: span attribute(s) class ignored: only lang is read ([text]{lang=en})",
        "a.md:7:38: warning: span attribute(s) id ignored: only lang is read ([text]{lang=en})",
    ]


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ("en-UK", "language tag 'en-UK': unknown region 'UK' (write 'GB')"),
        ("eng", "language tag 'eng': write 'en' for 'eng'"),
        ("xx", "language tag 'xx': unknown language 'xx'"),
        ("en_GB", "language tag 'en_GB' is not BCP 47 (like 'en', 'en-GB' or 'zh-Hant-TW')"),
        ("zh-Hanx", "language tag 'zh-Hanx': unknown script 'Hanx'"),
    ],
)
def test_bad_tags_are_refused_with_a_reason(tag: str, message: str) -> None:
    with pytest.raises(BadLanguageTag) as caught:
        check_language_tag(tag)
    assert str(caught.value) == message


def test_good_tags_pass() -> None:
    for tag in ("en", "fr-FR", "zh-Hant-TW", "es-419", "de-CH-1996", "sr-Latn", "en-x-docgen"):
        assert check_language_tag(tag) == tag


def test_a_bad_tag_is_an_error_at_the_attribute() -> None:
    parsed = parse_body('> - un [mot]{lang=en} et [autre]{ lang="en-UK" }\n', Path("a.md"), 9)
    assert [str(p) for p in parsed.problems] == [
        "a.md:10:35: error: language tag 'en-UK': unknown region 'UK' (write 'GB')"
    ]


def test_a_long_attribute_block_is_not_read() -> None:
    """The attribute parser reads a bounded block: past ``MAX_ATTRIBUTES`` characters a
    ``{...}`` is text, so a hostile paragraph is not read again at every ``[x]{``."""
    filler = " k=v" * (MAX_ATTRIBUTES // 4)
    assert paragraph(f"[a]{{lang=en{filler}}}\n").children == (Text(f"[a]{{lang=en{filler}}}"),)
    short = " k=v" * ((MAX_ATTRIBUTES - 20) // 4)
    assert paragraph(f"[a]{{lang=en{short}}}\n", Path("a.md")).children[0] == Span(
        "en", (Text("a"),)
    )


def test_a_right_to_left_span_is_isolated_in_html() -> None:
    block = paragraph("Il a dit [شكرا]{lang=ar}.\n")
    assert '<span lang="ar" dir="rtl">شكرا</span>' in HtmlWriter().inlines(block.children)


# --------------------------------------------------------------------------- typography


def test_typography_inside_a_span_follows_its_language(write_source: Callable[..., Path]) -> None:
    doc = api.load(write_source(BODY))
    section = doc.body[0]
    first, second = (block.children for block in section.children)  # type: ignore[union-attr]
    # English inside French: no space before "?", English quotes; French around it.
    assert first[0] == Text("Le ministre a demandé\u00a0: ")
    assert first[1] == Span("en", (Text("“Is it "), Emphasis((Text("true"),)), Text("?”")))
    # French quotes and spacing outside the span, nothing added inside.
    assert second == (
        Text(f"Il cite «{NNBSP}"),
        Span("en", (Text("the special relationship"),)),
        Text(f"{NNBSP}» sans la nommer{NNBSP}?"),
    )


def test_a_span_in_a_language_with_the_same_rules_stays_in_the_stream(
    write_source: Callable[..., Path],
) -> None:
    front = MINIMAL_FRONT.replace("lang: fr", "lang: en")
    doc = api.load(
        write_source('He wrote "[colour]{lang=en-GB}" and [It\'s]{lang=en-US} fine.\n', front)
    )
    (block,) = doc.body
    assert block.children == (  # type: ignore[union-attr]
        Text("He wrote “"),
        Span("en-GB", (Text("colour"),)),
        Text("” and "),
        Span("en-US", (Text("It’s"),)),
        Text(" fine."),
    )


# --------------------------------------------------------------------------- outputs


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The article's brief (PDF and web page) and report, built as ``docgen build``."""
    root = tmp_path_factory.mktemp("span")
    (root / "source").mkdir()
    path = root / "source" / "a.md"
    path.write_text(MINIMAL_FRONT + BODY, encoding="utf-8")
    out = root / "output"
    result = api.build(
        [path], formats=["pdf", "docx", "html"], products=["brief", "report"], output=out,
        use_cache=False,
    )  # fmt: skip
    assert {p.name for p in result.files} >= {"brief.fr.pdf", "report.fr.docx", "brief.fr.html"}
    return out / "a"


def test_the_pdf_shows_the_span_and_its_html_carries_lang(built: Path) -> None:
    text = pdf_text(built / "brief.fr.pdf")
    flat = re.sub(r"\s+", " ", text)
    assert "demandé : “Is it true?” Personne" in flat
    assert "« the special relationship »" in flat
    doc = api.load(built.parent.parent / "source" / "a.md")
    html = str(HtmlWriter().blocks(doc.body))
    assert '<span lang="en">“Is it <em>true</em>?”</span>' in html


def test_the_web_page_carries_lang(built: Path) -> None:
    page = (built / "brief.fr.html").read_text(encoding="utf-8")
    assert '<span lang="en">“Is it <em>true</em>?”</span>' in page
    assert '<span lang="en">the special relationship</span>' in page


def test_word_runs_inside_a_span_carry_its_language(built: Path) -> None:
    with zipfile.ZipFile(built / "report.fr.docx") as package:
        root = ET.fromstring(package.read("word/document.xml"))
    langs: dict[str, str] = {}
    for run in root.iter(f"{W}r"):
        text = "".join(t.text or "" for t in run.iter(f"{W}t"))
        lang = run.find(f"{W}rPr/{W}lang")
        if text.strip():
            langs[text] = "" if lang is None else lang.get(f"{W}val", "")
    assert langs["“Is it "] == "en-GB"  # a bare "en" in the reports' convention
    assert langs["true"] == "en-GB"
    assert langs["?”"] == "en-GB"
    assert langs["the special relationship"] == "en-GB"
    assert langs["Le ministre a demandé\u00a0: "] == ""  # the paragraph's own language
    italic = [r for r in root.iter(f"{W}r") if r.find(f"{W}rPr/{W}i") is not None]
    assert [r.find(f"{W}rPr/{W}lang") is not None for r in italic] == [True]


# --------------------------------------------------------------------------- command line


def test_a_bad_tag_fails_the_build_at_its_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "a.md").write_text(
        MINIMAL_FRONT + "\nTexte [mot]{lang=en}, puis [word]{lang=en-UK}.\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", "--format", "pdf"])
    assert result.exit_code == 2, result.output
    line = len(MINIMAL_FRONT.splitlines()) + 2
    assert (
        f"source/a.md:{line}:35: error: language tag 'en-UK': unknown region 'UK' (write 'GB')"
        in result.output
    )
    assert not (tmp_path / "output" / "a" / "brief.fr.pdf").exists()


# --------------------------------------------------------------------------- translation


def test_spans_survive_export_and_import(write_source: Callable[..., Path]) -> None:
    path = write_source("Il a dit [Is it true?]{lang=en} hier.\n")
    xliff = export(path, "xliff", "en")
    root = ET.fromstring(xliff.encode("utf-8"))
    unit = root.find(".//x:trans-unit[@id='body.intro.p1']", XLIFF)
    assert unit is not None
    assert unit.findtext("x:source", namespaces=XLIFF) == "Il a dit [Is it true?]{lang=en} hier."
    assert "[spans]{lang=…}" in (unit.findtext("x:note[2]", namespaces=XLIFF) or "")
    target = unit.find("x:target", XLIFF)
    assert target is not None
    target.text = "He said [C'est vrai ?]{lang=fr} yesterday."
    target.set("state", "translated")
    exchange = path.with_name("a.xlf")
    exchange.write_bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))
    assert import_file(exchange, source_dir=exchange.parent).written == ("body.intro.p1",)
    assert "He said [C'est vrai ?]{lang=fr} yesterday." in path.with_name("a.en.md").read_text()
    doc = api.load(path, "en")
    (block,) = doc.body
    assert block.children[1] == Span("fr", (Text(f"C’est vrai{NNBSP}?"),))  # type: ignore[union-attr]
