"""The bilingual summary sheet: one page, both languages side by side, rows aligned."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner

from docgen import api
from docgen.cli import main
from docgen.editions.sheet import build_rows, sheet_languages
from docgen.errors import RenderError, SourceError
from docgen.options import RenderOptions
from docgen.project import load_project
from tests.rendering import render_sheet, sheet_html

from .conftest import ARTICLE, REPO


def options_for(tmp_path: Path, draft: bool = False) -> RenderOptions:
    return RenderOptions(load_project(REPO), draft=draft)


@pytest.fixture(scope="module")
def sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sheet")
    pdf_path, docx_path = render_sheet(api.load(ARTICLE), options_for(out), out)
    assert docx_path.name == "summary.docx"
    return pdf_path


def words_by_column(pdf_path: Path) -> tuple[str, str]:
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[0]
        middle = page.width / 2
        words = page.extract_words(keep_blank_chars=False, use_text_flow=True)
    left = " ".join(w["text"] for w in words if w["x1"] <= middle)
    right = " ".join(w["text"] for w in words if w["x0"] >= middle)
    return left, right


def fold(text: str) -> str:
    text = re.sub(r"[\u00ad\u2010-]\s*", "", text)
    return re.sub(r"[\s\u00a0\u202f]+", "", text)


def test_sheet_is_one_page_with_every_field_in_both_columns(sheet: Path) -> None:
    with pdfplumber.open(sheet) as pdf:
        assert len(pdf.pages) == 1
    left, right = (fold(c) for c in words_by_column(sheet))
    doc = api.load(ARTICLE)
    meta = doc.meta
    fields = [meta.title, meta.subtitle, meta.summary, *meta.key_points, meta.contact]
    fields += [entry.text for entry in meta.timeline]
    for field in fields:
        assert field is not None
        assert fold(field.text("fr")) in left, field.text("fr")[:50]
        assert fold(field.text("en")) in right, field.text("en")[:50]
    assert fold("1 décembre 2025") in left and fold("1 December 2025") in right
    assert fold("Président-fondateur") in left and fold("Founding President") in right


def test_key_points_start_at_the_same_height(sheet: Path) -> None:
    doc = api.load(ARTICLE)
    with pdfplumber.open(sheet) as pdf:
        page = pdf.pages[0]
        middle = page.width / 2
        for point in doc.meta.key_points:
            tops = []
            for lang, side in (("fr", "left"), ("en", "right")):
                first_words = " ".join(point.text(lang).split()[:2])
                hits = [
                    m for m in page.search(first_words) if (m["x0"] < middle) == (side == "left")
                ]
                assert hits, (lang, first_words)
                tops.append(hits[0]["top"])
            assert abs(tops[0] - tops[1]) < 1.0, (point.text("en")[:40], tops)


def test_sheet_declares_languages_per_column(tmp_path: Path) -> None:
    html = sheet_html(api.load(ARTICLE), options_for(tmp_path))
    assert '<td lang="fr">' in html and '<td lang="en">' in html
    assert html.count('<td lang="en">') == html.count('<td lang="fr">')


MISSING = """\
---
title: {fr: Titre, en: Title}
author: {name: A, role: {fr: Directrice}}
date: 2026-03-14
lang: fr
key_points:
  - {fr: Un, en: One}
  - {fr: Deux, en: Two}
  - fr: Trois
---
Texte.
"""


def test_missing_translations_are_listed(write_source: Callable[..., Path]) -> None:
    path = write_source(front=MISSING, body="")
    doc = api.load(path)
    with pytest.raises(SourceError) as caught:
        build_rows(doc, sheet_languages(doc))
    found = [str(p) for p in caught.value.problems]
    assert any(m.endswith(':3:25: error: author.role has no "en" text') for m in found), found
    assert any(m.endswith(':9:5: error: key_points[2] has no "en" text') for m in found), found
    assert len(found) == 2


def test_cli_missing_translation_exit_2_and_draft(
    write_source: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_source(front=MISSING, body="")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["build", str(path), "-f", "summary"])
    assert result.exit_code == 2
    assert 'key_points[2] has no "en" text' in result.output
    assert not (tmp_path / "output" / "a" / "summary.pdf").exists()
    result = CliRunner().invoke(main, ["build", str(path), "-f", "summary", "--draft"])
    assert result.exit_code == 0, result.output
    with pdfplumber.open(tmp_path / "output" / "a" / "summary.pdf") as pdf:
        text = pdf.pages[0].extract_text()
    assert "PROJET / DRAFT" in text and "[missing translation]" in text


def test_overflow_names_the_field(write_source: Callable[..., Path], tmp_path: Path) -> None:
    points = "".join(
        f"  - {{fr: 'Point {i} {'très long ' * 20}', en: 'Point {i} {'very long ' * 20}'}}\n"
        for i in range(40)
    )
    path = write_source(
        front=MISSING.split("key_points:", 1)[0].replace(
            "role: {fr: Directrice}", "role: {fr: Directrice, en: Director}"
        )
        + "key_points:\n"
        + points
        + "---\n",
        body="",
    )
    with pytest.raises(RenderError, match=r"even at 8 pt: key_points\[\d+\] overflows") as caught:
        render_sheet(api.load(path), options_for(tmp_path), tmp_path)
    assert caught.value.problems[0].location.line > 6
    assert not list(tmp_path.glob("*.pdf"))
