"""The translation record: which source text each translation was accepted against.

``NAME.i18n.yml`` lies beside the source and maps each unit id to ``{lang: fingerprint}``,
the fingerprint of the source-language text at the moment its translation was accepted
(imported or reviewed). When the source text's fingerprint moves on, the translation is
stale. One line per unit keeps the file small, diff-friendly and reviewable in git.

Beside the fingerprints, ``source:`` keeps the accepted text itself, so that an export can
show the translator of a stale unit what the source said before (PO ``#| msgid``, XLIFF
``<alt-trans>``): a fingerprint says *that* the text changed, only the text says *how*.
The text is checked against the fingerprint when read; records without it (written before
it existed) still read, their stale units just come without the previous text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import sys
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import DocgenError, Location, Problem
from ..frontmatter import compose
from ..model import Localized
from ..output import atomic_path
from ..source import load, read_text, split
from ..yaml_nodes import Node, is_mapping, is_null, is_scalar
from .units import (
    FINGERPRINT_LENGTH,
    FRONT,
    Body,
    Unit,
    body_units,
    field_units,
    fingerprint,
    normalize,
)

RECORD_SUFFIX = ".i18n.yml"
_HEX = re.compile(rf"^[0-9a-f]{{{FINGERPRINT_LENGTH}}}$")
_HEADER = """\
Translation record of {name}, written by docgen (i18n accept, i18n import).
For each unit: the fingerprint of its "{lang}" text when each translation was accepted,
and that text (source). A translation whose unit's text no longer has that fingerprint is
stale.
See docs/translation.md; review changes to this file like any other.
"""

Record = dict[str, dict[str, str]]
"""Unit id → {language: fingerprint of the source text the translation was accepted for}."""

Sources = dict[str, dict[str, str]]
"""Unit id → {language: the source text the translation was accepted for} (when known)."""

SOURCE_KEY = "source"
"""The key of the accepted text in a unit's entry: never a language code (``LANG_CODE``)."""


@dataclass(frozen=True)
class Accepted:
    """What a record file holds: the fingerprints, and the texts they were taken on."""

    fingerprints: Record
    sources: Sources


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
    date: dt.date | None = None
    """The article's date: exports stamp it, never the clock."""

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
    return Article(path, doc.meta.lang, fields, body, source.body_line, translations, doc.meta.date)


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
    previous: str | None = None
    """For a stale unit, the source text its translation was accepted for, when recorded."""


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


def entries(
    article: Article, record: Record | None, lang: str, sources: Sources | None = None
) -> list[Entry]:
    out = []
    for unit in article.units:
        found = state(article, record, unit, lang)
        target = "" if found == "missing" else article.target(unit, lang) or ""
        previous = (sources or {}).get(unit.id, {}).get(lang) if found == "stale" else None
        out.append(Entry(unit, target, found, previous))
    return out


def structure_problems(article: Article, severity: str = "error") -> list[Problem]:
    return [
        dataclasses.replace(problem, severity=severity)
        for translation in article.translations.values()
        for problem in translation.problems
    ]


def stale_units(
    path: Path,
    severity: str = "warning",
    roots: tuple[Path, ...] | None = None,
    incomplete: str | None = None,
    building: tuple[str, ...] | None = None,
) -> list[Problem]:
    """One problem per stale translation, at the source text, plus translation files whose
    structure doesn't pair with the source: an incomplete translation, of severity
    ``incomplete`` (default ``severity``) when its language is among ``building`` (default:
    every language), else ``severity``. No record file: nothing is tracked yet."""
    article = read_article(path, roots)
    problems = [
        dataclasses.replace(
            problem,
            severity=(incomplete or severity)
            if building is None or translation.lang in building
            else severity,
        )
        for translation in article.translations.values()
        for problem in translation.problems
    ]
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


def accept(path: Path, units: tuple[str, ...] = (), lines: tuple[int, ...] = ()) -> Path:
    """Record the current translations as accepted for the current source texts: every
    one, or only the units named by id (``units``) or by their line in the source
    (``lines``) — a reviewer accepts what was reviewed, the rest stays as it was. The
    source folder's write lock is held throughout, so that an import running at the same
    time cannot lose this change, nor this one lose the import's."""
    from ..transaction import locked  # writers only: check and build never write here

    with locked(path.parent):
        article = read_article(path)
        problems = structure_problems(article)
        if problems:
            raise DocgenError(problems)
        chosen = _chosen_units(article, units, lines) if units or lines else None
        old = read_accepted(path) if chosen is not None else None
        record: Record = old.fingerprints if old else {}
        sources: Sources = old.sources if old else {}
        for unit in article.units:
            if chosen is not None and unit.id not in chosen:
                continue
            for lang in article.languages():
                if article.target(unit, lang) is not None:
                    record.setdefault(unit.id, {})[lang] = unit.fingerprint
                    sources.setdefault(unit.id, {})[lang] = unit.text
        return write_record(article, record, sources)


def _chosen_units(article: Article, units: tuple[str, ...], lines: tuple[int, ...]) -> set[str]:
    """The ids of the units named by id or source line; an unknown one is an error."""
    import difflib

    known = [unit.id for unit in article.units]
    by_line = {unit.line: unit.id for unit in reversed(article.units)}
    chosen: set[str] = set()
    problems: list[Problem] = []
    for ident in units:
        if ident in known:
            chosen.add(ident)
            continue
        close = difflib.get_close_matches(ident, known, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        problems.append(Problem(Location(article.path), f"no unit {ident!r}{hint}"))
    for line in lines:
        if line in by_line:
            chosen.add(by_line[line])
        else:
            problems.append(
                Problem(Location(article.path, line), "no translation unit starts here")
            )
    if problems:
        raise DocgenError(problems)
    return chosen


def merge_accepted(article: Article, accepted: Record, sources: Sources | None = None) -> str:
    """The record's new text with ``accepted`` translations added (and the ``sources``
    they were accepted for), dropping units that no longer exist; nothing is written, so
    that the caller writes it with the files it goes with. The fields in ``accepted`` are
    kept even if they are plain strings in ``article``: the import that accepts them is
    about to make them localized."""
    old = read_accepted(article.path)
    record = old.fingerprints if old else {}
    texts = old.sources if old else {}
    for ident, langs in accepted.items():
        record.setdefault(ident, {}).update(langs)
        for lang in langs:
            texts.get(ident, {}).pop(lang, None)  # an older text: no longer this fingerprint
    for ident, langs in (sources or {}).items():
        texts.setdefault(ident, {}).update(langs)
    return record_text(article, record, texts, keep=accepted)


# --------------------------------------------------------------------------- the file


def record_path(article: Path) -> Path:
    return article.with_name(article.stem + RECORD_SUFFIX)


def write_record(article: Article, record: Record, sources: Sources | None = None) -> Path:
    """Write the record in document order, one flow mapping per unit."""
    target = record_path(article.path)
    with atomic_path(target) as temp:
        temp.write_text(record_text(article, record, sources or {}), encoding="utf-8")
    return target


def record_text(
    article: Article, record: Record, sources: Sources, keep: Collection[str] = ()
) -> str:
    """The record file's text: the article's units in document order (and the plain
    fields named in ``keep``), one line each. A unit's ``source`` is its accepted text in
    double quotes (one line whatever it holds: escapes, never folds), or, when its
    languages were accepted for different texts, ``{lang: text}``."""
    # ruamel.yaml only when a record is written: `docgen check` reads records without it.
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    units = CommentedMap()
    ids = [u.id for u, loc in article.fields.values() if not loc.is_universal or u.id in keep]
    for ident in [*ids, *(unit.id for unit in article.body.units)]:
        langs = record.get(ident)
        if not langs:
            continue
        entry = CommentedMap(sorted(langs.items()))
        texts = {
            lang: text
            for lang, text in sorted(sources.get(ident, {}).items())
            if langs.get(lang) == fingerprint(text)
        }
        if len(set(texts.values())) == 1:
            entry[SOURCE_KEY] = DoubleQuotedScalarString(next(iter(texts.values())))
        elif texts:
            each = CommentedMap((k, DoubleQuotedScalarString(v)) for k, v in texts.items())
            each.fa.set_flow_style()
            entry[SOURCE_KEY] = each
        entry.fa.set_flow_style()
        units[ident] = entry
    data = CommentedMap([("source", article.path.name), ("lang", article.lang)])
    data["units"] = units
    data.yaml_set_start_comment(_HEADER.format(name=article.path.name, lang=article.lang))
    yaml = YAML(typ="rt", pure=True)
    yaml.width = sys.maxsize  # a long paragraph stays on its unit's line
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def read_record(article: Path) -> Record | None:
    """The record beside ``article``, or None when there is none (nothing tracked yet)."""
    found = read_accepted(article)
    return found.fingerprints if found else None


def read_accepted(article: Path) -> Accepted | None:
    """The record beside ``article`` with the accepted texts it keeps (a text that doesn't
    have its language's fingerprint, edited by hand, is left out), or None when there is
    no record."""
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
    sources: Sources = {}
    for key, value in _pairs(units, path, "units"):
        langs = record.setdefault(str(key.value), {})
        texts: dict[str, str] = {}
        for code, fp in _pairs(value, path, f"units: {key.value}"):
            if code.value == SOURCE_KEY:
                texts = _texts(fp, path, f"units: {key.value}.{SOURCE_KEY}")
                continue
            if not (is_scalar(fp) and _HEX.match(str(fp.value))):
                message = f"{key.value}.{code.value}: not a fingerprint ({FINGERPRINT_LENGTH} hex)"
                raise DocgenError(Problem(_at(path, fp), message))
            langs[str(code.value)] = str(fp.value)
        known = {
            lang: text
            for lang, fp in langs.items()
            if (text := texts.get(lang, texts.get(""))) is not None and fingerprint(text) == fp
        }
        if known:
            sources[str(key.value)] = known
    return Accepted(record, sources)


def _texts(node: Node, path: Path, where: str) -> dict[str, str]:
    """A unit's accepted text(s): one for every language (key ``""``), or one per language."""
    if is_null(node):
        return {}
    if is_scalar(node):
        return {"": str(node.value)}
    texts: dict[str, str] = {}
    for code, text in _pairs(node, path, where):
        if not is_scalar(text):
            raise DocgenError(Problem(_at(path, text), f"{where}.{code.value}: expected a text"))
        texts[str(code.value)] = str(text.value)
    return texts


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
