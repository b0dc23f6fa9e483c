"""A pack's outputs as engine jobs: ``binder.LANG.pdf``, ``binder.LANG.docx``, ``sheets.pdf``.

A pack job is an ``engine.job.Job`` (product ``binder`` or ``sheets``) whose inputs are the
inputs of every article of the pack, in every language it prints, and ``docgen.toml``,
which holds the pack table. Its key is therefore the cache key of the pack: building a pack
after its articles reuses nothing it cannot, and renders nothing when nothing changed.
``run_pack_job`` renders from those bytes alone, in a private folder, like ``run_job``:
the same in this process, a pool worker or a Dask worker.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..engine.inputs import InputReader
from ..engine.job import PROJECT, Job, JobResult, builtin_digest, job_folder, virtual
from ..formats import RenderResult
from ..model import Document
from ..options import RenderOptions
from ..pack.manifest import engine_versions
from ..project import Project
from .config import Pack

BINDER = "binder"
SHEETS = "sheets"


def pack_jobs(
    pack: Pack,
    articles: Sequence[dict[str, Document]],
    project: Project,
    options: RenderOptions,
    languages: Sequence[str],
) -> list[Job]:
    """The pack's jobs: a binder per language in PDF (briefs) and Word (reports), and the
    sheets, as the pack's ``products`` ask."""
    reader = InputReader(project, options.theme)
    named: dict[str, bytes] = {}
    for by_lang in articles:
        for doc in by_lang.values():
            named.update(reader.files(doc))
    files = tuple(sorted(named.items()))
    config = reader.name(project.config_path or project.root / "docgen.toml", project.root)
    wanted: list[tuple[str, str, str, str]] = []
    for lang in languages:
        if "brief" in pack.products:
            wanted.append((BINDER, "pdf", lang, f"binder.{lang}.pdf"))
        if "report" in pack.products:
            wanted.append((BINDER, "docx", lang, f"binder.{lang}.docx"))
    if "sheet" in pack.products:
        wanted.append((SHEETS, "pdf", "", "sheets.pdf"))
    return [
        Job(
            article=pack.name,
            product=product,
            fmt=fmt,
            lang=lang,
            output=output,
            source=config,
            files=files,
            draft=options.draft,
            pdf_variant=options.pdf_variant,
            source_date_epoch=options.source_date_epoch,
            builtin=builtin_digest(),
            versions=engine_versions(),
            time_limit=project.time_limit,
        )
        for product, fmt, lang, output in wanted
    ]


def run_pack_job(job: Job) -> JobResult:
    """Render one of a pack's outputs from the job's bytes, in a folder removed after."""
    with job_folder(job, (PROJECT,), "docgen-pack-") as root:
        return _render_in(root, job)


def _render_in(root: Path, job: Job) -> JobResult:
    from .. import loading
    from ..project import load_project
    from ..theme import load_theme
    from ..worker import run_limited
    from .classify import pack_marking
    from .config import load_packs

    project = load_project(root / PROJECT)
    config = load_packs(project)
    pack = config.get(job.article)
    options = RenderOptions(
        project,
        draft=job.draft,
        pdf_variant=job.pdf_variant,
        theme=load_theme(project),
        source_date_epoch=job.source_date_epoch,
    )
    docs = [
        loading.load_with_warnings(project.source_dir / f"{name}.md", job.lang or None, project)[0]
        for name in pack.articles
    ]
    marking = pack_marking(pack, docs, config.levels)
    limit = project.time_limit if job.time_limit is None else job.time_limit
    args = (pack, docs, marking.text(config.levels, job.lang or docs[0].lang), options, job.lang)
    result: RenderResult = run_limited(
        _RENDERERS[(job.product, job.fmt)], args, limit, Path(job.output), pack.config_path
    )
    return JobResult(result.outputs, tuple(virtual(p, root) for p in result.warnings))


def _binder_pdf(
    pack: Pack, docs: list[Document], marking: str, options: RenderOptions, lang: str
) -> RenderResult:
    from .. import loading
    from .compose import render_pdf

    editions = [
        loading.edition_of(doc, "brief", options.project, draft=options.draft) for doc in docs
    ]
    return render_pdf(pack, editions, marking, options, lang)  # type: ignore[arg-type]


def _binder_docx(
    pack: Pack, docs: list[Document], marking: str, options: RenderOptions, lang: str
) -> RenderResult:
    from .. import loading
    from .word import render_docx

    editions = [
        loading.edition_of(doc, "report", options.project, draft=options.draft) for doc in docs
    ]
    return render_docx(pack, editions, marking, options, lang)  # type: ignore[arg-type]


def _sheets(
    pack: Pack, docs: list[Document], marking: str, options: RenderOptions, lang: str
) -> RenderResult:
    from .sheets import render_sheets

    return render_sheets(pack, docs, options)


_RENDERERS = {
    (BINDER, "pdf"): _binder_pdf,
    (BINDER, "docx"): _binder_docx,
    (SHEETS, "pdf"): _sheets,
}
