"""Language tags typed by authors (``[text]{lang=en-GB}``), checked before they reach an output.

A tag goes into HTML ``lang``, Word's ``w:lang`` and the typography rules: a typo there
(``lang=eng``, ``lang=en-UK``) would pass silently and leave screen readers and spell
checkers on the wrong language. So a tag must be BCP 47 (RFC 5646) in its syntax, and its
language, script and region subtags must be ones CLDR knows (through Babel, already used
for dates and labels). Variants, extensions and private use are checked for syntax only:
CLDR does not list them all. The tag comes back in its canonical case (``en-GB``,
``zh-Hant-TW``).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, Literal

_TAG = re.compile(
    r"""
    (?P<language>[A-Za-z]{2,3}) (?:-(?P<extlang>[A-Za-z]{3}(?:-[A-Za-z]{3}){0,2}))?
    (?:-(?P<script>[A-Za-z]{4}))?
    (?:-(?P<region>[A-Za-z]{2}|[0-9]{3}))?
    (?P<variants>(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*)
    (?P<extensions>(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*)
    (?P<private>-[xX](?:-[A-Za-z0-9]{1,8})+)?
    """,
    re.VERBOSE,
)
"""RFC 5646's ``langtag`` (irregular grandfathered tags such as ``i-klingon`` left out)."""


class BadLanguageTag(ValueError):
    """Why a tag was refused, in words for the author."""


@cache
def _known() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """CLDR's language, script and region codes (read once, on the first tag: Babel is
    imported only by an article that has one)."""
    from babel import Locale

    english = Locale("en")
    return frozenset(english.languages), frozenset(english.scripts), frozenset(english.territories)


def _aliases(kind: Literal["language_aliases", "territory_aliases"]) -> Any:
    from babel.core import get_global

    return get_global(kind)


def check_language_tag(tag: str) -> str:
    """``tag`` in canonical case if it is a BCP 47 tag of a known language, else raise
    ``BadLanguageTag`` saying what is wrong (and the right tag when CLDR knows it)."""
    match = _TAG.fullmatch(tag)
    if match is None:
        raise BadLanguageTag(
            f"language tag {tag!r} is not BCP 47 (like 'en', 'en-GB' or 'zh-Hant-TW')"
        )
    languages, scripts, regions = _known()
    language = match["language"].lower()
    alias = _aliases("language_aliases").get(language)
    if alias:
        better = alias.replace("_", "-")
        raise BadLanguageTag(f"language tag {tag!r}: write {better!r} for {language!r}")
    if language not in languages:
        raise BadLanguageTag(f"language tag {tag!r}: unknown language {language!r}")
    parts = [language]
    if match["extlang"]:
        parts.append(match["extlang"].lower())
    if match["script"]:
        script = match["script"].title()
        if script not in scripts:
            raise BadLanguageTag(f"language tag {tag!r}: unknown script {script!r}")
        parts.append(script)
    if match["region"]:
        region = match["region"].upper()
        if region not in regions:
            hint = _aliases("territory_aliases").get(region)
            also = f" (write {hint[0]!r})" if hint and len(hint) == 1 else ""
            raise BadLanguageTag(f"language tag {tag!r}: unknown region {region!r}{also}")
        parts.append(region)
    rest = (match["variants"] or "") + (match["extensions"] or "") + (match["private"] or "")
    return "-".join(parts) + rest.lower()
