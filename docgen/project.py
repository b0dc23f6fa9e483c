"""A publishing project: where sources, templates and outputs live, and its settings.

A project is the folder holding ``docgen.toml`` (searched upwards from the working
directory, like git does); without one, the working directory with the defaults below.
Every path a build may read from is derived here, so the resource policy has one source.
"""

from __future__ import annotations

import functools
import math
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigError, Location, Problem
from .fields import FieldSpec, read_declarations
from .signing.signer import SigningConfig, config_from_table

CONFIG_NAME = "docgen.toml"
DEFAULT_TIME_LIMIT = 120.0
"""Seconds one output may take to render; the seed article's brief takes under one."""
MAX_TIME_LIMIT = 86_400
"""A day: larger values are mistakes (and overflow the timers that enforce them)."""
PAPER_SIZES = ("A4", "Letter")


@dataclass(frozen=True)
class Project:
    """Resolved project settings; every path is absolute."""

    root: Path
    source_dir: Path
    output_dir: Path
    templates_dir: Path
    config_path: Path | None = None
    formats: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    paper: str = "A4"
    allow_raw_html: bool = False
    allow_remote: bool = False
    time_limit: float = DEFAULT_TIME_LIMIT
    theme_file: str = "_brand.yml"
    signing: SigningConfig | None = None
    """The ``[signing]`` table: sign every PDF and the manifest (``docgen build``)."""
    fields: tuple[FieldSpec, ...] = ()
    """The ``[fields.NAME]`` tables: the project's own front-matter fields."""

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        """Where templates resolve from, first match wins: the project's, then built-ins."""
        return (self.templates_dir, builtin_templates_dir())

    @property
    def readable_roots(self) -> tuple[Path, ...]:
        """The project's folders a build may read resources (images, fonts, CSS) from
        (``docgen.resources.readable_roots`` adds the article's own folder)."""
        return (self.source_dir, self.templates_dir, builtin_templates_dir(), self.root / "assets")


def builtin_templates_dir() -> Path:
    """The templates shipped with docgen: inside the wheel, or the repository's."""
    package = Path(__file__).resolve().parent
    bundled = package / "_templates"
    return bundled if bundled.is_dir() else package.parent / "templates"


def find_root(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


def load_project(start: Path | None = None) -> Project:
    """The project around ``start`` (default: the working directory)."""
    start = (start or Path.cwd()).resolve()
    root = find_root(start)
    if root is None:
        return _project(start, None, {})
    config_path = root / CONFIG_NAME
    return _project(root, config_path, _read_config(config_path))


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _is_seconds(value: Any) -> bool:
    """A finite number of seconds, 0 or more: TOML's ``inf`` and ``nan`` are not limits."""
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and 0 <= value <= MAX_TIME_LIMIT
    )


# setting: (check, what the value must be, in words)
_SETTINGS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "source": (lambda v: isinstance(v, str) and bool(v), "a folder name"),
    "output": (lambda v: isinstance(v, str) and bool(v), "a folder name"),
    "templates": (lambda v: isinstance(v, str) and bool(v), "a folder name"),
    "formats": (_is_text_list, "a list of format names"),
    "products": (_is_text_list, "a list of product names"),
    "languages": (_is_text_list, 'a list of language codes, or ["all"]'),
    "paper": (lambda v: v in PAPER_SIZES, f"one of {', '.join(PAPER_SIZES)}"),
    "allow_raw_html": (lambda v: isinstance(v, bool), "true or false"),
    "allow_remote_resources": (lambda v: isinstance(v, bool), "true or false"),
    "theme": (lambda v: isinstance(v, str) and bool(v), "a file name"),
    "time_limit": (_is_seconds, f"a number of seconds, 0 to {MAX_TIME_LIMIT:,}"),
}


TABLES = ("signing", "packs", "classification", "fields")
"""Tables of ``docgen.toml`` besides ``[docgen]``: ``[signing]`` (docs/signing.md),
``[packs.NAME]`` and ``[classification]`` (docs/binder.md, read by ``docgen.binder.config``),
``[fields.NAME]`` (docs/source-format.md, read by ``docgen.fields``)."""


def _read_config(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError.at(path, f"cannot read: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, column = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ConfigError.at(path, f"invalid TOML: {message}", line, column) from None
    problems = _check_settings(path, text, data)
    if problems:
        raise ConfigError(problems)
    settings = dict(data.get("docgen", data))
    for table in TABLES:  # tables of their own, kept beside the settings
        settings.pop(table, None)
        if isinstance(data.get(table), dict):
            settings[table] = data[table]
    settings["fields_spec"] = _declarations(path, text, data.get("fields", {}))[0]
    return settings


def _check_settings(path: Path, text: str, data: dict[str, Any]) -> list[Problem]:
    """Every problem of the file: unknown keys and tables, values of the wrong kind."""
    problems: list[Problem] = []

    def problem(key: str, message: str) -> None:
        problems.append(Problem(Location(path, _line_of(text, key), 1), message))

    if "docgen" in data:
        for key, value in data.items():
            if key != "docgen" and not (key in TABLES and isinstance(value, dict)):
                problem(key, f"{key!r} outside the [docgen] table; put every setting in it")
        if not isinstance(data["docgen"], dict):
            problem("docgen", "docgen must be a table: [docgen]")
            return problems
    settings = data.get("docgen", data)
    for key, value in settings.items():
        if key in TABLES and isinstance(value, dict) and settings is data:
            continue  # [signing] beside top-level settings
        if key not in _SETTINGS:
            kind = "table" if isinstance(value, dict) else "setting"
            problem(key, f"unknown {kind} {key!r}; known: {', '.join(_SETTINGS)}")
            continue
        check, expected = _SETTINGS[key]
        if not check(value):
            problem(key, f"{key} must be {expected}, not {value!r}")
    _check_lists(settings, problem)
    if "fields" in data:
        problems += _declarations(path, text, data["fields"])[1]
    return problems


def _declarations(path: Path, text: str, table: Any) -> tuple[tuple[FieldSpec, ...], list[Problem]]:
    from .frontmatter import FIELDS

    return read_declarations(table, path, text, tuple(FIELDS))


def declared_fields(start: Path) -> tuple[FieldSpec, ...]:
    """The fields declared by the project holding ``start`` (an article's folder): every
    loader of an article sees its project's fields, whoever calls it."""
    root = find_root(start.resolve())
    if root is None:
        return ()
    path = root / CONFIG_NAME
    try:
        stat = path.stat()
    except OSError:
        return ()
    return _declared(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=16)
def _declared(path: Path, _mtime: int, _size: int) -> tuple[FieldSpec, ...]:
    """The declarations of ``path`` (cached while the file is unchanged)."""
    specs: tuple[FieldSpec, ...] = _read_config(path).get("fields_spec", ())
    return specs


def _check_lists(settings: dict[str, Any], problem: Callable[[str, str], None]) -> None:
    """The items of ``formats``, ``products`` and ``languages``."""
    from . import formats as format_registry
    from . import products as product_registry
    from .frontmatter import LANG_CODE

    known_formats = [*format_registry.names(), *product_registry.ALIASES]
    formats = settings.get("formats") or []
    if _is_text_list(formats):
        for fmt in formats:
            if fmt not in known_formats:
                problem(
                    "formats",
                    f"formats: unknown format {fmt!r}; known: " + ", ".join(known_formats),
                )
    products = settings.get("products") or []
    if _is_text_list(products):
        for name in products:
            if name not in product_registry.names():
                problem(
                    "products",
                    f"products: unknown product {name!r}; known: "
                    + ", ".join(product_registry.names()),
                )
    languages = settings.get("languages") or []
    if _is_text_list(languages):
        for lang in languages:
            if lang != "all" and not LANG_CODE.fullmatch(lang):
                problem("languages", f"languages: {lang!r} is not a language code")


def _line_of(text: str, key: str) -> int:
    """The line where ``key`` is set, or where its table opens (``[key]``, ``[key.sub]``);
    tomllib keeps no positions, so find it in the text."""
    name = re.escape(key)
    pattern = re.compile(
        rf"^[ \t]*(?:{name}[ \t]*=|\[\[?[ \t]*{name}[ \t]*[\].])|^[ \t]*[\"']{name}[\"'][ \t]*=",
        re.MULTILINE,
    )
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 0


def _project(root: Path, config_path: Path | None, settings: dict[str, Any]) -> Project:
    return Project(
        root=root,
        source_dir=(root / settings.get("source", "source")).resolve(),
        output_dir=(root / settings.get("output", "output")).resolve(),
        templates_dir=(root / settings.get("templates", "templates")).resolve(),
        config_path=config_path,
        formats=tuple(settings.get("formats", ())),
        products=tuple(settings.get("products", ())),
        languages=tuple(settings.get("languages", ())),
        paper=settings.get("paper", "A4"),
        allow_raw_html=bool(settings.get("allow_raw_html", False)),
        allow_remote=bool(settings.get("allow_remote_resources", False)),
        time_limit=float(settings.get("time_limit", DEFAULT_TIME_LIMIT)),
        theme_file=settings.get("theme", "_brand.yml"),
        signing=(
            config_from_table(settings["signing"], config_path, root)
            if "signing" in settings and config_path is not None
            else None
        ),
        fields=settings.get("fields_spec", ()),
    )
