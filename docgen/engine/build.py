"""The coordinator: jobs out, bytes back, one article's pack written at a time.

Every article was loaded and checked before (``api.prepare``). Here each output becomes a
job; jobs whose key is in the cache are answered from it, the others go to the executor,
all articles interleaved. When all of an article's jobs are back, its files and its
``manifest.json`` are written together (atomic replaces), and its zip if asked. An
article with a failed job writes nothing; the others are still written, and the build
then fails naming each failure.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from pathlib import Path

from .. import products
from ..errors import DocgenError, Problem
from ..model import Document
from ..options import RenderOptions
from ..output import remove_stale_temporaries, safe_output_dir, write_atomic
from ..pack.archive import DateTime, epoch_date_time, write_zip
from ..pack.manifest import Manifest, OutputEntry, engine_versions, parse_manifest
from ..pack.names import MANIFEST_NAME, SIGNATURE_NAME
from ..project import Project
from .cache import Cache
from .executors import InlineExecutor, executor_for
from .inputs import InputReader
from .job import ARTICLE, PROJECT, Job, JobResult, builtin_digest, real_location, run_job


@dataclass
class ArticlePlan:
    """One article's jobs and where its pack goes."""

    doc: Document
    target_dir: Path
    jobs: list[Job] = field(default_factory=list)
    languages: dict[str, str] = field(default_factory=dict)
    """The language(s) of each output, as the manifest records them (``fr+en``)."""
    results: dict[str, JobResult] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    error_type: type[DocgenError] = DocgenError


@dataclass
class EngineResult:
    """What the engine made: the files written and the warnings to show."""

    files: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    rendered: int = 0
    cached: int = 0


Progress = Callable[[int, int, Job, bool], None]


def plan(
    prepared: Sequence[tuple[Document, dict[str, Document]]],
    pairs: Sequence[tuple[products.ProductInfo, str]],
    project: Project,
    options: RenderOptions,
    output_root: Path,
) -> list[ArticlePlan]:
    """A job per article, product, format and language, with its input bytes."""
    reader = InputReader(project, options.theme)
    builtin = builtin_digest()
    versions = engine_versions()
    plans = []
    for doc, by_lang in prepared:
        article = ArticlePlan(doc, safe_output_dir(output_root, doc.stem))
        for product, fmt in pairs:
            targets = list(by_lang.values()) if product.per_language else [doc]
            for target in targets:
                lang = target.lang if product.per_language else ""
                files = reader.files(target)
                output = product.output_name(target.lang, fmt)
                article.languages[output] = lang or _sheet_languages(doc, project)
                article.jobs.append(
                    Job(
                        article=doc.stem,
                        product=product.name,
                        fmt=fmt,
                        lang=lang,
                        output=output,
                        source=reader.name(doc.path, doc.path.parent),
                        files=files,
                        digests=reader.digests(files),
                        draft=options.draft,
                        pdf_variant=options.pdf_variant,
                        source_date_epoch=options.source_date_epoch,
                        builtin=builtin,
                        versions=versions,
                        time_limit=project.time_limit,
                    )
                )
        plans.append(article)
    return plans


Finish = Callable[[ArticlePlan, list[tuple[str, bytes, Job]]], list[tuple[str, bytes, Job]]]
"""A last step on an article's outputs before they are written (signing)."""


def run(
    plans: list[ArticlePlan],
    project: Project,
    *,
    jobs: int = 1,
    scheduler: str | None = None,
    cache: Cache | None = None,
    zip_packs: bool = False,
    source_date_epoch: int | None = None,
    on_progress: Progress | None = None,
    on_file: Callable[[Path], None] | None = None,
    finish: Finish | None = None,
    sign_manifest: Callable[[bytes], bytes] | None = None,
) -> EngineResult:
    """Run every plan's jobs (cache first), then write each complete article."""
    result = EngineResult()
    counter = _Counter(sum(len(p.jobs) for p in plans), on_progress)
    pending: list[tuple[ArticlePlan, Job]] = []
    for article in plans:
        for job in article.jobs:
            hit = cache.get(job.key()) if cache is not None else None
            if hit is None:
                pending.append((article, job))
                continue
            article.results[job.output] = hit
            result.cached += 1
            counter.step(job, cached=True)
    if pending:
        _render(
            pending,
            project,
            jobs=jobs,
            scheduler=scheduler,
            cache=cache,
            counter=counter,
            result=result,
        )
    failures: list[Problem] = []
    error_type: type[DocgenError] = DocgenError
    for article in plans:
        if article.problems:
            failures += article.problems
            error_type = article.error_type
            continue
        roots = {PROJECT: project.root, ARTICLE: article.doc.path.parent}
        outputs: list[tuple[str, bytes, Job]] = []
        pages: dict[str, int | None] = {}
        for job in article.jobs:
            job_result = article.results[job.output]
            result.warnings += [real_location(p, roots) for p in job_result.warnings]
            outputs += [(out.name, out.data, job) for out in job_result.outputs]
            pages.update((out.name, out.pages) for out in job_result.outputs)
        if finish is not None:
            outputs = finish(article, outputs)
        _write_pack(
            article,
            outputs,
            pages=pages,
            source_date_epoch=source_date_epoch,
            zip_packs=zip_packs,
            result=result,
            on_file=on_file,
            sign_manifest=sign_manifest,
        )
    if failures:
        raise error_type(failures)
    return result


@dataclass
class _Counter:
    """The progress line's counts of jobs done and to do."""

    total: int
    on_progress: Progress | None
    done: int = 0

    def step(self, job: Job, cached: bool = False) -> None:
        self.done += 1
        if self.on_progress:
            self.on_progress(self.done, self.total, job, cached)


def _render(
    pending: list[tuple[ArticlePlan, Job]],
    project: Project,
    *,
    jobs: int,
    scheduler: str | None,
    cache: Cache | None,
    counter: _Counter,
    result: EngineResult,
) -> None:
    """The jobs the cache could not answer, every article's interleaved.

    Once one job of an article fails (a time-out, a sheet that cannot fit), the article's
    jobs not yet started are cancelled: it will be written nothing anyway, and a hostile
    article then holds the build for one time limit, not one per output."""

    def done(article: ArticlePlan, job: Job, outcome: Future[JobResult]) -> None:
        try:
            job_result = outcome.result()
        except DocgenError as exc:
            roots = {PROJECT: project.root, ARTICLE: article.doc.path.parent}
            article.problems += [real_location(p, roots) for p in exc.problems]
            article.error_type = type(exc)
        else:
            article.results[job.output] = job_result
            result.rendered += 1
            if cache is not None:
                cache.put(job.key(), job_result)
        counter.step(job)

    if not scheduler and (len(pending) == 1 or jobs <= 1):
        from ..worker import render_session

        inline = InlineExecutor()
        with render_session():  # one render child, kept warm, for every job of the build
            for article, job in pending:
                if article.problems:
                    counter.step(job)  # cancelled: its article already failed
                else:
                    done(article, job, inline.submit(run_job, job))
        return
    queue = list(reversed(pending))
    # Locally, one job per worker: a job is started only when a worker is free, so none is
    # started for an article that already failed. A cluster schedules (and cancels) itself.
    in_flight = len(pending) if scheduler else max(jobs, 1)
    formats = tuple(sorted({job.fmt for _, job in pending}))
    with executor_for(jobs, scheduler, formats) as executor:
        futures: dict[Future[JobResult], tuple[ArticlePlan, Job]] = {}

        def submit_more() -> None:
            while queue and len(futures) < in_flight:
                article, job = queue.pop()
                if article.problems:
                    counter.step(job)  # not started: its article already failed
                else:
                    futures[executor.submit(run_job, job)] = (article, job)

        submit_more()
        while futures:
            finished, _ = wait(futures, return_when=FIRST_COMPLETED)
            for future in finished:
                article, job = futures.pop(future)
                done(article, job, future)
                if article.problems:  # its queued jobs, on a cluster
                    for other, (owner, queued) in list(futures.items()):
                        if owner is article and other.cancel():
                            del futures[other]
                            counter.step(queued)
            submit_more()


def _write_pack(
    article: ArticlePlan,
    outputs: list[tuple[str, bytes, Job]],
    *,
    pages: dict[str, int | None],
    source_date_epoch: int | None,
    zip_packs: bool,
    result: EngineResult,
    on_file: Callable[[Path], None] | None,
    sign_manifest: Callable[[bytes], bytes] | None = None,
) -> None:
    """The article's files, then its manifest (and its signature), then its zip.

    Outputs of an earlier build that this one did not make (``-p brief`` after a full
    build) stay listed while their files are intact, so the folder always matches its
    manifest."""
    stamp = epoch_date_time(source_date_epoch, article.doc.meta.date)
    remove_stale_temporaries(article.target_dir)
    entries = []
    inputs: dict[str, str] = {}
    for name, data, job in outputs:
        path = article.target_dir / name
        write_atomic(path, lambda temp, data=data: temp.write_bytes(data))  # type: ignore[misc]
        result.files.append(path)
        if on_file:
            on_file(path)
        inputs.update(job.inputs())
        language = article.languages.get(job.output, job.lang)
        entries.append(
            OutputEntry(
                name,
                job.product,
                job.fmt,
                language,
                pages.get(name),
                len(data),
                hashlib.sha256(data).hexdigest(),
            )
        )
    finish_folder(
        article.target_dir,
        article.doc.stem,
        entries,
        inputs,
        stamp,
        sign_manifest=sign_manifest,
        zip_packs=zip_packs,
        result=result,
        on_file=on_file,
    )


def finish_folder(
    folder: Path,
    name: str,
    entries: list[OutputEntry],
    inputs: dict[str, str],
    stamp: DateTime,
    *,
    sign_manifest: Callable[[bytes], bytes] | None,
    zip_packs: bool,
    result: EngineResult,
    on_file: Callable[[Path], None] | None,
) -> None:
    """After an article's or a pack's files: its manifest — outputs of an earlier build
    that this one did not make listed while their files are intact — its signature (an
    unsigned build removes the old one), then its zip."""
    kept, kept_inputs = earlier_entries(folder, {e.path for e in entries})
    for input_name, digest in kept_inputs.items():
        inputs.setdefault(input_name, digest)
    manifest = Manifest(
        article=name,
        outputs=tuple(entries + kept),
        inputs=tuple(sorted(inputs.items())),
        versions=engine_versions(),
        build_date=f"{stamp[0]:04d}-{stamp[1]:02d}-{stamp[2]:02d}",
    )
    data = manifest.to_bytes()
    signature_path = folder / SIGNATURE_NAME
    signature = sign_manifest(data) if sign_manifest is not None else None
    write_atomic(folder / MANIFEST_NAME, lambda temp: temp.write_bytes(data))
    if signature is not None:
        write_atomic(signature_path, lambda temp: temp.write_bytes(signature))
        result.files.append(signature_path)
    else:
        signature_path.unlink(missing_ok=True)  # it signed a manifest that is gone
    if zip_packs:
        target = folder.with_suffix(".zip")
        write_zip(folder, target, stamp)
        result.files.append(target)
        if on_file:
            on_file(target)


def earlier_entries(folder: Path, made: set[str]) -> tuple[list[OutputEntry], dict[str, str]]:
    """The earlier manifest's entries for files this build did not make and that are
    still intact, and that manifest's inputs."""
    try:
        earlier = parse_manifest((folder / MANIFEST_NAME).read_bytes(), folder / MANIFEST_NAME)
    except (OSError, DocgenError):
        return [], {}
    kept = []
    for entry in earlier.outputs:
        if entry.path in made:
            continue
        try:
            data = (folder / entry.path).read_bytes()
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest() == entry.sha256:
            kept.append(entry)
    return kept, dict(earlier.inputs)


def _sheet_languages(doc: Document, project: Project) -> str:
    """The sheet's two languages, ``fr+en``."""
    from ..bilingual import sheet_languages

    try:
        first, second = sheet_languages(doc, project.languages)
    except DocgenError:
        return doc.source_lang
    return f"{first}+{second}"


def terminal_progress(quiet: bool) -> Progress | None:
    """``[12/52] brief.en.pdf  maroc-kazakhstan`` on a terminal; nothing under --quiet or
    when standard error is not a terminal."""
    if quiet or not sys.stderr.isatty():
        return None

    def show(done: int, total: int, job: Job, cached: bool) -> None:
        note = "  (cached)" if cached else ""
        line = f"[{done}/{total}] {job.output}  {job.article}{note}"
        sys.stderr.write("\r\033[K" + line + ("\n" if done == total else ""))
        sys.stderr.flush()

    return show
