"""The Jinja environment every HTML template runs in.

Sandboxed, autoescaping and strict: source text reaches templates only as data (``{{ 7*7 }}``
in a title prints as typed), a template cannot reach Python internals, and a misspelt
variable is an error naming the template and line instead of an empty string on a page.
Templates resolve from the project's ``templates/`` first, then the built-ins, file by file.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import sys
from collections.abc import Iterable
from pathlib import Path, PurePath
from typing import Any

import jinja2
from jinja2 import meta
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from . import user_cache
from .errors import TemplateError
from .formats.html.writer import HtmlWriter
from .labels import format_long_date, format_partial_date
from .model import Localized, PartialDate
from .project import Project, builtin_templates_dir
from .version import __version__


def environment(project: Project) -> jinja2.Environment:
    """A sandboxed environment over the project's template search path.

    Cached per search path: Jinja compiles each template once per environment, so a process
    that renders many documents (a build with ``time_limit = 0``, the tests, the benchmarks)
    compiles each template once; a build's forked renders each compile their own. The
    loader still notices a template edited on disk.
    """
    return _environment(project.template_dirs, project.allow_raw_html)


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, also closed to file system objects.

    The model carries ``Path`` values (``doc.path``, ``theme.logo``); Jinja's sandbox only
    hides underscore attributes, so without this a template could call
    ``doc.path.read_text()`` or ``write_text()``. Templates may print a path, never use it.
    """

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, (os.PathLike, PurePath)):
            return False
        return bool(super().is_safe_attribute(obj, attr, value))

    def is_safe_callable(self, obj: Any) -> bool:
        owner = getattr(obj, "__self__", None)
        if isinstance(owner, (os.PathLike, PurePath)):
            return False
        return bool(super().is_safe_callable(obj))


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the process, by template file and source
    checksum (Jinja checks it: an edited template compiles again). Every environment reads
    them — one per search path, so one per build job — and renders forked after
    ``precompile_builtins`` inherit docgen's own templates compiled.

    Code is kept by the environment's shape too (``_shape``): environments whose settings
    or filters differ never share it. docgen's own templates (those under
    ``builtin_templates_dir``) are also kept on disk, in the user's cache folder
    (``user_cache``), as Python keeps bytecode: a cold build's render would otherwise
    compile the brief's and the sheet's again, about 50 ms of CPU. They derive from
    installed files alone. A project's own templates are never written: each process
    compiles them again."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}
        """Compiled code by environment shape (``_shape``) and bucket key."""
        self._builtin: set[str] = set()
        """The bucket keys of docgen's own templates, as ``get_bucket`` saw them."""
        self._pruned: set[Path] = set()

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> jinja2.bccache.Bucket:
        key = self.get_cache_key(name, filename)
        if key not in self._builtin and filename and _is_builtin(filename):
            self._builtin.add(key)
        return super().get_bucket(environment, name, filename, source)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        shape = _shape(bucket.environment)
        code = self._code.get(f"{shape}/{bucket.key}")
        kept = self._kept(bucket, shape)
        if code is None and kept is not None:
            code = user_cache.read(kept)
        if code is not None:
            try:
                bucket.bytecode_from_string(code)  # another source's checksum: left empty
            except Exception:  # noqa: BLE001 - a damaged file only means compiling again
                bucket.reset()
            if bucket.code is not None:  # in memory too: later environments, forked renders
                self._code[f"{shape}/{bucket.key}"] = code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        shape = _shape(bucket.environment)
        code = bucket.bytecode_to_string()
        self._code[f"{shape}/{bucket.key}"] = code
        kept = self._kept(bucket, shape)
        if kept is not None and user_cache.write(kept, code) and kept.parent not in self._pruned:
            self._pruned.add(kept.parent)  # once per process: older docgens' templates
            user_cache.prune("templates-", kept.parent)

    def _kept(self, bucket: jinja2.bccache.Bucket, shape: str) -> Path | None:
        """The disk file of a built-in template's compiled code (``None`` for a project's
        own template, or without a cache folder)."""
        base = user_cache.folder()
        if bucket.key not in self._builtin or base is None:
            return None
        return base / f"templates-{shape}" / f"{bucket.key}.jinja"


def _is_builtin(filename: str) -> bool:
    return Path(filename).resolve().is_relative_to(_builtin_root())


@functools.cache
def _builtin_root() -> Path:
    return builtin_templates_dir().resolve()


def _shape(environment: jinja2.Environment) -> str:
    """A digest of everything the compiled code depends on besides the template's source
    (whose checksum Jinja checks itself): Jinja's, Python's and docgen's versions, the
    environment's class and settings, and the source of every module defining a filter,
    test or global — Jinja applies a filter to a literal while compiling (``{{ "a<b" |
    css_string }}`` compiles to its result), so an edited filter must not leave its old
    result in kept code. Computed once per environment."""
    known: str | None = getattr(environment, "docgen_shape", None)
    if known is not None:
        return known
    shape = [
        jinja2.__version__,
        sys.implementation.cache_tag,
        __version__,
        type(environment).__qualname__,
        *(
            repr(getattr(environment, setting))
            for setting in ("autoescape", "trim_blocks", "lstrip_blocks", "keep_trailing_newline")
        ),
        repr(getattr(environment, "raw_html", None)),
        repr(sorted(environment.filters)),
        repr(sorted(environment.tests)),
        repr(sorted(environment.globals)),
        *_sources_digests(environment),
    ]
    digest = hashlib.sha256("\0".join(shape).encode()).hexdigest()[:32]
    environment.docgen_shape = digest  # type: ignore[attr-defined]
    return digest


def _sources_digests(environment: jinja2.Environment) -> list[str]:
    """The sha256 of each module's source that defines a filter, test or global of
    ``environment`` (Jinja's own are named by its version already)."""
    modules = {
        getattr(value, "__module__", None)
        for table in (environment.filters, environment.tests, environment.globals)
        for value in table.values()
    }
    return [
        _module_digest(name)
        for name in sorted(m for m in modules if m and m.split(".")[0] == "docgen")
    ]


@functools.cache
def _module_digest(name: str) -> str:
    path = getattr(sys.modules.get(name), "__file__", None)
    try:
        return f"{name}:{hashlib.sha256(Path(path).read_bytes()).hexdigest()}" if path else name
    except OSError:
        return name


_COMPILED = _CompiledTemplates()


def precompile_builtins(names: Iterable[str]) -> None:
    """Compile docgen's own templates ``names``, and those they include, into the
    process's cache (``_CompiledTemplates``) before renders are forked: each forked render
    would otherwise compile the ones it uses again (tens of milliseconds) and lose them
    when it exits."""
    env = _environment((builtin_templates_dir(),), False)
    pending, seen = list(names), set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        source = env.loader.get_source(env, name)[0] if env.loader else ""
        env.get_template(name)
        pending += [n for n in meta.find_referenced_templates(env.parse(source)) if n]


@functools.lru_cache(maxsize=8)
def _environment(dirs: tuple[Path, ...], raw_html: bool) -> jinja2.Environment:
    # Every folder, existing or not: the environment is cached, and a project's templates/
    # folder made after the first render (``docgen templates eject``) must still be seen.
    loader = jinja2.FileSystemLoader([str(d) for d in dirs])
    env = _Sandbox(
        bytecode_cache=_COMPILED,
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.raw_html = raw_html  # type: ignore[attr-defined]  # part of the kept code's key
    writer = HtmlWriter(raw_html=raw_html)
    env.globals["asset"] = lambda name: Markup(_resolve_in(dirs, name).as_uri())
    env.filters["tr"] = _translate
    env.filters["date_long"] = _date_long
    env.filters["partial_date"] = _partial_date
    env.filters["inlines"] = writer.inlines
    env.filters["css_string"] = css_string
    return env


@jinja2.pass_context
def _translate(context: jinja2.runtime.Context, value: Localized | None, lang: str = "") -> str:
    """``{{ meta.title | tr }}``: the text in the page's language (or ``lang``)."""
    if value is None:
        return ""
    return value.text(lang or context["lang"], context.get("source_lang"))


@jinja2.pass_context
def _date_long(context: jinja2.runtime.Context, value: dt.date, lang: str = "") -> str:
    return format_long_date(value, lang or context["lang"])


@jinja2.pass_context
def _partial_date(context: jinja2.runtime.Context, value: PartialDate, lang: str = "") -> str:
    return format_partial_date(value, lang or context["lang"])


def css_string(text: str) -> Markup:
    """A CSS string literal for ``content:``; quotes, backslashes and ``<`` escaped."""
    escaped = "".join(
        f"\\{ord(ch):x} " if ch in '"\\<>\n' or ord(ch) < 32 else ch for ch in str(text)
    )
    return Markup(f'"{escaped}"')


def resolve(project: Project, name: str) -> Path:
    """The file a template name resolves to (project override first)."""
    return _resolve_in(project.template_dirs, name)


def _resolve_in(dirs: tuple[Path, ...], name: str) -> Path:
    for folder in dirs:
        candidate = (folder / name).resolve()
        if candidate.is_file() and candidate.is_relative_to(folder.resolve()):
            return candidate
    searched = ", ".join(str(d) for d in dirs)
    raise TemplateError.at(Path(name), f"template file not found (searched {searched})")


def render(project: Project, name: str, context: dict[str, Any]) -> str:
    """Render template ``name``; Jinja errors become ``TemplateError`` with file and line."""
    env = environment(project)
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        path = Path(exc.filename) if exc.filename else Path(name)
        raise TemplateError.at(path, f"template syntax error: {exc.message}", exc.lineno) from None
    except jinja2.TemplateNotFound as exc:
        frame, line = _template_frame(exc, project)
        raise TemplateError.at(
            frame or Path(name), f"template not found: {exc.name}", line
        ) from None
    except UnicodeDecodeError as exc:
        raise TemplateError.at(Path(name), f"a template is not valid UTF-8: {exc}") from None
    except TemplateError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure inside template code is the template's
        frame, line = _template_frame(exc, project)
        message = str(exc) or type(exc).__name__
        raise TemplateError.at(frame or Path(name), f"template error: {message}", line) from None


def _template_frame(exc: BaseException, project: Project) -> tuple[Path | None, int]:
    """The innermost template file and line in a traceback (Jinja rewrites frames so that
    template code shows its own file name and line number)."""
    found: tuple[Path | None, int] = (None, 0)
    tb = exc.__traceback__
    roots = [str(d.resolve()) for d in project.template_dirs]
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if any(filename.startswith(root) for root in roots):
            found = (Path(filename), tb.tb_lineno)
        tb = tb.tb_next
    return found
