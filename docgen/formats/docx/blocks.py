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
    Span,
    Strikethrough,
    Strong,
    Table,
    Text,
    ThematicBreak,
    plain_text,
)
from ...project import Project
from ...resources import resolve_local
from ...typography.columns import column_widths
from .elements import (
    PPR_ORDER,
    Bookmarks,
    Element,
    border,
    break_run,
    el,
    paragraph,
    ppr,
    rpr,
    set_child,
    set_ppr,
    set_rpr,
    text_run,
)
from .fields import field as word_field
from .images import ImageRefused, add_picture
from .notes import new_note, next_note_id, note_mark, note_reference
from .numbering import INDENT, Numbering, level_indent, num_pr
from .styles import StyleMap, set_language, word_language
from .tables import TableShape, table_frame

TWIPS_PER_CHAR = 110
"""The advance of a character of the 9 pt table text in twips, generous enough for the
bold header (a proxy: ``typography.columns`` counts characters)."""

TWIPS_PER_CHAR_SMALL = 98
"""The same for a wide table's 8 pt text."""

CELL_MARGINS = 2.5
"""Word's default cell margins (2 × 0.19 cm) in characters, plus a little air."""

WIDE_TABLE_COLUMNS = 6
"""A table of this many columns or more is set in 8 pt (``SMALL_TABLE_SIZE``)."""

SMALL_TABLE_SIZE = 16
"""A wide table's text size in half-points."""

SHORT_TABLE_ROWS = 6
"""A body table of this many rows or fewer is kept on one page when it can."""

HEADING_SIZES = {1: 28, 2: 26, 3: 24}
"""A title inside a quote or list item: its size in half-points by level (else 11 pt)."""

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
    lang: str = ""
    """A span's Word language tag (``en-GB``), empty for the paragraph's own language."""


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
    _noted: dict[int, str] = field(default_factory=dict)
    """Each note written so far: the bookmark around its reference mark."""

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
                # A title inside a quote, a list item or a note: not a section of the
                # document (it stays out of the contents and the navigation pane) but
                # clearly a title — bold, larger, space above, kept with what follows.
                p = story.add(self.para(ctx))
                set_ppr(p, "w:keepNext")
                set_ppr(p, "w:spacing", w_before="200", w_after="80")
                self.inlines(story, p, node.children, Format(bold=True), ctx)
                size = str(HEADING_SIZES.get(node.level, 22))
                for run in p.iter(qn("w:r")):
                    set_rpr(run, "w:sz", w_val=size)
                    set_rpr(run, "w:szCs", w_val=size)
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
                small = len(node.header) >= WIDE_TABLE_COLUMNS
                per_char = TWIPS_PER_CHAR_SMALL if small else TWIPS_PER_CHAR
                room = self.table_room(ctx) / per_char
                widths = tuple(
                    max(int(chars * per_char), 360)
                    for chars in column_widths(node, room, CELL_MARGINS)
                )
                self.table(
                    story,
                    header,
                    rows,
                    ctx,
                    aligns=node.aligns,
                    widths=widths,
                    autofit=True,
                    keep_together=len(node.rows) <= SHORT_TABLE_ROWS,
                    small=small,
                )
            case _:
                assert_never(node)

    @staticmethod
    def table_room(ctx: Context) -> int:
        """The width a table gets in twips: the text width less the nesting indent."""
        return max(ctx.width // EMU_PER_TWIP - ctx.indent, 1440)

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
        if isinstance(first, CodeBlock | RawBlock | BlockQuote | Heading | Figure):
            self.number_opening_block(p, num_id, ctx)
        elif isinstance(first, BulletList | OrderedList):
            self.number_opening_list(p, num_id, ctx)

    def number_opening_block(self, placeholder: Element, num_id: int, ctx: Context) -> None:
        """An item that opens with a block (code, a quote, a title, a figure) carries its
        number on that block's first paragraph, not on an empty line above it: the
        number hangs at the item's usual place, the block keeps its own indent."""
        opened = placeholder.getnext()
        if opened is None or opened.tag != qn("w:p"):
            return
        pr = opened.find(qn("w:pPr"))
        if pr is not None and pr.find(qn("w:numPr")) is not None:
            return
        ind = pr.find(qn("w:ind")) if pr is not None else None
        style = pr.find(qn("w:pStyle")) if pr is not None else None
        own = (
            QUOTE_INDENT
            if style is not None and style.get(qn("w:val")) == self.styles.id("Quote")
            else 0
        )
        left = int(ind.get(qn("w:left"), "0")) if ind is not None else own
        number_at = max(ctx.indent - INDENT, 0)
        set_child(ppr(opened), num_pr(num_id, ctx.ilvl), PPR_ORDER)
        set_ppr(opened, "w:ind", w_left=str(left), w_hanging=str(left - number_at))
        parent = placeholder.getparent()
        if parent is not None:
            parent.remove(placeholder)

    def number_opening_list(self, placeholder: Element, num_id: int, ctx: Context) -> None:
        """An item that opens with a nested list ("- - inner", "1. " then "   - inner")
        shows both markers on one line, as a browser does: the nested list's first item
        takes this item's number, its own marker ("•", "1.") is written before its text
        at a tab stop where that marker stood, and the nested list counts on from its
        second item. No empty numbered line, and the enclosing list keeps its count."""
        opened = placeholder.getnext()
        if opened is None or opened.tag != qn("w:p"):
            return
        pr = opened.find(qn("w:pPr"))
        inner_num = pr.find(f"{qn('w:numPr')}/{qn('w:numId')}") if pr is not None else None
        inner_lvl = pr.find(f"{qn('w:numPr')}/{qn('w:ilvl')}") if pr is not None else None
        if pr is None or inner_num is None or inner_lvl is None:
            return
        ind = pr.find(qn("w:ind"))
        level = int(inner_lvl.get(qn("w:val"), "0"))
        left = level_indent(level) if ind is None else int(ind.get(qn("w:left"), "0"))
        hanging = INDENT if ind is None else int(ind.get(qn("w:hanging"), "0"))
        marker = self.numbering.take_first_marker(int(inner_num.get(qn("w:val"), "0")))
        pr.addnext(text_run(marker + "\t"))
        tabs = pr.find(qn("w:tabs"))
        if tabs is None:
            tabs = set_child(pr, el("w:tabs"), PPR_ORDER)
        stops = {int(t.get(qn("w:pos"), "0")) for t in tabs} | {left - hanging, left}
        for stop in list(tabs):
            tabs.remove(stop)
        for pos in sorted(stops):
            tabs.append(el("w:tab", w_val="left", w_pos=str(pos)))
        number_at = max(ctx.indent - INDENT, 0)
        set_child(pr, num_pr(num_id, ctx.ilvl), PPR_ORDER)
        set_ppr(opened, "w:ind", w_left=str(left), w_hanging=str(left - number_at))
        parent = placeholder.getparent()
        if parent is not None:
            parent.remove(placeholder)

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
        autofit: bool = False,
        small: bool = False,
    ) -> Element:
        """A "Table docgen" table; its header row repeats on every page it spans, rows never
        split, and a short table (``keep_together``) stays on one page when it can.
        ``autofit`` lets Word widen a column to its longest word (the widths given are then
        preferred widths, from ``typography.columns``); ``small`` sets a wide table's text
        in 8 pt, as the brief does."""
        columns = max([len(header), *(len(row) for row in rows), 1])
        total = self.table_room(ctx)
        widths = widths or tuple(total // columns for _ in range(columns))
        all_rows = [header, *rows] if header else list(rows)
        shape = TableShape(
            widths, len(all_rows), bool(header), first_column, ctx.indent, keep_together, autofit
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
        if small:
            for run in tbl.iter(qn("w:r")):
                set_rpr(run, "w:sz", w_val=str(SMALL_TABLE_SIZE))
                set_rpr(run, "w:szCs", w_val=str(SMALL_TABLE_SIZE))
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
            case Span():
                spanned = replace(fmt, lang=word_language(node.lang))
                self.inlines(story, parent, node.children, spanned, ctx)
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
        if fmt.lang:
            set_language(rpr(r), fmt.lang, run=True)
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
        """A real footnote at the first call, its reference mark bookmarked; a later call
        is a NOTEREF field to that bookmark (Word's own cross-reference: the note's number,
        formatted as a note reference and linked to the note). A call from inside a note
        (Word forbids notes in notes) or before the first call prints the number alone."""
        note = self.footnotes.get(node.number)
        style = self.styles.id("Footnote Reference")
        bookmark = self._noted.get(node.number)
        if bookmark is not None and not story.in_note:
            parent.extend(word_field(f"NOTEREF {bookmark} \\f \\h", str(node.number), style))
            return
        if note is None or story.in_note or node.number in self._noted:
            parent.append(text_run(str(node.number), style))
            return
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
        reference = note_reference(style, note_id)
        parent.append(reference)
        self._noted[node.number] = self.bookmarks.around(reference, f"fnref-{node.number}")
