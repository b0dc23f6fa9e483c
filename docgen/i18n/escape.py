"""A translated text as Markdown for its unit's place in ``NAME.LANG.md``.

A unit's text goes back where the old one stood, inside the same containers (a list item, a
quote, a table cell, after a heading's ``##``). Text that would open a block there (a ``#``,
a list marker, a fence, a thematic break, a ``[^1]:`` at the start of a line) gets a
backslash, which
Markdown reads as "this character, literally": the reader sees what the translator typed
and the file keeps its structure. What can't be escaped without changing the text's
meaning (an HTML tag, a ``[label]:`` that might be a link) is left as it is: the import
re-reads the result and refuses a translation that doesn't pair with the source
(``verify``).
"""

from __future__ import annotations

import re

from .units import Unit, join_lines, normalize

_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
_BLOCK_START = re.compile(
    r"^(?:#{1,6}|[-+*]|\d{1,9}[.)]|>)(?=\s|$)"  # an ATX heading, a list item, a quote
    r"|^(?:=+|-+)\s*$"  # a setext underline (or a --- thematic break)
    r"|^(?:\*[ \t]*){3,}$|^(?:_[ \t]*){3,}$"  # a *** or ___ thematic break
    r"|^(?:`{3,}|~{3,})"  # a code fence
    r"|^\[\^[^\]\s]+\]:"  # a footnote definition (dropped unread when nothing calls it)
)
_ATX_CLOSING = re.compile(r"(?:^|[ \t])(#+)$")


def render(text: str, unit: Unit) -> str:
    """A translated text as it goes into the unit's place in a Markdown file."""
    assert unit.span is not None
    if unit.span.cell:
        return _UNESCAPED_PIPE.sub(r"\\|", normalize(text))
    if unit.kind == "heading":
        return escape_heading(normalize(text))
    lines = [escape_start(line) for line in clean_body(text).split("\n")]
    return ("\n" + unit.span.cont).join(lines)


def clean_body(text: str) -> str:
    """A body text as a unit holds it: one line, hard breaks as ``\\`` + newline."""
    return join_lines(text.strip().split("\n"))


def escape_start(line: str) -> str:
    """A backslash before what would start a block at the start of ``line``: a ``#``,
    ``-``, ``1.``, ``>``, a setext underline, a thematic break, a code fence, a footnote
    definition (a unit can't hold one: its text belongs to the sentence)."""
    match = _BLOCK_START.match(line)
    if not match:
        return line
    at = match.end() - 1 if line[0].isdigit() else 0
    return line[:at] + "\\" + line[at:]


def escape_heading(text: str) -> str:
    """A backslash before trailing ``#``s, which an ATX heading would drop as its closing
    sequence (``## Key points #`` reads as "Key points")."""
    match = _ATX_CLOSING.search(text)
    if not match:
        return text
    at = match.start(1)
    return text[:at] + "\\" + text[at:]
