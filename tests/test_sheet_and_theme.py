"""The sheet's paper and logo in every format, and a theme's mistakes named with a fix."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.shared import Inches
from PIL import Image

from docgen.cli import main
from docgen.errors import TemplateError
from docgen.theme import read_brand

from .conftest import MINIMAL_FRONT


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
