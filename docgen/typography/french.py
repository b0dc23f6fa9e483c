"""French typography: no-break spaces before ``; ! ? :`` and inside « », units, thousands.

Every pattern may start only where its token starts: a lookbehind rejects the positions
inside a run of spaces or digits that an attempt from the run's start has already read,
so a long run is read once, not once per character.
"""

from __future__ import annotations

import re

from .common import COMMON_RULES
from .engine import NBSP, NNBSP, SP, Edit, Rule, regex_rule
from .protected import Protected
from .quotes import quote_rule

__all__ = ["FRENCH_RULES", "NUMBER_UNIT", "UNITS"]

# Spaces (or none) right after « when something follows.
_AFTER_GUILLEMET = re.compile(rf"(?<=«){SP}*(?=[^\s»])")

# Spaces (or none) right before » when something precedes.
_BEFORE_GUILLEMET = re.compile(rf"(?<=[^\s«]){SP}*(?=»)")

# Spaces typed inside "? !" / "! ?" (removed: the marks stay glued, "?!").
_SPACE_INSIDE_MARKS = re.compile(rf"(?<=[!?]){SP}+(?=[!?])")

# Spaces (or none) before a run of ; ! ? — not at the start, not after another mark or an
# opening bracket/quote.
_SPACE_BEFORE_HIGH_PUNCT = re.compile(rf"(?<=[^\s(\[{{«“‘!?;:¿¡]){SP}*(?=[;!?])")

# Spaces typed before a colon (not the "::" of code nor the "://" of a URL).
_SPACE_BEFORE_COLON = re.compile(rf"(?<=[^\s(\[{{«“‘!?;:]){SP}+(?=:(?![:/\\]))")

# A colon glued to a letter, digit or closing mark, and ending the word.
_GLUED_COLON = re.compile(r"(?:(?<=[^\W_])|(?<=[)\]»”’…\ufffc]))(?=:(?:[\s»”)\]\ufffc]|$))")

# A number the author grouped: 1-3 digits, then groups of exactly 3 digits.
_GROUPED_NUMBER = re.compile(
    r"(?<![\w.,/+#@])(?<!\w-)(?<!\d[ \u00a0\u202f])"
    r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+"
    r"(?!\w|[.,]\d|[ \u00a0\u202f]\d)"
)

# A plain integer of 5+ digits, not starting with 0, standing alone.
_LONG_NUMBER = re.compile(
    r"(?<![\w.,/+#@])(?<!\w-)(?<!\d[ \u00a0\u202f])"
    r"[1-9]\d{4,}"
    r"(?!\w|[.,:/-]\d|[ \u00a0\u202f]\d)"
)

# A 5-digit number followed by a capitalised word is a postcode ("10000 Rabat").
_POSTCODE_TAIL = re.compile(r"[ \u00a0][A-ZÀ-Ý]")

UNITS = (
    "%", "‰", "€", "$", "£", "¥",
    "km", "km²", "km/h", "m", "m²", "m³", "cm", "mm",
    "kg", "g", "mg", "t", "Mt", "Gt", "ha",
    "h", "min", "s", "ms", "°C", "°F",
    "kW", "MW", "GW", "kWh", "MWh", "GWh", "TWh",
    "k€", "M€", "Md€", "Md", "Mds", "Mrd", "Mrds",
    "million", "millions", "milliard", "milliards",
)  # fmt: skip
"""Units and symbols that take a no-break space after a number in French."""

# A standalone number (decimal comma/point and U+202F groups allowed), at most one space, a
# unit that ends the word (not "3 mois", not "2 m’ont"). The number may start at a digit
# not glued to a word or a decimal mark (``(?<![\w.,])``), which, inside "1 234 567"
# grouped with U+202F, is every group: tried from each, the regex would read the rest of
# the number again and again. The unit can only follow the number's last digit, so every
# start inside one number succeeds or fails alike, and only the first start that passes
# is tried: the number's first digit, or, when that one is glued to a word ("A1 234 km"),
# the group after its first U+202F, reached by skipping the glued part. The match then
# starts at the number's first digit, which changes nothing: only ``space`` is edited.
NUMBER_UNIT = re.compile(
    r"(?<!\d)(?<!\d[.,\u202f])"  # the first digit of a number
    r"(?:(?<=[\w.,])\d++(?:[.,]\d++)*+\u202f)?+"  # glued to a word: skip to a U+202F group
    r"(?<![\w.,])\d++(?:[.,\u202f]\d++)*+"
    r"(?P<space>[ \u00a0\u202f\u2009]?)"
    r"(?:" + "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True)) + r")"
    r"(?![\w'’])"
)


def _grouped_number(text: str, protected: Protected) -> list[Edit]:
    """U+202F between the groups of a number the author grouped with another space."""
    return [
        Edit(m.start() + i, m.start() + i + 1, NNBSP)
        for m in _GROUPED_NUMBER.finditer(text)
        for i, char in enumerate(m.group())
        if char in " \u00a0"
    ]


def _long_number(text: str, protected: Protected) -> list[Edit]:
    """U+202F every three digits, from the right, in an integer of five digits or more."""
    edits: list[Edit] = []
    for m in _LONG_NUMBER.finditer(text):
        digits = m.group()
        if len(digits) == 5 and _POSTCODE_TAIL.match(text, m.end()):
            continue
        edits += [Edit(m.start() + i, m.start() + i, NNBSP) for i in _group_starts(len(digits))]
    return edits


def _group_starts(length: int) -> range:
    """Offsets where a separator goes in a run of ``length`` digits: 5 → 2; 7 → 1, 4."""
    return range(length % 3 or 3, length, 3)


FRENCH_RULES: tuple[Rule, ...] = (
    *COMMON_RULES,
    quote_rule("«", "»", nested=("“", "”")),
    regex_rule(_AFTER_GUILLEMET, NNBSP, right=False, needs=("«",)),
    regex_rule(_BEFORE_GUILLEMET, NNBSP, needs=("»",)),
    regex_rule(NUMBER_UNIT, NBSP, "space"),  # first: "17400km" is a number once spaced
    _grouped_number,
    _long_number,
    regex_rule(_SPACE_INSIDE_MARKS, "", needs=("!", "?")),
    regex_rule(_SPACE_BEFORE_HIGH_PUNCT, NNBSP, needs=(";", "!", "?")),
    regex_rule(_SPACE_BEFORE_COLON, NBSP, needs=(":",)),
    regex_rule(_GLUED_COLON, NBSP, needs=(":",)),
)
