"""Limits on Markdown shapes that are cheap to write and expensive to parse or lay out.

Measured (see ``bench/bench_hostile.py``): markdown-it's link parser is quadratic in the
``[`` of one paragraph (``"[a" * 50000``: seconds to parse); WeasyPrint's inline layout
grows faster than linearly with the inline elements of one paragraph (``"*a" * 10000``:
5,000 ``<em>``, 104 s for one PDF) and costs milliseconds per footnote; twenty thousand
reference definitions take seconds per parse, and an article is parsed once per language
and again for the translation checks. No real article comes near these limits; hostile
input is refused quickly, before any parse or render, with an error at the first place
over the limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore

MAX_BRACKETS_PER_BLOCK = 500
"""``[`` in one paragraph, heading or table cell: a dense paragraph of links has tens."""
MAX_SPANS_PER_BLOCK = 300
"""Inline elements (emphasis, links, code, footnote calls…) in one paragraph."""
MAX_SPANS = 10_000
"""Inline elements in the whole body: a long report has a few hundred."""
MAX_FOOTNOTES = 1_000
"""Footnote definitions: a heavily annotated report has a few hundred."""
MAX_REFERENCES = 2_000
"""Link reference definitions (``[label]: url``)."""

_DEFINITION = re.compile(r"^ {0,3}\[(\^?)[^\]\n]{1,999}\]:", re.MULTILINE)
"""A line that starts a reference (``[x]:``) or footnote (``[^x]:``) definition. A line
inside a code block may match too: counting a few too many is harmless at these limits."""


@dataclass(frozen=True)
class LimitExceeded(Exception):
    """Where in the body (0-based line, 1-based column) a limit was passed, and which."""

    line: int
    column: int
    message: str


def check_definitions(text: str) -> None:
    """Count reference and footnote definitions before the parser spends time on them."""
    counts = {"": 0, "^": 0}
    for match in _DEFINITION.finditer(text):
        kind = match.group(1)
        counts[kind] += 1
        limit = MAX_FOOTNOTES if kind else MAX_REFERENCES
        if counts[kind] > limit:
            what = "footnote definitions" if kind else "link reference definitions"
            line = text.count("\n", 0, match.start())
            column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
            raise LimitExceeded(line, column, f"more than {limit:,} {what}; the limit is {limit:,}")


def install(md: MarkdownIt) -> None:
    """Check every inline run for brackets after block parsing, before the inline parser
    (the quadratic part) sees it."""
    md.core.ruler.before("inline", "docgen_limits", _bracket_rule)


def _bracket_rule(state: StateCore) -> None:
    for token in state.tokens:
        if token.type != "inline" or token.content.count("[") <= MAX_BRACKETS_PER_BLOCK:
            continue
        content = token.content
        at = -1
        for _ in range(MAX_BRACKETS_PER_BLOCK + 1):
            at = content.index("[", at + 1)
        first = token.map[0] if token.map else 0
        line = first + content.count("\n", 0, at)
        column = at - (content.rfind("\n", 0, at) + 1) + 1
        raise LimitExceeded(
            line,
            column,
            f"more than {MAX_BRACKETS_PER_BLOCK} '[' in one paragraph; split it or escape"
            " the brackets",
        )
