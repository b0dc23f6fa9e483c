"""The ``docgen`` command: argument parsing and printing only, logic lives in ``api``.

Exit status: 0 success, 2 bad input (source, template, config, command line), 1 internal
error. Bad input prints ``path:line:col: error: …`` lines and never a traceback; ``--debug``
shows the traceback of internal errors.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from . import formats, products
from .errors import DocgenError, Problem, display_path
from .options import PDF_VARIANTS
from .version import __version__

F = TypeVar("F", bound=Callable[..., Any])

GC_THRESHOLDS = (50_000, 20, 100)
"""The collector's thresholds for a ``docgen`` process (Python's are 700, 10, 10)."""


def collect_less_often() -> None:
    """Run Python's cycle collector less often in this process and its children.

    A build allocates a great many short-lived objects (tokens, model nodes, boxes), few of
    them in cycles; at Python's default thresholds the collector runs often and traverses
    every live object, WeasyPrint's included, at each full collection. With it switched
    off, the seed's cold build took about 0.1 s less of its 1.5 s of CPU. Raised thresholds
    (mypy raises its own to 200 000, 30, 30 for the same reason) keep collections rare; the
    peak memory of the seed's build did not change (84 MB). Forked render children inherit
    the setting."""
    gc.set_threshold(*GC_THRESHOLDS)


def _print_problems(problems: list[Problem]) -> None:
    for problem in dict.fromkeys(problems):  # each once, whichever checks found it
        click.echo(str(problem), err=True)


def _reporting(command: F) -> F:
    """Turn library exceptions into messages and exit statuses."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        debug = bool(ctx.find_root().params.get("debug"))
        try:
            return command(*args, **kwargs)
        except DocgenError as exc:
            _print_problems(exc.problems)
            count = sum(1 for p in exc.problems if p.severity == "error")
            if count > 1:
                click.echo(f"{count} errors", err=True)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            # The reader (``| head``) went away: stop quietly, as Unix tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except KeyboardInterrupt:
            click.echo("interrupted; previous outputs are intact", err=True)
            ctx.exit(130)
        except click.exceptions.Exit:
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if debug:
                traceback.print_exc()
                click.echo(getattr(exc, "details", ""), err=True, nl=False)
            click.echo(f"docgen: internal error: {type(exc).__name__}: {exc}", err=True)
            if not debug:
                click.echo("re-run with --debug for the traceback, and report it", err=True)
            ctx.exit(1)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="docgen")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def main(debug: bool) -> None:
    """Build briefing packs — PDF brief, Word report, bilingual sheet — from Markdown."""
    collect_less_often()


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "-f",
    "formats",
    multiple=True,
    type=click.Choice([*formats.names(), *products.ALIASES]),
    help="Output format (repeatable): every chosen product's files of that type;"
    " default: docgen.toml's formats, else each product's own. 'summary' means"
    " --product sheet.",
)
@click.option(
    "--product",
    "-p",
    "product_names",
    multiple=True,
    type=click.Choice(products.names()),
    help="Product to build (repeatable): brief (PDF), report (Word), sheet (bilingual,"
    " PDF and Word); default: docgen.toml's products, else all.",
)
@click.option(
    "--lang",
    "-l",
    "languages",
    multiple=True,
    metavar="LANG",
    help="Language to render (repeatable; 'all' for every translation);"
    " default: docgen.toml's languages, else the source's.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, file_okay=False),
    help="Output folder; default: the project's output/.",
)
@click.option(
    "--draft", is_flag=True, help="Build despite missing translations; mark the output DRAFT."
)
@click.option(
    "--pdf-variant",
    type=click.Choice(PDF_VARIANTS),
    help="Write PDFs as PDF/A (archival) or PDF/UA (accessibility); tagged PDF either way.",
)
@click.option(
    "--strict", is_flag=True, help="Turn every warning into an error (unattended builds)."
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Outputs rendered at once; default: the number of CPUs.",
)
@click.option(
    "--scheduler",
    metavar="tcp://HOST:PORT",
    help="Render on this Dask cluster instead (workers need docgen installed).",
)
@click.option("--force", is_flag=True, help="Render everything again, ignoring the cache.")
@click.option("--zip", "zip_packs", is_flag=True, help="Also write output/NAME.zip per article.")
@click.option(
    "--sign",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="CERT.p12",
    help="Sign every PDF (PAdES) and the manifest with this key; password from"
    " DOCGEN_SIGN_PASSWORD or a prompt. Default: docgen.toml's [signing] table.",
)
@click.option(
    "--pack", "packs", multiple=True, metavar="NAME", help="Build briefing pack NAME (repeatable)."
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but problems.")
@_reporting
def build(
    sources: tuple[Path, ...],
    formats: tuple[str, ...],
    product_names: tuple[str, ...],
    languages: tuple[str, ...],
    output: Path | None,
    draft: bool,
    pdf_variant: str | None,
    strict: bool,
    jobs: int | None,
    scheduler: str | None,
    force: bool,
    zip_packs: bool,
    sign: Path | None,
    packs: tuple[str, ...],
    quiet: bool,
) -> None:
    """Build SOURCES (default: every article in source/, and every pack of docgen.toml)
    into the output folder; --pack NAME: that briefing pack, in output/packs/NAME/."""
    from .api import build as run_build
    from .engine.build import terminal_progress
    from .engine.executors import default_jobs

    def report(path: Path) -> None:
        if not quiet:
            click.echo(f"wrote {display_path(path)} ({_size(path.stat().st_size)})")

    with _sigterm_stops():
        result = run_build(
            sources,
            formats=formats,
            products=product_names,
            languages=languages,
            output=output,
            draft=draft,
            pdf_variant=pdf_variant,
            strict=strict,
            jobs=jobs or default_jobs(),
            scheduler=scheduler,
            use_cache=not force,
            zip_packs=zip_packs,
            sign=sign,
            on_file=report,
            on_progress=terminal_progress(quiet),
            packs=packs,
        )
    _print_problems(result.warnings)
    if not quiet:
        click.echo(
            f"built {len(result.files)} file(s) in {result.seconds:.2f} s"
            f" ({result.rendered} rendered, {result.cached} from the cache)"
        )


@contextlib.contextmanager
def _sigterm_stops() -> Iterator[None]:
    """While building, SIGTERM stops the build as Ctrl-C does: workers stopped, nothing
    half-written. The previous handler comes back afterwards (docgen may run inside
    another program); off the main thread, where handlers cannot be set, nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@main.command()
@_reporting
def clean() -> None:
    """Empty the build cache (.docgen/cache); outputs are left alone."""
    from .api import clean as run_clean

    click.echo(f"removed {run_clean()} cached result(s)")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--trust",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="A trusted root certificate (PEM) for the signatures (repeatable).",
)
@_reporting
def verify(paths: tuple[Path, ...], trust: tuple[Path, ...]) -> None:
    """Check packs (folders or .zip files) against their manifests, and their signatures:
    exit 0 when every file is intact, 2 naming each changed, missing or extra file."""
    from .verify import verify_paths

    problems = verify_paths(list(paths), list(trust))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise DocgenError(problems)
    _print_problems(problems)
    for path in paths:
        click.echo(f"{display_path(path)}: intact")


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--pack", "packs", multiple=True, metavar="NAME", help="Check pack NAME's articles.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but problems.")
@_reporting
def check(sources: tuple[Path, ...], packs: tuple[str, ...], quiet: bool) -> None:
    """Validate SOURCES (default: every article in source/) as a build would, without
    rendering: every translation, stale translations, each format's requirements."""
    from .api import check as run_check
    from .api import sources_of
    from .project import load_project

    project = load_project()
    paths = [] if packs else sources_of(project, sources)
    warnings = run_check(paths, project, packs)
    _print_problems(warnings)
    if not quiet:
        click.echo(f"{len(paths)} article(s) OK" + (f", {len(packs)} pack(s) OK" if packs else ""))


@main.command()
@click.argument("source", required=False, type=click.Path(path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Interface to listen on; anything but 127.0.0.1 opens the preview to the network.",
)
@_reporting
def preview(source: Path | None, port: int, host: str) -> None:
    """Serve SOURCE (default: every article) as web pages that rebuild and reload as the
    sources, translations, assets, templates or theme change; Ctrl-C stops."""
    from .api import sources_of
    from .preview import serve
    from .project import load_project

    project = load_project()
    sources = sources_of(project, [source] if source else [])
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: the preview is open to the network on {host}", err=True)

    def ready(url: str) -> None:
        click.echo(f"docgen preview: {url}  (Ctrl-C stops)")

    def say(line: str) -> None:
        click.echo(line, err=True)

    try:
        serve(project, sources, host=host, port=port, ready=ready, say=say)
    except KeyboardInterrupt:
        click.echo("preview stopped", err=True)
    except OSError as exc:
        raise DocgenError.at(Path("--port"), f"cannot listen on {host}:{port}: {exc}") from None


@main.command()
@click.argument("folder", default=".", type=click.Path(path_type=Path, file_okay=False))
@_reporting
def init(folder: Path) -> None:
    """Create a publishing project in FOLDER (default: here) that builds at once."""
    from .scaffold import docgen_command
    from .scaffold import init as run_init

    for path in run_init(folder):
        click.echo(f"created {display_path(path)}")
    click.echo(f"next: cd {display_path(folder.resolve())} && {docgen_command()} build")


@main.group()
def templates() -> None:
    """List the templates, or copy a built-in one into the project to customize it."""


@templates.command("list")
@_reporting
def templates_list() -> None:
    """Show every template and the file it resolves from (project overrides first)."""
    from .project import load_project
    from .scaffold import list_templates

    for item in list_templates(load_project()):
        origin = "project" if item.overridden else "built-in"
        click.echo(f"{item.name:34s} {origin:9s} {display_path(item.path)}")


@templates.command("eject")
@click.argument("name")
@click.option("--force", is_flag=True, help="Overwrite a file the project already has.")
@_reporting
def templates_eject(name: str, force: bool) -> None:
    """Copy built-in template NAME (a file such as brief/brief.css, or a folder such as
    brief) into the project's templates/ folder, where it overrides the built-in."""
    from .project import load_project
    from .scaffold import eject

    for path in eject(load_project(), name, force=force):
        click.echo(f"copied {display_path(path)}")


@main.group()
def i18n() -> None:
    """Translation workflow: export for translators, import, accept, stale checks."""


def _article(name: str) -> Path:
    """An article named by path (source/x.md) or by its name (x)."""
    from .api import resolve_article

    return resolve_article(name)


@i18n.command("export")
@click.argument("name")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["xliff", "po"]),
    default="xliff",
    show_default=True,
    help="XLIFF 1.2 (Trados, memoQ, OmegaT, Weblate) or gettext PO.",
)
@click.option("--lang", "-l", metavar="LANG", help="Target language; default: the other one.")
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="File to write; default: translations/NAME.LANG.xlf (or .po) in the project"
    " (docgen init ignores that folder in git).",
)
@_reporting
def i18n_export(name: str, fmt: str, lang: str | None, output: Path | None) -> None:
    """Write every translatable unit of article NAME for a CAT tool."""
    from .i18n import SUFFIXES, export, target_language
    from .output import write_atomic
    from .project import load_project

    path = _article(name)
    lang = lang or target_language(path)
    text = export(path, fmt, lang)
    folder = load_project().root / "translations"
    target = output or folder / f"{path.stem}.{lang}{SUFFIXES[fmt]}"
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, lambda temp: temp.write_text(text, encoding="utf-8"))
    click.echo(f"wrote {display_path(target.resolve())}")


@i18n.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--article", type=str, help="The article, when the file does not name it.")
@click.option("--force", is_flag=True, help="Import even where the source changed since export.")
@_reporting
def i18n_import(file: Path, article: str | None, force: bool) -> None:
    """Write the translations of FILE (XLIFF or PO) back into the article."""
    from .i18n import import_file
    from .project import load_project

    report = import_file(
        file,
        _article(article) if article else None,
        force=force,
        source_dir=load_project().source_dir,
    )
    _print_problems(list(report.warnings))
    for path in report.files:
        click.echo(f"updated {display_path(path.resolve())}")
    for ident, why in zip(report.skipped, report.reasons, strict=True):
        click.echo(f"skipped {ident}: {why}")
    click.echo(
        f"{len(report.written)} translation(s) written, {len(report.accepted)} accepted,"
        f" {len(report.skipped)} skipped"
    )


@i18n.command("accept")
@click.argument("name")
@click.option("--unit", "units", multiple=True, metavar="ID", help="Accept this unit only.")
@click.option(
    "--line", "lines", multiple=True, type=int, metavar="N", help="The unit at line N only."
)
@_reporting
def i18n_accept(name: str, units: tuple[str, ...], lines: tuple[int, ...]) -> None:
    """Record the current translations of article NAME as reviewed (clears stale marks);
    --unit / --line: only those units (repeatable)."""
    from .i18n import accept

    click.echo(f"wrote {display_path(accept(_article(name), units, lines).resolve())}")


def _size(size: int) -> str:
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return f"{size} B"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
