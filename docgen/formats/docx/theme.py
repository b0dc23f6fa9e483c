"""The project's theme applied to a Word document's styles.

The reference document is drawn in the built-in palette and fonts. A theme maps each of
those values to its own, wherever the reference uses them — text colours, borders, shading,
list numbers, fonts — so that one ``_brand.yml`` recolours the Word report and the sheet as
it recolours the PDFs. Values a designer changed in ``reference.docx`` by hand are left
alone: they are not the built-in palette any more.
"""

from __future__ import annotations

from collections.abc import Iterable

from docx.oxml.ns import qn

from ...theme import DEFAULT, Theme
from .elements import Element

_ROLES = ("primary", "accent", "marking", "foreground", "muted", "panel", "rule")
_COLOR_ATTRIBUTES = (qn("w:color"), qn("w:fill"))
_FONT_ATTRIBUTES = tuple(qn(f"w:{name}") for name in ("ascii", "hAnsi", "cs", "eastAsia"))


def palette_map(theme: Theme) -> dict[str, str]:
    """Built-in colour (``RRGGBB``) → the theme's, for the roles the theme changes."""
    return {
        DEFAULT.hex(role): theme.hex(role)
        for role in _ROLES
        if theme.hex(role) != DEFAULT.hex(role)
    }


def font_map(theme: Theme) -> dict[str, str]:
    pairs = (
        (DEFAULT.word_body_font, theme.word_body_font),
        (DEFAULT.word_heading_font, theme.word_heading_font),
        (_word_mono(DEFAULT), _word_mono(theme)),
    )
    return {old: new for old, new in pairs if old != new}


def _word_mono(theme: Theme) -> str:
    return "DejaVu Sans Mono" if theme.mono_font == "Docgen Mono" else theme.mono_font


def apply_theme(parts: Iterable[Element], theme: Theme) -> None:
    """Recolour and refont ``parts`` (styles, numbering, settings XML roots) in place."""
    colors = palette_map(theme)
    fonts = font_map(theme)
    if not colors and not fonts:
        return
    color_val = qn("w:color")
    val = qn("w:val")
    fonts_tag = qn("w:rFonts")
    for root in parts:
        for node in root.iter():
            for attribute in _COLOR_ATTRIBUTES:
                value = node.get(attribute)
                if value and value.upper() in colors:
                    node.set(attribute, colors[value.upper()])
            if node.tag == color_val:
                value = node.get(val)
                if value and value.upper() in colors:
                    node.set(val, colors[value.upper()])
            elif node.tag == fonts_tag:
                for attribute in _FONT_ATTRIBUTES:
                    value = node.get(attribute)
                    if value in fonts:
                        node.set(attribute, fonts[value])
