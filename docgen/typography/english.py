"""English typography: curly quotes and apostrophes, no space before ``; : ! ?``."""

from __future__ import annotations

import re

from .common import COMMON_RULES
from .engine import SP, Rule, regex_rule
from .quotes import quote_rule

__all__ = ["ENGLISH_RULES"]

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
    regex_rule(_OPEN_SINGLE, "‘", needs=("'",)),
    regex_rule(_CLOSE_SINGLE, "’", needs=("'",)),
    regex_rule(_SPACE_BEFORE_PUNCT, "", needs=(";", ":", "!", "?")),
)
