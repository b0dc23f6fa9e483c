"""Word fields: page numbers, the table of contents and its page references.

Fields are written as complex fields (begin / instruction / separate / result / end) with a
cached result, so a reader that never updates fields (a viewer, a converter) still shows
something sensible, and Word or LibreOffice recompute them.
"""

from __future__ import annotations

from .elements import Element, el, set_child, sub, text_run

TOC_INSTRUCTION = 'TOC \\o "1-3" \\h \\z \\u'

# The end of w:settings' child order in the schema (CT_Settings), from w:updateFields on.
SETTINGS_TAIL = (
    "w:updateFields", "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat",
    "w:docVars", "w:rsids",
    "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
    "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
    "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)  # fmt: skip


def _char(kind: str, style_id: str | None) -> Element:
    r = el("w:r")
    if style_id:
        sub(sub(r, "w:rPr"), "w:rStyle", w_val=style_id)
    sub(r, "w:fldChar", w_fldCharType=kind)
    return r


def begin(instruction: str, style_id: str | None = None) -> list[Element]:
    """The runs that open a field, up to its (cached) result."""
    instr = el("w:r")
    if style_id:
        sub(sub(instr, "w:rPr"), "w:rStyle", w_val=style_id)
    text = sub(instr, "w:instrText")
    text.text = f" {instruction} "
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return [_char("begin", style_id), instr, _char("separate", style_id)]


def end(style_id: str | None = None) -> Element:
    return _char("end", style_id)


def field(instruction: str, result: str, style_id: str | None = None) -> list[Element]:
    """A whole field in runs: ``PAGE`` with cached result ``1``, for example."""
    return [*begin(instruction, style_id), text_run(result, style_id), end(style_id)]


def toc_entry(
    style_id: str, bookmark: str, text: str, toc_begin: list[Element] | None = None
) -> Element:
    """One pre-filled TOC line: the heading's text, linked to ``bookmark``.

    No tab and no page number: page numbers need a layout, and a reader that does not
    update fields (LibreOffice, previews, converters) would otherwise show dot leaders
    pointing at nothing. Word's update rewrites the lines with leaders and numbers.
    ``toc_begin`` (the TOC field's opening runs) goes into the first entry, as Word does.
    """
    p = el("w:p")
    sub(sub(p, "w:pPr"), "w:pStyle", w_val=style_id)
    for run in toc_begin or []:
        p.append(run)
    link = sub(p, "w:hyperlink", w_anchor=bookmark, w_history="1")
    link.append(text_run(text))
    return p


def enable_update_fields(settings: Element) -> None:
    """Ask Word to refresh fields (the TOC's page numbers) when the file is opened."""
    set_child(settings, el("w:updateFields", w_val="true"), SETTINGS_TAIL)
