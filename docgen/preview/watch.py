"""What the preview watches, and the builds it runs when something changes.

Two builds, each on its own thread, both through ``docgen.api.build`` and the project's
cache (so only the jobs whose inputs changed render again): the web pages first — what the
open page shows, in the preview's own process so that fonts subsetted once stay subsetted
— and the PDF and Word files after, in forked renders with the project's time limit.
An edit reloads the page as soon as its web edition is built, without waiting for the PDF.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from .. import api
from ..engine.executors import warm
from ..engine.job import builtin_digest
from ..errors import DocgenError
from ..project import Project, builtin_templates_dir
from ..theme import load_theme
from .state import PreviewState

PREVIEW_DIR = Path(".docgen") / "preview"
"""Under the project root: ``web/`` (the web editions) and ``files/`` (PDF, Word)."""
WEB_FORMATS = ("html",)
FILE_FORMATS = ("pdf", "docx")


def watched_paths(project: Project, sources: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """The folders watched with all they hold — the source folder (sources, translations,
    their records), the folder of any article named outside it, assets, the project's
    templates, docgen's built-in templates — and the single files watched by name:
    ``docgen.toml``, the theme file and the files it names, which may not exist yet."""
    folders = [project.source_dir, project.templates_dir, project.root / "assets"]
    folders += [source.resolve().parent for source in sources]
    folders.append(builtin_templates_dir())
    files = [project.root / project.theme_file, project.root / "docgen.toml"]
    if project.config_path is not None:
        files.append(project.config_path)
    # A broken theme is reported by the build; the theme file itself is watched.
    with contextlib.suppress(DocgenError):
        files += list(load_theme(project).files)
    found: dict[Path, None] = {}
    for folder in sorted({f.resolve() for f in folders if f.is_dir()}, key=lambda p: len(p.parts)):
        if not any(folder.is_relative_to(p) for p in found):
            found[folder] = None
    single = [f.resolve() for f in files]
    return list(found), list(dict.fromkeys(single))


class Builder:
    """Runs one kind of build whenever asked, never two at once, never a stale one: a
    request that comes during a build makes one more build when it ends."""

    def __init__(self, name: str, build: Callable[[], None]) -> None:
        self._build = build
        self._wanted = threading.Event()
        self._stopped = threading.Event()
        self._thread = threading.Thread(
            target=self._loop, name=f"docgen-preview-{name}", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def request(self) -> None:
        self._wanted.set()

    def stop(self) -> None:
        self._stopped.set()
        self._wanted.set()

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)

    def _loop(self) -> None:
        while True:
            self._wanted.wait()
            if self._stopped.is_set():
                return
            self._wanted.clear()
            self._build()


class Rebuilds:
    """The preview's builds of ``sources`` (all articles when empty) into the preview
    folder, their results published to ``state``."""

    def __init__(
        self,
        project: Project,
        sources: list[Path],
        state: PreviewState,
        say: Callable[[str], None] = print,
    ) -> None:
        self.project = project
        self.say = say
        self.sources = sources
        self.state = state
        self.root = project.root / PREVIEW_DIR
        self.web = Builder("web", self.build_web)
        self.files = Builder("files", self.build_files)
        self.one_at_a_time = threading.Lock()
        """The PDF and Word builds fork their renders; a fork while the other thread is
        inside WeasyPrint (holding fontconfig's or cffi's locks) would give a child that
        hangs until its time limit. So the two builds never overlap."""

    @property
    def web_dir(self) -> Path:
        return self.root / "web"

    @property
    def files_dir(self) -> Path:
        return self.root / "files"

    def build_web(self) -> None:
        """The web editions, rendered in this process (no time limit: the font subsets
        it computes are kept for the next edit)."""
        project = dataclasses.replace(self.project, time_limit=0)
        try:
            with self.one_at_a_time:
                result = api.build(
                    self.sources,
                    formats=WEB_FORMATS,
                    languages=["all"],
                    output=self.web_dir,
                    project=project,
                )
        except DocgenError as exc:
            self.state.failed(exc.problems)
            self.say("\n".join(str(p) for p in exc.problems))
            return
        except Exception as exc:  # noqa: BLE001 - the preview keeps serving and says why
            self.state.crashed(f"{type(exc).__name__}: {exc}")
            self.say(f"docgen: internal error: {type(exc).__name__}: {exc}")
            return
        self.state.built(result.files, result.warnings, result.rendered)
        self.say(
            f"web pages: {result.rendered} rendered, {result.cached} from the cache"
            f" in {result.seconds:.2f} s"
        )

    def build_files(self) -> None:
        """The PDF and Word files, for the index's links (their errors show there)."""
        self.state.files_building(True)
        try:
            # The engines once for the preview's life: every build's render child is forked
            # from here with them warm, instead of importing them again at each edit.
            warm(FILE_FORMATS)
            with self.one_at_a_time:
                result = api.build(
                    self.sources,
                    formats=FILE_FORMATS,
                    languages=["all"],
                    output=self.files_dir,
                    project=self.project,
                )
        except DocgenError as exc:
            self.state.files_built([], [str(p) for p in exc.problems])
            return
        except Exception as exc:  # noqa: BLE001 - the preview keeps serving and says why
            self.state.files_built([], [f"{type(exc).__name__}: {exc}"])
            return
        self.state.files_built(result.files, [])
        self.say(f"PDF and Word: {result.rendered} rendered in {result.seconds:.2f} s")

    def changed(self, paths: Iterable[Path]) -> None:
        """Something changed: forget the built-in templates' digest if one of them did
        (it is part of every job's key), then rebuild both kinds."""
        builtin = builtin_templates_dir().resolve()
        if any(Path(p).resolve().is_relative_to(builtin) for p in paths):
            builtin_digest.cache_clear()
        self.web.request()
        self.files.request()


def watch(rebuilds: Rebuilds, stop: threading.Event) -> None:
    """Watch until ``stop`` is set, telling ``rebuilds`` of each batch of changes
    (watchfiles groups an editor's burst of writes into one batch). Folders are watched
    with everything below them; single files through their folder, not recursively, so
    that a theme file created later, or replaced by an editor, is still seen."""
    folders, files = watched_paths(rebuilds.project, rebuilds.sources)
    parents = sorted({f.parent for f in files if f.parent.is_dir()})
    by_name = threading.Thread(
        target=_watch,
        args=(rebuilds, stop, parents, False, frozenset(files)),
        name="docgen-watch-files",
        daemon=True,
    )
    by_name.start()
    _watch(rebuilds, stop, folders, True, None)
    by_name.join(2)


def _watch(
    rebuilds: Rebuilds,
    stop: threading.Event,
    paths: list[Path],
    recursive: bool,
    only: frozenset[Path] | None,
) -> None:
    import watchfiles

    if not paths:
        return
    for changes in watchfiles.watch(
        *paths,
        stop_event=stop,
        recursive=recursive,
        debounce=150,
        step=40,
        rust_timeout=500,
        yield_on_timeout=False,
        raise_interrupt=False,
    ):
        relevant = [
            Path(path)
            for _change, path in changes
            if not _ignored(Path(path)) and (only is None or Path(path).resolve() in only)
        ]
        if relevant:
            rebuilds.changed(relevant)


def _ignored(path: Path) -> bool:
    """Editors' temporary and backup files, and docgen's own folders."""
    name = path.name
    return (
        name.startswith(".#")
        or name.endswith(("~", ".swp", ".swx", ".tmp"))
        or ".docgen" in path.parts
        or "__pycache__" in path.parts
    )
