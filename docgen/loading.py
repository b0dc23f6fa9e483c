"""Loading an article for rendering: the document in one language, checked, typography
applied, and its edition for a product. Shared by the coordinator (``api``) and by jobs
(``engine.job``), which must not depend on the coordinator."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from . import products, source
from .accessibility import missing_alt_text
from .errors import DocgenError, Problem
from .model import Document
from .project import Project, load_project
from .resources import image_problems, readable_roots

if TYPE_CHECKING:
    from .editions import Edition


def load_with_warnings(
    path: Path,
    lang: str | None = None,
    project: Project | None = None,
    missing_images: str = "warning",
    *,
    typeset: bool = True,
) -> tuple[Document, list[Problem]]:
    """Load, apply typography, and run the model checks (images, accessibility);
    ``missing_images``: the severity of an image not found or not loaded (``api.prepare``
    makes it an error unless ``--draft``). ``typeset=False`` leaves the text as written:
    typography finds no problems, so ``check`` skips it (and its rules' import).

    Raises ``DocgenError`` with every error; returns the warnings.
    """
    project = project or load_project()
    roots = readable_roots(project, path.parent)
    doc, warnings = source.load(path, lang, roots=roots)
    found = warnings + missing_alt_text(doc)
    read = lambda p: source.read_text(p, roots=roots)  # noqa: E731 - the loader's own read
    found += image_problems(doc, project, read, missing_images)
    errors = [p for p in found if p.severity == "error"]
    if errors:
        raise DocgenError(errors)
    if not typeset:
        return doc, found
    from .typography import apply

    return apply(doc), found


def edition_of(doc: Document, product: str, project: Project, *, draft: bool = False) -> Edition:
    """The edition of ``doc`` as ``product``, ready for any format backend."""
    from .editions import build_edition

    info = products.get(product)
    return build_edition(info.edition, product, doc, languages=project.languages, draft=draft)
