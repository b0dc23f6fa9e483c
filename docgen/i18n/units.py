"""Translation units: every translatable text of an article, with a stable id and fingerprint.

A unit is what a translator translates and a reviewer accepts: a front-matter field, or a
paragraph-like block of the body, named by its place in the structure (never its words) so
that unit N of the source pairs with unit N of ``NAME.LANG.md``. A body unit's text is its
Markdown source, markers of headings, lists and quotes removed: what a translator must keep
and what gets written back into the file.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import assert_never

from .. import model as m

FINGERPRINT_LENGTH = 12
FRONT = "front"
"""The group of the front-matter units; body groups are ``intro``, ``s2``, ``s2.1``, ``fn1``."""

FINGERPRINT_NOTE = re.compile(rf"fingerprint:?\s*([0-9a-f]{{{FINGERPRINT_LENGTH}}})")
"""A fingerprint as an exchange file carries it: an XLIFF ``<note>``, a PO ``#.`` comment."""

_WS = re.compile(r"\s+")
_ATX = re.compile(r"#{1,6}(?=[ \t]|$)[ \t]*")
_ATX_CLOSE = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_SETEXT = re.compile(r"(=+|-+)[ \t]*$")
_ITEM = re.compile(r"(?:[-+*]|\d{1,9}[.)])(?:[ \t]+|$)")
_KINDS = {"item": "list item", "quote": "quote", "note": "footnote"}
_NOTE = re.compile(r"\[\^[^\]]+\]:[ \t]*")
_PIPE = re.compile(r"\\.|\|")


def normalize(text: str) -> str:
    """The text as compared: NFC, every run of white space one space, no outer spaces."""
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fingerprint(text: str) -> str:
    """A short digest of a unit's text: changes with any word, not when lines are reflowed."""
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()[:FINGERPRINT_LENGTH]


@dataclass(frozen=True)
class Span:
    """Where a body unit's text lies in its file (character offsets), for writing a new
    text in its place; ``cont`` prefixes a continuation line (``> ``, an indent)."""

    start: int
    end: int
    cont: str = ""
    cell: bool = False


@dataclass(frozen=True)
class Unit:
    """One translatable text; ``line``/``column`` point at it in the file it comes from."""

    id: str
    text: str
    kind: str
    group: str
    line: int
    column: int
    span: Span | None = None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.text)


def field_units(
    meta: m.Metadata, lang: str, universal: bool = False
) -> list[tuple[Unit, m.Localized]]:
    """The front-matter units in file order, with their localized values.

    Plain strings (a name, an acronym: the same in every language) are left out unless
    ``universal``: an import may still give one a translation, turning it into a mapping.
    """
    out: list[tuple[Unit, m.Localized]] = []
    for ident, loc in meta.localized_fields():
        if loc.is_universal and not universal:
            continue
        text = loc.get(lang)
        if text is not None:
            pos = loc.position(lang)
            out.append((Unit(ident, text, "field", FRONT, pos.line, pos.column), loc))
    return sorted(out, key=lambda pair: pair[0].line)


@dataclass(frozen=True)
class Body:
    """A body's units, and the line where each group (intro, section, footnote) begins."""

    units: tuple[Unit, ...]
    starts: dict[str, int]
    text: str
    offsets: tuple[int, ...]

    def counts(self) -> Counter[str]:
        return Counter(unit.group for unit in self.units)

    def region(self, group: str) -> tuple[int, int]:
        """The characters a group covers: from its first line to the next group's."""
        first = self.starts[group]
        bound = first + (group != "intro")  # an intro may be empty: a heading on its first line
        later = [n for g, n in self.starts.items() if g != "intro" and n >= bound]
        return self.offsets[first - 1], self.offsets[min(later) - 1] if later else len(self.text)


def body_units(
    blocks: tuple[m.Block, ...], footnotes: tuple[m.Footnote, ...], text: str, first_line: int
) -> Body:
    """The units of a body parsed from ``text`` (a whole file; the body starts at
    ``first_line``), in document order, footnotes last."""
    walker = _Walker(text, blocks, footnotes)
    walker.starts["intro"] = first_line
    walker.walk(blocks, "intro", "")
    for number, note in enumerate(footnotes, start=1):
        if note.children:
            group = f"fn{number}"
            walker.starts[group] = note.children[0].line
            chain = (("note", note.children[0].line),)
            for child in note.children:
                walker.block(child, group, chain)
    return Body(tuple(walker.units), walker.starts, text, tuple(walker.offsets))


Chain = tuple[tuple[str, int], ...]  # containers, outermost first: (quote|item|note, line)


class _Walker:
    """Walks a block tree, finding each unit's exact source lines from its first line."""

    def __init__(self, text: str, blocks: Iterable[m.Block], notes: Iterable[m.Footnote]) -> None:
        self.text = text
        self.lines = text.split("\n")
        self.offsets = [0]
        for line in self.lines:  # where each line starts, and (last) the end of the text
            self.offsets.append(min(self.offsets[-1] + len(line) + 1, len(text)))
        self.block_lines: set[int] = set()
        for children in (blocks, *(note.children for note in notes)):
            _collect_lines(children, self.block_lines)
        self.units: list[Unit] = []
        self.starts: dict[str, int] = {}
        self.count: Counter[str] = Counter()

    def walk(self, blocks: tuple[m.Block, ...], group: str, prefix: str) -> None:
        number = 0
        for block in blocks:
            if isinstance(block, m.Section):
                number += 1
                inner = f"s{prefix}{number}"
                self.starts[inner] = block.line
                self.lines_unit(block.line, inner, (), "heading", f"body.{inner}.h")
                self.walk(block.children, inner, f"{prefix}{number}.")
            else:
                self.block(block, group, ())

    def block(self, block: m.Block, group: str, chain: Chain) -> None:
        match block:
            case m.Paragraph():
                kind = _KINDS[chain[-1][0]] if chain else "paragraph"
                self.lines_unit(block.line, group, chain, kind)
            case m.Figure():
                self.lines_unit(block.line, group, chain, "figure")
            case m.Heading():
                self.lines_unit(block.line, group, chain, "heading")
            case m.Section():
                self.lines_unit(block.line, group, chain, "heading")
                for child in block.children:
                    self.block(child, group, chain)
            case m.BulletList() | m.OrderedList():
                for item in block.items:
                    for child in item.children:
                        self.block(child, group, (*chain, ("item", item.line)))
            case m.BlockQuote():
                for child in block.children:
                    self.block(child, group, (*chain, ("quote", block.line)))
            case m.Table():
                self.table(block, group, chain)
            case m.CodeBlock() | m.RawBlock() | m.ThematicBreak():
                pass  # code and markup are not translated; a rule has no text
            case _:
                assert_never(block)

    def add(
        self, group: str, kind: str, line: int, span: Span, *, ident: str = "", quotes: int = 0
    ) -> None:
        """Record the unit at ``span`` (it begins on file line ``line``), if it has text."""
        raw = self.text[span.start : span.end]
        if not normalize(raw):
            return
        if not ident:
            self.count[group] += 1
            ident = f"body.{group}.p{self.count[group]}"
        column = span.start - self.offsets[line - 1] + 1
        text = join_lines(raw.split("\n"), quotes)
        self.units.append(Unit(ident, text, kind, group, line, column, span))

    def lines_unit(self, line: int, group: str, chain: Chain, kind: str, ident: str = "") -> None:
        """A paragraph-like block: from its first line to a blank line or the next block."""
        first = self.lines[line - 1]
        start = _content_start(first, line, chain)
        atx = _ATX.match(first, start) if kind == "heading" else None
        last = line
        while not atx and last < len(self.lines) and last + 1 not in self.block_lines:
            following = self.lines[last]
            rest = following[_content_start(following, 0, chain) :]
            if not rest.strip() or (kind == "heading" and _SETEXT.match(rest)):
                break
            last += 1
        tail = self.lines[last - 1].rstrip()
        if atx:
            start = atx.end()
            tail = tail[:start] + _ATX_CLOSE.sub("", tail[start:])
        cont = re.sub(r"[^\s>]", " ", first[:start])
        if last > line:
            second = self.lines[line]
            cont = second[: _content_start(second, 0, chain)]
        span = Span(self.offsets[line - 1] + start, self.offsets[last - 1] + len(tail), cont)
        self.add(group, kind, line, span, ident=ident, quotes=sum(n == "quote" for n, _ in chain))

    def table(self, table: m.Table, group: str, chain: Chain) -> None:
        for row, cells in enumerate((table.header, *table.rows)):
            line = table.line + (row + 1 if row else 0)
            raw = self.lines[line - 1]
            spans = _cells(raw, _content_start(raw, line, chain))
            base = self.offsets[line - 1]
            for a, b in spans[: len(cells)]:
                self.add(group, "table cell", line, Span(base + a, base + b, "", cell=True))


def join_lines(lines: list[str], quotes: int = 0) -> str:
    """A unit's lines as one text: soft breaks become a space, hard breaks ``\\`` + newline."""
    parts: list[str] = []
    for index, raw in enumerate(lines):
        content = raw if index == 0 else re.sub(rf"^(?:[ \t]*>){{0,{quotes}}}", "", raw)
        stripped = content.strip()
        if index == len(lines) - 1:
            parts.append(stripped)
        elif (len(stripped) - len(stripped.rstrip("\\"))) % 2 == 1:
            parts.append(stripped + "\n")
        elif content.endswith("  "):
            parts.append(stripped + "\\\n")
        else:
            parts.append(stripped + " ")
    return "".join(parts)


def _content_start(raw: str, line: int, chain: Chain) -> int:
    """Where a line's text begins once its containers' markers are skipped; a list marker
    or a footnote label only stands on the container's own first line."""
    index = 0
    for kind, start in chain:
        index = _skip_space(raw, index)
        if kind == "quote":
            if raw.startswith(">", index):
                index += 2 if raw.startswith("> ", index) else 1
        elif start == line:
            match = (_ITEM if kind == "item" else _NOTE).match(raw, index)
            index = match.end() if match else index
    return _skip_space(raw, index)


def _skip_space(raw: str, index: int) -> int:
    return len(raw) - len(raw[index:].lstrip(" \t"))


def _cells(raw: str, start: int) -> list[tuple[int, int]]:
    """The text range of each cell of a table row: split at unescaped pipes, as GFM does."""
    pipes = [match.start() for match in _PIPE.finditer(raw, start) if match.group() == "|"]
    end = len(raw.rstrip())
    edges = [start - 1, *pipes, end]
    cells = [(edges[i] + 1, edges[i + 1]) for i in range(len(edges) - 1)]
    cells = cells[1 if pipes and pipes[0] == start else 0 :]
    cells = cells[: -1 if pipes and pipes[-1] == end - 1 else None]
    trimmed = [(_skip_space(raw, a), len(raw[:b].rstrip(" \t"))) for a, b in cells]
    return [(a, max(a, b)) for a, b in trimmed]


def _collect_lines(blocks: Iterable[m.Block], into: set[int]) -> None:
    """Every line where a block (or list item) starts: where a paragraph must end."""
    for block in blocks:
        into.add(block.line)
        match block:
            case m.Section() | m.BlockQuote():
                _collect_lines(block.children, into)
            case m.BulletList() | m.OrderedList():
                for item in block.items:
                    into.add(item.line)
                    _collect_lines(item.children, into)
            case (
                m.Paragraph()
                | m.Heading()
                | m.CodeBlock()
                | m.RawBlock()
                | m.ThematicBreak()
                | m.Figure()
                | m.Table()
            ):
                pass
            case _:
                assert_never(block)
