"""The few words a pack prints besides its articles', in the reader's language."""

from __future__ import annotations

PACK_LABELS: dict[str, dict[str, str]] = {
    "pack": {"fr": "Dossier de visite", "en": "Briefing pack"},
    "articles": {"fr": "{count} documents", "en": "{count} documents"},
    "sheets": {"fr": "Fiches de synthèse", "en": "Summary sheets"},
}


def pack_label(key: str, lang: str) -> str:
    texts = PACK_LABELS[key]
    return texts.get(lang) or texts.get(lang.split("-", 1)[0]) or texts["en"]
