"""Building a pack: its jobs through the engine's cache and executors, then its folder.

The articles were loaded and checked before (``api.prepare``, every language the pack
prints); here the markings are ranked (an article above its pack is refused), the pack's
jobs are answered from the cache or rendered, and ``output/packs/NAME/`` is written with
its ``manifest.json`` — and ``output/packs/NAME.zip`` when asked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

from ..engine.build import EngineResult, Progress, finish_folder
from ..engine.cache import Cache
from ..engine.executors import executor_for
from ..engine.job import PROJECT, Job, JobResult, real_location
from ..errors import DocgenError, Problem
from ..model import Document
from ..options import RenderOptions
from ..output import safe_output_dir, write_atomic
from ..pack.archive import epoch_date_time
from ..pack.manifest import OutputEntry
from ..project import Project
from .classify import pack_marking
from .config import Pack, PackConfig
from .job import pack_jobs, run_pack_job

if TYPE_CHECKING:
    from ..signing.build import BuildSigner

PACKS_DIR = "packs"
"""Packs are written to ``output/packs/NAME/``, beside the articles' folders."""


def article_paths(pack: Pack, project: Project) -> list[Path]:
    """The pack's article sources, in the pack's order."""
    return [project.source_dir / f"{name}.md" for name in pack.articles]


def pack_languages(pack: Pack, first: Document, requested: Sequence[str] = ()) -> tuple[str, ...]:
    """The languages the binder is printed in: those asked (``--lang``), else the pack's."""
    asked = [lang for lang in requested if lang != "all"]
    return tuple(dict.fromkeys(asked)) or pack.languages_for(first.source_lang)


def check_markings(pack: Pack, config: PackConfig, docs: Sequence[Document]) -> None:
    """Every article's marking is known and none is above the pack's."""
    problems = pack_marking(pack, docs, config.levels).problems
    if problems:
        raise DocgenError(list(problems))


def run_pack(
    pack: Pack,
    articles: Sequence[dict[str, Document]],
    *,
    languages: Sequence[str],
    project: Project,
    options: RenderOptions,
    output_root: Path,
    jobs: int = 1,
    scheduler: str | None = None,
    cache: Cache | None = None,
    zip_packs: bool = False,
    on_file: Callable[[Path], None] | None = None,
    on_progress: Progress | None = None,
    signer: BuildSigner | None = None,
) -> EngineResult:
    """Render (or fetch from the cache) the pack's outputs, then write its folder (every
    PDF and the manifest signed with ``signer``, as an article's)."""
    result = EngineResult()
    planned = pack_jobs(pack, articles, project, options, languages)
    results: dict[str, JobResult] = {}
    pending: list[Job] = []
    for job in planned:
        hit = cache.get(job.key()) if cache is not None else None
        if hit is None:
            pending.append(job)
            continue
        results[job.output] = hit
        result.cached += 1
        if on_progress:
            on_progress(len(results), len(planned), job, True)
    problems: list[Problem] = []
    error_type: type[DocgenError] = DocgenError
    roots = {PROJECT: project.root}
    if pending:
        with executor_for(1 if len(pending) == 1 and not scheduler else jobs, scheduler) as pool:
            futures: list[tuple[Future[JobResult], Job]] = [
                (pool.submit(run_pack_job, job), job) for job in pending
            ]
            for future, job in futures:
                try:
                    results[job.output] = future.result()
                except DocgenError as exc:
                    problems += [real_location(p, roots) for p in exc.problems]
                    error_type = type(exc)
                    continue
                result.rendered += 1
                if cache is not None:
                    cache.put(job.key(), results[job.output])
                if on_progress:
                    on_progress(len(results), len(planned), job, False)
    if problems:
        raise error_type(problems)
    for job in planned:
        result.warnings += [real_location(p, roots) for p in results[job.output].warnings]
    _write(
        pack,
        planned,
        results,
        output_root=output_root,
        options=options,
        zip_packs=zip_packs,
        result=result,
        on_file=on_file,
        signer=signer,
    )
    return result


def _write(
    pack: Pack,
    planned: list[Job],
    results: dict[str, JobResult],
    *,
    output_root: Path,
    options: RenderOptions,
    zip_packs: bool,
    result: EngineResult,
    on_file: Callable[[Path], None] | None,
    signer: BuildSigner | None = None,
) -> None:
    """The pack's files, then its manifest, then its zip: as an article's pack is written,
    outputs of an earlier build that this one did not make (``-f pdf`` after a full build)
    staying listed while their files are intact, so the folder always matches its
    manifest."""
    folder = safe_output_dir(output_root / PACKS_DIR, pack.name)
    entries: list[OutputEntry] = []
    inputs: dict[str, str] = {}
    for job in planned:
        for output in results[job.output].outputs:
            path = folder / output.name
            language = job.lang or "+".join(pack.languages or pack.title.languages)
            data = output.data
            if signer is not None:
                data = signer.sign_file(output.name, data, job.lang or language.split("+")[0])
            write_atomic(path, lambda temp, data=data: temp.write_bytes(data))  # type: ignore[misc]
            result.files.append(path)
            if on_file:
                on_file(path)
            inputs.update(job.inputs())
            digest = hashlib.sha256(data).hexdigest()
            entries.append(
                OutputEntry(
                    output.name,
                    job.product,
                    job.fmt,
                    language,
                    output.pages,
                    len(data),
                    digest,
                )
            )
    finish_folder(
        folder,
        pack.name,
        entries,
        inputs,
        epoch_date_time(options.source_date_epoch, pack.date),
        sign_manifest=signer.sign_manifest if signer is not None else None,
        zip_packs=zip_packs,
        result=result,
        on_file=on_file,
    )
