"""The sheet's paper, logo and Word styles, and a theme's mistakes named with a fix."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from docx.shared import Inches, Pt
from PIL import Image

from docgen.cli import main
from docgen.errors import TemplateError
from docgen.formats.docx.sheet import SHEET_STYLES
from docgen.theme import read_brand

from .conftest import MINIMAL_FRONT, REPO

REFERENCE = REPO / "templates" / "report" / "reference.docx"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "a.md").write_text(MINIMAL_FRONT + "Texte.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_the_word_sheet_honours_letter_paper(project: Path) -> None:
    (project / "docgen.toml").write_text('[docgen]\npaper = "Letter"\n', encoding="utf-8")
    code, out = run("build", "--product", "sheet", "--format", "docx")
    assert code == 0, out
    section = docx.Document(str(project / "output" / "a" / "summary.docx")).sections[0]
    assert (section.page_width, section.page_height) == (Inches(8.5), Inches(11))


def test_the_logo_on_the_sheet_in_pdf_and_word(project: Path) -> None:
    Image.new("RGB", (120, 40), (20, 40, 75)).save(project / "logo.png")
    (project / "_brand.yml").write_text(
        "meta:\n  name: Ambassade\nlogo: logo.png\n", encoding="utf-8"
    )
    code, out = run("build", "--product", "sheet")
    assert code == 0, out
    folder = project / "output" / "a"
    from pypdf import PdfReader

    page = PdfReader(folder / "summary.pdf").pages[0]
    assert len(page.images) == 1
    with zipfile.ZipFile(folder / "summary.docx") as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        body = package.read("word/document.xml").decode()
    assert len(media) == 1 and 'descr="Ambassade"' in body


SHEET_FRONT = """\
---
title: {fr: Titre, en: Title}
subtitle: {fr: Sous-titre}
author: {name: Jeanne Martin, role: {fr: Directrice, en: Director}}
date: 2026-03-14
lang: fr
classification: {fr: DIFFUSION RESTREINTE, en: RESTRICTED}
summary: {fr: Résumé., en: Summary.}
key_points:
  - {fr: Un, en: One}
timeline:
  - {date: 2025-02, text: {fr: Visite., en: Visit.}}
contact: {fr: Contact., en: Contact.}
---
Texte.
"""


def sheet_paragraphs(word: Any) -> list[Any]:
    """Every paragraph of the sheet: the logo's, the table's, the header's and footer's."""
    paragraphs = list(word.paragraphs)
    paragraphs += [p for table in word.tables for cell in table._cells for p in cell.paragraphs]
    for section in word.sections:
        paragraphs += section.header.paragraphs + section.footer.paragraphs
    return paragraphs


def test_the_word_sheet_is_written_in_themed_sheet_styles(project: Path) -> None:
    (project / "source" / "a.md").write_text(SHEET_FRONT, encoding="utf-8")
    Image.new("RGB", (120, 40), (20, 40, 75)).save(project / "logo.png")
    (project / "_brand.yml").write_text(
        'color:\n  primary: "#9b1c31"\n  secondary: "#336699"\n'
        "typography:\n  headings:\n    family: Noto Sans Display\n"
        "logo: logo.png\n",
        encoding="utf-8",
    )
    code, out = run("build", "-p", "sheet", "-f", "docx", "--draft")
    assert code == 0, out
    assert "lacks the sheet's style" not in out
    word = docx.Document(str(project / "output" / "a" / "summary.docx"))
    paragraphs = sheet_paragraphs(word)
    used = {p.style.name for p in paragraphs}
    paragraph_styles = {name for name, kind in SHEET_STYLES if kind == "paragraph"}
    assert used == paragraph_styles - {"Sheet Text"}  # the base of the others
    runs = [r for p in paragraphs for r in p.runs]
    assert {r.style.name for r in runs} == {
        "Default Paragraph Font", "Sheet Lead", "Sheet Missing"
    }  # fmt: skip
    missing = [r for r in runs if r.style.name == "Sheet Missing"]
    assert [r.text for r in missing] == ["[missing translation]"]  # the English subtitle
    for r in runs:  # no direct formatting left but the language
        font = r.font
        assert font.color.type is None and font.size is None and font.name is None, r.text
        assert font.bold is None and font.italic is None, r.text
    for p in paragraphs:
        assert p.paragraph_format.space_after is None and p.alignment is None, p.text
    styles = {style.name: style for style in word.styles}
    title, lead, label = styles["Sheet Title"], styles["Sheet Lead"], styles["Sheet Label"]
    assert str(title.font.color.rgb) == "9B1C31" and title.font.bold
    assert title.font.name == "Noto Sans Display" and title.font.size == Pt(14)
    assert str(lead.font.color.rgb) == "336699" and str(label.font.color.rgb) == "9B1C31"
    assert str(styles["Sheet Marking"].font.color.rgb) == "8B1A1A"
    assert styles["Sheet Title"].base_style.name == "Sheet Text"
    assert styles["Sheet Text"].base_style.name == "Normal"
    assert styles["Sheet Title"].next_paragraph_style.name == "Sheet Subtitle"
    header = word.sections[0].header.paragraphs[0]
    assert header.style.name == "Sheet Marking"
    assert header.text == "DIFFUSION RESTREINTE / RESTRICTED — PROJET / DRAFT"


def test_a_reference_without_sheet_styles_gets_the_built_in_ones(project: Path) -> None:
    """A project's reference.docx made before the sheet had styles: the build goes on with
    the built-in Sheet styles, in the theme, and a warning names the file and the styles."""
    word = docx.Document(str(REFERENCE))
    styles = word.styles.element
    for style in list(styles):
        name = style.find(qn("w:name"))
        if name is not None and name.get(qn("w:val")) in ("Sheet Title", "Sheet Lead"):
            styles.remove(style)
    text = next(s for s in styles if s.get(qn("w:styleId")) == "SheetText")
    text.set(qn("w:styleId"), "SheetTitle")  # the copied Sheet Title must take another id
    for style in styles.findall(qn("w:style")):
        based = style.find(qn("w:basedOn"))
        if based is not None and based.get(qn("w:val")) == "SheetText":
            based.set(qn("w:val"), "SheetTitle")
    (project / "templates" / "report").mkdir(parents=True)
    reference = project / "templates" / "report" / "reference.docx"
    word.save(str(reference))
    (project / "_brand.yml").write_text('color:\n  primary: "#9b1c31"\n', encoding="utf-8")
    code, out = run("build", "-p", "sheet", "-f", "docx")
    assert code == 0, out
    assert "reference.docx: warning: reference.docx lacks the sheet's style(s) " in out
    assert "'Sheet Title', 'Sheet Lead': the built-in ones are used" in out
    built = docx.Document(str(project / "output" / "a" / "summary.docx"))
    title = next(p for p in sheet_paragraphs(built) if p.text == "Titre")
    assert title.style.name == "Sheet Title" and title.style.style_id != "SheetTitle"
    assert str(title.style.font.color.rgb) == "9B1C31"
    assert title.style.base_style.name == "Sheet Text"  # the project's own, under its id
    assert run("build", "-p", "sheet", "-f", "docx", "--strict")[0] == 2


def test_theme_keys_and_values_get_did_you_mean(tmp_path: Path) -> None:
    brand = tmp_path / "_brand.yml"
    brand.write_text("colour:\n  primary: '#123456'\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        read_brand(brand)
    assert [str(p) for p in caught.value.problems] == [
        f"{brand}:1:1: error: unknown key 'colour'; did you mean 'color'?"
    ]
    brand.write_text("color:\n  primary: navvy\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        read_brand(brand)
    assert "did you mean 'navy'?" in str(caught.value)


def test_a_font_family_without_files_is_a_warning_naming_it(project: Path) -> None:
    (project / "_brand.yml").write_text(
        "typography:\n  base:\n    family: Garamond Premier\n", encoding="utf-8"
    )
    theme = read_brand(project / "_brand.yml")
    assert theme.body_font == "Garamond Premier"
    assert [(p.location.line, p.severity) for p in theme.warnings] == [(2, "warning")]
    assert "'Garamond Premier' has no font files" in theme.warnings[0].message
    code, out = run("check")
    assert code == 0 and "warning: font family 'Garamond Premier' has no font files" in out
