"""XLIFF 1.2 exchange: the format Trados, memoQ, OmegaT and Weblate all read and write.

Written with ElementTree (escaping is the library's job, never ours). Read with expat first,
to refuse DTDs (no entity tricks) and to know each unit's line for messages, then with
ElementTree for the content; text inside inline tags a tool may add (``<mrk>``, ``<g>``) is
kept, the tags dropped.
"""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from ..errors import DocgenError
from .record import Entry
from .units import FINGERPRINT_NOTE, Unit

NS = "urn:oasis:names:tc:xliff:document:1.2"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_STATES = {
    "missing": "needs-translation",
    "untracked": "translated",
    "current": "translated",
    "stale": "needs-review-translation",
}
PENDING = frozenset({"new", "needs-translation", "needs-review-translation"} | {""})
"""Target states that say a translator has not finished a unit: such units are not imported.
(Tools write ``translated``, ``final`` or ``signed-off`` once a segment is confirmed.)"""


def describe(unit: Unit) -> str:
    """A note for the translator: what the unit is and how to treat its text."""
    if unit.span is None:
        return f"front-matter field, plain text (line {unit.line})"
    marks = "keep *, **, `code`, [links](…), [spans]{lang=…} and [^notes] as they are"
    return f"{unit.kind}, Markdown: {marks} (line {unit.line})"


def write(
    original: str, source_lang: str, lang: str, items: list[Entry], date: dt.date | None = None
) -> str:
    """The XLIFF document for ``items``, pretty-printed UTF-8 text (``date``: the PO
    header's; XLIFF 1.2 has no place for it)."""
    # Tags stay unqualified and the namespace is declared on the root: the same XML as
    # qualified names, without ElementTree's process-wide prefix registry.
    root = ET.Element("xliff", {"version": "1.2", "xmlns": NS})
    attrs = {
        "original": original,
        "source-language": source_lang,
        "target-language": lang,
        "datatype": "plaintext",
    }
    file = ET.SubElement(root, "file", attrs)
    header = ET.SubElement(file, "header")
    ET.SubElement(header, "tool", {"tool-id": "docgen", "tool-name": "docgen"})
    body = ET.SubElement(file, "body")
    for item in items:
        unit = item.unit
        attrs = {"id": unit.id, "resname": unit.id, _XML_SPACE: "preserve"}
        if item.state == "current":  # accepted: tools count it done, not fuzzy
            attrs["approved"] = "yes"
        element = ET.SubElement(body, "trans-unit", attrs)
        ET.SubElement(element, "source").text = unit.text
        target = ET.SubElement(element, "target", {"state": _STATES[item.state]})
        target.text = item.target or None
        for note in (f"fingerprint {unit.fingerprint}", describe(unit)):
            ET.SubElement(element, "note", {"from": "docgen"}).text = note
        if item.previous is not None:
            element.append(_previous(item.previous, item.target, source_lang, lang))
    ET.indent(root, space="  ")
    buffer = io.BytesIO()
    ET.ElementTree(root).write(buffer, encoding="UTF-8", xml_declaration=True)
    return buffer.getvalue().decode("utf-8") + "\n"


def _previous(source: str, target: str, source_lang: str, lang: str) -> ET.Element:
    """The ``<alt-trans alttranstype="previous-version">`` of a stale unit: the source text
    its translation was made for, with that translation (XLIFF 1.2 requires a target). CAT
    tools built on translate-toolkit, Okapi (OmegaT, Rainbow) and Lokalize show it beside
    the unit, so the translator sees what changed, not only that something did."""
    alt = ET.Element("alt-trans", {"alttranstype": "previous-version", "origin": "docgen"})
    ET.SubElement(alt, "source", {_XML_LANG: source_lang}).text = source
    ET.SubElement(alt, "target", {_XML_LANG: lang}).text = target or None
    return alt


@dataclass(frozen=True)
class Imported:
    """One unit read back from a translator's file (XLIFF or PO); ``done`` when its target
    is filled in and not marked as still needing work."""

    id: str
    source: str
    target: str
    fingerprint: str
    done: bool
    line: int


@dataclass
class Exchange:
    """What a translator's file holds: the article it came from, its languages, its units.
    ``line`` is where the header is; ``original_line`` where the article is named (0: there)."""

    original: str
    source_lang: str
    lang: str
    line: int
    units: list[Imported] = field(default_factory=list)
    original_line: int = 0


def read(path: Path) -> Exchange:
    """Parse an XLIFF 1.2 file; malformed XML raises ``DocgenError`` at its line:column."""
    data = path.read_bytes()
    file_line, lines = _unit_lines(path, data)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line, column = exc.position
        raise DocgenError.at(path, f"invalid XML: {exc}", line, column + 1) from None
    if _local(root.tag) != "xliff" or not root.get("version", "").startswith("1."):
        raise DocgenError.at(path, 'not an XLIFF 1.x file (expected <xliff version="1.2">)', 1)
    files = [e for e in root if _local(e.tag) == "file"]
    if len(files) != 1:
        raise DocgenError.at(path, f"expected one <file> element, found {len(files)}", 1)
    file = files[0]
    exchange = Exchange(
        file.get("original", ""),
        file.get("source-language", ""),
        file.get("target-language", ""),
        file_line,
    )
    units = [e for e in root.iter() if _local(e.tag) == "trans-unit"]
    for element, line in zip(units, lines, strict=False):
        source = _child(element, "source")
        target = _child(element, "target")
        notes = " ".join(_text(e) for e in element if _local(e.tag) == "note")
        found = FINGERPRINT_NOTE.search(notes)
        text = _text(target) if target is not None else ""
        state = target.get("state", "translated") if target is not None else ""
        exchange.units.append(
            Imported(
                element.get("id", ""),
                _text(source) if source is not None else "",
                text,
                found.group(1) if found else "",
                bool(text.strip()) and state not in PENDING,
                line,
            )
        )
    return exchange


def _unit_lines(path: Path, data: bytes) -> tuple[int, list[int]]:
    """The line of the <file> element and of each <trans-unit>; refuses any DTD."""
    parser = expat.ParserCreate(namespace_separator=" ")
    lines: list[int] = []
    file_line = [1]

    def start(name: str, _attrs: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        if local == "trans-unit":
            lines.append(parser.CurrentLineNumber)
        elif local == "file":
            file_line.append(parser.CurrentLineNumber)

    def doctype(*_args: object) -> None:
        raise DocgenError.at(
            path,
            "a DOCTYPE is not allowed in an XLIFF file",
            parser.CurrentLineNumber,
            parser.CurrentColumnNumber + 1,
        )

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = doctype
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        message = f"invalid XML: {expat.ErrorString(exc.code)}"
        raise DocgenError.at(path, message, exc.lineno, exc.offset + 1) from None
    return file_line[-1], lines


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: ET.Element, name: str) -> ET.Element | None:
    return next((e for e in element if _local(e.tag) == name), None)


def _text(element: ET.Element) -> str:
    return "".join(element.itertext())
