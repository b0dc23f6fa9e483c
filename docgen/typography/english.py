"""English typography: curly quotes and apostrophes, no space before ``; : ! ?``, a number
kept with its unit, elisions at the start of a word.

Number and unit: a space typed between a number ("12", "3.5", "12,000") and a unit or
``%`` (``UNITS``) becomes U+00A0, so "12 km" never breaks across lines. None is inserted:
"10%" and "5kg" stay as the author typed them (English style often glues them).

Elisions: an apostrophe opening a word that lost its start ("'tis", "'twas", "'em",
"'til", "'cause", "'bout", "'nuff", and "'n'" as in "rock 'n' roll") is ’, not the
opening quote ‘ the quote rule would make of it. Only these words: "'round" or "'Em"
may be quoted words. A quoted letter n between words ("the letter 'n' is") reads as
"rock 'n' roll" does; type ‘n’ to quote it. Elided years ("'90s") were already ’.

Every pattern starts where its token starts (a number at its first digit, an apostrophe
at itself), so a long run is read once.
"""

from __future__ import annotations

import re

from .common import COMMON_RULES
from .engine import NBSP, SP, Rule, regex_rule
from .quotes import quote_rule

__all__ = ["ENGLISH_RULES", "UNITS"]

UNITS = (
    "%", "‰",
    "km", "km²", "km/h", "m", "m²", "m³", "cm", "mm", "µm", "nm",
    "kg", "g", "mg", "t", "Mt", "Gt", "ha", "lb", "oz",
    "mi", "ft", "mph",
    "h", "min", "s", "ms", "°C", "°F", "K",
    "W", "kW", "MW", "GW", "TW", "Wh", "kWh", "MWh", "GWh", "TWh",
    "V", "kV", "Hz", "kHz", "MHz", "GHz", "B", "kB", "MB", "GB", "TB",
    "bbl", "b/d",
)  # fmt: skip
"""Units and symbols kept with their number in English (a space typed before them)."""

# A standalone number, one typed space, a unit that ends the word ("3 mi" yes, "3 miles"
# no). Starts only at a number's first digit: not after a word character, "." or ",".
_NUMBER_UNIT = re.compile(
    r"(?<![\w.,])\d++(?:[.,]\d++)*+"
    r"(?P<space>[ \t\n\u2009])"
    r"(?:" + "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True)) + r")"
    r"(?![\w'’])"
)

# An apostrophe opening an elided word, after a space or an opening mark: 'tis, 'em,
# rock 'n' roll. The word must end there (not "'emblem", not the quoted "'em'").
_ELISION = re.compile(
    r"(?<![^\s(\[{“‘\"—–])'"
    r"(?=(?:[Tt]is|[Tt]was|[Tt]were|[Tt]will|[Tt]would|em|til|cause|bout|nuff)(?![\w'’-])"
    r"|n['’]?[ \u00a0])"
)

# An elided year after a space or an opening mark: '90s → ’90s.
_ELIDED_YEAR = re.compile(r"(?<![^\s(\[{“‘\"—–])'(?=\d\d(?!\d))")

# An opening single quote, after a space or an opening mark, before a letter or digit.
_OPEN_SINGLE = re.compile(r"(?<![^\s(\[{“\"—–])'(?=[^\W_])")

# A closing single quote (or apostrophe at a word's end: "the States' policy"), after a
# letter or a closing mark, before a space, punctuation or the end.
_CLOSE_SINGLE = re.compile(r"(?<=[^\W\d_]|[.,!?…)\]”])'(?=[\s.,;:!?…)\]”\"\ufffc—–-]|$)")

# Spaces before ; : ! ? (the rule removes them). Only the first space of a run can match:
# the lookbehind rejects every start inside the run.
_SPACE_BEFORE_PUNCT = re.compile(rf"(?<=\S){SP}+(?=[;:!?])")

ENGLISH_RULES: tuple[Rule, ...] = (
    *COMMON_RULES,
    quote_rule("“", "”"),
    regex_rule(_ELIDED_YEAR, "’", needs=("'",)),
    regex_rule(_ELISION, "’", needs=("'",)),  # before the opening quote would take it
    regex_rule(_OPEN_SINGLE, "‘", needs=("'",)),
    regex_rule(_CLOSE_SINGLE, "’", needs=("'",)),
    regex_rule(_SPACE_BEFORE_PUNCT, "", needs=(";", ":", "!", "?")),
    regex_rule(_NUMBER_UNIT, NBSP, "space"),
)
