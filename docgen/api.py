"""The library's use cases — load, check, build — that the CLI and scripts call.

Orchestration only: reading is ``source``, the transforms are ``typography``, drawing is the
renderers'. Each article is loaded once per language and handed to every renderer.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import renderers, source
from .accessibility import missing_alt_text
from .errors import DocgenError, Location, Problem
from .i18n import stale_units
from .model import Document
from .options import RenderOptions
from .output import safe_output_dir
from .project import Project, load_project
from .resources import image_problems
from .theme import load_theme
from .worker import run_limited


def load(path: str | Path, lang: str | None = None) -> Document:
    """An article as a document model, typography applied, in ``lang`` (default: its own)."""
    doc, _warnings = load_with_warnings(Path(path), lang)
    return doc


def load_with_warnings(
    path: Path, lang: str | None = None, project: Project | None = None
) -> tuple[Document, list[Problem]]:
    """Load, apply typography, and run the model checks (images, accessibility).

    Raises ``DocgenError`` with every error; returns the warnings.
    """
    from .typography import apply

    doc, warnings = source.load(path, lang)
    found = warnings + missing_alt_text(doc) + image_problems(doc, project or load_project())
    errors = [p for p in found if p.severity == "error"]
    if errors:
        raise DocgenError(errors)
    return apply(doc), found


def resolve_article(name: str | Path, project: Project | None = None) -> Path:
    """An article named by its path, or by its name in the project's source folder."""
    path = Path(name)
    if path.suffix == ".md" or path.exists():
        return path
    project = project or load_project()
    candidate = project.source_dir / f"{name}.md"
    if not candidate.is_file():
        raise DocgenError.at(candidate, f"no article named {str(name)!r}")
    return candidate


def sources_of(project: Project, paths: Sequence[str | Path] = ()) -> list[Path]:
    """The articles to work on: those named, or every article of the project."""
    if paths:
        return [Path(p) for p in paths]
    if not project.source_dir.is_dir():
        raise DocgenError.at(project.source_dir, "no source folder; name the articles to build")
    found = source.discover(project.source_dir)
    if not found:
        raise DocgenError.at(project.source_dir, "no article (*.md) in the source folder")
    return found


@dataclass
class BuildResult:
    """What a build wrote and what it warned about."""

    files: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0


def check(paths: Sequence[str | Path] = (), project: Project | None = None) -> list[Problem]:
    """Validate articles without rendering; raises ``DocgenError`` with every error found
    (stale translations included). Returns the warnings.
    """
    project = project or load_project()
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for path in sources_of(project, paths):
        try:
            _doc, found = load_with_warnings(path, project=project)
            warnings.extend(found)
            problems.extend(stale_units(path, severity="error"))
        except DocgenError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DocgenError(problems)
    return warnings


def build(
    paths: Sequence[str | Path] = (),
    *,
    formats: Sequence[str] = (),
    languages: Sequence[str] = (),
    output: str | Path | None = None,
    project: Project | None = None,
    draft: bool = False,
    pdf_variant: str | None = None,
    strict: bool = False,
    on_file: Callable[[Path], None] | None = None,
) -> BuildResult:
    """Build articles into ``output/<stem>/``: every format and language asked for.

    Every article is validated before anything is written, so a bad source never leaves a
    half-built set of outputs.
    """
    started = time.perf_counter()
    project = project or load_project()
    formats = list(formats or project.formats or renderers.names())
    for name in formats:
        if name not in renderers.names():
            raise DocgenError.at(
                Path("--format"), f"unknown format {name!r}; known: {', '.join(renderers.names())}"
            )
    output_root = Path(output).resolve() if output else project.output_dir
    result = BuildResult()

    loaded: list[tuple[Document, list[str]]] = []
    problems: list[Problem] = []
    for path in sources_of(project, paths):
        try:
            doc, warnings = load_with_warnings(path, project=project)
        except DocgenError as exc:
            problems.extend(exc.problems)
            continue
        result.warnings.extend(warnings)
        stale = stale_units(path, severity="error" if strict else "warning")
        problems.extend(p for p in stale if p.severity == "error")
        result.warnings.extend(p for p in stale if p.severity != "error")
        loaded.append((doc, _languages(doc, languages or project.languages)))
    if problems:
        raise DocgenError(problems)
    theme = load_theme(project)

    for doc, langs in loaded:
        target_dir = safe_output_dir(output_root, doc.stem)
        options = RenderOptions(
            project, target_dir, draft=draft, pdf_variant=pdf_variant, theme=theme
        )
        per_lang = {doc.lang: doc}
        for lang in langs:
            if lang not in per_lang:
                per_lang[lang], warnings = load_with_warnings(doc.path, lang, project)
                result.warnings.extend(warnings)
        for name in formats:
            info = renderers.get(name)
            render = info.load()
            targets = [per_lang[lang] for lang in langs] if info.per_language else [doc]
            for target_doc in targets:
                written, warnings = run_limited(
                    _render_collecting,
                    (render, target_doc, replace(options, warnings=[])),
                    project.time_limit,
                    target_dir,
                    doc.path,
                )
                result.warnings.extend(warnings)
                for path in written:
                    result.files.append(path)
                    if on_file:
                        on_file(path)
    result.seconds = time.perf_counter() - started
    return result


def _render_collecting(
    render: renderers.RenderFunction, doc: Document, options: RenderOptions
) -> tuple[list[Path], list[Problem]]:
    """One render, returning its warnings with its files (it may run in a child process)."""
    return render(doc, options), options.warnings


def _languages(doc: Document, requested: Sequence[str]) -> list[str]:
    """The languages to render ``doc`` in: the source's, or those asked (``all``: every one)."""
    if not requested:
        return [doc.lang]
    if "all" in requested:
        return [doc.lang, *[t for t in doc.translations if t != doc.lang]]
    missing = [lang for lang in requested if lang != doc.lang and lang not in doc.translations]
    if missing:
        raise DocgenError(
            [
                Problem(
                    Location(doc.path),
                    f"no {lang!r} translation ({doc.stem}.{lang}.md) beside the source",
                )
                for lang in missing
            ]
        )
    return list(dict.fromkeys(requested))
