"""Reading an article from disk: bytes → text → front matter + body → ``Document``.

Positions are kept in whole-file lines from the first byte on, so that every message points
where an editor will jump. Translations (``NAME.LANG.md``) are recognised here, so that a
folder of sources never mistakes one for an article of its own.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar, cast

from .errors import DocgenError, Location, Problem, SourceError
from .frontmatter import LANG_CODE, parse_front_matter
from .language_images import language_images
from .markdown import parse_body
from .model import Document, Metadata, Pos
from .project import declared_fields
from .resources import OUTSIDE, check_file
from .safeio import FileRefused, read_regular_file

T = TypeVar("T")

_SESSION: ContextVar[dict[tuple[object, ...], object] | None] = ContextVar(
    "docgen_loading_session", default=None
)


@contextlib.contextmanager
def loading_once() -> Iterator[None]:
    """Within, every file is read and every article parsed once: a build reads its sources
    once however many checks and products look at them (the stale-translation check, each
    language, the image locator). Outside a session nothing is remembered, so a long-running
    process (``docgen preview``) sees every edit."""
    if _SESSION.get() is not None:
        yield
        return
    token = _SESSION.set({})
    try:
        yield
    finally:
        _SESSION.reset(token)


def _once(key: tuple[object, ...], compute: Callable[[], T]) -> T:
    """``compute()``, or its remembered outcome (value or error) in this session."""
    cache = _SESSION.get()
    if cache is None:
        return compute()
    if key not in cache:
        try:
            cache[key] = compute()
        except DocgenError as exc:
            cache[key] = exc
    found = cache[key]
    if isinstance(found, DocgenError):
        raise found
    return cast(T, found)


def source_bytes(path: Path) -> bytes:
    """A source's bytes as the loader read them in this session (its real path, no link
    followed): the build's job inputs reuse them instead of reading the file again."""
    return _bytes(path.resolve(), MAX_SOURCE_BYTES, False)


def _bytes(target: Path, limit: int, follow: bool) -> bytes:
    key = ("bytes", target.resolve(), limit)  # one file, however it was named
    cache = _SESSION.get()
    if cache is not None and key in cache:
        return cast(bytes, cache[key])
    data = read_regular_file(target, limit, follow_symlinks=follow)
    if cache is not None:
        cache[key] = data
    return data


MAX_NAME_BYTES = 200
"""An article's name leaves room, within a file system's 255 bytes, for every file named
after it: ``NAME.LANG-REGION.md``, ``NAME.i18n.yml``, ``NAME.LANG.xlf``, ``NAME.zip``."""

MAX_SOURCE_BYTES = 2 * 1024 * 1024
"""A briefing article is tens of kilobytes; anything past this is a mistake or an attack."""

_FENCE = re.compile(r"^---[ \t]*$")
_END_FENCE = re.compile(r"^(---|\.\.\.)[ \t]*$")
_TRANSLATION = re.compile(r"(?P<stem>.+)\.(?P<lang>[^.]+)")


@dataclass(frozen=True)
class SourceText:
    """A source file's text with its front matter and body split, and their first lines."""

    path: Path
    front_matter: str
    front_matter_line: int
    body: str
    body_line: int


def read_text(
    path: Path, limit: int = MAX_SOURCE_BYTES, *, roots: tuple[Path, ...] | None = None
) -> str:
    """``path``'s text (``_read_text``), read once per ``loading_once`` session."""
    return _once(("text", path.absolute(), limit, roots), lambda: _read_text(path, limit, roots))


def _read_text(path: Path, limit: int, roots: tuple[Path, ...] | None) -> str:
    """Read a UTF-8 file, accepting a BOM and CRLF, refusing NUL and control characters.

    Never blocks on a FIFO nor reads past ``limit`` (see ``safeio``). With ``roots``, the
    file must also obey the local-file rule of ``resources.check_file`` — its real path,
    symlinks resolved, a regular file inside one of ``roots`` — and the resolved path is
    what gets opened, so a link cannot lead the read elsewhere. Errors name ``path`` as
    given.
    """
    target, follow = path, True
    if roots is not None:
        real, reason = check_file(path, roots)
        if reason == OUTSIDE:
            raise SourceError.at(path, f"is {OUTSIDE} (symlinks followed); it cannot be used")
        if real is not None:
            target, follow = real, False
    try:
        data = _bytes(target, limit, follow)
    except FileRefused as exc:
        raise SourceError.at(path, str(exc)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        before = data[line_start : exc.start].decode("utf-8", errors="replace")
        column = len(before) + 1
        raise SourceError.at(
            path,
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            line,
            column,
        ) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    problems = [
        Problem(
            Location(path, line, column),
            f"{'noncharacter' if _is_noncharacter(ch) else 'control character'}"
            f" U+{ord(ch):04X} not allowed",
        )
        for line, column, ch in _control_characters(text)
    ]
    if problems:
        raise SourceError(problems[:20])
    return text


_SUSPECT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef"
    + "".join(
        f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000)
    )
    + "]"
)
"""Every character ``_control_characters`` refuses (C0 and C1 controls but tab and line
breaks, noncharacters): one regex search clears a clean file without a loop per character."""


def _control_characters(text: str) -> list[tuple[int, int, str]]:
    if not _SUSPECT.search(text):
        return []
    found: list[tuple[int, int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        for column, ch in enumerate(line, start=1):
            if (ch != "\t" and unicodedata.category(ch) == "Cc") or _is_noncharacter(ch):
                found.append((number, column, ch))
    return found


def _is_noncharacter(ch: str) -> bool:
    """Unicode's noncharacters (U+FFFE, U+FFFF, U+FDD0…): never text, refused by YAML."""
    point = ord(ch)
    return 0xFDD0 <= point <= 0xFDEF or (point & 0xFFFE) == 0xFFFE


def split(path: Path, text: str) -> SourceText:
    """Separate the front matter (between ``---`` lines at the top) from the body."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        raise SourceError.at(
            path, "missing front matter: the file must start with a line '---'", 1, 1
        )
    for index in range(1, len(lines)):
        if _END_FENCE.match(lines[index]):
            return SourceText(
                path,
                "\n".join(lines[1:index]) + "\n",
                2,
                "\n".join(lines[index + 1 :]),
                index + 2,
            )
    raise SourceError.at(path, "the front matter opened here is never closed by a line '---'", 1, 1)


def translation_of(path: Path) -> tuple[Path, str] | None:
    """For ``x.en.md``: the original ``x.md`` and ``"en"``; None for an original."""
    match = _TRANSLATION.fullmatch(path.stem)
    if not match or not LANG_CODE.fullmatch(match.group("lang")):
        return None
    return path.with_name(match.group("stem") + path.suffix), match.group("lang")


def translations(path: Path) -> dict[str, Path]:
    """The translations lying beside a source, by language."""
    found: dict[str, Path] = {}
    for candidate in sorted(path.parent.glob(f"{path.stem}.*{path.suffix}")):
        pair = translation_of(candidate)
        if pair and pair[0] == path:
            found[pair[1]] = candidate
    return found


def discover(folder: Path) -> list[Path]:
    """The articles in a folder: every ``*.md`` that is not a translation."""
    return sorted(p for p in folder.glob("*.md") if p.is_file() and translation_of(p) is None)


def load_metadata(path: Path, roots: tuple[Path, ...] | None = None) -> tuple[SourceText, Metadata]:
    """Read and validate the front matter only (``roots``: as for ``read_text``), with the
    fields declared by the project holding the article."""
    source = split(path, read_text(path, roots=roots))
    meta, problems = parse_front_matter(
        source.front_matter,
        path,
        source.front_matter_line - 1,
        Pos(1, 1),
        declared_fields(path.parent),
    )
    if problems or meta is None:
        raise SourceError(problems)
    return source, meta


def load(
    path: Path, lang: str | None = None, roots: tuple[Path, ...] | None = None
) -> tuple[Document, list[Problem]]:
    """The article at ``path`` in ``lang`` (``_load``), parsed once per ``loading_once``
    session: the build, its checks and the stale-translation check share one parse."""
    doc, warnings = _once(("doc", path.absolute(), lang, roots), lambda: _load(path, lang, roots))
    return doc, list(warnings)


def _load(
    path: Path, lang: str | None, roots: tuple[Path, ...] | None
) -> tuple[Document, list[Problem]]:
    """Load an article, in its own language or (``lang``) with a translation's body.

    The article and its translation obey the local-file rule for ``roots`` — pass
    ``resources.readable_roots(project, path.parent)`` for the same rule as images; the
    default, the article's own folder, is never wider than that. Returns the document and
    the warnings found; errors raise ``SourceError`` listing every problem of the file.
    """
    roots = roots if roots is not None else (path.parent,)
    if len(path.stem.encode()) > MAX_NAME_BYTES:
        raise SourceError.at(
            path,
            f"the article's name is {len(path.stem.encode())} bytes long; at most"
            f" {MAX_NAME_BYTES}, so that its translations, record and outputs"
            " (NAME.i18n.yml, NAME.zip…) can be named too",
        )
    pair = translation_of(path)
    if pair is not None:
        raise SourceError.at(
            path, f"is the {pair[1]!r} translation of {pair[0].name}; build that file instead"
        )
    source, meta = load_metadata(path, roots)
    available = translations(path)
    lang = lang or meta.lang
    body_path = path
    body_text, body_line = source.body, source.body_line
    if lang != meta.lang:
        if lang not in available:
            raise SourceError.at(
                path,
                f"no {lang!r} translation: expected {path.with_suffix(f'.{lang}.md').name}"
                " beside the source",
            )
        body_path = available[lang]
        body_text, body_line = _translation_body(body_path, roots), 1
    parsed = parse_body(body_text, body_path, body_line - 1)
    errors = [p for p in parsed.problems if p.severity == "error"]
    if errors:
        raise SourceError(errors)
    doc = Document(
        path=path,
        meta=meta,
        body=parsed.blocks,
        footnotes=parsed.footnotes,
        lang=lang,
        body_path=body_path,
        translations=tuple(sorted(available)),
    )
    doc = language_images(doc)  # chart.en.png for the English outputs, where it exists
    return doc, [p for p in parsed.problems if p.severity != "error"]


def _translation_body(path: Path, roots: tuple[Path, ...]) -> str:
    text = read_text(path, roots=roots)
    if text.split("\n", 1)[0].strip() == "---":
        raise DocgenError.at(
            path,
            "a translation holds the body only; put translated front-matter fields in the"
            " source's front matter ({fr: …, en: …})",
            1,
            1,
        )
    return text
