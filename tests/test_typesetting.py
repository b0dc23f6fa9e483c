# ruff: noqa: E501  (the wide-table article is Markdown whose rows are long lines)
"""Typesetting read back from the real outputs: glyph positions, hyphenated line ends, table
layout, the PDF's structure tree and the Word file's XML.

Positions come from pdfplumber (each glyph's box in points), structure from pypdf, Word
from python-docx and the package's XML: what a reader, a printer or a screen reader gets.
"""

from __future__ import annotations

import itertools
import re
import zipfile
from collections import defaultdict
from pathlib import Path

import docx as docx_reader
import pdfplumber
import pytest
from lxml import etree

from docgen import api
from docgen.markdown import parse_body
from docgen.model import Document, Section, Table, Text, iter_nodes
from docgen.options import RenderOptions
from docgen.project import load_project
from docgen.typography import apply
from docgen.typography.columns import column_fractions
from tests.rendering import brief_html, render_pdf, render_report

from .commonmark import examples
from .conftest import ARTICLE, MINIMAL_FRONT, REPO, pdf_text

HYPHEN = "\u2010"
"""WeasyPrint's hyphenate-character: what it adds at a line end it hyphenated."""

WIDE_TABLES = """\
## Indicateurs de coopération bilatérale et multilatérale entre les deux pays partenaires

Source : https://www.example.org/statistiques/cooperation-bilaterale/indicateurs-economiques-annuels-2025-version-definitive-consolidee.html pour la source.

| Instrument | Montant | Échéance | Partenaire | Secteur | Statut | Référence | Observation |
|:-----------|--------:|:--------:|:-----------|:--------|:-------|:----------|:------------|
| Instrumentalisation | 1 250,5 | 2027 | Kazakhstan | Agroalimentaire | Signé | ABC-2025-000123-XYZ | Renouvellement automatique |
| Accord-cadre | 300 | 2026 | Maroc | Télécommunications | Négociation | DEF-2025-000456 | Interconnexion intercontinentale |
| Mémorandum | 12 | 2030 | Banque mondiale | Infrastructures | Ratifié | GHI-2024-000789 | Cofinancement |

Avec `une_fonction_de_code_tres_longue_qui_ne_se_coupe_jamais_dans_la_marge_de_droite()` en ligne.

| Année | Exportations | Importations |
|------:|-------------:|-------------:|
| 2023 | 1 200 | 800 |
| 2024 | 1 350 | 900 |
| 2025 | 1 500 | 1 000 |

    une_ligne_de_code_tres_longue_sans_aucune_espace_pour_la_couper_proprement_dans_la_page_ok
"""


def options(root: Path = REPO) -> RenderOptions:
    return RenderOptions(load_project(root))


def lines(pdf: Path) -> list[tuple[int, float, float, str, str]]:
    """Every text line of the PDF: (page, top, font size, text, font name of its first
    glyph), glyphs grouped by their rounded top."""
    found = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages):
            rows: dict[int, list[dict[str, object]]] = defaultdict(list)
            for char in page.chars:
                rows[round(char["top"])].append(char)
            for top, chars in sorted(rows.items()):
                chars.sort(key=lambda c: float(c["x0"]))  # type: ignore[arg-type]
                text = "".join(str(c["text"]) for c in chars)
                size = max(float(c["size"]) for c in chars)  # type: ignore[arg-type]
                found.append((number, float(top), size, text, str(chars[0]["fontname"])))
    return found


def body_lines(pdf: Path) -> list[str]:
    """The lines set in the body's serif type (10–11 pt): the summary and the body text."""
    return [
        text
        for _, _, size, text, font in lines(pdf)
        if "Serif" in font and 9.9 <= size <= 11.1 and text.strip()
    ]


def hyphenation(pdf: Path) -> tuple[float, int]:
    """The share of body lines ending in an added hyphen, and the longest run of them."""
    ends = [line.rstrip().endswith(HYPHEN) for line in body_lines(pdf)]
    run = longest = 0
    for hyphenated in ends:
        run = run + 1 if hyphenated else 0
        longest = max(longest, run)
    return sum(ends) / len(ends), longest


def rightmost_glyph(pdf: Path) -> tuple[float, float, float]:
    """The largest x1 of any glyph, the page width and the right margin's x."""
    with pdfplumber.open(pdf) as document:
        x1 = max(float(c["x1"]) for page in document.pages for c in page.chars)
        width = float(document.pages[0].width)
    return x1, width, width - 21 / 25.4 * 72  # the brief's right margin: 21 mm


@pytest.fixture(scope="module")
def seed_briefs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("seed")
    return {
        lang: render_pdf(api.load(ARTICLE, lang), options(), out / lang)[0] for lang in ("fr", "en")
    }


@pytest.fixture(scope="module")
def wide_brief(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wide")
    source = folder / "wide.md"
    source.write_text(MINIMAL_FRONT + WIDE_TABLES, encoding="utf-8")
    return render_pdf(api.load(source), options(), folder)[0]


# -- PDF: hyphenation -------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_seed_brief_hyphenates_few_lines_and_never_three_in_a_row(
    seed_briefs: dict[str, Path], lang: str
) -> None:
    share, run = hyphenation(seed_briefs[lang])
    assert len(body_lines(seed_briefs[lang])) > 80  # the measure sees the body
    assert share <= 0.12, f"{share:.1%} of body lines end in a hyphen"
    assert run <= 2


def test_headings_code_urls_and_names_are_never_hyphenated(wide_brief: Path) -> None:
    ends = [text for _, _, _, text, font in lines(wide_brief) if text.endswith(HYPHEN)]
    # Only the table's own long words (in its 8 pt cells) may be hyphenated.
    assert [e for e in ends if "Mono" in e or "http" in e or "_" in e] == []
    html = brief_html(api.load(wide_brief.parent / "wide.md"), options())
    assert '<span class="url">https://www.example.org/' in html
    css = html.split("<style>")[1]
    for rule in (".body code, .body pre, .notes code, .url, .ref {\n  hyphens: none;",):
        assert rule in css
    assert re.search(r"\.body h2, \.body h3[^{]*\{[^}]*hyphens: manual", css)
    assert re.search(r"\.name \{ hyphens: manual; \}", css)


def test_wide_table_words_break_at_syllables_and_references_anywhere(wide_brief: Path) -> None:
    """In a wide table's narrow columns a long word is hyphenated at a syllable, never cut
    anywhere ("Instrumentalis|ation"), and a reference, which has no break opportunity,
    breaks without a hyphen (one that would read as part of it)."""
    text = pdf_text(wide_brief)
    lines_ = text.splitlines()
    for word in ("Instrumentalisation", "Agroalimentaire", "Télécommunications"):
        if word in lines_:
            continue
        # Not whole on a line: cut at a hyphen the layout added, the rest on the next line.
        cuts = [a + b for a, b in itertools.pairwise(lines_) if a and a + b == word]
        assert cuts == [], word  # cut anywhere, without a hyphen
        at = next(
            i
            for i, line in enumerate(lines_)
            if line.endswith(HYPHEN) and word.startswith(line[:-1])
        )
        assert lines_[at][:-1] + lines_[at + 1] == word, (word, lines_[at : at + 2])
    html = brief_html(api.load(wide_brief.parent / "wide.md"), options())
    assert '<span class="ref">ABC-2025-000123-XYZ</span>' in html
    assert "ABC-2025-000123-XYZ" in text.replace("\n", "").replace(" ", "")


# -- PDF: nothing beyond the printable area ------------------------------------------------


def test_wide_tables_urls_and_code_stay_inside_the_margins(wide_brief: Path) -> None:
    x1, width, margin = rightmost_glyph(wide_brief)
    assert x1 <= margin + 0.5, (x1, margin, width)
    text = pdf_text(wide_brief)
    # Short columns keep their words whole: the year, the amount, the header "Montant".
    for word in ("Montant", "Échéance", "Kazakhstan", "2027", "1 250,5", "Négociation"):
        assert word in text.replace("\u202f", " ").replace("\u00a0", " ")


@pytest.mark.slow
def test_commonmark_spec_stays_inside_the_page(tmp_path: Path) -> None:
    """All 655 spec examples in one brief: no glyph past the right margin."""
    base = api.load(ARTICLE)
    sections = []
    for example in examples():
        parsed = parse_body(example.markdown, Path("spec.md"))
        title = (Text(f"Example {example.number}"),)
        sections.append(Section(1, title, parsed.blocks, f"ex-{example.number}"))
    doc = apply(Document(base.path, base.meta, tuple(sections), lang="en"))
    (out,) = render_pdf(doc, options(), tmp_path)
    x1, width, margin = rightmost_glyph(out)
    assert x1 <= margin + 0.5, (x1, margin, width)


# -- PDF: tables and headings --------------------------------------------------------------


def test_header_cells_follow_their_columns_alignment(wide_brief: Path) -> None:
    """The header "Exportations" of a right-aligned column ends where its figures end."""
    with pdfplumber.open(wide_brief) as document:
        page = document.pages[0]
        words = page.extract_words()
    header = next(w for w in words if w["text"] == "Exportations")
    figures = [w for w in words if w["text"] in ("350", "500") and w["top"] > header["top"]]
    assert figures
    assert all(abs(float(w["x1"]) - float(header["x1"])) < 1.0 for w in figures)


def test_short_tables_are_kept_on_one_page(tmp_path: Path) -> None:
    filler = "\n\n".join(
        "Un paragraphe de remplissage qui occupe la page avec des phrases ordinaires. " * 6
        for _ in range(7)
    )
    table = "| Pays | Visites |\n|:--|--:|\n" + "".join(f"| Pays {i} | {i} |\n" for i in range(5))
    source = tmp_path / "t.md"
    source.write_text(MINIMAL_FRONT + filler + "\n\n" + table, encoding="utf-8")
    (out,) = render_pdf(api.load(source), options(), tmp_path)
    pages = pdf_text(out).split("\f")
    assert len([p for p in pages if p.strip()]) >= 2  # the filler pushes the table near a break
    holding = [i for i, page in enumerate(pages) if "Pays" in page or "Visites" in page]
    assert len(holding) == 1, holding


def test_wrapped_heading_lines_start_at_the_same_x(seed_briefs: dict[str, Path]) -> None:
    """Section 3's title wraps: its second line starts under its first word."""
    with pdfplumber.open(seed_briefs["fr"]) as document:
        for page in document.pages:
            heading = [c for c in page.chars if round(float(c["size"]), 1) == 12.5]
            rows: dict[int, list[float]] = defaultdict(list)
            for char in heading:
                if char["text"].strip():
                    rows[round(float(char["top"]))].append(float(char["x0"]))
            starts = {top: min(xs) for top, xs in rows.items()}
            words = page.extract_words(extra_attrs=["size"])
            for top in starts:
                first = [
                    w
                    for w in words
                    if round(float(w["top"])) == top and round(float(w["size"]), 1) == 12.5
                ]
                first.sort(key=lambda w: float(w["x0"]))
                if first and first[0]["text"] == "3":
                    second_line = min(t for t in starts if t > top)
                    assert abs(starts[second_line] - float(first[1]["x0"])) < 0.5
                    return
    raise AssertionError("section 3's heading not found")


# -- shared: column widths -----------------------------------------------------------------


def test_column_fractions_give_short_columns_their_words(tmp_path: Path) -> None:
    source = tmp_path / "a.md"
    source.write_text(MINIMAL_FRONT + WIDE_TABLES, encoding="utf-8")
    table = next(n for n, _ in iter_nodes(api.load(source).body) if isinstance(n, Table))
    shares = column_fractions(table, 92.0)
    assert abs(sum(shares) - 1) < 1e-9
    assert len(set(round(s, 3) for s in shares)) > 3  # unequal
    # "2027" (Échéance) gets less than "Instrumentalisation".
    assert shares[2] < shares[0]


# -- Word ----------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

NOTES_AND_LISTS = """\

## Notes et listes

Une première référence[^a] et une seconde référence à la même note[^a].

1.  ```
    code au début de l’item
    ```
2.  > Une citation au début de l’item.
3.  Un item ordinaire.
4.  - Une liste au début de l’item.
    - Son second item.
5.  Un dernier item.

- - Une puce dans une puce.

> ## Un titre dans une citation
>
> Le texte de la citation.

[^a]: La note partagée.
"""


def document_xml(docx: Path) -> etree._Element:
    with zipfile.ZipFile(docx) as package:
        return etree.fromstring(package.read("word/document.xml"))


def texts(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


@pytest.fixture(scope="module")
def wide_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wide-report")
    source = folder / "wide.md"
    source.write_text(MINIMAL_FRONT + WIDE_TABLES + NOTES_AND_LISTS, encoding="utf-8")
    return render_report(api.load(source), options(), folder)[0]


def test_word_columns_are_as_wide_as_their_content(wide_report: Path) -> None:
    tables = document_xml(wide_report).findall(f".//{W}tbl")
    widths = [[int(c.get(f"{W}w")) for c in t.iter(f"{W}gridCol")] for t in tables[:2]]
    eight, three = widths
    assert len(eight) == 8 and len(set(eight)) > 3, eight
    # The year column is narrower than the instrument's; short words fit whole: at least
    # ~98 twips per 8 pt character of "Montant" and "Échéance" plus the cell margins: the
    # short columns keep their words whole, the long ones share what is left.
    assert eight[2] < eight[0]
    assert eight[1] >= 7 * 98 + 226 and eight[2] >= 8 * 98 + 226
    # A three-column table of figures is narrower than the page, not stretched.
    assert sum(three) < sum(eight) * 0.6
    layouts = {e.get(f"{W}type") for e in document_xml(wide_report).iter(f"{W}tblLayout")}
    assert "autofit" in layouts


def test_word_contents_has_no_leaders_to_empty_page_numbers(wide_report: Path) -> None:
    body = document_xml(wide_report)
    instructions = " ".join(t.text or "" for t in body.iter(f"{W}instrText"))
    assert "TOC " in instructions and "PAGEREF" not in instructions
    toc = [p for p in body.iter(f"{W}p") if _style(p).startswith("TOC")]
    assert toc and not [tab for p in toc for tab in p.iterfind(f".//{W}r/{W}tab")]


def test_word_article_without_headings_has_no_contents_page(tmp_path: Path) -> None:
    source = tmp_path / "a.md"
    source.write_text(MINIMAL_FRONT + "Un seul paragraphe.\n", encoding="utf-8")
    (docx,) = render_report(api.load(source), options(), tmp_path)
    body = document_xml(docx)
    assert not [p for p in body.iter(f"{W}p") if _style(p).startswith("TOC")]
    assert "TOC" not in " ".join(t.text or "" for t in body.iter(f"{W}instrText"))
    assert "Un seul paragraphe." in texts(body)


def test_word_second_reference_to_a_note_links_to_it(wide_report: Path) -> None:
    body = document_xml(wide_report)
    refs = body.findall(f".//{W}footnoteReference")
    assert len(refs) == 1
    marks = {b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")}
    instructions = [t.text or "" for t in body.iter(f"{W}instrText")]
    noteref = [i.split()[1] for i in instructions if i.strip().startswith("NOTEREF")]
    assert noteref and noteref[0] in marks


def test_word_list_items_opening_with_a_block_have_no_empty_numbered_line(
    wide_report: Path,
) -> None:
    numbered = [
        p for p in document_xml(wide_report).iter(f"{W}p") if p.find(f".//{W}numPr") is not None
    ]
    assert numbered
    assert [texts(p) for p in numbered if not texts(p).strip()] == []
    assert any("code au début" in texts(p) for p in numbered)
    assert any("Une citation au début" in texts(p) for p in numbered)
    # An item opening with a nested list: the nested list's first item carries the
    # enclosing number (so "5." stays 5.) and its own marker as text before its words.
    ordinary, nested, second, last = (
        next(p for p in numbered if words in texts(p))
        for words in ("Un item ordinaire", "Une liste au début", "Son second", "Un dernier")
    )
    assert _num(nested) == _num(ordinary) == _num(last)
    assert _num(second)[0] != _num(ordinary)[0] and _num(second)[1] == _num(ordinary)[1] + 1
    assert texts(nested).startswith("\u2013") or texts(nested).startswith("\u2022")
    assert nested.find(f".//{W}r/{W}tab") is not None
    (bullet,) = [p for p in numbered if "Une puce dans une puce" in texts(p)]
    assert _num(bullet)[1] == 0 and texts(bullet).startswith("\u2013")


def _num(p: etree._Element) -> tuple[str, int]:
    """A list paragraph's list (``numId``) and level."""
    num = p.find(f"{W}pPr/{W}numPr")
    assert num is not None
    return str(num.find(f"{W}numId").get(f"{W}val")), int(num.find(f"{W}ilvl").get(f"{W}val"))


def test_word_heading_in_a_quote_is_a_styled_title(wide_report: Path) -> None:
    body = document_xml(wide_report)
    (title,) = [p for p in body.iter(f"{W}p") if texts(p) == "Un titre dans une citation"]
    runs = list(title.iter(f"{W}r"))
    assert all(r.find(f"{W}rPr/{W}b") is not None for r in runs)
    assert all(int(r.find(f"{W}rPr/{W}sz").get(f"{W}val")) >= 24 for r in runs)
    assert title.find(f"{W}pPr/{W}keepNext") is not None


def test_word_introduction_is_its_own_section(tmp_path: Path) -> None:
    (docx,) = render_report(api.load(ARTICLE), options(), tmp_path)
    document = docx_reader.Document(str(docx))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name == "Heading 1"]
    names = [text for _, text in headings]
    assert names.index("Introduction") == names.index("Points clés") + 1
    assert names[names.index("Introduction") + 1].startswith("1")


def _style(p: etree._Element) -> str:
    style = p.find(f"{W}pPr/{W}pStyle")
    return "" if style is None else str(style.get(f"{W}val"))
