"""The body written for the web edition: the HTML writer, with what a browser needs more.

Three differences from the PDF's HTML, each because the page is read in a browser rather
than laid out from the project folder: images are embedded as ``data:`` URIs (``embed``),
so the file stands alone; every footnote reference gets its own ``id`` (a note cited
twice would otherwise give two elements one id) and each endnote links back to every
place that cites it; references carry ``role="doc-noteref"`` for screen readers.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import Markup

from ...errors import Location, Problem
from ...model import Footnote, FootnoteRef, Image, Inline, Link, Paragraph
from ...project import Project
from .embed import image_uri
from .writer import HtmlWriter


def valid_web_url(href: str) -> bool:
    """Whether a browser can follow ``href``: the model keeps links of safe schemes, but
    ``https://../`` is one, and a web page must not carry a link that leads nowhere (the
    Nu checker refuses it). Such a link is written as its text."""
    try:
        parts = urlsplit(href)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        return False
    if parts.scheme.lower() not in ("http", "https"):
        return True
    if not host:
        return False
    if parts.netloc.rsplit("@", 1)[-1].startswith("["):
        return True
    labels = host.removesuffix(".").split(".")
    return all(labels) and not any(c.isspace() for c in host)


class WebWriter(HtmlWriter):
    """Writes an article's body for the web edition; collects warnings as it goes."""

    def __init__(
        self,
        project: Project,
        base: Path,
        where: Path,
        back_label: str,
        heading_offset: int = 1,
    ) -> None:
        super().__init__(raw_html=project.allow_raw_html, heading_offset=heading_offset)
        self.project = project
        self.base = base
        self.where = where
        self.back_label = back_label
        self.warnings: list[Problem] = []
        self.refs: dict[int, list[str]] = {}
        self._images: dict[str, str] = {}

    def inline(self, node: Inline) -> Markup:
        if isinstance(node, Image):
            return self.image(node)
        if isinstance(node, FootnoteRef):
            return self.noteref(node)
        if isinstance(node, Link) and not valid_web_url(node.href):
            return self.inlines(node.children)
        return super().inline(node)

    def image(self, node: Image) -> Markup:
        """The image embedded; left out (its alt text shown instead) when the policy
        refuses it, with a warning unless the model check gave one already."""
        uri = self._images.get(node.src)
        if uri is None:
            found = image_uri(node.src, self.base, self.project)
            if not found.uri and not found.quiet:
                self.warnings.append(
                    Problem(
                        Location(self.where),
                        f"image {node.src[:80]!r} not embedded in the web edition: {found.reason}",
                        "warning",
                    )
                )
            uri = self._images[node.src] = found.uri
        if not uri:
            return (
                Markup('<span class="image-missing">%s</span>') % node.alt
                if node.alt
                else Markup("")
            )
        title = Markup(' title="%s"') % node.title if node.title else Markup("")
        return Markup('<img src="%s" alt="%s"%s>') % (uri, node.alt, title)

    def noteref(self, node: FootnoteRef) -> Markup:
        seen = self.refs.setdefault(node.number, [])
        ident = f"fnref-{node.number}" + (f"-{len(seen) + 1}" if seen else "")
        seen.append(ident)
        return Markup(
            '<sup class="fnref"><a href="#fn-%d" id="%s" role="doc-noteref">%d</a></sup>'
        ) % (node.number, ident, node.number)

    def backlinks(self, number: int) -> Markup:
        """``↑`` back to the one reference to note ``number``; ``↑ a b`` when it is cited
        more than once (each letter a link, its accessible name saying which)."""
        refs = self.refs.get(number, [])
        if not refs:
            return Markup("")

        def link(ident: str, text: str) -> Markup:
            name = f"{self.back_label} {number}" + (f" ({text})" if len(refs) > 1 else "")
            return Markup(
                '<a class="backref" href="#%s" role="doc-backlink" aria-label="%s">%s</a>'
            ) % (ident, name, text)

        if len(refs) == 1:
            return link(refs[0], "↑")
        letters = Markup(" ").join(link(ident, _letter(nth)) for nth, ident in enumerate(refs))
        return Markup('<span class="backref-arrow" aria-hidden="true">↑</span> %s') % letters

    def endnotes(self, notes: tuple[Footnote, ...]) -> Markup:
        """The notes as list items, each ending with links back to where it is cited.
        Call after the body: the back-links are those the body wrote."""
        items = []
        for note in notes:
            back = self.backlinks(note.number)
            blocks = note.children
            if blocks and isinstance(blocks[-1], Paragraph):
                last = Markup("<p>%s %s</p>") % (self.inlines(blocks[-1].children), back)
                content = Markup("\n").join([*(self.block(b) for b in blocks[:-1]), last])
            else:
                content = self.blocks(blocks) + (Markup("<p>%s</p>") % back if back else "")
            items.append(
                Markup('<li id="fn-%d" value="%d">%s</li>') % (note.number, note.number, content)
            )
        return Markup("\n").join(items)


def _letter(index: int) -> str:
    """a, b, … z, aa, ab, …: the back-links of a note cited several times."""
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(ord("a") + rest) + text
    return text
