"""A render job: a pure function from input bytes to output bytes.

A job carries every byte its output depends on — the article, the translation it renders,
the images it shows, the project's templates, theme and ``docgen.toml`` — under virtual
names (``project/source/x.md``), plus the options. ``run_job`` lays those bytes out in a
private temporary folder and renders there, so it needs no access to the project: it
runs the same in this process, in a pool worker, or on a Dask worker on another machine
that has the same docgen installed. The same job always gives the same bytes, which is
what makes the cache (``key``), reproducible packs and remote builds one property.

Docgen's own templates and fonts are not shipped: they belong to the installed version.
Their digest travels instead, and a worker whose copy differs refuses the job.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DocgenError, Location, Problem
from ..formats import Output
from ..pack.names import unsafe_name_reason
from ..version import __version__

if TYPE_CHECKING:
    from ..model import Document

PROJECT = "project"
ARTICLE = "article"
"""Virtual roots: the project folder, and an article's own folder when it lies outside."""


@dataclass(frozen=True)
class Job:
    """One output of one article: (product, format, language, options, input bytes)."""

    article: str
    product: str
    fmt: str
    lang: str
    output: str
    source: str
    files: tuple[tuple[str, bytes], ...]
    draft: bool = False
    pdf_variant: str | None = None
    source_date_epoch: int | None = None
    builtin: str = ""
    versions: tuple[tuple[str, str], ...] = field(default=())
    time_limit: float | None = None
    """Seconds the render may take (the coordinator's setting); not part of the key: it
    decides whether an output is made, never what it holds."""

    digests: tuple[tuple[str, str], ...] = field(default=())
    """Each input's sha256 by virtual name, as the reader computed it once per file and
    build (``inputs.InputReader``); computed from ``files`` when not given."""

    def inputs(self) -> dict[str, str]:
        """Every input's sha256, by virtual name."""
        if self.digests:
            return dict(self.digests)
        return {name: hashlib.sha256(data).hexdigest() for name, data in self.files}

    def key(self) -> str:
        """The cache key: a hash of everything the output depends on — options, every
        input byte, docgen's version and built-in templates, the engines' versions."""
        description = {
            "docgen": __version__,
            "builtin": self.builtin,
            "versions": dict(self.versions),
            "job": [self.article, self.product, self.fmt, self.lang, self.output, self.source],
            "options": [self.draft, self.pdf_variant, self.source_date_epoch],
            "inputs": self.inputs(),
        }
        text = json.dumps(description, sort_keys=True, ensure_ascii=True)
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class JobResult:
    """What a job made: its outputs and the warnings of the render, located by virtual
    name (``project/source/x.md``); the coordinator maps them back to real paths."""

    outputs: tuple[Output, ...]
    warnings: tuple[Problem, ...] = ()


@functools.cache
def builtin_digest() -> str:
    """A digest of docgen as installed here: its code, its built-in templates and fonts.

    Part of every cache key: an output cached by another docgen — a new release, or a
    working copy edited without a version change — is rendered again rather than served.
    And a Dask worker running another docgen than the coordinator's refuses its jobs."""
    from ..project import builtin_templates_dir

    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    digest.update(tree_digest(package, "*.py").encode())
    digest.update(tree_digest(builtin_templates_dir(), "*").encode())
    return digest.hexdigest()


def tree_digest(root: Path, pattern: str) -> str:
    """The sha256 of every file matching ``pattern`` below ``root``: names and contents."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob(pattern) if p.is_file()):
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@contextlib.contextmanager
def job_folder(job: Job, roots: tuple[str, ...], prefix: str) -> Iterator[Path]:
    """The job's input files written to a private folder, removed afterwards; a file
    named outside ``roots`` (or unsafely) is refused, a worker running another docgen than
    the coordinator's too. A problem raised inside is located by virtual name
    (``project/source/x.md``), which the coordinator maps back to the real file."""
    if job.builtin and job.builtin != builtin_digest():
        raise DocgenError.at(
            Path(job.output),
            f"this worker's docgen {__version__} differs from the coordinator's (its code or"
            " built-in templates); install the same docgen on every worker",
        )
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        root = Path(folder).resolve()
        try:
            for name, data in job.files:
                reason = unsafe_name_reason(name)
                if reason or name.split("/", 1)[0] not in roots:
                    raise DocgenError.at(
                        Path(name), f"refused input name: {reason or 'unknown root'}"
                    )
                path = root / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            yield root
        except DocgenError as exc:
            raise type(exc)([virtual(p, root) for p in exc.problems]) from None


def run_job(job: Job) -> JobResult:
    """Render ``job`` from its bytes alone, in a private folder removed afterwards."""
    with job_folder(job, (PROJECT, ARTICLE), "docgen-job-") as root:
        return _render_in(root, job)


def _render_in(root: Path, job: Job) -> JobResult:
    from .. import loading
    from ..options import RenderOptions
    from ..project import load_project
    from ..theme import load_theme
    from ..worker import forks, in_session, run_limited
    from .executors import warm

    project = load_project(root / PROJECT)
    theme = load_theme(project)
    doc = _loaded(
        root,
        job,
        lambda: loading.load_with_warnings(root / job.source, job.lang or None, project)[0],
    )
    edition = loading.edition_of(doc, job.product, project, draft=job.draft)
    options = RenderOptions(
        project,
        draft=job.draft,
        pdf_variant=job.pdf_variant,
        theme=theme,
        source_date_epoch=job.source_date_epoch,
    )
    from ..formats import get, render_with

    limit = project.time_limit if job.time_limit is None else job.time_limit
    if forks(limit) and not in_session():
        # A child per render (a Dask job): warm the engine here, once for this process,
        # rather than in every child. In a session the children stay warm themselves, and
        # import the engines themselves (``render_with``).
        warm((job.fmt,))
    args = (get(job.fmt), edition, options)
    result = run_limited(render_with, args, limit, Path(job.output), doc.path)
    warnings = tuple(virtual(p, root) for p in result.warnings)
    return JobResult(result.outputs, warnings)


MAX_LOADED = 8
"""Documents ``_loaded`` keeps per process (an article's languages, a few articles)."""

_LOADED: dict[tuple[object, ...], tuple[Path, Document]] = {}
_LOADED_LOCK = threading.Lock()


def _loaded(root: Path, job: Job, load: Callable[[], Document]) -> Document:
    """The job's document, loaded and typeset from its folder by ``load`` — or the one an
    earlier job of this process loaded from the same input bytes in the same language,
    moved to this job's folder.

    Loading is a pure function of those bytes (a build's jobs of one article and language,
    the brief and the report, or the sheet in both formats, carry the same ones); of the
    folder, the document keeps only its paths (``path``, ``body_path``), which are moved.
    A load that fails is not kept: the next job fails the same way, on its own."""
    key = (tuple(sorted(job.inputs().items())), job.source, job.lang)
    with _LOADED_LOCK:
        found = _LOADED.get(key)
    if found is None:
        doc = load()
        with _LOADED_LOCK:
            if len(_LOADED) >= MAX_LOADED:
                _LOADED.pop(next(iter(_LOADED)))
            _LOADED[key] = (root, doc)
        return doc
    then, doc = found
    body = doc.body_path
    return replace(
        doc,
        path=root / doc.path.relative_to(then),
        body_path=None if body is None else root / body.relative_to(then),
    )


def virtual(problem: Problem, root: Path) -> Problem:
    """A problem located in the job's folder, located by virtual name instead."""
    path = problem.location.path
    if path.is_absolute() and path.is_relative_to(root):
        location = replace(problem.location, path=path.relative_to(root))
        return replace(problem, location=location)
    return problem


def real_location(problem: Problem, roots: dict[str, Path]) -> Problem:
    """A problem located by virtual name, located in the real project again."""
    parts = problem.location.path.parts
    if parts and not problem.location.path.is_absolute() and parts[0] in roots:
        path = roots[parts[0]].joinpath(*parts[1:])
        return replace(
            problem, location=Location(path, problem.location.line, problem.location.column)
        )
    return problem
