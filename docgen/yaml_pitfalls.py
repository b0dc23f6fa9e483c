"""YAML's traps for authors of prose, explained where they happen, with the fix.

An unquoted French title with " : " is YAML's "mapping values are not allowed here"; a value
starting with ``@`` is "found character '@' that cannot start any token"; a ``#`` after a
space silently cuts the rest of the value off as a comment. Authors of briefs are not YAML
experts: each message here says what happened in their terms and shows the line with the
value quoted, ready to paste.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import Location, Problem
from .yaml_nodes import Node, is_mapping, is_null, is_scalar, is_sequence

_RESERVED = {
    "@": "'@' cannot start an unquoted value",
    "`": "'`' cannot start an unquoted value",
    "%": "'%' cannot start an unquoted value",
}
_STARTS = {
    "sequence entries are not allowed here": ("-", "a value starting with '- ' is read as a list"),
    "mapping keys are not allowed here": ("?", "a value starting with '? ' is read as a key"),
}
_BLOCK_KEY = re.compile(r"([ \t]*(?:-[ \t]+)*)([^ \t#'\"\[\]{}:][^#]*?|'[^']*'|\"[^\"]*\"):[ \t]+")
"""``key: `` at the start of a line (after any ``- ``), up to the value."""
_SEQ_ITEM = re.compile(r"[ \t]*(?:-[ \t]+)+")
_TRAILING_COMMENT = re.compile(r"[ \t]+#(?:[ \t].*)?$")
_CUT = re.compile(r"[ \t]+#(?=\S)")


def explain(text: str, problem: str, line: int, column: int) -> str | None:
    """A message for the YAML error ``problem`` at 0-based ``line``/``column``, or None.

    Only errors whose cause is certain are explained; the rest keep YAML's own words.
    """
    lines = text.split("\n")
    if line >= len(lines) or column >= len(lines[line]):
        return None
    source, ch = lines[line], lines[line][column]
    if ch == ":" and _colon_error(problem, source, column):
        key = _BLOCK_KEY.match(source)
        if key and key.end() <= column and source[key.end() : key.end() + 1] in ("'", '"'):
            what = "a ': ' after a quoted text starts a mapping"
            return f"{what}; put the whole value in one pair of quotes"
        follows = source[column + 1 : column + 2]
        what = "a ': ' inside" if follows in (" ", "\t") else "a ':' ending"
        return _with_fix(f"{what} an unquoted value starts a mapping", source, column)
    if problem == f"found character {ch!r} that cannot start any token" and ch in _RESERVED:
        return _with_fix(_RESERVED[ch], source, column, start=True)
    if problem in _STARTS and _STARTS[problem][0] == ch:
        return _with_fix(_STARTS[problem][1], source, column, start=True)
    return None


def comment_cuts(
    root: Node | None, text: str, path: Path, line_offset: int
) -> list[tuple[Node, Problem]]:
    """Refuse a ``#`` glued to a word after an unquoted value: it cut the value short.

    Returns each cut value's node with its problem, so that the schema does not report the
    same value again (an empty value is "must not be empty" too).

    ``title: Maroc #1`` is the title "Maroc" and a comment "#1" to YAML, silently. A ``#``
    followed by a space (``date: 2025-12-01  # publication``) stays an ordinary comment.
    """
    if "#" not in text:
        return []
    lines = text.split("\n")
    problems: list[tuple[Node, Problem]] = []

    def check(node: Node, line: int, column: int, pattern: re.Pattern[str]) -> None:
        found = pattern.match(lines[line], column)
        if found:
            hash_column = found.end() - 1
            message = "a ' #' starts a comment, which cuts the value short here"
            message = _with_fix(message, lines[line], hash_column)
            location = Location(path, line + 1 + line_offset, hash_column + 1)
            problems.append((node, Problem(location, message)))

    stack: list[Node] = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if is_scalar(node):
            if not node.style and node.value:
                check(node, node.end_mark.line, node.end_mark.column, _CUT)
        elif is_sequence(node):
            stack.extend(node.value)
        elif is_mapping(node):
            for key, value in node.value:
                if is_null(value) and not value.value and is_scalar(key):
                    # an empty value: the comment began right after "key:"
                    check(value, key.end_mark.line, key.end_mark.column, _EMPTY_CUT)
                stack.extend((key, value))
    return problems


_EMPTY_CUT = re.compile(r"[ \t]*:[ \t]+#(?=\S)")


def colon_hint(node: Node, lines: list[str]) -> str:
    """For a one-pair mapping typed on one line where a text was expected, the fix.

    ``- Le Maroc : un partenaire`` is valid YAML — the mapping {"Le Maroc": "un partenaire"}
    — so no YAML error says what happened; the schema's message gets this added.
    """
    if not is_mapping(node) or len(node.value) != 1:
        return ""
    key, value = node.value[0]
    plain = is_scalar(key) and is_scalar(value) and not key.style and not value.style
    if not plain or is_null(value) or key.start_mark.line != value.start_mark.line:
        return ""
    source = lines[key.start_mark.line]
    fixed = _quoted_line(source, key.start_mark.column, start=True)
    if fixed is None:
        return "; if ': ' belongs to the text, put the whole text in quotes"
    return f"; if ': ' belongs to the text, put it in quotes: {fixed}"


def _colon_error(problem: str, source: str, column: int) -> bool:
    """Whether this ':' sits inside a value (not, say, after an unclosed bracket)."""
    if problem == "mapping values are not allowed here":
        return True
    if not problem.startswith("expected ',' or '}'"):
        return False
    start = max(source.rfind(c, 0, column) for c in "{,")
    return start >= 0 and re.search(r":[ \t]", source[start:column]) is not None


def _with_fix(what: str, source: str, column: int, start: bool = False) -> str:
    """``what`` and the fix: the line with its value in quotes, when the value is clear.

    ``start`` says ``column`` is where the value begins (else it is somewhere inside).
    """
    fixed = _quoted_line(source, column, start)
    if fixed is None:
        return f"{what}; put the whole value in quotes"
    return f"{what}; put the value in quotes: {fixed}"


def _quoted_line(source: str, column: int, start: bool) -> str | None:
    key = _BLOCK_KEY.match(source)
    item = _SEQ_ITEM.match(source)
    value_start = key.end() if key else item.end() if item else len(source) - len(source.lstrip())
    if source[value_start : value_start + 1] in ("[", "{") and value_start <= column:
        return _quoted_flow_item(source, column)
    if item is not None and item.end() == column and start:
        value = _TRAILING_COMMENT.sub("", source[item.end() :]).rstrip()
        return f"{item.group().lstrip()}{_quote(value)}"
    if key is not None and key.end() <= column and (not start or key.end() == column):
        value = _TRAILING_COMMENT.sub("", source[key.end() :]).rstrip()
        if value[:1] in ("'", '"'):
            return None
        return f"{key.group(1).lstrip()}{key.group(2)}: {_quote(value)}"
    return None


def _quoted_flow_item(source: str, column: int) -> str | None:
    """The item of ``[…]`` or ``{…}`` around ``column``, quoted, when it ends on this line."""
    begin = max(source.rfind(c, 0, column) for c in "[{,") + 1
    ends = [i for i in (source.find(c, column) for c in ",]}") if i >= 0]
    if not ends:
        return None
    segment = source[begin : min(ends)].strip()
    inner = re.match(r"([^ \t#'\"\[\]{}:][^#]*?):[ \t]+", segment)
    if inner and source[begin:column].strip():  # the value after "key: " in a flow mapping
        return f"{inner.group(1)}: {_quote(segment[inner.end() :])}"
    return _quote(segment)


def _quote(value: str) -> str:
    """``value`` as a YAML double-quoted scalar, or single-quoted if it holds ``"`` or ``\\``."""
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"
