"""The translation workflow: units, stale translations, exchange with translators.

An article's translatable texts are *units* (``units``) with stable ids; the record file
``NAME.i18n.yml`` (``record``) remembers which source text each translation was accepted
for, so that a change to the source marks its translations stale. Translators get XLIFF 1.2
or gettext PO (``xliff``, ``po``); their work comes back through ``import_file``, which
writes the front matter and ``NAME.LANG.md`` in place (``write_back``, ``escape``) once the
new translation file has been re-read and found to pair with the source (``verify``).

Public API, called by the CLI: ``stale_units``, ``accept``, ``export``, ``import_file``.
See docs/translation.md.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING

from ..errors import DocgenError, Location, Problem, display_path
from ..frontmatter import LANG_CODE, parse_front_matter
from ..model import Pos
from ..project import declared_fields
from ..source import split, translation_of
from .record import (
    Article,
    Record,
    Sources,
    accept,
    entries,
    merge_accepted,
    read_accepted,
    read_article,
    record_path,
    stale_units,
)
from .units import Unit, fingerprint
from .verify import structure_errors

if TYPE_CHECKING:  # the exchange formats load only when a file is exchanged
    from . import xliff

__all__ = [
    "FORMATS",
    "SUFFIXES",
    "ImportReport",
    "Unit",
    "accept",
    "export",
    "import_file",
    "read_article",
    "record_path",
    "stale_units",
    "target_language",
]

FORMATS = ("xliff", "po")
SUFFIXES = {"xliff": ".xlf", "po": ".po"}
"""The file suffix each exchange format is saved under."""


@dataclass(frozen=True)
class ImportReport:
    """What an import did. ``written``: units whose text changed in a file; ``accepted``:
    units recorded as accepted; ``skipped``: units left out (no translation, or still
    marked for review); ``placeholders``: body units given the source text to keep a new
    translation file's structure; ``warnings``: problems let through by ``force``."""

    article: Path
    lang: str
    written: tuple[str, ...] = ()
    accepted: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    """Why each skipped unit was left out, in the order of ``skipped``."""
    placeholders: tuple[str, ...] = ()
    files: tuple[Path, ...] = ()
    warnings: tuple[Problem, ...] = field(default=())


def is_language(code: str) -> bool:
    """Whether ``code`` is a language code (``en``, ``pt-BR``), whole: a language ends up in
    file names (``NAME.LANG.md``, the CLI's ``NAME.LANG.xlf``) and front-matter keys, so
    ``../x`` or a trailing new line (which ``re.match`` with ``$`` lets through) must not."""
    return LANG_CODE.fullmatch(code) is not None


def export(path: Path, fmt: str, lang: str | None = None) -> str:
    """The article's units as an XLIFF or PO document for translation into ``lang``
    (default: the article's other language). The file names the article by its file name
    only: an import finds it in the source folder (``import_file``)."""
    if fmt not in FORMATS:
        raise DocgenError.at(path, f"unknown exchange format {fmt!r}: choose xliff or po")
    article = read_article(path)
    lang = lang or _other_language(article)
    if not is_language(lang) or lang == article.lang:
        raise DocgenError.at(path, f"{lang!r}: not a language to translate {path.name} into")
    if not is_language(article.lang):
        raise DocgenError.at(path, f"{article.lang!r}: not a language code")
    found = read_accepted(path)
    items = entries(
        article, found.fingerprints if found else None, lang, found.sources if found else None
    )
    from . import po, xliff

    write = xliff.write if fmt == "xliff" else po.write
    return write(path.name, article.lang, lang, items, article.date)


def target_language(path: Path) -> str:
    """The language an export of ``path`` targets by default: its first translation's."""
    return _other_language(read_article(path))


def _other_language(article: Article) -> str:
    languages = article.languages()
    if not languages:
        raise DocgenError.at(
            article.path, "the article has no translation yet: name the language (en, ar…)"
        )
    if not is_language(languages[0]):
        raise DocgenError.at(article.path, f"{languages[0]!r}: not a language code")
    return languages[0]


def import_file(
    file: Path, article: Path | None = None, force: bool = False, source_dir: Path | None = None
) -> ImportReport:
    """Write the translations of an XLIFF or PO file back into the article and its
    ``NAME.LANG.md``, and record them as accepted.

    The article is ``article`` when given; otherwise the file's own (``_find_article``), a
    plain file name looked for in ``source_dir`` only, since the translator's file must not
    choose which files get written. Units whose source text changed since the export are
    refused (every one listed), as are unknown units, unless ``force``: then they are
    imported (a changed one stays stale) and reported as warnings. A translation that would
    change the structure of ``NAME.LANG.md`` is always refused. Nothing is written when the
    file is refused.

    The files it changes (``NAME.LANG.md``, the front matter, ``NAME.i18n.yml``) are written
    all or nothing (``transaction.write_all``), under the source folder's write lock held
    from reading the article to the last write, so that two imports (two languages at
    once) each see the other's work.
    """
    exchange = _read(file)
    path = article if article is not None else _find_article(exchange, file, source_dir)
    from ..transaction import locked  # writers only: check and build never write here

    with locked(path.parent):
        return _import(exchange, file, path, force)


def _import(exchange: xliff.Exchange, file: Path, path: Path, force: bool) -> ImportReport:
    art = read_article(path)
    lang = exchange.lang
    header = Location(file, exchange.line)
    if exchange.source_lang and exchange.source_lang != art.lang:
        message = (
            f"this file translates from {exchange.source_lang!r}; {path.name} is in {art.lang!r}"
        )
        raise DocgenError(Problem(header, message))
    if not is_language(lang) or lang == art.lang:
        message = (
            f"{lang!r} is not a target language for {path.name}"
            if lang
            else ("the file doesn't name its target language (XLIFF target-language, PO Language)")
        )
        raise DocgenError(Problem(header, message))
    known = {unit.id: unit for unit, _ in art.fields.values()}
    known.update((unit.id, unit) for unit in art.body.units)
    problems: list[Problem] = []
    fields: dict[str, str] = {}
    body: dict[str, str] = {}
    accepted: Record = {}
    sources: Sources = {}
    skipped: list[str] = []
    reasons: list[str] = []
    for item in exchange.units:
        where = Location(file, item.line)
        unit = known.get(item.id)
        if unit is None or item.id in accepted or item.id in skipped:
            why = "is given twice" if unit else f"is not a unit of {path.name} (any more)"
            problems.append(Problem(where, f"{item.id or '(no id)'} {why}"))
            continue
        exported = item.fingerprint or fingerprint(item.source)
        if exported != unit.fingerprint:
            problems.append(Problem(where, _changed(unit, art.lang, exported)))
        if not item.done:
            skipped.append(item.id)
            reasons.append("still marked for review" if item.target.strip() else "not translated")
            continue
        (body if unit.span else fields)[item.id] = item.target.strip()
        accepted[item.id] = {lang: exported}
        text = unit.text if exported == unit.fingerprint else item.source
        if fingerprint(text) == exported:  # the text the translation was made for
            sources[item.id] = {lang: text}
    if problems and not force:
        raise DocgenError(problems)
    # The round-trip YAML writer only when a translation is written back: `docgen check`
    # and the exports never load it.
    from .write_back import body_edit, front_matter_edit

    front, written = front_matter_edit(path, lang, art.lang, fields) if fields else (None, [])
    if front is not None:
        _check_front_matter(path, front)
    edit = body_edit(art, lang, body)
    broken = structure_errors(art, lang, body, edit)
    if broken:
        lines = {item.id: item.line for item in reversed(exchange.units)}
        raise DocgenError(
            [
                Problem(Location(file, lines.get(ident, 0)), f"the translation of {ident} {why}")
                for ident, why in broken.items()
            ]
        )
    files = _write(art, [(edit.path, edit.text), (path, front)], accepted, sources)
    return ImportReport(
        article=path,
        lang=lang,
        written=(*written, *edit.written),
        accepted=tuple(accepted),
        skipped=tuple(skipped),
        reasons=tuple(reasons),
        placeholders=tuple(edit.placeholders),
        files=tuple(files),
        warnings=tuple(Problem(p.location, p.message, "warning") for p in problems),
    )


def _write(
    article: Article, texts: list[tuple[Path, str | None]], accepted: Record, sources: Sources
) -> list[Path]:
    """Write the new texts (None: unchanged) and the record of ``accepted``, all or
    nothing; the files whose bytes changed (only they are written, and "updated")."""
    if accepted:
        texts.append((record_path(article.path), merge_accepted(article, accepted, sources)))
    changes = {p: data for p, t in texts if t is not None and (data := encoded(p, t)) is not None}
    from ..transaction import write_all

    return write_all(changes)


def _changed(unit: Unit, lang: str, exported: str) -> str:
    return (
        f'{unit.id}: the "{lang}" text changed since this file was exported (fingerprint'
        f" {exported}, now {unit.fingerprint}); export again and carry the translation over,"
        " or import with --force to take it as it is (it stays stale)"
    )


def _read(file: Path) -> xliff.Exchange:
    """Read a translator's file, XLIFF or PO, by its suffix (or its first character)."""
    from . import po, xliff

    if not file.is_file():
        raise DocgenError.at(file, "no such file")
    suffix = file.suffix.lower()
    if suffix in (".po", ".pot"):
        return po.read(file)
    if suffix in (".xlf", ".xliff", ".xml"):
        return xliff.read(file)
    with file.open("rb") as handle:
        start = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    return xliff.read(file) if start.startswith(b"<") else po.read(file)


def _find_article(exchange: xliff.Exchange, file: Path, source_dir: Path | None) -> Path:
    """The article a translator's file names (XLIFF ``original``, PO ``X-Docgen-Article``).

    That name comes from whoever edited the file, and the article decides where the import
    writes (the front matter, ``NAME.LANG.md``, ``NAME.i18n.yml``): so it is taken as a
    file name only, looked for in ``source_dir`` only, and must still lie there once
    symbolic links are followed. Anything else is refused: pass the article explicitly.
    """
    where = Location(file, exchange.original_line or exchange.line)
    name = exchange.original
    ask = "pass the article with --article"
    if not name:
        raise DocgenError(Problem(where, f"this file doesn't name its article; {ask}"))
    if source_dir is None:
        message = f"no source folder to look for the article {name!r} in; {ask}"
        raise DocgenError(Problem(where, message))
    why = _not_an_article_name(name)
    if why:
        message = f"the article {name!r} named in this file {why}; {ask}"
        raise DocgenError(Problem(where, message))
    folder = source_dir.resolve()
    try:
        found = (folder / name).resolve()
    except (OSError, RuntimeError):  # a loop of symbolic links
        found = folder / name
    if not found.is_relative_to(folder):
        message = f"the article {name!r} named in this file leads outside {display_path(folder)}"
        raise DocgenError(Problem(where, f"{message}; {ask}"))
    if not found.is_file():
        message = f"the article {name!r} named in this file is not in {display_path(folder)}"
        raise DocgenError(Problem(where, f"{message}; {ask}"))
    return found


def _not_an_article_name(name: str) -> str:
    """Why ``name`` is not the plain file name of an article (``""`` when it is)."""
    if "\0" in name or any(flavour(name).name != name for flavour in _FLAVOURS):
        return "is not a plain file name (no folder, no absolute path)"
    if not name.endswith(".md") or name == ".md":
        return "is not a Markdown file (.md)"
    if translation_of(Path(name)) is not None:
        return "is a translation (NAME.LANG.md), not an article"
    return ""


_FLAVOURS = (PurePosixPath, PureWindowsPath)
"""Both path syntaxes: a file exported on Windows may say ``..\\x.md`` or ``C:x.md``."""


def _check_front_matter(path: Path, text: str) -> None:
    """Refuse to write a front matter that would no longer load (a safety net)."""
    source = split(path, text)
    _, problems = parse_front_matter(
        source.front_matter,
        path,
        source.front_matter_line - 1,
        Pos(1, 1),
        declared_fields(path.parent),
    )
    if problems:
        raise DocgenError(problems)


def encoded(path: Path, text: str) -> bytes | None:
    """``text`` as the bytes to write to ``path``, keeping the byte-order mark and CRLF line
    ends the file had; None when the file holds them already (it is left untouched)."""
    bom = crlf = False
    raw = None
    if path.exists():
        raw = path.read_bytes()
        bom, crlf = raw.startswith(codecs.BOM_UTF8), b"\r\n" in raw
    data = (("\ufeff" if bom else "") + (text.replace("\n", "\r\n") if crlf else text)).encode()
    return None if raw == data else data
