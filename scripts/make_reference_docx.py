"""Build templates/report/reference.docx, the look of the Word report and the Word sheet.

Run ``.venv/bin/python scripts/make_reference_docx.py`` after changing a style here; editors
who prefer Word or LibreOffice can instead restyle the generated file and save it (see
docs/report.md). It starts from python-docx's default template, sets A4 pages with 2.2 cm
margins, and (re)defines every style the renderers require (``REQUIRED_STYLES`` in
docgen/formats/docx/report.py, ``SHEET_STYLES`` in docgen/formats/docx/sheet.py) in the PDF
brief's palette: navy headings in Noto Sans, body in Noto Serif, monospace in DejaVu Sans
Mono (fonts shipped in templates/fonts/; the font table names generic families so Word
substitutes a serif, a sans or a fixed font when missing).
The body holds a specimen of each style, which the renderer discards.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.formats.docx.notes import footnotes_part  # noqa: E402
from docgen.formats.docx.report import REQUIRED_STYLES  # noqa: E402
from docgen.formats.docx.sheet import SHEET_STYLES  # noqa: E402

TARGET = ROOT / "templates" / "report" / "reference.docx"

INK, NAVY, ACCENT, MARKING = "1D1D1F", "14284B", "A07C2C", "8B1A1A"
MUTED, PANEL, RULE = "5A6270", "F2F4F8", "C9CED8"
SERIF, SANS, MONO = "Noto Serif", "Noto Sans", "DejaVu Sans Mono"
TEXT_WIDTH = 9412
"""A4 width minus two 2.2 cm margins, in twips: where right tab stops go."""

FONTS = {SERIF: ("roman", "variable"), SANS: ("swiss", "variable"), MONO: ("modern", "fixed")}


def fonts(name: str) -> str:
    return f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}"/>'


def line(side: str, color: str, eighths: int, space: int) -> str:
    return f'<w:{side} w:val="single" w:sz="{eighths}" w:space="{space}" w:color="{color}"/>'


def spacing(before: int = 0, after: int = 0, line_: int | None = None) -> str:
    rule = f' w:line="{line_}" w:lineRule="auto"' if line_ else ""
    return f'<w:spacing w:before="{before}" w:after="{after}"{rule}/>'


def size(half_points: int) -> str:
    return f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'


def color(value: str) -> str:
    return f'<w:color w:val="{value}"/>'


# Each style: (type, id, name as stored, based on, next, pPr inner XML, rPr inner XML, extra).
# Built-in names are stored as Word stores them ("heading 1", "toc 1", "footnote text") so
# that Word recognizes its own styles; the renderer matches names case-insensitively.
STYLES: list[tuple[str, str, str, str, str, str, str, str]] = [
    ("paragraph", "Normal", "Normal", "", "", "<w:widowControl/>", "", ""),
    (
        "paragraph", "BodyText", "Body Text", "Normal", "BodyText",
        spacing(0, 140, 276) + '<w:jc w:val="both"/>', "", "",
    ),
    (
        "paragraph", "Classification", "Classification", "Normal", "Kicker",
        spacing(0, 0) + '<w:jc w:val="center"/>',
        fonts(SANS) + '<w:b/><w:caps/>' + color(MARKING) + '<w:spacing w:val="30"/>' + size(18),
        "",
    ),
    (
        "paragraph", "Kicker", "Kicker", "Normal", "Title",
        "<w:keepNext/><w:pBdr>" + line("top", NAVY, 24, 14) + "</w:pBdr>" + spacing(3400, 240),
        fonts(SANS) + "<w:b/><w:caps/>" + color(ACCENT) + '<w:spacing w:val="30"/>' + size(18),
        "",
    ),
    (
        "paragraph", "Title", "Title", "Normal", "Subtitle",
        "<w:keepNext/>" + spacing(0, 280, 235),
        fonts(SANS) + "<w:b/><w:bCs/>" + color(NAVY) + '<w:kern w:val="28"/>' + size(52),
        "",
    ),
    (
        "paragraph", "Subtitle", "Subtitle", "Normal", "Author",
        "<w:keepNext/>" + spacing(0, 720, 259),
        fonts(SANS) + color(MUTED) + size(28),
        "",
    ),
    (
        "paragraph", "Author", "Author", "Normal", "Affiliation",
        "<w:keepNext/><w:pBdr>" + line("top", RULE, 4, 8) + "</w:pBdr>" + spacing(0, 40),
        fonts(SANS) + "<w:b/>" + color(NAVY) + size(22),
        "",
    ),
    (
        "paragraph", "Affiliation", "Affiliation", "Normal", "Date",
        "<w:keepNext/>" + spacing(0, 20),
        fonts(SANS) + color(MUTED) + size(20),
        "",
    ),
    (
        "paragraph", "Date", "Date", "Normal", "BodyText",
        spacing(120, 0),
        fonts(SANS) + color(MUTED) + size(20),
        "",
    ),
    (
        "paragraph", "TOCHeading", "TOC Heading", "Normal", "Normal",
        "<w:keepNext/>" + spacing(0, 360) + '<w:outlineLvl w:val="9"/>',
        fonts(SANS) + "<w:b/>" + color(NAVY) + size(32),
        "",
    ),
    (
        "paragraph", "TOC1", "toc 1", "Normal", "Normal",
        f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs>'
        + spacing(120, 60),
        fonts(SANS) + color(INK) + size(20),
        "",
    ),
    (
        "paragraph", "TOC2", "toc 2", "Normal", "Normal",
        f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs>'
        + spacing(0, 40) + '<w:ind w:left="400"/>',
        fonts(SANS) + size(20),
        "",
    ),
    (
        "paragraph", "TOC3", "toc 3", "Normal", "Normal",
        f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs>'
        + spacing(0, 40) + '<w:ind w:left="800"/>',
        fonts(SANS) + color(MUTED) + size(19),
        "",
    ),
    (
        "paragraph", "Heading1", "heading 1", "Normal", "BodyText",
        "<w:keepNext/><w:keepLines/><w:pBdr>" + line("bottom", RULE, 4, 3) + "</w:pBdr>"
        + spacing(440, 160, 240) + '<w:outlineLvl w:val="0"/>',
        fonts(SANS) + "<w:b/><w:bCs/>" + color(NAVY) + size(28),
        "",
    ),
    (
        "paragraph", "Heading2", "heading 2", "Normal", "BodyText",
        "<w:keepNext/><w:keepLines/>" + spacing(320, 100, 240) + '<w:outlineLvl w:val="1"/>',
        fonts(SANS) + "<w:b/><w:bCs/>" + color(NAVY) + size(24),
        "",
    ),
    (
        "paragraph", "Heading3", "heading 3", "Normal", "BodyText",
        "<w:keepNext/><w:keepLines/>" + spacing(240, 80, 240) + '<w:outlineLvl w:val="2"/>',
        fonts(SANS) + "<w:b/><w:bCs/>" + color(NAVY) + size(22),
        "",
    ),
    (
        "paragraph", "Heading4", "heading 4", "Normal", "BodyText",
        "<w:keepNext/><w:keepLines/>" + spacing(200, 60, 240) + '<w:outlineLvl w:val="3"/>',
        fonts(SANS) + "<w:b/><w:i/>" + color(NAVY) + size(21),
        "",
    ),
    (
        "paragraph", "Abstract", "Abstract", "BodyText", "BodyText",
        "<w:pBdr>" + line("left", NAVY, 18, 10) + "</w:pBdr>"
        + f'<w:shd w:val="clear" w:color="auto" w:fill="{PANEL}"/>'
        + spacing(0, 240, 276) + '<w:ind w:left="227" w:right="113"/>',
        size(20),
        "",
    ),
    (
        "paragraph", "KeyPoint", "Key Point", "BodyText", "KeyPoint",
        "{numPr}" + spacing(0, 100, 264) + '<w:ind w:left="425" w:hanging="425"/>',
        size(20),
        "",
    ),
    (
        "paragraph", "ListParagraph", "List Paragraph", "BodyText", "ListParagraph",
        spacing(0, 60, 276) + '<w:ind w:left="360"/><w:contextualSpacing/>',
        "",
        "",
    ),
    (
        "paragraph", "Quote", "Quote", "BodyText", "BodyText",
        "<w:pBdr>" + line("left", ACCENT, 12, 10) + "</w:pBdr>" + spacing(60, 160, 276)
        + '<w:ind w:left="567" w:right="567"/><w:jc w:val="left"/>',
        "<w:i/><w:iCs/>" + color("33373D"),
        "",
    ),
    (
        "paragraph", "Code", "Code", "Normal", "BodyText",
        "<w:pBdr>" + "".join(line(s, PANEL, 4, 4) for s in ("top", "left", "bottom", "right"))
        + f'</w:pBdr><w:shd w:val="clear" w:color="auto" w:fill="{PANEL}"/>'
        + "<w:suppressAutoHyphens/>" + spacing(60, 200, 240)
        + '<w:ind w:left="113" w:right="113"/><w:jc w:val="left"/>',
        fonts(MONO) + "<w:noProof/>" + size(17),
        "",
    ),
    (
        "paragraph", "Figure", "Figure", "Normal", "Caption",
        "<w:keepNext/>" + spacing(160, 80) + '<w:jc w:val="center"/>',
        "",
        "",
    ),
    (
        "paragraph", "Caption", "caption", "Normal", "BodyText",
        spacing(0, 240) + '<w:jc w:val="center"/>',
        fonts(SANS) + color(MUTED) + size(17),
        "",
    ),
    (
        "paragraph", "TableText", "Table Text", "Normal", "TableText",
        spacing(0, 0, 252),
        size(18),
        "",
    ),
    (
        "paragraph", "FootnoteText", "footnote text", "Normal", "FootnoteText",
        spacing(0, 40, 240) + '<w:jc w:val="both"/>',
        size(16),
        "",
    ),
    (
        "paragraph", "Contact", "Contact", "Normal", "Contact",
        "<w:keepNext/><w:keepLines/><w:pBdr>" + line("top", NAVY, 12, 6) + "</w:pBdr>"
        + spacing(720, 40) + "<w:contextualSpacing/>",
        fonts(SANS) + color(MUTED) + size(17),
        "",
    ),
    (
        "paragraph", "Header", "header", "Normal", "Header",
        f'<w:tabs><w:tab w:val="center" w:pos="{TEXT_WIDTH // 2}"/>'
        f'<w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs>' + spacing(0, 0, 240),
        fonts(SANS) + color(MUTED) + size(15),
        "",
    ),
    (
        "paragraph", "Footer", "footer", "Normal", "Footer",
        f'<w:tabs><w:tab w:val="center" w:pos="{TEXT_WIDTH // 2}"/>'
        f'<w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs>' + spacing(0, 0, 240),
        fonts(SANS) + color(MUTED) + size(15),
        "",
    ),
    ("character", "SectionNumber", "Section Number", "", "", "", color(ACCENT), ""),
    (
        "character", "Hyperlink", "Hyperlink", "", "", "",
        color(NAVY) + f'<w:u w:val="single" w:color="{RULE}"/>',
        "",
    ),
    (
        "character", "CodeChar", "Code Char", "", "", "",
        fonts(MONO) + "<w:noProof/>" + color("33373D") + size(18)
        + f'<w:shd w:val="clear" w:color="auto" w:fill="{PANEL}"/>',
        "",
    ),
    (
        "character", "FootnoteReference", "footnote reference", "", "", "",
        color(ACCENT) + '<w:vertAlign w:val="superscript"/>',
        "",
    ),
    (
        "character", "Marking", "Marking", "", "", "",
        fonts(SANS) + "<w:b/><w:caps/>" + color(MARKING) + '<w:spacing w:val="20"/>',
        "",
    ),
    # The bilingual sheet (summary.docx): one family on Sheet Text, small as the PDF sheet
    # so that the page holds both columns. Labels are upper-cased by the renderer.
    (
        "paragraph", "SheetText", "Sheet Text", "Normal", "SheetText",
        spacing(0, 40, 240), size(17), "",
    ),
    (
        "paragraph", "SheetTitle", "Sheet Title", "SheetText", "SheetSubtitle",
        "", fonts(SANS) + "<w:b/><w:bCs/>" + color(NAVY) + size(28), "",
    ),
    (
        "paragraph", "SheetSubtitle", "Sheet Subtitle", "SheetText", "SheetMeta",
        "", fonts(SANS) + color(MUTED) + size(20), "",
    ),
    (
        "paragraph", "SheetMeta", "Sheet Meta", "SheetText", "SheetMeta",
        "", fonts(SANS) + size(16), "",
    ),
    ("paragraph", "SheetDate", "Sheet Date", "SheetMeta", "SheetLabel", "", color(MUTED), ""),
    (
        "paragraph", "SheetLabel", "Sheet Label", "SheetText", "SheetText",
        spacing(80, 20, 271), fonts(SANS) + "<w:b/><w:bCs/>" + color(NAVY) + size(15), "",
    ),
    (
        "paragraph", "SheetKicker", "Sheet Kicker", "SheetLabel", "SheetTitle",
        "", color(ACCENT), "",
    ),
    ("paragraph", "SheetSummary", "Sheet Summary", "SheetText", "SheetLabel", "", "", ""),
    ("paragraph", "SheetKeyPoint", "Sheet Key Point", "SheetText", "SheetKeyPoint", "", "", ""),
    (
        "paragraph", "SheetTimeline", "Sheet Timeline", "SheetText", "SheetTimeline",
        "", size(16), "",
    ),
    (
        "paragraph", "SheetContact", "Sheet Contact", "SheetText", "SheetContact",
        "", fonts(SANS) + color(MUTED), "",
    ),
    (
        "paragraph", "SheetMarking", "Sheet Marking", "SheetText", "SheetMarking",
        spacing(0, 0, 240) + '<w:jc w:val="center"/>',
        fonts(SANS) + "<w:b/><w:bCs/>" + color(MARKING) + size(15), "",
    ),
    (
        "paragraph", "SheetLogo", "Sheet Logo", "SheetText", "SheetKicker",
        spacing(0, 40, 271) + '<w:jc w:val="right"/>', "", "",
    ),
    (
        "character", "SheetLead", "Sheet Lead", "", "", "",
        fonts(SANS) + "<w:b/><w:bCs/>" + color(ACCENT) + size(16), "",
    ),
    (
        "character", "SheetMissing", "Sheet Missing", "", "", "",
        "<w:i/><w:iCs/>" + color(MARKING), "",
    ),
    (
        "table", "TableDocgen", "Table docgen", "TableNormal", "", spacing(0, 0, 252), size(18),
        '<w:tblPr><w:tblBorders><w:top w:val="nil"/>'
        + line("bottom", RULE, 4, 0) + line("insideH", RULE, 4, 0)
        + '</w:tblBorders><w:tblCellMar><w:top w:w="85" w:type="dxa"/>'
        '<w:left w:w="113" w:type="dxa"/><w:bottom w:w="85" w:type="dxa"/>'
        '<w:right w:w="113" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        '<w:tblStylePr w:type="firstRow"><w:rPr>' + fonts(SANS) + "<w:b/>" + color(NAVY)
        + "</w:rPr><w:tcPr><w:tcBorders>" + line("bottom", NAVY, 12, 0)
        + "</w:tcBorders></w:tcPr></w:tblStylePr>"
        '<w:tblStylePr w:type="firstCol"><w:rPr>' + fonts(SANS) + "<w:b/>" + color(ACCENT)
        + size(17) + "</w:rPr></w:tblStylePr>",
    ),
]  # fmt: skip

BUILT_IN = {"Normal", "Body Text", "Title", "Subtitle", "TOC Heading", "List Paragraph", "Quote"}
BUILT_IN |= {"Hyperlink", "caption", "header", "footer", "footnote text", "footnote reference"}
BUILT_IN |= {f"heading {n}" for n in range(1, 10)} | {f"toc {n}" for n in range(1, 10)}

KEY_POINT_LEVEL = (
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:pStyle w:val="KeyPoint"/><w:lvlText w:val="%1"/><w:lvlJc w:val="left"/>'
    '<w:pPr><w:ind w:left="425" w:hanging="425"/></w:pPr>'
    "<w:rPr>" + fonts(SANS) + "<w:b/>" + color(ACCENT) + size(18) + "</w:rPr></w:lvl>"
)


NO_HYPHENATION = {"Classification", "Kicker", "Title", "Subtitle", "Author", "Affiliation"}
NO_HYPHENATION |= {"TOCHeading", "TOC1", "TOC2", "TOC3", "Heading1", "Heading2", "Heading3"}
NO_HYPHENATION |= {"Heading4", "Caption", "Header", "Footer", "Contact", "TableText"}
"""Titles and labels are never hyphenated (the justified body is)."""


def style_xml(entry: tuple[str, str, str, str, str, str, str, str], num_id: int) -> str:
    kind, style_id, name, based_on, next_, ppr, rpr, extra = entry
    if style_id in NO_HYPHENATION:
        ppr = ppr.replace("<w:spacing", "<w:suppressAutoHyphens/><w:spacing", 1)
    custom = "" if name in BUILT_IN else ' w:customStyle="1"'
    parts = [f'<w:style {nsdecls("w")} w:type="{kind}" w:styleId="{style_id}"{custom}>']
    parts.append(f'<w:name w:val="{name}"/>')
    if based_on:
        parts.append(f'<w:basedOn w:val="{based_on}"/>')
    if next_:
        parts.append(f'<w:next w:val="{next_}"/>')
    parts.append('<w:uiPriority w:val="9"/><w:qFormat/>')
    numbering = f'<w:numPr><w:numId w:val="{num_id}"/></w:numPr>'
    if ppr:
        parts.append(f"<w:pPr>{ppr.replace('{numPr}', numbering)}</w:pPr>")
    if rpr:
        parts.append(f"<w:rPr>{rpr}</w:rPr>")
    parts.append(extra + "</w:style>")
    return "".join(parts)


def define_styles(styles: Any, num_id: int) -> None:
    """Replace python-docx's styles of the same names (and their linked "… Char" styles)."""
    names = {entry[2].casefold() for entry in STYLES} | {entry[1] for entry in STYLES}
    for style in styles.findall(qn("w:style")):
        name_el = style.find(qn("w:name"))
        name = name_el.get(qn("w:val"), "") if name_el is not None else ""
        linked = name.casefold().removesuffix(" char")
        kind = style.get(qn("w:type"))
        keep_table = kind == "table" and name in ("Normal Table", "Table Grid")
        if (
            name.casefold() in names
            or style.get(qn("w:styleId")) in names
            or (name.endswith(" Char") and linked in names)
            or (kind == "table" and not keep_table)
        ):
            styles.remove(style)
    for entry in STYLES:
        styles.append(parse_xml(style_xml(entry, num_id)))
    defaults = styles.find(qn("w:docDefaults"))
    styles.replace(
        defaults,
        parse_xml(
            f"<w:docDefaults {nsdecls('w')}><w:rPrDefault><w:rPr>{fonts(SERIF)}{color(INK)}"
            f'{size(21)}<w:lang w:val="fr-FR" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr>'
            f"</w:rPrDefault><w:pPrDefault><w:pPr>{spacing(0, 120, 271)}</w:pPr></w:pPrDefault>"
            "</w:docDefaults>"
        ),
    )


def key_point_numbering(numbering: Any) -> int:
    """A list definition for the key points (bold accent numbers), linked to its style."""
    abstract_ids = [
        int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))
    ]
    num_ids = [int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))]
    abstract_id, num_id = max(abstract_ids, default=-1) + 1, max(num_ids, default=0) + 1
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        f'<w:multiLevelType w:val="singleLevel"/><w:name w:val="Key points"/>'
        f"{KEY_POINT_LEVEL}</w:abstractNum>"
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}">'
            f'<w:abstractNumId w:val="{abstract_id}"/></w:num>'
        )
    )
    return num_id


def font_table(blob: bytes) -> bytes:
    """Declare the three families, with the generic class Word falls back on."""
    table = parse_xml(blob)
    for name, (family, pitch) in FONTS.items():
        for old in table.findall(qn("w:font")):
            if old.get(qn("w:name")) == name:
                table.remove(old)
        table.append(
            parse_xml(
                f'<w:font {nsdecls("w")} w:name="{name}"><w:charset w:val="00"/>'
                f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
            )
        )
    return bytes(parse_xml_to_bytes(table))


def parse_xml_to_bytes(element: Any) -> bytes:
    from lxml import etree  # type: ignore[import-untyped]

    data: bytes = etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
    ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Template>reference.docx</Template><Application>docgen</Application>"
    "<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
    "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
    "<AppVersion>1.0000</AppVersion></Properties>"
)

SPECIMEN = [
    ("Classification", "Classification marking"),
    ("Kicker", "Kicker (report label)"),
    ("Title", "Title of the report"),
    ("Subtitle", "Subtitle of the report"),
    ("Author", "Author"),
    ("Affiliation", "Affiliation (role, organization)"),
    ("Date", "Date"),
    ("TOC Heading", "TOC Heading"),
    ("toc 1", "TOC 1\t1"),
    ("toc 2", "TOC 2\t2"),
    ("toc 3", "TOC 3\t3"),
    ("heading 1", "Heading 1"),
    ("Abstract", "Abstract: the summary paragraph, in a shaded panel."),
    ("Key Point", "Key Point: numbered key points."),
    ("Body Text", "Body Text: the paragraphs of the article, justified."),
    ("heading 2", "Heading 2"),
    ("List Paragraph", "List Paragraph: list items (numbering is added per list)."),
    ("heading 3", "Heading 3"),
    ("Quote", "Quote: block quotations."),
    ("Code", "Code: code blocks, printed as typed."),
    ("Figure", "Figure: the paragraph holding a picture."),
    ("caption", "Caption: a figure's caption."),
    ("footnote text", "Footnote Text: footnotes."),
    ("Contact", "Contact: the closing author and contact block."),
]


SHEET_SPECIMEN = [
    ("Sheet Logo", ""),
    ("Sheet Kicker", "SHEET KICKER (SUMMARY SHEET)"),
    ("Sheet Title", "Sheet Title: the title in one language"),
    ("Sheet Subtitle", "Sheet Subtitle"),
    ("Sheet Meta", "Sheet Meta: author, role, organization; the project's fields"),
    ("Sheet Date", "Sheet Date"),
    ("Sheet Label", "SHEET LABEL (SUMMARY, KEY POINTS…)"),
    ("Sheet Summary", "Sheet Summary: the summary, in a shaded cell."),
    ("Sheet Key Point", "{1  }Sheet Key Point, numbered by a Sheet Lead run."),
    ("Sheet Timeline", "{2025  }Sheet Timeline, dated by a Sheet Lead run."),
    ("Sheet Contact", "Sheet Contact: the contact line."),
    ("Sheet Text", "Sheet Text: the base of every sheet style; {!Sheet Missing} text."),
    ("Sheet Marking", "SHEET MARKING: THE CLASSIFICATION, IN THE HEADER AND FOOTER"),
]
"""The sheet's styles after the report's: ``{lead}`` is a Sheet Lead run, ``{!text}`` a
Sheet Missing one."""


def trim_package(document: Any) -> None:
    """Drop the default template's thumbnail, custom XML and Word 2010 style copy, declare
    our fonts, and say docgen made the file."""
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rel_id]
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = APP_XML.encode()
    dropped = (
        RT.CUSTOM_XML,
        "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    )
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype in dropped:
            del document.part.rels[rel_id]
        elif rel.reltype == RT.FONT_TABLE:
            rel.target_part._blob = font_table(rel.target_part.blob)


def page_setup(document: Any) -> None:
    """A4, 2.2 cm margins, hyphenation on (the body is justified), 1 cm default tabs."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(22))
    section.header_distance, section.footer_distance = Mm(11), Mm(10)
    settings = document.settings.element
    for tag in ("w:autoHyphenation", "w:defaultTabStop"):
        for old in settings.findall(qn(tag)):
            settings.remove(old)
    anchor = settings.find(qn("w:characterSpacingControl"))
    anchor.addprevious(parse_xml(f'<w:defaultTabStop {nsdecls("w")} w:val="567"/>'))
    anchor.addprevious(parse_xml(f'<w:autoHyphenation {nsdecls("w")} w:val="true"/>'))
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), "fr-FR")
    # Word 2013+ layout: tables align their text with the margin instead of their border.
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")


def specimen(document: Any) -> dict[str, str]:
    """One paragraph per style (and a table), the report's then the sheet's, so that an
    editor sees what each one does. Returns the style ids by name."""
    by_name = {s.element.find(qn("w:name")).get(qn("w:val")): s.style_id for s in document.styles}
    for name, text in SPECIMEN:
        document.add_paragraph(text)._p.style = by_name[name]
    rows = [("Table docgen", "header row", "12"), ("first column", "cell", "3"), ("2025", "", "4")]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table._tbl.tblPr.style = "TableDocgen"
    for row, cells in enumerate(rows):
        for column, text in enumerate(cells):
            cell = table.cell(row, column).paragraphs[0]
            cell.text = text
            cell._p.style = "TableText"
    for name, text in SHEET_SPECIMEN:
        para = document.add_paragraph()
        para._p.style = by_name[name]
        for index, piece in enumerate(re.split(r"[{}]", text)):
            if not piece:
                continue
            run = para.add_run(piece.removeprefix("!"))
            if index % 2:
                run._r.style = by_name["Sheet Missing" if piece[:1] == "!" else "Sheet Lead"]
    return by_name


def build(target: Path) -> None:
    document = docx.Document()
    trim_package(document)
    page_setup(document)
    num_id = key_point_numbering(document.part.numbering_part.element)
    define_styles(document.styles.element, num_id)
    footnotes_part(document)
    names = {name.casefold() for name in specimen(document)}
    required = (*REQUIRED_STYLES, *SHEET_STYLES)
    missing = [name for name, _ in required if name.casefold() not in names]
    if missing:
        raise SystemExit(f"reference.docx would lack required styles: {missing}")
    props = document.core_properties
    props.title = "docgen report reference"
    props.author = props.last_modified_by = "docgen"
    props.comments = "Styles of the docgen Word report; the body is a specimen and is discarded."
    props.revision = 1
    props.created = props.modified = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))


if __name__ == "__main__":
    build(TARGET)
    print(f"wrote {TARGET.relative_to(ROOT)}")
