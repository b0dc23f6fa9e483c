"""The web edition's colours: the theme's, made readable on screen, in light and dark.

A printed brief only needs the theme's colours on white paper; a web page is also read in
a dark colour scheme, and WCAG 2.1 AA asks 4.5:1 contrast for text. Rather than trust
every organization's ``_brand.yml`` to meet that, each text colour is derived from the
theme's and moved toward black (light scheme) or white (dark scheme) until it reaches its
contrast on the background it sits on. The default theme passes unchanged in light.
"""

from __future__ import annotations

from ...theme import Theme

LIGHT_BG = "#ffffff"
DARK_BG = "#15181d"


def _rgb(color: str) -> tuple[float, float, float]:
    digits = color.lstrip("#")
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(255.0, c))):02x}" for c in rgb)


def luminance(color: str) -> float:
    """WCAG relative luminance."""

    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def mix(a: str, b: str, share: float) -> str:
    """``share`` of ``a`` with the rest ``b``."""
    ra, rb = _rgb(a), _rgb(b)
    return _hex(tuple(x * share + y * (1 - share) for x, y in zip(ra, rb, strict=True)))  # type: ignore[arg-type]


def readable(color: str, *backgrounds: str, ratio: float = 4.5) -> str:
    """``color``, or the nearest mix of it toward black or white (whichever the first
    background calls for) that reaches ``ratio`` on every background."""
    target = "#000000" if luminance(backgrounds[0]) > 0.18 else "#ffffff"
    share = 1.0
    candidate = color
    while share > 0 and not all(contrast(candidate, bg) >= ratio for bg in backgrounds):
        share = round(share - 0.05, 2)
        candidate = mix(color, target, share)
    return candidate


def palette(theme: Theme) -> dict[str, dict[str, str]]:
    """CSS colour values for the light and the dark scheme (``#rrggbb`` only: they are
    computed here, never copied from the theme file, so they cannot carry markup)."""
    ink, primary, accent = (
        "#" + theme.hex("foreground"),
        "#" + theme.hex("primary"),
        "#" + theme.hex("accent"),
    )
    marking, muted = "#" + theme.hex("marking"), "#" + theme.hex("muted")
    panel, rule = "#" + theme.hex("panel"), "#" + theme.hex("rule")
    dark_panel = mix(primary, DARK_BG, 0.22)
    dark_accent = readable(mix(accent, "#ffffff", 0.8), DARK_BG, ratio=3)
    return {
        "light": {
            "bg": LIGHT_BG,
            "fg": readable(ink, LIGHT_BG, panel, ratio=7),
            "heading": readable(primary, LIGHT_BG, panel, ratio=4.5),
            "muted": readable(muted, LIGHT_BG, panel),
            "mark": readable(marking, LIGHT_BG, panel),
            "panel": panel,
            "rule": rule,
            "accent": accent,
            "accent_text": readable(accent, LIGHT_BG, ratio=3),
            "band": primary,
            "band_fg": _on(primary),
        },
        "dark": {
            "bg": DARK_BG,
            "fg": readable("#e9e9ec", DARK_BG, dark_panel, ratio=7),
            "heading": readable(mix(primary, "#ffffff", 0.18), DARK_BG, dark_panel, ratio=7),
            "muted": readable(mix(muted, "#ffffff", 0.6), DARK_BG, dark_panel),
            "mark": readable(mix(marking, "#ffffff", 0.45), DARK_BG, dark_panel),
            "panel": dark_panel,
            "rule": mix(rule, DARK_BG, 0.3),
            "accent": dark_accent,
            "accent_text": dark_accent,
            "band": mix(primary, DARK_BG, 0.5),
            "band_fg": _on(mix(primary, DARK_BG, 0.5)),
        },
    }


def _on(background: str) -> str:
    """White text on ``background``, or black where white would not reach 4.5:1."""
    return "#ffffff" if contrast("#ffffff", background) >= 4.5 else "#000000"
