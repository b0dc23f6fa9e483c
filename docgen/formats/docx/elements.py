"""Small builders for WordprocessingML elements the DOCX renderer writes by hand.

python-docx covers paragraphs and runs but not fields, bookmarks, footnote references,
borders or hyperlinks; building those as elements (never as XML strings) keeps source text
from ever being parsed as markup, and one place knows the schema's child order.
"""

from __future__ import annotations

import re
from typing import cast

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

Element = BaseOxmlElement

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

# Child order of w:pPr and w:rPr in the schema (CT_PPrBase, CT_RPr): Word refuses a file
# whose properties come in another order, so every insertion goes through these lists.
PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
    "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
    "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl",
    "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
    "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof",
    "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern",
    "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)  # fmt: skip


def el(tag: str, **attrs: str) -> Element:
    """A new element; ``w_val="x"`` style keywords become namespaced attributes."""
    element = cast(Element, OxmlElement(tag))
    for key, value in attrs.items():
        element.set(qn(key.replace("_", ":", 1)) if "_" in key else key, value)
    return element


def sub(parent: Element, tag: str, **attrs: str) -> Element:
    """Append a new child to ``parent`` and return it."""
    child = el(tag, **attrs)
    parent.append(child)
    return child


def xml_text(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def set_child(parent: Element, child: Element, order: tuple[str, ...]) -> Element:
    """Put ``child`` into ``parent`` at its schema position, replacing one of its kind."""
    tag = child.tag
    for old in parent.findall(tag):
        parent.remove(old)
    names = [qn(name) for name in order]
    index = names.index(tag) if tag in names else len(names)
    successors = names[index + 1 :]
    for existing in parent:
        if existing.tag in successors:
            existing.addprevious(child)
            return child
    parent.append(child)
    return child


def ppr(p: Element) -> Element:
    """The paragraph's w:pPr, created first in the paragraph if missing."""
    found = p.find(qn("w:pPr"))
    if found is None:
        found = el("w:pPr")
        p.insert(0, found)
    return cast(Element, found)


def rpr(parent: Element) -> Element:
    """The w:rPr of a run (or style), created at its schema position if missing."""
    found = parent.find(qn("w:rPr"))
    if found is None:
        found = el("w:rPr")
        if parent.tag == qn("w:pPr"):
            set_child(parent, found, PPR_ORDER)
        else:
            parent.insert(0, found)
    return cast(Element, found)


def paragraph(style_id: str | None = None) -> Element:
    p = el("w:p")
    if style_id:
        set_child(ppr(p), el("w:pStyle", w_val=style_id), PPR_ORDER)
    return p


def set_ppr(p: Element, tag: str, **attrs: str) -> Element:
    """Set one paragraph property (``w:jc``, ``w:ind``…) in schema order."""
    return set_child(ppr(p), el(tag, **attrs), PPR_ORDER)


def set_rpr(r: Element, tag: str, **attrs: str) -> Element:
    return set_child(rpr(r), el(tag, **attrs), RPR_ORDER)


def border(side: str, color: str, eighths: int, space_pt: int = 4) -> Element:
    """A ``w:top``/``w:bottom``… single border line; ``eighths`` is Word's 1/8 pt unit."""
    return el(f"w:{side}", w_val="single", w_sz=str(eighths), w_space=str(space_pt), w_color=color)


def text_run(text: str, style_id: str | None = None) -> Element:
    """A run holding ``text``: tabs become w:tab, and spaces are preserved."""
    r = el("w:r")
    if style_id:
        set_rpr(r, "w:rStyle", w_val=style_id)
    for index, piece in enumerate(xml_text(text).split("\t")):
        if index:
            sub(r, "w:tab")
        if piece:
            t = sub(r, "w:t")
            t.text = piece
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


def break_run(kind: str | None = None) -> Element:
    """A run with a line break, or a page break with ``kind="page"``."""
    r = el("w:r")
    if kind:
        sub(r, "w:br", w_type=kind)
    else:
        sub(r, "w:br")
    return r


class Bookmarks:
    """Bookmark names and ids, unique in the document as Word requires."""

    def __init__(self) -> None:
        self._next_id = 0
        self._names: set[str] = set()

    @staticmethod
    def name_for(anchor: str) -> str:
        """A valid bookmark name for an anchor: a letter first, word characters, 40 max."""
        name = re.sub(r"\W", "_", anchor, flags=re.ASCII)
        if not name[:1].isalpha():
            name = "b_" + name
        return name[:40]

    def wrap(self, p: Element, anchor: str) -> str:
        """Put a bookmark around the paragraph's content; returns its name."""
        name, start, end = self._pair(anchor)
        pr = p.find(qn("w:pPr"))
        if pr is not None:
            pr.addnext(start)
        else:
            p.insert(0, start)
        p.append(end)
        return name

    def around(self, element: Element, anchor: str) -> str:
        """Put a bookmark around one element already in a paragraph (a run); its name."""
        name, start, end = self._pair(anchor)
        element.addprevious(start)
        element.addnext(end)
        return name

    def _pair(self, anchor: str) -> tuple[str, Element, Element]:
        """A unique name and its bookmarkStart / bookmarkEnd."""
        name = base = self.name_for(anchor)
        count = 1
        while name in self._names:
            count += 1
            suffix = f"_{count}"
            name = base[: 40 - len(suffix)] + suffix
        self._names.add(name)
        ident = str(self._next_id)
        self._next_id += 1
        start = el("w:bookmarkStart", w_id=ident, w_name=name)
        return name, start, el("w:bookmarkEnd", w_id=ident)
