"""Fonts embedded in the Word files: the parts, their obfuscation, the subsets, the licence
check, and real readers (python-docx, LibreOffice) opening the result."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from docgen import api
from docgen.formats.docx import fonts
from docgen.formats.docx.fonts import SAFE, embeddable, obfuscate
from docgen.options import RenderOptions
from docgen.project import load_project
from docgen.theme import load_theme
from tests.conftest import MINIMAL_FRONT, REPO
from tests.rendering import render_files, render_with_warnings

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
FONT_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
FONT_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
FONTS = REPO / "templates" / "fonts"

BODY = """\
## Une section

Le café « au lait » coûte 3 € ; il est *très* **chaud** !

Un ǅ rare, hors de l’ensemble sûr : ǅ.
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fonts")
    source = folder / "a.md"
    source.write_text(MINIMAL_FRONT + BODY, encoding="utf-8")
    (docx_path,) = render_files(
        api.load(source), "report", "docx", RenderOptions(load_project(REPO)), folder
    )
    return docx_path


def xml(package: zipfile.ZipFile, name: str) -> etree._Element:
    return etree.fromstring(package.read(name))


def embedded_faces(path: Path) -> dict[tuple[str, str], TTFont]:
    """Every embedded face as (family, slot) → the de-obfuscated font, read as Word does:
    font table entry → relationship of the font table → part, un-XORed with its key."""
    faces = {}
    with zipfile.ZipFile(path) as package:
        rels = {
            rel.get("Id"): rel
            for rel in xml(package, "word/_rels/fontTable.xml.rels").iter(f"{PR}Relationship")
        }
        for font in xml(package, "word/fontTable.xml").iter(f"{W}font"):
            for slot in font:
                if not slot.tag.startswith(f"{W}embed"):
                    continue
                rel = rels[slot.get(f"{R}id")]
                assert rel.get("Type") == FONT_REL
                data = package.read("word/" + rel.get("Target"))
                assert not data.startswith(b"\x00\x01\x00\x00")  # really obfuscated
                plain = obfuscate(data, slot.get(f"{W}fontKey"))
                assert plain.startswith(b"\x00\x01\x00\x00")  # a TrueType font
                faces[(font.get(f"{W}name"), slot.tag[len(W) :])] = TTFont(io.BytesIO(plain))
    return faces


def document_text(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return "".join(t.text or "" for t in xml(package, "word/document.xml").iter(f"{W}t"))


def test_the_report_declares_embedded_fonts_and_their_parts(report: Path) -> None:
    with zipfile.ZipFile(report) as package:
        settings = xml(package, "word/settings.xml")
        assert settings.find(f"{W}embedTrueTypeFonts") is not None
        assert settings.find(f"{W}saveSubsetFonts") is not None
        names = package.namelist()
        parts = sorted(n for n in names if n.startswith("word/fonts/"))
        types = xml(package, "[Content_Types].xml")
    assert parts and all(p.endswith(".odttf") for p in parts)
    overrides = {o.get("PartName"): o.get("ContentType") for o in types.iter(f"{CT}Override")}
    defaults = {d.get("Extension"): d.get("ContentType") for d in types.iter(f"{CT}Default")}
    for part in parts:
        assert overrides.get("/" + part, defaults.get("odttf")) == FONT_TYPE
    faces = embedded_faces(report)
    assert len(faces) == len(parts)
    # The body and the headings in all their faces; no code in the article: no mono.
    assert {("Noto Serif", "embedRegular"), ("Noto Serif", "embedItalic")} <= set(faces)
    assert ("Noto Sans", "embedBold") in faces
    assert all(family != "DejaVu Sans Mono" for family, _ in faces)


def test_each_face_is_the_right_font_subsetted_to_the_document(report: Path) -> None:
    text = document_text(report)
    used = {"é", "«", "\u202f", "€", "ǅ"}
    assert used <= set(text)  # the typography put U+202F before ";" and inside « »
    for (family, slot), font in embedded_faces(report).items():
        names = {font["name"].getDebugName(1), font["name"].getDebugName(16)}
        assert family in names
        style = font["name"].getDebugName(2) or ""
        assert ("Bold" in style) == ("Bold" in slot) and ("Italic" in style) == ("Italic" in slot)
        cmap = font.getBestCmap()
        assert {ord(c) for c in used} <= set(cmap), family
        assert {ord(c) for c in SAFE if ord(c) in _full_cmap(family)} <= set(cmap)
        # A subset: far fewer glyphs than the bundled font's ~3300.
        assert len(font.getGlyphOrder()) < 700


def _full_cmap(family: str) -> set[int]:
    name = {"Noto Serif": "NotoSerif", "Noto Sans": "NotoSans"}.get(family, "DejaVuSansMono")
    path = next(FONTS.glob(f"{name}-Regular.ttf"), FONTS / "DejaVuSansMono.ttf")
    return set(TTFont(path).getBestCmap())


def test_the_fonts_and_the_file_are_reproducible(report: Path, tmp_path: Path) -> None:
    source = tmp_path / "a.md"
    source.write_text(MINIMAL_FRONT + BODY, encoding="utf-8")
    (again,) = render_files(
        api.load(source), "report", "docx", RenderOptions(load_project(REPO)), tmp_path
    )
    assert again.read_bytes() == report.read_bytes()


def test_python_docx_still_opens_the_report(report: Path) -> None:
    word = docx.Document(str(report))
    assert any("café" in p.text for p in word.paragraphs)


def test_code_brings_the_mono_font_and_the_sheet_embeds_too(tmp_path: Path) -> None:
    source = tmp_path / "a.md"
    source.write_text(MINIMAL_FRONT + "Avec `du_code()` en ligne.\n", encoding="utf-8")
    doc = api.load(source)
    options = RenderOptions(load_project(REPO))
    (report,) = render_files(doc, "report", "docx", options, tmp_path / "r")
    assert ("DejaVu Sans Mono", "embedRegular") in embedded_faces(report)
    (sheet,) = render_files(doc, "sheet", "docx", options, tmp_path / "s")
    assert ("Noto Serif", "embedRegular") in embedded_faces(sheet)


def test_fstype_restricted_means_no_embedding() -> None:
    assert embeddable(0) and embeddable(0x0008) and embeddable(0x0004)
    assert not embeddable(0x0002) and not embeddable(0x0200)
    assert embeddable(0x0002 | 0x0008)  # the least restrictive bit applies


def _font_copy(source: Path, target: Path, family: str, fs_type: int) -> None:
    font = TTFont(source)
    font["OS/2"].fsType = fs_type
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = family
    font.save(target)


def test_theme_fonts_embed_under_their_family_unless_their_licence_forbids(
    tmp_path: Path,
) -> None:
    project = tmp_path / "project"
    (project / "fonts").mkdir(parents=True)
    _font_copy(FONTS / "NotoSerif-Regular.ttf", project / "fonts" / "open.ttf", "Open Brand", 0)
    for face in ("Regular", "Bold"):
        target = project / "fonts" / f"closed-{face}.ttf"
        _font_copy(FONTS / f"NotoSans-{face}.ttf", target, "Closed Brand", 0x0002)
    (project / "_brand.yml").write_text(
        "typography:\n"
        "  fonts:\n"
        "    - family: Open Brand\n"
        "      source: file\n"
        "      files:\n"
        "        - path: fonts/open.ttf\n"
        "    - family: Closed Brand\n"
        "      source: file\n"
        "      files:\n"
        "        - path: fonts/closed-Regular.ttf\n"
        "        - path: fonts/closed-Bold.ttf\n"
        "          weight: bold\n"
        "  base:\n"
        "    family: Open Brand\n"
        "  headings:\n"
        "    family: Closed Brand\n",
        encoding="utf-8",
    )
    source = project / "a.md"
    source.write_text(MINIMAL_FRONT + BODY, encoding="utf-8")
    loaded = load_project(project)
    options = RenderOptions(loaded, theme=load_theme(loaded))
    (report,), warnings = render_with_warnings(
        api.load(source), "report", "docx", options, tmp_path / "out"
    )
    faces = embedded_faces(report)
    assert ("Open Brand", "embedRegular") in faces
    assert all(family != "Closed Brand" for family, _ in faces)
    # The bundled faces the theme replaced are not embedded either.
    assert all(family not in ("Noto Serif", "Noto Sans") for family, _ in faces)
    refused = [w for w in warnings if "licence forbids embedding" in w.message]
    assert len(refused) == 1 and "'Closed Brand'" in refused[0].message
    with zipfile.ZipFile(report) as package:
        table = xml(package, "word/fontTable.xml")
    (entry,) = [f for f in table.iter(f"{W}font") if f.get(f"{W}name") == "Open Brand"]
    assert entry.find(f"{W}sig") is not None and entry.find(f"{W}panose1") is not None


def test_a_theme_family_without_files_embeds_nothing_for_it(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "_brand.yml").write_text(
        "typography:\n  base:\n    family: Garamond Premier\n", encoding="utf-8"
    )
    source = project / "a.md"
    source.write_text(MINIMAL_FRONT + BODY, encoding="utf-8")
    loaded = load_project(project)
    options = RenderOptions(loaded, theme=load_theme(loaded))
    (report,), warnings = render_with_warnings(
        api.load(source), "report", "docx", options, tmp_path / "out"
    )
    faces = embedded_faces(report)
    assert all(family != "Garamond Premier" for family, _ in faces)
    assert ("Noto Sans", "embedRegular") in faces  # the headings keep theirs
    assert not [w for w in warnings if "embed" in w.message]


@pytest.mark.slow
def test_libreoffice_shows_the_embedded_font_where_it_is_not_installed(
    report: Path, tmp_path: Path
) -> None:
    soffice, pdffonts, fc_list = (shutil.which(n) for n in ("soffice", "pdffonts", "fc-list"))
    if soffice is None or pdffonts is None or fc_list is None:
        pytest.skip("LibreOffice, pdffonts (poppler-utils) or fc-list is not installed")
    installed = subprocess.run(
        [fc_list, ":family=Noto Serif"], check=True, capture_output=True, text=True
    )
    if installed.stdout.strip():
        pytest.skip("Noto Serif is installed here: the test could not tell embedding apart")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(report),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    listed = subprocess.run(
        [pdffonts, str(tmp_path / "report.fr.pdf")], check=True, capture_output=True, text=True
    ).stdout
    fonts = {line.split()[0].split("+")[-1] for line in listed.splitlines()[2:] if line}
    assert {"NotoSerif-Regular", "NotoSans-Bold"} <= fonts, listed


def test_the_shipped_safe_subsets_are_what_the_script_makes() -> None:
    """templates/fonts/word/ holds each bundled face cut down to the safe set, so that a
    build embeds them without subsetting; they must be what scripts/make_word_fonts.py
    makes today (run it after changing a font, SAFE or the subsetting options)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_word_fonts", REPO / "scripts" / "make_word_fonts.py"
    )
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    expected = script.prepared()
    assert len(expected) == len(fonts.builtin_faces())
    for path, data in expected.items():
        assert path.read_bytes() == data, f"{path.name}: run scripts/make_word_fonts.py"


def test_a_document_within_the_safe_set_embeds_the_shipped_subsets(tmp_path: Path) -> None:
    """A document whose characters all lie in the safe set embeds the shipped subsets as
    they are (no subsetting at build time); one outside it gets its own subsets."""
    shipped = {fonts.prepared_path(face).read_bytes() for face in fonts.builtin_faces()}
    source = tmp_path / "a.md"
    source.write_text(MINIMAL_FRONT + "## Une section\n\nLe café « au lait » !\n", "utf-8")
    (path,) = render_files(
        api.load(source), "report", "docx", RenderOptions(load_project(REPO)), tmp_path
    )
    with zipfile.ZipFile(path) as package:
        rels = {
            rel.get("Id"): rel.get("Target")
            for rel in xml(package, "word/_rels/fontTable.xml.rels").iter(f"{PR}Relationship")
        }
        slots = [
            slot
            for font in xml(package, "word/fontTable.xml").iter(f"{W}font")
            for slot in font
            if slot.tag.startswith(f"{W}embed")
        ]
        assert len(slots) >= 3
        for slot in slots:
            data = package.read("word/" + rels[slot.get(f"{R}id")])
            assert obfuscate(data, slot.get(f"{W}fontKey")) in shipped
