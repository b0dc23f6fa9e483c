"""The theme's fonts embedded in a Word file, so that it looks the same where they are not
installed.

Word and LibreOffice read fonts embedded in a ``.docx`` (ECMA-376 Part 1, §17.8.1 and
§17.8.3.3): ``w:embedTrueTypeFonts`` in the settings; in the font table, each family's
``w:embedRegular``/``w:embedBold``/``w:embedItalic``/``w:embedBoldItalic`` naming a font
part by relationship and the key it is obfuscated with (``w:fontKey``); the font parts,
``word/fonts/fontN.odttf``, are the font file with its first 32 bytes XORed with that key
(ISO/IEC 29500-1 §15.2.14: the GUID's 16 bytes in reverse order of its hex digits,
applied twice). Obfuscation is no protection, only what the format asks for.

The bundled fonts are under the SIL Open Font Licence (Noto) and the Bitstream Vera
licence (DejaVu), which allow embedding; a theme's own fonts are embedded unless their
OS/2 ``fsType`` forbids it (restricted licence), with a warning.

Each face is subsetted (fontTools) to the characters of the document plus a safe set
(ASCII, Latin-1, Latin Extended-A, the typographic spaces, quotes and dashes docgen
writes), so small corrections stay in the font: the seed report's fonts come to ~0.4 MB
instead of ~2.8 MB (docs/report.md). Everything is a function of the bytes: the key is
derived from the subset's hash, so a rebuild gives the same file to the byte.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx.document import Document as WordDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml.ns import qn
from lxml import etree  # type: ignore[import-untyped]
from lxml.etree import XMLSyntaxError  # type: ignore[import-untyped]

from ...errors import Location, Problem
from ...fontsubset import subset_font
from ...project import builtin_templates_dir
from ...safeio import FileRefused, read_regular_file
from ...theme import Theme
from .elements import Element

FONT_TYPE = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
FONT_REL = RT.FONT
FONT_PART = "/word/fonts/font%d.odttf"
MAX_FONT_BYTES = 32 * 1024 * 1024
"""A font file larger than this is not a font docgen embeds (Noto CJK is ~20 MB)."""

RESTRICTED = 0x0002
"""OS/2 fsType: restricted licence embedding, the font must not be embedded."""
PREVIEW_AND_PRINT = 0x0004
EDITABLE = 0x0008
BITMAP_ONLY = 0x0200
"""OS/2 fsType: only bitmaps may be embedded (a TrueType outline font then cannot be)."""
NO_SUBSETTING = 0x0100
"""OS/2 fsType: the font may not be subsetted, only embedded whole."""

SAFE = frozenset(
    [chr(code) for code in range(0x20, 0x7F)]
    + [chr(code) for code in range(0xA0, 0x180)]
    + list("\u2009\u200a\u2011\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021")
    + list("\u2022\u2026\u202f\u2039\u203a\u20ac\u2122\u2191\u25e6")
)
"""Kept in every subset: ASCII, Latin-1, Latin Extended-A, and the typographic spaces,
quotes, dashes and bullets docgen writes in French and English, so that a reader can
correct a name or add a quote in Word without falling back to another font."""

_SLOTS = ("w:embedRegular", "w:embedBold", "w:embedItalic", "w:embedBoldItalic")
_STORY_TYPES = frozenset(
    {
        CT.WML_DOCUMENT_MAIN,
        CT.WML_HEADER,
        CT.WML_FOOTER,
        CT.WML_FOOTNOTES,
        CT.WML_ENDNOTES,
        CT.WML_COMMENTS,
    }
)
_BEFORE_EMBED = tuple(
    qn(f"w:{name}")
    for name in (
        "writeProtection",
        "view",
        "zoom",
        "removePersonalInformation",
        "removeDateAndTime",
        "doNotDisplayPageBoundaries",
        "displayBackgroundShape",
        "printPostScriptOverText",
        "printFractionalCharacterWidth",
        "printFormsData",
    )
)
"""The ``w:settings`` children that come before ``w:embedTrueTypeFonts`` (CT_Settings)."""


@dataclass(frozen=True)
class WordFace:
    """A font file and the slot it fills in Word's four faces of a family."""

    family: str
    path: Path
    bold: bool = False
    italic: bool = False
    builtin: bool = False

    @property
    def slot(self) -> str:
        return _SLOTS[self.bold + 2 * self.italic]


def builtin_faces() -> tuple[WordFace, ...]:
    """docgen's own fonts under the names the reference document gives them."""
    fonts = builtin_templates_dir() / "fonts"
    faces = [
        ("Noto Serif", "NotoSerif-Regular.ttf", False, False),
        ("Noto Serif", "NotoSerif-Bold.ttf", True, False),
        ("Noto Serif", "NotoSerif-Italic.ttf", False, True),
        ("Noto Serif", "NotoSerif-BoldItalic.ttf", True, True),
        ("Noto Sans", "NotoSans-Regular.ttf", False, False),
        ("Noto Sans", "NotoSans-Bold.ttf", True, False),
        ("Noto Sans", "NotoSans-Italic.ttf", False, True),
        ("DejaVu Sans Mono", "DejaVuSansMono.ttf", False, False),
    ]
    return tuple(WordFace(f, fonts / n, b, i, builtin=True) for f, n, b, i in faces)


def _is_bold(weight: str) -> bool:
    value = weight.strip().lower()
    if value.isdigit():
        return int(value) >= 600
    return value in ("bold", "bolder", "semibold", "semi-bold", "extrabold", "black")


def theme_faces(theme: Theme) -> tuple[WordFace, ...]:
    """Every face Word may embed: the theme's font files first, then the bundled ones.
    One file per slot of a family: the first that claims it (a theme listing a light
    and a regular face gives Word the first of them as its regular)."""
    faces: dict[tuple[str, str], WordFace] = {}
    given = (
        WordFace(f.family, f.path, _is_bold(f.weight), f.style.lower() in ("italic", "oblique"))
        for f in theme.fonts
    )
    for face in (*given, *builtin_faces()):
        faces.setdefault((face.family, face.slot), face)
    return tuple(faces.values())


# -- what the document uses -------------------------------------------------------------


def _story_roots(word: WordDocument) -> Iterator[Element]:
    for part in word.part.package.iter_parts():
        if part.content_type in _STORY_TYPES and isinstance(part, XmlPart):
            yield part.element


def used_families(word: WordDocument) -> set[str]:
    """The font names the document's text can be set in: those of its runs, of the styles
    its paragraphs, runs and tables use (and the styles these are based on, and the
    default ones), and of the document defaults. A style the document never uses (the
    reference's Code style in an article without code) brings no font."""
    styles = word.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in styles.iter(qn("w:style"))}
    wanted = {
        s.get(qn("w:styleId")) for s in by_id.values() if s.get(qn("w:default")) in ("1", "true")
    }
    fonts_roots: list[Element] = []
    refs = (qn("w:pStyle"), qn("w:rStyle"), qn("w:tblStyle"))
    for root in _story_roots(word):
        fonts_roots.append(root)
        wanted |= {node.get(qn("w:val")) for node in root.iter(*refs)}
    todo = list(wanted)
    while todo:
        style = by_id.get(todo.pop())
        if style is None:
            continue
        fonts_roots.append(style)
        based = style.find(f"{qn('w:basedOn')}")
        name = based.get(qn("w:val")) if based is not None else None
        if name and name not in wanted:
            wanted.add(name)
            todo.append(name)
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        fonts_roots.append(defaults)
    names: set[str] = set()
    attributes = [qn(f"w:{a}") for a in ("ascii", "hAnsi", "cs", "eastAsia")]
    for root in fonts_roots:
        for node in root.iter(qn("w:rFonts")):
            names |= {value for a in attributes if (value := node.get(a))}
    return names


def used_characters(word: WordDocument) -> frozenset[str]:
    """Every character the document's stories show, list markers included."""
    chars: set[str] = set()
    for root in _story_roots(word):
        for node in root.iter(qn("w:t"), qn("w:delText")):
            chars.update(node.text or "")
    numbering = next(
        (
            part.element
            for part in word.part.package.iter_parts()
            if part.content_type == CT.WML_NUMBERING and isinstance(part, XmlPart)
        ),
        None,
    )
    if numbering is not None:
        for node in numbering.iter(qn("w:lvlText")):
            chars.update(node.get(qn("w:val"), ""))
    # Private-use code points are symbol-font codes (a reference's Symbol bullets): no
    # text font has them, and leaving them out lets most documents share one subset.
    return frozenset(c for c in chars if not 0xE000 <= ord(c) <= 0xF8FF)


# -- the font bytes ---------------------------------------------------------------------


def font_key(data: bytes) -> str:
    """The face's obfuscation key, ``{XXXXXXXX-…}``: from the bytes' hash, so that the
    same face gives the same key (and the same file) on every build."""
    digest = hashlib.sha256(b"docgen font key\0" + data).digest()
    return "{" + str(uuid.UUID(bytes=digest[:16], version=4)).upper() + "}"


def _key_bytes(key: str) -> bytes:
    digits = key.strip("{}").replace("-", "")
    return bytes.fromhex(digits)[::-1]


def obfuscate(data: bytes, key: str) -> bytes:
    """ECMA-376's font obfuscation: the first 32 bytes XORed with the key's 16 bytes,
    taken in reverse order of the GUID's hex digits. Its own inverse."""
    mask = _key_bytes(key) * 2
    head = bytes(b ^ m for b, m in zip(data[:32], mask, strict=False))
    return head + data[32:]


LAYOUT_FEATURES = ("kern", "liga", "ccmp", "locl", "mark", "mkmk")
"""OpenType features kept: kerning, the standard ligatures Word applies when asked, and
what places accents. Hinting is dropped (+60 % size; Word renders unhinted Noto well)."""


PREPARED_DIR = "fonts/word"
"""Under the built-in templates: each bundled face already cut down to ``SAFE``, made by
``scripts/make_word_fonts.py`` (a test checks it remakes the same bytes). Most French and
English documents use no character outside the safe set, and then embed these as they are:
subsetting a face at build time costs about 0.2 s of CPU, seven faces over a second."""


def prepared_path(face: WordFace) -> Path:
    return builtin_templates_dir() / PREPARED_DIR / face.path.name


def _subset_of(face: WordFace, data: bytes, chars: frozenset[str]) -> bytes:
    """The face cut down to ``chars``: the prepared file for a bundled face when ``chars``
    is the safe set, else subsetted now."""
    if face.builtin and chars == SAFE:
        prepared = prepared_path(face)
        if prepared.is_file():
            return read_regular_file(prepared, MAX_FONT_BYTES)
    return subset_truetype(data, chars)


def _word_options(options: Any) -> None:
    options.hinting = False
    options.notdef_outline = True
    options.recalc_timestamp = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.legacy_kern = True
    options.layout_features = list(LAYOUT_FEATURES)


def subset_truetype(data: bytes, chars: frozenset[str]) -> bytes:
    """``data`` cut down to ``chars`` as a TrueType/OpenType font for Word: layout
    features kept (kerning, ligatures, marks), hinting dropped; every name record kept.
    Remembered in this process (the report and the sheet share their faces)."""
    return subset_font(data, chars, "word", _word_options)


@dataclass(frozen=True)
class FontInfo:
    """What the font table says of a family, read from the font itself."""

    fs_type: int
    fixed_pitch: bool
    panose: str
    signature: tuple[str, ...]
    """``usb0``..``usb3``, ``csb0``, ``csb1``: the Unicode and code page ranges."""


def font_info(data: bytes) -> FontInfo:
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    font = TTFont(io.BytesIO(data), lazy=True)
    os2 = font["OS/2"]
    panose = os2.panose
    digits = "".join(
        f"{getattr(panose, name):02X}"
        for name in (
            "bFamilyType",
            "bSerifStyle",
            "bWeight",
            "bProportion",
            "bContrast",
            "bStrokeVariation",
            "bArmStyle",
            "bLetterForm",
            "bMidline",
            "bXHeight",
        )
    )
    ranges = [getattr(os2, f"ulUnicodeRange{n}", 0) for n in (1, 2, 3, 4)]
    pages = [getattr(os2, f"ulCodePageRange{n}", 0) for n in (1, 2)]
    return FontInfo(
        int(os2.fsType),
        # isFixedPitch, read from the table's header: decoding the whole ``post`` table
        # decodes every glyph name, most of the time this function would take.
        bool(int.from_bytes(font.getTableData("post")[12:16], "big")),
        digits,
        tuple(f"{value:08X}" for value in (*ranges, *pages)),
    )


def embeddable(fs_type: int) -> bool:
    """Whether OS/2 ``fsType`` lets a document carry the font's outlines: not under a
    restricted licence (unless a less restrictive bit is set too, which then applies),
    nor bitmaps only."""
    restricted = bool(fs_type & RESTRICTED) and not fs_type & (PREVIEW_AND_PRINT | EDITABLE)
    return not restricted and not fs_type & BITMAP_ONLY


# -- the package ------------------------------------------------------------------------


def embed_fonts(word: WordDocument, theme: Theme) -> list[Problem]:
    """Embed every face of every family the document uses that docgen has a file for,
    subsetted to the document's characters; and the warnings: a font whose licence
    forbids embedding (once per file), a theme font file that cannot be read. Families
    without files (a theme naming an installed font) are left to the reader's machine."""
    families = used_families(word)
    faces = [face for face in theme_faces(theme) if face.family in families]
    if not faces:
        return []
    chars = used_characters(word) | SAFE
    warnings: list[Problem] = []
    embedded: list[tuple[WordFace, bytes, FontInfo]] = []
    refused: dict[str, list[Path]] = {}
    for face in faces:
        try:
            data = read_regular_file(face.path, MAX_FONT_BYTES)
            info = font_info(data)
        except (FileRefused, OSError, KeyError, ValueError, AssertionError) as exc:
            if face.builtin:
                raise
            message = f"font file {face.path.name} is not embedded in the Word file: {exc}"
            warnings.append(Problem(Location(face.path), message, "warning"))
            continue
        if not embeddable(info.fs_type):
            refused.setdefault(face.family, []).append(face.path)
            continue
        whole = bool(info.fs_type & NO_SUBSETTING)
        try:
            font = data if whole else _subset_of(face, data, chars)
        except Exception as exc:  # a theme's file may be anything fontTools refuses
            if face.builtin:
                raise
            message = f"font file {face.path.name} is not embedded in the Word file: {exc}"
            warnings.append(Problem(Location(face.path), message, "warning"))
            continue
        embedded.append((face, font, info))
    for family, paths in refused.items():  # one warning a family, however many faces
        names = ", ".join(path.name for path in paths)
        message = (
            f"font {family!r} ({names}) is not embedded in the Word file: its licence"
            " forbids embedding (OS/2 fsType); readers without it installed see another font"
        )
        warnings.append(Problem(Location(paths[0]), message, "warning"))
    if embedded:
        _write(word, embedded, subsetted=any(not i.fs_type & NO_SUBSETTING for _, _, i in embedded))
    return warnings


def _font_table(word: WordDocument) -> Part:
    try:
        return word.part.part_related_by(RT.FONT_TABLE)
    except KeyError:
        root = etree.Element(qn("w:fonts"), nsmap={"w": _W, "r": _R})
        blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        part = Part(PackURI("/word/fontTable.xml"), CT.WML_FONT_TABLE, blob, word.part.package)
        word.part.relate_to(part, RT.FONT_TABLE)
        return part


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _write(
    word: WordDocument, faces: Iterable[tuple[WordFace, bytes, FontInfo]], *, subsetted: bool
) -> None:
    table_part = _font_table(word)
    try:
        table = etree.fromstring(table_part.blob)
    except XMLSyntaxError:
        table = etree.Element(qn("w:fonts"), nsmap={"w": _W, "r": _R})
    if table.tag != qn("w:fonts"):
        table = etree.Element(qn("w:fonts"), nsmap={"w": _W, "r": _R})
    entries = {node.get(qn("w:name")): node for node in table.iter(qn("w:font"))}
    faces = list(faces)
    for face, _, _ in faces:  # a reference that embeds a family already: ours replace it
        entry = entries.get(face.family)
        if entry is None:
            continue
        for old in entry.findall(qn(face.slot)):
            table_part.rels.pop(old.get(qn("r:id")), None)
            entry.remove(old)
    taken = {str(part.partname) for part in word.part.package.iter_parts()}
    number = 0
    for face, font, info in faces:
        entry = entries.get(face.family)
        if entry is None:
            entry = _new_entry(table, face.family, info)
            entries[face.family] = entry
        number += 1
        while FONT_PART % number in taken:
            number += 1
        key = font_key(font)
        part = Part(
            PackURI(FONT_PART % number), FONT_TYPE, obfuscate(font, key), table_part.package
        )
        rel_id = table_part.relate_to(part, FONT_REL)
        slot = etree.Element(qn(face.slot))
        slot.set(qn("r:id"), rel_id)
        slot.set(qn("w:fontKey"), key)
        if subsetted and not info.fs_type & NO_SUBSETTING:
            slot.set(qn("w:subsetted"), "1")
        _place_slot(entry, slot)
    table_part._blob = etree.tostring(
        table, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    _set_settings(word, subsetted)


def _new_entry(table: Element, family: str, info: FontInfo) -> Element:
    """A font table entry for a theme family the reference does not list."""
    entry: Element = etree.SubElement(table, qn("w:font"))
    entry.set(qn("w:name"), family)
    etree.SubElement(entry, qn("w:panose1")).set(qn("w:val"), info.panose)
    etree.SubElement(entry, qn("w:charset")).set(qn("w:val"), "00")
    etree.SubElement(entry, qn("w:family")).set(qn("w:val"), "auto")
    pitch = "fixed" if info.fixed_pitch else "variable"
    etree.SubElement(entry, qn("w:pitch")).set(qn("w:val"), pitch)
    sig = etree.SubElement(entry, qn("w:sig"))
    for name, value in zip(
        ("usb0", "usb1", "usb2", "usb3", "csb0", "csb1"), info.signature, strict=True
    ):
        sig.set(qn(f"w:{name}"), value)
    return entry


def _place_slot(entry: Element, slot: Element) -> None:
    """``slot`` at its place among the embeds, which close CT_Font's sequence in the
    order regular, bold, italic, bold italic."""
    order = [qn(name) for name in _SLOTS]
    after = order[order.index(slot.tag) + 1 :]
    for child in entry:
        if child.tag in after:
            child.addprevious(slot)
            return
    entry.append(slot)


def _set_settings(word: WordDocument, subsetted: bool) -> None:
    """``w:embedTrueTypeFonts`` (and ``w:saveSubsetFonts``, so that Word keeps saving the
    fonts subsetted) at their place in the settings."""
    settings = word.settings.element
    for name in ("w:embedTrueTypeFonts", "w:saveSubsetFonts"):
        for old in settings.findall(qn(name)):
            settings.remove(old)
    wanted = [qn("w:embedTrueTypeFonts")] + ([qn("w:saveSubsetFonts")] if subsetted else [])
    before = [child for child in settings if child.tag in _BEFORE_EMBED]
    anchor = before[-1] if before else None
    for tag in wanted:
        node = etree.Element(tag)
        if anchor is None:
            settings.insert(0, node)
        else:
            anchor.addnext(node)
        anchor = node
