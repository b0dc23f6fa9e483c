"""The organization's look, read once from ``_brand.yml`` and handed to every renderer.

``_brand.yml`` is the brand.yml convention shared by Quarto and Shiny (read with the
``brand-yml`` package), so an organization that already has one reuses it. Only the values
every output can honour are taken: colours, font families (and font files), a logo and the
organization's name. Each value is checked before it reaches CSS or Word, so a theme can
never inject markup into a template. Without ``_brand.yml`` the built-in look applies.
"""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import Location, Problem, TemplateError
from .project import Project
from .resources import NOT_FOUND, OUTSIDE, check_file
from .safeio import FileRefused, read_regular_file

BRAND_FILE = "_brand.yml"
_COLOR = re.compile(r"#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}")
_FAMILY = re.compile(r"\w[\w .\-]{0,62}")
"""Checked with ``fullmatch``: a value that reaches CSS or Word cannot carry anything else."""
_FONT_FILE = re.compile(r"\.(ttf|otf|woff2?)$", re.IGNORECASE)
MAX_BRAND_BYTES = 256 * 1024
"""A brand file is a page of YAML."""


@dataclass(frozen=True)
class FontFile:
    """A font file the theme brings, for ``@font-face``."""

    family: str
    path: Path
    weight: str = "normal"
    style: str = "normal"


@dataclass(frozen=True)
class Theme:
    """Colours as ``#rrggbb`` (or CSS names), font families as names, paths absolute."""

    primary: str = "#14284b"
    accent: str = "#a07c2c"
    marking: str = "#8b1a1a"
    foreground: str = "#1d1d1f"
    muted: str = "#5a6270"
    panel: str = "#f2f4f8"
    rule: str = "#c9ced8"
    body_font: str = "Docgen Serif"
    heading_font: str = "Docgen Sans"
    mono_font: str = "Docgen Mono"
    fonts: tuple[FontFile, ...] = ()
    logo: Path | None = None
    organization: str = ""
    source: Path | None = field(default=None, compare=False)
    warnings: tuple[Problem, ...] = field(default=(), compare=False)
    """What the theme asks that the outputs cannot honour fully (a font without files)."""

    @property
    def word_body_font(self) -> str:
        """The body font as Word knows it (our bundled faces are Noto in Word)."""
        return _WORD_NAMES.get(self.body_font, self.body_font)

    @property
    def word_heading_font(self) -> str:
        return _WORD_NAMES.get(self.heading_font, self.heading_font)

    @property
    def files(self) -> tuple[Path, ...]:
        """The files the theme brings (logo, fonts): the only ones outside the project's
        readable folders that a render may load."""
        return tuple(f.path for f in self.fonts) + ((self.logo,) if self.logo else ())

    def hex(self, name: str) -> str:
        """A colour as ``RRGGBB`` for Word; CSS names map through a small table."""
        value: str = getattr(self, name)
        if value.startswith("#"):
            digits = value[1:]
            return (digits if len(digits) == 6 else "".join(c * 2 for c in digits)).upper()
        return _NAMED.get(value.lower(), "000000")


_WORD_NAMES = {
    "Docgen Serif": "Noto Serif",
    "Docgen Sans": "Noto Sans",
    "Docgen Mono": "DejaVu Sans Mono",
}
_NAMED = {
    "black": "000000",
    "white": "FFFFFF",
    "navy": "000080",
    "red": "FF0000",
    "gray": "808080",
    "grey": "808080",
    "blue": "0000FF",
    "green": "008000",
    "maroon": "800000",
    "teal": "008080",
}

DEFAULT = Theme()
_BRAND_KEYS = {"accent": "secondary", "marking": "danger", "panel": "light"}
"""Our colour roles named as brand.yml names them, to point errors at the right key."""


def theme_roots(project: Project) -> tuple[Path, ...]:
    """Where the theme and the files it names may lie: the project's folder (``_brand.yml``
    sits at its root, its logo often beside it) and the readable folders."""
    return (project.root, *project.readable_roots)


def load_theme(project: Project) -> Theme:
    """The project's theme: ``_brand.yml`` at the project root (or the configured file)."""
    name = project.theme_file
    given = project.root / name
    roots = theme_roots(project)
    real, reason = check_file(given, roots)
    if real is None:
        where = project.config_path or given
        if reason == NOT_FOUND:
            if name != BRAND_FILE:
                raise TemplateError.at(where, f"theme file not found: {given}")
            return DEFAULT
        raise TemplateError.at(where, f"theme file {given} is {reason}")
    return read_brand(real, roots)


def read_brand(path: Path, roots: tuple[Path, ...] | None = None) -> Theme:
    """Read and check a brand.yml file; every problem names its line and column.

    The logo and font files it names obey the local-file rule (``resources.check_file``)
    for ``roots`` — by default the brand file's own folder — so a theme cannot make a
    build read, embed or print a file from elsewhere on the machine.
    """
    from brand_yml import Brand  # pydantic is heavy: load only when a theme exists

    roots = roots if roots is not None else (path.parent,)
    try:
        text = read_regular_file(path, MAX_BRAND_BYTES).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TemplateError.at(
            path, f"not valid UTF-8 (byte {exc.start}); save it as UTF-8"
        ) from None
    except FileRefused as exc:
        raise TemplateError.at(path, str(exc)) from None
    try:
        brand = Brand.from_yaml_str(text, path=path)
    except Exception as exc:  # noqa: BLE001 - pydantic and YAML errors alike
        raise TemplateError(_brand_problems(path, text, exc)) from None
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    values.update(_colors(path, text, brand.color, problems))
    if brand.typography is not None:
        values.update(_families(path, text, brand.typography, problems))
        values["fonts"] = _font_files(path, text, brand.typography, problems, roots)
        unfiled = _families_without_files(path, text, values)
        if unfiled:  # said better there than "only 'source: file' fonts"
            named = tuple(f"font {values[key]!r}: only" for key in _SECTIONS if key in values)
            problems[:] = [p for p in problems if not p.message.startswith(named)]
        problems += unfiled
    logo = _logo(path, brand)
    if logo is not None:
        real, reason = check_file(logo, roots)
        if real is not None:
            values["logo"] = real
        else:
            problems.append(_at(path, text, ["logo"], _file_problem("logo file", logo, reason)))
    if brand.meta is not None and brand.meta.name is not None:
        values["organization"] = str(getattr(brand.meta.name, "full", "") or "")
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise TemplateError(errors)
    warnings = tuple(p for p in problems if p.severity != "error")
    return replace(DEFAULT, source=path, warnings=warnings, **values)


_SECTIONS = {"body_font": "base", "heading_font": "headings", "mono_font": "monospace"}


def _families_without_files(path: Path, text: str, values: dict[str, Any]) -> list[Problem]:
    """A warning for each family the theme uses but brings no font file for: the PDF would
    fall back to another face without a word (Word uses the name, if installed)."""
    bundled = {getattr(DEFAULT, key) for key in _SECTIONS}
    with_files = {font.family for font in values.get("fonts", ())}
    problems = []
    for key, section in _SECTIONS.items():
        family = values.get(key)
        if family is None or family in bundled or family in with_files:
            continue
        message = (
            f"font family {family!r} has no font files (typography.fonts, source: file):"
            " the PDF uses a fallback face unless the font is installed where docgen runs"
        )
        where = _location(path, text, ["typography", section])
        problems.append(Problem(where, message, "warning"))
    return problems


def _colors(path: Path, text: str, color: Any, problems: list[Problem]) -> dict[str, str]:
    """brand.yml's semantic colours, mapped onto the roles our templates use."""
    if color is None:
        return {}
    pairs = {
        "primary": color.primary,
        "accent": color.secondary or color.tertiary,
        "marking": color.danger,
        "foreground": color.foreground,
        "panel": color.light,
    }
    found: dict[str, str] = {}
    for key, given in pairs.items():
        if given is None:
            continue
        value = str(given)
        if _COLOR.fullmatch(value) or value.lower() in _NAMED:
            found[key] = value
        else:
            close = difflib.get_close_matches(value.lower(), _NAMED, n=1, cutoff=0.6)
            names = ", ".join(sorted(_NAMED))
            message = f"color {value!r} is not #rgb, #rrggbb or one of {names}"
            if close:
                message = (
                    f"color {value!r} is not a colour docgen knows; did you mean {close[0]!r}?"
                )
            problems.append(_at(path, text, ["color", _BRAND_KEYS.get(key, key)], message))
    return found


def _families(path: Path, text: str, typography: Any, problems: list[Problem]) -> dict[str, str]:
    families = {
        "body_font": getattr(typography.base, "family", None),
        "heading_font": getattr(typography.headings, "family", None),
        "mono_font": getattr(typography.monospace, "family", None),
    }
    found: dict[str, str] = {}
    for key, family in families.items():
        if family is None:
            continue
        if _FAMILY.fullmatch(str(family)):
            found[key] = str(family)
        else:
            message = f"font family {family!r} is not a plain name"
            problems.append(_at(path, text, ["typography"], message))
    return found


def _file_problem(what: str, file: Path, reason: str) -> str:
    if reason == NOT_FOUND:
        return f"{what} not found: {file}"
    if reason == OUTSIDE:
        return f"{what} {file} is {OUTSIDE} (symlinks followed); it cannot be used"
    return f"{what} {file} is {reason}"


def _font_files(
    path: Path, text: str, typography: Any, problems: list[Problem], roots: tuple[Path, ...]
) -> tuple[FontFile, ...]:
    found: list[FontFile] = []
    for font in typography.fonts or []:
        if not _FAMILY.fullmatch(str(getattr(font, "family", ""))):
            message = f"font family {getattr(font, 'family', '')!r} is not a plain name"
            problems.append(_at(path, text, ["typography", "fonts"], message))
            continue
        if getattr(font, "source", "") != "file":
            problems.append(
                Problem(
                    _location(path, text, ["typography", "fonts"]),
                    f"font {getattr(font, 'family', '?')!r}: only 'source: file' fonts can be used"
                    " (docgen never downloads fonts)",
                    "warning",
                )
            )
            continue
        for entry in font.files or []:
            file = path.parent / str(getattr(entry.path, "root", entry.path))
            real, reason = check_file(file, roots)
            if real is None or not _FONT_FILE.search(real.name):
                message = _file_problem("font file", file, reason or NOT_FOUND)
                problems.append(_at(path, text, ["typography", "fonts"], message))
                continue
            file = real
            found.append(
                FontFile(
                    str(font.family),
                    file,
                    str(entry.weight or "normal"),
                    str(entry.style or "normal"),
                )
            )
    return tuple(found)


def _logo(path: Path, brand: Any) -> Path | None:
    logo = brand.logo
    if logo is None:
        return None
    for size in ("medium", "large", "small"):
        resource = getattr(logo, size, None)
        if resource is None:
            continue
        resource = getattr(resource, "light", resource)  # a light/dark pair: take light
        location = getattr(resource, "path", resource)
        root = getattr(location, "root", location)
        return path.parent / str(root)
    location = getattr(logo, "path", None)  # ``logo: file.png``: one resource, no sizes
    if location is not None:
        return path.parent / str(getattr(location, "root", location))
    return None


def _location(path: Path, text: str, keys: list[str]) -> Location:
    """Where the YAML key path ``keys`` stands in ``text`` (best effort: deepest found)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.nodes import MappingNode

    try:
        node: Any = YAML(typ="rt", pure=True).compose(io.StringIO(text))
    except Exception:  # noqa: BLE001 - an unparsable file has no key positions
        return Location(path, 1, 1)
    line, column = 1, 1
    for key in keys:
        if not isinstance(node, MappingNode):
            break
        match = next((pair for pair in node.value if str(pair[0].value) == str(key)), None)
        if match is None:
            break
        line, column = match[0].start_mark.line + 1, match[0].start_mark.column + 1
        node = match[1]
    return Location(path, line, column)


def _at(path: Path, text: str, keys: list[str], message: str) -> Problem:
    return Problem(_location(path, text, keys), message)


def _brand_problems(path: Path, text: str, exc: Exception) -> list[Problem]:
    """pydantic names each invalid value by its key path; turn that into line:column."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        problems = []
        for error in errors():
            keys = [str(k) for k in error.get("loc", ()) if not isinstance(k, int)]
            message = f"{'.'.join(keys)}: {error.get('msg', 'invalid')}"
            if error.get("type") == "extra_forbidden" and keys:
                message = f"unknown key {'.'.join(keys)!r}" + _did_you_mean(
                    keys[-1], _known_keys(keys[:-1])
                )
            problems.append(_at(path, text, keys, message))
        if problems:
            return problems
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        return [Problem(Location(path, mark.line + 1, mark.column + 1), _yaml_message(exc))]
    return [Problem(Location(path), f"invalid brand file: {exc}")]


def _did_you_mean(given: str, known: Iterable[str]) -> str:
    """``; did you mean 'color'?``, or the keys known there, or nothing."""
    known = list(known)
    close = difflib.get_close_matches(given.lower(), known, n=1, cutoff=0.6)
    if close:
        return f"; did you mean {close[0]!r}?"
    return f"; known: {', '.join(known)}" if known else ""


def _known_keys(parents: list[str]) -> list[str]:
    """The keys brand.yml allows under ``parents`` (``["color"]``: primary, secondary…),
    read from brand-yml's own models so the list follows its version."""
    import typing

    from brand_yml import Brand
    from pydantic import BaseModel

    model: Any = Brand
    for key in parents:
        fields = getattr(model, "model_fields", {})
        info = fields.get(key) or next((f for f in fields.values() if f.alias == key), None)
        if info is None:
            return []
        candidates = [info.annotation, *typing.get_args(info.annotation)]
        model = next(
            (c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None
        )
        if model is None:
            return []
    return [
        info.alias or name
        for name, info in getattr(model, "model_fields", {}).items()
        if name != "path"
    ]


def _yaml_message(exc: Exception) -> str:
    """A YAML error on one line: the problem, then what was open and where it started
    (ruamel's own text spans five lines and quotes the source)."""
    message = f"invalid YAML: {getattr(exc, 'problem', None) or 'cannot parse'}"
    context, mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and mark is not None:
        message += f" ({context} at {mark.line + 1}:{mark.column + 1})"
    elif context:
        message += f" ({context})"
    return message
