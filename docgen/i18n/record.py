"""The translation record: which source text each translation was accepted against.

``NAME.i18n.yml`` lies beside the source and maps each unit id to ``{lang: fingerprint}``,
the fingerprint of the source-language text at the moment its translation was accepted
(imported or reviewed). When the source text's fingerprint moves on, the translation is
stale. One line per unit keeps the file small, diff-friendly and reviewable in git.
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import DocgenError, Location, Problem
from ..frontmatter import compose
from ..model import Localized
from ..output import atomic_path
from ..source import load, read_text, split
from ..yaml_nodes import Node, is_mapping, is_null, is_scalar
from .units import FINGERPRINT_LENGTH, FRONT, Body, Unit, body_units, field_units, normalize

RECORD_SUFFIX = ".i18n.yml"
_HEX = re.compile(rf"^[0-9a-f]{{{FINGERPRINT_LENGTH}}}$")
_HEADER = """\
Translation record of {name}, written by docgen (i18n accept, i18n import).
For each unit: the fingerprint of its "{lang}" text when each translation was accepted.
A translation whose unit's text no longer has that fingerprint is stale.
See docs/translation.md; review changes to this file like any other.
"""

Record = dict[str, dict[str, str]]
"""Unit id → {language: fingerprint of the source text the translation was accepted for}."""


@dataclass(frozen=True)
class Translation:
    """A body translation ``NAME.LANG.md``: its units, and the groups that don't pair up."""

    lang: str
    path: Path
    body: Body
    mismatched: frozenset[str]
    problems: tuple[Problem, ...]

    def text_of(self, ident: str) -> str | None:
        return next((u.text for u in self.body.units if u.id == ident), None)


@dataclass(frozen=True)
class Article:
    """A source article seen as translation units, with every translation of them."""

    path: Path
    lang: str
    fields: dict[str, tuple[Unit, Localized]]
    body: Body
    body_line: int
    translations: dict[str, Translation]

    @property
    def units(self) -> list[Unit]:
        """The translatable units: localized fields (not plain strings), then the body."""
        fields = [unit for unit, loc in self.fields.values() if not loc.is_universal]
        return [*fields, *self.body.units]

    def languages(self) -> list[str]:
        """The other languages the article has texts in, first seen first."""
        found = [code for _, loc in self.fields.values() for code in loc.languages]
        found.extend(self.translations)
        return [code for code in dict.fromkeys(found) if code != self.lang]

    def target(self, unit: Unit, lang: str) -> str | None:
        """The ``lang`` translation of a unit, or None (none, or its section doesn't pair)."""
        if unit.group == FRONT:
            loc = self.fields[unit.id][1]
            return next((text for code, text in loc.texts if code == lang), None)
        translation = self.translations.get(lang)
        if translation is None or unit.group in translation.mismatched:
            return None
        return translation.text_of(unit.id)


def read_article(path: Path, roots: tuple[Path, ...] | None = None) -> Article:
    """Load an article and its translations as units; bad sources raise ``SourceError``.

    ``roots``: the local-file rule, as the build applies it (``source.read_text``); given
    the same, a build's checks share this load (``source.loading_once``)."""
    doc, _ = load(path, roots=roots)
    text = read_text(path, roots=roots)
    source = split(path, text)
    fields = {u.id: (u, loc) for u, loc in field_units(doc.meta, doc.meta.lang, universal=True)}
    body = body_units(doc.body, doc.footnotes, text, source.body_line)
    translations: dict[str, Translation] = {}
    for lang in doc.translations:
        other, _ = load(path, lang, roots=roots)
        assert other.body_path is not None
        theirs = body_units(other.body, other.footnotes, read_text(other.body_path, roots=roots), 1)
        bad, problems = compare_bodies(path, body, other.body_path, theirs)
        translations[lang] = Translation(lang, other.body_path, theirs, bad, problems)
    return Article(path, doc.meta.lang, fields, body, source.body_line, translations)


def compare_bodies(
    source: Path, ours: Body, path: Path, theirs: Body
) -> tuple[frozenset[str], tuple[Problem, ...]]:
    """The groups whose units can't pair by rank, each with a problem in the translation."""
    counts, other = ours.counts(), theirs.counts()
    last = len(theirs.text.split("\n"))
    bad: set[str] = set()
    problems: list[Problem] = []
    rule = "a translation keeps the same headings, paragraphs, list items and table cells"
    for group, line in ours.starts.items():
        if counts[group] == other[group]:
            continue
        bad.add(group)
        name = group_name(group)
        if group in theirs.starts:
            here = f"{other[group]} unit" + "s" * (other[group] != 1)
            message = (
                f"{name} has {here} here, {counts[group]} in {source.name} (line {line}); {rule}"
            )
            problems.append(Problem(Location(path, theirs.starts[group]), message))
        else:
            message = f"{name} of {source.name} (line {line}) is missing here; {rule}"
            problems.append(Problem(Location(path, last), message))
    for group, line in theirs.starts.items():
        if group not in ours.starts and other[group]:
            bad.add(group)
            message = f"{group_name(group)} has no counterpart in {source.name}; {rule}"
            problems.append(Problem(Location(path, line), message))
    return frozenset(bad), tuple(problems)


def group_name(group: str) -> str:
    """How a message names a group of units: "section 3", "the introduction"…"""
    if group == "intro":
        return "the introduction"
    if group.startswith("fn"):
        return f"footnote {group[2:]}"
    return f"section {group[1:]}"


# --------------------------------------------------------------------------- states


@dataclass(frozen=True)
class Entry:
    """A unit as exchanged with a translator: its translation (or "") and its state:
    ``missing``, ``untracked`` (never accepted), ``current`` or ``stale``."""

    unit: Unit
    target: str
    state: str


def state(article: Article, record: Record | None, unit: Unit, lang: str) -> str:
    """Where the ``lang`` translation of ``unit`` stands."""
    target = article.target(unit, lang)
    if target is None:
        return "missing"
    accepted = (record or {}).get(unit.id, {}).get(lang)
    if accepted == unit.fingerprint:
        return "current"
    if unit.group != FRONT and normalize(target) == normalize(unit.text):
        return "missing"  # the source text, kept as a placeholder when the file was made
    return "untracked" if accepted is None else "stale"


def entries(article: Article, record: Record | None, lang: str) -> list[Entry]:
    out = []
    for unit in article.units:
        found = state(article, record, unit, lang)
        target = "" if found == "missing" else article.target(unit, lang) or ""
        out.append(Entry(unit, target, found))
    return out


def structure_problems(article: Article, severity: str = "error") -> list[Problem]:
    return [
        dataclasses.replace(problem, severity=severity)
        for translation in article.translations.values()
        for problem in translation.problems
    ]


def stale_units(
    path: Path, severity: str = "warning", roots: tuple[Path, ...] | None = None
) -> list[Problem]:
    """One problem per stale translation, at the source text, plus translation files whose
    structure doesn't pair with the source. No record file: nothing is tracked yet."""
    article = read_article(path, roots)
    problems = structure_problems(article, severity)
    record = read_record(path)
    if record is None:
        return problems
    for unit in article.units:
        for lang in article.languages():
            if state(article, record, unit, lang) == "stale":
                message = (
                    f'{unit.id}: the "{lang}" translation is stale (the "{article.lang}" text'
                    " changed since it was accepted; review it, then run docgen i18n accept"
                    f" {path.stem})"
                )
                where = Location(path, unit.line, unit.column)
                problems.append(Problem(where, message, severity))
    return problems


def accept(path: Path) -> Path:
    """Record every current translation as accepted for the current source texts."""
    article = read_article(path)
    problems = structure_problems(article)
    if problems:
        raise DocgenError(problems)
    record: Record = {}
    for unit in article.units:
        for lang in article.languages():
            if article.target(unit, lang) is not None:
                record.setdefault(unit.id, {})[lang] = unit.fingerprint
    return write_record(article, record)


def merge_accepted(article: Article, accepted: Record) -> Path:
    """Add accepted translations to the record, dropping units that no longer exist."""
    record = read_record(article.path) or {}
    for ident, langs in accepted.items():
        record.setdefault(ident, {}).update(langs)
    return write_record(article, record)


# --------------------------------------------------------------------------- the file


def record_path(article: Path) -> Path:
    return article.with_name(article.stem + RECORD_SUFFIX)


def write_record(article: Article, record: Record) -> Path:
    """Write the record in document order, one flow mapping per unit."""
    from ruamel.yaml import YAML  # here: checks read records, only writing needs it
    from ruamel.yaml.comments import CommentedMap

    units = CommentedMap()
    for unit in article.units:
        langs = record.get(unit.id)
        if langs:
            entry = CommentedMap(sorted(langs.items()))
            entry.fa.set_flow_style()
            units[unit.id] = entry
    data = CommentedMap([("source", article.path.name), ("lang", article.lang)])
    data["units"] = units
    data.yaml_set_start_comment(_HEADER.format(name=article.path.name, lang=article.lang))
    yaml = YAML(typ="rt", pure=True)
    yaml.width = 4096
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    target = record_path(article.path)
    with atomic_path(target) as temp:
        temp.write_text(buffer.getvalue(), encoding="utf-8")
    return target


def read_record(article: Path) -> Record | None:
    """The record beside ``article``, or None when there is none (nothing tracked yet)."""
    path = record_path(article)
    if not path.exists():
        return None
    root, problems = compose(read_text(path), path, 0)
    if problems:
        raise DocgenError(problems)
    units = _child(root, "units") if root is not None and is_mapping(root) else None
    if units is None:
        where = _at(path, root) if root is not None else Location(path, 1)
        raise DocgenError(Problem(where, "a translation record needs a 'units:' mapping"))
    record: Record = {}
    for key, value in _pairs(units, path, "units"):
        langs = record.setdefault(str(key.value), {})
        for code, fp in _pairs(value, path, f"units: {key.value}"):
            if not (is_scalar(fp) and _HEX.match(str(fp.value))):
                message = f"{key.value}.{code.value}: not a fingerprint ({FINGERPRINT_LENGTH} hex)"
                raise DocgenError(Problem(_at(path, fp), message))
            langs[str(code.value)] = str(fp.value)
    return record


def _child(node: Node, name: str) -> Node | None:
    return next((v for k, v in node.value if is_scalar(k) and k.value == name), None)


def _pairs(node: Node, path: Path, where: str) -> Iterator[tuple[Node, Node]]:
    if is_null(node):
        return
    if not is_mapping(node):
        raise DocgenError(Problem(_at(path, node), f"{where}: expected a mapping"))
    for key, value in node.value:
        if not is_scalar(key):
            raise DocgenError(Problem(_at(path, key), f"{where}: expected a text key"))
        yield key, value


def _at(path: Path, node: Node) -> Location:
    return Location(path, node.start_mark.line + 1, node.start_mark.column + 1)
