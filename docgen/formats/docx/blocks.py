"""Model blocks and inlines → WordprocessingML paragraphs, runs and tables.

One writer walks the model for the body and for each footnote (a footnote is a small story
of its own, with its own relationships). Everything it writes refers to a named style of
the reference document, so the look stays in ``reference.docx``; the little direct
formatting left (indents of nested content, table alignment) carries structure, not looks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import assert_never

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.parts.story import StoryPart

from ...errors import Location, Problem
from ...model import (
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
    Strikethrough,
    Strong,
    Table,
    Text,
    ThematicBreak,
    plain_text,
)
from ...project import Project
from ...resources import resolve_local
from .elements import (
    PPR_ORDER,
    Bookmarks,
    Element,
    border,
    break_run,
    el,
    paragraph,
    ppr,
    set_child,
    set_ppr,
    set_rpr,
    text_run,
)
from .images import ImageRefused, add_picture
from .notes import new_note, next_note_id, note_mark, note_reference
from .numbering import INDENT, Numbering, level_indent, num_pr
from .styles import StyleMap
from .tables import TableShape, table_frame

QUOTE_INDENT = 567
"""Twips a nested block quote adds (1 cm), as the reference's Quote style does."""

EMU_PER_TWIP = 635


@dataclass(frozen=True)
class Story:
    """Where blocks go: the document body, or one footnote of the footnotes part."""

    part: StoryPart
    container: Element
    in_note: bool = False

    def add(self, block: Element) -> Element:
        """Append a paragraph or table, keeping the body's final w:sectPr last."""
        last = self.container[-1] if len(self.container) else None
        if last is not None and last.tag == qn("w:sectPr"):
            last.addprevious(block)
        else:
            self.container.append(block)
        return block


@dataclass(frozen=True)
class Context:
    """How nested content is laid out: its plain paragraph style and its indentation."""

    style: str = "Body Text"
    indent: int = 0
    """Left indent of the content column in twips (lists and quotes add to it)."""
    quote: int = 0
    ilvl: int = -1
    line: int = 0
    width: int = 0
    """Widest a picture may be, in EMU."""


@dataclass(frozen=True)
class Format:
    """Run formatting inherited from enclosing inlines."""

    bold: bool = False
    italic: bool = False
    strike: bool = False
    link: bool = False


@dataclass
class TocEntry:
    """A heading as the table of contents lists it (Word level 1..3)."""

    level: int
    bookmark: str
    text: str


@dataclass
class BlockWriter:
    """Writes model nodes into a story; collects headings for the table of contents."""

    styles: StyleMap
    numbering: Numbering
    notes_part: StoryPart
    footnotes: dict[int, Footnote]
    source: Path
    warnings: list[Problem]
    project: Project
    image_base: Path
    text_width: int
    """The page's text width in EMU: the widest a picture may be."""
    bookmarks: Bookmarks = field(default_factory=Bookmarks)
    toc: list[TocEntry] = field(default_factory=list)
    _noted: set[int] = field(default_factory=set)

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(Problem(Location(self.source, line), message, "warning"))

    # -- blocks --------------------------------------------------------------------------

    def blocks(self, story: Story, nodes: tuple[Block, ...], ctx: Context) -> None:
        for node in nodes:
            self.block(story, node, ctx)

    def block(self, story: Story, node: Block, ctx: Context) -> None:
        line = node.line or ctx.line
        ctx = replace(ctx, line=line)
        match node:
            case Section():
                self.heading(
                    story, node.title, ctx, level=node.level, anchor=node.ident, number=node.number
                )
                self.blocks(story, node.children, ctx)
            case Paragraph():
                p = story.add(self.para(ctx))
                self.inlines(story, p, node.children, Format(), ctx)
            case Heading():
                p = story.add(self.para(ctx))
                set_ppr(p, "w:keepNext")
                self.inlines(story, p, node.children, Format(bold=True), ctx)
            case BulletList() | OrderedList():
                self.write_list(story, node, ctx)
            case BlockQuote():
                style = "Quote" if ctx.style == "Body Text" else ctx.style
                inner = replace(
                    ctx, style=style, quote=ctx.quote + 1, indent=ctx.indent + QUOTE_INDENT
                )
                self.blocks(story, node.children, inner)
            case CodeBlock() | RawBlock():
                self.literal(story, node.text, ctx)
            case ThematicBreak():
                p = story.add(self.para(ctx, "Normal"))
                bdr = set_ppr(p, "w:pBdr")
                bdr.append(border("bottom", "C9CED8", 6, 1))
                set_ppr(p, "w:ind", w_left=str(ctx.indent + 1800), w_right="1800")
            case Figure():
                self.figure(story, node, ctx)
            case Table():
                header = [cell.children for cell in node.header]
                rows = [[cell.children for cell in row] for row in node.rows]
                self.table(story, header, rows, ctx, aligns=node.aligns)
            case _:
                assert_never(node)

    def para(self, ctx: Context, style: str | None = None) -> Element:
        """A paragraph in ``style`` (default: the context's), indented for its nesting."""
        name = style or ctx.style
        p = paragraph(self.styles.id(name))
        own = QUOTE_INDENT if name == "Quote" else 0
        if ctx.indent != own:
            set_ppr(p, "w:ind", w_left=str(ctx.indent))
        return p

    def heading(
        self,
        story: Story,
        title: tuple[Inline, ...],
        ctx: Context,
        *,
        level: int,
        anchor: str,
        number: str = "",
    ) -> Element:
        """A "Heading 1..3" paragraph with its number, bookmarked and listed in the TOC."""
        word_level = min(max(level, 1), 3)
        p = story.add(paragraph(self.styles.id(f"Heading {word_level}")))
        if number:
            p.append(text_run(number + " ", self.styles.id("Section Number")))
        self.inlines(story, p, title, Format(), ctx)
        name = self.bookmarks.wrap(p, anchor)
        heading = plain_text(title, footnotes=False)
        text = f"{number} {heading}" if number else heading
        # Fold line breaks and runs of ordinary spaces; no-break spaces stay (typography).
        self.toc.append(TocEntry(word_level, name, re.sub(r"[ \t\n]+", " ", text).strip()))
        return p

    def write_list(self, story: Story, node: BulletList | OrderedList, ctx: Context) -> None:
        ordered = isinstance(node, OrderedList)
        ilvl = ctx.ilvl + 1
        start = node.start if isinstance(node, OrderedList) else 1
        num_id = self.numbering.new_list(ordered, start, min(ilvl, 8))
        style = "List Paragraph" if ctx.style in ("Body Text", "Quote") else ctx.style
        inner = replace(ctx, style=style, ilvl=ilvl, indent=ctx.indent + INDENT)
        for item in node.items:
            self.item(story, item, num_id, node.tight, inner)

    def item(self, story: Story, item: ListItem, num_id: int, tight: bool, ctx: Context) -> None:
        first, rest = (item.children[0], item.children[1:]) if item.children else (None, ())
        ctx = replace(ctx, line=item.line or ctx.line)
        p = story.add(paragraph(self.styles.id(ctx.style)))
        set_child(ppr(p), num_pr(num_id, ctx.ilvl), PPR_ORDER)
        if ctx.indent != level_indent(min(ctx.ilvl, 8)):
            set_ppr(p, "w:ind", w_left=str(ctx.indent), w_hanging=str(INDENT))
        if not tight:
            set_ppr(p, "w:contextualSpacing", w_val="0")
        if isinstance(first, Paragraph):
            self.inlines(story, p, first.children, Format(), ctx)
        elif first is not None:
            rest = (first, *rest)
        self.blocks(story, rest, ctx)

    def literal(self, story: Story, text: str, ctx: Context) -> None:
        """Code and raw HTML, printed as typed: one paragraph, a line break per line."""
        p = story.add(self.para(ctx, "Code"))
        for index, line in enumerate(text.removesuffix("\n").split("\n")):
            if index:
                p.append(break_run())
            if line:
                p.append(text_run(line))

    def figure(self, story: Story, node: Figure, ctx: Context) -> None:
        p = story.add(self.para(ctx, "Figure"))
        self.image(story, p, node.image, Format(), ctx)
        if node.caption:
            caption = story.add(self.para(ctx, "Caption"))
            self.inlines(story, caption, node.caption, Format(), ctx)

    def table(
        self,
        story: Story,
        header: Sequence[tuple[Inline, ...]],
        rows: Sequence[Sequence[tuple[Inline, ...]]],
        ctx: Context,
        *,
        aligns: tuple[str, ...] = (),
        widths: tuple[int, ...] = (),
        first_column: bool = False,
        keep_together: bool = False,
    ) -> Element:
        """A "Table docgen" table; its header row repeats on every page it spans, rows never
        split, and a short table (``keep_together``) stays on one page when it can."""
        columns = max([len(header), *(len(row) for row in rows), 1])
        total = max(ctx.width // EMU_PER_TWIP - ctx.indent, 1440)
        widths = widths or tuple(total // columns for _ in range(columns))
        all_rows = [header, *rows] if header else list(rows)
        shape = TableShape(
            widths, len(all_rows), bool(header), first_column, ctx.indent, keep_together
        )
        tbl, frame = table_frame(
            shape, self.styles.id("Table docgen"), self.styles.id("Table Text"), aligns
        )
        story.add(tbl)
        cell_ctx = replace(ctx, style="Table Text", indent=0, quote=0, ilvl=-1)
        for cells, paragraphs in zip(all_rows, frame, strict=True):
            for content, p, width in zip(cells, paragraphs, widths, strict=False):
                inner = replace(cell_ctx, width=width * EMU_PER_TWIP)
                self.inlines(story, p, content, Format(), inner)
        return tbl

    # -- inlines -------------------------------------------------------------------------

    def inlines(
        self, story: Story, parent: Element, nodes: tuple[Inline, ...], fmt: Format, ctx: Context
    ) -> None:
        for node in nodes:
            self.inline(story, parent, node, fmt, ctx)

    def inline(
        self, story: Story, parent: Element, node: Inline, fmt: Format, ctx: Context
    ) -> None:
        match node:
            case Text():
                parent.append(self.run(node.text.replace("\n", " "), fmt))
            case Emphasis():
                self.inlines(story, parent, node.children, replace(fmt, italic=True), ctx)
            case Strong():
                self.inlines(story, parent, node.children, replace(fmt, bold=True), ctx)
            case Strikethrough():
                self.inlines(story, parent, node.children, replace(fmt, strike=True), ctx)
            case Code():
                parent.append(self.run(node.text.replace("\n", " "), fmt, "Code Char"))
            case RawInline():
                parent.append(self.run(node.text.replace("\n", " "), fmt))
            case LineBreak():
                parent.append(break_run())
            case Link():
                self.link(story, parent, node, fmt, ctx)
            case Image():
                self.image(story, parent, node, fmt, ctx)
            case FootnoteRef():
                self.footnote_ref(story, parent, node, fmt)
            case _:
                assert_never(node)

    def run(self, text: str, fmt: Format, style: str | None = None) -> Element:
        if style is None and fmt.link:
            style = "Hyperlink"
        r = text_run(text, self.styles.id(style) if style else None)
        if fmt.bold:
            set_rpr(r, "w:b")
        if fmt.italic:
            set_rpr(r, "w:i")
        if fmt.strike:
            set_rpr(r, "w:strike")
        return r

    def link(self, story: Story, parent: Element, node: Link, fmt: Format, ctx: Context) -> None:
        """A real w:hyperlink: to a bookmark for ``#anchor``, else an external target
        (an empty target, ``[text]()``, leaves the text unlinked)."""
        if not node.href.strip():
            self.inlines(story, parent, node.children, fmt, ctx)
            return
        if node.href.startswith("#"):
            hyperlink = el("w:hyperlink", w_anchor=Bookmarks.name_for(node.href[1:] or "top"))
        else:
            rel_id = story.part.relate_to(node.href, RT.HYPERLINK, is_external=True)
            hyperlink = el("w:hyperlink", r_id=rel_id)
        if node.title:
            hyperlink.set(qn("w:tooltip"), node.title)
        hyperlink.set(qn("w:history"), "1")
        parent.append(hyperlink)
        self.inlines(story, hyperlink, node.children, replace(fmt, link=True), ctx)

    def image(self, story: Story, parent: Element, node: Image, fmt: Format, ctx: Context) -> None:
        """The picture, or its alt text when it cannot be embedded.

        Refused images (remote, missing, outside the project) were reported once, with their
        line, by the model check (``docgen.resources``); only an unreadable file is news.
        """
        path = resolve_local(node.src, self.image_base, self.project)
        if path is None:
            if node.alt:
                parent.append(self.run(node.alt, fmt))
            return
        try:
            r = el("w:r")
            width = ctx.width or self.text_width
            add_picture(r, story, path, alt=node.alt, title=node.title, max_width=width)
        except ImageRefused as exc:
            self.warn(ctx.line, f"{exc}; its alt text is printed instead")
            if node.alt:
                parent.append(self.run(node.alt, fmt))
            return
        parent.append(r)

    def footnote_ref(self, story: Story, parent: Element, node: FootnoteRef, fmt: Format) -> None:
        """A real footnote at the first call; later calls (and calls from inside a note,
        which Word forbids) print the note's number as a superscript."""
        note = self.footnotes.get(node.number)
        style = self.styles.id("Footnote Reference")
        if note is None or story.in_note or node.number in self._noted:
            parent.append(text_run(str(node.number), style))
            return
        self._noted.add(node.number)
        footnotes = self.notes_part.element
        note_id = next_note_id(footnotes)
        container = new_note(footnotes, note_id)
        note_story = Story(self.notes_part, container, in_note=True)
        note_ctx = Context(style="Footnote Text", width=self.text_width, line=note.line)
        self.blocks(note_story, note.children, note_ctx)
        first = container[0] if len(container) else None
        if first is None or first.tag != qn("w:p"):
            first = paragraph(self.styles.id("Footnote Text"))
            container.insert(0, first)
        pr = first.find(qn("w:pPr"))
        at = 1 if pr is not None else 0
        first.insert(at, note_mark(style))
        first.insert(at + 1, text_run(" "))
        parent.append(note_reference(style, note_id))
