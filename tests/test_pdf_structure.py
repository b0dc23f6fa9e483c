"""The tagged PDF's structure tree read back: what a screen reader walks.

The structure tree and its parent tree come from pypdf; which glyph sits in which marked
content (``/Span <</MCID n>>`` or ``/Artifact``) from pdfplumber, which reports each
character's innermost marked-content tag and MCID.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
import pytest
from lxml import html as lxml_html
from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject

from docgen import api
from docgen.formats.pdf import structure
from docgen.formats.pdf.weasy import layout, pdf_bytes
from docgen.options import RenderOptions
from docgen.project import load_project
from tests.rendering import brief_html, render_files, render_pdf

from .conftest import ARTICLE, MINIMAL_FRONT, REPO

MM = 72 / 25.4


@dataclass
class Node:
    """One structure element as read back."""

    tag: str
    page: int | None
    attrs: dict[str, object]
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    content: list[tuple[int, int]] = field(default_factory=list)
    """(page, MCID) of the marked content this element holds directly."""

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()

    def marked(self) -> set[tuple[int, int]]:
        return {item for node in self.walk() for item in node.content}

    def lang(self) -> str | None:
        node: Node | None = self
        while node is not None:
            if "/Lang" in node.attrs:
                return str(node.attrs["/Lang"])
            node = node.parent
        return None


@dataclass
class Tagged:
    """A tagged PDF read back: its tree, parent tree and each page's glyphs."""

    lang: str
    root: Node
    parent_tree: dict[tuple[int, int], int]
    owners: dict[tuple[int, int], int]
    chars: list[list[dict[str, object]]]
    stream_mcids: set[tuple[int, int]]
    heights: list[float]

    def nodes(self, tag: str) -> list[Node]:
        return [node for node in self.root.walk() if node.tag == tag]

    def text(self, node: Node) -> str:
        marked = node.marked()
        return "".join(
            str(c["text"])
            for page, chars in enumerate(self.chars)
            for c in chars
            if (page, c.get("mcid")) in marked
        )


def read(path: Path) -> Tagged:
    reader = PdfReader(path)
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    catalog = reader.trailer["/Root"]
    tree_root = catalog["/StructTreeRoot"]
    owners: dict[tuple[int, int], int] = {}

    def build(ref: object, parent: Node | None, page: int | None) -> Node:
        element = ref.get_object()  # type: ignore[attr-defined]
        if "/Pg" in element:
            page = pages[element.raw_get("/Pg").idnum]
        node = Node(str(element["/S"]), page, dict(element), parent)
        kids = element.get("/K", ArrayObject())
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            if isinstance(kid, int):
                assert page is not None
                node.content.append((page, kid))
                owners[(page, kid)] = ref.idnum  # type: ignore[attr-defined]
                continue
            child = kid.get_object()
            if child.get("/Type") == "/MCR":
                key = (pages[child.raw_get("/Pg").idnum], int(child["/MCID"]))
                node.content.append(key)
                owners[key] = ref.idnum  # type: ignore[attr-defined]
            elif child.get("/Type") != "/OBJR":
                node.children.append(build(kid, node, page))
        return node

    (document,) = (
        tree_root["/K"] if isinstance(tree_root["/K"], ArrayObject) else [tree_root.raw_get("/K")]
    )
    root = build(document, None, None)
    nums = tree_root["/ParentTree"]["/Nums"]
    parent_tree = {}
    for key, value in zip(nums[::2], nums[1::2], strict=True):
        if isinstance(value.get_object(), ArrayObject):
            for mcid, ref in enumerate(value.get_object()):
                parent_tree[(int(key), mcid)] = ref.idnum
    stream_mcids = set()
    for number, page in enumerate(reader.pages):
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            properties = operands[1] if operator == b"BDC" else None
            if isinstance(properties, DictionaryObject) and "/MCID" in properties:
                assert (number, int(properties["/MCID"])) not in stream_mcids
                stream_mcids.add((number, int(properties["/MCID"])))
    with pdfplumber.open(path) as pdf:
        chars = [list(page.chars) for page in pdf.pages]
        heights = [float(page.height) for page in pdf.pages]
    return Tagged(str(catalog["/Lang"]), root, parent_tree, owners, chars, stream_mcids, heights)


def assert_consistent(tagged: Tagged) -> None:
    """Every marked content in the pages is in the tree once, the parent tree says where,
    and every glyph is either in the tree or an artifact."""
    assert tagged.owners, "no marked content in the tree"
    assert set(tagged.owners) == tagged.stream_mcids
    assert tagged.parent_tree == tagged.owners
    for page, chars in enumerate(tagged.chars):
        for c in chars:
            if c.get("tag") == "Artifact":
                assert c.get("mcid") is None
            else:
                assert (page, c.get("mcid")) in tagged.owners, c["text"]


def options(variant: str | None = None) -> RenderOptions:
    return RenderOptions(load_project(REPO), pdf_variant=variant)


@pytest.fixture(scope="module")
def seed_brief(tmp_path_factory: pytest.TempPathFactory) -> Tagged:
    folder = tmp_path_factory.mktemp("seed")
    return read(render_pdf(api.load(ARTICLE, "fr"), options(), folder)[0])


@pytest.fixture(scope="module")
def seed_sheet(tmp_path_factory: pytest.TempPathFactory) -> Tagged:
    folder = tmp_path_factory.mktemp("sheet")
    return read(render_files(api.load(ARTICLE), "sheet", "pdf", options(), folder)[0])


LONG = (
    "\n\n".join(
        f"## Section {n}\n\n"
        + "\n\n".join(
            f"Paragraphe {n}.{p}. " + "La coopération se poursuit entre les deux pays. " * 22
            for p in range(1, 4)
        )
        for n in range(1, 6)
    )
    + "\n\n## Tableau\n\n| Année | Montant |\n|------:|--------:|\n"
    + "".join(f"| {1990 + row} | {row * 10} |\n" for row in range(70))
)


@pytest.fixture(scope="module")
def long_brief(tmp_path_factory: pytest.TempPathFactory) -> tuple[Tagged, str]:
    folder = tmp_path_factory.mktemp("long")
    source = folder / "long.md"
    source.write_text(MINIMAL_FRONT + LONG, encoding="utf-8")
    doc = api.load(source)
    html = brief_html(doc, options())
    return read(render_pdf(doc, options(), folder)[0]), html


def test_the_hook_fits_this_weasyprint() -> None:
    """Languages and page-break joins need WeasyPrint's tree builder wrapped; a release
    that changes its shape must be looked at, not silently lose them."""
    assert structure.hooked()


# -- running heads ------------------------------------------------------------------------


def test_running_heads_are_pagination_artifacts_outside_the_tree(seed_brief: Tagged) -> None:
    assert_consistent(seed_brief)
    assert len(seed_brief.chars) > 1
    for number, chars in enumerate(seed_brief.chars):
        height = seed_brief.heights[number]
        margin = [
            c for c in chars if float(c["top"]) < 24 * MM or float(c["bottom"]) > height - 22 * MM
        ]  # type: ignore[arg-type]
        text = "".join(str(c["text"]) for c in margin)
        assert f"Page {number + 1} / {len(seed_brief.chars)}" in text
        assert "NON CLASSIFIÉ" in text
        assert {c.get("tag") for c in margin} == {"Artifact"}
        assert all(c.get("tag") != "Artifact" for c in chars if c not in margin)
    tree_text = seed_brief.text(seed_brief.root)
    assert "Page 1 /" not in tree_text
    assert "NON CLASSIFIÉ" not in tree_text
    assert "La coopération entre le Maroc" in tree_text


def test_running_heads_say_header_or_footer(tmp_path: Path) -> None:
    html = (
        '<html lang="fr"><head><style>@page { @top-left { content: "TÊTE" }'
        ' @bottom-right { content: "PIED " counter(page) } }</style></head>'
        "<body><p>Corps.</p></body></html>"
    )
    contents = b" ".join(_contents(_pdf(html, tmp_path)).split())
    assert contents.count(b"/Artifact <</Type /Pagination/Subtype /Header>> BDC") == 1
    assert contents.count(b"/Artifact <</Type /Pagination/Subtype /Footer>> BDC") == 1
    assert contents.count(b"/MCID") == 1  # the body's paragraph


# -- languages ----------------------------------------------------------------------------


def test_sheet_english_column_says_its_language(seed_sheet: Tagged) -> None:
    assert_consistent(seed_sheet)
    assert seed_sheet.lang == "fr"
    rows = seed_sheet.nodes("/TR")
    assert len(rows) > 5
    for row in rows:
        first, second = row.children
        assert "/Lang" not in first.attrs  # French: the document's language
        assert second.attrs.get("/Lang") == "en"
    english = "".join(seed_sheet.text(row.children[1]) for row in rows).replace(" ", "")
    french = "".join(seed_sheet.text(row.children[0]) for row in rows).replace(" ", "")
    assert "amodelpartnership" in english and "modelpartnership" not in french
    assert "partenariatmodèle" in french
    # Nothing inside an English cell repeats its language.
    for row in rows:
        assert all("/Lang" not in node.attrs for node in list(row.children[1].walk())[1:])
        assert all(node.lang() == "en" for node in row.children[1].walk())


def test_an_element_whose_language_differs_from_its_parents_says_it(tmp_path: Path) -> None:
    html = (
        '<html lang="fr"><body><p>Un mot <span lang="en">word</span> ici.</p>'
        '<div lang="en-GB"><p lang="en-GB">Colour.</p>'
        '<p>Favour <span lang="fr">goût</span>.</p></div>'
        "</body></html>"
    )
    tagged = read(_write(_pdf(html, tmp_path), tmp_path))
    assert_consistent(tagged)
    langs = [(node.tag, node.attrs.get("/Lang"), tagged.text(node)) for node in tagged.root.walk()]
    assert ("/Span", "en", "word") in langs
    assert ("/Div", "en-GB", "Colour.Favour goût.") in langs
    assert ("/Span", "fr", "goût") in langs
    assert ("/P", None, "Colour.") in langs  # the same as its parent's: not repeated
    assert [node.attrs.get("/Lang") for node in tagged.nodes("/P")] == [None, None, None]


# -- tables -------------------------------------------------------------------------------


def test_header_cells_say_their_scope(seed_brief: Tagged, seed_sheet: Tagged) -> None:
    timeline = seed_brief.nodes("/TH")
    assert timeline and {str(th.attrs["/A"]["/Scope"]) for th in timeline} == {"/Row"}  # type: ignore[index]
    labels = seed_sheet.nodes("/TH")
    assert labels and {str(th.attrs["/A"]["/Scope"]) for th in labels} == {"/Column"}  # type: ignore[index]


def test_a_table_cut_by_a_page_break_is_one_table_with_one_header(
    long_brief: tuple[Tagged, str],
) -> None:
    tagged, _html = long_brief
    assert_consistent(tagged)
    (table,) = tagged.nodes("/Table")
    assert len({page for page, _ in table.marked()}) >= 2, "the table should cross a page"
    assert [child.tag for child in table.children] == ["/THead", "/TBody"]
    headers = tagged.nodes("/TH")
    assert [tagged.text(th) for th in headers] == ["Année", "Montant"]
    assert {str(th.attrs["/A"]["/Scope"]) for th in headers} == {"/Column"}  # type: ignore[index]
    ids = {str(th.attrs["/ID"]) for th in headers}
    cells = tagged.nodes("/TD")
    assert len(cells) == 140
    for cell in cells:
        assert {str(h) for h in cell.attrs["/A"]["/Headers"]} <= ids  # type: ignore[index]
        assert len(cell.attrs["/A"]["/Headers"]) == 1  # type: ignore[index]
    # The header row WeasyPrint repeats on the next page is drawn, as an artifact.
    last = tagged.chars[-1]
    repeated = [c for c in last if str(c["text"]) in "AnnéeMontant" and c.get("tag") == "Artifact"]
    assert "".join(str(c["text"]) for c in repeated).startswith("Année")


# -- page breaks --------------------------------------------------------------------------


def test_a_paragraph_cut_by_a_page_break_is_one_element(long_brief: tuple[Tagged, str]) -> None:
    tagged, html = long_brief
    (part,) = tagged.nodes("/Part")
    paragraphs = [node for node in part.walk() if node.tag == "/P"]
    body = lxml_html.fromstring(html).find(".//main")
    assert body is not None
    assert len(paragraphs) == len(body.findall(".//p"))
    cut = [p for p in paragraphs if len({page for page, _ in p.marked()}) > 1]
    assert cut, "the article should have a paragraph across a page break"
    for paragraph in cut:
        text = tagged.text(paragraph)
        assert text.startswith("Paragraphe ")
        assert text.count("Paragraphe") == 1
    sections = [node for node in part.children if node.tag == "/Sect"]
    assert len(sections) == len(body.findall(".//section")) == 6


# -- variants and reproducibility ----------------------------------------------------------


@pytest.mark.parametrize("variant", ["pdf/ua-1", "pdf/ua-2", "pdf/a-3b"])
def test_variants_keep_the_corrected_tree(variant: str, tmp_path: Path) -> None:
    html = (
        '<html lang="fr"><head><title>T</title><style>@page { @top-center { content: "TÊTE" } }'
        '</style></head><body><h1>Titre</h1><p>Un <span lang="en">word</span>.</p></body></html>'
    )
    first = _pdf(html, tmp_path, variant)
    assert first == _pdf(html, tmp_path, variant)
    tagged = read(_write(first, tmp_path))
    assert_consistent(tagged)
    spans = [n for n in tagged.nodes("/Span") if n.children and tagged.text(n) == "word"]
    assert [span.attrs.get("/Lang") for span in spans] == ["en"]
    assert {c.get("tag") for c in tagged.chars[0] if str(c["text"]) in "TÊ"} >= {"Artifact"}


def _pdf(html: str, folder: Path, variant: str | None = None) -> bytes:
    document, fetcher = layout(html, load_project(REPO), folder)
    return pdf_bytes(document, fetcher, folder, variant)[0]


def _write(data: bytes, folder: Path) -> Path:
    path = folder / "out.pdf"
    path.write_bytes(data)
    return path


def _contents(data: bytes) -> bytes:
    reader = PdfReader(io.BytesIO(data))
    return b"".join(page.get_contents().get_data() for page in reader.pages)  # type: ignore[union-attr]


def test_text_beside_blocks_across_a_page_break_stays_in_the_tree(tmp_path: Path) -> None:
    """Anonymous blocks share their parent's element: the text after a ``<p>`` in a
    ``<div>`` is not a repeat of the text before it, wherever the page breaks."""
    html = (
        f'<html lang="fr"><body><div>Avant {"mot " * 100}<p>Milieu.</p>Après {"mot " * 900}'
        " fin.</div></body></html>"
    )
    tagged = read(_write(_pdf(html, tmp_path), tmp_path))
    assert_consistent(tagged)
    first = "".join(str(c["text"]) for c in tagged.chars[0])
    assert "Milieu" in first and "Après" in first and len(tagged.chars) >= 2
    assert not [c for page in tagged.chars for c in page if c.get("tag") == "Artifact"]
    (div,) = tagged.root.children  # WeasyPrint tags the anonymous blocks /Div too
    assert [child.tag for child in div.children] == ["/Div", "/P", "/Div"]
    assert len({page for page, _ in div.children[2].marked()}) == 2
    text = tagged.text(div).replace(" ", "")
    assert text.startswith("Avant") and "Milieu.Après" in text and text.endswith("fin.")


def test_a_repeated_table_footer_is_an_artifact_and_stays_last(tmp_path: Path) -> None:
    rows = "".join(f"<tr><td>{n}</td></tr>" for n in range(80))
    html = (
        '<html lang="fr"><body><table><thead><tr><th>Tête</th></tr></thead>'
        f"<tfoot><tr><td>Pied</td></tr></tfoot><tbody>{rows}</tbody></table></body></html>"
    )
    tagged = read(_write(_pdf(html, tmp_path), tmp_path))
    assert_consistent(tagged)
    assert len(tagged.chars) >= 2
    (table,) = tagged.nodes("/Table")
    assert [child.tag for child in table.children] == ["/THead", "/TBody", "/TFoot"]
    assert tagged.text(table.children[2]) == "Pied"
    drawn = [c for page in tagged.chars for c in page if str(c["text"]) == "P"]
    assert len(drawn) == len(tagged.chars)  # the footer is drawn on every page
    assert sum(c.get("tag") != "Artifact" for c in drawn) == 1
