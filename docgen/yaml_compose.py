"""YAML text → a node graph with positions: libyaml's speed, ruamel.yaml's answers.

docgen never constructs Python objects from YAML; it reads composed nodes (kind, tag, raw
scalar text, start mark). Composing used to be ruamel.yaml's pure-Python composer, ~15 ms
for the seed's front matter and several times per ``check``. PyYAML's C extension over
libyaml composes the same text in well under a millisecond, with the same graph and marks.

The two disagree at the edges — YAML 1.1 against 1.2, libyaml's leniency with tabs and its
line separators, the mark of an empty value, and every error message — and docgen's
messages and positions are ruamel's, checked byte for byte by the golden tests. So the fast
composer is used only where it was found to agree (``tests/test_yaml_compose.py`` compares
both on generated documents): a text holding a tab or a line separator, a YAML error, an
alias or a nesting past ``MAX_DEPTH`` goes to ruamel.yaml, which gives the answer it always
gave. Without PyYAML's C extension (libyaml not built), or with a libyaml older than 0.2.6
(no nesting limit: deep input crashes its composer), everything goes to ruamel.yaml:
slower, identical.

Both paths then refuse what would break a renderer later: control characters, noncharacters
and lone surrogates that escapes (``"\\e"``, ``"\\x07"``, ``"\\ud800"``) put into a value,
and nesting deeper than ``MAX_DEPTH`` (counted on parser events, before any recursion).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import Location, Problem
from .yaml_nodes import Mark, Node, is_null

try:
    from yaml import CSafeLoader as _CLoader
    from yaml import Mark as _CMark
    from yaml import YAMLError as _CError
    from yaml import compose as _c_compose
    from yaml._yaml import get_version as _libyaml_version

    if _libyaml_version() < (0, 2, 6):
        # Before 0.2.6 libyaml has no nesting limit, and PyYAML's C composer recurses once
        # a level: "[" x 100,000 overflows the C stack (a crash, not an exception).
        _CLoader = None
except ImportError:  # PyYAML without its C extension, or no PyYAML at all
    _CLoader = None

MAX_DEPTH = 32
"""Lists and mappings nested deeper are refused. The front matter needs 4; ruamel's
recursive composer fails near 300 (``[`` × 500 was a ``RecursionError``)."""

_SLOW_CHARACTERS = re.compile("[\t\r\x85\u2028\u2029\ufeff]")
"""Tabs (ruamel refuses some that libyaml accepts), YAML 1.1's extra line breaks (libyaml
counts lines by them) and a BOM inside the text (libyaml does not count it as a column)."""
_SLOW_SYNTAX = (
    # (a string the pattern needs, tested first because it is cheap; the pattern)
    ("&", re.compile(r"(?:^|\n|[\[{,]|[:?-] ) *&")),  # an anchor where a node starts…
    ("!", re.compile(r"(?:^|\n|[\[{,]|[:?-] ) *!")),  # … or a tag ("!" alone too): marks differ
    ("#", re.compile(r"[|>][-+0-9]*#")),  # a comment glued to a block scalar header
    ("---", re.compile(r"(?m:^---(?:[ \n]|$))")),  # a document start…
    ("...", re.compile(r"(?m:^\.\.\.(?:[ \n]|$))")),  # … or end: empty documents differ
    ("?", re.compile(r"(?m:^[ -]*\?(?:[ \n]|$))")),  # an explicit key: empty values differ
)
"""Syntax on which libyaml and ruamel.yaml were found to disagree (marks, acceptance).
All of it is rare in a front matter; ruamel.yaml answers for it."""


def _needs_ruamel(text: str) -> bool:
    """Whether ``text`` holds something the two composers may read differently."""
    if _SLOW_CHARACTERS.search(text):
        return True
    return any(mark in text and pattern.search(text) for mark, pattern in _SLOW_SYNTAX)


def has_fast_composer() -> bool:
    """Whether PyYAML's C extension over libyaml 0.2.6+ is there (else ruamel.yaml answers)."""
    return _CLoader is not None


def compose(text: str, path: Path, line_offset: int) -> tuple[Node | None, list[Problem]]:
    """Compose YAML ``text`` (its first line is file line ``line_offset + 1``) into nodes.

    Aliases, nesting past ``MAX_DEPTH`` and YAML errors become located problems; so do
    characters no document may hold that escapes put into a scalar.
    """
    agreed, root = _fast(text)
    if not agreed:
        root, problems = _slow(text, path, line_offset)
        if problems:
            return None, problems
    return root, _character_problems(refused_scalars(root, text), path, line_offset)


def refused_scalars(root: Node | None, text: str) -> list[Node]:
    """The scalars of ``text`` holding a character no value may hold (see ``compose``).

    Only an escape (after a backslash) or the text itself can put one there: a text with
    neither is answered without visiting a node.
    """
    if "\\" not in text and not _first_forbidden(text):
        return []
    return [node for node in scalars(root) if _first_forbidden(_value(node))]


def scalars(root: Node | None) -> Iterator[Node]:
    """Every scalar below ``root``, keys included, in document order (no recursion)."""
    stack: list[Node] = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if node.id == "scalar":
            yield node
        elif node.id == "sequence":
            stack.extend(reversed(node.value))
        else:
            for key, value in reversed(node.value):
                stack.extend((value, key))


# -- the fast path -------------------------------------------------------------------------


def _fast(text: str) -> tuple[bool, Node | None]:
    """libyaml's graph, with False where ruamel.yaml must answer (they may differ there)."""
    if _CLoader is None or _needs_ruamel(text):
        return False, None
    try:
        root: Node | None = _c_compose(text, Loader=_CLoader)
    except _CError:
        return False, None
    if root is not None and not _agrees(root, text):
        return False, None
    return True, root


def _agrees(root: Node, text: str) -> bool:
    """Check for aliases and depth, and give empty values ruamel's marks; False to fall back.

    An alias shows as a node met twice (libyaml shares it); nesting is counted without
    recursion.
    """
    if root.id == "scalar" and root.style in ("|", ">"):
        return False  # the two read "#" lines of a top-level block scalar differently
    seen: set[int] = set()
    stack: list[tuple[Node, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            return False
        seen.add(id(node))
        if node.id == "scalar":
            continue
        depth += 1
        if depth > MAX_DEPTH:
            return False
        if node.id == "sequence":
            stack.extend((item, depth) for item in node.value)
            continue
        flow = bool(getattr(node, "flow_style", False))
        for number, (key, value) in enumerate(node.value, start=1):
            if value.id == "scalar" and not value.style and not value.value and is_null(value):
                last = number == len(node.value)
                index = _empty_value_index(text, flow, key, value, last)
                line = text.count("\n", 0, index)
                column = index - (text.rfind("\n", 0, index) + 1)
                value.start_mark = value.end_mark = _CMark(None, index, line, column, None, None)
            stack.append((key, depth))
            stack.append((value, depth))
    return True


def _empty_value_index(text: str, flow: bool, key: Node, value: Node, last: bool) -> int:
    """Where ruamel.yaml marks an empty value, found by comparing both libraries.

    In a flow mapping, right after the ``:`` (or at the next token for a key without one:
    ``{a}``); libyaml marks the next token. In a block mapping, at the next token, unless a
    comment follows the ``:`` on its line and another key follows: then right after the
    ``:``, where libyaml marks it.
    """
    if flow:
        index = _next_token(text, _offset(text, key.end_mark))
        return index + 1 if index < len(text) and text[index] == ":" else index
    index = _offset(text, value.start_mark)
    after_spaces = len(text) - len(text[index:].lstrip(" "))
    if not last and text[after_spaces : after_spaces + 1] == "#":
        return index
    return _next_token(text, index)


def _next_token(text: str, index: int) -> int:
    """The next token's start: past spaces, line breaks and comments."""
    while index < len(text):
        ch = text[index]
        if ch in " \n":
            index += 1
        elif ch == "#":
            end = text.find("\n", index)
            index = len(text) if end < 0 else end
        else:
            break
    return index


def _offset(text: str, mark: Any) -> int:
    """The character offset of a libyaml mark (past the end: libyaml adds a line break)."""
    return min(int(mark.index), len(text))


# -- the exact path ------------------------------------------------------------------------


def _slow(text: str, path: Path, line_offset: int) -> tuple[Node | None, list[Problem]]:
    """ruamel.yaml's graph and messages, as docgen always reported them."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.events import (
        AliasEvent,
        CollectionEndEvent,
        CollectionStartEvent,
    )

    from .yaml_pitfalls import explain

    def at(mark: Mark) -> Location:
        return Location(path, mark.line + 1 + line_offset, mark.column + 1)

    yaml = YAML(typ="rt", pure=True)
    try:
        depth = 0
        for event in yaml.parse(io.StringIO(text)):
            if isinstance(event, AliasEvent):
                message = "YAML aliases (*name) are not allowed in front matter"
                return None, [Problem(at(event.start_mark), message)]
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    message = f"lists and mappings nested deeper than {MAX_DEPTH} levels"
                    return None, [Problem(at(event.start_mark), message + " are not allowed")]
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
        root: Node | None = yaml.compose(io.StringIO(text))
        return root, []
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else line_offset
        column = mark.column + 1 if mark else 0
        message = str(exc.problem or "syntax error")
        if exc.context:
            message += f" ({exc.context})"
        explained = explain(text, str(exc.problem), mark.line, mark.column) if mark else None
        message = explained or f"invalid YAML: {message}"
        return None, [Problem(Location(path, line, column), message)]
    except YAMLError as exc:  # a reader error: a character YAML refuses
        offset = int(getattr(exc, "position", 0) or 0)
        line = text.count("\n", 0, offset) + 1 + line_offset
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        reason = getattr(exc, "reason", None) or str(exc)
        return None, [Problem(Location(path, line, column), f"invalid YAML: {reason}")]


# -- characters escapes can smuggle in -----------------------------------------------------

_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
"""C0 and C1 controls but tab and line feed, lone surrogates, the BMP's noncharacters."""
_HIGH = re.compile("[\U0001fffe-\U0010ffff]")
"""Where the other 32 noncharacters (U+1FFFE, U+1FFFF … U+10FFFF) may be: one class of all
66 makes the regex ten times slower on every text."""


def _first_forbidden(text: str) -> str | None:
    """A character of ``text`` no value may hold, if any."""
    found = _FORBIDDEN.search(text)
    if found:
        return found.group()
    return next(
        (m.group() for m in _HIGH.finditer(text) if ord(m.group()) & 0xFFFE == 0xFFFE), None
    )


def _character_problems(refused: list[Node], path: Path, line_offset: int) -> list[Problem]:
    """Refuse, in every scalar's value, what ``source.read_text`` refuses in the file.

    Escapes in double-quoted scalars can write any code point; a control character passed
    ``check`` and then failed the build after the first file was written.
    """
    problems: list[Problem] = []
    for node in refused:
        mark = node.start_mark
        location = Location(path, mark.line + 1 + line_offset, mark.column + 1)
        found = _first_forbidden(_value(node))
        assert found is not None  # that is how the node was chosen
        problems.append(Problem(location, f"{_name(found)} not allowed, even written as an escape"))
    return problems


def _value(node: Node) -> str:
    """A scalar's value as written: without the BEL ruamel puts at a ">" scalar's folds."""
    value = str(node.value)
    return value.replace("\a", "") if node.style == ">" else value


def _name(ch: str) -> str:
    """What ``ch`` is, named for the message."""
    point = ord(ch)
    if 0xD800 <= point <= 0xDFFF:
        return f"lone surrogate U+{point:04X}"
    if 0xFDD0 <= point <= 0xFDEF or (point & 0xFFFE) == 0xFFFE:
        return f"noncharacter U+{point:04X}"
    return f"control character U+{point:04X}"
