"""The footnotes part: real Word footnotes, numbered and placed by Word at the page foot.

python-docx has no footnote API, so the part is written with its OPC layer. A reference
document saved by Word already holds ``word/footnotes.xml`` (with the separator lines the
user may have styled): it is reused, emptied of any footnote of its own; otherwise a part
with the two standard separators is created.
"""

from __future__ import annotations

from typing import cast

from docx.document import Document as WordDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.story import StoryPart

from .elements import Element, el, set_child, sub
from .fields import SETTINGS_TAIL

PARTNAME = "/word/footnotes.xml"
_SEPARATORS = ("separator", "continuationSeparator", "continuationNotice")

EMPTY_FOOTNOTES = f"""<w:footnotes {nsdecls("w", "r")}>
<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240"
 w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0"
 w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>
</w:footnote>
</w:footnotes>"""


def footnotes_part(document: WordDocument) -> StoryPart:
    """The document's footnotes part, as an editable story part with no footnote in it.

    An existing part (loaded by python-docx as an opaque blob) is replaced by a story part
    holding the same XML, under the same name, minus its ordinary footnotes.
    """
    main = document.part
    for rel_id, rel in list(main.rels.items()):
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            old = rel.target_part
            element = parse_xml(old.blob)
            partname = old.partname
            main.drop_rel(rel_id)
            break
    else:
        element = parse_xml(EMPTY_FOOTNOTES)
        partname = PackURI(PARTNAME)
    for note in element.findall(qn("w:footnote")):
        if note.get(qn("w:type")) not in _SEPARATORS:
            element.remove(note)
    part = StoryPart(partname, CT.WML_FOOTNOTES, element, main.package)
    main.relate_to(part, RT.FOOTNOTES)
    _declare_separators(cast(Element, document.settings.element), element)
    return part


def _declare_separators(settings: Element, footnotes: Element) -> None:
    """List the separator notes in settings (``w:footnotePr``), as Word itself does."""
    if settings.find(qn("w:footnotePr")) is not None:
        return
    pr = el("w:footnotePr")
    for note in footnotes.findall(qn("w:footnote")):
        if note.get(qn("w:type")) in _SEPARATORS:
            sub(pr, "w:footnote", w_id=note.get(qn("w:id"), "0"))
    set_child(settings, pr, SETTINGS_TAIL)


def next_note_id(footnotes: Element) -> int:
    used = [
        int(value)
        for note in footnotes.findall(qn("w:footnote"))
        if (value := note.get(qn("w:id"), "")).lstrip("-").isdigit()
    ]
    return max([*used, 0]) + 1


def new_note(footnotes: Element, note_id: int) -> Element:
    note = el("w:footnote", w_id=str(note_id))
    footnotes.append(note)
    return note


def note_mark(style_id: str) -> Element:
    """The run that shows a footnote's own number at the start of its text."""
    r = el("w:r")
    sub(sub(r, "w:rPr"), "w:rStyle", w_val=style_id)
    sub(r, "w:footnoteRef")
    return r


def note_reference(style_id: str, note_id: int) -> Element:
    """The run that calls footnote ``note_id`` from the text."""
    r = el("w:r")
    sub(sub(r, "w:rPr"), "w:rStyle", w_val=style_id)
    sub(r, "w:footnoteReference", w_id=str(note_id))
    return r
