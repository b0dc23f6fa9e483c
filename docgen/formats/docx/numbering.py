"""List numbering: one bullet and one decimal definition, and one instance per list.

Word continues an ordered list across every ``w:num`` that shares a definition unless the
instance overrides its start, so each ordered list gets its own ``w:num`` with a
``w:startOverride`` at its level: "3." stays "3." and the next list restarts at its own
``start``. Nine levels (``ilvl`` 0..8) cover the deepest nesting Word allows.
"""

from __future__ import annotations

from docx.oxml.ns import qn

from .elements import Element, el, sub

MAX_LEVEL = 8
INDENT = 360
"""Twips of indentation per list level (a quarter inch, about 6.4 mm)."""

_BULLETS = ("\u2022", "\u2013", "\u25e6")
"""Bullet, en dash, white bullet: one per level, repeating."""


def level_indent(ilvl: int) -> int:
    """The left indent of a list level's text, in twips."""
    return INDENT * (ilvl + 1)


class Numbering:
    """Adds definitions and instances to the document's ``w:numbering`` element."""

    def __init__(self, root: Element) -> None:
        self.root = root
        self._abstract: dict[bool, int] = {}
        self._starts: dict[int, Element] = {}
        """Each ordered list's ``w:startOverride``, by ``numId``."""
        self._bullets: dict[int, str] = {}
        """Each bulleted list's bullet, by ``numId``."""

    def new_list(self, ordered: bool, start: int = 1, ilvl: int = 0) -> int:
        """A fresh list instance; its ``numId`` goes into each item's ``w:numPr``."""
        abstract_id = self._abstract.get(ordered)
        if abstract_id is None:
            abstract_id = self._add_abstract(ordered)
            self._abstract[ordered] = abstract_id
        num_id = self._next_id("w:num", "w:numId")
        num = el("w:num", w_numId=str(num_id))
        sub(num, "w:abstractNumId", w_val=str(abstract_id))
        if ordered:
            override = sub(num, "w:lvlOverride", w_ilvl=str(min(ilvl, MAX_LEVEL)))
            self._starts[num_id] = sub(override, "w:startOverride", w_val=str(max(start, 0)))
        else:
            self._bullets[num_id] = _BULLETS[min(ilvl, MAX_LEVEL) % len(_BULLETS)]
        self._insert(num, before=("w:numIdMacAtCleanup",))
        return num_id

    def take_first_marker(self, num_id: int) -> str:
        """The marker the first item of list ``num_id`` shows ("3.", "•"), handed over as
        text: that item's paragraph now carries an enclosing list's number (an item that
        opens with a nested list), so the list counts from its second item on."""
        start = self._starts.get(num_id)
        if start is None:
            return self._bullets.get(num_id, _BULLETS[0])
        first = int(start.get(qn("w:val"), "1"))
        start.set(qn("w:val"), str(first + 1))
        return f"{first}."

    def _add_abstract(self, ordered: bool) -> int:
        abstract_id = self._next_id("w:abstractNum", "w:abstractNumId")
        abstract = el("w:abstractNum", w_abstractNumId=str(abstract_id))
        sub(abstract, "w:multiLevelType", w_val="hybridMultilevel")
        for ilvl in range(MAX_LEVEL + 1):
            lvl = sub(abstract, "w:lvl", w_ilvl=str(ilvl))
            sub(lvl, "w:start", w_val="1")
            sub(lvl, "w:numFmt", w_val="decimal" if ordered else "bullet")
            text = f"%{ilvl + 1}." if ordered else _BULLETS[ilvl % len(_BULLETS)]
            sub(lvl, "w:lvlText", w_val=text)
            sub(lvl, "w:lvlJc", w_val="left")
            pr = sub(lvl, "w:pPr")
            sub(pr, "w:ind", w_left=str(level_indent(ilvl)), w_hanging=str(INDENT))
        self._insert(abstract, before=("w:num", "w:numIdMacAtCleanup"))
        return abstract_id

    def _insert(self, element: Element, before: tuple[str, ...]) -> None:
        tags = {qn(name) for name in before}
        for child in self.root:
            if child.tag in tags:
                child.addprevious(element)
                return
        self.root.append(element)

    def _next_id(self, tag: str, attribute: str) -> int:
        used = [
            int(value)
            for child in self.root.findall(qn(tag))
            if (value := child.get(qn(attribute), "")).lstrip("-").isdigit()
        ]
        return max(used, default=0) + 1


def num_pr(num_id: int, ilvl: int) -> Element:
    """The ``w:numPr`` that makes a paragraph an item of list ``num_id`` at ``ilvl``."""
    pr = el("w:numPr")
    sub(pr, "w:ilvl", w_val=str(min(ilvl, MAX_LEVEL)))
    sub(pr, "w:numId", w_val=str(num_id))
    return pr


def style_num_id(style: Element | None) -> int | None:
    """The list a paragraph style numbers its paragraphs with, if it has one."""
    if style is None:
        return None
    found = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    value = found.get(qn("w:val"), "") if found is not None else ""
    return int(value) if value.isdigit() and int(value) > 0 else None
