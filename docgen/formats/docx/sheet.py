"""The summary sheet as an editable Word file: the same rows as the PDF, in a two-column
table, each cell tagged with its language so Word spell-checks each column correctly.

It borrows its styles from the report's ``reference.docx``, so an organization's Word look
applies to the sheet as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ...editions.sheet import Row, SheetEdition
from ...errors import Location, Problem
from ...options import RenderOptions
from ...theme import Theme
from .images import ImageRefused, add_picture
from .package import emptied_reference, marking_line, set_properties
from .styles import set_language, word_language


@dataclass(frozen=True)
class _Palette:
    """The theme's colours as Word colours."""

    primary: RGBColor
    accent: RGBColor
    muted: RGBColor
    marking: RGBColor
    panel: str
    heading_font: str

    @classmethod
    def of(cls, theme: Theme) -> _Palette:
        return cls(
            RGBColor.from_string(theme.hex("primary")),
            RGBColor.from_string(theme.hex("accent")),
            RGBColor.from_string(theme.hex("muted")),
            RGBColor.from_string(theme.hex("marking")),
            theme.hex("panel"),
            theme.word_heading_font,
        )


def _set_lang(run: Any, lang: str) -> None:
    set_language(run._r.get_or_add_rPr(), word_language(lang), run=True)


def _shade(cell: Any, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _bold_run(para: Any, text: str, size: float, font: str, color: RGBColor) -> Any:
    """A bold run in the heading font: labels, numbers, dates and the marking."""
    run = para.add_run(text)
    run.bold = True
    run.font.size = Pt(size)
    run.font.name = font
    run.font.color.rgb = color
    return run


def _label_row(
    table: Any, texts: tuple[str, ...], langs: tuple[str, str], color: RGBColor, font: str
) -> None:
    """A row of small capitals above a group of rows: "RÉSUMÉ | SUMMARY"."""
    for cell, text, lang in zip(table.add_row().cells, texts, langs, strict=True):
        para = cell.paragraphs[0]
        para.paragraph_format.space_before = Pt(4)
        para.paragraph_format.space_after = Pt(1)
        _set_lang(_bold_run(para, text.upper(), 7.5, font, color), lang)


LOGO_WIDTH = Mm(30)
"""Widest the theme's logo is drawn on the sheet: it must leave the page to the rows."""

_SANS_ROWS = ("title", "subtitle", "author", "field", "date", "contact")
"""Rows set in the heading font, as in the PDF sheet."""


_SIZES = {
    "title": 14.0,
    "subtitle": 10.0,
    "timeline": 8.0,
    "author": 8.0,
    "field": 8.0,
    "date": 8.0,
}
"""Point sizes by row kind; the rest is 8.5 pt, so the sheet stays on one page in Word too."""


def _content_row(table: Any, row: Row, number: int, palette: _Palette) -> None:
    for cell, content in zip(table.add_row().cells, row.cells, strict=True):
        para = cell.paragraphs[0]
        para.paragraph_format.space_after = Pt(2)
        para.paragraph_format.space_before = Pt(0)
        para.paragraph_format.line_spacing = 1.0
        lead_text = f"{number}  " if row.kind == "key-point" else ""
        if content.lead:
            lead_text = content.lead + "  "
        if lead_text:
            lead = _bold_run(para, lead_text, 8, palette.heading_font, palette.accent)
            _set_lang(lead, content.lang)
        run = para.add_run(content.text)
        _set_lang(run, content.lang)
        run.font.size = Pt(_SIZES.get(row.kind, 8.5))
        if row.kind in _SANS_ROWS:
            run.font.name = palette.heading_font
        if row.kind == "title":
            run.bold = True
            run.font.color.rgb = palette.primary
        if row.kind in ("subtitle", "date", "contact"):
            run.font.color.rgb = palette.muted
        if content.missing:
            run.italic = True
            run.font.color.rgb = palette.marking
        if row.kind == "summary":
            _shade(cell, palette.panel)


def _marking(section: Any, edition: SheetEdition, palette: _Palette) -> None:
    """The classification in both languages at the top and bottom of the page, as in the
    PDF sheet; "PROJET / DRAFT" beside it for a draft."""
    text = marking_line(edition.marking, edition.draft, edition.draft_label)
    section.different_first_page_header_footer = False
    for story in (section.header, section.footer):
        story.is_linked_to_previous = False
        para = story.paragraphs[0] if story.paragraphs else story.add_paragraph()
        for extra in story.paragraphs[1:]:
            extra._p.getparent().remove(extra._p)
        para.text = ""
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if text:
            _bold_run(para, text, 7.5, palette.heading_font, palette.marking)


def _logo(document: Any, edition: SheetEdition, options: RenderOptions) -> list[Problem]:
    """The theme's logo above the table, at the end of the line, small as in the PDF."""
    logo = options.theme.logo
    if logo is None:
        return []
    para = document.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    para.paragraph_format.space_after = Pt(2)
    alt = options.theme.organization or edition.doc.meta.author.name
    try:
        add_picture(para.add_run()._r, para, logo, alt=alt, title="", max_width=LOGO_WIDTH)
    except ImageRefused as exc:
        para._p.getparent().remove(para._p)
        return [Problem(Location(logo), f"{exc}; the logo is left out", "warning")]
    return []


def sheet_document(edition: SheetEdition, options: RenderOptions) -> tuple[Any, list[Problem]]:
    """The sheet as a two-column Word table on the reference document's styles, and the
    warnings (a logo left out)."""
    document = emptied_reference(options)
    palette = _Palette.of(options.theme)
    section = document.sections[0]
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    langs = edition.langs
    _marking(section, edition, palette)
    warnings = _logo(document, edition, options)
    table = document.add_table(rows=0, cols=2)
    table.autofit = False
    _label_row(table, edition.kinds, langs, palette.accent, palette.heading_font)
    number = 0
    for row in edition.rows:
        if row.label:
            _label_row(table, row.label, langs, palette.primary, palette.heading_font)
        if row.kind == "key-point":
            number += 1
        _content_row(table, row, number, palette)
    width = int(section.page_width or 0) - int(section.left_margin or 0)
    width -= int(section.right_margin or 0)
    for column in table.columns:
        for cell in column.cells:
            cell.width = width // 2
    set_properties(document, edition.properties)
    return document, warnings
