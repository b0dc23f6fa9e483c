"""The format-neutral document model every backend reads, and the ways to walk it.

Frozen dataclasses, no HTML and no render methods: the loader builds it once, transforms
(typography, numbering) return new trees. Block and inline nodes carry the source line
they came from so that later stages (translation units, warnings) can point back into the
source.

One walking contract: every walker — here, in the backends, in typography and translation
— is a ``match`` over the node types ending in ``case _: assert_never(node)``, so strict
mypy names every walker that forgets a new node type. Checks that only need to *find*
nodes use the generic ``iter_nodes`` and ``iter_images`` below; transforms that rewrite
text use ``map_inlines``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import assert_never

# --------------------------------------------------------------------------- positions


@dataclass(frozen=True)
class Pos:
    """A 1-based line and column in the source file (0 when unknown)."""

    line: int = 0
    column: int = 0


NOWHERE = Pos()

# --------------------------------------------------------------------------- localized text


@dataclass(frozen=True)
class Localized:
    """A text given in one or more languages.

    ``texts`` maps a language code to its text. A plain YAML string (a name, an acronym) is
    the same in every language and is stored under the key ``"*"``.
    """

    texts: tuple[tuple[str, str], ...]
    pos: Pos = NOWHERE
    positions: tuple[tuple[str, Pos], ...] = ()

    @classmethod
    def plain(cls, text: str, pos: Pos = NOWHERE) -> Localized:
        return cls((("*", text),), pos)

    @classmethod
    def of(cls, mapping: Mapping[str, str], pos: Pos = NOWHERE) -> Localized:
        return cls(tuple(mapping.items()), pos)

    @property
    def is_universal(self) -> bool:
        """True for a plain string, valid in every language."""
        return len(self.texts) == 1 and self.texts[0][0] == "*"

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(lang for lang, _ in self.texts if lang != "*")

    def has(self, lang: str) -> bool:
        return any(code in {lang, "*"} for code, _ in self.texts)

    def get(self, lang: str) -> str | None:
        """The text in ``lang`` (or the universal text), else None."""
        for code, text in self.texts:
            if code in {lang, "*"}:
                return text
        return None

    def text(self, lang: str, fallback: str | None = None) -> str:
        """The text in ``lang``, else in ``fallback``, else the first one given."""
        found = self.get(lang)
        if found is None and fallback is not None:
            found = self.get(fallback)
        if found is None:
            found = self.texts[0][1] if self.texts else ""
        return found

    def position(self, lang: str) -> Pos:
        """Where the ``lang`` text stands in the source, or where the field does."""
        for code, pos in self.positions:
            if code == lang:
                return pos
        return self.pos

    def map(self, fn: Callable[[str, str], str]) -> Localized:
        """A copy with ``fn(text, lang)`` applied to every text."""
        return Localized(
            tuple((code, fn(text, code)) for code, text in self.texts), self.pos, self.positions
        )


# --------------------------------------------------------------------------- inlines


@dataclass(frozen=True)
class Text:
    """Plain text, after typography: the only inline that holds words."""

    text: str


@dataclass(frozen=True)
class Emphasis:
    """Emphasised text (``*text*``), rendered in italics."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Strong:
    """Strong text (``**text**``), rendered in bold."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Strikethrough:
    """Struck-out text (``~~text~~``)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Code:
    """Inline code: typography never touches it."""

    text: str


@dataclass(frozen=True)
class Link:
    """A hyperlink. ``href`` is already checked by the loader (unsafe schemes removed)."""

    href: str
    children: tuple[Inline, ...]
    title: str = ""


@dataclass(frozen=True)
class Span:
    """Text in another language than the one around it (``[text]{lang=en}``).

    ``lang`` is a checked, canonical BCP 47 tag (``en``, ``en-GB``, ``zh-Hant``): the
    typography of the span follows it, the HTML carries it as ``lang`` and Word as
    ``w:lang``, so readers, screen readers and spell checkers switch language."""

    lang: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Image:
    """An inline image: ``src`` as written in the source, resolved by the backends."""

    src: str
    alt: str
    title: str = ""


@dataclass(frozen=True)
class LineBreak:
    """A hard line break (two spaces or a backslash at the end of a line)."""


@dataclass(frozen=True)
class FootnoteRef:
    """A call to footnote number ``number`` (1-based, in order of first call)."""

    label: str
    number: int


@dataclass(frozen=True)
class RawInline:
    """Raw HTML typed in the source; renderers print it as text unless allowed."""

    text: str


Inline = (
    Text
    | Emphasis
    | Strong
    | Strikethrough
    | Code
    | Link
    | Span
    | Image
    | LineBreak
    | FootnoteRef
    | RawInline
)

# --------------------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of inlines."""

    children: tuple[Inline, ...]
    line: int = 0


@dataclass(frozen=True)
class Heading:
    """A heading; in the body tree it only appears as a Section's title."""

    level: int
    children: tuple[Inline, ...]
    line: int = 0


@dataclass(frozen=True)
class Section:
    """A heading and everything up to the next heading of the same or a higher level.

    ``ident`` is a stable, unique anchor (used for bookmarks, TOC links and translation
    units); ``number`` is the dotted section number ("2.1"), empty for unnumbered sections.
    """

    level: int
    title: tuple[Inline, ...]
    children: tuple[Block, ...]
    ident: str
    number: str = ""
    line: int = 0


@dataclass(frozen=True)
class ListItem:
    """One item of a list: blocks, the first usually a paragraph."""

    children: tuple[Block, ...]
    line: int = 0


@dataclass(frozen=True)
class BulletList:
    """A bullet list; ``tight`` when its items are not separated by blank lines."""

    items: tuple[ListItem, ...]
    tight: bool = True
    line: int = 0


@dataclass(frozen=True)
class OrderedList:
    """A numbered list starting at ``start``."""

    items: tuple[ListItem, ...]
    start: int = 1
    tight: bool = True
    line: int = 0


@dataclass(frozen=True)
class BlockQuote:
    """A quotation (``> text``) holding blocks."""

    children: tuple[Block, ...]
    line: int = 0


@dataclass(frozen=True)
class CodeBlock:
    """Preformatted code; ``info`` is the fence's language, never typeset."""

    text: str
    info: str = ""
    line: int = 0


@dataclass(frozen=True)
class ThematicBreak:
    """A thematic break (``---``) between passages."""

    line: int = 0


@dataclass(frozen=True)
class RawBlock:
    """A raw HTML block typed in the source; printed as text unless allowed."""

    text: str
    line: int = 0


@dataclass(frozen=True)
class Figure:
    """An image standing alone in its paragraph; the title (if any) is the caption."""

    image: Image
    caption: tuple[Inline, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class TableCell:
    """One cell of a table: inlines only, as in GFM."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Table:
    """A GFM table. ``aligns`` holds "left", "center", "right" or "" per column."""

    header: tuple[TableCell, ...]
    rows: tuple[tuple[TableCell, ...], ...]
    aligns: tuple[str, ...]
    line: int = 0


Block = (
    Paragraph
    | Heading
    | Section
    | BulletList
    | OrderedList
    | BlockQuote
    | CodeBlock
    | ThematicBreak
    | RawBlock
    | Figure
    | Table
)


@dataclass(frozen=True)
class Footnote:
    """A footnote's text, numbered in order of first reference."""

    label: str
    number: int
    children: tuple[Block, ...]
    line: int = 0


# --------------------------------------------------------------------------- metadata


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day (timeline entries)."""

    year: int
    month: int | None = None
    day: int | None = None

    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
            if self.day:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)


@dataclass(frozen=True)
class Author:
    """An author, with a role and an organization in every language."""

    name: str
    role: Localized | None = None
    organization: Localized | None = None


@dataclass(frozen=True)
class TimelineEntry:
    """One dated entry of the timeline."""

    date: PartialDate
    text: Localized
    pos: Pos = NOWHERE


FieldValue = str | Localized | _dt.date | tuple[str, ...]
"""A project field's value, by its declared type: text, localized, date, list."""


@dataclass(frozen=True)
class ProjectField:
    """A field the project declares in ``docgen.toml`` (``[fields.NAME]``), as given in an
    article's front matter. The declaration's ``label`` and ``show`` travel with the value
    so that editions can print it without reading the project again."""

    name: str
    value: FieldValue
    label: Localized
    show: bool = False
    pos: Pos = NOWHERE

    def text(self, lang: str, fallback: str | None = None) -> str:
        """The value as one line of text in ``lang`` (a date stays ISO here; editions
        format it in the reader's language)."""
        value = self.value
        if isinstance(value, Localized):
            return value.text(lang, fallback)
        if isinstance(value, _dt.date):
            return value.isoformat()
        if isinstance(value, tuple):
            return ", ".join(value)
        return value


@dataclass(frozen=True)
class Metadata:
    """The front matter, typed. Optional fields are None or empty; ``extra`` holds the
    project's own fields (``docgen.toml``'s ``[fields.NAME]``) in declaration order."""

    title: Localized
    author: Author
    date: _dt.date
    lang: str
    subtitle: Localized | None = None
    short_title: Localized | None = None
    classification: Localized | None = None
    keywords: tuple[str, ...] = ()
    summary: Localized | None = None
    key_points: tuple[Localized, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    contact: Localized | None = None
    extra: tuple[ProjectField, ...] = ()

    @property
    def fields(self) -> dict[str, FieldValue]:
        """The project fields by name, for templates: ``meta.fields.dossier``."""
        return {item.name: item.value for item in self.extra}

    def localized_fields(self) -> Iterator[tuple[str, Localized]]:
        """Every localized text with its field name (``key_points[2]``), in source order:
        the one list translation checks, exports and the sheet all walk."""
        singles = [
            ("title", self.title),
            ("subtitle", self.subtitle),
            ("short_title", self.short_title),
            ("author.role", self.author.role),
            ("author.organization", self.author.organization),
            ("classification", self.classification),
            ("summary", self.summary),
        ]
        yield from ((key, loc) for key, loc in singles if loc is not None)
        for index, point in enumerate(self.key_points):
            yield f"key_points[{index}]", point
        for index, entry in enumerate(self.timeline):
            yield f"timeline[{index}].text", entry.text
        if self.contact is not None:
            yield "contact", self.contact
        for item in self.extra:
            if isinstance(item.value, Localized):
                yield item.name, item.value


# --------------------------------------------------------------------------- document


@dataclass(frozen=True)
class Document:
    """One article in one language, ready to render.

    ``lang`` is the language this document is rendered in: the source language, or a
    translation's when the body came from ``NAME.LANG.md``. ``source_lang`` is the
    original's. Front-matter texts stay ``Localized`` so that bilingual outputs can show
    both languages side by side.
    """

    path: Path
    meta: Metadata
    body: tuple[Block, ...]
    footnotes: tuple[Footnote, ...] = ()
    lang: str = ""
    body_path: Path | None = None
    translations: tuple[str, ...] = field(default=())

    @property
    def stem(self) -> str:
        """The article's name: ``maroc-kazakhstan`` for ``maroc-kazakhstan.md``."""
        return self.path.stem

    @property
    def source_lang(self) -> str:
        return self.meta.lang

    def sections(self) -> Iterator[Section]:
        """Every section, depth first, in reading order."""
        yield from iter_sections(self.body)


def iter_sections(blocks: tuple[Block, ...]) -> Iterator[Section]:
    for block in blocks:
        if isinstance(block, Section):
            yield block
            yield from iter_sections(block.children)


# --------------------------------------------------------------------------- walking

Node = Block | Inline


def iter_nodes(blocks: Iterable[Block], line: int = 0) -> Iterator[tuple[Node, int]]:
    """Every block and inline under ``blocks`` — section titles, list items' blocks,
    table cells, figure images and captions included — depth first in reading order,
    each with the source line of the block that holds it."""
    for block in blocks:
        here = block.line or line
        yield block, here
        match block:
            case Paragraph() | Heading():
                yield from _inline_nodes(block.children, here)
            case Section():
                yield from _inline_nodes(block.title, here)
                yield from iter_nodes(block.children, here)
            case BulletList() | OrderedList():
                for item in block.items:
                    yield from iter_nodes(item.children, item.line or here)
            case BlockQuote():
                yield from iter_nodes(block.children, here)
            case Figure():
                yield from _inline_nodes((block.image, *block.caption), here)
            case Table():
                for row in (block.header, *block.rows):
                    for cell in row:
                        yield from _inline_nodes(cell.children, here)
            case CodeBlock() | ThematicBreak() | RawBlock():
                pass
            case _:
                assert_never(block)


def _inline_nodes(inlines: Iterable[Inline], line: int) -> Iterator[tuple[Node, int]]:
    for node in inlines:
        yield node, line
        match node:
            case Emphasis() | Strong() | Strikethrough() | Link() | Span():
                yield from _inline_nodes(node.children, line)
            case Text() | Code() | Image() | LineBreak() | FootnoteRef() | RawInline():
                pass
            case _:
                assert_never(node)


def document_blocks(doc: Document) -> tuple[Block, ...]:
    """The body's blocks, then every footnote's: all the text a document holds."""
    return doc.body + tuple(block for note in doc.footnotes for block in note.children)


def iter_images(doc: Document) -> Iterator[tuple[Image, int]]:
    """Every image of the body and footnotes — in headings and table cells too — with the
    source line of its block: the one list the image policy and the alt-text check see."""
    for node, line in iter_nodes(document_blocks(doc)):
        if isinstance(node, Image):
            yield node, line


InlineMap = Callable[[tuple[Inline, ...]], tuple[Inline, ...]]


def map_inlines(blocks: tuple[Block, ...], fn: InlineMap) -> tuple[Block, ...]:
    """A copy of ``blocks`` with ``fn`` applied to every run of inlines: paragraphs,
    headings, section titles, table cells (each cell its own run), figure captions, and a
    figure's image (a run of one). Code and raw blocks come back as they are."""
    return tuple(_map_block(block, fn) for block in blocks)


def _map_block(block: Block, fn: InlineMap) -> Block:
    match block:
        case Paragraph() | Heading():
            return replace(block, children=fn(block.children))
        case Section():
            return replace(block, title=fn(block.title), children=map_inlines(block.children, fn))
        case BulletList() | OrderedList():
            items = tuple(
                replace(item, children=map_inlines(item.children, fn)) for item in block.items
            )
            return replace(block, items=items)
        case BlockQuote():
            return replace(block, children=map_inlines(block.children, fn))
        case Figure():
            (image,) = fn((block.image,))
            assert isinstance(image, Image), "an inline map must keep a figure's image"
            return replace(block, image=image, caption=fn(block.caption))
        case Table():
            return replace(
                block,
                header=tuple(TableCell(fn(cell.children)) for cell in block.header),
                rows=tuple(tuple(TableCell(fn(c.children)) for c in row) for row in block.rows),
            )
        case CodeBlock() | ThematicBreak() | RawBlock():
            return block
        case _:
            assert_never(block)


def plain_text(inlines: tuple[Inline, ...], footnotes: bool = True) -> str:
    """The text of inline nodes, markup dropped (for bookmarks, TOC entries, metadata);
    footnote calls print as their number unless ``footnotes`` is false."""
    out: list[str] = []
    for node in inlines:
        match node:
            case Text() | Code() | RawInline():
                out.append(node.text)
            case Emphasis() | Strong() | Strikethrough() | Link() | Span():
                out.append(plain_text(node.children, footnotes))
            case Image():
                out.append(node.alt)
            case LineBreak():
                out.append(" ")
            case FootnoteRef():
                if footnotes:
                    out.append(str(node.number))
            case _:
                assert_never(node)
    return "".join(out)
