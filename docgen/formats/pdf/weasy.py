"""HTML → PDF with WeasyPrint, under docgen's resource policy.

The URL fetcher is the single door through which a document reaches anything outside its
HTML: it serves regular files below the project's readable folders (after resolving
symlinks and ``..``), inline ``data:`` URLs, and remote URLs only when the project opts in.
Everything else is refused and reported, so an article from an outside contributor cannot
read ``/etc/passwd`` into a PDF or ping a server.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ...errors import Location, Problem
from ...pack.reproducible import UrlMap, project_url_map
from ...products import get as product
from ...products import names as product_names
from ...project import Project, builtin_templates_dir
from ...resources import NOT_FOUND, check_file, readable_roots
from ...templates import precompile_builtins
from . import structure
from .libraries import import_weasyprint

weasyprint = import_weasyprint()  # already loaded by the package (``libraries``)
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

MAX_RESOURCE_BYTES = 20 * 1024 * 1024
"""Largest single resource (image, font) a document may pull in."""

_SIZED_ARRAY = re.compile(r"(\w+)\[(\d+)\]")


class _OpenArrays:
    """WeasyPrint's cffi handle, as its font subsetter sees it, with one change: an array
    made from a list names no size (``hb_codepoint_t[]``, sized by the list).

    The subsetter asks for ``hb_codepoint_t[N]`` with N the glyph count of each font, and
    cffi parses every new declaration string with pycparser — about 5 ms each, several per
    PDF, in every forked render. ``T[]`` from the same list is the same memory, parsed
    once. Everything else is passed through untouched."""

    def __init__(self, ffi: Any) -> None:
        self._ffi = ffi

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ffi, name)

    def new(self, cdecl: str, init: Any = None) -> Any:
        sized = _SIZED_ARRAY.fullmatch(cdecl)
        if sized and isinstance(init, (list, tuple)) and len(init) == int(sized[2]):
            return self._ffi.new(f"{sized[1]}[]", init)
        return self._ffi.new(cdecl, init)


def _open_arrays() -> None:
    """Give WeasyPrint's font subsetter the ``_OpenArrays`` handle (once; skipped should
    its module change shape, and for declarations loaded parsed (``declarations``), whose
    ``new`` reads a type in C)."""
    import cffi
    from weasyprint.pdf import fonts

    ffi = getattr(fonts, "ffi", None)
    if isinstance(ffi, cffi.FFI) and hasattr(ffi, "new"):
        fonts.ffi = _OpenArrays(ffi)


_open_arrays()


class PolicyFetcher(URLFetcher):  # type: ignore[misc]
    """A WeasyPrint fetcher that only serves what the project allows."""

    def __init__(
        self,
        roots: tuple[Path, ...],
        allow_remote: bool = False,
        files: tuple[Path, ...] = (),
        quiet_under: Path | None = None,
        urls: UrlMap | None = None,
    ) -> None:
        super().__init__(timeout=10, allowed_protocols=("http", "https"), allow_redirects=False)
        self.roots = tuple(r.resolve() for r in roots)
        self.files = frozenset(f.resolve() for f in files)
        self.quiet_under = quiet_under.resolve() if quiet_under else None
        self.allow_remote = allow_remote
        self.refused: list[str] = []
        self.urls = urls

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if self.urls is not None:
            try:
                canonical = self.urls.path(url)
            except ValueError as exc:
                return self._refuse(url, str(exc))
            if canonical is not None:
                return self._file(url, canonical)
        if scheme == "file":
            return self._file(url, Path(unquote(parts.path)))
        if scheme in ("http", "https") and self.allow_remote:
            return super().fetch(url, headers)
        return self._refuse(
            url,
            "remote resources are off (allow_remote_resources)"
            if scheme in ("http", "https")
            else f"scheme {scheme!r} not allowed",
        )

    def _file(self, url: str, path: Path) -> URLFetcherResponse:
        real, reason = check_file(path, self.roots, self.files)
        if real is None:
            # A missing body image was already reported, with its line, by the model check.
            quiet = reason == NOT_FOUND and self._is_source(path)
            return self._refuse(url, reason, report=not quiet)
        if real.stat().st_size > MAX_RESOURCE_BYTES:
            return self._refuse(url, f"larger than {MAX_RESOURCE_BYTES // (1024 * 1024)} MiB")
        return URLFetcherResponse(url, body=real.read_bytes())

    def _is_source(self, path: Path) -> bool:
        return self.quiet_under is not None and path.absolute().is_relative_to(self.quiet_under)

    def _refuse(self, url: str, reason: str, report: bool = True) -> URLFetcherResponse:
        if report:
            self.refused.append(f"{url}: {reason}")
        raise ValueError(f"refused {url}: {reason}")


def url_map(project: Project, base_dir: Path) -> UrlMap:
    """Canonical URLs for the project, docgen's templates and an article outside the
    project: laid out under them, a PDF's bytes do not depend on where the project sits
    (image names and links are derived from URLs)."""
    extra = (
        ()
        if base_dir.resolve().is_relative_to(project.root.resolve())
        else (("article", base_dir),)
    )
    return project_url_map(project.root, builtin_templates_dir(), extra)


def layout(
    html: str, project: Project, base_dir: Path, files: tuple[Path, ...] = ()
) -> tuple[Any, PolicyFetcher]:
    """Lay ``html`` out into pages (a ``weasyprint.Document``) under the project's policy;
    ``files`` are single files allowed besides the readable folders (the theme's)."""
    urls = url_map(project, base_dir)
    fetcher = PolicyFetcher(
        readable_roots(project, base_dir),
        project.allow_remote,
        files,
        quiet_under=base_dir,
        urls=urls,
    )
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = weasyprint.HTML(
        string=html, base_url=urls.base_url(base_dir), url_fetcher=fetcher
    ).render(pdf_tags=True)
    return document, fetcher


_WARM_FONTS = (
    ("Docgen Serif", "NotoSerif-Regular.ttf", "normal", "normal"),
    ("Docgen Sans", "NotoSans-Bold.ttf", "bold", "normal"),
)
"""Two faces are enough: the warm-up is about the code paths (the C declarations are the
same for every font), and each face costs a registration and a subsetting."""

_WARM_BODY = """
<style>
@page { size: A4; margin: 15mm; @top-center { content: "W"; font: bold 7pt "Docgen Sans"; } }
body { font-family: "Docgen Serif"; hyphens: auto; }
b { font-family: "Docgen Sans"; }
</style>
<p lang="fr">Une phrase, coopération.</p>
<p lang="en">A sentence, cooperation.</p>
<table><tr><td><b>Sans</b></td><td><a href="#x" id="x">l</a></td></tr></table>
"""

_warmed = False


def warm() -> None:
    """Lay out and write one small page with docgen's own fonts, once per process.

    A process's first render pays for what WeasyPrint sets up lazily: cffi parsing the C
    declarations of Pango, HarfBuzz and fontconfig on first use, fontconfig's system
    configuration, the hyphenation dictionaries, the font subsetter. Renders run in forked
    children (``worker.py``): done once in the process that forks them (a pool's
    coordinator, a Dask worker, which forks a child per render), every child starts warm. A
    build's own child stays warm from one render to the next without it. The page reads
    only docgen's bundled fonts, through the policy fetcher, and its PDF is thrown away:
    outputs do not change. docgen's own templates are compiled too
    (``templates.precompile_builtins``)."""
    global _warmed  # noqa: PLW0603 - once per process, by design
    if _warmed:
        return
    _warmed = True
    precompile_builtins(dict.fromkeys(product(name).template for name in product_names()))
    fonts = builtin_templates_dir() / "fonts"
    faces = "".join(
        f'@font-face {{ font-family: "{family}"; src: url({(fonts / name).as_uri()});'
        f" font-weight: {weight}; font-style: {style}; }}"
        for family, name, weight, style in _WARM_FONTS
    )
    html = f"<html><head><style>{faces}</style></head><body>{_WARM_BODY}</body></html>"
    fetcher = PolicyFetcher((fonts,))
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = weasyprint.HTML(string=html, base_url=fonts.as_uri() + "/", url_fetcher=fetcher)
    structure.write_pdf(document.render(pdf_tags=True), {"pdf_tags": True})


def pdf_bytes(
    document: Any, fetcher: PolicyFetcher, where: Path, variant: str | None = None
) -> tuple[bytes, list[Problem]]:
    """The PDF of a laid-out document; warnings, located at ``where`` (the article), for
    the resources the fetcher refused. The structure tree is corrected on the way
    (``structure``: running heads as artifacts, languages, header scopes, page breaks)."""
    options: dict[str, object] = {"pdf_tags": True, "custom_metadata": True}
    if variant:
        options["pdf_variant"] = variant
    data = structure.write_pdf(document, options)
    warnings = [
        Problem(Location(where), f"resource not loaded: {message}", "warning")
        for message in dict.fromkeys(fetcher.refused)
    ]
    return data, warnings
