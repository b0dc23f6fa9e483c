"""``[packs.NAME]`` and ``[classification]`` in ``docgen.toml``, read and checked.

A pack names its articles by their names in the source folder, in the order the binder
prints them. Every mistake is reported at once with its ``docgen.toml`` line — a misspelled
article name with the line it is on and the closest article's name — before anything is
rendered. ``tomllib`` keeps no positions, so lines are found in the text: the table's
header, then the key or the quoted value inside that table.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import source
from ..errors import ConfigError, Location, Problem
from ..frontmatter import LANG_CODE
from ..model import Localized
from ..pack.names import unsafe_name_reason
from ..project import Project
from .marking import DEFAULT_LEVELS, Level, Levels

PACK_PRODUCTS = ("brief", "report", "sheet")
"""What a pack gathers from its articles: the briefs (``binder.LANG.pdf``), the reports
(``binder.LANG.docx``) and the sheets (``sheets.pdf``)."""

PACK_KEYS = ("title", "short_title", "date", "classification", "articles", "languages", "products")


@dataclass(frozen=True)
class Pack:
    """One declared pack; ``lines`` holds the ``docgen.toml`` line of each key given and of
    each article name (``articles[2]``), for messages."""

    name: str
    title: Localized
    date: dt.date
    articles: tuple[str, ...]
    config_path: Path
    line: int
    short_title: Localized | None = None
    classification: Localized | None = None
    languages: tuple[str, ...] = ()
    products: tuple[str, ...] = PACK_PRODUCTS
    lines: tuple[tuple[str, int], ...] = ()

    def line_of(self, key: str) -> int:
        return dict(self.lines).get(key, self.line)

    def where(self, key: str = "") -> Location:
        return Location(self.config_path, self.line_of(key) if key else self.line, 1)

    def languages_for(self, source_lang: str) -> tuple[str, ...]:
        """The binder's languages: those declared, else the title's, else the first
        article's."""
        return self.languages or self.title.languages or (source_lang,)


@dataclass(frozen=True)
class PackConfig:
    """Every pack of the project, in declaration order, and the marking levels."""

    packs: dict[str, Pack]
    levels: Levels = field(default_factory=Levels)

    def get(self, name: str, where: Path | None = None) -> Pack:
        """The pack ``name``, or an error naming the declared ones."""
        if name in self.packs:
            return self.packs[name]
        close = difflib.get_close_matches(name, list(self.packs), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        known = ", ".join(self.packs) or "none; declare one as [packs.NAME] in docgen.toml"
        raise ConfigError.at(where or Path("--pack"), f"no pack {name!r}{hint} (declared: {known})")


def load_packs(project: Project, *, check_articles: bool = True) -> PackConfig:
    """The project's packs, checked; ``check_articles``: every article named exists in the
    source folder. Raises ``ConfigError`` with every problem found."""
    path = project.config_path
    if path is None:
        return PackConfig({})
    text = path.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    settings = data.get("docgen", data) if isinstance(data.get("docgen"), dict) else data
    problems: list[Problem] = []
    reader = _Reader(path, text, problems)
    levels = reader.levels(data.get("classification", settings.get("classification")))
    raw = data.get("packs", settings.get("packs"))
    packs: dict[str, Pack] = {}
    if raw is not None and not isinstance(raw, dict):
        reader.problem(reader.key_line("packs"), "packs must be tables: [packs.NAME]")
    for name, table in (raw or {}).items():
        pack = reader.pack(name, table, levels)
        if pack is not None:
            packs[name] = pack
    if check_articles:
        stems = [p.stem for p in source.discover(project.source_dir)]
        for pack in packs.values():
            for index, article in enumerate(pack.articles):
                if article in stems:
                    continue
                close = difflib.get_close_matches(article, stems, n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                reader.problem(
                    pack.line_of(f"articles[{index}]"),
                    f"packs.{pack.name}: no article {article!r} in"
                    f" {project.source_dir.name}/{hint}",
                )
    if problems:
        raise ConfigError(sorted(problems, key=lambda p: p.location.line))
    return PackConfig(packs, levels)


class _Reader:
    """Types the tables and finds their lines in the file's text."""

    def __init__(self, path: Path, text: str, problems: list[Problem]) -> None:
        self.path = path
        self.text = text
        self.lines = text.split("\n")
        self.problems = problems

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(Location(self.path, line, 1), message))

    # -- lines ---------------------------------------------------------------------------

    def key_line(self, key: str, span: tuple[int, int] = (0, 1 << 30)) -> int:
        """The 1-based line where ``key = `` stands inside ``span`` (0-based lines)."""
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for number in range(span[0], min(span[1], len(self.lines))):
            if pattern.match(self.lines[number]):
                return number + 1
        return span[0] + 1 if span[0] else 0

    def value_line(self, value: str, span: tuple[int, int], after: int) -> int:
        """The first line at or after ``after`` (1-based) inside ``span`` quoting ``value``."""
        quoted = (f'"{value}"', f"'{value}'")
        for number in range(max(after - 1, span[0]), min(span[1], len(self.lines))):
            if any(q in self.lines[number] for q in quoted):
                return number + 1
        return after

    def table_span(self, name: str) -> tuple[int, int]:
        """The 0-based lines of table ``[packs.NAME]``: its header to the next header."""
        header = re.compile(rf"^\s*\[\s*packs\s*\.\s*[\"']?{re.escape(name)}[\"']?\s*\]")
        start = next((i for i, line in enumerate(self.lines) if header.match(line)), None)
        if start is None:  # an inline table, or a dotted key: the line naming the pack
            line = self.key_line(name) or self.key_line(f"packs.{name}")
            return (max(line - 1, 0), max(line, 1)) if line else (0, len(self.lines))
        end = next(
            (
                i
                for i in range(start + 1, len(self.lines))
                if self.lines[i].lstrip().startswith("[")
            ),
            len(self.lines),
        )
        return start, end

    # -- values --------------------------------------------------------------------------

    def localized(self, value: Any, line: int, what: str) -> Localized | None:
        """A text, or a table of texts by language code (``{fr = "…", en = "…"}``)."""
        if isinstance(value, str) and value.strip():
            return Localized.plain(value.strip())
        if isinstance(value, dict) and value:
            bad = [
                k for k, v in value.items() if not LANG_CODE.fullmatch(k) or not isinstance(v, str)
            ]
            if not bad and all(v.strip() for v in value.values()):
                return Localized.of({k: v.strip() for k, v in value.items()})
        self.problem(line, f"{what} must be a text or a table of texts by language, not {value!r}")
        return None

    def pack(self, name: str, table: Any, levels: Levels) -> Pack | None:
        span = self.table_span(name)
        here = span[0] + 1
        where = f"packs.{name}"
        reason = unsafe_name_reason(name) or ("name with '/'" if "/" in name else None)
        if reason:
            self.problem(here, f"{where}: {reason}; a pack's name is its folder's name")
            return None
        if not isinstance(table, dict):
            self.problem(here, f"{where} must be a table: [packs.{name}]")
            return None
        count = len(self.problems)
        lines: dict[str, int] = {key: self.key_line(key, span) for key in table}
        for key in table:
            if key not in PACK_KEYS:
                close = difflib.get_close_matches(key, PACK_KEYS, n=1)
                hint = (
                    f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(PACK_KEYS)}"
                )
                self.problem(lines[key], f"{where}: unknown key {key!r}{hint}")
        for key in ("title", "date", "articles"):
            if key not in table:
                self.problem(here, f"{where}: {key} is missing")
        title = (
            self.localized(table["title"], lines["title"], f"{where}.title")
            if "title" in table
            else None
        )
        short = (
            self.localized(table["short_title"], lines["short_title"], f"{where}.short_title")
            if "short_title" in table
            else None
        )
        date = self.date(table.get("date"), lines.get("date", here), where)
        marking = None
        if "classification" in table:
            line = lines["classification"]
            marking = self.localized(table["classification"], line, f"{where}.classification")
            if marking is not None and levels.rank_of(marking) is None:
                self.problem(
                    line,
                    f"{where}.classification: {_texts(marking)} is not a known marking;"
                    f" known: {levels.known()} ([classification] levels sets them)",
                )
        articles = self.names(
            table.get("articles"), "articles", lines, span, where, allow_empty=False
        )
        for index, article in enumerate(articles):
            lines[f"articles[{index}]"] = self.value_line(
                article, span, lines.get("articles", here)
            )
            if articles.index(article) != index:
                self.problem(
                    lines[f"articles[{index}]"], f"{where}: article {article!r} listed twice"
                )
        languages = self.names(table.get("languages"), "languages", lines, span, where)
        for lang in languages:
            if not LANG_CODE.fullmatch(lang):
                self.problem(
                    lines["languages"], f"{where}.languages: {lang!r} is not a language code"
                )
        products = self.names(table.get("products"), "products", lines, span, where)
        for product in products:
            if product not in PACK_PRODUCTS:
                self.problem(
                    lines["products"],
                    f"{where}.products: {product!r} is not one of {', '.join(PACK_PRODUCTS)}",
                )
        if len(self.problems) > count or title is None or date is None:
            return None
        return Pack(
            name=name,
            title=title,
            date=date,
            articles=articles,
            config_path=self.path,
            line=here,
            short_title=short,
            classification=marking,
            languages=languages,
            products=products or PACK_PRODUCTS,
            lines=tuple(sorted(lines.items())),
        )

    def date(self, value: Any, line: int, where: str) -> dt.date | None:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        if value is not None:
            self.problem(line, f"{where}.date must be a date (2026-03-14), not {value!r}")
        return None

    def names(
        self,
        value: Any,
        key: str,
        lines: dict[str, int],
        span: tuple[int, int],
        where: str,
        *,
        allow_empty: bool = True,
    ) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.problem(lines.get(key, span[0] + 1), f"{where}.{key} must be a list of names")
            return ()
        if not value and not allow_empty:
            self.problem(lines.get(key, span[0] + 1), f"{where}.{key} is empty")
        return tuple(value)

    def levels(self, value: Any) -> Levels:
        """``[classification] levels``: lowest first; each a text, a list of spellings, or
        a table of names by language (with ``also = [...]`` for other spellings)."""
        if value is None:
            return Levels(DEFAULT_LEVELS)
        line = self.key_line("levels") or self.key_line("classification")
        table: Callable[[str], None] = lambda message: self.problem(line, message)  # noqa: E731
        if not isinstance(value, dict) or set(value) != {"levels"}:
            table("[classification] holds one key: levels = [lowest, …, highest]")
            return Levels(DEFAULT_LEVELS)
        raw = value["levels"]
        if not isinstance(raw, list) or not raw:
            table("classification.levels must be a list of markings, lowest first")
            return Levels(DEFAULT_LEVELS)
        found: list[Level] = []
        for item in raw:
            level = _level(item)
            if level is None:
                table(
                    f"classification.levels: {item!r} is not a marking (a text, a list of"
                    " texts, or a table {fr = …, en = …, also = […]})"
                )
                return Levels(DEFAULT_LEVELS)
            found.append(level)
        return Levels(tuple(found))


def _level(item: Any) -> Level | None:
    if isinstance(item, str) and item.strip():
        return Level((("*", item.strip()),))
    if isinstance(item, list) and item and all(isinstance(t, str) and t.strip() for t in item):
        return Level((("*", item[0].strip()),), tuple(t.strip() for t in item[1:]))
    if isinstance(item, dict):
        also = item.get("also", [])
        names = {k: v for k, v in item.items() if k != "also"}
        valid = (
            names
            and all(
                LANG_CODE.fullmatch(k) and isinstance(v, str) and v.strip()
                for k, v in names.items()
            )
            and isinstance(also, list)
            and all(isinstance(t, str) for t in also)
        )
        if valid:
            return Level(tuple((k, v.strip()) for k, v in names.items()), tuple(also))
    return None


def _texts(marking: Localized) -> str:
    return " / ".join(repr(text) for _code, text in marking.texts)
