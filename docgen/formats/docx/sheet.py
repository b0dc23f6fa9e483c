"""The summary sheet as an editable Word file: the same rows as the PDF, in a two-column
table, each cell tagged with its language so Word spell-checks each column correctly.

Like the report, it is written in named styles only — the Sheet styles of the report's
``reference.docx`` (``SHEET_STYLES``), recoloured by the theme — so an organization's Word
look applies to the sheet as well, and an editor restyles it in Word. Only the columns'
languages and the summary cell's shading are set on the text itself.
"""

from __future__ import annotations

from typing import Any, cast

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from ...editions.sheet import Row, SheetEdition
from ...errors import Location, Problem
from ...options import RenderOptions
from ...project import builtin_templates_dir
from .elements import Element
from .images import ImageRefused, add_picture
from .package import (
    REFERENCE,
    emptied_reference,
    marking_line,
    open_reference,
    reference_path,
    set_properties,
)
from .styles import StyleMap, add_missing_styles, set_language, word_language
from .theme import apply_theme

SHEET_STYLES: tuple[tuple[str, str], ...] = (
    ("Sheet Text", "paragraph"),
    ("Sheet Label", "paragraph"),
    ("Sheet Kicker", "paragraph"),
    ("Sheet Title", "paragraph"),
    ("Sheet Subtitle", "paragraph"),
    ("Sheet Meta", "paragraph"),
    ("Sheet Date", "paragraph"),
    ("Sheet Summary", "paragraph"),
    ("Sheet Key Point", "paragraph"),
    ("Sheet Timeline", "paragraph"),
    ("Sheet Contact", "paragraph"),
    ("Sheet Marking", "paragraph"),
    ("Sheet Logo", "paragraph"),
    ("Sheet Lead", "character"),
    ("Sheet Missing", "character"),
)
"""Every style the sheet uses, as (name, type), in base-first order. A reference document
lacking some gets the built-in definitions of those, with a warning (docs/report.md)."""

_ROW_STYLES = {
    "title": "Sheet Title",
    "subtitle": "Sheet Subtitle",
    "author": "Sheet Meta",
    "field": "Sheet Meta",
    "date": "Sheet Date",
    "summary": "Sheet Summary",
    "key-point": "Sheet Key Point",
    "timeline": "Sheet Timeline",
    "contact": "Sheet Contact",
}
"""The paragraph style of each row kind; a kind not listed is Sheet Text."""


def _set_lang(run: Any, lang: str) -> None:
    set_language(run._r.get_or_add_rPr(), word_language(lang), run=True)


def _shade(cell: Any, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _styled_run(para: Any, text: str, lang: str, style_id: str = "") -> Any:
    """A run of ``text`` tagged with its language (the column's), in a character style."""
    run = para.add_run(text)
    if style_id:
        run._r.style = style_id
    _set_lang(run, lang)
    return run


def _label_row(table: Any, texts: tuple[str, ...], langs: tuple[str, str], style_id: str) -> None:
    """A row of small capitals above a group of rows: "RÉSUMÉ | SUMMARY"."""
    for cell, text, lang in zip(table.add_row().cells, texts, langs, strict=True):
        para = cell.paragraphs[0]
        para._p.style = style_id
        _styled_run(para, text.upper(), lang)


LOGO_WIDTH = Mm(30)
"""Widest the theme's logo is drawn on the sheet: it must leave the page to the rows."""


def _content_row(table: Any, row: Row, number: int, styles: StyleMap, panel: str) -> None:
    style_id = styles.id(_ROW_STYLES.get(row.kind, "Sheet Text"))
    for cell, content in zip(table.add_row().cells, row.cells, strict=True):
        para = cell.paragraphs[0]
        para._p.style = style_id
        lead_text = f"{number}  " if row.kind == "key-point" else ""
        if content.lead:
            lead_text = content.lead + "  "
        if lead_text:
            _styled_run(para, lead_text, content.lang, styles.id("Sheet Lead"))
        missing = styles.id("Sheet Missing") if content.missing else ""
        _styled_run(para, content.text, content.lang, missing)
        if row.kind == "summary":
            _shade(cell, panel)


def _marking(section: Any, edition: SheetEdition, style_id: str) -> None:
    """The classification in both languages at the top and bottom of the page, as in the
    PDF sheet; "PROJET / DRAFT" beside it for a draft."""
    text = marking_line(edition.marking, edition.draft, edition.draft_label)
    section.different_first_page_header_footer = False
    for story in (section.header, section.footer):
        story.is_linked_to_previous = False
        para = story.paragraphs[0] if story.paragraphs else story.add_paragraph()
        for extra in story.paragraphs[1:]:
            extra._p.getparent().remove(extra._p)
        para.text = text
        para._p.style = style_id
        para.alignment = None  # the style centres it


def _logo(
    document: Any, edition: SheetEdition, options: RenderOptions, style_id: str
) -> list[Problem]:
    """The theme's logo above the table, at the end of the line, small as in the PDF."""
    logo = options.theme.logo
    if logo is None:
        return []
    para = document.add_paragraph()
    para._p.style = style_id
    alt = options.theme.organization or edition.doc.meta.author.name
    try:
        add_picture(para.add_run()._r, para, logo, alt=alt, title="", max_width=LOGO_WIDTH)
    except ImageRefused as exc:
        para._p.getparent().remove(para._p)
        return [Problem(Location(logo), f"{exc}; the logo is left out", "warning")]
    return []


def sheet_styles(document: Any, options: RenderOptions) -> tuple[StyleMap, list[Problem]]:
    """The sheet's styles in the (themed) reference document. Those it lacks — a project's
    reference made before the sheet had styles — are copied from the built-in reference,
    in the theme's colours and fonts, and named in a warning located at the reference."""
    root = cast(Element, document.styles.element)
    reference = reference_path(options)
    builtin = (builtin_templates_dir() / REFERENCE).resolve()
    warnings: list[Problem] = []
    if reference != builtin:
        fallback = cast(Element, open_reference(builtin).styles.element)
        copies = add_missing_styles(root, SHEET_STYLES, fallback)
        if copies:
            apply_theme(copies, options.theme)
            names = ", ".join(repr(_style_name(style)) for style in copies)
            message = (
                f"{reference.name} lacks the sheet's style(s) {names}: the built-in ones are"
                " used (add them to restyle the sheet; see docs/report.md)"
            )
            warnings.append(Problem(Location(reference), message, "warning"))
    return StyleMap(root, SHEET_STYLES, reference), warnings


def _style_name(style: Element) -> str:
    name = style.find(qn("w:name"))
    return name.get(qn("w:val"), "") if name is not None else ""


def sheet_document(edition: SheetEdition, options: RenderOptions) -> tuple[Any, list[Problem]]:
    """The sheet as a two-column Word table in the reference document's Sheet styles, and
    the warnings (sheet styles taken from the built-in reference, a logo left out). Only
    the column's language and the summary's shading are direct formatting."""
    document = emptied_reference(options)
    styles, warnings = sheet_styles(document, options)
    section = document.sections[0]
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    langs = edition.langs
    _marking(section, edition, styles.id("Sheet Marking"))
    warnings += _logo(document, edition, options, styles.id("Sheet Logo"))
    table = document.add_table(rows=0, cols=2)
    table.autofit = False
    _label_row(table, edition.kinds, langs, styles.id("Sheet Kicker"))
    number = 0
    panel = options.theme.hex("panel")
    for row in edition.rows:
        if row.label:
            _label_row(table, row.label, langs, styles.id("Sheet Label"))
        if row.kind == "key-point":
            number += 1
        _content_row(table, row, number, styles, panel)
    width = int(section.page_width or 0) - int(section.left_margin or 0)
    width -= int(section.right_margin or 0)
    for column in table.columns:
        for cell in column.cells:
            cell.width = width // 2
    set_properties(document, edition.properties)
    return document, warnings
