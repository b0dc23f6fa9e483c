"""Words the templates print around the content, and dates, in the reader's language.

Labels are a small table here (French and English first; other languages fall back to
English); dates go through Babel's CLDR data so that "1 décembre 2025" and
"1 December 2025" come out right without hand-written month names.
"""

from __future__ import annotations

import datetime as dt

from .model import PartialDate

LABELS: dict[str, dict[str, str]] = {
    "summary": {"fr": "Résumé", "en": "Summary"},
    "key_points": {"fr": "Points clés", "en": "Key points"},
    "timeline": {"fr": "Chronologie", "en": "Timeline"},
    "contents": {"fr": "Sommaire", "en": "Contents"},
    "notes": {"fr": "Notes", "en": "Notes"},
    "contact": {"fr": "Contact", "en": "Contact"},
    "by": {"fr": "Par", "en": "By"},
    "page": {"fr": "Page", "en": "Page"},
    "of": {"fr": "sur", "en": "of"},
    "date": {"fr": "Date", "en": "Date"},
    "event": {"fr": "Événement", "en": "Event"},
    "author": {"fr": "Auteur", "en": "Author"},
    "draft": {"fr": "PROJET", "en": "DRAFT"},
    "missing": {"fr": "[traduction manquante]", "en": "[missing translation]"},
    "brief": {"fr": "Note de synthèse", "en": "Briefing note"},
    "report": {"fr": "Rapport", "en": "Report"},
    "summary_sheet": {"fr": "Fiche de synthèse", "en": "Summary sheet"},
    "introduction": {"fr": "Introduction", "en": "Introduction"},
    "toc_refresh": {
        "fr": "Clic droit puis « Mettre à jour les champs » pour actualiser les numéros de page.",
        "en": "Right-click and choose “Update Field” to refresh the page numbers.",
    },
}

FALLBACK = "en"


def label(key: str, lang: str) -> str:
    """The label ``key`` in ``lang`` (its base language, then English)."""
    texts = LABELS[key]
    return texts.get(lang) or texts.get(lang.split("-", 1)[0]) or texts[FALLBACK]


def labels_for(lang: str) -> dict[str, str]:
    """Every label in ``lang``, as templates receive them."""
    return {key: label(key, lang) for key in LABELS}


_DEFAULT_REGION = {"en": "en_GB"}
"""Bare ``en`` means British usage here ("1 December 2025"), as in diplomatic writing."""


def _locale(lang: str) -> str:
    return _DEFAULT_REGION.get(lang, lang.replace("-", "_"))


def format_long_date(date: dt.date, lang: str) -> str:
    """``1 décembre 2025`` / ``1 December 2025``."""
    from babel.dates import format_date  # Babel loads only once a date is printed (not in check)

    return format_date(date, format="long", locale=_locale(lang))


def format_partial_date(date: PartialDate, lang: str) -> str:
    """A timeline date at its own precision: ``2020``, ``février 2025``, ``3 mars 2025``."""
    if date.month is None:
        return str(date.year)
    value = dt.date(date.year, date.month, date.day or 1)
    if date.day is None:
        from babel.dates import format_skeleton

        return format_skeleton("yMMMM", value, locale=_locale(lang))
    return format_long_date(value, lang)
