"""The architecture's promises: products × formats, one edition, one walking contract,
one Word backend, no import cycle — each checked on real outputs or on the code itself."""

from __future__ import annotations

import ast
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document as open_docx
from pypdf import PdfReader

from docgen import api, formats, products
from docgen.cli import main
from docgen.formats.docx.report import report_document
from docgen.formats.html.writer import HtmlWriter
from docgen.i18n.units import body_units
from docgen.model import (
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    Document,
    Emphasis,
    Figure,
    Footnote,
    FootnoteRef,
    Heading,
    Image,
    LineBreak,
    Link,
    ListItem,
    OrderedList,
    Paragraph,
    RawBlock,
    RawInline,
    Section,
    Span,
    Strikethrough,
    Strong,
    Table,
    TableCell,
    Text,
    ThematicBreak,
    iter_nodes,
    plain_text,
)
from docgen.options import RenderOptions
from docgen.project import load_project
from docgen.typography import apply

from .conftest import MINIMAL_FRONT, REPO
from .test_hardening import _png_header

PACKAGE = REPO / "docgen"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "docgen.toml").write_text("[docgen]\n", encoding="utf-8")
    (tmp_path / "source").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(project: Path, body: str, front: str = MINIMAL_FRONT, name: str = "a.md") -> Path:
    path = project / "source" / name
    path.write_text(front + body, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- imports


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node but those under ``if TYPE_CHECKING:`` (annotations only, never run)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            continue
        yield node
        yield from _runtime_nodes(node)


def _imports(path: Path, module: str) -> Iterator[str]:
    """The docgen modules ``module`` (in file ``path``) imports when it runs, at module
    level or inside functions alike: a lazy import still makes a cycle a reader has to
    untangle. Imports for type checking only are left out: they never run."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.startswith("docgen"):
                for alias in node.names:  # "from . import formats" imports a module
                    yield f"{target}.{alias.name}"
                yield target
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.startswith("docgen"))


def import_graph() -> dict[str, set[str]]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        for target in _imports(path, name):
            # "from . import formats" names the module docgen.formats, not the package.
            if (
                target in modules
                and target != name
                and not any(t.startswith(target + ".") for t in targets)
            ):
                targets.add(target)
        graph[name] = targets
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle, as the list of modules around it, or [] when there is none."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_the_package_has_no_import_cycle() -> None:
    graph = import_graph()
    assert "docgen.formats.docx.report" in graph  # the walk found the package
    assert find_cycle(graph) == []


def test_the_cycle_finder_finds_cycles() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


# --------------------------------------------------------------------------- walkers


def every_node_document(path: Path) -> Document:
    """A document holding every block and inline type, each at least once, with an image
    in a section title (the case walkers used to skip)."""
    image = Image("pic.png", "une image", "titre")
    inlines = (
        Text("Texte "),
        Emphasis((Text("em"),)),
        Strong((Text("fort"),)),
        Strikethrough((Text("barré"),)),
        Code("code"),
        Link("https://example.org", (Text("lien"),)),
        Span("en", (Text("in English"),)),
        image,
        LineBreak(),
        FootnoteRef("n", 1),
        RawInline("<b>"),
    )
    blocks: tuple[Block, ...] = (
        Paragraph(inlines, 1),
        Heading(2, (Text("Titre libre"),), 2),
        BulletList((ListItem((Paragraph((Text("puce"),)),)),)),
        OrderedList((ListItem((Paragraph((Text("numéro"),)),)),), start=3),
        BlockQuote((Paragraph((Text("citation"),)),)),
        CodeBlock("print()\n"),
        ThematicBreak(),
        RawBlock("<div>brut</div>\n"),
        Figure(Image("fig.png", "figure"), (Text("légende"),)),
        Table((TableCell((Text("tête"),)),), ((TableCell((Text("cellule"),)),),), ("right",)),
    )
    section = Section(1, (Text("Section "), Image("head.png", "titre-image")), blocks, "sec-1")
    base = api.load(write_source_for(path))
    return Document(
        base.path,
        base.meta,
        (section,),
        (Footnote("n", 1, (Paragraph((Text("note"),)),)),),
        lang="fr",
    )


def write_source_for(path: Path) -> Path:
    path.write_text(MINIMAL_FRONT + "Texte.\n", encoding="utf-8")
    return path


def test_every_node_type_reaches_every_walker(tmp_path: Path) -> None:
    doc = every_node_document(tmp_path / "a.md")
    found = {type(node).__name__ for node, _line in iter_nodes(doc.body)}
    block_types = {cls.__name__ for cls in Block.__args__}  # type: ignore[attr-defined]
    inline_types = {
        "Text", "Emphasis", "Strong", "Strikethrough", "Code", "Link", "Span", "Image",
        "LineBreak", "FootnoteRef", "RawInline",
    }  # fmt: skip
    assert found == block_types | inline_types
    html = HtmlWriter().blocks(doc.body)
    for text in ("titre-image", "Titre libre", "numéro", "citation", "print()", "brut", "légende"):
        assert text in html
    assert '<span lang="en">in ' in html
    assert 'alt="titre-image"' in html
    fixed = apply(doc)
    assert [type(b) for b in fixed.body[0].children] == [type(b) for b in doc.body[0].children]
    assert plain_text(doc.body[0].title) == "Section titre-image"
    word, warnings = report_document(
        api.edition_of(doc, "report", load_project(tmp_path)),
        RenderOptions(load_project(tmp_path)),
    )
    text = "\n".join(p.text for p in word.paragraphs)
    for expected in ("Titre libre", "puce", "numéro", "citation", "print()", "légende", "English"):
        assert expected in text
    assert [p for p in warnings if p.severity == "error"] == []


def test_translation_units_cover_every_block(write_source: Callable[..., Path]) -> None:
    path = write_source(
        "## Titre\n\nParagraphe.\n\n- puce\n\n> citation\n\n```\ncode\n```\n\n---\n\n"
        "| a |\n|---|\n| b |\n\n![fig](x.png)\n"
    )
    doc = api.load(path)
    units = body_units(doc.body, doc.footnotes, path.read_text(encoding="utf-8"), 7)
    kinds = [unit.kind for unit in units.units]
    assert {"heading", "paragraph", "list item", "quote", "table cell", "figure"} <= set(kinds)


def test_walkers_end_in_assert_never() -> None:
    """The walking contract, read off the code: each walker module matches node types and
    ends its matches in assert_never, so strict mypy flags a forgotten node type."""
    walkers = [
        "model.py",
        "formats/html/writer.py",
        "formats/docx/blocks.py",
        "typography/document.py",
        "i18n/units.py",
    ]
    for name in walkers:
        source = (PACKAGE / name).read_text(encoding="utf-8")
        assert "assert_never(" in source and "match " in source, name
        assert "isinstance(node, (" not in source, name


def test_an_image_in_a_heading_obeys_the_image_limits(project: Path) -> None:
    (project / "source" / "huge.png").write_bytes(_png_header(50_000, 50_000))
    write(project, "## Titre ![x](huge.png)\n\nTexte.\n")
    code, out = run("check")
    assert code == 2
    assert "a.md:7:15: error: image 'huge.png' is far over the limit of 40 megapixels" in out
    code, out = run("build")
    assert code == 2 and not (project / "output" / "a").exists()


# --------------------------------------------------------------------------- one edition


LONG_FRONT = """\
---
title:
  fr: {fr}
  en: {en}
author: {{name: Jeanne Martin}}
date: 2026-03-14
lang: fr
summary: {{fr: Résumé., en: Summary.}}
classification: {{fr: DIFFUSION RESTREINTE, en: RESTRICTED}}
---
"""


def test_a_long_bilingual_title_builds_every_output(project: Path) -> None:
    fr = "Les relations entre le Maroc et le Kazakhstan, " * 6
    en = "Relations between Morocco and Kazakhstan, a partnership " * 2
    write(project, "Texte.\n", LONG_FRONT.format(fr=fr.strip(), en=en.strip()))
    code, out = run("build")
    assert code == 0, out
    folder = project / "output" / "a"
    for name in ("summary.docx", "report.fr.docx"):
        props = open_docx(str(folder / name)).core_properties
        assert 0 < len(props.title) <= 255
        assert props.title.endswith("…")
    assert len(PdfReader(folder / "summary.pdf").pages) == 1


def test_the_cover_and_running_texts_are_the_same_in_pdf_and_word(project: Path) -> None:
    body = "## Un\n\n" + "Texte assez long pour remplir des pages. " * 600 + "\n"
    write(project, body, LONG_FRONT.format(fr="Titre court", en="Short title"))
    assert run("build", "--draft")[0] == 0
    folder = project / "output" / "a"
    pdf = "\n".join(page.extract_text() for page in PdfReader(folder / "brief.fr.pdf").pages)
    word = open_docx(str(folder / "report.fr.docx"))
    header = word.sections[0].header.paragraphs[0].text
    assert header.startswith("PROJET — Titre court\tDIFFUSION RESTREINTE")
    assert "PROJET — Titre court" in pdf and "DIFFUSION RESTREINTE" in pdf


def test_right_to_left_columns_are_tagged_in_the_sheet(project: Path) -> None:
    front = """\
---
title: {fr: Titre, ar: عنوان}
author: {name: Jeanne Martin}
date: 2026-03-14
lang: fr
summary: {fr: Résumé., ar: ملخص.}
---
"""
    write(project, "Texte.\n", front)
    assert run("build", "-p", "sheet")[0] == 0
    xml = zipfile.ZipFile(project / "output" / "a" / "summary.docx").read("word/document.xml")
    assert b'w:bidi="ar-' in xml and b"<w:rtl/>" in xml


# --------------------------------------------------------------------------- products × formats


def built(project: Path) -> list[str]:
    folder = project / "output" / "a"
    names = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
    return [name for name in names if name != "manifest.json"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("-f", "pdf"), ["brief.fr.pdf", "summary.pdf"]),
        (("-f", "docx"), ["report.fr.docx", "summary.docx"]),
        (("-p", "sheet"), ["summary.docx", "summary.pdf"]),
        (("-p", "sheet", "-f", "pdf"), ["summary.pdf"]),
        (("-f", "summary"), ["summary.docx", "summary.pdf"]),
        (("-p", "brief", "-p", "report"), ["brief.fr.pdf", "report.fr.docx"]),
    ],
)
def test_products_and_formats_select_the_outputs(
    project: Path, args: tuple[str, ...], expected: list[str]
) -> None:
    write(project, "Texte.\n", LONG_FRONT.format(fr="Titre", en="Title"))
    code, out = run("build", *args)
    assert code == 0, out
    assert built(project) == expected


def test_docgen_toml_chooses_products_and_formats(project: Path) -> None:
    write(project, "Texte.\n", LONG_FRONT.format(fr="Titre", en="Title"))
    (project / "docgen.toml").write_text(
        '[docgen]\nproducts = ["brief", "sheet"]\nformats = ["pdf"]\n', encoding="utf-8"
    )
    assert run("build")[0] == 0
    assert built(project) == ["brief.fr.pdf", "summary.pdf"]


def test_a_docgen_0_1_format_list_still_means_products(project: Path) -> None:
    write(project, "Texte.\n", LONG_FRONT.format(fr="Titre", en="Title"))
    (project / "docgen.toml").write_text(
        '[docgen]\nformats = ["pdf", "summary"]\n', encoding="utf-8"
    )
    assert run("build")[0] == 0
    assert built(project) == ["brief.fr.pdf", "summary.docx", "summary.pdf"]


def test_unknown_products_and_formats_are_located_errors(project: Path) -> None:
    write(project, "Texte.\n")
    (project / "docgen.toml").write_text('[docgen]\nproducts = ["memo"]\n', encoding="utf-8")
    code, out = run("build")
    assert code == 2
    assert "docgen.toml:2:1: error: products: unknown product 'memo'" in out
    assert run("build", "-p", "memo")[0] == 2


def test_adding_a_format_is_one_registration(project: Path) -> None:
    """A plain-text backend defined in the tests: registered, it is built by --format
    txt for the products it names, with no change anywhere else."""
    formats.register(
        formats.FormatInfo("txt", "txt", "tests.plaintext", "plain text", ("brief", "sheet"))
    )
    try:
        path = write(project, "## Un\n\nTexte.\n", LONG_FRONT.format(fr="Titre", en="Title"))
        assert products.get("brief").formats == ("pdf", "html", "txt")
        api.build([path], formats=["txt"])
        assert built(project) == ["brief.fr.txt", "summary.txt"]
        text = (project / "output" / "a" / "brief.fr.txt").read_text(encoding="utf-8")
        assert text.startswith("Titre\n") and "Un" in text
    finally:
        formats.unregister("txt")


def test_registries_refuse_duplicates() -> None:
    with pytest.raises(ValueError, match="already registered"):
        formats.register(formats.get("pdf"))
    with pytest.raises(ValueError, match="already registered"):
        products.register(products.get("brief"))
