"""The summary sheet as an editable Word file: the same rows as the PDF, in a two-column
table, each cell tagged with its language so Word spell-checks each column correctly.

It borrows its styles from the report's ``reference.docx``, so an organization's Word look
applies to the sheet as well.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .. import templates
from ..bilingual import Row, marking
from ..labels import label
from ..model import Document
from ..options import RenderOptions
from ..theme import Theme
from .docx import open_reference
from .docx_styles import word_language
from .docx_theme import apply_theme

REFERENCE = "report/reference.docx"


@dataclass(frozen=True)
class _Palette:
    """The theme's colours as Word colours."""

    primary: RGBColor
    muted: RGBColor
    marking: RGBColor
    panel: str

    @classmethod
    def of(cls, theme: Theme) -> _Palette:
        return cls(
            RGBColor.from_string(theme.hex("primary")),
            RGBColor.from_string(theme.hex("muted")),
            RGBColor.from_string(theme.hex("marking")),
            theme.hex("panel"),
        )


def _set_lang(run: Any, lang: str) -> None:
    rpr = run._r.get_or_add_rPr()
    element = rpr.find(qn("w:lang"))
    if element is None:
        element = OxmlElement("w:lang")
        rpr.append(element)
    element.set(qn("w:val"), word_language(lang))


def _open_reference(options: RenderOptions) -> Any:
    """The report's reference document, emptied, in the project's theme."""
    document = open_reference(templates.resolve(options.project, REFERENCE))
    apply_theme([document.styles.element], options.theme)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


def _shade(cell: Any, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _label_row(table: Any, row: Row, langs: tuple[str, str], palette: _Palette) -> None:
    for cell, text, lang in zip(table.add_row().cells, row.label, langs, strict=True):
        para = cell.paragraphs[0]
        para.paragraph_format.space_before = Pt(4)
        para.paragraph_format.space_after = Pt(1)
        run = para.add_run(text.upper())
        run.bold = True
        run.font.size = Pt(8)
        run.font.color.rgb = palette.primary
        _set_lang(run, lang)


_SIZES = {"title": 14.0, "subtitle": 10.0, "timeline": 8.0, "author": 8.0, "date": 8.0}
"""Point sizes by row kind; the rest is 8.5 pt, so the sheet stays on one page in Word too."""


def _content_row(table: Any, row: Row, number: int, palette: _Palette) -> None:
    for cell, content in zip(table.add_row().cells, row.cells, strict=True):
        para = cell.paragraphs[0]
        para.paragraph_format.space_after = Pt(2)
        para.paragraph_format.space_before = Pt(0)
        para.paragraph_format.line_spacing = 1.0
        if content.lead:
            lead = para.add_run(content.lead + " — ")
            lead.bold = True
            lead.font.size = Pt(8.5)
            _set_lang(lead, content.lang)
        prefix = f"{number}. " if row.kind == "key-point" else ""
        run = para.add_run(prefix + content.text)
        _set_lang(run, content.lang)
        run.font.size = Pt(_SIZES.get(row.kind, 8.5))
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


def _set_properties(document: Any, doc: Document, langs: tuple[str, str]) -> None:
    """Core properties from the source, dates included (not the clock): rebuilding an
    unchanged article gives the same metadata."""
    props = document.core_properties
    props.title = " / ".join(doc.meta.title.text(lang, doc.source_lang) for lang in langs)
    props.author = doc.meta.author.name
    props.keywords = ", ".join(doc.meta.keywords)
    props.language = word_language(langs[0])
    created = dt.datetime.combine(doc.meta.date, dt.time(0, 0), tzinfo=dt.UTC)
    props.created = created
    props.modified = created
    props.last_modified_by = doc.meta.author.name


def write_sheet_docx(
    doc: Document, rows: list[Row], langs: tuple[str, str], options: RenderOptions, target: Path
) -> None:
    document = _open_reference(options)
    palette = _Palette.of(options.theme)
    section = document.sections[0]
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))

    head = document.add_paragraph()
    mark = marking(doc, langs)
    if mark:
        run = head.add_run(mark)
        run.bold = True
        run.font.size = Pt(8)
        run.font.color.rgb = palette.marking
    if options.draft:
        stamp = head.add_run("   " + " / ".join(label("draft", lang) for lang in langs))
        stamp.bold = True
        stamp.font.color.rgb = palette.marking

    table = document.add_table(rows=0, cols=2)
    table.autofit = False
    number = 0
    for row in rows:
        if row.label:
            _label_row(table, row, langs, palette)
        if row.kind == "key-point":
            number += 1
        _content_row(table, row, number, palette)
    width = section.page_width - section.left_margin - section.right_margin
    for column in table.columns:
        for cell in column.cells:
            cell.width = width // 2
    _set_properties(document, doc, langs)
    document.save(str(target))
