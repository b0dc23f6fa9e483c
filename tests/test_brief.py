"""The PDF brief: its HTML (fast, exact) and the PDF read back: text by pdftotext, structure
by pypdf."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from docgen import api
from docgen.model import iter_sections, plain_text
from docgen.options import RenderOptions
from docgen.project import load_project
from tests.rendering import brief_html, render_pdf

from .conftest import ARTICLE, REPO, pdf_pages, pdf_text, reading_order


def options_for(tmp_path: Path) -> RenderOptions:
    return RenderOptions(load_project(REPO))


def squash(text: str) -> str:
    """Text with hyphenation undone and all spaces (incl. no-break ones) folded."""
    text = re.sub(r"[\u00ad\u2010]\n?", "", text)  # soft hyphens / hyphenation breaks
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)
    return re.sub(r"[\s\u00a0\u202f]+", " ", text).strip()


def test_html_holds_metadata_and_sections(tmp_path: Path) -> None:
    doc = api.load(ARTICLE)
    html = brief_html(doc, options_for(tmp_path))
    assert '<html lang="fr">' in html
    assert '<meta name="author" content="Hassan Ammari">' in html
    assert '<meta name="dcterms.created" content="2025-12-01">' in html
    assert "Accords d’Abraham" in html
    for section in doc.sections():
        assert f'id="{section.ident}"' in html


def test_source_text_is_never_template_code(write_source: Callable[..., Path]) -> None:
    path = write_source(
        "## {{ 7*7 }}\n\nCorps {{ 7*7 }} {% if true %}x{% endif %} <script>alert(1)</script>\n",
        front="---\ntitle: '{{ 7*7 }}'\nauthor: A\ndate: 2026-01-02\nlang: fr\n"
        "key_points: ['{{ config }}']\n---\n",
    )
    html = brief_html(api.load(path), options_for(path.parent))
    assert "49" not in html
    assert html.count("{{ 7*7 }}") >= 3 and "{{ config }}" in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_running_header_is_css_escaped(write_source: Callable[..., Path]) -> None:
    path = write_source(
        front="---\ntitle: 'a\"b} </style><b>'\nauthor: A\ndate: 2026-01-02\nlang: fr\n---\n"
    )
    html = brief_html(api.load(path), options_for(path.parent))
    style = html.split("<style>")[1].split("</style>")[0]
    assert "</style" not in style and '"a\\22 b} \\3c /style\\3e \\3c b\\3e "' in style


@pytest.fixture(scope="module")
def brief(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("brief")
    (path,) = render_pdf(api.load(ARTICLE), options_for(out), out)
    return path


# What the brief's page margins show for the article (pdftotext gives each its own line):
# running title, marking, date, page number.
RUNNING = re.compile(r"Maroc–Kazakhstan|NON CLASSIFIÉ|1 décembre 2025|Page \d+ / \d+")


def body_text(pdf_path: Path) -> str:
    """The PDF's text without running headers and footers, hyphenation undone."""
    lines = []
    for page in pdf_pages(pdf_path):
        lines += [line for line in page.splitlines() if not RUNNING.fullmatch(line.strip())]
    return squash("\n".join(lines))


def test_pdf_text_holds_every_heading_and_paragraph_in_order(brief: Path) -> None:
    text = body_text(brief)
    expected = reading_order(api.load(ARTICLE).body)
    assert len(expected) == 2 + 9 + 12  # intro, headings, section paragraphs
    position = 0
    for piece in expected:
        found = text.find(squash(piece), position)
        assert found >= 0, f"missing or out of order: {piece[:70]!r}"
        position = found


def test_pdf_metadata_bookmarks_and_tags(brief: Path) -> None:
    reader = PdfReader(brief)
    meta = reader.metadata
    assert meta is not None
    assert meta.title and meta.title.startswith("Maroc–Kazakhstan")
    assert meta.author == "Hassan Ammari"
    assert "Kazakhstan" in str(meta.get("/Keywords"))
    assert str(meta.get("/CreationDate")).startswith("D:20251201")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    doc = api.load(ARTICLE)
    for section in iter_sections(doc.body):
        assert f"{section.number} {plain_text(section.title)}" in titles


def test_pdf_pages_carry_marking_and_page_numbers(brief: Path) -> None:
    pages = pdf_pages(brief)
    assert len(pages) == len(PdfReader(brief).pages)
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert "NON CLASSIFIÉ" in page
        assert f"Page {number} / {len(pages)}" in page


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdftotext_reads_it(brief: Path) -> None:
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(brief), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    words = " ".join(result.stdout.split())  # a name may wrap at the end of a line
    assert "Ibn Battuta" in words and "Chronologie" in words


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf not installed")
def test_qpdf_finds_no_error(brief: Path) -> None:
    result = subprocess.run(
        ["qpdf", "--check", str(brief)], check=False, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_fonts_are_embedded_from_the_templates(brief: Path) -> None:
    fonts: set[str] = set()
    for page in PdfReader(brief).pages:
        resources = page["/Resources"]
        for font in resources.get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("Docgen-Serif" in f for f in fonts), fonts
    assert any("Docgen-Sans" in f for f in fonts), fonts


def test_cyrillic_and_arabic_have_glyphs(write_source: Callable[..., Path], tmp_path: Path) -> None:
    path = write_source("Астана, Қазақстан — الرباط\n")
    (out,) = render_pdf(api.load(path), options_for(tmp_path), tmp_path)
    text = pdf_pages(out)[0]
    assert "Қазақстан" in text and "Астана" in text
    fonts = {
        str(f.get_object()["/BaseFont"])
        for f in PdfReader(out).pages[0]["/Resources"]["/Font"].values()
    }
    assert any("Docgen-Arabic" in f for f in fonts), fonts


def test_images_without_alt_text_are_warned(
    write_source: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_source("Texte.\n\n![](carte.png)\n\n- ![Carte](b.png) et ![](c.png)\n")
    _doc, warnings = api.load_with_warnings(path)
    found = [str(w) for w in warnings if "alt text" in w.message]
    assert len(found) == 2, found
    assert found[0].endswith(
        ":9: warning: image 'carte.png' has no description (alt text):"
        " write ![description](carte.png)"
    )
    assert ":11: warning: image 'c.png'" in found[1]


@pytest.mark.parametrize("variant", ["pdf/ua-1", "pdf/a-3b"])
def test_pdf_variants(tmp_path: Path, variant: str) -> None:
    options = RenderOptions(load_project(REPO), pdf_variant=variant)
    (out,) = render_pdf(api.load(ARTICLE), options, tmp_path)
    reader = PdfReader(out)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr" and "/StructTreeRoot" in root
    xmp = root["/Metadata"].get_object().get_data().decode()
    if variant == "pdf/ua-1":
        assert "pdfuaid:part" in xmp and root["/ViewerPreferences"]["/DisplayDocTitle"]
    else:
        assert "pdfaid:part" in xmp


def test_english_brief_holds_the_english_text(tmp_path: Path) -> None:
    doc = api.load(ARTICLE, "en")
    (out,) = render_pdf(doc, options_for(tmp_path), tmp_path)
    assert out.name == "brief.en.pdf"
    text = squash(pdf_text(out))
    assert "Morocco–Kazakhstan: a model partnership" in text
    for section in doc.sections():
        assert squash(plain_text(section.title)) in text
    assert "A shared vision for peace and security" in text
    assert "Une vision partagée" not in text and "KEY POINTS" in text
    assert PdfReader(out).trailer["/Root"]["/Lang"] == "en"
