"""Model → HTML fragments, for the HTML-based backends (the PDF brief, the sheet).

Written in Python rather than Jinja macros because it recurses over the block tree and must
escape every piece of source text: here escaping is the default (``markupsafe.escape``) and
the only unescaped strings are tags this module writes itself.
"""

from __future__ import annotations

import re
from typing import assert_never

from markupsafe import Markup, escape

from ...editions.common import direction
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
from ...typography.columns import column_fractions

_WORD = re.compile(
    r"(?P<url>\b(?:https?://|www\.)[^\s<>]+[^\s<>.,;:!?)\]»”’])"
    r"|(?P<ref>\b(?=[\w./-]{0,63}\d)\w[\w./-]{8,62}\w\b)"
    r"|\b[^\W\d_]{6,}\b"
)
"""A URL written as text; a reference of ten characters or more with a digit in it
("ABC-2025-000123-XYZ"), which is never hyphenated but may break anywhere, since the line
breaking rules give it no break opportunity; or a word of six letters or more
(capitalised, most likely a proper noun). The reference's lengths are bounded so that a
long run of ``a.a.a…`` is read in linear time, not once per position."""

_URL = re.compile(r"(?:https?|ftp)://|mailto:|www\.")

SHORT_TABLE_ROWS = 6
"""A table of this many body rows or fewer is kept on one page (class ``short``)."""

NARROW_TABLE_COLUMNS = 3
"""A table of this many columns or fewer is only as wide as its content (class ``narrow``)."""

WIDE_TABLE_COLUMNS = 6
"""A table of this many columns or more is set smaller (class ``wide``), with fixed column
widths from its content (``typography.columns``): the automatic layout would let it run
past the page when its longest words do not fit."""

WIDE_TABLE_ROOM = 92.0
"""The brief's text width in characters of a wide table's 8 pt type."""


def _protect_names(text: str) -> Markup:
    """Escape ``text``, wrapping capitalised words in ``<span class="name">`` so that
    stylesheets can keep proper nouns whole ("Kazakhstan", not "Kaza-khstan"), and URLs in
    ``<span class="url">`` so that they are never hyphenated but may break anywhere."""
    out: list[Markup] = []
    last = 0
    for match in _WORD.finditer(text):
        if match.group("url"):
            wrapper = Markup('<span class="url">%s</span>')
        elif match.group("ref"):
            wrapper = Markup('<span class="ref">%s</span>')
        elif match.group()[0].isupper():
            wrapper = Markup('<span class="name">%s</span>')
        else:
            continue
        out.append(escape(text[last : match.start()]))
        out.append(wrapper % match.group())
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


class HtmlWriter:
    """Writes blocks and inlines; ``raw_html`` lets trusted projects keep raw HTML."""

    def __init__(self, raw_html: bool = False, heading_offset: int = 1) -> None:
        self.raw_html = raw_html
        self.heading_offset = heading_offset

    # -- inlines -------------------------------------------------------------------------

    def inlines(self, nodes: tuple[Inline, ...]) -> Markup:
        return Markup("").join(self.inline(node) for node in nodes)

    def inline(self, node: Inline) -> Markup:
        match node:
            case Text():
                return _protect_names(node.text)
            case Emphasis():
                return Markup("<em>%s</em>") % self.inlines(node.children)
            case Strong():
                return Markup("<strong>%s</strong>") % self.inlines(node.children)
            case Strikethrough():
                return Markup("<s>%s</s>") % self.inlines(node.children)
            case Code():
                return Markup("<code>%s</code>") % node.text
            case Link():
                title = Markup(' title="%s"') % node.title if node.title else Markup("")
                # A link that shows its own address is set like a URL.
                shown = plain_text(node.children)
                url = Markup(' class="url"') if _URL.match(shown) else Markup("")
                return Markup('<a href="%s"%s%s>%s</a>') % (
                    node.href,
                    url,
                    title,
                    self.inlines(node.children),
                )
            case Span():
                # ``lang`` switches hyphenation, fonts' language forms and screen readers;
                # a right-to-left language in left-to-right text is isolated (``dir``).
                rtl = Markup(' dir="rtl"') if direction(node.lang) == "rtl" else Markup("")
                return Markup('<span lang="%s"%s>%s</span>') % (
                    node.lang,
                    rtl,
                    self.inlines(node.children),
                )
            case Image():
                title = Markup(' title="%s"') % node.title if node.title else Markup("")
                return Markup('<img src="%s" alt="%s"%s>') % (node.src, node.alt, title)
            case LineBreak():
                return Markup("<br>")
            case FootnoteRef():
                return Markup(
                    '<a class="fnref" href="#fn-%d" id="fnref-%d-%s"><sup>%d</sup></a>'
                ) % (node.number, node.number, node.label, node.number)
            case RawInline():
                return Markup(node.text) if self.raw_html else escape(node.text)
            case _:
                assert_never(node)

    # -- blocks --------------------------------------------------------------------------

    def blocks(self, nodes: tuple[Block, ...]) -> Markup:
        return Markup("\n").join(self.block(node) for node in nodes)

    def block(self, node: Block) -> Markup:
        match node:
            case Paragraph():
                return Markup("<p>%s</p>") % self.inlines(node.children)
            case Section():
                level = min(node.level + self.heading_offset, 6)
                # The space is inside the number's box, so that a wrapped title's second
                # line hangs exactly under its first word.
                number = (
                    Markup('<span class="secnum">%s </span>') % node.number if node.number else ""
                )
                return Markup(
                    '<section class="level%d" id="%s">\n<h%d>%s%s</h%d>\n%s\n</section>'
                ) % (
                    node.level,
                    node.ident,
                    level,
                    number,
                    self.inlines(node.title),
                    level,
                    self.blocks(node.children),
                )
            case Heading():
                level = min(node.level + self.heading_offset, 6)
                return Markup("<h%d>%s</h%d>") % (level, self.inlines(node.children), level)
            case BulletList():
                return Markup("<ul>\n%s\n</ul>") % self.items(node.items, node.tight)
            case OrderedList():
                start = Markup(' start="%d"') % node.start if node.start != 1 else ""
                return Markup("<ol%s>\n%s\n</ol>") % (start, self.items(node.items, node.tight))
            case BlockQuote():
                return Markup("<blockquote>\n%s\n</blockquote>") % self.blocks(node.children)
            case CodeBlock():
                return Markup("<pre><code>%s</code></pre>") % node.text
            case ThematicBreak():
                return Markup("<hr>")
            case RawBlock():
                if self.raw_html:
                    return Markup(node.text)
                return Markup('<pre class="raw">%s</pre>') % node.text
            case Figure():
                caption = (
                    Markup("<figcaption>%s</figcaption>") % self.inlines(node.caption)
                    if node.caption
                    else ""
                )
                return Markup("<figure>%s%s</figure>") % (self.inline(node.image), caption)
            case Table():
                return self.table(node)
            case _:
                assert_never(node)

    def items(self, items: tuple[ListItem, ...], tight: bool) -> Markup:
        out = []
        for item in items:
            if tight:
                parts = [
                    self.inlines(child.children)
                    if isinstance(child, Paragraph)
                    else self.block(child)
                    for child in item.children
                ]
                out.append(Markup("<li>%s</li>") % Markup("\n").join(parts))
            else:
                out.append(Markup("<li>%s</li>") % self.blocks(item.children))
        return Markup("\n").join(out)

    def table(self, node: Table) -> Markup:
        def cell(tag: str, index: int, children: tuple[Inline, ...]) -> Markup:
            align = node.aligns[index] if index < len(node.aligns) else ""
            style = Markup(' class="align-%s"') % align if align else Markup("")
            if tag == "th":  # a header cell heads its column, for screen readers
                style = Markup(' scope="col"') + style
            return Markup("<%s%s>%s</%s>") % (tag, style, self.inlines(children), tag)

        head = Markup("").join(cell("th", i, c.children) for i, c in enumerate(node.header))
        rows = Markup("\n").join(
            Markup("<tr>%s</tr>")
            % Markup("").join(cell("td", i, c.children) for i, c in enumerate(row))
            for row in node.rows
        )
        classes = []
        if len(node.rows) <= SHORT_TABLE_ROWS:
            classes.append("short")
        columns = max(len(node.header), len(node.aligns))
        if columns <= NARROW_TABLE_COLUMNS:
            classes.append("narrow")
        elif columns >= WIDE_TABLE_COLUMNS:
            classes.append("wide")
        attr = Markup(' class="%s"') % " ".join(classes) if classes else Markup("")
        cols = Markup("")
        if "wide" in classes:
            cols = Markup("<colgroup>%s</colgroup>\n") % Markup("").join(
                Markup('<col style="width: %.1f%%">') % (100 * share)
                for share in column_fractions(node, WIDE_TABLE_ROOM)
            )
        return Markup(
            "<table%s>\n%s<thead><tr>%s</tr></thead>\n<tbody>\n%s\n</tbody>\n</table>"
        ) % (
            attr,
            cols,
            head,
            rows,
        )

    def footnotes(self, notes: tuple[Footnote, ...]) -> Markup:
        return Markup("\n").join(
            Markup('<li id="fn-%d" value="%d">%s</li>')
            % (note.number, note.number, self.blocks(note.children))
            for note in notes
        )
