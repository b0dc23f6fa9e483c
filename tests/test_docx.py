"""The Word report: the real article and small Markdown samples, rendered and read back.

Most tests reopen the file with python-docx or read its XML parts directly (what Word
reads); the slow ones convert it with LibreOffice and render every CommonMark example.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Length
from lxml import etree  # type: ignore[import-untyped]

from docgen.errors import Problem, TemplateError
from docgen.formats.docx.report import REQUIRED_STYLES
from docgen.formats.docx.sheet import SHEET_STYLES
from docgen.markdown import parse_body
from docgen.model import (
    Block,
    BlockQuote,
    BulletList,
    CodeBlock,
    Document,
    Figure,
    FootnoteRef,
    Heading,
    Inline,
    OrderedList,
    Paragraph,
    RawBlock,
    Section,
    Table,
    Text,
    plain_text,
)
from docgen.options import RenderOptions
from docgen.project import Project, load_project
from docgen.resources import image_problems
from docgen.source import load
from tests.rendering import render_with_warnings

from .commonmark import examples as commonmark_examples
from .conftest import reading_order

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source" / "maroc-kazakhstan.md"
REFERENCE = ROOT / "templates" / "report" / "reference.docx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

try:
    from docgen.typography import apply as _typography

    typography: Callable[[Document], Document] | None = _typography
except ImportError:  # another module of the project; the report must not depend on it
    typography = None


def prepared(doc: Document) -> Document:
    """The document as a build renders it: typography applied when the module exists."""
    return typography(doc) if typography is not None else doc


# -- helpers -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project() -> Project:
    return load_project(ROOT)


@pytest.fixture(scope="module")
def article() -> Document:
    doc, _ = load(SOURCE)
    return prepared(doc)


@pytest.fixture(scope="module")
def report(project: Project, article: Document, tmp_path_factory: pytest.TempPathFactory) -> Path:
    options = RenderOptions(project)
    [path], warnings = render_with_warnings(
        article, "report", "docx", options, tmp_path_factory.mktemp("report")
    )
    assert warnings == []
    return path


def sample(article: Document, markdown: str, folder: Path) -> Document:
    """The article's metadata with ``markdown`` as its body, as if saved in ``folder``."""
    path = folder / "sample.md"
    parsed = parse_body(markdown, path)
    assert [p for p in parsed.problems if p.severity == "error"] == []
    return dataclasses.replace(
        article, path=path, body_path=path, body=parsed.blocks, footnotes=parsed.footnotes
    )


def build(doc: Document, project: Project, folder: Path) -> tuple[Path, list[Problem]]:
    options = RenderOptions(project)
    [path], warnings = render_with_warnings(doc, "report", "docx", options, folder / "out")
    return path, warnings


def part(path: Path, name: str) -> Any:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(name))


def has_part(path: Path, name: str) -> bool:
    with zipfile.ZipFile(path) as archive:
        return name in archive.namelist()


def paragraph_text(p: Any) -> str:
    """A paragraph's visible text as Word shows it (field instructions excluded)."""
    out = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br"):
        out.append(node.text or "" if node.tag == f"{W}t" else " ")
    return "".join(out)


def paragraphs(root: Any) -> list[Any]:
    return list(root.iter(f"{W}p"))


def style_of(p: Any) -> str:
    found = p.find(f"{W}pPr/{W}pStyle")
    return "" if found is None else str(found.get(f"{W}val"))


def normal(text: str) -> str:
    return " ".join(text.split())


def texts(path: Path) -> list[str]:
    """Every paragraph's text, body then footnotes, whitespace normalised."""
    found = [paragraph_text(p) for p in paragraphs(part(path, "word/document.xml"))]
    if has_part(path, "word/footnotes.xml"):
        found += [paragraph_text(p) for p in paragraphs(part(path, "word/footnotes.xml"))]
    return [normal(t) for t in found]


def model_text(blocks: tuple[Block, ...]) -> list[str]:
    """The text of model blocks, recursively (footnote calls dropped: Word numbers them)."""
    out: list[str] = []

    def inl(nodes: tuple[Inline, ...]) -> str:
        return plain_text(tuple(n for n in nodes if not isinstance(n, FootnoteRef)))

    for block in blocks:
        if isinstance(block, (Paragraph, Heading)):
            out.append(inl(block.children))
        elif isinstance(block, Section):
            out.append(inl(block.title))
            out += model_text(block.children)
        elif isinstance(block, (BulletList, OrderedList)):
            for item in block.items:
                out += model_text(item.children)
        elif isinstance(block, BlockQuote):
            out += model_text(block.children)
        elif isinstance(block, (CodeBlock, RawBlock)):
            out.append(block.text)
        elif isinstance(block, Figure):
            out += [block.image.alt, inl(block.caption)]
        elif isinstance(block, Table):
            for row in (block.header, *block.rows):
                out += [inl(cell.children) for cell in row]
    return out


def png(path: Path, width: int = 40, height: int = 20) -> Path:
    """A small valid PNG, written without an imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x14\x28\x4b" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    return path


# -- the real article ----------------------------------------------------------------------


def test_report_is_named_by_language(report: Path, article: Document) -> None:
    assert report.name == "report.fr.docx"
    assert [p.name for p in report.parent.iterdir()] == ["report.fr.docx"]


def test_sections_are_heading_1_in_order(report: Path, article: Document) -> None:
    headings = [
        p.text
        for p in docx.Document(str(report)).paragraphs
        if p.style is not None and p.style.name == "Heading 1"
    ]
    sections = [f"{s.number} {normal(plain_text(s.title))}" for s in article.sections()]
    assert len(sections) == 9
    expected = ["Résumé", "Points clés", "Introduction", *sections, "Chronologie"]
    assert [normal(h) for h in headings] == expected


def test_cover_page_then_contents(report: Path, article: Document) -> None:
    body = paragraphs(part(report, "word/document.xml"))
    cover = [(style_of(p), paragraph_text(p)) for p in body[:7]]
    assert cover == [
        ("Kicker", "Rapport"),
        ("Title", article.meta.title.text("fr")),
        ("Subtitle", article.meta.subtitle.text("fr") if article.meta.subtitle else ""),
        ("Author", "Hassan Ammari"),
        ("Affiliation", "Président-fondateur"),
        ("Affiliation", article.meta.author.organization.text("fr")),  # type: ignore[union-attr]
        ("Date", "1 décembre 2025"),
    ]
    toc_heading = body[7]
    assert style_of(toc_heading) == "TOCHeading"
    assert toc_heading.find(f"{W}pPr/{W}pageBreakBefore") is not None


def test_toc_is_a_field_prefilled_with_links_to_bookmarks(report: Path) -> None:
    root = part(report, "word/document.xml")
    instructions = [normal(t.text) for t in root.iter(f"{W}instrText")]
    assert instructions[0] == 'TOC \\o "1-3" \\h \\z \\u'
    bookmarks = {b.get(f"{W}name") for b in root.iter(f"{W}bookmarkStart")}
    entries = [p for p in paragraphs(root) if style_of(p) == "TOC1"]
    assert len(entries) == 13  # summary, key points, introduction, 9 sections, timeline
    anchors = [link.get(f"{W}anchor") for p in entries for link in p.iter(f"{W}hyperlink")]
    assert len(anchors) == 13
    assert set(anchors) <= bookmarks
    # No page numbers until a layout computes them: no PAGEREF, no leader tab.
    assert not any(i.startswith("PAGEREF") for i in instructions)
    assert paragraph_text(entries[3]).startswith("1 Une vision partagée")
    chars = [c.get(f"{W}fldCharType") for c in root.iter(f"{W}fldChar")]
    assert chars.count("begin") == chars.count("end")
    assert sum(1 for i in instructions if i.startswith("TOC")) == 1
    closing = entries[-1].getnext()  # the field's last paragraph: how to refresh it
    assert paragraph_text(closing).startswith("Clic droit")
    assert closing.findall(f"{W}r/{W}fldChar")[-1].get(f"{W}fldCharType") == "end"
    settings = part(report, "word/settings.xml")
    assert settings.find(f"{W}updateFields").get(f"{W}val") == "true"


def test_key_points_are_a_numbered_list(report: Path, article: Document) -> None:
    root = part(report, "word/document.xml")
    points = [p for p in paragraphs(root) if style_of(p) == "KeyPoint"]
    assert [paragraph_text(p) for p in points] == [k.text("fr") for k in article.meta.key_points]
    num_ids = {p.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val") for p in points}
    assert len(num_ids) == 1
    numbering = part(report, "word/numbering.xml")
    [num] = [n for n in numbering.iter(f"{W}num") if n.get(f"{W}numId") in num_ids]
    abstract_id = num.find(f"{W}abstractNumId").get(f"{W}val")
    [abstract] = [
        a for a in numbering.iter(f"{W}abstractNum") if a.get(f"{W}abstractNumId") == abstract_id
    ]
    assert abstract.find(f"{W}lvl/{W}numFmt").get(f"{W}val") == "decimal"


def test_core_properties_come_from_the_front_matter(report: Path, article: Document) -> None:
    props = docx.Document(str(report)).core_properties
    meta = article.meta
    assert props.title == meta.title.text("fr")
    assert props.subject == meta.subtitle.text("fr")  # type: ignore[union-attr]
    assert props.author == "Hassan Ammari"
    assert props.keywords == ", ".join(meta.keywords)
    assert props.language == "fr-FR"  # Word's own tag, as Word writes it
    midnight = dt.datetime(2025, 12, 1, tzinfo=dt.UTC)
    assert props.created == midnight
    assert props.modified == midnight
    assert props.category == "NON CLASSIFIÉ"


def test_language_is_set_for_spell_checking(report: Path, project: Project, tmp_path: Path) -> None:
    styles = part(report, "word/styles.xml")
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert default.get(f"{W}val") == "fr-FR"
    by_id = {s.get(f"{W}styleId"): s for s in styles.iter(f"{W}style")}
    assert by_id["BodyText"].find(f"{W}rPr/{W}lang").get(f"{W}val") == "fr-FR"
    assert by_id["Code"].find(f"{W}rPr/{W}noProof") is not None
    english, _ = load(SOURCE, "en")
    path, _ = build(prepared(english), project, tmp_path)
    assert path.name == "report.en.docx"
    styles = part(path, "word/styles.xml")
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert default.get(f"{W}val") == "en-GB"
    assert docx.Document(str(path)).core_properties.title == english.meta.title.text("en")


def test_header_and_footer(report: Path, article: Document) -> None:
    word = docx.Document(str(report))
    section = word.sections[0]
    assert section.different_first_page_header_footer
    header = normal(" ".join(p.text for p in section.header.paragraphs))
    short = article.meta.short_title.text("fr")  # type: ignore[union-attr]
    assert header == f"{short} NON CLASSIFIÉ 1 décembre 2025"
    footer = section.footer._element
    instructions = [normal(t.text) for t in footer.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert normal(paragraph_text(footer.find(qn("w:p")))) == "NON CLASSIFIÉ Page 1 sur 1"
    # The cover carries the marking alone, top and bottom, like every page.
    assert normal(" ".join(p.text for p in section.first_page_header.paragraphs)) == (
        "NON CLASSIFIÉ"
    )
    assert normal(" ".join(p.text for p in section.first_page_footer.paragraphs)) == (
        "NON CLASSIFIÉ"
    )


def test_timeline_is_a_table_with_a_header_row(report: Path) -> None:
    word = docx.Document(str(report))
    [table] = word.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["Date", "Événement"]
    assert [row[0] for row in rows[1:]] == [
        "2020",
        "février 2025",
        "novembre 2025",
        "novembre 2025",
    ]
    assert table._tbl.tr_lst[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert table.style is not None and table.style.name == "Table docgen"


def test_every_body_paragraph_is_in_the_report_in_order(report: Path, article: Document) -> None:
    expected = [normal(text) for text in reading_order(article.body, headings=False)]
    assert len(expected) > 10
    found = texts(report)
    position = 0
    for text in expected:
        position = found.index(text, position) + 1  # ValueError names the missing one


def test_closing_block_names_author_and_contact(report: Path) -> None:
    root = part(report, "word/document.xml")
    contact = [paragraph_text(p) for p in paragraphs(root) if style_of(p) == "Contact"]
    assert contact[0] == "AUTEUR  Hassan Ammari, Président-fondateur"
    assert contact[-1] == "CONTACT  AMCAP — Bureau du président-fondateur"


# -- Markdown samples ----------------------------------------------------------------------


def test_footnotes_are_real_word_footnotes(
    article: Document, project: Project, tmp_path: Path
) -> None:
    doc = sample(
        article,
        "Rabat[^r] et Astana[^a], encore Rabat[^r].\n\n"
        "[^r]: Capitale du Maroc, voir [le site](https://maroc.ma).\n"
        "[^a]: Capitale du Kazakhstan.\n",
        tmp_path,
    )
    path, warnings = build(doc, project, tmp_path)
    assert warnings == []
    notes = part(path, "word/footnotes.xml")
    kinds = [(n.get(f"{W}type"), n.get(f"{W}id")) for n in notes.iter(f"{W}footnote")]
    assert kinds[:2] == [("separator", "-1"), ("continuationSeparator", "0")]
    assert kinds[2:] == [(None, "1"), (None, "2")]
    texts_ = [normal(paragraph_text(n)) for n in notes.iter(f"{W}footnote")][2:]
    assert texts_ == ["Capitale du Maroc, voir le site.", "Capitale du Kazakhstan."]
    assert notes.find(f".//{W}footnoteRef/../{W}rPr/{W}rStyle").get(f"{W}val") == (
        "FootnoteReference"
    )
    body = part(path, "word/document.xml")
    refs = [r.get(f"{W}id") for r in body.iter(f"{W}footnoteReference")]
    assert refs == ["1", "2"]  # the second call to [^r] is printed, not a second note
    assert "Rabat et Astana, encore Rabat1." in texts(path)
    word = docx.Document(str(path))
    [rel] = [r for r in word.part.rels.values() if r.reltype == RT.FOOTNOTES]
    notes_rels = rel.target_part.rels.values()
    assert [r.target_ref for r in notes_rels if r.is_external] == ["https://maroc.ma"]
    names = [s.name.casefold() for s in word.styles]
    assert "footnote text" in names and "footnote reference" in names


def test_footnotes_part_is_created_when_the_reference_has_none(
    article: Document, project: Project, tmp_path: Path
) -> None:
    word = docx.Document(str(REFERENCE))
    for rel_id, rel in list(word.part.rels.items()):
        if rel.reltype == RT.FOOTNOTES:
            word.part.drop_rel(rel_id)
    settings = word.settings.element
    for pr in settings.findall(qn("w:footnotePr")):
        settings.remove(pr)
    (tmp_path / "templates" / "report").mkdir(parents=True)
    word.save(str(tmp_path / "templates" / "report" / "reference.docx"))
    bare = dataclasses.replace(project, templates_dir=tmp_path / "templates")
    doc = sample(article, "Texte[^1].\n\n[^1]: Une note.\n", tmp_path)
    path, _ = build(doc, bare, tmp_path)
    notes = part(path, "word/footnotes.xml")
    assert [n.get(f"{W}id") for n in notes.iter(f"{W}footnote")] == ["-1", "0", "1"]
    types = part(path, "[Content_Types].xml")
    overrides = [o.get("PartName") for o in types if o.get("PartName") == "/word/footnotes.xml"]
    assert overrides == ["/word/footnotes.xml"]


def test_nested_lists_get_levels_and_ordered_lists_restart(
    article: Document, project: Project, tmp_path: Path
) -> None:
    markdown = "1. un\n   - deux\n     - trois\n2. quatre\n\ntexte\n\n3. cinq\n4. six\n"
    path, _ = build(sample(article, markdown, tmp_path), project, tmp_path)
    root = part(path, "word/document.xml")
    items = {
        paragraph_text(p): (
            p.find(f"{W}pPr/{W}numPr/{W}ilvl").get(f"{W}val"),
            p.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val"),
        )
        for p in paragraphs(root)
        if p.find(f"{W}pPr/{W}numPr") is not None and style_of(p) == "ListParagraph"
    }
    assert {text: level for text, (level, _) in items.items()} == {
        "un": "0",
        "deux": "1",
        "trois": "2",
        "quatre": "0",
        "cinq": "0",
        "six": "0",
    }
    assert items["un"][1] == items["quatre"][1] != items["cinq"][1]
    numbering = part(path, "word/numbering.xml")
    nums = {n.get(f"{W}numId"): n for n in numbering.iter(f"{W}num")}
    start = nums[items["cinq"][1]].find(f"{W}lvlOverride/{W}startOverride")
    assert start.get(f"{W}val") == "3"
    first = nums[items["un"][1]].find(f"{W}lvlOverride/{W}startOverride")
    assert first.get(f"{W}val") == "1"


def test_tables_repeat_their_header_and_keep_alignment(
    article: Document, project: Project, tmp_path: Path
) -> None:
    markdown = "| Pays | Capitale | Habitants |\n|:--|:-:|--:|\n| Maroc | Rabat | 37 M |\n"
    path, _ = build(sample(article, markdown, tmp_path), project, tmp_path)
    table, _timeline = docx.Document(str(path)).tables
    assert table.style is not None and table.style.name == "Table docgen"
    assert table._tbl.tr_lst[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert table._tbl.tr_lst[1].find(f"{W}trPr/{W}tblHeader") is None
    aligns = [[cell.paragraphs[0].alignment for cell in row.cells] for row in table.rows]
    from docx.enum.text import WD_ALIGN_PARAGRAPH as A

    assert aligns == [[A.LEFT, A.CENTER, A.RIGHT], [A.LEFT, A.CENTER, A.RIGHT]]
    assert [c.text for c in table.rows[1].cells] == ["Maroc", "Rabat", "37 M"]


def test_links_are_hyperlinks_external_or_internal(
    article: Document, project: Project, tmp_path: Path
) -> None:
    markdown = (
        '# Titre\n\nVoir [le site](https://example.org/a?b=1&c=2 "Bulle") et [le titre](#sec-1).\n'
    )
    path, _ = build(sample(article, markdown, tmp_path), project, tmp_path)
    word = docx.Document(str(path))
    root = word.element.body
    external, internal = list(root.iter(qn("w:hyperlink")))[-2:]
    rel = word.part.rels[external.get(qn("r:id"))]
    assert rel.is_external
    assert rel.target_ref == "https://example.org/a?b=1&c=2"
    assert external.get(qn("w:tooltip")) == "Bulle"
    assert external.find(f"{W}r/{W}rPr/{W}rStyle").get(f"{W}val") == "Hyperlink"
    assert internal.get(qn("w:anchor")) == "sec_1"
    assert "sec_1" in {b.get(qn("w:name")) for b in root.iter(qn("w:bookmarkStart"))}


def test_inline_formatting_and_literal_raw_html(
    article: Document, project: Project, tmp_path: Path
) -> None:
    markdown = "*em* **fort** ~~barré~~ `code` ligne\\\nsuite <b>brut</b>\n"
    path, _ = build(sample(article, markdown, tmp_path), project, tmp_path)
    root = part(path, "word/document.xml")
    [p] = [p for p in paragraphs(root) if "fort" in paragraph_text(p)]
    runs = {
        (r.findtext(f"{W}t") or ""): {c.tag.removeprefix(W) for c in r.iterfind(f"{W}rPr/*")}
        for r in p.iter(f"{W}r")
    }
    assert runs["em"] == {"i"}
    assert runs["fort"] == {"b"}
    assert runs["barré"] == {"strike"}
    assert runs["code"] == {"rStyle"}
    assert p.find(f".//{W}r/{W}br") is not None
    assert "<b>" in runs and "</b>" in runs  # printed as typed, never interpreted
    styles = [r.get(f"{W}val") for r in p.iter(f"{W}rStyle")]
    assert styles == ["CodeChar"]


def test_quotes_code_and_thematic_breaks(
    article: Document, project: Project, tmp_path: Path
) -> None:
    markdown = "> cité\n\n```python\nx = 1\n    y = 2\n```\n\n---\n\nfin\n"
    path, _ = build(sample(article, markdown, tmp_path), project, tmp_path)
    body = paragraphs(part(path, "word/document.xml"))
    by_text = {paragraph_text(p): p for p in body}
    assert style_of(by_text["cité"]) == "Quote"
    code = by_text["x = 1     y = 2"]
    assert style_of(code) == "Code"
    assert [t.text for t in code.iter(f"{W}t")] == ["x = 1", "    y = 2"]
    rule = body[body.index(by_text["fin"]) - 1]
    assert rule.find(f"{W}pPr/{W}pBdr/{W}bottom") is not None


def test_images_are_embedded_with_their_alt_text(
    article: Document, project: Project, tmp_path: Path
) -> None:
    png(tmp_path / "img" / "carte.png")
    local = dataclasses.replace(project, source_dir=tmp_path)
    doc = sample(article, '![Carte du Maroc](img/carte.png "Légende")\n', tmp_path)
    path, warnings = build(doc, local, tmp_path)
    assert warnings == []
    root = part(path, "word/document.xml")
    [doc_pr] = list(
        root.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")
    )
    assert doc_pr.get("descr") == "Carte du Maroc"
    with zipfile.ZipFile(path) as archive:
        assert any(name.startswith("word/media/") for name in archive.namelist())
    assert "Légende" in texts(path)  # the caption


def test_images_outside_the_roots_are_skipped(
    article: Document, project: Project, tmp_path: Path
) -> None:
    png(tmp_path / "outside" / "secret.png")
    sources = tmp_path / "src"
    png(sources / "link.png").unlink()
    (sources / "link.png").symlink_to(tmp_path / "outside" / "secret.png")
    local = dataclasses.replace(project, source_dir=sources)
    markdown = (
        "Un ![Secret](../outside/secret.png) et ![Lien](link.png).\n\n"
        "![Distante](https://example.org/x.png)\n\n![Absente](absente.png)\n"
    )
    doc = sample(article, markdown, sources)
    path, warnings = build(doc, local, tmp_path)
    root = part(path, "word/document.xml")
    assert list(root.iter(f"{{{root.nsmap['w']}}}drawing")) == []
    assert warnings == []  # reported once, by the model check below
    problems = image_problems(doc, local)
    assert [(p.severity, p.location.line) for p in problems] == [
        ("error", 1),
        ("error", 1),
        ("warning", 3),
        ("warning", 5),
    ]
    assert "outside the project's source, templates and assets" in problems[0].message
    assert "outside the project's source, templates and assets" in problems[1].message
    assert "remote image" in problems[2].message
    assert "not found" in problems[3].message
    found = texts(path)
    assert "Un Secret et Lien." in found
    assert "Distante" in found and "Absente" in found


def test_a_reference_that_is_not_a_docx_is_a_template_error(
    article: Document, project: Project, tmp_path: Path
) -> None:
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "reference.docx").write_bytes(b"not a zip file")
    broken = dataclasses.replace(project, templates_dir=tmp_path)
    with pytest.raises(TemplateError) as error:
        build(article, broken, tmp_path)
    [problem] = error.value.problems
    assert problem.location.path == (tmp_path / "report" / "reference.docx").resolve()
    assert "reference.docx is not a valid .docx" in problem.message
    assert not (tmp_path / "out" / "report.fr.docx").exists()


def test_a_reference_lacking_a_style_is_a_template_error(
    article: Document, project: Project, tmp_path: Path
) -> None:
    word = docx.Document(str(REFERENCE))
    styles = word.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) in ("Abstract", "CodeChar"):
            styles.remove(style)
    (tmp_path / "report").mkdir()
    word.save(str(tmp_path / "report" / "reference.docx"))
    lacking = dataclasses.replace(project, templates_dir=tmp_path)
    with pytest.raises(TemplateError) as error:
        build(article, lacking, tmp_path)
    message = str(error.value)
    assert "reference.docx lacks required style(s): 'Abstract' (paragraph), 'Code Char'" in message


def test_shipped_reference_defines_every_required_style() -> None:
    word = docx.Document(str(REFERENCE))
    kinds = {1: "paragraph", 2: "character", 3: "table"}
    defined = {(s.name.casefold(), kinds.get(int(s.type), "")) for s in word.styles}
    required = (*REQUIRED_STYLES, *SHEET_STYLES)
    assert [s for s in required if (s[0].casefold(), s[1]) not in defined] == []
    section = word.sections[0]
    size = (section.page_width, section.page_height, section.left_margin)
    assert [round(Length(v or 0).mm) for v in size] == [210, 297, 22]


# -- real clients --------------------------------------------------------------------------


@pytest.mark.slow
def test_libreoffice_converts_the_report(report: Path, article: Document, tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
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
        env={**os.environ, "HOME": str(tmp_path)},
    )
    pdf = tmp_path / "report.fr.pdf"
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = normal(text)
    for section in article.sections():
        assert normal(plain_text(section.title)) in flat
    first = next(b for b in article.body if isinstance(b, Paragraph))
    assert normal(plain_text(first.children))[:40] in flat
    assert "Page 3 sur" in flat


@pytest.mark.slow
def test_every_commonmark_example_renders_without_losing_text(
    article: Document, project: Project, tmp_path: Path
) -> None:
    examples = [example.markdown for example in commonmark_examples()]
    assert len(examples) > 600
    marker = "DOCGENEXAMPLE{:04d}"
    batch_size = 100
    for first in range(0, len(examples), batch_size):
        blocks: list[Block] = []
        expected: list[tuple[int, list[str]]] = []
        for number, markdown in enumerate(examples[first : first + batch_size], start=first):
            parsed = parse_body(markdown, tmp_path / "spec.md")
            assert parsed.footnotes == ()
            blocks += [Paragraph((Text(marker.format(number)),)), *parsed.blocks]
            words = re.findall(r"\w+", " ".join(model_text(parsed.blocks)))
            expected.append((number, words))
        doc = dataclasses.replace(
            article, path=tmp_path / "spec.md", body=tuple(blocks), footnotes=()
        )
        path, _ = build(doc, project, tmp_path / f"batch{first}")
        text = " ".join(texts(path))
        for number, words in expected:
            start = text.index(marker.format(number))
            end = text.find(marker.format(number + 1))
            chunk = text[start : end if end > 0 else len(text)]
            missing = Counter(words) - Counter(re.findall(r"\w+", chunk))
            assert not missing, f"example {number + 1} lost {dict(missing)}: {examples[number]!r}"
