"""The two languages of the bilingual sheet, and the front-matter texts missing in either.

Apart from the sheet's edition (``editions.sheet``), which re-exports them: ``check`` and
the build's plan read them for every article without building any edition (nor loading
the labels' and dates' Babel data).
"""

from __future__ import annotations

from .errors import Location, Problem, SourceError
from .model import Document
from .project import Project


def sheet_languages(doc: Document, configured: tuple[str, ...] = ()) -> tuple[str, str]:
    """The two languages of the sheet: the body's first, then the other one.

    The other is the first configured language that differs, else the first language other
    than the body's found in the title, summary or key points.
    """
    first = doc.source_lang
    candidates = [lang for lang in configured if lang != "all"]
    for loc in (doc.meta.title, doc.meta.summary, *doc.meta.key_points):
        if loc is not None:
            candidates.extend(loc.languages)
    for lang in candidates:
        if lang != first:
            return first, lang
    raise SourceError.at(
        doc.path,
        "the summary sheet needs a second language: give the title as {"
        + f"{first}: …, en: …"
        + "}",
        doc.meta.title.pos.line,
        doc.meta.title.pos.column,
    )


def untranslated(
    doc: Document, langs: tuple[str, ...], skip: tuple[str, ...] = ()
) -> list[Problem]:
    """A problem for each front-matter text that has no version in one of ``langs``."""
    return [
        Problem(Location(doc.path, loc.pos.line, loc.pos.column), f'{key} has no "{lang}" text')
        for key, loc in doc.meta.localized_fields()
        if key not in skip
        for lang in langs
        if not loc.has(lang)
    ]


def check_sheet(doc: Document, project: Project, draft: bool) -> list[Problem]:
    """What stops the sheet: no second language, or (unless ``draft``) missing texts.

    Returned as errors, or as warnings under ``draft``; run before anything is written.
    """
    try:
        langs = sheet_languages(doc, project.languages)
    except SourceError as exc:
        return exc.problems
    severity = "warning" if draft else "error"
    return [
        Problem(p.location, p.message, severity)
        for p in untranslated(doc, langs, skip=("short_title",))
    ]
