"""Rules for every language: the ellipsis and the apostrophe."""

from __future__ import annotations

import re

from .engine import Rule, regex_rule

__all__ = ["COMMON_RULES"]

# Exactly three dots (four or more are left: they are not an ellipsis typed by hand).
_ELLIPSIS = re.compile(r"(?<!\.)\.\.\.(?!\.)")

# A straight apostrophe between a letter or digit and a letter: l'homme, don't, 1990's.
_APOSTROPHE = re.compile(r"(?<=[^\W_])'(?=[^\W\d_])")

COMMON_RULES: tuple[Rule, ...] = (
    regex_rule(_ELLIPSIS, "…", needs=("...",)),
    regex_rule(_APOSTROPHE, "’", needs=("'",)),
)
