"""Per-language images: ``chart.en.png`` beside ``chart.png`` in the English outputs."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from docgen.cli import main

from .conftest import MINIMAL_FRONT

RED, BLUE = (200, 20, 20), (20, 20, 200)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    (source / "a.md").write_text(MINIMAL_FRONT + "Texte.\n\n![Carte](chart.png)\n", "utf-8")
    (source / "a.en.md").write_text("Text.\n\n![Map](chart.png)\n", "utf-8")
    Image.new("RGB", (40, 30), RED).save(source / "chart.png")
    Image.new("RGB", (40, 30), BLUE).save(source / "chart.en.png")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def _pdf_colour(path: Path) -> tuple[int, ...]:
    (image,) = PdfReader(path).pages[0].images
    return tuple(image.image.convert("RGB").getpixel((5, 5)))  # type: ignore[union-attr]


def _docx_colour(path: Path) -> tuple[int, ...]:
    with zipfile.ZipFile(path) as package:
        (name,) = [n for n in package.namelist() if n.startswith("word/media/")]
        data = package.read(name)
    return tuple(Image.open(io.BytesIO(data)).convert("RGB").getpixel((5, 5)))  # type: ignore[arg-type]


def test_each_language_shows_its_own_image(project: Path) -> None:
    code, out = run("build", "--product", "brief", "--product", "report", "--lang", "all")
    assert code == 0, out
    folder = project / "output" / "a"
    assert _pdf_colour(folder / "brief.fr.pdf") == RED
    assert _pdf_colour(folder / "brief.en.pdf") == BLUE
    assert _docx_colour(folder / "report.fr.docx") == RED
    assert _docx_colour(folder / "report.en.docx") == BLUE


def test_a_language_image_is_checked_like_every_image(project: Path, tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside.png"
    Image.new("RGB", (4, 4), BLUE).save(outside)
    variant = project / "source" / "chart.en.png"
    variant.unlink()
    variant.symlink_to(outside)
    code, out = run("check")
    assert code == 2
    assert "source/a.en.md:3:" in out and "chart.en.png" in out and "outside" in out


def test_a_changed_language_image_rebuilds_its_outputs(project: Path) -> None:
    assert run("build", "--product", "brief", "--lang", "all")[0] == 0
    Image.new("RGB", (40, 30), (20, 200, 20)).save(project / "source" / "chart.en.png")
    code, out = run("build", "--product", "brief", "--lang", "all")
    assert code == 0 and "(1 rendered, 1 from the cache)" in out
    assert _pdf_colour(project / "output" / "a" / "brief.en.pdf") == (20, 200, 20)
