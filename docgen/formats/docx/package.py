"""The Word plumbing every Word output shares: the reference document, the theme, the
page size, language tags, document properties, the marking, and saving to bytes.

The report and the sheet are two layouts over one package: both open the project's
``reference.docx`` (like Pandoc's ``--reference-doc``), keep its styles and page setup,
recolour it with the theme, and store the same properties — so a fix here (Word's
255-character property limit, right-to-left tags) reaches both at once.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import cast

import docx
from docx.document import Document as WordDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.opc.phys_pkg import PhysPkgWriter
from docx.opc.pkgwriter import PackageWriter
from docx.oxml.ns import qn
from docx.shared import Inches
from lxml import etree  # type: ignore[import-untyped]
from lxml.etree import XMLSyntaxError  # type: ignore[import-untyped]

from ...editions.common import Properties
from ...errors import TemplateError
from ...options import RenderOptions
from ...pack.archive import DateTime, zip_entries
from ...pack.reproducible import normalize_zip
from ...safezip import check_docx_package, read_docx_bytes
from ...templates import resolve
from .elements import Element
from .styles import word_language
from .theme import apply_theme

REFERENCE = "report/reference.docx"
"""The reference document, resolved through the template search path (project first)."""

PROPERTY_LIMIT = 255
"""Word's limit on a core property (python-docx enforces it by raising)."""

CUSTOM_URI = "/docProps/custom.xml"
CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
"""The format id Word gives every user-defined property."""


def open_reference(path: Path) -> WordDocument:
    """The reference document, or a TemplateError saying what is wrong with the file."""
    # A Word package is a zip: its sizes, ratios and XML are checked before python-docx
    # decompresses anything (a 2 MB file can claim gigabytes), and the checked bytes are
    # the ones opened.
    data = read_docx_bytes(path)
    check_docx_package(path, data)
    try:
        return docx.Document(io.BytesIO(data))
    except (
        PackageNotFoundError,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        XMLSyntaxError,
        OSError,
    ) as exc:
        raise TemplateError.at(path, f"{path.name} is not a valid .docx: {exc}") from None


def reference_path(options: RenderOptions) -> Path:
    return resolve(options.project, REFERENCE)


def emptied_reference(
    options: RenderOptions, path: Path | None = None, *, numbering: bool = False
) -> WordDocument:
    """The project's reference document in the theme's colours and fonts, its body emptied
    (the final section properties kept), on the project's paper. ``numbering``: the
    layout numbers lists, so the numbering definitions are themed too (python-docx adds
    an empty numbering part when the reference has none)."""
    word = open_reference(path or reference_path(options))
    roots = [cast(Element, word.styles.element)]
    if numbering:
        roots.append(cast(Element, word.part.numbering_part.element))
    apply_theme(roots, options.theme)
    body = cast(Element, word.element.body)
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    if not word.sections:
        body.get_or_add_sectPr()
    if options.project.paper == "Letter":
        section = word.sections[0]
        section.page_width, section.page_height = Inches(8.5), Inches(11)
    return word


def clip(text: str, limit: int = PROPERTY_LIMIT) -> str:
    """A property value within Word's limit, cut at a word with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def set_properties(word: WordDocument, props: Properties) -> None:
    """Core properties from the edition; dates are the article's, not the clock's, so
    rebuilding an unchanged article gives the same metadata."""
    core = word.core_properties
    stamp = dt.datetime.combine(props.date, dt.time(0, 0), tzinfo=dt.UTC)
    core.title = clip(props.title)
    core.subject = clip(props.subject)
    core.author = clip(props.author)
    core.last_modified_by = clip(props.author)
    core.keywords = clip(", ".join(props.keywords))
    core.language = word_language(props.language)
    core.category = clip(props.category)
    core.comments = clip(props.comments)
    core.identifier = clip(props.identifier)
    core.created = stamp
    core.modified = stamp
    core.revision = 1
    if props.custom:
        set_custom_properties(word, props.custom)


def set_custom_properties(word: WordDocument, values: tuple[tuple[str, str], ...]) -> None:
    """The project's fields as Word custom properties (File > Properties > Custom), in
    ``docProps/custom.xml``: python-docx has no API for that part, so it is written here,
    with its relationship and content type. Properties the reference document already has
    are kept, unless a field of the same name replaces them."""
    package = word.part.package
    existing = next(
        (rel.target_part for rel in package.rels.values() if rel.reltype == CUSTOM_REL), None
    )
    root = None
    if existing is not None:
        try:
            root = etree.fromstring(existing.blob)
        except XMLSyntaxError:
            root = None
    if root is None or root.tag != f"{{{CUSTOM_NS}}}Properties":
        root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
    names = {name for name, _ in values}
    for prop in list(root):
        if prop.get("name") in names:
            root.remove(prop)
    for name, text in values:
        prop = etree.SubElement(root, f"{{{CUSTOM_NS}}}property", fmtid=CUSTOM_FMTID, name=name)
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = clip(text)
    for pid, prop in enumerate(root, start=2):  # ids from 2, unique, in order
        prop.set("pid", str(pid))
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if existing is not None:
        existing._blob = blob
    else:
        part = Part(PackURI(CUSTOM_URI), CUSTOM_TYPE, blob, package)
        package.relate_to(part, CUSTOM_REL)


def marking_line(marking: str, draft: bool, draft_label: str) -> str:
    """The classification, with the draft label beside it for a draft."""
    if not draft:
        return marking
    return f"{marking} — {draft_label}" if marking else draft_label


def to_bytes(word: WordDocument) -> bytes:
    """The document as python-docx saves it (zip entries stamped with the local time)."""
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


class _Entries:
    """Where python-docx's package writer puts each part: collected as zip entries
    instead of deflated into a zip (the ``PhysPkgWriter`` interface: ``write``)."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, bytes]] = []

    def write(self, pack_uri: PackURI, blob: bytes) -> None:
        self.entries.append((pack_uri.membername, blob))


def docx_bytes(word: WordDocument, date_time: DateTime) -> bytes:
    """The document as a byte-stable ``.docx``: its parts, in the order python-docx writes
    them (``[Content_Types].xml`` first), zipped once by ``pack.archive.zip_entries``.

    The same bytes as ``normalize_zip(to_bytes(word))``, without deflating every part
    twice (python-docx's save, then the normalized zip; the embedded fonts make that
    about 20 ms a document). This drives python-docx's ``PackageWriter`` steps, which are
    not its public interface: should they change, the document is saved and normalized.
    """
    package = word.part.package
    steps = (
        getattr(PackageWriter, "_write_content_types_stream", None),
        getattr(PackageWriter, "_write_pkg_rels", None),
        getattr(PackageWriter, "_write_parts", None),
    )
    if not all(callable(step) for step in steps):
        return normalize_zip(to_bytes(word), date_time)
    for part in package.parts:
        part.before_marshal()
    collected = _Entries()
    writer = cast(PhysPkgWriter, collected)
    PackageWriter._write_content_types_stream(writer, package.parts)  # type: ignore[no-untyped-call]
    PackageWriter._write_pkg_rels(writer, package.rels)  # type: ignore[no-untyped-call]
    PackageWriter._write_parts(writer, package.parts)
    return zip_entries(collected.entries, date_time)
