"""The brief and the report render the same model: same words, same characters."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from docgen import api
from docgen.labels import LABELS
from docgen.options import RenderOptions
from docgen.project import load_project
from tests.rendering import render_pdf, render_report

from .conftest import ARTICLE, REPO, reading_order
from .conftest import pdf_text as poppler_text
from .test_brief import body_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(path: Path) -> str:
    """The text a reader sees in the report (w:t runs of body, header, footer, notes)."""
    out = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if re.match(r"word/(document|header\d*|footer\d*|footnotes)\.xml$", name):
                root = etree.fromstring(archive.read(name))
                for para in root.iter(f"{W}p"):
                    parts = [
                        (node.text or "") if node.tag == f"{W}t" else " "
                        for node in para.iter(f"{W}t", f"{W}tab", f"{W}br")
                    ]
                    out.append("".join(parts))
    return "\n".join(out)


def pdf_text(path: Path) -> str:
    """The brief's text as pdftotext reads it, words hyphenated at line ends joined."""
    return re.sub(r"[\u2010-]\n", "", poppler_text(path))


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    out = tmp_path_factory.mktemp("parity")
    doc = api.load(ARTICLE)
    options = RenderOptions(load_project(REPO))
    (brief,) = render_pdf(doc, options, out)
    (report,) = render_report(doc, options, out)
    return pdf_text(brief), docx_text(report)


def test_same_paragraphs_in_the_same_order(outputs: tuple[str, str], tmp_path: Path) -> None:
    (brief_pdf,) = render_pdf(api.load(ARTICLE), RenderOptions(load_project(REPO)), tmp_path)
    brief, report = fold(body_text(brief_pdf)), fold(outputs[1])
    pieces = reading_order(api.load(ARTICLE).body)
    for text in (brief, report):
        position = 0
        for piece in pieces:
            found = text.find(fold(piece), position)
            assert found >= 0, piece[:60]
            position = found


def test_same_words_but_for_labels(outputs: tuple[str, str]) -> None:
    brief, report = outputs
    words = lambda text: {w.lower() for w in re.findall(r"\w+", text)}  # noqa: E731
    labels = words(" ".join(v for texts in LABELS.values() for v in texts.values()))
    labels |= words("Rapport")  # the report's kicker
    assert words(report) - words(brief) - labels == set()
    assert words(brief) - words(report) - labels == set()


def test_typography_reaches_both_outputs(write_source: Callable[..., Path], tmp_path: Path) -> None:
    path = write_source('Quoi? Il a dit "oui": 17400 km l\'été...\n')
    doc = api.load(path)
    options = RenderOptions(load_project(tmp_path))
    (brief,) = render_pdf(doc, options, tmp_path)
    (report,) = render_report(doc, options, tmp_path)
    expected = "Quoi\u202f? Il a dit «\u202foui\u202f»\u00a0: 17\u202f400\u00a0km l’été…"
    xml = zipfile.ZipFile(report).read("word/document.xml").decode()
    assert expected in xml
    import pdfplumber

    with pdfplumber.open(brief) as opened:
        chars = "".join(c["text"] for c in opened.pages[0].chars)
    assert "Quoi\u202f?" in chars
    assert "«" in chars and "17" in chars and "’" in chars and "…" in chars
    assert '"' not in chars and "'" not in chars
