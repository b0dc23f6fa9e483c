"""Classification markings, ranked: which of several markings is the strictest.

A pack carries the strictest marking of its articles, and an article may not be marked
above the pack that holds it. Markings are compared by rank, not by text: an article marked
``{fr: CONFIDENTIEL, en: CONFIDENTIAL}`` and one marked ``"CONFIDENTIEL / CONFIDENTIAL"``
stand at the same level. The levels are a project setting (``[classification] levels`` in
``docgen.toml``), lowest first; the default is the usual four of French and English
administrations, and "top secret" above them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Localized


@dataclass(frozen=True)
class Level:
    """One rung: its name in each language (``*``: every language) and the other spellings
    recognised as the same level."""

    names: tuple[tuple[str, str], ...]
    aliases: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        for code, text in self.names:
            if code in (lang, lang.split("-", 1)[0]):
                return text
        star = [text for code, text in self.names if code == "*"]
        return star[0] if star else self.names[0][1]

    def spellings(self) -> tuple[str, ...]:
        return tuple(text for _code, text in self.names) + self.aliases


DEFAULT_LEVELS: tuple[Level, ...] = (
    Level((("fr", "NON CLASSIFIÉ"), ("en", "UNCLASSIFIED")), ("NON PROTÉGÉ",)),
    Level((("fr", "DIFFUSION RESTREINTE"), ("en", "RESTRICTED")), ("RESTREINT",)),
    Level((("fr", "CONFIDENTIEL"), ("en", "CONFIDENTIAL"))),
    Level((("fr", "SECRET"), ("en", "SECRET"))),
    Level((("fr", "TRÈS SECRET"), ("en", "TOP SECRET"))),
)


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
"""Typographic apostrophes as typed ones: the build compares an article's marking after
typography ("d’administration") with levels typed in docgen.toml ("d'administration")."""


def normalized(text: str) -> str:
    """A marking as compared: accents, case, spacing, dashes and the apostrophe's shape do
    not matter."""
    decomposed = unicodedata.normalize("NFKD", text).translate(_APOSTROPHES)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = re.sub(r"[-‐‑–—_]", " ", plain.casefold())
    return " ".join(plain.split())


@dataclass(frozen=True)
class Levels:
    """The project's markings, lowest first."""

    levels: tuple[Level, ...] = DEFAULT_LEVELS

    def _table(self) -> dict[str, int]:
        return {
            normalized(spelling): rank
            for rank, level in enumerate(self.levels)
            for spelling in level.spellings()
        }

    def rank_of_text(self, text: str) -> int | None:
        """The rank of one marking text; ``"A / B"`` (both languages in one string) is
        recognised part by part, at the highest of its parts. None: not a marking."""
        table = self._table()
        whole = table.get(normalized(text))
        if whole is not None:
            return whole
        parts = [normalized(part) for part in text.split("/") if part.strip()]
        ranks = [table.get(part) for part in parts]
        if not parts or any(rank is None for rank in ranks):
            return None
        return max(rank for rank in ranks if rank is not None)

    def rank_of(self, marking: Localized) -> int | None:
        """The rank of a localized marking: the highest of its texts; None when one of
        them is not a known marking."""
        ranks = [self.rank_of_text(text) for _code, text in marking.texts]
        if not ranks or any(rank is None for rank in ranks):
            return None
        return max(rank for rank in ranks if rank is not None)

    def name(self, rank: int, lang: str) -> str:
        return self.levels[rank].name(lang)

    def known(self) -> str:
        """The levels in words, lowest first, for messages."""
        return " < ".join(" / ".join(dict.fromkeys(t for _c, t in lv.names)) for lv in self.levels)


def strictest(ranks: Sequence[int | None]) -> int | None:
    """The highest rank given; None when nothing is marked."""
    known = [rank for rank in ranks if rank is not None]
    return max(known) if known else None
