"""Finding the reference document's styles by name, and setting the document language.

Styles are looked up by their display name, case-insensitively: Word stores built-in names
in lower case ("heading 1", "footnote text", "toc 1") while users and python-docx spell them
"Heading 1", and LibreOffice keeps whichever it read. The renderer then refers to styles by
id, which is what the XML needs.
"""

from __future__ import annotations

from collections.abc import Iterable
from copy import deepcopy
from pathlib import Path

from babel.core import get_global
from docx.oxml.ns import qn

from ...editions.common import direction
from ...errors import TemplateError
from .elements import RPR_ORDER, Element, el, set_child

_STYLE_ORDER = (
    "w:name", "w:aliases", "w:basedOn", "w:next", "w:link", "w:autoRedefine", "w:uiPriority",
    "w:semiHidden", "w:unhideWhenUsed", "w:qFormat", "w:locked", "w:personal",
    "w:personalCompose", "w:personalReply", "w:rsid", "w:pPr", "w:rPr", "w:tblPr", "w:trPr",
    "w:tcPr", "w:tblStylePr",
)  # fmt: skip
_LANGUAGE_OVERRIDES = {"en": "en-GB"}
"""Regions chosen over CLDR's likeliest one (en → en-US) for the readers we write for."""


class StyleMap:
    """The styles the renderer may use, each resolved to its id in the reference."""

    def __init__(
        self, styles: Element, required: Iterable[tuple[str, str]], reference: Path
    ) -> None:
        self.root = styles
        by_name = styles_by_name(styles)
        self._ids: dict[str, str] = {}
        self._elements: dict[str, Element] = {}
        missing: list[str] = []
        for name, kind in required:
            found = by_name.get((name.casefold(), kind))  # kinds are named as in w:type
            if found is None:
                missing.append(f"{name!r} ({kind})")
                continue
            self._ids[name] = found.get(qn("w:styleId"), "")
            self._elements[name] = found
        if missing:
            raise TemplateError.at(
                reference,
                f"{reference.name} lacks required style(s): {', '.join(missing)}"
                " (see docs/report.md for the list)",
            )

    def id(self, name: str) -> str:
        """The style id of a required style; any other name is a programming error."""
        return self._ids[name]

    def element(self, name: str) -> Element:
        return self._elements[name]

    def set_language(self, tag: str, names: Iterable[str], proofed: Iterable[str]) -> None:
        """Mark the defaults and ``names`` as written in ``tag`` (the spell-check language);
        ``proofed`` styles (code) get ``w:noProof`` instead and keep no language."""
        defaults = self.root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if defaults is None:
            doc_defaults = self.root.find(qn("w:docDefaults"))
            if doc_defaults is None:
                doc_defaults = el("w:docDefaults")
                self.root.insert(0, doc_defaults)
            default = doc_defaults.find(qn("w:rPrDefault"))
            if default is None:
                default = el("w:rPrDefault")
                doc_defaults.insert(0, default)
            defaults = el("w:rPr")
            default.append(defaults)
        _set_lang(defaults, tag)
        skipped = set(proofed)
        for name in names:
            if name not in skipped and name in self._elements:
                _set_lang(_style_rpr(self._elements[name]), tag)


def styles_by_name(styles: Element) -> dict[tuple[str, str], Element]:
    """Each style of a styles part by (name casefolded, ``w:type``); the first of a name
    wins, as in Word."""
    by_name: dict[tuple[str, str], Element] = {}
    for style in styles.findall(qn("w:style")):
        name = style.find(qn("w:name"))
        if name is not None:
            key = (name.get(qn("w:val"), "").casefold(), style.get(qn("w:type"), ""))
            by_name.setdefault(key, style)
    return by_name


def add_missing_styles(
    styles: Element, required: Iterable[tuple[str, str]], fallback: Element
) -> list[Element]:
    """Copy into ``styles`` the ``required`` (name, type) styles it lacks, taken from the
    ``fallback`` styles part, and return the copies.

    For a reference document made before a layout needed these styles: the copies keep the
    fallback's look, and their ``basedOn``/``next``/``link`` point to the styles of the
    same name in ``styles`` (a style id already taken gets a suffix; a reference to a style
    neither part has is dropped, as Word would ignore it)."""
    have = styles_by_name(styles)
    spare = styles_by_name(fallback)
    style_id, val = qn("w:styleId"), qn("w:val")
    taken = {style.get(style_id) for style in styles.findall(qn("w:style"))}
    renamed: dict[str, str] = {}
    copies: list[Element] = []
    for name, kind in required:
        if (name.casefold(), kind) in have:
            continue
        copy = deepcopy(spare[(name.casefold(), kind)])
        old = new = copy.get(style_id, "")
        suffix = 2
        while new in taken:
            new, suffix = f"{old}{suffix}", suffix + 1
        taken.add(new)
        copy.set(style_id, new)
        renamed[old] = new
        copies.append(copy)
    for style in fallback.findall(qn("w:style")):
        named = style.find(qn("w:name"))
        same = have.get(
            (
                named.get(val, "").casefold() if named is not None else "",
                style.get(qn("w:type"), ""),
            )
        )
        if same is not None:
            renamed.setdefault(style.get(style_id, ""), same.get(style_id, ""))
    for copy in copies:
        for tag in ("w:basedOn", "w:next", "w:link"):
            ref = copy.find(qn(tag))
            if ref is not None:
                if ref.get(val) in renamed:
                    ref.set(val, renamed[ref.get(val)])
                else:
                    copy.remove(ref)
        styles.append(copy)
    return copies


def _style_rpr(style: Element) -> Element:
    found = style.find(qn("w:rPr"))
    return found if found is not None else set_child(style, el("w:rPr"), _STYLE_ORDER)


def _set_lang(rpr_element: Element, tag: str) -> None:
    set_language(rpr_element, tag)


def set_language(rpr_element: Element, tag: str, *, run: bool = False) -> None:
    """Tag run properties with a Word language tag: ``w:val`` for left-to-right text,
    ``w:bidi`` as well for right-to-left languages, and, on a ``run`` (not a style),
    ``w:rtl`` so that Word lays the run out right to left."""
    lang = rpr_element.find(qn("w:lang"))
    if lang is None:
        lang = set_child(rpr_element, el("w:lang"), RPR_ORDER)
    lang.set(qn("w:val"), tag)
    if direction(tag) == "rtl":
        lang.set(qn("w:bidi"), tag)
        if run and rpr_element.find(qn("w:rtl")) is None:
            set_child(rpr_element, el("w:rtl"), RPR_ORDER)


def word_language(lang: str) -> str:
    """A language tag Word has dictionaries for: ``fr`` → ``fr-FR``, ``en`` → ``en-GB``.

    Regions come from CLDR's likely subtags (``kk`` → ``kk-KZ``); a tag that already has a
    region is kept; an unknown language stays as given.
    """
    if "-" in lang or "_" in lang:
        return lang.replace("_", "-")
    if lang in _LANGUAGE_OVERRIDES:
        return _LANGUAGE_OVERRIDES[lang]
    likely = get_global("likely_subtags").get(lang, "")
    region = next((part for part in likely.split("_")[1:] if part.isupper() and len(part) == 2), "")
    return f"{lang}-{region}" if region else lang
