"""YAML front matter → typed ``Metadata``, every problem reported with its file position.

The YAML is *composed* (node graph with positions and raw scalar text, see
``yaml_compose``), never *constructed*: no Python object is ever built from a tag, so
loading is safe by design, and the schema below gives each value its type (``no`` stays the
text "no"; a date is parsed by us and its errors point at the value). Only the null tag is
ever read, and YAML 1.1 and 1.2 agree on it; so ``yes``, ``0o17``, ``1:30`` or ``2025-12-01``
are texts whichever YAML version composed them. Aliases are refused, which also defuses
"billion laughs" expansion.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import Location, Problem
from .fields import FieldSpec
from .model import (
    Author,
    FieldValue,
    Localized,
    Metadata,
    PartialDate,
    Pos,
    ProjectField,
    TimelineEntry,
)
from .yaml_compose import compose, refused_scalars
from .yaml_nodes import Node, is_mapping, is_null, is_scalar, is_sequence
from .yaml_pitfalls import colon_hint, comment_cuts

__all__ = ["FIELDS", "LANG_CODE", "compose", "known_language", "parse_front_matter"]

LANG_CODE = re.compile(r"[a-z]{2,3}(-[A-Z]{2})?")
"""A language code (``fr``, ``en-GB``); always used with ``fullmatch``."""
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

FIELDS: dict[str, str] = {
    "title": "localized text (required)",
    "subtitle": "localized text",
    "short_title": "localized text, for running headers",
    "author": "mapping with name (required), role, organization",
    "date": "date YYYY-MM-DD (required)",
    "lang": "language code of the body, e.g. fr (required)",
    "classification": "localized text",
    "keywords": "list of texts",
    "summary": "localized text",
    "key_points": "list of localized texts",
    "timeline": "list of {date, text}",
    "contact": "localized text",
}
REQUIRED = ("title", "author", "date", "lang")
AUTHOR_FIELDS = ("name", "role", "organization")
TIMELINE_FIELDS = ("date", "text")


class _Reader:
    """Turns nodes into values, collecting problems instead of stopping at the first."""

    def __init__(self, path: Path, line_offset: int, text: str) -> None:
        self.path = path
        self.line_offset = line_offset
        self.lines = text.split("\n")
        self.problems: list[Problem] = []
        self.reported: set[int] = set()
        """Nodes already reported (by identity): a refused character, a value cut short."""

    def pos(self, node: Node) -> Pos:
        mark = node.start_mark
        return Pos(mark.line + 1 + self.line_offset, mark.column + 1)

    def located(self) -> list[Problem]:
        """The problems in the order of the file."""
        return sorted(self.problems, key=lambda p: (p.location.line, p.location.column))

    def error(self, node: Node | Pos, message: str) -> None:
        pos = node if isinstance(node, Pos) else self.pos(node)
        self.problems.append(Problem(Location(self.path, pos.line, pos.column), message))

    # -- typed readers; each returns None after reporting a problem -----------------------

    def mapping(
        self, node: Node, where: str, allowed: tuple[str, ...]
    ) -> dict[str, tuple[Node, Node]] | None:
        if not is_mapping(node):
            self.error(node, f"{where} must be a mapping of fields")
            return None
        found: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            if id(key_node) in self.reported:
                continue
            key = str(key_node.value) if is_scalar(key_node) else "?"
            if key in found:
                first = self.pos(found[key][0])
                self.error(key_node, f"duplicate field {key!r} (first given at line {first.line})")
                continue
            if allowed and key not in allowed:
                self.error(key_node, _unknown(key, where, allowed))
                continue
            found[key] = (key_node, value_node)
        return found

    def text(self, node: Node, where: str) -> str | None:
        if not is_scalar(node):
            hint = colon_hint(node, self.lines)
            self.error(node, f"{where} must be a text, not a {_kind(node)}{hint}")
            return None
        # ruamel marks the fold points of ">" scalars with BEL; no value can hold one (the
        # source refuses it, and compose refuses what escapes write).
        value = str(node.value).replace("\a", "").strip()
        if id(node) in self.reported:
            return None
        if is_null(node) or not value:
            self.error(node, f"{where} must not be empty")
            return None
        return value

    def localized(self, node: Node, where: str) -> Localized | None:
        if is_scalar(node):
            text = self.text(node, where)
            return None if text is None else Localized.plain(text, self.pos(node))
        if not is_mapping(node):
            self.error(node, f"{where} must be a text or a mapping of language codes to texts")
            return None
        texts: list[tuple[str, str]] = []
        positions: list[tuple[str, Pos]] = []
        ok = True
        for key_node, value_node in node.value:
            if id(key_node) in self.reported:
                ok = False
                continue
            code = str(key_node.value) if is_scalar(key_node) else "?"
            if not LANG_CODE.fullmatch(code):
                shown = repr(code) if code != "?" else "this key"
                hint = colon_hint(node, self.lines)
                message = f"{where}: {shown} is not a language code (fr, en, ar…){hint}"
                self.error(key_node, message)
                ok = False
                continue
            if any(code == seen for seen, _ in texts):
                self.error(key_node, f"{where}: duplicate language {code!r}")
                ok = False
                continue
            text = self.text(value_node, f"{where}.{code}")
            if text is None:
                ok = False
                continue
            texts.append((code, text))
            positions.append((code, self.pos(value_node)))
        if not texts:
            if ok:
                self.error(node, f"{where} must give at least one language")
            return None
        return Localized(tuple(texts), self.pos(node), tuple(positions))

    def sequence(self, node: Node, where: str) -> list[Node] | None:
        if not is_sequence(node):
            self.error(node, f"{where} must be a list")
            return None
        return list(node.value)

    def date(self, node: Node, where: str) -> dt.date | None:
        text = self.text(node, where)
        if text is None:
            return None
        if not _DATE.match(text):
            self.error(node, f"{where}: {text!r} is not a date in the form YYYY-MM-DD")
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError as exc:
            self.error(node, f"{where}: invalid date {text!r}: {exc}")
            return None

    def partial_date(self, node: Node, where: str) -> PartialDate | None:
        text = self.text(node, where)
        if text is None:
            return None
        match = _PARTIAL_DATE.match(text)
        if not match:
            self.error(node, f"{where}: {text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
            return None
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        try:
            dt.date(year, month or 1, day or 1)
        except ValueError as exc:
            self.error(node, f"{where}: invalid date {text!r}: {exc}")
            return None
        return PartialDate(year, month, day)

    # -- fields --------------------------------------------------------------------------

    def author(self, node: Node) -> Author | None:
        if is_scalar(node):
            name = self.text(node, "author")
            return None if name is None else Author(name)
        fields = self.mapping(node, "author", AUTHOR_FIELDS)
        if fields is None:
            return None
        if "name" not in fields:
            self.error(node, "author: missing required field 'name'")
            return None
        name = self.text(fields["name"][1], "author.name")
        role = self.optional(fields, "role", "author.role", self.localized)
        organization = self.optional(fields, "organization", "author.organization", self.localized)
        return None if name is None else Author(name, role, organization)

    def optional(
        self,
        fields: dict[str, tuple[Node, Node]],
        key: str,
        where: str,
        read: Callable[[Node, str], Any],
    ) -> Any:
        if key not in fields:
            return None
        value = fields[key][1]
        if is_null(value):
            return None
        return read(value, where)

    def keywords(self, node: Node, where: str) -> tuple[str, ...] | None:
        items = self.sequence(node, where)
        if items is None:
            return None
        words = [self.text(item, f"{where}[{i}]") for i, item in enumerate(items)]
        return tuple(w for w in words if w is not None)

    def key_points(self, node: Node, where: str) -> tuple[Localized, ...] | None:
        items = self.sequence(node, where)
        if items is None:
            return None
        points = [self.localized(item, f"{where}[{i}]") for i, item in enumerate(items)]
        return tuple(p for p in points if p is not None)

    def timeline(self, node: Node, where: str) -> tuple[TimelineEntry, ...] | None:
        items = self.sequence(node, where)
        if items is None:
            return None
        entries: list[TimelineEntry] = []
        for i, item in enumerate(items):
            label = f"{where}[{i}]"
            fields = self.mapping(item, label, TIMELINE_FIELDS)
            if fields is None:
                continue
            missing = [k for k in TIMELINE_FIELDS if k not in fields]
            for key in missing:
                self.error(item, f"{label}: missing required field {key!r}")
            if missing:
                continue
            date = self.partial_date(fields["date"][1], f"{label}.date")
            text = self.localized(fields["text"][1], f"{label}.text")
            if date is not None and text is not None:
                entries.append(TimelineEntry(date, text, self.pos(item)))
        return tuple(entries)

    def project_field(self, spec: FieldSpec, key: Node, node: Node) -> ProjectField | None:
        """A declared field's value, typed by its declaration (docgen.toml)."""
        value: FieldValue | None
        if spec.type == "localized":
            value = self.localized(node, spec.name)
        elif spec.type == "date":
            value = self.date(node, spec.name)
        elif spec.type == "list":
            value = self.keywords(node, spec.name)
        else:
            value = self.text(node, spec.name)
        if value is None:
            return None
        return ProjectField(spec.name, value, spec.label, spec.show, self.pos(key))

    def lang(self, node: Node, where: str) -> str | None:
        code = self.text(node, where)
        if code is None:
            return None
        if not LANG_CODE.fullmatch(code) or not known_language(code):
            self.error(node, f"{where}: {code!r} is not a language code (fr, en, ar…)")
            return None
        return code


def known_language(code: str) -> bool:
    """Whether Babel has locale data for ``code``: dates and labels need it."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True


def _kind(node: Node) -> str:
    return {"mapping": "mapping", "sequence": "list"}.get(node.id, "text")


def _unknown(key: str, where: str, allowed: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else f"; known fields: {', '.join(allowed)}"
    if not close and where == "the front matter":
        hint += f"; a field of the project's own is declared in docgen.toml: [fields.{key}]"
    return f"unknown field {key!r} in {where}{hint}"


def parse_front_matter(
    text: str, path: Path, line_offset: int, start: Pos, fields: tuple[FieldSpec, ...] = ()
) -> tuple[Metadata | None, list[Problem]]:
    """Read front matter ``text`` (its first line is file line ``line_offset + 1``);
    ``fields`` are the project's own, declared in docgen.toml, read beside the built-ins."""
    root, problems = compose(text, path, line_offset)
    if root is None and problems:
        return None, problems
    reader = _Reader(path, line_offset, text)
    reader.problems.extend(problems)
    reader.reported.update(id(node) for node in refused_scalars(root, text))
    for node, problem in comment_cuts(root, text, path, line_offset):
        reader.problems.append(problem)
        reader.reported.add(id(node))
    if root is None or is_null(root):
        reader.error(start, "the front matter is empty; title, author, date and lang are required")
        return None, reader.located()
    declared = {spec.name: spec for spec in fields}
    fields_found = reader.mapping(root, "the front matter", (*FIELDS, *declared))
    if fields_found is None:
        return None, reader.located()
    for key in REQUIRED:
        if key not in fields_found:
            what = FIELDS[key].replace(" (required)", "")
            reader.error(start, f"missing required field {key!r}: {what}")
    for spec in fields:
        if spec.required and spec.name not in fields_found:
            reader.error(
                start,
                f"missing required field {spec.name!r}: {spec.description}"
                " (declared in docgen.toml)",
            )
    extra: list[ProjectField] = []
    for spec in fields:
        if spec.name not in fields_found:
            continue
        key_node, value_node = fields_found[spec.name]
        if is_null(value_node):
            if spec.required and id(value_node) not in reader.reported:
                reader.error(key_node, f"{spec.name} must not be empty")
            continue
        item = reader.project_field(spec, key_node, value_node)
        if item is not None:
            extra.append(item)

    def get(key: str, read: Callable[[Node, str], Any]) -> Any:
        return reader.optional(fields_found, key, key, read)

    title = get("title", reader.localized)
    author = get("author", lambda node, _where: reader.author(node))
    date = get("date", reader.date)
    lang = get("lang", reader.lang)
    meta_fields = {
        "subtitle": get("subtitle", reader.localized),
        "short_title": get("short_title", reader.localized),
        "classification": get("classification", reader.localized),
        "keywords": get("keywords", reader.keywords) or (),
        "summary": get("summary", reader.localized),
        "key_points": get("key_points", reader.key_points) or (),
        "timeline": get("timeline", reader.timeline) or (),
        "contact": get("contact", reader.localized),
    }
    for key in REQUIRED:
        value = fields_found[key][1] if key in fields_found else None
        if is_null(value) and id(value) not in reader.reported:
            reader.error(fields_found[key][0], f"{key} must not be empty")
    if reader.problems or title is None or author is None or date is None or lang is None:
        return None, reader.located()
    return (
        Metadata(
            title=title, author=author, date=date, lang=lang, extra=tuple(extra), **meta_fields
        ),
        [],
    )
