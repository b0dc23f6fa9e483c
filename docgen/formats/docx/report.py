"""The Word report (``report.LANG.docx``), built on the reference document's styles.

Like Pandoc's ``--reference-doc``, the look lives in ``templates/report/reference.docx``
(a project may override it in its own ``templates/report/``): this module empties its body,
keeps its page setup and styles, and writes the report with named styles only, so that an
editor can restyle every report in Word without touching code. The model is walked, never
re-parsed; the helpers live in the ``docx_*`` modules beside this one.

Content, in order: cover page, table of contents (a real TOC field, pre-filled), summary,
key points, the body's sections, the timeline, and a closing contact block; footnotes are
real Word footnotes, the header carries the short title and the classification, the footer
"Page X of Y".
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.shared import Mm

from ...editions import ArticleEdition
from ...editions.article import Running
from ...errors import Location, Problem
from ...labels import label
from ...model import Section, Text
from ...options import RenderOptions
from .blocks import EMU_PER_TWIP, BlockWriter, Context, Story
from .elements import (
    PPR_ORDER,
    Element,
    el,
    paragraph,
    ppr,
    set_child,
    set_ppr,
    set_rpr,
    sub,
    text_run,
)
from .fields import TOC_INSTRUCTION, begin, enable_update_fields, end, field, toc_entry
from .images import ImageRefused, add_picture
from .notes import footnotes_part
from .numbering import Numbering, num_pr, style_num_id
from .package import emptied_reference, reference_path, set_properties
from .styles import StyleMap, word_language

REQUIRED_STYLES: tuple[tuple[str, str], ...] = (
    ("Normal", "paragraph"),
    ("Body Text", "paragraph"),
    ("Kicker", "paragraph"),
    ("Title", "paragraph"),
    ("Subtitle", "paragraph"),
    ("Author", "paragraph"),
    ("Affiliation", "paragraph"),
    ("Date", "paragraph"),
    ("TOC Heading", "paragraph"),
    ("TOC 1", "paragraph"),
    ("TOC 2", "paragraph"),
    ("TOC 3", "paragraph"),
    ("Heading 1", "paragraph"),
    ("Heading 2", "paragraph"),
    ("Heading 3", "paragraph"),
    ("Abstract", "paragraph"),
    ("Key Point", "paragraph"),
    ("List Paragraph", "paragraph"),
    ("Quote", "paragraph"),
    ("Code", "paragraph"),
    ("Figure", "paragraph"),
    ("Caption", "paragraph"),
    ("Table Text", "paragraph"),
    ("Footnote Text", "paragraph"),
    ("Contact", "paragraph"),
    ("Header", "paragraph"),
    ("Footer", "paragraph"),
    ("Section Number", "character"),
    ("Hyperlink", "character"),
    ("Code Char", "character"),
    ("Footnote Reference", "character"),
    ("Marking", "character"),
    ("Table docgen", "table"),
)
"""Every style the renderer uses, as (name, type): the reference document must define each
one, and docs/report.md lists them for people who restyle it. Names match whatever case."""

_UNPROOFED = ("Code", "Code Char")
"""Styles spell-checking skips (``w:noProof``) rather than checking in the text's language."""


LOGO_WIDTH = Mm(45)
"""Widest the theme's logo is drawn on the cover."""


def report_document(
    edition: ArticleEdition, options: RenderOptions
) -> tuple[WordDocument, list[Problem]]:
    """The edition laid out as a report, and the warnings met on the way."""
    report = ReportWriter(edition, options, reference_path(options))
    return report.write(), report.warnings


class ReportWriter:
    """One report being written: the opened reference and the writers sharing its state.

    A briefing pack's binder (``docgen.binder.word``) writes several articles into one
    document with it: ``use`` switches to the next article, ``article`` writes one,
    ``heading_level`` puts the summary and annex headings under the article's title."""

    heading_level = 1

    def __init__(self, edition: ArticleEdition, options: RenderOptions, reference: Path) -> None:
        self.edition = edition
        doc = edition.doc
        self.lang = edition.lang
        self.word = emptied_reference(options, reference, numbering=True)
        self.styles = StyleMap(cast(Element, self.word.styles.element), REQUIRED_STYLES, reference)
        self.styles.set_language(
            word_language(self.lang), (name for name, _ in REQUIRED_STYLES), _UNPROOFED
        )
        self.section = self.word.sections[0]
        margins = int(self.section.left_margin or 0) + int(self.section.right_margin or 0)
        self.text_width = int(self.section.page_width or 0) - margins
        self.body = Story(self.word.part, cast(Element, self.word.element.body))
        self.warnings: list[Problem] = []
        self.writer = BlockWriter(
            styles=self.styles,
            numbering=Numbering(cast(Element, self.word.part.numbering_part.element)),
            notes_part=footnotes_part(self.word),
            footnotes={note.number: note for note in edition.footnotes},
            source=doc.body_path or doc.path,
            warnings=self.warnings,
            project=options.project,
            image_base=doc.path.parent,
            text_width=self.text_width,
        )
        self.ctx = Context(width=self.text_width)
        self.theme = options.theme
        self.toc_heading: Element | None = None

    def write(self) -> WordDocument:
        self.cover()
        toc_end = self.contents()
        self.article()
        self.fill_contents(toc_end)
        self.new_page_after(toc_end)
        if not any(isinstance(block, Section) for block in self.edition.body):
            self.drop_contents(toc_end)
        self.header_footer()
        set_properties(self.word, self.edition.properties)
        enable_update_fields(cast(Element, self.word.settings.element))
        return self.word

    def article(self) -> None:
        """The current edition after its cover: synopsis, body, timeline, contact."""
        self.front_matter()
        self.introduction()
        self.writer.blocks(self.body, self.edition.body, self.ctx)
        self.timeline()
        self.contact()

    def use(self, edition: ArticleEdition) -> None:
        """Write ``edition`` next, into the same document (its notes numbered anew)."""
        self.edition = edition
        self.writer.footnotes = {note.number: note for note in edition.footnotes}
        self.writer.source = edition.doc.body_path or edition.doc.path
        self.writer.image_base = edition.doc.path.parent
        self.writer._noted.clear()

    def paragraph(self, style: str, text: str = "") -> Element:
        p = self.body.add(paragraph(self.styles.id(style)))
        if text:
            p.append(text_run(text))
        return p

    def heading(self, key: str, anchor: str) -> None:
        """An unnumbered Heading 1 (summary, key points, timeline), listed in the TOC."""
        title = (Text(label(key, self.lang)),)
        self.writer.heading(self.body, title, self.ctx, level=self.heading_level, anchor=anchor)

    def new_page_after(self, block: Element) -> None:
        """Start what follows ``block`` on a new page: page-break-before on the next
        paragraph, so that no empty paragraph is left at the top of the page."""
        following = block.getnext()
        if following is None or following.tag == qn("w:sectPr"):
            return
        if following.tag != qn("w:p"):
            following.addprevious(paragraph(self.styles.id("Normal")))
            following = following.getprevious()
        set_ppr(following, "w:pageBreakBefore")

    # -- parts of the report -------------------------------------------------------------

    def cover(self) -> None:
        cover = self.edition.cover
        if self.theme.logo is not None:
            self.logo(self.theme.logo)
        self.paragraph("Kicker", cover.kicker)
        self.paragraph("Title", cover.title)
        if cover.subtitle:
            self.paragraph("Subtitle", cover.subtitle)
        self.paragraph("Author", cover.author)
        for detail in (cover.role, cover.organization):
            if detail:
                self.paragraph("Affiliation", detail)
        self.paragraph("Date", cover.date)
        for name, text in cover.fields:  # the project's fields shown on the cover
            line = self.paragraph("Affiliation")
            lead = text_run(f"{name} ")
            set_rpr(lead, "w:b")
            line.extend([lead, text_run(text)])

    def logo(self, path: Path) -> None:
        """The theme's logo at the top of the cover, described by the organization's name."""
        p = self.paragraph("Normal")
        r = el("w:r")
        alt = self.theme.organization or self.edition.cover.organization
        try:
            add_picture(r, self.body, path, alt=alt or "logo", title="", max_width=LOGO_WIDTH)
        except ImageRefused as exc:
            self.warnings.append(Problem(Location(path), f"{exc}; the logo is left out", "warning"))
            return
        p.append(r)

    def contents(self) -> Element:
        """The TOC heading on a new page, and the paragraph that will close the TOC field."""
        heading = self.paragraph("TOC Heading", label("contents", self.lang))
        self.toc_heading = heading
        set_ppr(heading, "w:pageBreakBefore")
        return self.paragraph("TOC 1")

    def fill_contents(self, closing: Element) -> None:
        """Pre-fill the TOC field with the headings written, linked to their bookmarks, so
        it is useful before Word or LibreOffice recompute it. Page numbers need a layout, so
        until then a note (part of the field's result, gone once updated) says how."""
        opening = begin(TOC_INSTRUCTION)
        for entry in self.writer.toc:
            style = self.styles.id(f"TOC {entry.level}")
            closing.addprevious(toc_entry(style, entry.bookmark, entry.text, opening))
            opening = []
        closing.extend(opening)  # no heading at all: the field still opens and closes
        set_ppr(closing, "w:pStyle", w_val=self.styles.id("Caption"))
        closing.append(text_run(label("toc_refresh", self.lang)))
        closing.append(end())

    def drop_contents(self, closing: Element) -> None:
        """No contents page for an article without headings: it would list only the
        summary and the key points, on a page of its own. What follows still starts a page
        (``new_page_after`` has marked it)."""
        body = closing.getparent()
        assert body is not None
        block: Element | None = self.toc_heading
        while block is not None:
            following = block.getnext()
            body.remove(block)
            block = None if block is closing else following

    def introduction(self) -> None:
        """The body's opening paragraphs, before its first section, under an
        "Introduction" heading when summary or key points come before them: else they would
        run into the key points and sit under "Key points" in Word's navigation pane."""
        body = self.edition.body
        if not (self.edition.summary or self.edition.key_points):
            return
        if not body or isinstance(body[0], Section):
            return
        if not any(isinstance(block, Section) for block in body):
            return
        self.heading("introduction", "introduction")

    def front_matter(self) -> None:
        """The summary and key points, after the contents and before the body."""
        edition = self.edition
        if edition.summary:
            self.heading("summary", "summary")
            self.paragraph("Abstract", edition.summary)
        if edition.key_points:
            self.heading("key_points", "key-points")
            num_id = style_num_id(self.styles.element("Key Point"))
            if num_id is None:  # a reference whose Key Point style lost its numbering
                num_id = self.writer.numbering.new_list(True)
            for point in edition.key_points:
                p = self.paragraph("Key Point", point)
                set_child(ppr(p), num_pr(num_id, 0), PPR_ORDER)

    def timeline(self) -> None:
        timeline = self.edition.timeline
        if not timeline:
            return
        self.heading("timeline", "timeline")
        header = [(Text(label("date", self.lang)),), (Text(label("event", self.lang)),)]
        rows = [[(Text(entry.date),), (Text(entry.text),)] for entry in timeline]
        date_width = 2400
        widths = (date_width, self.text_width // EMU_PER_TWIP - date_width)
        self.writer.table(
            self.body, header, rows, self.ctx, widths=widths, first_column=True, keep_together=True
        )

    def contact(self) -> None:
        """The closing block: who wrote the report, for whom, and whom to contact."""
        cover = self.edition.cover
        author = ", ".join(part for part in (cover.author, cover.role) if part)
        lines = [(label("author", self.lang), author)]
        if cover.organization:
            lines.append(("", cover.organization))
        if self.edition.contact:
            lines.append((label("contact", self.lang), self.edition.contact))
        for caption, value in lines:
            p = self.paragraph("Contact")
            if caption:
                run = text_run(caption.upper() + "  ")
                set_rpr(run, "w:b")
                p.append(run)
            p.append(text_run(value))

    def header_footer(self, running: Running | None = None) -> None:
        """Header: short title, classification, date; footer: classification and "Page X
        of Y" from PAGE and NUMPAGES fields. The cover carries the classification alone, at
        the top and the bottom, like every page. ``running``: other texts (a binder's)."""
        running = running or self.edition.running
        width = self.text_width // EMU_PER_TWIP
        stops = (("center", width // 2), ("right", width))
        section = self.section
        section.different_first_page_header_footer = True
        head = self.tabbed("Header", stops)
        foot = self.tabbed("Footer", stops)
        cover_head = self.tabbed("Header", stops)
        cover_foot = self.tabbed("Footer", stops)
        head.append(text_run(running.title + "\t"))
        for part in (foot, cover_head, cover_foot):
            part.append(text_run("\t"))
        if running.marking:
            for part in (head, foot, cover_head, cover_foot):
                part.append(text_run(running.marking, self.styles.id("Marking")))
        head.append(text_run("\t" + running.date))
        foot.append(text_run(f"\t{running.page} "))
        foot.extend(field("PAGE", "1"))
        foot.append(text_run(f" {running.of} "))
        foot.extend(field("NUMPAGES", "1"))
        stories = (
            (section.header, head),
            (section.footer, foot),
            (section.first_page_header, cover_head),
            (section.first_page_footer, cover_foot),
        )
        for story, content in stories:
            story.is_linked_to_previous = False
            root = cast(Element, story.part.element)
            for child in list(root):
                root.remove(child)
            root.append(content)

    def tabbed(self, style: str, stops: tuple[tuple[str, int], ...]) -> Element:
        """A paragraph with tab stops for this page's text width; the style's own stops
        (set for another paper size, perhaps) are cleared so that text cannot land on them."""
        p = paragraph(self.styles.id(style))
        tabs = set_ppr(p, "w:tabs")
        wanted = {position: kind for kind, position in stops}
        for inherited in self.styles.element(style).iterfind(f"{qn('w:pPr')}/{qn('w:tabs')}/*"):
            position = inherited.get(qn("w:pos"), "")
            if position.lstrip("-").isdigit():
                wanted.setdefault(int(position), "clear")
        for position, kind in sorted(wanted.items()):
            sub(tabs, "w:tab", w_val=kind, w_pos=str(position))
        return p
