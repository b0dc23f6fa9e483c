"""Markdown body → model blocks, parsed once with markdown-it-py.

CommonMark plus GFM tables, strikethrough and footnotes, and language spans
(``[text]{lang=en}``: the span form of mdit_py_plugins' attrs plugin, with its attribute
parser, and nothing after code or images; a link may be followed by ``{lang=en}`` too).
Nothing downstream sees a markdown-it token: this module is the only one that knows them.
Headings become nested ``Section`` nodes; raw HTML becomes ``RawInline``/``RawBlock`` so
that renderers decide what to do with it (print it as text, by default).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.attrs.parse import ParseError
from mdit_py_plugins.attrs.parse import parse as parse_attrs
from mdit_py_plugins.footnote import footnote_plugin

from . import markdown_limits
from .errors import Location, Problem
from .langtag import BadLanguageTag, check_language_tag
from .markdown_limits import MAX_SPANS, MAX_SPANS_PER_BLOCK, LimitExceeded
from .model import (
    Block,
    BlockQuote,
    BulletList,
    Code,
    CodeBlock,
    Emphasis,
    Figure,
    Footnote,
    FootnoteRef,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    ListItem,
    OrderedList,
    Paragraph,
    RawBlock,
    RawInline,
    Section,
    Span,
    Strikethrough,
    Strong,
    Table,
    TableCell,
    Text,
    ThematicBreak,
)

MAX_DEPTH = 40
"""Deepest nesting accepted — block quotes, lists and inline spans (emphasis, links…) each
count one level; a paragraph does not. Deeper input is refused, not truncated."""

_PARSER_NESTING = 2 * MAX_DEPTH + 8
"""markdown-it silently drops what lies deeper than its limit, so ours must trip first; it
counts two levels for each list (the list and its item), one for a block quote."""

_SAFE_SCHEMES = ("http", "https", "mailto", "tel")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_OTHER_MACHINE = re.compile(r"^([\\/]|%5[cC]){2}")
"""``//host/share`` (or with backslashes): a PDF reader resolves it to ``file://host/…``."""
_CONTAINER_MARKER = re.compile(r"[ \t]*(>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))")
_ALIGN = re.compile(r"text-align:(left|center|right)")


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": _PARSER_NESTING})
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    # Only the span form, ``[text]{...}``, after every other bracket rule (a link, a
    # footnote call ``[^1]{...}`` win): attributes after code, images and links would
    # swallow text CommonMark prints. ``_link_lang`` takes a lone ``{lang=…}`` after a link.
    md.inline.ruler.after("footnote_ref", "span", _span)
    md.inline.ruler.push("docgen_link_lang", _link_lang)
    markdown_limits.install(md)
    # markdown-it would print a refused link as its raw Markdown, silently; every link and
    # image reaches the model instead, where ``is_safe_href`` and the resource policy decide,
    # keep the text, and say so.
    md.validateLink = _accept_every_link  # type: ignore[method-assign, assignment]
    return md


def _accept_every_link(_url: str) -> bool:
    return True


MAX_ATTRIBUTES = 256
"""Characters of a ``{...}`` attribute block read at most: ``{lang=zh-Hant-TW}`` needs 17.
Unbounded, the attribute parser reads the rest of the paragraph, a character at a time, at
every ``[x]{``: a hostile 2 MB paragraph took 5 s to parse instead of 0.1 s."""


def _attributes(state: StateInline, at: int) -> tuple[int, dict[str, str]] | None:
    """The attribute block starting at ``state.src[at]`` (``{``): its length and its
    attributes, or None when there is none (or it is longer than ``MAX_ATTRIBUTES``)."""
    if at >= state.posMax or state.src[at] != "{":
        return None
    block = state.src[at : min(state.posMax, at + MAX_ATTRIBUTES)]
    try:
        length, attrs = parse_attrs(block)
    except ParseError:
        return None
    if length >= len(block) or block[length] != "}":  # unterminated (older plugins return)
        return None
    return length + 1, attrs


def _span(state: StateInline, silent: bool) -> bool:
    """``[text]{attributes}``: mdit_py_plugins' attrs span rule (``attrs_plugin(spans=True)``)
    with its attribute parser, reading a bounded attribute block (``MAX_ATTRIBUTES``). The
    attributes are kept as written; ``_Builder.span`` decides what is honoured."""
    if state.src[state.pos] != "[":
        return False
    label_end = state.md.helpers.parseLinkLabel(state, state.pos, False)
    if label_end < 0:
        return False
    found = _attributes(state, label_end + 1)
    if found is None:
        return False
    length, attrs = found
    if not silent:
        maximum = state.posMax
        state.pos, state.posMax = state.pos + 1, label_end
        token = state.push("span_open", "span", 1)
        token.attrs.update(attrs)
        state.md.inline.tokenize(state)
        state.push("span_close", "span", -1)
        state.posMax = maximum
    state.pos = label_end + 1 + length
    return True


def _link_lang(state: StateInline, silent: bool) -> bool:
    """``[text](url){lang=en}``: the link's language. Only a ``{...}`` holding ``lang`` and
    nothing else is taken; any other text after a link stays text, as CommonMark reads it."""
    if state.pending or not state.tokens or state.tokens[-1].type != "link_close":
        return False
    found = _attributes(state, state.pos)
    if found is None or set(found[1]) != {"lang"}:
        return False
    length, attrs = found
    opening = len(state.tokens) - 1
    while state.tokens[opening].type != "link_open":
        opening -= 1
    if not silent:
        state.tokens[opening].meta["lang"] = attrs["lang"]
    state.pos += length
    return True


_MD = _parser()


@dataclass
class ParsedBody:
    """What the body parser hands back: the block tree, footnotes and any problems."""

    blocks: tuple[Block, ...]
    footnotes: tuple[Footnote, ...]
    problems: list[Problem] = field(default_factory=list)


def is_safe_href(href: str) -> bool:
    """Fragments (``#sec-1``) and web/mail/phone links pass; nothing else does."""
    return unsafe_href_reason(href) is None


def unsafe_href_reason(href: str) -> str | None:
    """Why a link must not reach an output, or None when it may.

    A PDF has no folder of its own: WeasyPrint resolves a relative link against the build
    machine's source folder, so ``annexe.pdf`` would become ``file:///home/…/annexe.pdf``
    (a path of the build machine, dead for every reader) and ``//host/share`` would become
    ``file://host/share`` (an SMB connection when clicked on Windows). Only fragments and
    absolute links of the safe schemes are kept.
    """
    value = href.strip()
    if value.startswith("#"):
        return None
    if not value:
        return "empty link removed, its text kept: it would point at the build machine"
    if _OTHER_MACHINE.match(value):
        return (
            f"link to {href!r} removed: a link starting with '//' points to another machine"
            " (file://… in a PDF)"
        )
    match = _SCHEME.match(value)
    if match is None:
        return (
            f"relative link {href!r} would point into the build machine; the link is removed,"
            " its text kept (write the full https:// address)"
        )
    if match.group(1).lower() not in _SAFE_SCHEMES:
        return f"link to {href!r} removed: only http, https, mailto and tel"
    return None


class _Builder:
    """Walks one markdown-it syntax tree; keeps the state the walk needs."""

    def __init__(self, path: Path, line_offset: int, text: str = "") -> None:
        self.path = path
        self.line_offset = line_offset
        self.lines = text.split("\n")
        self.problems: list[Problem] = []
        self.footnote_numbers: dict[str, int] = {}
        self._too_deep_reported = False
        self._spans_in_block = 0
        self._spans = 0
        self._searched: dict[tuple[int, str], tuple[int, int]] = {}

    # -- helpers -------------------------------------------------------------------------

    def line_of(self, node: SyntaxTreeNode) -> int:
        """The 1-based line of ``node`` in the whole source file."""
        mapped = node.map
        return mapped[0] + 1 + self.line_offset if mapped else 0

    def warn(self, line: int, message: str, column: int = 0) -> None:
        self.problems.append(Problem(Location(self.path, line, column), message, "warning"))

    def source_line(self, line: int) -> str:
        """The text of file line ``line`` (empty when it is not in the body)."""
        index = line - 1 - self.line_offset
        return self.lines[index] if 0 <= index < len(self.lines) else ""

    def find(self, line: int, needle: str) -> tuple[int, int]:
        """The file line and column of ``needle`` at or after ``line`` in the body, each
        repeated search finding the next occurrence; ``(line, 0)`` when not found.

        Inline tokens carry no positions, so a message about a link finds its target in
        the text; searching on from the last hit keeps two equal links apart."""
        start_line, start_column = self._searched.get((line, needle), (line, 0))
        for number in range(start_line, min(line + 200, self.line_offset + len(self.lines) + 1)):
            text = self.source_line(number)
            at = text.find(needle, start_column if number == start_line else 0)
            if at >= 0:
                self._searched[(line, needle)] = (number, at + 1)
                return number, at + 1
        return line, 0

    def check_depth(self, depth: int, line: int) -> bool:
        if depth <= MAX_DEPTH:
            return True
        if not self._too_deep_reported:
            self._too_deep_reported = True
            self.problems.append(
                Problem(
                    Location(self.path, line, _marker_column(self.source_line(line))),
                    f"content is nested more than {MAX_DEPTH} levels deep",
                )
            )
        return False

    def count_span(self, line: int) -> bool:
        """Count one inline element; False (and an error, once) past a limit."""
        self._spans_in_block += 1
        self._spans += 1
        if self._spans_in_block <= MAX_SPANS_PER_BLOCK and self._spans <= MAX_SPANS:
            return True
        if not self._too_deep_reported:
            self._too_deep_reported = True
            if self._spans > MAX_SPANS:
                message = f"more than {MAX_SPANS:,} inline elements in the body; the limit is"
                message += f" {MAX_SPANS:,}"
            else:
                message = (
                    f"more than {MAX_SPANS_PER_BLOCK} inline elements (emphasis, links, code…)"
                    " in one paragraph; split it"
                )
            column = _marker_column(self.source_line(line))
            self.problems.append(Problem(Location(self.path, line, column), message))
        return False

    # -- blocks --------------------------------------------------------------------------

    def blocks(self, nodes: list[SyntaxTreeNode], depth: int) -> list[Block]:
        out: list[Block] = []
        for node in nodes:
            block = self.block(node, depth)
            if block is not None:
                out.append(block)
        return out

    def block(self, node: SyntaxTreeNode, depth: int) -> Block | None:
        line = self.line_of(node)
        if not self.check_depth(depth, line):
            return None
        kind = node.type
        if kind == "paragraph":
            inlines = self.inline_children(node, depth)
            if len(inlines) == 1 and isinstance(inlines[0], Image):
                image = inlines[0]
                caption = (Text(image.title),) if image.title else ()
                return Figure(image, caption, line)
            return Paragraph(inlines, line)
        if kind == "heading":
            return Heading(int(node.tag[1]), self.inline_children(node, depth), line)
        if kind == "bullet_list":
            return BulletList(self.items(node, depth), _is_tight(node), line)
        if kind == "ordered_list":
            start = node.attrs.get("start", 1)
            return OrderedList(self.items(node, depth), int(start), _is_tight(node), line)
        if kind == "blockquote":
            return BlockQuote(tuple(self.blocks(node.children, depth + 1)), line)
        if kind in ("code_block", "fence"):
            return CodeBlock(node.content, node.info.strip(), line)
        if kind == "hr":
            return ThematicBreak(line)
        if kind == "html_block":
            return RawBlock(node.content, line)
        if kind == "table":
            return self.table(node, depth, line)
        if kind == "footnote_block":
            return None  # collected separately
        self.warn(line, f"unsupported Markdown element {kind!r} ignored")
        return None

    def items(self, node: SyntaxTreeNode, depth: int) -> tuple[ListItem, ...]:
        return tuple(
            ListItem(tuple(self.blocks(item.children, depth + 1)), self.line_of(item))
            for item in node.children
        )

    def table(self, node: SyntaxTreeNode, depth: int, line: int) -> Table:
        header: tuple[TableCell, ...] = ()
        rows: list[tuple[TableCell, ...]] = []
        aligns: tuple[str, ...] = ()
        for part in node.children:  # thead, tbody
            for row in part.children:
                cells = tuple(TableCell(self.inline_children(c, depth)) for c in row.children)
                if part.type == "thead":
                    header = cells
                    aligns = tuple(_align(c) for c in row.children)
                else:
                    rows.append(cells)
        return Table(header, tuple(rows), aligns, line)

    def footnotes(self, root: SyntaxTreeNode) -> tuple[Footnote, ...]:
        found: list[Footnote] = []
        for node in root.children:
            if node.type != "footnote_block":
                continue
            for note in node.children:
                label = str(note.meta.get("label", ""))
                number = self.footnote_numbers.get(label, int(note.meta.get("id", 0)) + 1)
                children = tuple(
                    self.blocks([c for c in note.children if c.type != "footnote_anchor"], 1)
                )
                found.append(Footnote(label, number, children, self.line_of(note)))
        return tuple(sorted(found, key=lambda f: f.number))

    # -- inlines -------------------------------------------------------------------------

    def inline_children(self, node: SyntaxTreeNode, depth: int) -> tuple[Inline, ...]:
        """The inlines of a paragraph, heading or table cell (its single ``inline`` child);
        they stand at the block's own depth (a paragraph is no level of nesting)."""
        out: list[Inline] = []
        self._spans_in_block = 0
        for child in node.children:
            if child.type == "inline":
                out.extend(self.inlines(child.children, depth, self.line_of(node)))
        return tuple(_merge_text(out))

    def inlines(self, nodes: list[SyntaxTreeNode], depth: int, line: int) -> list[Inline]:
        out: list[Inline] = []
        for node in nodes:
            if not self.check_depth(depth, line):
                break
            out.extend(self.inline(node, depth, line))
        return _merge_text(out)

    def inline(self, node: SyntaxTreeNode, depth: int, line: int) -> list[Inline]:
        kind = node.type
        if kind == "text":
            return [Text(node.content)]
        if kind == "softbreak":
            return [Text("\n")]
        if kind == "hardbreak":
            return [LineBreak()]
        if not self.count_span(line):
            return []
        if kind == "code_inline":
            return [Code(node.content)]
        if kind == "html_inline":
            return [RawInline(node.content)]
        children = tuple(self.inlines(node.children, depth + 1, line))
        if kind == "em":
            return [Emphasis(children)]
        if kind == "strong":
            return [Strong(children)]
        if kind == "s":
            return [Strikethrough(children)]
        if kind == "link":
            linked = self.link(node, children, line)
            lang = node.meta.get("lang")
            return self.span({"lang": lang}, tuple(linked), line) if lang else linked
        if kind == "span":
            return self.span(dict(node.attrs), children, line)
        if kind == "image":
            src = str(node.attrs.get("src", ""))
            alt = "".join(_plain(c) for c in node.children)
            return [Image(src, alt, str(node.attrs.get("title", "") or ""))]
        if kind == "footnote_ref":
            label = str(node.meta.get("label", ""))
            number = self.footnote_numbers.setdefault(label, len(self.footnote_numbers) + 1)
            return [FootnoteRef(label, number)]
        self.warn(line, f"unsupported inline element {kind!r} kept as text")
        return [Text(node.content)] if node.content else list(children)

    def span(
        self, attrs: dict[str, str | int | float], children: tuple[Inline, ...], line: int
    ) -> list[Inline]:
        """A ``[text]{lang=…}`` span: its checked tag, or an error where the tag is.

        Only ``lang`` is honoured; any other attribute (a class, an id, a style) is dropped
        with a warning where it stands: the outputs have no use for it, and HTML attributes
        from the source would be an injection path. A span without ``lang`` keeps its text.
        """
        raw = attrs.pop("lang", None)
        dropped = attrs
        if dropped:
            key, value = next(iter(dropped.items()))
            found_line, column = self.find_attribute(line, key, str(value))
            names = ", ".join(sorted(dropped))
            self.warn(
                found_line,
                f"span attribute(s) {names} ignored: only lang is read ([text]{{lang=en}})",
                column,
            )
        if raw is None:
            if not dropped:
                found_line, column = self.find(line, "]{")
                self.warn(found_line, "a span without lang=… is printed as its text alone", column)
            return list(children)
        try:
            tag = check_language_tag(str(raw))
        except BadLanguageTag as exc:
            found_line, column = self.find_attribute(line, "lang", str(raw))
            self.problems.append(Problem(Location(self.path, found_line, column), str(exc)))
            return list(children)
        return [Span(tag, children)]

    def find_attribute(self, line: int, key: str, value: str) -> tuple[int, int]:
        """Where attribute ``key`` with ``value`` is written (``lang=en``, ``lang="en"``,
        ``.note``, ``#top``), for messages; ``(line, 0)`` when not found."""
        needles = [f"{key}={value}", f'{key}="{value}"']
        if key == "class":
            needles.insert(0, "." + value.partition(" ")[0])
        elif key == "id":
            needles.insert(0, "#" + value)
        for needle in needles:
            found_line, column = self.find(line, needle)
            if column:
                return found_line, column
        return line, 0

    def link(self, node: SyntaxTreeNode, children: tuple[Inline, ...], line: int) -> list[Inline]:
        """A link, or its text alone (and a warning where the target is) when unsafe."""
        href = str(node.attrs.get("href", ""))
        reason = unsafe_href_reason(href)
        if reason is None:
            return [Link(href, children, str(node.attrs.get("title", "") or ""))]
        found_line, column = self.find(line, href or "]()")
        if not column and href:
            found_line, column = self.find(line, unquote(href))
        self.warn(found_line, reason, column)
        return list(children)


def _marker_column(text: str) -> int:
    """The column where the first level too deep opens on ``text``: its container marker
    (``>``, a bullet, ``1.``) number ``MAX_DEPTH + 1``, else its first non-blank character
    (a list nests by indentation, one marker a line)."""
    at = count = 0
    while match := _CONTAINER_MARKER.match(text, at):
        count += 1
        if count == MAX_DEPTH + 1:
            return match.start(1) + 1
        at = match.end()
    return len(text) - len(text.lstrip()) + 1 if text.strip() else 0


def _plain(node: SyntaxTreeNode) -> str:
    if node.type in ("text", "code_inline"):
        return node.content
    if node.type in ("softbreak", "hardbreak"):
        return " "
    return "".join(_plain(c) for c in node.children)


def _merge_text(nodes: list[Inline]) -> list[Inline]:
    """Adjacent Text nodes joined, so transforms see whole words."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        else:
            out.append(node)
    return out


def _is_tight(node: SyntaxTreeNode) -> bool:
    for item in node.children:
        for child in item.children:
            if child.type == "paragraph" and not child.hidden:
                return False
    return True


def _align(cell: SyntaxTreeNode) -> str:
    match = _ALIGN.search(str(cell.attrs.get("style", "")))
    return match.group(1) if match else ""


def _sectionize(blocks: list[Block]) -> tuple[Block, ...]:
    """Nest the flat block list under its headings and number the sections."""
    root: list[Block] = []
    # Each open section: (heading level, heading, its children).
    stack: list[tuple[int, Heading, list[Block]]] = []

    def close_one() -> None:
        _level, heading, children = stack.pop()
        target = stack[-1][2] if stack else root
        target.append(Section(0, heading.children, tuple(children), "", "", heading.line))

    for block in blocks:
        if isinstance(block, Heading):
            while stack and stack[-1][0] >= block.level:
                close_one()
            stack.append((block.level, block, []))
        else:
            (stack[-1][2] if stack else root).append(block)
    while stack:
        close_one()
    return tuple(_number(root, depth=1, prefix=""))


def _number(blocks: list[Block] | tuple[Block, ...], depth: int, prefix: str) -> list[Block]:
    out: list[Block] = []
    count = 0
    for block in blocks:
        if isinstance(block, Section):
            count += 1
            number = f"{prefix}{count}"
            children = tuple(_number(block.children, depth + 1, number + "."))
            ident = "sec-" + number.replace(".", "-")
            out.append(Section(depth, block.title, children, ident, number, block.line))
        else:
            out.append(block)
    return out


def parse_body(text: str, path: Path, line_offset: int = 0) -> ParsedBody:
    """Parse a Markdown body; ``line_offset`` is the number of file lines before it."""
    builder = _Builder(path, line_offset, text)
    try:
        markdown_limits.check_definitions(text)
        root = SyntaxTreeNode(_MD.parse(text))
    except LimitExceeded as exc:
        problem = Problem(Location(path, line_offset + exc.line + 1, exc.column), exc.message)
        return ParsedBody((), (), [problem])
    except RecursionError:
        problem = Problem(Location(path, line_offset + 1), "content is nested too deeply")
        return ParsedBody((), (), [problem])
    flat = builder.blocks(root.children, 0)
    footnotes = builder.footnotes(root)
    return ParsedBody(_sectionize(flat), footnotes, builder.problems)
