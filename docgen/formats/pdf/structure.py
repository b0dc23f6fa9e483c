"""The tagged PDF's structure tree, corrected before the file is written.

WeasyPrint (``pdf_tags=True``) tags every piece of text it draws and builds a structure
element for every box, page by page. Read back, that tree has four faults this module
mends, in WeasyPrint's documented seam — the ``finisher`` of ``write_pdf``, called with the
``pydyf.PDF`` object graph once the tree is built and before a byte is written — so the
bytes stay reproducible and signing, which comes later, signs the corrected file:

* **Running headers and footers** (CSS margin boxes: the title, the marking, "Page X / Y")
  are tagged ``/Span <</MCID n>>`` but left out of the tree: neither content nor artifact.
  Any marked content that no element of the tree reaches becomes
  ``/Artifact <</Type /Pagination /Subtype /Header>>`` (``/Footer`` at the bottom), and the
  structure tree and its parent tree forget it. Table header rows that WeasyPrint repeats
  at the top of a continued table become pagination artifacts the same way.
* **Languages**: no element says its language. An element whose language (the HTML
  ``lang`` attribute, inherited) differs from its parent's — the document's ``/Lang`` at
  the top — gets ``/Lang``: the sheet's English column, an inline ``<span lang="en">``.
* **Header cells** get ``/Scope``: ``/Row`` for ``scope="row"`` (or ``rowgroup``),
  ``/Column`` otherwise — the same reading WeasyPrint's own ``/Headers`` links use.
* **Page breaks**: an element cut by a page break (a paragraph, its section, the
  ``main`` part, a table) was two elements, one per page; it becomes one, whose content
  items name their page (``/MCR``).

What an element stands for (its HTML element, language, ``scope``, whether it sits in a
margin box or under ``aria-hidden``) is read while WeasyPrint builds the tree, by wrapping
its tree builder, ``weasyprint.pdf.tags._build_box_tree`` — private, so the wrap is
guarded: it is installed only when that function still has the shape it relies on (a
generator whose first parameter is the box, looked up by name by ``add_tags``). Without
it, artifacts still come from the tree's reachability and scopes from cell positions;
languages and page-break joins are then skipped (``tests/test_pdf_structure.py`` fails
loudly on a WeasyPrint release where the hook no longer fits).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import pydyf

_REFERENCE = re.compile(rb"(\d+) 0 R")
_REPEATED = ("/THead", "/TFoot")
"""Row groups WeasyPrint draws again on each page a table crosses."""


@dataclass(frozen=True, slots=True)
class _Origin:
    """What WeasyPrint built a structure element from."""

    element: Any
    """The HTML element (lxml), shared by every fragment of a box cut by a page break."""
    lang: str | None
    scope: str | None
    margin: str | None
    """The margin box's at-keyword (``@top-left``…) for running headers and footers."""
    hidden: bool
    """Under ``aria-hidden="true"``: hidden from assistive technology, hence an artifact."""


@dataclass(slots=True)
class _Recorder:
    """Origins of the structure elements built during one ``write_pdf``."""

    origins: dict[int, tuple[Any, _Origin]] = field(default_factory=dict)
    margins: list[str] = field(default_factory=list)

    def note(self, element: Any, box: Any) -> None:
        if id(element) in self.origins:  # a child's element passed up through html/body
            return
        html = getattr(box, "element", None)
        style = getattr(box, "style", None)
        attrib = getattr(html, "attrib", {})
        origin = _Origin(
            element=html,
            lang=_style_lang(style),
            scope=attrib.get("scope"),
            margin=self.margins[-1] if self.margins else None,
            hidden=attrib.get("aria-hidden") == "true",
        )
        self.origins[id(element)] = (element, origin)  # the element kept alive: ids stay unique

    def origin(self, element: Any) -> _Origin | None:
        found = self.origins.get(id(element))
        return found[1] if found else None


def _style_lang(style: Any) -> str | None:
    try:
        lang = style["lang"]
    except (KeyError, TypeError):
        return None
    return lang if isinstance(lang, str) and lang else None


_RECORDER: ContextVar[_Recorder | None] = ContextVar("docgen_pdf_structure", default=None)
_hooked = False


def _install_hook() -> bool:
    """Wrap WeasyPrint's tree builder to note each element's origin, if its shape fits."""
    global _hooked  # noqa: PLW0603 - installed once per process
    if _hooked:
        return True
    try:
        from weasyprint.formatting_structure import boxes
        from weasyprint.pdf import tags
    except ImportError:  # pragma: no cover - WeasyPrint is a dependency
        return False
    build = getattr(tags, "_build_box_tree", None)
    add_tags = getattr(tags, "add_tags", None)
    margin_box = getattr(boxes, "MarginBox", None)
    if build is None or add_tags is None or margin_box is None:
        return False
    code = getattr(add_tags, "__code__", None)
    if not inspect.isgeneratorfunction(build) or code is None:
        return False
    if "_build_box_tree" not in code.co_names:  # add_tags must look the builder up by name
        return False
    parameters = list(inspect.signature(build).parameters)
    if not parameters or parameters[0] != "box":
        return False

    def recording_build(box: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        recorder = _RECORDER.get()
        if recorder is None:
            yield from build(box, *args, **kwargs)
            return
        margin = isinstance(box, margin_box)
        if margin:
            recorder.margins.append(str(getattr(box, "at_keyword", "")))
        try:
            for element in build(box, *args, **kwargs):
                recorder.note(element, box)
                yield element
        finally:
            if margin:
                recorder.margins.pop()

    recording_build.__wrapped__ = build  # type: ignore[attr-defined]
    tags._build_box_tree = recording_build
    _hooked = True
    return True


def hooked() -> bool:
    """Whether element origins are recorded (languages and page-break joins need them)."""
    return _hooked


def write_pdf(document: Any, options: dict[str, object]) -> bytes:
    """``document.write_pdf(**options)`` with the structure tree corrected (see above)."""
    recorder = _Recorder()
    token = _RECORDER.set(recorder)
    try:
        data: bytes = document.write_pdf(finisher=_finisher(recorder), **options)
    finally:
        _RECORDER.reset(token)
    return data


def _finisher(recorder: _Recorder) -> Callable[[Any, Any], None]:
    def finish(document: Any, pdf: Any) -> None:
        if "StructTreeRoot" in pdf.catalog:
            metadata = getattr(document, "metadata", None)
            _Tree(pdf, recorder if _hooked else None, getattr(metadata, "lang", None)).mend()

    return finish


class _Tree:
    """The structure tree of one ``pydyf.PDF``, with WeasyPrint's parent tree."""

    def __init__(self, pdf: Any, recorder: _Recorder | None, lang: str | None) -> None:
        self.pdf = pdf
        self.recorder = recorder
        self.lang = lang
        self.root = self.get(pdf.catalog["StructTreeRoot"])
        self.page_refs: tuple[bytes, ...] = tuple(pdf.page_references)
        self.page_of = {ref: number for number, ref in enumerate(self.page_refs)}
        parent_tree = self.get(self.root["ParentTree"])
        self.nums = parent_tree["Nums"]
        # (page, MCID) → element WeasyPrint attached it to; annotation key → element.
        self.owners: dict[tuple[int, int], bytes] = {}
        self.annotation_keys: dict[int, bytes] = {}
        for key, value in zip(self.nums[::2], self.nums[1::2], strict=True):
            if isinstance(value, list):
                for mcid, ref in enumerate(value):
                    self.owners[(key, mcid)] = ref
            else:
                self.annotation_keys[key] = value
        self.seen: dict[int, Any] = {}
        """Every element met, reachable or not (those left unreachable are emptied)."""

    def get(self, ref: Any) -> Any:
        if isinstance(ref, bytes):
            match = _REFERENCE.fullmatch(ref)
            if match:
                return self.pdf.objects[int(match[1])]
        return ref

    def origin(self, element: Any) -> _Origin | None:
        return self.recorder.origin(element) if self.recorder else None

    def mend(self) -> None:
        for document in map(self.get, self.root["K"]):
            if self.recorder:
                self.join_pages(document)
                self.drop_hidden(document)
            self.describe(document, self.lang)
        self.rewrite()

    # -- page breaks ---------------------------------------------------------------------

    def join_pages(self, parent: Any) -> None:
        """Join each pair of siblings that are two pages' fragments of one element."""
        kids = parent["K"]
        index = 0
        while index + 1 < len(kids):
            first, second = self.get(kids[index]), self.get(kids[index + 1])
            if self.continues(first, second):
                del kids[index + 1]
                self.absorb(first, second)
            else:
                index += 1

    def continues(self, first: Any, second: Any) -> bool:
        if not isinstance(first, pydyf.Dictionary) or not isinstance(second, pydyf.Dictionary):
            return False
        a, b = self.origin(first), self.origin(second)
        return (
            a is not None
            and b is not None
            and a.element is not None
            and a.element is b.element
            and a.margin is None
            and first.get("S") == second.get("S")
            and first.get("Pg") != second.get("Pg")
        )

    def absorb(self, first: Any, second: Any) -> None:
        """Move ``second``'s content into ``first``. A table's header or footer row group
        that WeasyPrint repeats on the next page is left out of the tree (its cells' IDs
        mapped to the first group's), and the footer group stays last."""
        groups = {
            id(origin.element): child
            for child, origin in ((child, self.origin(child)) for child in self.kids(first))
            if child.get("S") in _REPEATED and origin is not None and origin.element is not None
        }
        ids: dict[str, pydyf.String] = {}
        page = second.get("Pg")
        for kid in second["K"]:
            child = self.get(kid)
            if isinstance(kid, int):
                first["K"].append(
                    pydyf.Dictionary({"Type": "/MCR", "Pg": page, "MCID": kid})
                    if page != first.get("Pg")
                    else kid
                )
                continue
            origin = self.origin(child) if isinstance(child, pydyf.Dictionary) else None
            original = groups.get(id(origin.element)) if origin and origin.element else None
            if original is not None and child.get("S") == original.get("S"):
                ids.update(self.header_ids(child, original))
                self.forget(child)
                continue
            if isinstance(child, pydyf.Dictionary) and child.get("Type") == "/StructElem":
                child["P"] = first.reference
            first["K"].append(kid)
        self.forget(second, recurse=False)
        if ids:
            self.relink_headers(first, ids)
        if any(child.get("S") == "/TFoot" for child in groups.values()):
            first["K"].sort(key=lambda kid: _tag(self.get(kid)) == "/TFoot")  # stable
        self.join_pages(first)  # the fragments now side by side: a section's paragraph…

    def kids(self, element: Any) -> Iterator[Any]:
        """The structure elements among ``element``'s kids."""
        for kid in element.get("K", ()):
            child = self.get(kid)
            if isinstance(child, pydyf.Dictionary) and child.get("Type") == "/StructElem":
                yield child

    def header_ids(self, repeat: Any, original: Any) -> dict[str, pydyf.String]:
        """A repeated header row's cell IDs → the first header row's."""
        pairs = zip(self.header_cells(repeat), self.header_cells(original), strict=False)
        return {
            str(new["ID"].string): old["ID"] for new, old in pairs if "ID" in new and "ID" in old
        }

    def header_cells(self, element: Any) -> Iterator[Any]:
        if element.get("S") == "/TH":
            yield element
        for kid in element.get("K", ()):
            child = self.get(kid)
            if isinstance(child, pydyf.Dictionary) and child.get("Type") == "/StructElem":
                yield from self.header_cells(child)

    def relink_headers(self, element: Any, ids: dict[str, pydyf.String]) -> None:
        attributes = element.get("A")
        if isinstance(attributes, dict) and "Headers" in attributes:
            attributes["Headers"] = pydyf.Array(
                ids.get(str(getattr(header, "string", header)), header)
                for header in attributes["Headers"]
            )
        for kid in element.get("K", ()):
            child = self.get(kid)
            if isinstance(child, pydyf.Dictionary) and child.get("Type") == "/StructElem":
                self.relink_headers(child, ids)

    def forget(self, element: Any, recurse: bool = True) -> None:
        """Note ``element`` (and its subtree) as met: emptied later unless still reachable."""
        self.seen[id(element)] = element
        if recurse:
            for kid in element.get("K", ()):
                child = self.get(kid)
                if isinstance(child, pydyf.Dictionary) and child.get("Type") == "/StructElem":
                    self.forget(child)

    # -- hidden content, languages, scopes -----------------------------------------------

    def drop_hidden(self, parent: Any) -> None:
        kids = parent["K"]
        for index in range(len(kids) - 1, -1, -1):
            child = self.get(kids[index])
            if not isinstance(child, pydyf.Dictionary) or child.get("Type") != "/StructElem":
                continue
            origin = self.origin(child)
            if origin is not None and origin.hidden:
                del kids[index]
                self.forget(child)
            else:
                self.drop_hidden(child)

    def describe(self, element: Any, inherited: str | None) -> None:
        """Set ``/Lang`` where the language changes and ``/Scope`` on header cells."""
        origin = self.origin(element)
        lang = origin.lang if origin and origin.lang else inherited
        if lang and (inherited is None or lang.lower() != inherited.lower()):
            element["Lang"] = pydyf.String(lang)
        if element.get("S") == "/TH":
            self.scope(element, origin)
        for kid in element.get("K", ()):
            child = self.get(kid)
            if isinstance(child, pydyf.Dictionary) and child.get("Type") == "/StructElem":
                self.describe(child, lang)

    def scope(self, cell: Any, origin: _Origin | None) -> None:
        if origin is not None:
            row = (origin.scope or "").lower() in ("row", "rowgroup")
        else:  # no origin: a header cell beside data cells heads its row
            row_element = self.get(cell.get("P"))
            row = any(self.get(kid).get("S") == "/TD" for kid in row_element.get("K", ()))
        attributes = cell.get("A")
        if not isinstance(attributes, dict):
            attributes = cell["A"] = pydyf.Dictionary({"O": "/Table"})
        attributes["Scope"] = "/Row" if row else "/Column"

    # -- content streams and parent tree -------------------------------------------------

    def rewrite(self) -> None:
        """Renumber the marked content the tree reaches, make the rest artifacts, rebuild
        the parent tree and empty the elements left out."""
        pages: list[list[tuple[int, Any, Callable[[int], None]]]] = [[] for _ in self.page_refs]
        annotations: dict[int, bytes] = {}
        reached: set[int] = set()

        def walk(element: Any) -> None:
            reached.add(id(element))
            self.seen[id(element)] = element
            page = self.page_of.get(element.get("Pg"), 0)
            kids = element.get("K", ())
            for index, kid in enumerate(kids):
                if isinstance(kid, int):
                    pages[page].append((kid, element, _setter(kids, index)))
                    continue
                child = self.get(kid)
                if not isinstance(child, dict):
                    continue
                if child.get("Type") == "/MCR":
                    mcr_page = self.page_of.get(child["Pg"], page)
                    pages[mcr_page].append((child["MCID"], element, _setter(child, "MCID")))
                elif child.get("Type") == "/OBJR":
                    annotation = self.get(child.get("Obj"))
                    if isinstance(annotation, dict) and "StructParent" in annotation:
                        annotations[annotation["StructParent"]] = element.reference
                else:
                    walk(child)

        for document in map(self.get, self.root["K"]):
            walk(document)

        renumbered: list[dict[int, int]] = []
        nums = pydyf.Array()
        for number, found in enumerate(pages):
            found.sort(key=lambda item: item[0])
            mapping: dict[int, int] = {}
            refs = pydyf.Array()
            for new, (old, owner, set_mcid) in enumerate(found):
                mapping[old] = new
                set_mcid(new)
                refs.append(owner.reference)
            renumbered.append(mapping)
            nums.extend((number, refs))
        for key in sorted(self.annotation_keys):
            if key in annotations:
                nums.extend((key, annotations[key]))
        self.nums[:] = nums
        for ref in self.page_refs:  # a link left out of the tree (in a running head)
            annots = self.get(self.get(ref).get("Annots"))
            for annotation in map(self.get, annots if isinstance(annots, list) else ()):
                if isinstance(annotation, dict) and annotation.get("StructParent") in (
                    self.annotation_keys.keys() - annotations.keys()
                ):
                    del annotation["StructParent"]

        for number, ref in enumerate(self.page_refs):
            for stream in self.page_streams(self.get(ref)):
                self.mark_stream(stream, number, renumbered[number])

        for ref in self.owners.values():
            element = self.get(ref)
            while isinstance(element, pydyf.Dictionary) and id(element) not in reached:
                self.seen[id(element)] = element
                element = self.get(element.get("P"))
        for element in self.seen.values():
            if id(element) not in reached and element is not self.root:
                element.clear()  # an orphan: no stale MCIDs left behind in the file

    def mark_stream(self, stream: Any, page: int, mapping: dict[int, int]) -> None:
        items = stream.stream
        for index, item in enumerate(items):
            if not isinstance(item, pydyf.Dictionary) or "MCID" not in item:
                continue
            old = item["MCID"]
            if old in mapping:
                item["MCID"] = mapping[old]
                continue
            if not isinstance(items[index - 1], str):  # not ``/Tag <<…>> BDC``: leave it
                continue
            items[index - 1] = "/Artifact"
            item.clear()
            item["Type"] = "/Pagination"
            subtype = self.margin_subtype(self.owners.get((page, old)))
            if subtype:
                item["Subtype"] = subtype

    def margin_subtype(self, ref: bytes | None) -> str | None:
        element = self.get(ref) if ref is not None else None
        for _ in range(64):  # up the parents to the element built from the margin box
            if not isinstance(element, pydyf.Dictionary):
                return None
            origin = self.origin(element)
            if origin is not None:
                if origin.margin is None:
                    return None
                if origin.margin.startswith("@top"):
                    return "/Header"
                return "/Footer" if origin.margin.startswith("@bottom") else None
            element = self.get(element.get("P"))
        return None

    def page_streams(self, page: Any) -> Iterator[Any]:
        """The page's content stream and the form XObjects it draws (WeasyPrint draws
        transparent groups in them, with their marked content numbered as the page's)."""
        stack = [(self.get(page.get("Contents")), self.get(page.get("Resources")))]
        done: set[int] = set()
        while stack:
            stream, resources = stack.pop()
            if not isinstance(stream, pydyf.Stream) or id(stream) in done:
                continue
            done.add(id(stream))
            yield stream
            xobjects = self.get(resources.get("XObject")) if isinstance(resources, dict) else None
            if not isinstance(xobjects, dict):
                continue
            for item in stream.stream:
                if isinstance(item, bytes) and item.startswith(b"/") and item.endswith(b" Do"):
                    form = self.get(xobjects.get(item[1:-3].decode("latin-1")))
                    if isinstance(form, pydyf.Stream):
                        stack.append((form, self.get(form.extra.get("Resources"))))


def _tag(item: Any) -> object:
    return item.get("S") if isinstance(item, dict) else None


def _setter(container: Any, key: Any) -> Callable[[int], None]:
    def set_value(value: int) -> None:
        container[key] = value

    return set_value


_install_hook()
