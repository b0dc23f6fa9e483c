"""Gathering a job's input bytes from the project: everything a render reads, nothing else.

An article's render reads its source, the translation of its language, the images its
text shows, ``docgen.toml``, the theme file and the files it names, and the project's
template overrides. Each is read once per build (``InputReader`` remembers) and named by
its place under a virtual root, so the job's hash — the cache key — changes exactly when
one of them does.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .. import source
from ..errors import DocgenError
from ..model import Document, iter_images
from ..project import Project
from ..resources import resolve_local
from ..theme import Theme
from .job import ARTICLE, PROJECT


class InputReader:
    """Reads and names the files jobs need, each file once per build."""

    def __init__(self, project: Project, theme: Theme) -> None:
        self.project = project
        self.root = project.root.resolve()
        self._bytes: dict[Path, bytes] = {}
        self._digests: dict[int, tuple[bytes, str]] = {}
        shared: list[Path] = []
        if project.config_path is not None:
            shared.append(project.config_path)
        theme_file = project.root / project.theme_file
        if theme_file.is_file():
            shared.append(theme_file)
        shared.extend(theme.files)
        if project.templates_dir.is_dir():
            shared.extend(p for p in sorted(project.templates_dir.rglob("*")) if p.is_file())
        self.shared = shared

    def name(self, path: Path, article_dir: Path) -> str:
        """The virtual name of ``path``: under the project, or under the article's own
        folder when the article lies outside the project."""
        real = path.resolve()
        if real.is_relative_to(self.root):
            return f"{PROJECT}/{real.relative_to(self.root).as_posix()}"
        if real.is_relative_to(article_dir.resolve()):
            return f"{ARTICLE}/{real.relative_to(article_dir.resolve()).as_posix()}"
        raise DocgenError.at(path, "outside the project and the article's folder")

    def digests(self, files: tuple[tuple[str, bytes], ...]) -> tuple[tuple[str, str], ...]:
        """The sha256 of each file, computed once per build: every job of an article (and
        every article) shares the same templates, theme and sources."""
        found = []
        for name, data in files:
            known = self._digests.get(id(data))
            if known is None or known[0] is not data:
                known = (data, hashlib.sha256(data).hexdigest())
                self._digests[id(data)] = known
            found.append((name, known[1]))
        return tuple(found)

    def read(self, path: Path) -> bytes:
        real = path.resolve()
        if real not in self._bytes:
            self._bytes[real] = real.read_bytes()
        return self._bytes[real]

    def files(self, doc: Document) -> tuple[tuple[str, bytes], ...]:
        """The named bytes a render of ``doc`` (in its language) reads."""
        article_dir = doc.path.parent
        wanted = list(self.shared)
        for image, _line in iter_images(doc):
            found = resolve_local(image.src, article_dir, self.project)
            if found is not None:
                wanted.append(found)
        named = {self.name(path, article_dir): self.read(path) for path in wanted}
        for path in {doc.path, doc.body_path or doc.path}:  # as the loader read them
            named[self.name(path, article_dir)] = source.source_bytes(path)
        if self.project.config_path is None:  # the job's project is a folder of defaults
            named[f"{PROJECT}/docgen.toml"] = b"[docgen]\n"
        return tuple(sorted(named.items()))
