"""Byte-reproducible outputs: a DOCX normalized, a PDF laid out with canonical URLs."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import docx
import pdfplumber
import pytest

from docgen.pack.pdfscan import pdf_objects
from docgen.pack.reproducible import CANONICAL_HOST, UrlMap, normalize_zip, project_url_map

from .conftest import REPO
from .test_pack import BUILD_BRIEF

STAMP = (2025, 12, 1, 0, 0, 0)
FONTS = REPO / "templates" / "fonts"


def saved_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Maroc–Kazakhstan", level=1)
    document.add_paragraph("Un partenariat modèle fondé sur le respect mutuel.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.slow
def test_two_saves_at_different_times_normalize_to_the_same_docx(tmp_path: Path) -> None:
    first = saved_docx()
    time.sleep(2.1)  # a zip timestamp has a two-second resolution
    second = saved_docx()
    assert first != second  # python-docx stamps the local time of the save
    one, two = normalize_zip(first, STAMP), normalize_zip(second, STAMP)
    assert one == two
    assert normalize_zip(one, STAMP) == one
    with zipfile.ZipFile(io.BytesIO(one)) as archive, zipfile.ZipFile(io.BytesIO(first)) as raw:
        assert archive.namelist()[0] == "[Content_Types].xml"
        assert sorted(archive.namelist()) == sorted(raw.namelist())
        assert {i.date_time for i in archive.infolist()} == {STAMP}
        assert all(archive.read(n) == raw.read(n) for n in raw.namelist())
    reopened = docx.Document(io.BytesIO(one))
    assert [p.text for p in reopened.paragraphs] == [
        "Maroc–Kazakhstan",
        "Un partenariat modèle fondé sur le respect mutuel.",
    ]
    (tmp_path / "report.docx").write_bytes(one)
    subprocess.run(
        [
            *("soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo"),
            *("--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "report.docx")),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    with pdfplumber.open(tmp_path / "report.pdf") as pdf:
        text = pdf.pages[0].extract_text()
    assert "Un partenariat modèle fondé sur le respect mutuel." in text


def test_content_types_move_first_and_the_rest_keep_their_order() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("word/document.xml", "_rels/.rels", "[Content_Types].xml", "docProps/app.xml"):
            archive.writestr(name, name)
    with zipfile.ZipFile(io.BytesIO(normalize_zip(buffer.getvalue(), STAMP))) as archive:
        assert archive.namelist() == [
            "[Content_Types].xml",
            "word/document.xml",
            "_rels/.rels",
            "docProps/app.xml",
        ]


# --- canonical URLs ---------------------------------------------------------------------


def test_url_map_round_trip_and_the_deepest_root_wins(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    builtin = project / "templates"
    (builtin / "fonts").mkdir(parents=True)
    (project / "source" / "images").mkdir(parents=True)
    urls = project_url_map(project, builtin)
    font = builtin / "fonts" / "Noto Serif.ttf"
    image = project / "source" / "images" / "carte été.png"
    assert urls.url(font) == f"file://{CANONICAL_HOST}/docgen/fonts/Noto%20Serif.ttf"
    assert (
        urls.url(image)
        == f"file://{CANONICAL_HOST}/project/source/images/carte%20%C3%A9t%C3%A9.png"
    )
    assert urls.base_url(project / "source") == f"file://{CANONICAL_HOST}/project/source/"
    assert urls.path(urls.url(font)) == font.resolve()
    assert urls.path(urls.url(image)) == image.resolve()
    assert urls.url(tmp_path / "other.png") == (tmp_path / "other.png").resolve().as_uri()
    for foreign in ("file:///etc/passwd", "data:,x", "https://example.org/a.png"):
        assert urls.path(foreign) is None
    for hostile in (
        f"file://{CANONICAL_HOST}/nope/x",
        f"file://{CANONICAL_HOST}/project/%2e%2e/%2e%2e/etc/passwd",
        f"file://{CANONICAL_HOST}/project/a%5c..%5cb",
        f"file://{CANONICAL_HOST}",
    ):
        with pytest.raises(ValueError):
            urls.path(hostile)
    with pytest.raises(ValueError):
        UrlMap((("a/b", tmp_path),))


RENDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    import weasyprint
    from weasyprint.urls import URLFetcher, URLFetcherResponse
    from docgen.pack.reproducible import project_url_map

    folder, mode, target = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    urls = project_url_map(folder, folder / "templates")
    html = (folder / "source" / "brief.html").read_text(encoding="utf-8")
    fonts = urls.url(folder / "templates" / "fonts")

    class Fetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = urls.path(url)  # a canonical URL, mapped back to its real file
            if path is None:
                return super().fetch(url, headers)
            return URLFetcherResponse(url, body=path.read_bytes())

    if mode == "canonical":
        base, font_base = urls.base_url(folder / "source"), fonts
    else:
        base, font_base = (folder / "source").as_uri() + "/", (folder / "templates/fonts").as_uri()
    html = html.replace("FONTS", font_base)
    page = weasyprint.HTML(string=html, base_url=base, url_fetcher=Fetcher())
    target.write_bytes(page.render(pdf_tags=True).write_pdf(pdf_tags=True))
    """
)

BRIEF = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Maroc–Kazakhstan</title><meta name="author" content="Hassan Ammari">
<meta name="dcterms.created" content="2025-12-01"><meta name="generator" content="docgen">
<style>
@font-face { font-family: "Docgen Serif"; src: url(FONTS/NotoSerif-Regular.ttf); }
@font-face { font-family: "Docgen Sans"; src: url(FONTS/NotoSans-Bold.ttf); font-weight: bold; }
body { font-family: "Docgen Serif"; } h1 { font-family: "Docgen Sans"; }
</style></head><body><h1>Maroc–Kazakhstan : un partenariat modèle</h1>
<p>Paix, convergence stratégique et coopération « multidimensionnelle ».
<a href="annexe.pdf">annexe</a> · <a href="https://example.org/">source</a></p>
<img src="images/carte.png" alt="Carte"><img src="../templates/logo.png" alt="Logo">
</body></html>"""


def project_copy(where: Path) -> Path:
    """A small project: an article's HTML beside its image, docgen's fonts, a logo."""
    from PIL import Image

    (where / "source" / "images").mkdir(parents=True)
    shutil.copytree(FONTS, where / "templates" / "fonts", ignore=shutil.ignore_patterns("*.txt"))
    (where / "source" / "brief.html").write_text(BRIEF, encoding="utf-8")
    Image.new("RGB", (60, 30), (180, 40, 40)).save(where / "source" / "images" / "carte.png")
    Image.new("RGB", (20, 20), (20, 40, 160)).save(where / "templates" / "logo.png")
    return where


def render(folder: Path, mode: str, zone: str, seed: str, target: Path) -> bytes:
    env = {**os.environ, "TZ": zone, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)}
    subprocess.run(
        [sys.executable, "-c", RENDER, str(folder), mode, str(target)],
        env=env,
        check=True,
        capture_output=True,
        cwd=folder,
    )
    return target.read_bytes()


@pytest.mark.slow
def test_a_pdf_from_two_folders_and_two_time_zones_has_one_sha256(tmp_path: Path) -> None:
    here = project_copy(tmp_path / "a" / "proj")
    there = project_copy(tmp_path / "somewhere" / "else" / "proj")
    runs = [(here, "UTC", "1"), (there, "Asia/Almaty", "2"), (here, "Asia/Almaty", "3")]
    digests: dict[str, set[str]] = {"canonical": set(), "real": set()}
    for mode, found in digests.items():
        for index, (folder, zone, seed) in enumerate(runs):
            data = render(folder, mode, zone, seed, tmp_path / f"{mode}{index}.pdf")
            found.add(hashlib.sha256(data).hexdigest())
            objects = b"".join(pdf_objects(data).values())
            content = data + objects
            assert (str(folder).encode() in content) == (mode == "real")
            assert objects.count(b"/Subtype /Image") == 2
            assert b"+Docgen-Serif" in content  # the fonts came through the canonical URLs
            assert b"+Docgen-Sans-Bold" in content
    assert len(digests["canonical"]) == 1
    # the control: with the folder's real URLs, the image names and links differ
    assert len(digests["real"]) == 2


@pytest.mark.slow
def test_the_real_brief_is_the_same_from_two_project_folders_and_time_zones(
    tmp_path: Path,
) -> None:
    digests = set()
    for name, zone in (("one/proj", "UTC"), ("two/deeper/proj", "Asia/Almaty")):
        project = tmp_path / name
        project.mkdir(parents=True)
        shutil.copytree(REPO / "source", project / "source")
        shutil.copy(REPO / "docgen.toml", project)
        env = {**os.environ, "TZ": zone, "PYTHONPATH": str(REPO)}
        subprocess.run(
            [*BUILD_BRIEF, "-o", "out"],
            cwd=project,
            env=env,
            check=True,
        )
        data = (project / "out" / "maroc-kazakhstan" / "brief.fr.pdf").read_bytes()
        assert str(project).encode() not in data + b"".join(pdf_objects(data).values())
        digests.add(hashlib.sha256(data).hexdigest())
    assert len(digests) == 1


@pytest.mark.parametrize("product", ["report", "sheet"])
def test_word_parts_zipped_once_are_the_normalized_save(product: str) -> None:
    """``docx_bytes`` zips python-docx's parts once; its bytes are those of the document
    saved by python-docx and then normalized, fonts embedded included."""
    from docgen import api
    from docgen.formats.docx.fonts import embed_fonts
    from docgen.formats.docx.package import docx_bytes, to_bytes
    from docgen.formats.docx.report import report_document
    from docgen.formats.docx.sheet import sheet_document
    from docgen.options import RenderOptions
    from docgen.project import load_project
    from docgen.theme import load_theme

    from .conftest import ARTICLE

    project = load_project(REPO)
    options = RenderOptions(project, theme=load_theme(project))
    edition = api.edition_of(api.load(ARTICLE), product, project)
    make = report_document if product == "report" else sheet_document
    word, _ = make(edition, options)  # type: ignore[arg-type]
    embed_fonts(word, options.theme)
    stamp = (2025, 3, 14, 9, 30, 0)
    saved = normalize_zip(to_bytes(word), stamp)
    assert docx_bytes(word, stamp) == saved
    with zipfile.ZipFile(io.BytesIO(saved)) as package:
        names = package.namelist()
    assert names[0] == "[Content_Types].xml"
    assert any(name.startswith("word/fonts/") for name in names)


def test_engine_versions_are_those_installed() -> None:
    """Read from the wheels' folder names, the versions are importlib.metadata's."""
    from importlib import metadata

    from docgen.pack.manifest import (
        ENGINE_DISTRIBUTIONS,
        _wheel_name,
        _wheel_versions,
        engine_versions,
    )

    versions = dict(engine_versions())
    listed = _wheel_versions()  # the fast path, not the fallback, found them
    for name in ENGINE_DISTRIBUTIONS:
        assert versions[name] == listed[_wheel_name(name)] == metadata.version(name), name
