"""Project fields: the organization's own front-matter fields, declared in ``docgen.toml``.

A project declares ``[fields.NAME]`` tables (``type``, ``required``, ``label``, ``show``);
articles then give ``NAME:`` at the top level of their front matter, and the front-matter
reader types it like a built-in field. The declarations are read here, with every problem
located in ``docgen.toml``, so a typo in a declaration is found before any article is read.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import Location, Problem
from .model import Localized

FIELD_TYPES: dict[str, str] = {
    "text": "a text",
    "localized": "localized text",
    "date": "date YYYY-MM-DD",
    "list": "list of texts",
}
"""Each declarable type and how the front-matter messages describe it."""

DECLARATION_KEYS = ("type", "required", "label", "show")
_NAME = re.compile(r"[a-z][a-z0-9_]*")
_LANG = re.compile(r"[a-z]{2,3}(-[A-Z]{2})?")


@dataclass(frozen=True)
class FieldSpec:
    """One declared field. ``labels`` maps language codes to the label printed beside the
    value (``*``: every language); without one, the name is shown, capitalized."""

    name: str
    type: str = "text"
    required: bool = False
    labels: tuple[tuple[str, str], ...] = ()
    show: bool = False

    @property
    def label(self) -> Localized:
        if not self.labels:
            return Localized.plain(self.name.replace("_", " ").capitalize())
        return Localized(self.labels)

    @property
    def description(self) -> str:
        """What the front matter must give, in words (``missing required field`` says it)."""
        return FIELD_TYPES[self.type]


def read_declarations(
    table: Any, path: Path, text: str, reserved: tuple[str, ...]
) -> tuple[tuple[FieldSpec, ...], list[Problem]]:
    """The ``[fields]`` table of ``docgen.toml`` (``path``, its ``text``) as specs, and its
    problems; ``reserved`` are the built-in field names, which a project cannot redeclare.
    """
    problems: list[Problem] = []
    name = ""

    def problem(key: str, message: str) -> None:
        line = _line_of(text, name, key)
        problems.append(Problem(Location(path, line, 1), message))

    if not isinstance(table, dict):
        problem("fields", "fields must be a table of [fields.NAME] tables")
        return (), problems
    specs: list[FieldSpec] = []
    for name, decl in table.items():
        where = f"fields.{name}"
        if not _NAME.fullmatch(name):
            problem(where, f"{where}: a field name is lowercase letters, digits and _")
            continue
        if name in reserved:
            problem(where, f"{where}: {name!r} is a built-in field; choose another name")
            continue
        if not isinstance(decl, dict):
            problem(where, f"{where} must be a table: [fields.{name}]")
            continue
        ok = True
        for key in decl:
            if key not in DECLARATION_KEYS:
                close = difflib.get_close_matches(key, DECLARATION_KEYS, n=1, cutoff=0.6)
                hint = (
                    f"did you mean {close[0]!r}?"
                    if close
                    else "known: " + ", ".join(DECLARATION_KEYS)
                )
                problem(key, f"{where}: unknown key {key!r}; {hint}")
                ok = False
        kind = decl.get("type", "text")
        if kind not in FIELD_TYPES:
            close = difflib.get_close_matches(str(kind), FIELD_TYPES, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            problem("type", f"{where}.type must be one of {', '.join(FIELD_TYPES)}{hint}")
            ok = False
        for flag in ("required", "show"):
            if not isinstance(decl.get(flag, False), bool):
                problem(flag, f"{where}.{flag} must be true or false")
                ok = False
        labels = _labels(decl.get("label"))
        if labels is None:
            problem("label", f'{where}.label must be a text or {{ fr = "…", en = "…" }}')
            ok = False
        if ok and labels is not None:
            specs.append(
                FieldSpec(name, kind, decl.get("required", False), labels, decl.get("show", False))
            )
    return tuple(specs), problems


def _line_of(text: str, name: str, key: str) -> int:
    """The line of ``key`` in the ``[fields.NAME]`` table (or of the table's header):
    tomllib keeps no positions, so they are found in the text."""
    header = re.compile(rf"^[ \t]*\[\s*fields\.{re.escape(name)}\s*\]", re.MULTILINE)
    found = header.search(text) if name else None
    start = found.start() if found else 0
    setting = re.compile(rf"^[ \t]*{re.escape(key)}\s*=", re.MULTILINE).search(text, start)
    if setting is not None and key != f"fields.{name}":
        return text.count("\n", 0, setting.start()) + 1
    return text.count("\n", 0, start) + 1 if found else 0


def _labels(value: Any) -> tuple[tuple[str, str], ...] | None:
    if value is None:
        return ()
    if isinstance(value, str) and value.strip():
        return (("*", value.strip()),)
    if isinstance(value, dict) and value:
        pairs = []
        for code, text in value.items():
            if not _LANG.fullmatch(code) or not isinstance(text, str) or not text.strip():
                return None
            pairs.append((code, text.strip()))
        return tuple(pairs)
    return None
