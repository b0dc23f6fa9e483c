"""The library's use cases — load, check, build — that the CLI and scripts call.

Orchestration only: reading is ``source``, the transforms are ``typography``, the
editions are ``editions``', drawing is the format backends'. Each article is loaded once
per language and checked (``prepare``); then every (product, format, language) is rendered
to bytes, and an article's outputs are written together once all of them succeeded.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import formats, products, source
from .errors import DocgenError, Location, Problem
from .formats import RenderResult
from .i18n import stale_units
from .loading import edition_of, load_with_warnings
from .model import Document
from .options import RenderOptions
from .project import Project, load_project
from .resources import readable_roots
from .theme import load_theme

if TYPE_CHECKING:  # the engine is imported by ``build`` alone: ``check`` does without it
    from .editions import Edition
    from .engine import build as engine
    from .engine.build import Progress
    from .engine.cache import Cache

__all__ = [
    "BuildResult",
    "build",
    "check",
    "clean",
    "edition_of",
    "load",
    "load_with_warnings",
    "prepare",
    "render",
    "resolve_article",
    "selection",
    "sources_of",
]


def load(path: str | Path, lang: str | None = None) -> Document:
    """An article as a document model, typography applied, in ``lang`` (default: its own)."""
    doc, _warnings = load_with_warnings(Path(path), lang)
    return doc


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
    """The articles to work on: those named (a folder stands for its articles), or every
    article of the project; each once, in the order given."""
    if not paths:
        paths = [project.source_dir]
        if not project.source_dir.is_dir():
            hint = (
                "name the articles to build"
                if project.config_path
                else "no docgen.toml here or above; start a project with `docgen init`,"
                " or name the articles to build"
            )
            raise DocgenError.at(project.source_dir, f"no source folder; {hint}")
    found: list[Path] = []
    for given in map(Path, paths):
        if given.is_dir():
            articles = source.discover(given)
            if not articles:
                raise DocgenError.at(given, "no article (*.md) in this folder")
            found.extend(articles)
        else:
            found.append(given)
    return list(dict.fromkeys(found))


@dataclass
class BuildResult:
    """What a build wrote and what it warned about."""

    files: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    rendered: int = 0
    cached: int = 0


@dataclass
class Prepared:
    """An article ready to render: its document in every language asked for."""

    doc: Document
    by_lang: dict[str, Document]


def prepare(
    paths: Sequence[str | Path],
    project: Project,
    chosen: Sequence[str],
    languages: Sequence[str],
    *,
    draft: bool = False,
    strict: bool = False,
    typeset: bool = True,
) -> tuple[list[Prepared], list[Problem]]:
    """Load and check every article in every language, before anything is written.

    Everything a build can refuse is found here, for all articles at once: source errors,
    the image policy, missing translations (errors unless ``draft``), stale translations
    (errors under ``strict``), each product's own checks. Raises ``DocgenError`` listing
    every error; returns the prepared articles and the warnings. ``typeset=False``: the
    documents as written, for ``check``, which only wants the problems.
    """
    with source.loading_once():
        return _prepare(
            paths, project, chosen, languages, draft=draft, strict=strict, typeset=typeset
        )


def _prepare(
    paths: Sequence[str | Path],
    project: Project,
    chosen: Sequence[str],
    languages: Sequence[str],
    *,
    draft: bool,
    strict: bool,
    typeset: bool,
) -> tuple[list[Prepared], list[Problem]]:
    from .bilingual import untranslated

    prepared: list[Prepared] = []
    problems: list[Problem] = []
    lenient = "warning" if draft and not strict else "error"  # missing images, translations
    for path in sources_of(project, paths):
        try:
            doc, found = load_with_warnings(path, None, project, lenient, typeset=typeset)
            by_lang = {doc.lang: doc}
            building = _languages(doc, languages)
            for lang in building:
                if lang not in by_lang:
                    by_lang[lang], more = load_with_warnings(
                        path, lang, project, lenient, typeset=typeset
                    )
                    found += more + _severity(untranslated(doc, (lang,)), draft)
            severity = "error" if strict else "warning"
            roots = readable_roots(project, path.parent)
            found += stale_units(path, severity, roots, lenient, tuple(building))
            for name in chosen:
                found += products.get(name).checks(doc, project, draft)
        except DocgenError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(found)
        prepared.append(Prepared(doc, by_lang))
    problems = once(problems)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise DocgenError(errors)
    return prepared, problems


def once(problems: list[Problem], strict: bool = False) -> list[Problem]:
    """Each problem once (the same text at the same place, found by two checks), as an
    error if either check made it one; every one an error under ``strict``."""
    graded: dict[tuple[Location, str], str] = {}
    for p in problems:
        severity = "error" if strict else p.severity
        key = (p.location, p.message)
        graded[key] = "error" if "error" in (severity, graded.get(key)) else severity
    return [Problem(where, message, severity) for (where, message), severity in graded.items()]


def _severity(problems: list[Problem], draft: bool) -> list[Problem]:
    """Missing translations are errors, or warnings when building a draft."""
    severity = "warning" if draft else "error"
    return [Problem(p.location, p.message, severity) for p in problems]


def selection(
    project: Project, chosen_products: Sequence[str] = (), chosen_formats: Sequence[str] = ()
) -> list[tuple[products.ProductInfo, str]]:
    """The (product, format) pairs to build: those asked on the command line, else those
    ``docgen.toml`` names, else every product in its default formats. ``summary``, a
    format name of docgen 0.1, stands for the sheet product."""
    wanted_products = list(chosen_products or project.products)
    wanted_formats: list[str] = []
    asked = list(chosen_formats or project.formats)
    if any(name in products.ALIASES for name in asked):
        wanted_products += [products.LEGACY_FORMATS.get(name, name) for name in asked]
    else:
        wanted_formats = asked
    for name in wanted_products:
        if name not in products.names():
            raise DocgenError.at(
                Path("--product"),
                f"unknown product {name!r}; known: {', '.join(products.names())}",
            )
    for name in wanted_formats:
        if name not in formats.names():
            raise DocgenError.at(
                Path("--format"), f"unknown format {name!r}; known: {', '.join(formats.names())}"
            )
    pairs = products.select(wanted_products, wanted_formats)
    if not pairs:
        among = ", ".join(wanted_products)
        raise DocgenError.at(
            Path("--format"),
            f"no product offers {' or '.join(wanted_formats)}"
            + (f" among {among}" if among else ""),
        )
    return pairs


def check(
    paths: Sequence[str | Path] = (), project: Project | None = None, packs: Sequence[str] = ()
) -> list[Problem]:
    """Validate articles as a build would, in every language they have, without rendering;
    ``packs``: every article of those packs, and their markings (docs/binder.md). With no
    paths and no packs, the declared packs' tables are checked too.

    Raises ``DocgenError`` with every error found (stale translations included); returns
    the warnings.
    """
    from .template_check import compile_templates

    project = project or load_project()
    theme = load_theme(project)
    pairs = selection(project)
    chosen = list(dict.fromkeys(p.name for p, _ in pairs))
    used = [p.template for p, fmt in pairs if fmt != "docx" and p.template]
    broken = compile_templates(project, list(dict.fromkeys(used)))
    if broken:
        raise DocgenError(broken)
    config = None
    if packs or not paths:
        from .binder.config import load_packs  # packs only: an article's check does without

        config = load_packs(project)
    warnings: list[Problem] = []
    for name in packs:
        from .binder.build import article_paths, check_markings  # the engine: only for packs

        pack = config.get(name) if config else None
        assert pack is not None
        ready, found = prepare(article_paths(pack, project), project, chosen, ["all"], strict=True)
        check_markings(pack, config, [item.doc for item in ready])  # type: ignore[arg-type]
        warnings += found
    if not packs:
        warnings += prepare(paths, project, chosen, ["all"], strict=True, typeset=False)[1]
    return [*theme.warnings, *warnings]


def render(edition: Edition, fmt: str, options: RenderOptions) -> RenderResult:
    """One edition in one format, in this process (no time limit): bytes and warnings."""
    return formats.get(fmt).load()(edition, options)


def build(
    paths: Sequence[str | Path] = (),
    *,
    formats: Sequence[str] = (),
    products: Sequence[str] = (),
    languages: Sequence[str] = (),
    output: str | Path | None = None,
    project: Project | None = None,
    draft: bool = False,
    pdf_variant: str | None = None,
    strict: bool = False,
    jobs: int = 1,
    scheduler: str | None = None,
    use_cache: bool = True,
    zip_packs: bool = False,
    sign: Path | None = None,
    on_file: Callable[[Path], None] | None = None,
    on_progress: Progress | None = None,
    packs: Sequence[str] = (),
) -> BuildResult:
    """Build articles into ``output/<stem>/``: every product and format asked for, and a
    ``manifest.json`` per article (``docgen.engine``).

    Every article is loaded and checked in every language before anything is written
    (``prepare``); each output is a job, answered from the project's cache when its
    inputs are unchanged, else rendered — ``jobs`` at a time, or on the Dask cluster at
    ``scheduler``. An article's outputs are written together once all of them succeeded.
    With ``sign`` (a PKCS#12 file) or a ``[signing]`` table, every PDF and the manifest
    are signed (``docgen.signing.build``); the key is checked before anything renders.
    ``packs`` builds those briefing packs instead (``output/packs/NAME/``); with no paths,
    the declared packs are built after the articles (``docgen.binder``).
    """
    from .engine import build as engine
    from .engine.cache import CACHE_DIR, Cache
    from .pack.archive import source_date_epoch
    from .signing.build import prepare_signing

    started = time.perf_counter()
    project = project or load_project()
    pairs = selection(project, products, formats)
    chosen = list(dict.fromkeys(product.name for product, _ in pairs))
    output_root = Path(output).resolve() if output else project.output_dir
    theme = load_theme(project)
    epoch = source_date_epoch()
    options = RenderOptions(
        project, draft=draft, pdf_variant=pdf_variant, theme=theme, source_date_epoch=epoch
    )
    with source.loading_once():  # the checks and the job inputs share one read
        prepared, warnings = (
            prepare(
                paths, project, chosen, languages or project.languages, draft=draft, strict=strict
            )
            if not packs
            else ([], [])
        )
        warnings = [*theme.warnings, *warnings]
        if strict and warnings:  # --strict: unattended builds stop at any warning
            raise DocgenError(once(warnings, strict=True))
        plans = engine.plan(
            [(item.doc, item.by_lang) for item in prepared], pairs, project, options, output_root
        )
    signer, signing_warnings = prepare_signing(project.signing, sign)
    warnings += signing_warnings
    cache = Cache(project.root / CACHE_DIR, read=use_cache)
    pack_runs = (
        _build_packs(
            packs, project, options, output_root, languages=languages, strict=strict, cache=cache
        )
        if packs or not paths
        else []
    )
    done = engine.run(
        plans,
        project,
        jobs=jobs,
        scheduler=scheduler,
        cache=cache,
        zip_packs=zip_packs,
        source_date_epoch=epoch,
        on_progress=on_progress,
        on_file=on_file,
        finish=signer.sign_outputs if signer else None,
        sign_manifest=signer.sign_manifest if signer else None,
    )
    for run_pack in pack_runs:
        more = run_pack(
            jobs=jobs, scheduler=scheduler, zip_packs=zip_packs, on_file=on_file, signer=signer
        )
        done.files += more.files
        done.warnings += more.warnings
        done.rendered, done.cached = done.rendered + more.rendered, done.cached + more.cached
    if strict and done.warnings:
        raise DocgenError(once(done.warnings, strict=True))
    result = BuildResult(files=done.files, warnings=warnings + done.warnings)
    result.rendered, result.cached = done.rendered, done.cached
    result.seconds = time.perf_counter() - started
    return result


def _build_packs(
    names: Sequence[str],
    project: Project,
    options: RenderOptions,
    output_root: Path,
    *,
    languages: Sequence[str],
    strict: bool,
    cache: Cache | None,
) -> list[Callable[..., engine.EngineResult]]:
    """Every pack asked for (default: every declared one), checked before any renders:
    its articles in each language it prints, and their markings (docgen.binder)."""
    from functools import partial

    from .binder.build import article_paths, check_markings, pack_languages, run_pack
    from .binder.config import load_packs

    config = load_packs(project)
    runs: list[Callable[..., engine.EngineResult]] = []
    for pack in [config.get(name) for name in names] or list(config.packs.values()):
        products = [p for p in ("brief", "report") if p in pack.products]
        first, _found = load_with_warnings(article_paths(pack, project)[0], project=project)
        langs = pack_languages(pack, first, languages)
        ready, _warnings = prepare(
            article_paths(pack, project),
            project,
            products,
            langs,
            draft=options.draft,
            strict=strict,
        )
        check_markings(pack, config, [item.doc for item in ready])
        articles = [item.by_lang for item in ready]
        runs.append(
            partial(
                run_pack,
                pack,
                articles,
                languages=langs,
                project=project,
                options=options,
                output_root=output_root,
                cache=cache,
            )
        )
    return runs


def clean(project: Project | None = None) -> int:
    """Empty the project's build cache; the number of entries removed."""
    from .engine.cache import CACHE_DIR, Cache

    project = project or load_project()
    return Cache(project.root / CACHE_DIR).clear()


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
